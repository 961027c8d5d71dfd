package cases

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeName returns the form of a name that conflict checks compare:
// compatibility-decomposed with the diacritics stripped, lower-case, with
// punctuation removed, "&" spelled "and" and whitespace collapsed.
//
// A person's name is put in "First Last" order when written "Last, First",
// and honorifics and suffixes (Mr, Mrs, Ms, Dr, Jr, Sr, II, III, Esq ...)
// are dropped. An organisation's name loses a leading "the" and its
// corporate-form suffixes (Corp, Corporation, Inc, Co, LLC, Ltd, PLC, GmbH
// ...), so "Globex Corp." and "GLOBEX CORPORATION" both become "globex".
// A name made only of such words keeps them. Any other kind is treated as
// plain text. NormalizeName is idempotent.
func NormalizeName(kind ContactKind, name string) string {
	return strings.Join(nameTokens(kind, name), " ")
}

// nameTokens is NormalizeName before the tokens are joined.
func nameTokens(kind ContactKind, name string) []string {
	switch kind {
	case Person:
		return personTokens(foldName(name))
	case Organization:
		return orgTokens(plainTokens(name))
	default:
		return plainTokens(name)
	}
}

// plainTokens are the tokens of a name with nothing dropped or reordered:
// how the name is written, once case, accents and punctuation are set
// aside. Two organisations whose plain tokens differ but whose normalised
// names agree differ only in corporate suffixes.
func plainTokens(name string) []string {
	return baseTokens(foldName(name))
}

// foldName decomposes the name (NFKD), strips combining marks, lower-cases
// it and spells out the letters that do not decompose (ß, ø, æ ...).
func foldName(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	// Invalid bytes separate words.
	s = norm.NFKD.String(strings.ToValidUTF8(s, " "))
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
	return letterReplacer.Replace(strings.ToLower(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// letterReplacer spells out lower-case letters that Unicode does not
// decompose into a base letter and a mark.
var letterReplacer = strings.NewReplacer(
	"ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d",
	"ð", "d", "þ", "th", "ı", "i", "ħ", "h", "ŧ", "t", "ŋ", "n",
)

// baseTokens splits a folded name into words of letters and digits. "&"
// becomes "and"; apostrophes vanish (O'Brien is obrien); dotted initialisms
// close up (L.L.C. is llc); any other punctuation separates words.
func baseTokens(s string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = appendWord(out, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '&':
			flush()
			out = append(out, "and")
		case isApostrophe(r), r == '.':
			word.WriteRune(r)
		case isWordRune(r):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// appendWord appends the tokens of one word that may hold apostrophes and
// dots.
func appendWord(out []string, w string) []string {
	w = strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return -1
		}
		return r
	}, w)
	if !strings.Contains(w, ".") {
		if w != "" {
			out = append(out, w)
		}
		return out
	}
	if isInitialism(w) {
		return append(out, strings.ReplaceAll(w, ".", ""))
	}
	for part := range strings.SplitSeq(w, ".") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// isInitialism reports whether w is single letters or digits each followed
// by a dot, the last dot optional, at least two of them: "l.l.c.", "u.s".
func isInitialism(w string) bool {
	n := 0
	for part := range strings.SplitSeq(strings.TrimSuffix(w, "."), ".") {
		if len([]rune(part)) != 1 {
			return false
		}
		n++
	}
	return n >= 2
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// personAffixes are honorifics and generational or professional suffixes,
// dropped from a person's name.
var personAffixes = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "mx": true, "miss": true, "dr": true, "prof": true,
	"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "esq": true,
}

// personTokens normalises a folded person's name: "Last, First" becomes
// "first last" and honorifics and suffixes are dropped.
func personTokens(s string) []string {
	var parts [][]string
	for part := range strings.SplitSeq(s, ",") {
		toks := baseTokens(part)
		if len(toks) == 0 || allAffixes(toks) {
			continue
		}
		parts = append(parts, toks)
	}
	var toks []string
	if len(parts) == 2 {
		// "Smith, John" or "Smith Jr., John": the surname comes first.
		toks = append(toks, parts[1]...)
		toks = append(toks, parts[0]...)
	} else if len(parts) == 0 {
		// Nothing but affixes ("Dr"): keep them rather than lose the name.
		return baseTokens(s)
	} else {
		for _, p := range parts {
			toks = append(toks, p...)
		}
	}
	out := toks[:0]
	for _, t := range toks {
		if !personAffixes[t] {
			out = append(out, t)
		}
	}
	return out
}

func allAffixes(toks []string) bool {
	for _, t := range toks {
		if !personAffixes[t] {
			return false
		}
	}
	return true
}

// corporateSuffixes are legal-form words that do not tell one organisation
// from another: Globex Corp and Globex Inc are compared as "globex".
var corporateSuffixes = map[string]bool{
	"corp": true, "corporation": true, "inc": true, "incorporated": true,
	"co": true, "company": true, "llc": true, "ltd": true, "limited": true,
	"plc": true, "lp": true, "llp": true, "lllp": true, "pllc": true, "pc": true,
	"gmbh": true, "ag": true, "sa": true, "bv": true, "nv": true,
	"pty": true, "pte": true, "sarl": true, "srl": true, "spa": true, "kg": true, "ltda": true,
}

// orgTokens drops a leading "the" and trailing corporate suffixes (with a
// dangling "and" or "the": "Smith & Co." is "smith", "Globex Corp, The" is
// "globex"), keeping at least one token.
func orgTokens(toks []string) []string {
	for len(toks) > 1 && toks[0] == "the" {
		toks = toks[1:]
	}
	for len(toks) > 1 {
		last := toks[len(toks)-1]
		if !corporateSuffixes[last] && last != "the" && last != "and" {
			break
		}
		toks = toks[:len(toks)-1]
	}
	return toks
}
