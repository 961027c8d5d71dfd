package cases

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
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

// MaxIDLen bounds a record ID a caller supplies.
const MaxIDLen = 128

// ValidateID checks an ID a caller supplies for a new record (generated IDs
// need no check): 1 to MaxIDLen bytes of printable characters, no spaces.
// record and field name it in the error.
func ValidateID(record, field, id string) error {
	if id == "" {
		return invalid(record, field, "is required")
	}
	if len(id) > MaxIDLen {
		return invalid(record, field, "is longer than %d bytes", MaxIDLen)
	}
	if !utf8.ValidString(id) {
		return invalid(record, field, "is not valid UTF-8")
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return invalid(record, field, "%q may not contain spaces or control characters", id)
		}
	}
	return nil
}

// invalid builds a validation FieldError.
func invalid(record, field, format string, args ...any) *FieldError {
	return &FieldError{Record: record, Field: field, Problem: fmt.Sprintf(format, args...)}
}
