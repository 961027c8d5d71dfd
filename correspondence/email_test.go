package correspondence_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/correspondence"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// interopDir holds email written by others (../shared, outside the
// repository).
const interopDir = "../../shared/testdata/interop/email"

// interopFiles returns the interop emails, or skips the test saying why.
func interopFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(interopDir, "*.eml"))
	if len(files) == 0 {
		t.Skipf("no interop email in %s (the shared test data is outside the repository; CI has it)", interopDir)
	}
	return files
}

// summary is what a golden file records of one parsed email.
func summary(m *correspondence.Mail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  message-id: %q\n  subject: %q\n  date: %s\n", m.MessageID, m.Subject, m.Date.Format("2006-01-02T15:04:05Z"))
	if len(m.InReplyTo)+len(m.References) > 0 {
		fmt.Fprintf(&b, "  in-reply-to: %q\n  references: %q\n", m.InReplyTo, m.References)
	}
	for _, p := range m.Participants {
		fmt.Fprintf(&b, "  %s: %q <%s>\n", p.Role, p.Name, p.Address)
	}
	fmt.Fprintf(&b, "  text: %d bytes %q\n  html: %d bytes\n", len(m.Text), clip(m.Text), len(m.HTML))
	for _, p := range m.Parts {
		fmt.Fprintf(&b, "  part: %q %s %d bytes inline=%v cid=%q\n", p.Name, p.MediaType, len(p.Data), p.Inline, p.ContentID)
	}
	for _, p := range m.Problems {
		fmt.Fprintf(&b, "  problem: %s\n", p)
	}
	return b.String()
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "") + "..."
	}
	return s
}

// TestInterop reads every interop email: each gives a result or a
// *ParseError naming the problem, as the golden file records.
func TestInterop(t *testing.T) {
	var out strings.Builder
	for _, f := range interopFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%s\n", filepath.Base(f))
		m, err := correspondence.ParseMail(bytes.NewReader(raw))
		if err != nil {
			var pe *correspondence.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, correspondence.ErrNotEmail) || pe.Problem == "" {
				t.Errorf("%s: %v is not a *ParseError naming the problem", f, err)
			}
			fmt.Fprintf(&out, "  error: %v\n", err)
			continue
		}
		checkClean(t, filepath.Base(f), m)
		out.WriteString(summary(m))
	}
	golden(t, "testdata/interop.golden", out.String())
}

