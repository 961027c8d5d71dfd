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
// not matter. A query with nothing to search for, an unclosed quote or
// too many terms is a *cases.FieldError on the field "Query".
func ParseQuery(s string) (Query, error) {
	var q Query
	if len(s) > 1000 {
		return q, invalid("search", "Query", "is longer than 1000 bytes")
	}
	if strings.Count(s, `"`)%2 != 0 {
		return q, invalid("search", "Query", "has a quote that is not closed")
	}
	for i, part := range strings.Split(s, `"`) {
		phrase := i%2 == 1
		if phrase {
			if t, ok := term(part); ok {
				q.Terms = append(q.Terms, t)
			}
			continue
		}
		for _, f := range strings.Fields(part) {
			// Words joined by punctuation ("12(b)(6)", "o'brien") are a
			// phrase, as the engines index them.
			if t, ok := term(f); ok {
				q.Terms = append(q.Terms, t)
			}
		}
	}
	switch {
	case len(q.Terms) == 0:
		return q, invalid("search", "Query", fmt.Sprintf("%q has no words to search for", s))
	case len(q.Terms) > MaxQueryTerms:
		return q, invalid("search", "Query", fmt.Sprintf("has %d terms; at most %d", len(q.Terms), MaxQueryTerms))
	}
	return q, nil
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
