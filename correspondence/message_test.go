package correspondence_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
)

func valid() correspondence.Message {
	return correspondence.Message{Channel: correspondence.Call, Direction: correspondence.Outbound,
		At: time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC), Subject: "Settlement offer",
		Participants: []correspondence.Participant{{Role: correspondence.From, User: "ann"}, {Role: correspondence.To, Name: "Bob Client", Address: "+1 555 0100"}}}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m *correspondence.Message)
		field string
	}{
		{"valid", func(m *correspondence.Message) {}, ""},
		{"channel", func(m *correspondence.Message) { m.Channel = "pigeon" }, "Channel"},
		{"direction", func(m *correspondence.Message) { m.Direction = "" }, "Direction"},
		{"when", func(m *correspondence.Message) { m.At = time.Time{} }, "At"},
		{"nobody", func(m *correspondence.Message) { m.Participants = nil }, "Participants"},
		{"role", func(m *correspondence.Message) { m.Participants[1].Role = "witness" }, "Participants[1].Role"},
		{"blank participant", func(m *correspondence.Message) { m.Participants[1] = correspondence.Participant{Role: "to", Name: " "} }, "Participants[1]"},
		{"subject utf8", func(m *correspondence.Message) { m.Subject = "\xff" }, "Subject"},
		{"nul", func(m *correspondence.Message) { m.Text = "a\x00b" }, "Text"},
		{"long html", func(m *correspondence.Message) { m.HTML = strings.Repeat("x", correspondence.MaxBody+1) }, "HTML"},
		{"hash", func(m *correspondence.Message) {
			m.Attachments = []correspondence.Attachment{{Name: "a.pdf", MediaType: "application/pdf", Hash: "abc"}}
		}, "Attachments[0].Hash"},
		{"amend without reason", func(m *correspondence.Message) { m.Amends = "m1" }, "Reason"},
		{"reference", func(m *correspondence.Message) { m.References = []string{"ok", "\xfe"} }, "References[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(&m)
			err := m.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *cases.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, cases.ErrInvalid) {
				t.Fatalf("err = %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
}

func TestContacts(t *testing.T) {
	m := valid()
	m.Participants = append(m.Participants, correspondence.Participant{Role: "cc", Contact: "c1"}, correspondence.Participant{Role: "bcc", Contact: "c1"}, correspondence.Participant{Role: "to", Contact: "c2"})
	if diff := cmp.Diff([]cases.ContactID{"c1", "c2"}, m.Contacts()); diff != "" {
		t.Error(diff)
	}
	m.Attachments = []correspondence.Attachment{{Hash: "h1"}, {Hash: "h2"}}
	m.Source = "h3"
	if diff := cmp.Diff([]string{"h1", "h2", "h3"}, m.Content()); diff != "" {
		t.Error(diff)
	}
}

func TestFiling(t *testing.T) {
	if diff := cmp.Diff([]string{"2026-CR-0001", "b"}, correspondence.SubjectReferences("Re: [2026-CR-0001] Fwd: [b] [2026-CR-0001] [] [ x]")); diff != "" {
		t.Error(diff)
	}
	f := correspondence.FilingAddress("cases+{ref}@Firm.example")
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{"cases+2026-cr-0001@firm.example": "2026-cr-0001", "CASES+X@FIRM.EXAMPLE": "x", "cases+@firm.example": "", "other@firm.example": "", "cases+a b@firm.example": ""} {
		got, ok := f.Reference(addr)
		if got != want || ok != (want != "") {
			t.Errorf("Reference(%q) = %q, %v; want %q", addr, got, ok, want)
		}
	}
	if got := f.Address("2026-CR-0001"); got != "cases+2026-cr-0001@firm.example" {
		t.Error(got)
	}
	for _, bad := range []correspondence.FilingAddress{"cases@firm.example", "{ref}", "a{ref}{ref}@x", "a@{ref}.x"} {
		if err := bad.Validate(); !errors.Is(err, cases.ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
