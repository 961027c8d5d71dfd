package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/storage"
)

// Mailbox generates n emails as a firm receives and sends them: 40
// correspondents writing to and from 5 staff on 20 cases, three in ten
// naming their case in the subject, half of them replies within a
// thread, one in four with an HTML part and one in five with an
// attachment of 2 to 60 KB.
func Mailbox(n int, refs []string) [][]byte {
	r := rand.New(rand.NewPCG(3, 5))
	words := strings.Fields(`the motion hearing deposition client exhibit discovery schedule settlement offer witness court filing
		brief draft review deadline agreement counsel opposing invoice retainer evidence subpoena transcript trial date please attached`)
	sentence := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	staff := []string{"alice", "bob", "carl", "dina", "eve"}
	out := make([][]byte, 0, n)
	var ids []string
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := range n {
		at = at.Add(time.Duration(1+r.IntN(20)) * time.Minute)
		corr := fmt.Sprintf("person%02d@example.test", r.IntN(40))
		user := staff[r.IntN(len(staff))] + "@firm.test"
		from, to := corr, user
		if r.IntN(3) == 0 {
			from, to = user, corr
		}
		subject := sentence(3 + r.IntN(5))
		if r.IntN(10) < 3 && len(refs) > 0 {
			subject = "[" + refs[r.IntN(len(refs))] + "] " + subject
		}
		id := fmt.Sprintf("m%06d@mail.example.test", i)
		headers := [][2]string{{"From", from}, {"To", to}, {"Subject", subject}, {"Date", at.Format(time.RFC1123Z)}, {"Message-ID", "<" + id + ">"}}
		if len(ids) > 0 && r.IntN(2) == 0 {
			parent := ids[r.IntN(len(ids))]
			headers = append(headers, [2]string{"In-Reply-To", "<" + parent + ">"}, [2]string{"References", "<" + parent + ">"})
			headers[2][1] = "Re: " + subject
		}
		ids = append(ids, id)
		body := sentence(40 + r.IntN(300))
		var attachments map[string][]byte
		if r.IntN(5) == 0 {
			attachments = map[string][]byte{fmt.Sprintf("exhibit-%d.pdf", i): pattern(2000+r.IntN(58000), byte(i))}
		}
		raw := Email(headers, body, attachments)
		if attachments == nil && r.IntN(4) == 0 {
			raw = htmlEmail(headers, body)
		}
		out = append(out, raw)
	}
	return out
}

// htmlEmail is a multipart/alternative email with text and HTML bodies.
func htmlEmail(headers [][2]string, body string) []byte {
	var b bytes.Buffer
	for _, h := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n")
	fmt.Fprintf(&b, "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
	fmt.Fprintf(&b, "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>%s</p></body></html>\r\n--alt--\r\n", body)
	return b.Bytes()
}

// InteropCorpus reads the interop email, or skips the benchmark saying
// where it should be.
func InteropCorpus(b *testing.B) [][]byte {
	dir := interopEmail()
	if dir == "" {
		b.Skipf("no interop email in %s (the shared test data is outside the repository)", InteropEmail)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

// importFirm is a firm over a new store with 20 cases and staff whose
// addresses the generated mailbox uses.
func importFirm(b *testing.B, s storage.Store) (*docket.Firm, context.Context, []string) {
	f, ctx, admin := NewFirm(b, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Person Zero", Emails: []string{"person00@example.test"}})
	if err != nil {
		b.Fatal(err)
	}
	var refs []string
	for i := range 20 {
		c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: fmt.Sprintf("Zero v. Globex %d", i), Client: client.ID, LeadAttorney: string(admin.ID)})
		if err != nil {
			b.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}
	return f, ctx, refs
}

// BenchImport imports mail into a firm over a new store from newStore
// for each round: the interop corpus, and a generated mailbox of n
// emails. It reports emails per second, and the ratio of the import's
// time to parsing the same emails alone (correspondence.ParseMail) in
// the same run.
func BenchImport(b *testing.B, newStore func(b *testing.B) storage.Store, n int) {
	run := func(b *testing.B, mail func(refs []string) [][]byte) {
		var importTime, parseTime time.Duration
		count := 0
		for b.Loop() {
			b.StopTimer()
			s := newStore(b)
			f, ctx, refs := importFirm(b, s)
			emails := mail(refs)
			b.StartTimer()
			t0 := time.Now()
			for _, raw := range emails {
				if _, err := f.Correspondence.ImportEmail(ctx, bytes.NewReader(raw)); err != nil && !errors.Is(err, correspondence.ErrNotEmail) {
					b.Fatal(err)
				}
			}
			importTime += time.Since(t0)
			t0 = time.Now()
			for _, raw := range emails {
				_, _ = correspondence.ParseMail(bytes.NewReader(raw))
			}
			parseTime += time.Since(t0)
			count += len(emails)
			b.StopTimer()
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(count)/importTime.Seconds(), "emails/s")
		b.ReportMetric(float64(count)/parseTime.Seconds(), "parsed/s")
		b.ReportMetric(importTime.Seconds()/parseTime.Seconds(), "x-parse")
		b.ReportMetric(0, "ns/op")
	}
	b.Run("interop", func(b *testing.B) {
		corpus := InteropCorpus(b)
		run(b, func([]string) [][]byte { return corpus })
	})
	b.Run(fmt.Sprintf("mailbox-%d", n), func(b *testing.B) {
		run(b, func(refs []string) [][]byte { return Mailbox(n, refs) })
	})
}
