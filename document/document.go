package document

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	cases "github.com/docketkit/docket/case"
)

// ID identifies a document.
type ID string

// Kind is what a document is.
type Kind string

// Document kinds.
const (
	Pleading Kind = "pleading"
	Motion   Kind = "motion"
	Brief    Kind = "brief"
	Order    Kind = "order"
	Contract Kind = "contract"
	Evidence Kind = "evidence"
	Letter   Kind = "letter"
	Note     Kind = "note"
	Form     Kind = "form"
	Other    Kind = "other"
	// Attachment is a file that came with correspondence.
	Attachment Kind = "attachment"
)

// Kinds lists every document kind.
var Kinds = []Kind{Pleading, Motion, Brief, Order, Contract, Evidence, Letter, Note, Form, Attachment, Other}

// Status is where a document stands.
type Status string

// Document statuses, in the order a document usually passes them.
const (
	Draft  Status = "draft"
	Final  Status = "final"
	Filed  Status = "filed"
	Served Status = "served"
)

// Statuses lists every status.
var Statuses = []Status{Draft, Final, Filed, Served}

// Document is a document on a case: its metadata. Its content lives in
// its versions, which never change once written.
type Document struct {
	ID     ID
	Case   cases.ID
	Title  string
	Kind   Kind
	Status Status
	Tags   []string
	// Author is the user who created it.
	Author string
	// Privileged marks attorney-client privileged or work-product
	// material: shown only to the case's team and attorneys.
	Privileged bool
	// Shared documents are shown to the case's client through the portal;
	// nothing else is.
	Shared bool
	// Current is the number of the latest version (0 before the first).
	Current int
	// CheckedOutBy and CheckedOutUntil hold the editing lock: while it
	// holds, only that user adds a version.
	CheckedOutBy    string
	CheckedOutUntil time.Time
	// Deleted is when it was soft-deleted (zero while it is not), by whom
	// and why; a deleted document is restored or, once its retention
	// period passes and no hold covers it, purged.
	Deleted      time.Time
	DeletedBy    string
	DeleteReason string
	Version      int64
	Created      time.Time
	Updated      time.Time
}

// Version is one immutable version of a document's content.
type Version struct {
	Document ID
	// Number counts the document's versions from 1.
	Number int
	// Hash is the SHA-256 of the content, in hex; identical content is
	// stored once, under its hash.
	Hash      string
	Size      int64
	MediaType string
	Author    string
	Comment   string
	// BasedOn is the number of the version this one was made from (0 for
	// the first).
	BasedOn int
	// Template and TemplateVersion record the template a version was
	// assembled from, if it was.
	Template        string
	TemplateVersion int64
	Created         time.Time
}

var tagRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} _./-]{0,62}$`)

// Validate checks the document's fields and names the one at fault.
func (d *Document) Validate() error {
	const rec = "document"
	if d.Case == "" {
		return invalid(rec, "Case", "is required")
	}
	if err := text(rec, "Title", d.Title, 300, true); err != nil {
		return err
	}
	if !slices.Contains(Kinds, d.Kind) {
		return invalid(rec, "Kind", fmt.Sprintf("%q is not a document kind (%s)", d.Kind, join(Kinds)))
	}
	if !slices.Contains(Statuses, d.Status) {
		return invalid(rec, "Status", fmt.Sprintf("%q is not draft, final, filed or served", d.Status))
	}
	if len(d.Tags) > 50 {
		return invalid(rec, "Tags", "give at most 50 tags")
	}
	for i, t := range d.Tags {
		if !tagRE.MatchString(t) {
			return invalid(rec, fmt.Sprintf("Tags[%d]", i), fmt.Sprintf("%q must be 1 to 63 letters, digits, spaces or . _ / -", t))
		}
		if slices.Contains(d.Tags[:i], t) {
			return invalid(rec, fmt.Sprintf("Tags[%d]", i), t+" is listed twice")
		}
	}
	return nil
}

// mediaTypeRE is a media type without parameters: type/subtype.
var mediaTypeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$`)

// Validate checks a version's fields and names the one at fault.
func (v *Version) Validate() error {
	const rec = "version"
	switch {
	case v.Document == "":
		return invalid(rec, "Document", "is required")
	case v.Number < 1:
		return invalid(rec, "Number", "versions are numbered from 1")
	case v.BasedOn < 0 || v.BasedOn >= v.Number:
		return invalid(rec, "BasedOn", fmt.Sprintf("%d is not an earlier version", v.BasedOn))
	case len(v.Hash) != 64 || strings.Trim(v.Hash, "0123456789abcdef") != "":
		return invalid(rec, "Hash", "is not a SHA-256 in lower-case hex")
	case v.Size < 0:
		return invalid(rec, "Size", "is negative")
	case !mediaTypeRE.MatchString(v.MediaType):
		return invalid(rec, "MediaType", fmt.Sprintf("%q is not a media type such as text/plain", v.MediaType))
	}
	return text(rec, "Comment", v.Comment, 2000, false)
}

func join[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// text checks a free-text field (cases.ValidateText).
var text = cases.ValidateText

func invalid(record, field, problem string) error {
	return &cases.FieldError{Record: record, Field: field, Problem: problem}
}