// checkClean checks that everything parsed is valid UTF-8 without NULs,
// and that the message it gives validates once the recorder's fields are
// set.
func checkClean(t *testing.T, name string, m *correspondence.Mail) {
	t.Helper()
	strs := []string{m.MessageID, m.Subject, m.Text, m.HTML}
	strs = append(append(strs, m.InReplyTo...), m.References...)
	for _, p := range m.Participants {
		strs = append(strs, p.Name, p.Address)
	}
	for _, p := range m.Parts {
		strs = append(strs, p.Name, p.MediaType, p.ContentID)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Errorf("%s: %q is not clean UTF-8", name, s)
		}
	}
	msg := m.Message()
	msg.Direction = correspondence.Inbound
	if msg.At.IsZero() {
		msg.At = m.Date.AddDate(2000, 0, 0)
	}
	if len(msg.Participants) == 0 {
		msg.Participants = []correspondence.Participant{{Role: correspondence.From, Name: "unknown"}}
	}
	if err := msg.Validate(); err != nil {
		t.Errorf("%s: the parsed message does not validate: %v", name, err)
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

func TestParseMail(t *testing.T) {
	tests := []struct {
		name, raw string
		check     func(t *testing.T, m *correspondence.Mail)
		err       string
	}{
		{name: "empty", raw: "", err: "the file is empty"},
		{name: "no header", raw: "hello there\nhow are you\n", err: `line 1 is not a header field: "hello there"`},
		{name: "not mail", raw: "X-Foo: 1\n\nbody\n", err: "no mail header"},
		{name: "continuation first", raw: " folded: x\nFrom: a@b\n\nbody", err: "line 1 is a continuation"},
		{name: "threading", raw: "From: Ann <ann@example.com>\r\nTo: bob@example.com, \"Carol C\" <Carol@Example.com>\r\nMessage-ID: <m3@x>\r\nIn-Reply-To: <m2@x>\r\nReferences: <m1@x> <m2@x>\r\nSubject: =?utf-8?q?R=C3=A9union?= [2026-CV-0007]\r\nDate: Mon, 2 Nov 2026 09:30:00 -0500\r\n\r\nHi\r\n",
			check: func(t *testing.T, m *correspondence.Mail) {
				want := &correspondence.Mail{MessageID: "m3@x", InReplyTo: []string{"m2@x"}, References: []string{"m1@x", "m2@x"},
					Subject: "Réunion [2026-CV-0007]", Date: m.Date, Text: "Hi\r\n",
					Participants: []correspondence.Participant{{Role: "from", Name: "Ann", Address: "ann@example.com"}, {Role: "to", Address: "bob@example.com"}, {Role: "to", Name: "Carol C", Address: "carol@example.com"}}}
				if diff := cmp.Diff(want, m); diff != "" {
					t.Error(diff)
				}
				if got := m.Date.Format("2006-01-02 15:04 MST"); got != "2026-11-02 14:30 UTC" {
					t.Errorf("date %s", got)
				}
			}},
		{name: "latin1 body and attachment", raw: "From: a@b\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9\n--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"brief.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0x\n--XX--\n",
			check: func(t *testing.T, m *correspondence.Mail) {
				if m.Text != "Café" && m.Text != "Café\n" {
					t.Errorf("text %q", m.Text)
				}
				if len(m.Parts) != 1 || m.Parts[0].Name != "brief.pdf" || string(m.Parts[0].Data) != "%PDF-1" || m.Parts[0].Inline {
					t.Errorf("parts %+v", m.Parts)
				}
			}},
		{name: "bad date noted", raw: "From: a@b\nDate: yesterday\n\nx", check: func(t *testing.T, m *correspondence.Mail) {
			if !m.Date.IsZero() || len(m.Problems) != 1 || !strings.Contains(m.Problems[0], "Date") {
				t.Errorf("date %v problems %q", m.Date, m.Problems)
			}
		}},
		{name: "nested too deep", raw: "From: a@b\nContent-Type: multipart/mixed; boundary=a\n\n" + strings.Repeat("--a\nContent-Type: multipart/mixed; boundary=a\n\n", 30), check: func(t *testing.T, m *correspondence.Mail) {
			if len(m.Problems) == 0 {
				t.Error("no problem noted")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := correspondence.ParseMail(strings.NewReader(tt.raw))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, correspondence.ErrNotEmail) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkClean(t, tt.name, m)
			tt.check(t, m)
		})
	}
}

// TestKey: the same email taken from two mailboxes is one message; two
// emails that reuse a Message-ID are two; without a Message-ID the bytes
// decide.
func TestKey(t *testing.T) {
	key := func(raw string) string {
		t.Helper()
		m, err := correspondence.ParseMail(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return m.Key([]byte(raw))
	}
	const msg = "From: a@b.test\r\nTo: c@d.test\r\nSubject: Hi\r\nMessage-ID: <m1@b.test>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\n\r\nHello\r\n"
	k := key(msg)
	if !strings.HasPrefix(k, "mid:m1@b.test#") {
		t.Errorf("key %q", k)
	}
	if got := key("Received: from mx2.example.test\r\nDelivered-To: other@d.test\r\n" + msg); got != k {
		t.Errorf("the same email from another mailbox: %q, want %q", got, k)
	}
	if got := key(strings.Replace(msg, "Hello", "Goodbye", 1)); got == k {
		t.Error("a different email reusing the Message-ID has the same key")
	}
	noID := strings.Replace(msg, "Message-ID: <m1@b.test>\r\n", "", 1)
	if got, again := key(noID), key(noID+"\r\n"); !strings.HasPrefix(got, "sha256:") || got == again {
		t.Errorf("without a Message-ID: %q and %q", got, again)
	}
	long := strings.Replace(msg, "m1@b.test", strings.Repeat("x", 2000)+"@b.test", 1)
	m, err := correspondence.ParseMail(strings.NewReader(long))
	if err != nil || m.MessageID != "" || len(m.Problems) == 0 {
		t.Errorf("a 2,000-byte Message-ID: %q, %q, %v", m.MessageID, m.Problems, err)
	}
}

// TestLimits: what is too long for a message is cut and noted, so that
// every email that parses also records.
func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@b.test\r\nSubject: " + strings.Repeat("s", 3000) + "\r\nReferences:")
	for i := range 600 {
		fmt.Fprintf(&b, " <r%d@x>", i)
	}
	b.WriteString("\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n")
	for i := range correspondence.MaxAttachments + 50 {
		fmt.Fprintf(&b, "--z\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=f%d.bin\r\n\r\nx\r\n", i)
	}
	b.WriteString("--z--\r\n")
	m, err := correspondence.ParseMail(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Subject) != correspondence.MaxSubject || len(m.References) != 500 || len(m.Parts) != correspondence.MaxAttachments || len(m.Problems) < 2 {
		t.Errorf("subject %d bytes, %d references, %d parts, problems %q", len(m.Subject), len(m.References), len(m.Parts), m.Problems)
	}
	checkClean(t, "limits", m)
}

func TestParseMailTooLarge(t *testing.T) {
	r := bytes.NewReader(append([]byte("From: a@b\n\n"), make([]byte, correspondence.MaxEmail)...))
	if _, err := correspondence.ParseMail(r); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v", err)
	}
}

// FuzzParseMail is seeded from the interop email: whatever the input,
// ParseMail returns a clean result or a *ParseError, and never panics.
func FuzzParseMail(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(interopDir, "*.eml"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("From: a@b\nContent-Type: multipart/mixed; boundary=a\n\n--a\n\nx\n--a--\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := correspondence.ParseMail(bytes.NewReader(raw))
		if err != nil {
			if !errors.Is(err, correspondence.ErrNotEmail) {
				t.Fatalf("%v is not a ParseError", err)
			}
			return
		}
		checkClean(t, "fuzz", m)
		_ = correspondence.SubjectReferences(m.Subject)
	})
}
