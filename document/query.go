package document

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed search: every term must match, in the title, the
// tags or the text of the current version.
type Query struct {
	Terms []Term
}

// Term is one word, a phrase (several words in a row), or either ending
// in a prefix ("suppress*" finds suppression).
type Term struct {
	Words  []string // lower-case letters and digits
	Prefix bool     // the last word is a prefix
}

// MaxQueryTerms bounds a query's terms.
const MaxQueryTerms = 32

// ParseQuery reads a search as people type it: words, "quoted phrases",
// and a trailing * for a prefix. Punctuation separates words; case does
// not matter. Words too common to search for (the, of, and: see
// stopWords) are left out, alone or at a phrase's ends. A query with
// nothing to search for, only such words, an unclosed quote or too many
// terms is a *cases.FieldError on the field "Query".
func ParseQuery(s string) (Query, error) {
	var q Query
	if len(s) > 1000 {
		return q, invalid("search", "Query", "is longer than 1000 bytes")
	}
	if strings.Count(s, `"`)%2 != 0 {
		return q, invalid("search", "Query", "has a quote that is not closed")
	}
	common := false // a term held only stop words
	add := func(t Term, ok bool) {
		if !ok {
			return
		}
		if t, ok = withoutStopWords(t); ok {
			q.Terms = append(q.Terms, t)
		} else {
			common = true
		}
	}
	for i, part := range strings.Split(s, `"`) {
		phrase := i%2 == 1
		if phrase {
			add(term(part))
			continue
		}
		for _, f := range strings.Fields(part) {
			// Words joined by punctuation ("12(b)(6)", "o'brien") are a
			// phrase, as the engines index them.
			add(term(f))
		}
	}
	switch {
	case len(q.Terms) == 0 && common:
		return q, invalid("search", "Query", fmt.Sprintf("%q has only words too common to search for (such as the, of, and)", s))
	case len(q.Terms) == 0:
		return q, invalid("search", "Query", fmt.Sprintf("%q has no words to search for", s))
	case len(q.Terms) > MaxQueryTerms:
		return q, invalid("search", "Query", fmt.Sprintf("has %d terms; at most %d", len(q.Terms), MaxQueryTerms))
	}
	return q, nil
}

// stopWords are the words search leaves out: PostgreSQL's English
// configuration (its Snowball stop list) indexes none of them, so that no
// store could find them alike. A term that is one of them is dropped, and
// so are those a phrase begins or ends with; those inside a phrase stay
// (PostgreSQL then matches any word in their place, SQLite and the memory
// store the word itself).
var stopWords = map[string]bool{
	"i": true, "me": true, "my": true, "myself": true, "we": true,
	"our": true, "ours": true, "ourselves": true, "you": true, "your": true,
	"yours": true, "yourself": true, "yourselves": true, "he": true,
	"him": true, "his": true, "himself": true, "she": true, "her": true,
	"hers": true, "herself": true, "it": true, "its": true, "itself": true,
	"they": true, "them": true, "their": true, "theirs": true,
	"themselves": true, "what": true, "which": true, "who": true,
	"whom": true, "this": true, "that": true, "these": true, "those": true,
	"am": true, "is": true, "are": true, "was": true, "were": true,
	"be": true, "been": true, "being": true, "have": true, "has": true,
	"had": true, "having": true, "do": true, "does": true, "did": true,
	"doing": true, "a": true, "an": true, "the": true, "and": true,
	"but": true, "if": true, "or": true, "because": true, "as": true,
	"until": true, "while": true, "of": true, "at": true, "by": true,
	"for": true, "with": true, "about": true, "against": true,
	"between": true, "into": true, "through": true, "during": true,
	"before": true, "after": true, "above": true, "below": true, "to": true,
	"from": true, "up": true, "down": true, "in": true, "out": true,
	"on": true, "off": true, "over": true, "under": true, "again": true,
	"further": true, "then": true, "once": true, "here": true, "there": true,
	"when": true, "where": true, "why": true, "how": true, "all": true,
	"any": true, "both": true, "each": true, "few": true, "more": true,
	"most": true, "other": true, "some": true, "such": true, "no": true,
	"nor": true, "not": true, "only": true, "own": true, "same": true,
	"so": true, "than": true, "too": true, "very": true, "s": true, "t": true,
	"can": true, "will": true, "just": true, "don": true, "should": true,
	"now": true,
}

// withoutStopWords drops the stop words a term begins and ends with, and
// reports whether any word is left.
func withoutStopWords(t Term) (Term, bool) {
	w := t.Words
	for len(w) > 0 && stopWords[w[0]] {
		w = w[1:]
	}
	end := len(w)
	for end > 0 && stopWords[w[end-1]] {
		end--
	}
	if end < len(w) {
		t.Prefix = false // the word the prefix was on is gone
	}
	t.Words = w[:end]
	return t, end > 0
}

func term(s string) (Term, bool) {
	s = strings.TrimSpace(s)
	prefix := strings.HasSuffix(s, "*")
	words := Words(s)
	if len(words) == 0 {
		return Term{}, false
	}
	// A prefix of one or two letters would match half the index.
	if prefix && len([]rune(words[len(words)-1])) < 3 {
		prefix = false
	}
	return Term{Words: words, Prefix: prefix}, true
}

// Words splits text into lower-case words of letters and digits, the
// way search indexes it.
func Words(s string) []string {
	t := IndexText(s)
	if t == "" {
		return nil
	}
	return strings.Split(t, " ")
}

// IndexText is text as search indexes it: its words (Words), lower-case,
// one space apart. Every store indexes this form, so that what matches
// does not turn on a store's tokenizer: an accented capital, a word
// against a non-breaking space or an em dash, a NUL an extractor let
// through.
func IndexText(s string) string {
	if indexed(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	gap := false // a separator since the last word
	put := func(r rune) {
		if gap && len(b) > 0 {
			b = append(b, ' ')
		}
		gap = false
		b = utf8.AppendRune(b, r)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if gap && len(b) > 0 {
					b = append(b, ' ')
				}
				gap = false
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				if gap && len(b) > 0 {
					b = append(b, ' ')
				}
				gap = false
				b = append(b, c+'a'-'A')
			default:
				gap = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			put(unicode.ToLower(r))
		} else {
			gap = true
		}
	}
	return string(b)
}

// indexed reports whether s is already in IndexText's form, as far as a
// scan of its ASCII bytes tells: lower-case letters and digits, single
// spaces between words, none at either end.
func indexed(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ':
		default:
			return false
		}
	}
	return true
}

// String writes the query back in its own syntax.
func (q Query) String() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		s := strings.Join(t.Words, " ")
		if t.Prefix {
			s += "*"
		}
		if len(t.Words) > 1 {
			s = `"` + s + `"`
		}
		parts[i] = s
	}
	return strings.Join(parts, " ")
}
