package cases

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every validation failure: errors.Is(err,
// ErrInvalid) tells a caller the input was rejected and nothing was written.
var ErrInvalid = errors.New("invalid input")

// FieldError says which field of which record broke which rule. Err is the
// cause: ErrInvalid for validation failures, or a storage sentinel (such as
// a duplicate or a stale version) that the caller can test with errors.Is.
type FieldError struct {
	// Record is the kind of record, such as "case" or "contact".
	Record string
	// Field is the field's Go name, dotted for nested values
	// ("Aliases[2]", "Intake.Questions[0].Question").
	Field string
	// Problem says what is wrong, in words a user can act on.
	Problem string
	// Err is the underlying cause; nil means ErrInvalid.
	Err error
}

// Error reports the record, field and problem.
func (e *FieldError) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Problem)
	}
	return fmt.Sprintf("%s %s: %s", e.Record, e.Field, e.Problem)
}

// Unwrap returns the cause, ErrInvalid unless another was set.
func (e *FieldError) Unwrap() error {
	if e.Err == nil {
		return ErrInvalid
	}
	return e.Err
}

// invalid builds a validation FieldError.
func invalid(record, field, format string, args ...any) *FieldError {
	return &FieldError{Record: record, Field: field, Problem: fmt.Sprintf(format, args...)}
}
