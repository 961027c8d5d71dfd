package storagetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// SearchQueries are what BenchSearch times: a rare word, a middling one,
// the commonest, two common words, a phrase and a prefix.
var SearchQueries = []string{"term1999", "estoppel", "motion", "motion dismiss", `"summary judgment"`, "depos*"}

// SearchCorpus fills a firm over s with n documents on 100 cases, through
// the Firm (so each is indexed as a user's would be), whose titles, tags
// and texts (150 to 450 words) draw on a legal vocabulary of 80 words and
// 2,000 rare ones with a skewed spread: some words are in most documents,
// some in few.
func SearchCorpus(tb testing.TB, s storage.Store, n int) (*docket.Firm, context.Context) {
	f, ctx, admin := NewFirm(tb, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	if err != nil {
		tb.Fatal(err)
	}
	var cs []cases.Case
	for i := range 100 {
		c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: fmt.Sprintf("García v. Globex %d", i), Client: client.ID, LeadAttorney: string(admin.ID)})
		if err != nil {
			tb.Fatal(err)
		}
		cs = append(cs, c)
	}
	vocab := strings.Fields(`motion dismiss suppress evidence subpoena deposition witness testimony contract breach damages
		injunction discovery interrogatory privilege waiver settlement agreement complaint answer counterclaim jurisdiction venue
		summary judgment appeal affidavit exhibit transcript hearing trial verdict sentencing plea indictment warrant search seizure
		negligence liability indemnity arbitration mediation fiduciary duty fraud misrepresentation estoppel laches remedy
		custody alimony probate estate trust will guardian easement zoning lease eviction tenant landlord patent trademark copyright`)
	for i := range 2000 {
		vocab = append(vocab, fmt.Sprintf("term%04d", i))
	}
	r := rand.New(rand.NewPCG(7, 9))
	word := func() string { return vocab[int(float64(len(vocab))*r.Float64()*r.Float64()*r.Float64())] }
	start := time.Now()
	for i := range n {
		var body strings.Builder
		for range 150 + r.IntN(300) {
			body.WriteString(word())
			body.WriteByte(' ')
		}
		d := document.Document{Case: cs[r.IntN(len(cs))].ID, Title: word() + " " + word() + " " + word(), Kind: document.Kinds[r.IntN(len(document.Kinds))],
			Tags: []string{word()}}
		if _, _, err := f.Documents.Create(ctx, d, docket.Content{Body: strings.NewReader(body.String()), MediaType: "text/plain"}); err != nil {
			tb.Fatal(err)
		}
		if (i+1)%25000 == 0 {
			tb.Logf("%d documents indexed in %s", i+1, time.Since(start).Round(time.Second))
		}
	}
	return f, ctx
}

// BenchSearch times Firm.Documents.Search, first page of 20, for each of
// SearchQueries, and reports the median and 95th percentile latency and
// the page's hits.
func BenchSearch(b *testing.B, f *docket.Firm, ctx context.Context) {
	for _, q := range SearchQueries {
		b.Run(strings.ReplaceAll(q, `"`, "'"), func(b *testing.B) {
			var times []time.Duration
			hits := 0
			for b.Loop() {
				t0 := time.Now()
				p, err := f.Documents.Search(ctx, q, docket.DocumentFilter{}, &docket.ListOptions{Limit: 20})
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				hits = len(p.Items)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "µs-p50")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds()), "µs-p95")
			b.ReportMetric(float64(hits), "hits")
		})
	}
}
