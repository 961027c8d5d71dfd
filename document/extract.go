package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gtext "github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNoExtractor is returned by Extractors.Extract for a media type no
// extractor reads: the version is stored, and found by its metadata only.
var ErrNoExtractor = errors.New("no text extractor for this media type")

// MaxText is how much text an extractor keeps of one version, in bytes;
// the rest is not indexed.
const MaxText = 1 << 20

// Extractor turns content of one media type into plain text for search.
type Extractor interface {
	Extract(r io.Reader) (string, error)
}

// ExtractorFunc adapts a function to Extractor.
type ExtractorFunc func(r io.Reader) (string, error)

// Extract calls f.
func (f ExtractorFunc) Extract(r io.Reader) (string, error) { return f(r) }

// Extractors maps media types (without parameters) to extractors. Add
// your own, for PDF or word-processor files, to a copy of
// DefaultExtractors.
type Extractors map[string]Extractor

// DefaultExtractors reads plain text, Markdown and HTML.
func DefaultExtractors() Extractors {
	return Extractors{
		"text/plain":    ExtractorFunc(PlainText),
		"text/markdown": ExtractorFunc(MarkdownText),
		"text/html":     ExtractorFunc(HTMLText),
	}
}

// Extract returns the text of content of mediaType (parameters such as
// charset are ignored: content is read as UTF-8), or ErrNoExtractor.
func (x Extractors) Extract(mediaType string, r io.Reader) (string, error) {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return "", fmt.Errorf("media type %q: %w", mediaType, err)
	}
	e, ok := x[mt]
	if !ok {
		return "", fmt.Errorf("%s: %w", mt, ErrNoExtractor)
	}
	return e.Extract(r)
}

// SearchText is the text search indexes of s: its first MaxText bytes
// (cut where a character begins), as IndexText gives them. Every store
// indexes a version's or a message's text through it.
func SearchText(s string) string {
	if len(s) > MaxText {
		cut := MaxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return IndexText(s)
}

// readText reads up to MaxText bytes and makes them valid UTF-8.
func readText(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxText))
	if err != nil {
		return nil, err
	}
	// Drain the rest so a caller hashing the same stream sees it all.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return b, nil
}

// PlainText is the extractor for text/plain: the text itself, with NULs
// removed.
func PlainText(r io.Reader) (string, error) {
	b, err := readText(r)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(b), "\x00", ""), nil
}

// MarkdownText is the extractor for text/markdown: the words a reader
// sees, without the markup (link targets and image sources dropped, alt
// text and code kept).
func MarkdownText(r io.Reader) (string, error) {
	src, err := readText(r)
	if err != nil {
		return "", err
	}
	doc := goldmark.DefaultParser().Parse(gtext.NewReader(src))
	var out strings.Builder
	err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				out.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			out.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				out.WriteByte('\n')
			}
		case *ast.String:
			out.Write(n.Value)
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					out.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				out.Write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			out.Write(n.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return "", err
	}
	return tidy(out.String()), nil
}

// HTMLText is the extractor for text/html: the text a browser shows,
// blocks on their own lines, scripts and styles left out, entities
// decoded, the title and images' alt text kept.
func HTMLText(r io.Reader) (string, error) {
	src, err := readText(r)
	if err != nil {
		return "", err
	}
	z := html.NewTokenizer(bytes.NewReader(src))
	var out strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return tidy(out.String()), nil
			}
			return "", z.Err()
		case html.TextToken:
			if skip == 0 {
				out.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				skip++
			case atom.Img:
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "alt" {
						out.WriteString(" " + string(v) + " ")
					}
				}
			}
			if blocks[a] {
				out.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if skip > 0 {
					skip--
				}
			}
			if blocks[a] {
				out.WriteByte('\n')
			}
		}
	}
}

// tidy trims every line and drops the empty ones.
func tidy(s string) string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// blocks are the HTML elements that break a line.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Title: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Hr: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
}
