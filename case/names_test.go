package cases

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		kind ContactKind
		in   string
		want string
	}{
		{Person, "John Smith", "john smith"},
		{Person, "  JOHN   SMITH ", "john smith"},
		{Person, "Smith, John", "john smith"},
		{Person, "Smith,John", "john smith"},
		{Person, "Smith Jr., John", "john smith"},
		{Person, "Smith, John, Esq.", "john smith"},
		{Person, "Dr. John Q. Smith, Jr.", "john q smith"},
		{Person, "Mr John Smith III", "john smith"},
		{Person, "Mrs. Ann O'Brien", "ann obrien"},
		{Person, "Ann O’Brien-Lee", "ann obrien lee"},
		{Person, "María Elena García", "maria elena garcia"},
		{Person, "Zoë Brontë", "zoe bronte"},
		{Person, "Jürgen Straße", "jurgen strasse"},
		{Person, "Søren Kierkegaard", "soren kierkegaard"},
		{Person, "Łukasz Wałęsa", "lukasz walesa"},
		{Person, "Ｊｏｈｎ Ｓｍｉｔｈ", "john smith"}, // full-width (NFKD)
		{Person, "J.R.R. Tolkien", "jrr tolkien"},
		{Person, "J.Smith", "j smith"},
		{Person, "Dr", "dr"}, // nothing but an honorific: kept
		{Person, "", ""},
		{Person, " ,. ", ""},
		{Organization, "Globex Corp", "globex"},
		{Organization, "Globex Corporation", "globex"},
		{Organization, "Globex Corp.", "globex"},
		{Organization, "GLOBEX CORPORATION", "globex"},
		{Organization, "Globex, Inc.", "globex"},
		{Organization, "The Globex Corporation", "globex"},
		{Organization, "Globex Corporation, The", "globex"},
		{Organization, "Globex Co., Ltd.", "globex"},
		{Organization, "Globex L.L.C.", "globex"},
		{Organization, "Globex GmbH", "globex"},
		{Organization, "Smith & Wesson Inc", "smith and wesson"},
		{Organization, "Smith and Wesson", "smith and wesson"},
		{Organization, "Smith & Co.", "smith"},
		{Organization, "Société Générale S.A.", "societe generale"},
		{Organization, "The Company", "company"},
		{Organization, "Inc.", "inc"},
		{Organization, "Mr Smith Holdings", "mr smith holdings"}, // honorifics are a person thing
		{"", "The Globex Corp.", "the globex corp"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.kind, tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}

func plainName(s string) string { return strings.Join(plainTokens(s), " ") }

func TestPlainTokensKeepSuffixes(t *testing.T) {
	if got, want := plainName("The Globex Corp."), "the globex corp"; got != want {
		t.Errorf("plain name = %q, want %q", got, want)
	}
	if plainName("Globex Corp") == plainName("Globex Corporation") {
		t.Error("plain names of Globex Corp and Globex Corporation should differ")
	}
}

func TestNicknameTableSize(t *testing.T) {
	pairs := 0
	for _, formals := range nicknames {
		pairs += len(formals)
	}
	if pairs < 100 {
		t.Errorf("nickname table has %d pairs, want at least 100", pairs)
	}
	t.Logf("%d nickname pairs", pairs)
}

func TestNicknameTableWellFormed(t *testing.T) {
	for nick, formals := range nicknames {
		if NormalizeName(Person, nick) != nick {
			t.Errorf("nickname %q is not in normalised form", nick)
		}
		if len(formals) == 0 {
			t.Errorf("nickname %q has no formal name", nick)
		}
		for _, f := range formals {
			if NormalizeName(Person, f) != f {
				t.Errorf("formal name %q is not in normalised form", f)
			}
			if f == nick {
				t.Errorf("%q is listed as a nickname of itself", nick)
			}
		}
	}
}

func TestNicknamesSymmetric(t *testing.T) {
	for nick, formals := range nicknames {
		for _, f := range formals {
			if !nicknameEquivalent(nick, f) {
				t.Errorf("%s is not equivalent to %s", nick, f)
			}
			if !nicknameEquivalent(f, nick) {
				t.Errorf("%s is not equivalent to %s", f, nick)
			}
			if rel, formal := nicknameRelation(nick, f); rel != "nickname" || formal != f {
				t.Errorf("nicknameRelation(%q, %q) = %q, %q; want nickname, %q", nick, f, rel, formal, f)
			}
			if rel, formal := nicknameRelation(f, nick); rel != "formal" || formal != f {
				t.Errorf("nicknameRelation(%q, %q) = %q, %q; want formal, %q", f, nick, rel, formal, f)
			}
		}
	}
}

func TestNicknameEquivalence(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"bill", "william", true},
		{"william", "will", true},
		{"bill", "will", true}, // through William
		{"billy", "willy", true},
		{"liz", "beth", true},
		{"betsy", "eliza", true},
		{"peggy", "margaret", true},
		{"peggy", "maggie", true},
		{"jack", "john", true},
		{"bob", "robert", true},
		{"robbie", "bobby", true},
		{"william", "william", false}, // equal names are not nicknames
		{"william", "robert", false},
		{"bill", "bob", false},
		{"maria", "mario", false},
		{"john", "jonathan", false}, // two formal names are never equivalent
	}
	for _, tt := range tests {
		if got := nicknameEquivalent(tt.a, tt.b); got != tt.want {
			t.Errorf("nicknameEquivalent(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := nicknameEquivalent(tt.b, tt.a); got != tt.want {
			t.Errorf("nicknameEquivalent(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{
		"John Smith", "Smith, John", "Dr. John Q. Smith, Jr.", "Globex Corp.", "The The Band Inc",
		"L.L.C.", "O'Brien & Sons", "María García", "İstanbul", "Ｊｏｈｎ", "ǅemal", "ﷺ", "½ & ¼",
		"Straße", "the", "Mr, Jr", "a.b", ".a.", "\xff\xfe", "00\xf7í", "ﬀ Ltd", "Ⅻ", "x\u0301\u0308",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, kind := range []ContactKind{Person, Organization, ""} {
			once := NormalizeName(kind, s)
			if twice := NormalizeName(kind, once); twice != once {
				t.Errorf("NormalizeName(%q, %q) = %q, but normalising that again gives %q", kind, s, once, twice)
			}
			if !utf8.ValidString(once) {
				t.Errorf("NormalizeName(%q, %q) = %q, not valid UTF-8", kind, s, once)
			}
		}
		if p := plainName(s); plainName(p) != p {
			t.Errorf("plainName(%q) = %q is not idempotent", s, p)
		}
	})
}
