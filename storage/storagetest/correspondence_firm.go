package storagetest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// InteropEmail is where the email written by others lives, relative to a
// package directory of the module: outside the repository, in ../shared.
const InteropEmail = "../../../shared/testdata/interop/email"

// interopEmail returns the interop email directory from a storage package
// (storage/<name>), or "" when it is absent.
func interopEmail() string {
	for _, dir := range []string{InteropEmail, "../../shared/testdata/interop/email"} {
		if files, _ := filepath.Glob(filepath.Join(dir, "*.eml")); len(files) > 0 {
			return dir
		}
	}
	return ""
}

// Email builds an RFC 5322 message for tests: headers in order, a text
// body and, for each attachment name, a base64 attachment holding data.
func Email(headers [][2]string, body string, attachments map[string][]byte) []byte {
	var b bytes.Buffer
	for _, h := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	if len(attachments) == 0 {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
		return b.Bytes()
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	fmt.Fprintf(&b, "--b0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range attachments {
			if !yield(n) {
				return
			}
		}
	}) {
		mt := "application/octet-stream"
		if strings.HasSuffix(name, ".txt") {
			mt = "text/plain"
		}
		fmt.Fprintf(&b, "--b0\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=%q\r\nContent-Transfer-Encoding: base64\r\n\r\n", mt, name)
		enc := base64.StdEncoding.EncodeToString(attachments[name])
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--b0--\r\n")
	return b.Bytes()
}

func importEmail(t *testing.T, df *documentFirm, ctx context.Context, raw []byte) docket.ImportResult {
	t.Helper()
	r, err := df.f.Correspondence.ImportEmail(ctx, bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ImportEmail: %v", err)
	}
	return r
}

