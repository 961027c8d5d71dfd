package document

import (
	"errors"
	"strings"
	"testing"

	cases "github.com/docketkit/docket/case"
)

func TestDocumentValidate(t *testing.T) {
	good := Document{ID: "d1", Case: "c1", Title: "Motion to dismiss", Kind: Motion, Status: Draft, Tags: []string{"12(b)(6)"[:2], "urgent"}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, field string
		edit        func(*Document)
	}{
		{"case", "Case", func(d *Document) { d.Case = "" }},
		{"title", "Title", func(d *Document) { d.Title = " " }},
		{"long title", "Title", func(d *Document) { d.Title = strings.Repeat("x", 301) }},
		{"kind", "Kind", func(d *Document) { d.Kind = "memo" }},
		{"status", "Status", func(d *Document) { d.Status = "signed" }},
		{"tag", "Tags[1]", func(d *Document) { d.Tags[1] = "-dash first" }},
		{"tag twice", "Tags[1]", func(d *Document) { d.Tags[1] = d.Tags[0] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			d.Tags = append([]string(nil), good.Tags...)
			tt.edit(&d)
			var fe *cases.FieldError
			if err := d.Validate(); !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("Validate = %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
}

func TestVersionValidate(t *testing.T) {
	good := Version{Document: "d1", Number: 2, BasedOn: 1, Hash: strings.Repeat("ab", 32), Size: 10, MediaType: "text/plain"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, field string
		edit        func(*Version)
	}{
		{"document", "Document", func(v *Version) { v.Document = "" }},
		{"number", "Number", func(v *Version) { v.Number = 0 }},
		{"based on a later one", "BasedOn", func(v *Version) { v.BasedOn = 2 }},
		{"hash", "Hash", func(v *Version) { v.Hash = strings.Repeat("AB", 32) }},
		{"size", "Size", func(v *Version) { v.Size = -1 }},
		{"media type", "MediaType", func(v *Version) { v.MediaType = "text" }},
		{"comment", "Comment", func(v *Version) { v.Comment = "a\x00b" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := good
			tt.edit(&v)
			var fe *cases.FieldError
			if err := v.Validate(); !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("Validate = %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
}
