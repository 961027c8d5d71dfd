package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kljensen/snowball/english"

	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// The memory store's search index: each document's title, tags and text
// as stemmed words with their positions, and postings from each stem to
// the documents that hold it, ranked as the SQLite store ranks.

// Fields of a search entry, with their weights.
const (
	fieldTitle = iota
	fieldTags
	fieldBody
	nFields
)

var fieldWeights = [nFields]float64{4, 2, 1}

// typicalLength is each field's length, in words, that a hit's field is
// measured against (the SQLite store's figures).
var typicalLength = [nFields]float64{8, 3, 500}

// entry is one document's indexed words per field: words[i] is the word
// at position i, stems[i] its stem.
type entry struct {
	words, stems [nFields][]string
	body         string
}

// textIndex is the whole index.
type textIndex struct {
	entries  map[document.ID]*entry
	postings map[string]map[document.ID]bool // stem -> documents
}

func newTextIndex() *textIndex {
	return &textIndex{entries: map[document.ID]*entry{}, postings: map[string]map[document.ID]bool{}}
}

func stem(w string) string { return english.Stem(w, true) }

func newEntry(d *document.Document, body string) *entry {
	e := &entry{body: body}
	for f, text := range [nFields]string{d.Title, strings.Join(d.Tags, " "), body} {
		e.words[f] = document.Words(text)
		e.stems[f] = make([]string, len(e.words[f]))
		for i, w := range e.words[f] {
			e.stems[f][i] = stem(w)
		}
	}
	return e
}

// put replaces a document's entry (nil removes it) and returns the one
// it replaced.
func (x *textIndex) put(id document.ID, e *entry) *entry {
	old := x.entries[id]
	if old != nil {
		for f := range nFields {
			for _, s := range old.stems[f] {
				delete(x.postings[s], id)
				if len(x.postings[s]) == 0 {
					delete(x.postings, s)
				}
			}
		}
		delete(x.entries, id)
	}
	if e != nil {
		x.entries[id] = e
		for f := range nFields {
			for _, s := range e.stems[f] {
				if x.postings[s] == nil {
					x.postings[s] = map[document.ID]bool{}
				}
				x.postings[s][id] = true
			}
		}
	}
	return old
}

// index sets a document's entry in tx, undone if tx fails. A nil body
// keeps the stored text.
func (tx *txn) index(d *document.Document, body *string) {
	x := tx.s.search
	if old := x.entries[d.ID]; body == nil && old != nil &&
		slices.Equal(old.words[fieldTitle], document.Words(d.Title)) && slices.Equal(old.words[fieldTags], document.Words(strings.Join(d.Tags, " "))) {
		return
	}
	text := ""
	if body != nil {
		text = *body
	} else if old := x.entries[d.ID]; old != nil {
		text = old.body
	}
	old := x.put(d.ID, newEntry(d, text))
	tx.undo = append(tx.undo, func() { x.put(d.ID, old) })
}

// unindex removes a document's entry in tx.
func (tx *txn) unindex(id document.ID) {
	x := tx.s.search
	if old := x.put(id, nil); old != nil {
		tx.undo = append(tx.undo, func() { x.put(id, old) })
	}
}

func (r documents) SetText(ctx context.Context, id document.ID, text string) error {
	return r.tx.do(ctx, func() error {
		d, ok := r.tx.s.documents.peek(string(id))
		if !ok {
			return fmt.Errorf("document %s: %w", id, storage.ErrNotFound)
		}
		text = document.SearchText(text)
		r.tx.index(d, &text)
		return nil
	})
}

// matches returns how often the term occurs in each field of e.
func (t *queryTerm) matches(e *entry) (tf [nFields]int) {
	for f := range nFields {
		stems, words := e.stems[f], e.words[f]
		for i := 0; i+len(t.stems) <= len(stems); i++ {
			ok := true
			for j, s := range t.stems {
				last := j == len(t.stems)-1
				if last && t.prefix {
					ok = strings.HasPrefix(words[i+j], t.words[j])
				} else {
					ok = stems[i+j] == s
				}
				if !ok {
					break
				}
			}
			if ok {
				tf[f]++
			}
		}
	}
	return tf
}

// queryTerm is a document.Term with its words stemmed.
type queryTerm struct {
	words, stems []string
	prefix       bool
}

// queryTerms stems a query's words.
func queryTerms(q document.Query) []queryTerm {
	terms := make([]queryTerm, len(q.Terms))
	for i, t := range q.Terms {
		terms[i] = queryTerm{words: t.Words, prefix: t.Prefix}
		for _, w := range t.Words {
			terms[i].stems = append(terms[i].stems, stem(w))
		}
	}
	return terms
}

func (r documents) Search(ctx context.Context, q document.Query, f storage.DocumentFilter, p storage.Page) ([]storage.SearchHit, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	offset, err := storage.SearchOffset(p)
	if err != nil {
		return nil, "", err
	}
	s := r.tx.s
	x := s.search
	terms := queryTerms(q)
	// Candidates: the documents holding the first word of the rarest
	// term that is not a prefix of one word.
	var candidates map[document.ID]bool
	for _, t := range terms {
		if t.prefix && len(t.words) == 1 {
			continue
		}
		if c := x.postings[t.stems[0]]; candidates == nil || len(c) < len(candidates) {
			candidates = c
			if candidates == nil {
				candidates = map[document.ID]bool{}
			}
		}
	}
	ids := make([]document.ID, 0, len(x.entries))
	if candidates != nil {
		for id := range candidates {
			ids = append(ids, id)
		}
	} else {
		for id := range x.entries {
			ids = append(ids, id)
		}
	}
	keep := s.documentFilter(f)
	type found struct {
		id document.ID
		tf [][nFields]int
	}
	var hits []found
	for _, id := range ids {
		d, ok := s.documents.peek(string(id))
		if !ok || !keep(d) {
			continue
		}
		e := x.entries[id]
		tfs := make([][nFields]int, len(terms))
		all := true
		for i := range terms {
			tfs[i] = terms[i].matches(e)
			if tfs[i] == [nFields]int{} {
				all = false
				break
			}
		}
		if all {
			hits = append(hits, found{id, tfs})
		}
	}
	// Scores use the hit and the query alone, as the SQLite store's do
	// (see storage/sqlite's rank): no statistics over documents the reader
	// may not see.
	type ranked struct {
		id    document.ID
		score float64
	}
	scored := make([]ranked, 0, len(hits))
	for _, h := range hits {
		e := x.entries[h.id]
		score := 0.0
		for i := range terms {
			for fl := range nFields {
				tf := float64(h.tf[i][fl])
				if tf == 0 {
					continue
				}
				score += fieldWeights[fl] * tf * 2.2 / (tf + 1.2*(0.25+0.75*float64(len(e.stems[fl]))/typicalLength[fl]))
			}
		}
		scored = append(scored, ranked{h.id, score})
	}
	slices.SortFunc(scored, func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	if offset >= len(scored) {
		return nil, "", nil
	}
	scored = scored[offset:]
	next := ""
	if len(scored) > p.Size() {
		scored, next = scored[:p.Size()], strconv.Itoa(offset+p.Size())
	}
	// Only the page's documents are copied out.
	out := make([]storage.SearchHit, len(scored))
	for i, r := range scored {
		d, err := s.documents.get(string(r.id))
		if err != nil {
			return nil, "", err
		}
		out[i] = storage.SearchHit{Document: d, Score: r.score}
	}
	return out, next, nil
}