// testCorrespondenceImport: every interop email imports or fails with an
// error naming the problem, and importing again stores nothing twice;
// email is filed by the case reference in its subject or by a filing
// address, else waits in the unfiled queue until filed; attachments
// become documents on the case; threads follow the headers; the original
// is kept byte for byte; participants are linked to users and contacts.
func testCorrespondenceImport(t *testing.T, s storage.Store, opts *docket.Options) {
	var o docket.Options
	if opts != nil {
		o = *opts
	}
	o.FilingAddress = "cases+{ref}@firm.test"
	df := newDocumentFirm(t, s, &o)
	ctx, f := df.ctx, df.f

	t.Run("Interop", func(t *testing.T) {
		dir := interopEmail()
		if dir == "" {
			t.Skipf("no interop email in %s (the shared test data is outside the repository; CI has it)", InteropEmail)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		var names []string
		for _, f := range files {
			names = append(names, filepath.Base(f))
		}
		rep, err := f.Correspondence.ImportFiles(ctx, os.DirFS(dir), names...)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported+rep.Duplicates+len(rep.Failed) != len(names) || rep.Imported < 30 || len(rep.Failed) > 2 {
			t.Fatalf("%d files: %d imported, %d duplicates, %d failed", len(names), rep.Imported, rep.Duplicates, len(rep.Failed))
		}
		// Files that reuse another's Message-ID with other content are
		// other messages; a duplicate is the same message in another
		// wrapping (a charset label, a multipart kind).
		for name, r := range rep.Results {
			raw, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			mail, err := correspondence.ParseMail(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			m := r.Message
			if m.MessageID != mail.MessageID || m.Subject != mail.Subject || mail.Text != "" && m.Text != mail.Text || m.HTML != mail.HTML || len(m.Attachments) != len(mail.Parts) {
				t.Errorf("%s (duplicate %v) was recorded as %q, %q", name, r.Duplicate, m.MessageID, m.Subject)
			}
		}
		for name, err := range rep.Failed {
			if !errors.Is(err, correspondence.ErrNotEmail) || !strings.Contains(err.Error(), "line") {
				t.Errorf("%s: %v does not name the problem", name, err)
			}
		}
		for name, r := range rep.Results {
			if r.Message.ID == "" || r.Hidden {
				t.Errorf("%s: %+v", name, r)
			}
		}
		again, err := f.Correspondence.ImportFiles(ctx, os.DirFS(dir), names...)
		if err != nil {
			t.Fatal(err)
		}
		if again.Imported != 0 || again.Duplicates != rep.Imported+rep.Duplicates {
			t.Errorf("importing again: %d imported, %d duplicates; want 0 and %d", again.Imported, again.Duplicates, rep.Imported+rep.Duplicates)
		}
		unfiled, err := f.Correspondence.List(ctx, docket.MessageFilter{Unfiled: true}, &docket.ListOptions{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(unfiled.Items) != rep.Imported {
			t.Errorf("%d messages in the unfiled queue, want the %d imported", len(unfiled.Items), rep.Imported)
		}
	})

	client := df.client
	ref := df.c.Reference
	report := []byte("%PDF-1.7 expert report\x00\x01\x02")
	first := Email([][2]string{{"From", "Ada Byron <ADA@example.test>"}, {"To", "Alice Manager <alice@firm.test>"},
		{"Subject", "Re: [" + ref + "] Expert report"}, {"Date", "Mon, 02 Mar 2026 09:00:00 -0500"}, {"Message-ID", "<report-1@example.test>"}},
		"Please find the report attached.", map[string][]byte{"report.pdf": report, "notes.txt": []byte("Expert notes: damages")})

	t.Run("FiledBySubject", func(t *testing.T) {
		r := importEmail(t, df, ctx, first)
		m := r.Message
		if r.Duplicate || r.FiledFrom != "subject" || m.Case != df.c.ID || m.Direction != correspondence.Inbound || m.Thread != "report-1@example.test" {
			t.Fatalf("result %+v", r)
		}
		want := []correspondence.Participant{{Role: "from", Name: "Ada Byron", Address: "ada@example.test", Contact: client.ID},
			{Role: "to", Name: "Alice Manager", Address: "alice@firm.test", User: string(df.alice.ID)}}
		if diff := cmp.Diff(want, m.Participants); diff != "" {
			t.Errorf("participants (-want +got):\n%s", diff)
		}
		if len(m.Attachments) != 2 {
			t.Fatalf("attachments %+v", m.Attachments)
		}
		for _, a := range m.Attachments {
			if a.Document == "" {
				t.Fatalf("attachment %s is no document", a.Name)
			}
			d, err := f.Documents.Get(ctx, document.ID(a.Document))
			if err != nil || d.Case != df.c.ID || d.Title != a.Name || d.Kind != document.Attachment {
				t.Errorf("document of %s: %+v, %v", a.Name, d, err)
			}
			var wantBody []byte
			if a.Name == "report.pdf" {
				wantBody = report
			} else {
				wantBody = []byte("Expert notes: damages")
			}
			if got := contentOf(t, f, ctx, d.ID, 1); got != string(wantBody) {
				t.Errorf("%s content %q", a.Name, got)
			}
		}
		hits, err := f.Documents.Search(ctx, "damages", docket.DocumentFilter{Case: df.c.ID}, nil)
		if err != nil || len(hits.Items) != 1 {
			t.Errorf("an attachment's text is not found by search: %+v, %v", hits.Items, err)
		}
		var orig bytes.Buffer
		if _, err := f.Correspondence.Content(ctx, m.ID, m.Source, &orig); err != nil || !bytes.Equal(orig.Bytes(), first) {
			t.Errorf("the original does not come back byte for byte (%v)", err)
		}
		if r := importEmail(t, df, ctx, first); !r.Duplicate || r.Message.ID != m.ID {
			t.Errorf("the same email again: %+v", r)
		}
		docs, err := f.Documents.List(ctx, docket.DocumentFilter{Case: df.c.ID, Kind: document.Attachment}, nil)
		if err != nil || len(docs.Items) != 2 {
			t.Errorf("%d attachment documents after importing twice, want 2 (%v)", len(docs.Items), err)
		}
	})

	t.Run("Threads", func(t *testing.T) {
		// The second reply arrives before the first: both join the thread
		// of the message they answer.
		reply2 := Email([][2]string{{"From", "alice@firm.test"}, {"To", "ada@example.test"}, {"Subject", "Re: Re: Expert report"},
			{"Date", "Mon, 02 Mar 2026 11:00:00 -0500"}, {"Message-ID", "<report-3@firm.test>"}, {"In-Reply-To", "<report-2@example.test>"},
			{"References", "<report-1@example.test> <report-2@example.test>"}}, "Thanks.", nil)
		reply1 := Email([][2]string{{"From", "ada@example.test"}, {"To", "alice@firm.test"}, {"Subject", "Re: Expert report"},
			{"Date", "Mon, 02 Mar 2026 10:00:00 -0500"}, {"Message-ID", "<report-2@example.test>"}, {"In-Reply-To", "<report-1@example.test>"}}, "One more thing.", nil)
		r2, r1 := importEmail(t, df, ctx, reply2), importEmail(t, df, ctx, reply1)
		if r2.Message.Thread != "report-1@example.test" || r1.Message.Thread != "report-1@example.test" {
			t.Errorf("threads %q and %q", r2.Message.Thread, r1.Message.Thread)
		}
		if r2.Message.Direction != correspondence.Outbound || r2.FiledFrom != "" {
			t.Errorf("reply from the firm: %+v", r2)
		}
		// Search reads subjects and text, HTML turned into text included.
		html := Email([][2]string{{"From", "ada@example.test"}, {"To", "alice@firm.test"}, {"Subject", "[" + ref + "] Photos"},
			{"Message-ID", "<html@example.test>"}, {"Content-Type", "text/html; charset=utf-8"}}, "<p>The <b>warehouse</b> photographs, as promised.</p>", nil)
		html = bytes.Replace(html, []byte("Content-Type: text/plain; charset=utf-8\r\n"), nil, 1)
		if r := importEmail(t, df, ctx, html); !strings.Contains(r.Message.Text, "warehouse photographs") || r.Message.HTML == "" {
			t.Errorf("an HTML-only email's text: %q", r.Message.Text)
		}
		for q, want := range map[string]int{"warehouse": 1, `"expert report"`: 3, "photograph*": 1, "thanks": 1, "nothing-like-it": 0} {
			hits, err := f.Correspondence.Search(ctx, q, docket.MessageFilter{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, nil)
			if err != nil || len(hits.Items) != want {
				t.Errorf("Search(%s): %d hits, want %d (%v)", q, len(hits.Items), want, err)
			}
		}
		if _, err := f.Correspondence.Search(ctx, "  ", docket.MessageFilter{}, nil); !errors.Is(err, docket.ErrInvalid) {
			t.Errorf("an empty query: %v", err)
		}
		thread, err := f.Correspondence.List(ctx, docket.MessageFilter{Thread: "report-1@example.test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range thread.Items {
			subjects = append(subjects, m.Subject)
		}
		if diff := cmp.Diff([]string{"Re: [" + ref + "] Expert report", "Re: Expert report", "Re: Re: Expert report"}, subjects); diff != "" {
			t.Errorf("thread in time order (-want +got):\n%s", diff)
		}
	})

	t.Run("FiledByAddressAndByHand", func(t *testing.T) {
		byAddress := Email([][2]string{{"From", "opposing@globex.test"}, {"To", "alice@firm.test"}, {"Cc", "Cases <cases+" + strings.ToLower(ref) + "@firm.test>"},
			{"Subject", "Deposition dates"}, {"Date", "Tue, 03 Mar 2026 09:00:00 +0000"}, {"Message-ID", "<depo@globex.test>"}}, "Proposed dates.", nil)
		if r := importEmail(t, df, ctx, byAddress); r.FiledFrom != "address" || r.Message.Case != df.c.ID {
			t.Errorf("by address: %+v", r)
		}
		ambiguous := Email([][2]string{{"From", "x@y.test"}, {"To", "alice@firm.test"}, {"Subject", "[" + ref + "] and [NO-SUCH-CASE] and [2026-XX-9999]"},
			{"Message-ID", "<nocase@y.test>"}}, "Hello", map[string][]byte{"scan.bin": {1, 2, 3}})
		r := importEmail(t, df, ctx, ambiguous)
		if r.FiledFrom != "subject" {
			t.Errorf("references to no case are ignored: %+v", r)
		}
		loose := Email([][2]string{{"From", "x@y.test"}, {"To", "alice@firm.test"}, {"Subject", "Question"}, {"Message-ID", "<loose@y.test>"}},
			"Hello", map[string][]byte{"scan.bin": {4, 5, 6}})
		r = importEmail(t, df, ctx, loose)
		if r.FiledFrom != "" || r.Message.Case != "" || r.Message.Attachments[0].Document != "" || len(r.Problems) == 0 {
			t.Fatalf("unfiled: %+v", r)
		}
		if r.Message.At.IsZero() {
			t.Error("an email without a Date has no time")
		}
		fix := r.Message
		fix.Subject = "Question about the deposition"
		amendment, err := f.Correspondence.Amend(ctx, r.Message.ID, fix, "the sender's subject was blank")
		if err != nil || amendment.Case != "" {
			t.Fatalf("amending an unfiled message: %+v, %v", amendment, err)
		}
		filed, err := f.Correspondence.File(access.WithActor(ctx, df.alice), r.Message.ID, df.c.ID, r.Message.Version)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.Correspondence.Get(ctx, amendment.ID); err != nil || got.Case != df.c.ID || got.Attachments[0].Document != filed.Attachments[0].Document {
			t.Errorf("the amendment was not filed with its original: %+v, %v", got, err)
		}
		if filed.Case != df.c.ID || filed.FiledBy != string(df.alice.ID) || filed.Attachments[0].Document == "" {
			t.Errorf("filed: %+v", filed)
		}
		if _, err := f.Correspondence.File(ctx, r.Message.ID, df.c.ID, filed.Version); !errors.Is(err, docket.ErrInvalid) {
			t.Errorf("filing twice: %v", err)
		}
		if _, err := f.Correspondence.File(ctx, r.Message.ID, df.c.ID, r.Message.Version); err == nil {
			t.Error("filing with a stale version")
		}
	})

	t.Run("LongHeaders", func(t *testing.T) {
		// What no message may hold is cut and noted; the batch goes on.
		box := fstest.MapFS{
			"1.eml": {Data: Email([][2]string{{"From", "x@y.test"}, {"Subject", strings.Repeat("long ", 250)}, {"Message-ID", "<long@y.test>"}}, "x", nil)},
			"2.eml": {Data: Email([][2]string{{"From", "x@y.test"}, {"Subject", "short"}, {"Message-ID", "<short@y.test>"}}, "x", nil)},
		}
		rep, err := f.Correspondence.ImportFiles(ctx, box, "1.eml", "2.eml")
		if err != nil || rep.Imported != 2 || len(rep.Results["1.eml"].Message.Subject) != correspondence.MaxSubject || len(rep.Results["1.eml"].Problems) == 0 {
			t.Errorf("%+v, %v", rep, err)
		}
	})

	t.Run("StaffFollowUsers", func(t *testing.T) {
		// Addresses link to the staff as they are now: a user's new email
		// links at once, the old one no more.
		bob, err := f.Users.Get(ctx, df.bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		old := bob.Email
		bob.Email = "Robert.Attorney@Firm.test"
		if bob, err = f.Users.Update(ctx, bob); err != nil {
			t.Fatal(err)
		}
		r := importEmail(t, df, ctx, Email([][2]string{{"From", "Bob <robert.attorney@firm.test>"}, {"To", "Old <" + old + ">"},
			{"Subject", "[" + ref + "] New address"}, {"Message-ID", "<new-address@firm.test>"}}, "x", nil))
		want := []correspondence.Participant{{Role: "from", Name: "Bob", Address: "robert.attorney@firm.test", User: string(df.bob.ID)},
			{Role: "to", Name: "Old", Address: old}}
		if diff := cmp.Diff(want, r.Message.Participants); diff != "" {
			t.Errorf("participants (-want +got):\n%s", diff)
		}
		// Changed by another Firm on the same store (another server), the
		// address links at once too: links are stored for good, so the
		// staff are not trusted for the policy's recheck interval.
		other, err := docket.New(s, &docket.Options{Clock: df.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		bob.Email = "bob.third@firm.test"
		if bob, err = other.Users.Update(ctx, bob); err != nil {
			t.Fatal(err)
		}
		r = importEmail(t, df, ctx, Email([][2]string{{"From", "Bob <bob.third@firm.test>"}, {"To", "Alice <alice@firm.test>"},
			{"Subject", "[" + ref + "] Third address"}, {"Message-ID", "<third-address@firm.test>"}}, "x", nil))
		if got := r.Message.Participants[0]; got.User != string(df.bob.ID) {
			t.Errorf("an address changed by another server: %+v", got)
		}
		bob.Email = old
		if _, err := f.Users.Update(ctx, bob); err != nil {
			t.Fatal(err)
		}
		// A client portal account is no staff, even before it is given its
		// contact: the address stays the client's.
		carla, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Carla Client", Emails: []string{"carla@client.test"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Users.Create(ctx, access.User{Name: "Carla's portal", Email: "carla@client.test", Roles: []access.Role{access.ClientUser}}); err != nil {
			t.Fatal(err)
		}
		r = importEmail(t, df, ctx, Email([][2]string{{"From", "Carla <carla@client.test>"}, {"To", "Alice <alice@firm.test>"},
			{"Subject", "[" + ref + "] From the client"}, {"Message-ID", "<from-carla@client.test>"}}, "x", nil))
		want = []correspondence.Participant{{Role: "from", Name: "Carla", Address: "carla@client.test", Contact: carla.ID},
			{Role: "to", Name: "Alice", Address: "alice@firm.test", User: string(df.alice.ID)}}
		if diff := cmp.Diff(want, r.Message.Participants); diff != "" || r.Message.Direction != correspondence.Inbound {
			t.Errorf("a portal account's address (%s; -want +got):\n%s", r.Message.Direction, diff)
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		n := auditCount(t, s)
		for _, raw := range []string{"", "just some text\nand more", " x: y\n\nbody"} {
			_, err := f.Correspondence.ImportEmail(ctx, strings.NewReader(raw))
			if !errors.Is(err, correspondence.ErrNotEmail) {
				t.Errorf("%q: %v", raw, err)
			}
		}
		if got := auditCount(t, s); got != n {
			t.Errorf("refused input wrote %d audit entries", got-n)
		}
	})
	verifyAudit(t, f, ctx)
}

func verifyAudit(t *testing.T, f *docket.Firm, ctx context.Context) {
	t.Helper()
	res, err := f.Audit.Verify(ctx)
	if err != nil || !res.OK {
		t.Errorf("audit chain: %+v, %v", res, err)
	}
}

// testCorrespondenceRecord: calls, letters and meetings recorded by hand,
// with attachments; a correction is an amendment that leaves the
// original as it was; classification, and a case's timeline.
func testCorrespondenceRecord(t *testing.T, s storage.Store, opts *docket.Options) {
	df := newDocumentFirm(t, s, opts)
	ctx, f := access.WithActor(context.Background(), df.alice), df.f
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	call := correspondence.Message{Case: df.c.ID, Channel: correspondence.Call, Direction: correspondence.Outbound, At: at, Subject: "Settlement offer",
		Text: "Client accepts 40k.", Participants: []correspondence.Participant{{Role: correspondence.From, User: string(df.alice.ID)}, {Role: correspondence.To, Contact: df.client.ID}}}
	m, err := f.Correspondence.Record(ctx, call, docket.AttachmentContent{Name: "call-notes.txt", MediaType: "text/plain", Body: strings.NewReader("offer of forty thousand")})
	if err != nil {
		t.Fatal(err)
	}
	if m.RecordedBy != string(df.alice.ID) || m.Thread != string(m.ID) || len(m.Attachments) != 1 || m.Attachments[0].Document == "" || m.Version != 1 {
		t.Fatalf("recorded %+v", m)
	}
	letter := correspondence.Message{Case: df.c.ID, Channel: correspondence.Letter, Direction: correspondence.Inbound, At: at.Add(-24 * time.Hour), Subject: "Demand letter",
		Participants: []correspondence.Participant{{Role: correspondence.From, Name: "Globex Legal", Address: "1 Globex Plaza"}}}
	l, err := f.Correspondence.Record(ctx, letter)
	if err != nil {
		t.Fatal(err)
	}
	reply := correspondence.Message{Case: df.c.ID, Channel: correspondence.Letter, Direction: correspondence.Outbound, At: at.Add(time.Hour), Subject: "Our reply",
		Participants: []correspondence.Participant{{Role: correspondence.To, Name: "Globex Legal"}}, InReplyTo: []string{string(l.ID)}}
	rep, err := f.Correspondence.Record(ctx, reply)
	if err != nil || rep.Thread != l.Thread {
		t.Fatalf("a reply recorded by hand joins the thread: %+v, %v", rep, err)
	}

	for name, bad := range map[string]correspondence.Message{
		"no channel":      {Case: df.c.ID, Direction: correspondence.Inbound, At: at, Participants: call.Participants},
		"no participants": {Case: df.c.ID, Channel: correspondence.Fax, Direction: correspondence.Inbound, At: at},
		"no time":         {Case: df.c.ID, Channel: correspondence.Fax, Direction: correspondence.Inbound, Participants: call.Participants},
	} {
		if _, err := f.Correspondence.Record(ctx, bad); !errors.Is(err, docket.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}

	amended, err := f.Correspondence.Amend(ctx, m.ID, correspondence.Message{Channel: correspondence.Call, Direction: correspondence.Outbound, At: at,
		Subject: "Settlement offer", Text: "Client accepts 45k.", Participants: call.Participants}, "the amount was misheard")
	if err != nil {
		t.Fatal(err)
	}
	if amended.Amends != m.ID || amended.Thread != m.Thread || amended.Case != m.Case || amended.Reason == "" || amended.Attachments[0].Document != m.Attachments[0].Document {
		t.Errorf("amendment %+v", amended)
	}
	orig, err := f.Correspondence.Get(ctx, m.ID)
	if err != nil || orig.Text != "Client accepts 40k." || orig.Version != 1 {
		t.Errorf("the original changed: %+v, %v", orig, err)
	}
	if _, err := f.Correspondence.Amend(ctx, m.ID, call, ""); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("an amendment without a reason: %v", err)
	}
	amendments, err := f.Correspondence.List(ctx, docket.MessageFilter{Amends: m.ID}, nil)
	if err != nil || len(amendments.Items) != 1 || amendments.Items[0].ID != amended.ID {
		t.Errorf("amendments: %+v, %v", amendments.Items, err)
	}

	// Only an attorney lifts privilege; marking privileged marks the
	// attachments' documents too.
	p, err := f.Correspondence.Classify(ctx, m.ID, m.Version, true, false, "legal advice")
	if err != nil || !p.Privileged {
		t.Fatalf("classify: %+v, %v", p, err)
	}
	d, err := f.Documents.Get(ctx, document.ID(m.Attachments[0].Document))
	if err != nil || !d.Privileged {
		t.Errorf("the attachment's document is not privileged: %+v, %v", d, err)
	}
	if _, err := f.Correspondence.Classify(ctx, m.ID, p.Version, false, false, "not advice"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager lifted privilege: %v", err)
	}
	if _, err := f.Correspondence.Classify(access.WithActor(ctx, df.bob), m.ID, p.Version, false, false, "not advice after all"); err != nil {
		t.Errorf("an attorney lifting privilege: %v", err)
	}

	timeline, err := f.Correspondence.List(ctx, docket.MessageFilter{Case: df.c.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, x := range timeline.Items {
		subjects = append(subjects, x.Subject)
	}
	if diff := cmp.Diff([]string{"Demand letter", "Settlement offer", "Settlement offer", "Our reply"}, subjects); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	calls, err := f.Correspondence.List(ctx, docket.MessageFilter{Case: df.c.ID, Channel: correspondence.Letter, From: at.Add(-time.Hour)}, nil)
	if err != nil || len(calls.Items) != 1 || calls.Items[0].ID != rep.ID {
		t.Errorf("letters after the call: %+v, %v", calls.Items, err)
	}
	verifyAudit(t, f, df.ctx)
}

// testCorrespondenceAccess: privileged messages show to attorneys and the
// case team only; the portal sees what is neither privileged,
// confidential nor internal; walls hide a case's correspondence and a
// walled client's mail; the unfiled queue is for those who file; a
// client's history spans their cases, meetings and intakes.
func testCorrespondenceAccess(t *testing.T, s storage.Store, opts *docket.Options) {
	df := newDocumentFirm(t, s, opts)
	ctx, f := df.ctx, df.f
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	rec := func(privileged, confidential bool, dir correspondence.Direction, subject string) correspondence.Message {
		t.Helper()
		m, err := f.Correspondence.Record(access.WithActor(ctx, df.alice), correspondence.Message{Case: df.c.ID, Channel: correspondence.Email, Direction: dir,
			At: at, Subject: subject, Privileged: privileged, Confidential: confidential,
			Participants: []correspondence.Participant{{Role: correspondence.From, Contact: df.client.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Minute)
		return m
	}
	plain := rec(false, false, correspondence.Inbound, "plain")
	privileged := rec(true, false, correspondence.Inbound, "privileged")
	confidential := rec(false, true, correspondence.Inbound, "confidential")
	internal := rec(false, false, correspondence.Internal, "internal")
	secretary, err := f.Users.Create(ctx, access.User{Name: "Sue Secretary", Email: "sue@firm.test", Roles: []access.Role{access.LegalSecretary}})
	if err != nil {
		t.Fatal(err)
	}
	subjects := func(u access.User, filter docket.MessageFilter) []string {
		t.Helper()
		p, err := f.Correspondence.List(access.WithActor(ctx, u), filter, nil)
		if err != nil {
			t.Fatalf("%s: %v", u.Name, err)
		}
		var out []string
		for _, m := range p.Items {
			out = append(out, m.Subject)
		}
		return out
	}
	all := []string{"plain", "privileged", "confidential", "internal"}
	for _, tc := range []struct {
		u    access.User
		want []string
	}{
		{df.alice, all}, // the case manager, on the team
		{df.bob, all},   // an attorney off the team: granted document.privileged
		{df.carl, []string{"plain", "confidential", "internal"}}, // a case manager off the team
		{secretary, []string{"plain", "confidential", "internal"}},
		{df.maria, []string{"plain"}}, // the client's portal account
	} {
		if diff := cmp.Diff(tc.want, subjects(tc.u, docket.MessageFilter{Case: df.c.ID})); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.u.Name, diff)
		}
	}
	for _, m := range []correspondence.Message{privileged, confidential, internal} {
		if _, err := f.Correspondence.Get(access.WithActor(ctx, df.maria), m.ID); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("the portal read %q: %v", m.Subject, err)
		}
	}
	if _, err := f.Correspondence.Get(access.WithActor(ctx, df.carl), privileged.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager off the team read a privileged message: %v", err)
	}
	if _, err := f.Correspondence.Get(access.WithActor(ctx, df.maria), plain.ID); err != nil {
		t.Errorf("the portal reading its own correspondence: %v", err)
	}

	// A correction never discloses more than the original.
	amended, err := f.Correspondence.Amend(access.WithActor(ctx, df.alice), privileged.ID, correspondence.Message{Channel: correspondence.Email,
		Direction: correspondence.Inbound, At: privileged.At, Subject: "privileged, corrected", Participants: privileged.Participants}, "typo")
	if err != nil || !amended.Privileged {
		t.Errorf("an amendment lifted privilege: %+v, %v", amended, err)
	}
	if _, err := f.Correspondence.Get(access.WithActor(ctx, df.carl), amended.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager off the team read a privileged message's amendment: %v", err)
	}

	// An import names no case its importer may not file on: a restricted
	// case carl is off is neither filed on nor told apart.
	secret, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Byron v. Initech", Client: df.client.ID, Restricted: true, LeadAttorney: string(df.admin.ID)})
	if err != nil {
		t.Fatal(err)
	}
	probe := importEmail(t, df, access.WithActor(ctx, df.carl), Email([][2]string{{"From", "x@probe.test"}, {"To", "carl@firm.test"},
		{"Subject", "[" + secret.Reference + "] [" + df.c.Reference + "] probe"}, {"Message-ID", "<probe@probe.test>"}, {"Date", "Mon, 02 Mar 2026 13:00:00 +0000"}}, "x", nil))
	if probe.Message.Case != df.c.ID || probe.FiledFrom != "subject" || len(probe.Problems) != 0 {
		t.Errorf("carl's import with a reference to a restricted case: %+v", probe)
	}

	// The unfiled queue: an email from a contact carl is walled from.
	rival, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Rita Rival", Emails: []string{"rita@rival.test"}})
	if err != nil {
		t.Fatal(err)
	}
	r := importEmail(t, df, ctx, Email([][2]string{{"From", "rita@rival.test"}, {"To", "carl@firm.test"}, {"Subject", "Hello"},
		{"Message-ID", "<rival@rival.test>"}, {"Date", "Tue, 03 Mar 2026 09:00:00 +0000"}}, "Hi", nil))
	if r.Message.Participants[0].Contact != rival.ID {
		t.Fatalf("not linked to the contact: %+v", r.Message.Participants)
	}
	if got := subjects(df.carl, docket.MessageFilter{Unfiled: true}); len(got) != 1 {
		t.Errorf("carl's unfiled queue: %q", got)
	}
	if _, err := f.Correspondence.List(access.WithActor(ctx, secretary), docket.MessageFilter{Unfiled: true}, nil); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a legal secretary read the unfiled queue: %v", err)
	}
	if got := subjects(secretary, docket.MessageFilter{}); slices.Contains(got, "Hello") {
		t.Errorf("a legal secretary's list shows unfiled mail: %q", got)
	}
	// Nor does the audit log, or the feed, show the unfiled queue to
	// those who do not file.
	auditor, err := f.Users.Create(ctx, access.User{Name: "Al Auditor", Email: "al@firm.test", Roles: []access.Role{access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	actx := access.WithActor(ctx, auditor)
	entries, err := f.Audit.List(actx, docket.AuditFilter{ResourceID: string(r.Message.ID)}, nil)
	if err != nil || len(entries.Items) != 0 {
		t.Errorf("an auditor reads %d entries about an unfiled message (%v)", len(entries.Items), err)
	}
	feed, err := f.Feed.Read(actx, "export", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range feed.Entries {
		if e.ResourceID == string(r.Message.ID) {
			t.Errorf("the feed gives an auditor entry %d about an unfiled message", e.Seq)
		}
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{df.carl.ID}, Cases: []string{string(df.c.ID)}, Clients: []string{string(rival.ID)},
		Reason: "lateral hire from Rival LLP", ApprovedBy: df.admin.ID}); err != nil {
		t.Fatal(err)
	}
	if got := subjects(df.carl, docket.MessageFilter{}); len(got) != 0 {
		t.Errorf("walled, carl still sees %q", got)
	}
	for _, id := range []correspondence.ID{plain.ID, r.Message.ID} {
		if _, err := f.Correspondence.Get(access.WithActor(ctx, df.carl), id); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("walled, carl read %s: %v", id, err)
		}
	}
	entries, err = f.Audit.List(access.WithActor(ctx, df.carl), docket.AuditFilter{ResourceType: storage.KindMessage}, nil)
	if err != nil {
		if !errors.Is(err, docket.ErrForbidden) {
			t.Fatal(err)
		}
	} else if len(entries.Items) != 0 {
		t.Errorf("walled, carl reads %d audit entries about messages", len(entries.Items))
	}

	// A client's history: their messages, meetings and intakes.
	if _, err := f.Intake.RecordMeeting(ctx, cases.Meeting{Contact: df.client.ID, Case: df.c.ID, At: at.Add(time.Hour), Minutes: 30, Attendees: []string{"Ada Byron", "Alice Manager"}, Notes: "Strategy"}); err != nil {
		t.Fatal(err)
	}
	h, err := f.Correspondence.History(access.WithActor(ctx, df.alice), df.client.ID, docket.HistoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, it := range h.Items {
		switch {
		case it.Message != nil:
			kinds = append(kinds, "message:"+it.Message.Subject)
		case it.Meeting != nil:
			kinds = append(kinds, "meeting")
		case it.Intake != nil:
			kinds = append(kinds, "intake")
		}
	}
	if diff := cmp.Diff([]string{"message:[" + secret.Reference + "] [" + df.c.Reference + "] probe", "message:plain", "message:privileged", "message:privileged, corrected",
		"message:confidential", "message:internal", "meeting"}, kinds); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if _, err := f.Correspondence.History(access.WithActor(ctx, df.carl), rival.ID, docket.HistoryFilter{}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a walled client's history: %v", err)
	}
}

// testCorrespondenceRetention: a hold keeps messages from the retention
// purge; released, they go, with the content nothing else refers to.
func testCorrespondenceRetention(t *testing.T, s storage.Store, opts *docket.Options) {
	var o docket.Options
	if opts != nil {
		o = *opts
	}
	o.CorrespondenceRetention = 30 * 24 * time.Hour
	df := newDocumentFirm(t, s, &o)
	ctx, f := df.ctx, df.f
	old := importEmail(t, df, ctx, Email([][2]string{{"From", "ada@example.test"}, {"To", "alice@firm.test"}, {"Subject", "[" + df.c.Reference + "] Old"},
		{"Message-ID", "<old@example.test>"}, {"Date", "Mon, 02 Feb 2026 09:00:00 +0000"}}, "old", map[string][]byte{"old.bin": {9, 9, 9}})).Message
	unfiled := importEmail(t, df, ctx, Email([][2]string{{"From", "x@example.test"}, {"To", "alice@firm.test"}, {"Subject", "Old, unfiled"},
		{"Message-ID", "<old2@example.test>"}, {"Date", "Mon, 02 Feb 2026 09:00:00 +0000"}}, "old", nil)).Message
	// The period runs from when a message was recorded, whatever date an
	// email claims: an old email imported today is kept 30 days.
	df.clock.Advance(31 * 24 * time.Hour)
	recent := importEmail(t, df, ctx, Email([][2]string{{"From", "ada@example.test"}, {"To", "alice@firm.test"}, {"Subject", "[" + df.c.Reference + "] Archive"},
		{"Message-ID", "<archive@example.test>"}, {"Date", "Mon, 02 Feb 2015 09:00:00 +0000"}}, "archived", nil)).Message
	hold, err := f.Documents.PlaceHold(ctx, document.Hold{Case: df.c.ID, Matter: "Byron v. Globex", Reason: "litigation pending"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.Correspondence.ApplyRetention(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(docket.CorrespondenceRetentionReport{PurgedCount: 1, HeldCount: 1, Purged: []correspondence.ID{unfiled.ID}, Held: []correspondence.ID{old.ID}, BlobsDeleted: 1}, rep); diff != "" {
		t.Errorf("under hold (-want +got):\n%s", diff)
	}
	if _, err := f.Documents.ReleaseHold(ctx, hold.ID, hold.Version, "settled"); err != nil {
		t.Fatal(err)
	}
	if rep, err = f.Correspondence.ApplyRetention(ctx); err != nil {
		t.Fatal(err)
	}
	if rep.PurgedCount != 1 || rep.HeldCount != 0 || !slices.Equal(rep.Purged, []correspondence.ID{old.ID}) {
		t.Errorf("released: %+v", rep)
	}
	// The attachment's document stays, and so does its content.
	if got := contentOf(t, f, ctx, document.ID(old.Attachments[0].Document), 1); got != "\t\t\t" {
		t.Errorf("the attachment's document lost its content: %q", got)
	}
	if _, err := f.Correspondence.Get(ctx, old.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a purged message: %v", err)
	}
	if _, err := f.Correspondence.Get(ctx, recent.ID); err != nil {
		t.Errorf("a recent message: %v", err)
	}
	verifyAudit(t, f, ctx)
}

// failingStore fails the failAt-th message creation in a transaction,
// after everything before it in that transaction was written.
type failingStore struct {
	storage.Store
	creates, failAt int
}

func (s *failingStore) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.Update(ctx, func(tx storage.Tx) error { return fn(failingTx{tx, s}) })
}

type failingTx struct {
	storage.Tx
	s *failingStore
}

func (tx failingTx) Messages() storage.Messages { return failingMessages{tx.Tx.Messages(), tx.s} }

type failingMessages struct {
	storage.Messages
	s *failingStore
}

// errInjected is the failure injected into an import.
var errInjected = errors.New("injected failure: the disk filled up")

func (m failingMessages) Create(ctx context.Context, msg correspondence.Message) error {
	if m.s.creates++; m.s.creates == m.s.failAt {
		return errInjected
	}
	return m.Messages.Create(ctx, msg)
}

// testCorrespondenceInterrupted: an import that fails midway leaves each
// email recorded whole, with its attachments, or not at all; running it
// again completes it without duplicates.
func testCorrespondenceInterrupted(t *testing.T, s storage.Store, opts *docket.Options) {
	var o docket.Options
	if opts != nil {
		o = *opts
	}
	df := newDocumentFirm(t, s, &o)
	ctx := df.ctx
	mailbox := fstest.MapFS{}
	var names []string
	for i := range 10 {
		name := fmt.Sprintf("%02d.eml", i)
		names = append(names, name)
		mailbox[name] = &fstest.MapFile{Data: Email([][2]string{{"From", "ada@example.test"}, {"To", "alice@firm.test"},
			{"Subject", fmt.Sprintf("[%s] Exhibit %d", df.c.Reference, i)}, {"Message-ID", fmt.Sprintf("<exhibit-%d@example.test>", i)},
			{"Date", "Mon, 02 Mar 2026 09:00:00 +0000"}}, "See attached.",
			map[string][]byte{fmt.Sprintf("exhibit-%d.bin", i): pattern(3000+i, byte(i)), "cover.txt": []byte(fmt.Sprintf("cover %d", i))})}
	}
	broken := &failingStore{Store: s, failAt: 6}
	o.Clock = df.clock.Now
	bf, err := docket.New(broken, &o)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bf.Correspondence.ImportFiles(ctx, mailbox, names...)
	if !errors.Is(err, errInjected) || rep.Imported != 5 {
		t.Fatalf("interrupted: %d imported, %v", rep.Imported, err)
	}
	count := func() (msgs, docs int) {
		t.Helper()
		ms, err := df.f.Correspondence.List(ctx, docket.MessageFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := df.f.Documents.List(ctx, docket.DocumentFilter{Kind: document.Attachment}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms.Items {
			for _, a := range m.Attachments {
				if a.Document == "" {
					t.Errorf("message %s: attachment %s is no document", m.Subject, a.Name)
				}
			}
		}
		return len(ms.Items), len(ds.Items)
	}
	if m, d := count(); m != 5 || d != 10 {
		t.Errorf("after the failure: %d messages and %d attachment documents, want 5 and 10", m, d)
	}
	rep, err = df.f.Correspondence.ImportFiles(ctx, mailbox, names...)
	if err != nil || rep.Imported != 5 || rep.Duplicates != 5 {
		t.Fatalf("resumed: %+v, %v", rep, err)
	}
	if m, d := count(); m != 10 || d != 20 {
		t.Errorf("after resuming: %d messages and %d attachment documents, want 10 and 20", m, d)
	}
	verifyAudit(t, df.f, ctx)
}

// testFeed: the change feed delivers every change in commit order from a
// durable cursor, at least once, and only what the consumer may read.
func testFeed(t *testing.T, s storage.Store, opts *docket.Options) {
	df := newDocumentFirm(t, s, opts)
	ctx, f := df.ctx, df.f
	const consumer = "crm-sync"
	start, err := f.Feed.Read(ctx, consumer, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if start.After != 0 || len(start.Entries) == 0 {
		t.Fatalf("a new consumer starts at the beginning: %+v", start.After)
	}
	for i, e := range start.Entries {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d: the feed has a gap", i, e.Seq)
		}
	}
	if err := f.Feed.Ack(ctx, consumer, start.Last()); err != nil {
		t.Fatal(err)
	}
	m, err := f.Correspondence.Record(access.WithActor(ctx, df.alice), correspondence.Message{Case: df.c.ID, Channel: correspondence.Call, Direction: correspondence.Inbound,
		At: df.clock.Now(), Subject: "Client called", Participants: []correspondence.Participant{{Role: correspondence.From, Contact: df.client.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Feed.Read(ctx, consumer, 10)
	if err != nil {
		t.Fatal(err)
	}
	if b.After != start.Last() || len(b.Entries) != 1 || b.Entries[0].Action != "message.record" || b.Entries[0].ResourceID != string(m.ID) {
		t.Fatalf("after the call: %+v", b)
	}
	// Unacknowledged, it comes again.
	if again, _ := f.Feed.Read(ctx, consumer, 10); len(again.Entries) != 1 || again.Entries[0].Seq != b.Entries[0].Seq {
		t.Errorf("an unacknowledged entry was not delivered again: %+v", again)
	}
	// A handler that fails on the second of three changes: the first is
	// acknowledged, the second and third come again.
	for i := range 3 {
		if _, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: fmt.Sprintf("Witness %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	failOn := b.Entries[0].Seq + 2
	c := &docket.FeedConsumer{Feed: f.Feed, Name: consumer, Batch: 2}
	n, err := c.Run(ctx, func(_ context.Context, e audit.Entry) error {
		if e.Seq == failOn {
			return errors.New("CRM unreachable")
		}
		seen = append(seen, e.Seq)
		return nil
	})
	if err == nil || n != 2 {
		t.Fatalf("a failing handler: %d delivered, %v", n, err)
	}
	if cur, err := f.Feed.Cursor(ctx, consumer); err != nil || cur != failOn-1 {
		t.Errorf("cursor %d, %v; want %d", cur, err, failOn-1)
	}
	n, err = c.Run(ctx, func(_ context.Context, e audit.Entry) error { seen = append(seen, e.Seq); return nil })
	if err != nil || n != 2 {
		t.Fatalf("resumed: %d, %v", n, err)
	}
	base := b.Entries[0].Seq
	if diff := cmp.Diff([]int64{base, base + 1, base + 2, base + 3}, seen); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	// The cursor never moves back, nor past the log.
	if err := f.Feed.Ack(ctx, consumer, 1); err != nil {
		t.Errorf("an older acknowledgement: %v", err)
	}
	if cur, _ := f.Feed.Cursor(ctx, consumer); cur != base+3 {
		t.Errorf("the cursor moved back to %d", cur)
	}
	if err := f.Feed.Ack(ctx, consumer, base+100); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("acknowledging past the log: %v", err)
	}
	if err := f.Feed.Ack(ctx, "bad name", 1); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("a bad consumer name: %v", err)
	}
	// A consumer reading as a walled user gets nothing of the case.
	auditor, err := f.Users.Create(ctx, access.User{Name: "Al Auditor", Email: "al@firm.test", Roles: []access.Role{access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{auditor.ID}, Cases: []string{string(df.c.ID)}, Reason: "conflict", ApprovedBy: df.admin.ID}); err != nil {
		t.Fatal(err)
	}
	all, err := f.Feed.Read(access.WithActor(ctx, auditor), "audit-export", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all.Entries {
		if e.CaseID == string(df.c.ID) || e.ResourceID == string(m.ID) {
			t.Errorf("a walled consumer got entry %d (%s)", e.Seq, e.Action)
		}
	}
	if len(all.Entries) == 0 {
		t.Error("a walled consumer got nothing at all")
	}
}
