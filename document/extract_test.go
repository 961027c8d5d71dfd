package document

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	cases "github.com/docketkit/docket/case"

	"github.com/google/go-cmp/cmp"
)

func TestExtract(t *testing.T) {
	x := DefaultExtractors()
	tests := []struct {
		name, mediaType, in, want string
	}{
		{"plain", "text/plain; charset=utf-8", "Motion to dismiss\x00 under 12(b)(6)", "Motion to dismiss under 12(b)(6)"},
		{"plain, invalid UTF-8", "text/plain", "caf\xe9", "caf\uFFFD"},
		{"markdown", "text/markdown",
			"# Motion to *Dismiss*\n\nThe [complaint](https://example.com/c.pdf) fails `12(b)(6)`.\n\n- first\n- second\n\n```\ncode block\n```\n\n![exhibit A](a.png)",
			"Motion to Dismiss\nThe complaint fails 12(b)(6).\nfirst\nsecond\ncode block\nexhibit A"},
		{"html", "text/html",
			"<html><head><title>Brief</title><style>p{color:red}</style><script>alert(1)</script></head>" +
				"<body><h1>Argument</h1><p>The court&nbsp;should <b>deny</b> the motion.</p><img alt=\"Exhibit B\" src=\"b.png\"><ul><li>one</li><li>two</li></ul></body></html>",
			"Brief\nArgument\nThe court\u00a0should deny the motion.\nExhibit B\none\ntwo"},
		{"html fragment, unclosed", "text/html", "<p>Unclosed <i>italic", "Unclosed italic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := x.Extract(tt.mediaType, strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	if _, err := x.Extract("application/pdf", strings.NewReader("%PDF")); !errors.Is(err, ErrNoExtractor) {
		t.Errorf("PDF: %v, want ErrNoExtractor", err)
	}
	if _, err := x.Extract("not a type", strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "not a type") {
		t.Errorf("bad media type: %v", err)
	}
}

func TestExtractKeepsAtMostMaxText(t *testing.T) {
	got, err := PlainText(strings.NewReader(strings.Repeat("word ", MaxText)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxText {
		t.Errorf("kept %d bytes, want %d", len(got), MaxText)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("text/html", "<p>a<script>b</script></p>")
	f.Add("text/markdown", "# h\n\n[a](b) `c`\n\n    code\n<div>x</div>")
	f.Add("text/plain", "plain")
	x := DefaultExtractors()
	f.Fuzz(func(t *testing.T, mediaType, in string) {
		got, err := x.Extract(mediaType, strings.NewReader(in))
		if err != nil {
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Extract(%q) gave invalid UTF-8", mediaType)
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`motion "to dismiss" suppress*`, `"unclosed`, "12(b)(6)", "***", "Ünïcödé wörds", `"a" "b c*"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			return
		}
		if len(q.Terms) == 0 || len(q.Terms) > MaxQueryTerms {
			t.Fatalf("ParseQuery(%q) = %d terms", s, len(q.Terms))
		}
		for _, term := range q.Terms {
			for _, w := range term.Words {
				if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
					t.Fatalf("ParseQuery(%q): word %q", s, w)
				}
			}
		}
		// Written back and read again, a query is the same query.
		again, err := ParseQuery(q.String())
		if err != nil || again.String() != q.String() {
			t.Fatalf("ParseQuery(%q).String() = %q reads back as %q, %v", s, q.String(), again.String(), err)
		}
	})
}

func TestParseQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Motion "to Dismiss" suppress*`, `motion "to dismiss" suppress*`},
		{"12(b)(6) o'brien", `"12 b 6" "o brien"`},
		{"su*", "su"}, // too short a prefix
		{`"fourth amendment*"`, `"fourth amendment*"`},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil || q.String() != tt.want {
			t.Errorf("ParseQuery(%q) = %q, %v; want %q", tt.in, q.String(), err, tt.want)
		}
	}
	for _, bad := range []string{"", "  ", `"open`, "*** ---", strings.Repeat("w ", MaxQueryTerms+1)} {
		var fe *cases.FieldError
		if _, err := ParseQuery(bad); !errors.As(err, &fe) || fe.Field != "Query" {
			t.Errorf("ParseQuery(%q) = %v, want a FieldError on Query", bad, err)
		}
	}
}

func FuzzIndexText(f *testing.F) {
	for _, s := range []string{"Émile Zola’s “J’accuse”\u00a0— §12", "ACME0012345; 2026-CR-0001", "a  b", " x ", "İstanbul ǅ", "caf\xe9\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := IndexText(s)
		if IndexText(got) != got {
			t.Fatalf("IndexText(%q) = %q is not its own form", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") || !utf8.ValidString(got) {
			t.Fatalf("IndexText(%q) = %q", s, got)
		}
		for _, r := range got {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("IndexText(%q) = %q holds %q", s, got, r)
			}
		}
	})
}

// TestSearchText: search reads the first MaxText bytes of a text, cut
// where a character begins, as IndexText gives them.
func TestSearchText(t *testing.T) {
	long := strings.Repeat("a", MaxText-1) + "é tail"
	got := SearchText(long)
	if len(got) != MaxText-1 || strings.Contains(got, "\uFFFD") {
		t.Errorf("cut %d bytes, replacement characters %v", len(got), strings.Contains(got, "\uFFFD"))
	}
	if got := SearchText("Motion  TO\tDismiss"); got != IndexText("Motion  TO\tDismiss") {
		t.Errorf("short text: %q", got)
	}
}
