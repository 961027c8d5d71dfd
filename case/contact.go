package cases

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ContactID identifies a contact (a person or an organisation).
type ContactID string

// ContactKind says whether a contact is a person or an organisation.
type ContactKind string

// The kinds of contact.
const (
	Person       ContactKind = "person"
	Organization ContactKind = "organization"
)

// RelationKind names how two contacts are related. Conflict checks follow
// relations: a matter adverse to a client's parent company or spouse is a
// conflict too.
type RelationKind string

// Relations a conflict check follows.
const (
	RelParent     RelationKind = "parent"     // the related contact is this one's parent company
	RelSubsidiary RelationKind = "subsidiary" // the related contact is this one's subsidiary
	RelSpouse     RelationKind = "spouse"
	RelEmployer   RelationKind = "employer"
	RelAffiliate  RelationKind = "affiliate"
	RelFamily     RelationKind = "family"
)

var relationKinds = map[RelationKind]bool{RelParent: true, RelSubsidiary: true, RelSpouse: true, RelEmployer: true, RelAffiliate: true, RelFamily: true}

// Relation links a contact to another contact.
type Relation struct {
	Contact ContactID    `json:"contact"`
	Kind    RelationKind `json:"kind"`
}

// Contact is a person or organisation the firm deals with: a client, an
// opposing party, counsel, a witness, a judge. The cultural and language
// fields are there so that nobody forgets them at the next meeting.
type Contact struct {
	ID   ContactID
	Kind ContactKind
	// Name is the full name as the contact uses it ("María Elena García",
	// "Globex Corporation").
	Name string
	// Aliases are other names the contact is known by: maiden names,
	// trading names, transliterations. Conflict checks search them.
	Aliases   []string
	Emails    []string
	Phones    []string
	Addresses []string
	// PreferredLanguage is a BCP 47 language tag such as "es" or "pt-BR".
	PreferredLanguage string
	// InterpreterNeeded is set when meetings need an interpreter.
	InterpreterNeeded bool
	// Accessibility records needs such as step-free access or large print.
	Accessibility string
	// CulturalNotes records what staff should know and respect.
	CulturalNotes string
	// DateOfBirth is optional and only for people.
	DateOfBirth Date
	// Related are links to other contacts (parent company, spouse ...).
	Related []Relation
	Notes   string
	// Version counts changes; an update must name the version it replaces.
	Version int64
	Created time.Time
	Updated time.Time
}

// Limits on text fields, so that a stray paste cannot fill the database.
const (
	MaxNameLen = 300
	MaxTextLen = 1 << 20
)

// Validate checks the contact as it would be stored. today is the current
// date, against which a date of birth must not lie in the future.
func (c *Contact) Validate(today Date) error {
	const rec = "contact"
	switch c.Kind {
	case Person, Organization:
	case "":
		return invalid(rec, "Kind", "is required (person or organization)")
	default:
		return invalid(rec, "Kind", "%q is not person or organization", c.Kind)
	}
	if err := checkName(rec, "Name", c.Name); err != nil {
		return err
	}
	for i, a := range c.Aliases {
		if err := checkName(rec, indexed("Aliases", i), a); err != nil {
			return err
		}
	}
	for i, e := range c.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return invalid(rec, indexed("Emails", i), "%q is not an email address", e)
		}
	}
	for i, p := range c.Phones {
		if strings.TrimSpace(p) == "" || len(p) > 50 {
			return invalid(rec, indexed("Phones", i), "must be 1 to 50 characters")
		}
	}
	for i, a := range c.Addresses {
		if err := checkText(rec, indexed("Addresses", i), a, true); err != nil {
			return err
		}
	}
	if c.PreferredLanguage != "" && !validLanguageTag(c.PreferredLanguage) {
		return invalid(rec, "PreferredLanguage", "%q is not a BCP 47 language tag such as \"es\" or \"pt-BR\"", c.PreferredLanguage)
	}
	for _, f := range []struct{ name, v string }{{"Accessibility", c.Accessibility}, {"CulturalNotes", c.CulturalNotes}, {"Notes", c.Notes}} {
		if err := checkText(rec, f.name, f.v, false); err != nil {
			return err
		}
	}
	if !c.DateOfBirth.Valid() {
		return invalid(rec, "DateOfBirth", "%04d-%02d-%02d is not a calendar date", c.DateOfBirth.Year, int(c.DateOfBirth.Month), c.DateOfBirth.Day)
	}
	if !c.DateOfBirth.IsZero() {
		if c.Kind != Person {
			return invalid(rec, "DateOfBirth", "only a person has a date of birth")
		}
		if !today.IsZero() && today.Before(c.DateOfBirth) {
			return invalid(rec, "DateOfBirth", "%s is in the future", c.DateOfBirth)
		}
	}
	seen := map[ContactID]bool{}
	for i, r := range c.Related {
		f := indexed("Related", i)
		if r.Contact == "" {
			return invalid(rec, f+".Contact", "is required")
		}
		if r.Contact == c.ID && c.ID != "" {
			return invalid(rec, f+".Contact", "a contact cannot be related to itself")
		}
		if !relationKinds[r.Kind] {
			return invalid(rec, f+".Kind", "%q is not a known relation (parent, subsidiary, spouse, employer, affiliate, family)", r.Kind)
		}
		if seen[r.Contact] {
			return invalid(rec, f+".Contact", "%s is listed twice", r.Contact)
		}
		seen[r.Contact] = true
	}
	return nil
}

// checkName requires a non-blank, single-line name of bounded length.
func checkName(rec, field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid(rec, field, "is required")
	}
	if !utf8.ValidString(s) {
		return invalid(rec, field, "is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > MaxNameLen {
		return invalid(rec, field, "is longer than %d characters", MaxNameLen)
	}
	if strings.ContainsAny(s, "\r\n\x00") {
		return invalid(rec, field, "must be a single line")
	}
	return nil
}

// checkText bounds free text; required text must not be blank.
func checkText(rec, field, s string, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return invalid(rec, field, "is required")
	}
	if !utf8.ValidString(s) {
		return invalid(rec, field, "is not valid UTF-8")
	}
	if len(s) > MaxTextLen {
		return invalid(rec, field, "is longer than %d bytes", MaxTextLen)
	}
	if strings.ContainsRune(s, 0) {
		return invalid(rec, field, "contains a NUL character")
	}
	return nil
}

// validLanguageTag accepts the shape of a BCP 47 tag: a 2-3 letter primary
// language and subtags of 1-8 letters or digits.
func validLanguageTag(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 || !isAlpha(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 8 || !isAlnum(p) {
			return false
		}
	}
	return true
}

func isAlpha(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func indexed(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
