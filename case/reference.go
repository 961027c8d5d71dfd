package cases

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// ReferencePattern is how a firm numbers its cases. Tokens in braces are
// replaced; everything else is kept as written:
//
//	{yyyy}   the year the case was opened, four digits
//	{yy}     the same, two digits
//	{code}   the workflow's code (CR, CV ...)
//	{seq}    the sequence number, counted per distinct rendering of the
//	         other tokens, so each year and code starts again at 1
//	{seq:N}  the same, zero-padded to N digits (1 to 9)
//
// The pattern must contain {seq} exactly once.
type ReferencePattern string

// DefaultReferencePattern gives references such as 2026-CR-0001.
const DefaultReferencePattern ReferencePattern = "{yyyy}-{code}-{seq:4}"

// Reference lengths: a workflow code has at most maxCodeLen characters and
// a reference at most maxReferenceLen.
const (
	maxCodeLen      = 8
	maxReferenceLen = 64
)

type refToken struct {
	lit   string // literal text when name is ""
	name  string
	width int
}

// parsedPatterns caches parsed patterns: a firm has one, used on every
// case opened.
var parsedPatterns sync.Map // ReferencePattern -> []refToken

func (p ReferencePattern) parse() ([]refToken, error) {
	if toks, ok := parsedPatterns.Load(p); ok {
		return toks.([]refToken), nil
	}
	toks, err := p.parseUncached()
	if err == nil {
		parsedPatterns.Store(p, toks)
	}
	return toks, err
}

func (p ReferencePattern) parseUncached() ([]refToken, error) {
	var toks []refToken
	s := string(p)
	seqs := 0
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			toks = append(toks, refToken{lit: s})
			break
		}
		if i > 0 {
			toks = append(toks, refToken{lit: s[:i]})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, invalid("options", "ReferencePattern", "%q has an unclosed {", string(p))
		}
		tok := s[i+1 : i+j]
		s = s[i+j+1:]
		name, arg, hasArg := strings.Cut(tok, ":")
		t := refToken{name: name}
		switch name {
		case "yyyy", "yy", "code":
			if hasArg {
				return nil, invalid("options", "ReferencePattern", "{%s} takes no width", name)
			}
		case "seq":
			seqs++
			if hasArg {
				w, err := strconv.Atoi(arg)
				if err != nil || w < 1 || w > 9 {
					return nil, invalid("options", "ReferencePattern", "{seq:%s}: the width must be 1 to 9", arg)
				}
				t.width = w
			}
		default:
			return nil, invalid("options", "ReferencePattern", "{%s} is not a token (yyyy, yy, code, seq, seq:N)", tok)
		}
		toks = append(toks, t)
	}
	if seqs != 1 {
		return nil, invalid("options", "ReferencePattern", "%q must contain {seq} exactly once", string(p))
	}
	longest := 0
	for i, t := range toks {
		switch t.name {
		case "":
			if err := checkReference(t.lit); err != nil {
				return nil, invalid("options", "ReferencePattern", "literal %q may hold only letters, digits and - / . _", t.lit)
			}
			longest += len(t.lit)
		case "yyyy":
			longest += 4
		case "yy":
			longest += 2
		case "code":
			longest += maxCodeLen
		case "seq":
			longest += 9
		}
		// A variable-width code next to the sequence would let two
		// counters render the same reference ("A" 11 and "A1" 1).
		if i > 0 && (t.name == "seq" && toks[i-1].name == "code" || t.name == "code" && toks[i-1].name == "seq") {
			return nil, invalid("options", "ReferencePattern", "%q: put a separator between {code} and {seq}", string(p))
		}
	}
	if longest > maxReferenceLen {
		return nil, invalid("options", "ReferencePattern", "%q can give references of %d characters; the most is %d", string(p), longest, maxReferenceLen)
	}
	return toks, nil
}

// Validate reports whether the pattern is well formed.
func (p ReferencePattern) Validate() error {
	_, err := p.parse()
	return err
}

// Counter returns the name of the sequence a new reference draws from: the
// pattern rendered with every token but {seq}.
func (p ReferencePattern) Counter(year int, code string) (string, error) {
	return p.render(year, code, -1)
}

// Format renders the reference for a year, workflow code and sequence.
func (p ReferencePattern) Format(year int, code string, seq int64) (string, error) {
	if seq < 1 || seq > 999_999_999 {
		return "", fmt.Errorf("reference sequence %d is not between 1 and 999999999: %w", seq, ErrInvalid)
	}
	if year < 1 || year > 9999 {
		return "", fmt.Errorf("reference year %d is not between 1 and 9999: %w", year, ErrInvalid)
	}
	if code == "" || len(code) > maxCodeLen || !isAlnum(code) {
		return "", fmt.Errorf("reference code %q must be 1 to %d letters or digits: %w", code, maxCodeLen, ErrInvalid)
	}
	return p.render(year, code, seq)
}

func (p ReferencePattern) render(year int, code string, seq int64) (string, error) {
	toks, err := p.parse()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, t := range toks {
		switch t.name {
		case "":
			b.WriteString(t.lit)
		case "yyyy":
			fmt.Fprintf(&b, "%04d", year)
		case "yy":
			fmt.Fprintf(&b, "%02d", year%100)
		case "code":
			b.WriteString(code)
		case "seq":
			if seq < 0 {
				b.WriteString("{seq}")
			} else {
				fmt.Fprintf(&b, "%0*d", t.width, seq)
			}
		}
	}
	return b.String(), nil
}
