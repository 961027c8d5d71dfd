package document

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	cases "github.com/docketkit/docket/case"
)

// MergeData is everything a template may merge: the case, its client and
// other parties, its court, the date, the acting user and the firm. A
// template names these fields as {{.Case.Reference}}, {{.Client.Name}},
// {{range .Parties}}{{.Name}} ({{.Role}}){{end}} and so on.
type MergeData struct {
	Case    CaseFields
	Client  PartyFields
	Parties []PartyFields
	Court   CourtFields
	// Today is the date of assembly, written out: "2 March 2026".
	Today string
	User  UserFields
	Firm  FirmFields
}

// CaseFields are a case's mergeable details.
type CaseFields struct {
	Reference    string
	Title        string
	Type         string
	PracticeArea string
	DocketNumber string
	Stage        string
	OpenedOn     string
}

// PartyFields are a client's or party's mergeable details.
type PartyFields struct {
	Name    string
	Role    string
	Address string
	Email   string
	Phone   string
}

// CourtFields are the court's mergeable details.
type CourtFields struct {
	Name  string
	Judge string
}

// UserFields are the acting user's mergeable details.
type UserFields struct {
	Name  string
	Email string
}

// FirmFields are the firm's mergeable details, from its settings.
type FirmFields struct {
	Name    string
	Address string
	Phone   string
	Email   string
}

// TemplateID identifies a template.
type TemplateID string

// Template is a document template: text with merge fields in Go's
// text/template syntax, checked against MergeData when it is saved. The
// body of a text/html template is assembled as html/template does: what
// the fields hold is escaped for where it lands (a client named
// "<script>" stays text).
type Template struct {
	ID    TemplateID
	Name  string
	Kind  Kind
	Title string // the title of documents assembled from it; may merge fields
	// MediaType is what it produces: text/plain, text/markdown or
	// text/html.
	MediaType string
	Body      string
	Version   int64
	Created   time.Time
	Updated   time.Time
}

// TemplateError is a template that does not fit MergeData, or data that
// lacks a field a template uses: which field, at which line.
type TemplateError struct {
	Template string
	Line     int
	Column   int
	Field    string
	Problem  string
}

// Error names the template, the line and the field.
func (e *TemplateError) Error() string {
	s := fmt.Sprintf("template %s, line %d", e.Template, e.Line)
	if e.Column > 0 {
		s += fmt.Sprintf(", column %d", e.Column)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Problem
}

// Unwrap makes errors.Is(err, cases.ErrInvalid) report a bad template or
// missing data.
func (e *TemplateError) Unwrap() error { return cases.ErrInvalid }

// Compiled is a template parsed and checked, ready to assemble documents.
type Compiled struct {
	name  string
	title *template.Template // nil when the template sets no title
	body  executor
}

// executor is a parsed template: text/template's, or html/template's for
// an HTML body.
type executor interface {
	Execute(w io.Writer, data any) error
	Name() string
}

// funcs are the functions templates may call: need is inserted by Compile
// after every printed field, so that an empty field fails loudly.
var funcs = template.FuncMap{
	"need": func(where string, v any) (any, error) {
		if isZero(v) {
			return nil, errors.New(where)
		}
		return v, nil
	},
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
}

// builtins are text/template's own functions that templates may call.
var builtins = []string{"len", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "printf", "index"}

func isZero(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.IsZero() || rv.Kind() == reflect.String && strings.TrimSpace(rv.String()) == ""
}

// Compile parses a template's title and body and checks every field they
// name against MergeData (inside range and with, against the element's
// fields). An unknown field, a function templates may not call, or a
// syntax error is a *TemplateError naming the part, the line and the
// field.
func Compile(t *Template) (*Compiled, error) {
	name := t.Name
	if name == "" {
		name = string(t.ID)
	}
	if strings.TrimSpace(t.Body) == "" {
		return nil, &TemplateError{Template: name, Line: 1, Field: "Body", Problem: "is empty"}
	}
	c := &Compiled{name: name}
	body, err := compilePart(name, t.Body)
	if err != nil {
		return nil, err
	}
	c.body = body
	if t.MediaType == "text/html" {
		// The checked tree, need calls and all, escaped for HTML.
		h, err := htmltemplate.New(name).Funcs(htmltemplate.FuncMap(funcs)).Option("missingkey=error").AddParseTree(name, body.Tree)
		if err != nil {
			return nil, syntaxError(name, err)
		}
		// html/template escapes on the first run: run it now, on no data,
		// so that HTML it cannot escape for (an action in an ambiguous
		// part of a URL, a template that ends inside an attribute) is
		// refused when the template is saved, not when a document is
		// assembled.
		var he *htmltemplate.Error
		if err := h.Execute(io.Discard, MergeData{}); errors.As(err, &he) {
			return nil, &TemplateError{Template: name, Line: max(1, he.Line), Problem: he.Description}
		}
		c.body = h
	}
	if strings.TrimSpace(t.Title) != "" {
		if strings.ContainsAny(t.Title, "\r\n") {
			return nil, &TemplateError{Template: name + " (title)", Line: 1, Field: "Title", Problem: "must be one line"}
		}
		if c.title, err = compilePart(name+" (title)", t.Title); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func compilePart(name, text string) (*template.Template, error) {
	tmpl, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, syntaxError(name, err)
	}
	if len(tmpl.Templates()) > 1 {
		return nil, &TemplateError{Template: name, Line: 1, Problem: "define and block are not allowed in a template"}
	}
	c := &checker{name: name, text: text, tree: tmpl.Tree}
	c.walk(tmpl.Tree.Root, reflect.TypeFor[MergeData](), "")
	if c.err != nil {
		return nil, c.err
	}
	return tmpl, nil
}

// syntaxError turns text/template's "template: name:3: message" into a
// TemplateError with the line.
func syntaxError(name string, err error) error {
	msg := err.Error()
	line := 1
	if i := strings.Index(msg, name+":"); i >= 0 {
		rest := msg[i+len(name)+1:]
		fmt.Sscanf(rest, "%d", &line)
		if j := strings.Index(rest, ": "); j >= 0 {
			msg = rest[j+2:]
		}
	}
	return &TemplateError{Template: name, Line: line, Problem: msg}
}

// Execute assembles a document from data: its title (empty when the
// template sets none) and its body. A field the template prints that has
// no value in data (a case with no docket number) is a *TemplateError
// naming the field and the line: nothing is assembled.
func (c *Compiled) Execute(data MergeData) (title string, body []byte, err error) {
	if c.title != nil {
		b, err := execute(c.title, data)
		if err != nil {
			return "", nil, err
		}
		title = strings.TrimSpace(string(b))
	}
	if body, err = execute(c.body, data); err != nil {
		return "", nil, err
	}
	return title, body, nil
}

func execute(t executor, data MergeData) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		if te := parseNeed(t.Name(), err.Error()); te != nil {
			return nil, te
		}
		return nil, &TemplateError{Template: t.Name(), Line: 1, Problem: err.Error()}
	}
	return buf.Bytes(), nil
}

// needMark begins the message need fails with: line, column and field.
const needMark = "\x00need:"

func parseNeed(name, msg string) error {
	i := strings.Index(msg, needMark)
	if i < 0 {
		return nil
	}
	var line, col int
	var field string
	rest := msg[i+len(needMark):]
	if _, err := fmt.Sscanf(rest, "%d:%d:%s", &line, &col, &field); err != nil {
		return nil
	}
	return &TemplateError{Template: name, Line: line, Column: col, Field: field, Problem: "has no value for this case: fill it in, or guard it with {{if}}"}
}

// checker walks a parse tree with the type of dot, checks every field,
// and inserts need after every field an action prints.
type checker struct {
	name string
	text string // the template's source, which positions index
	tree *parse.Tree
	err  error
}

func (c *checker) fail(n parse.Node, field, problem string) {
	if c.err != nil {
		return
	}
	line, col := c.where(n)
	c.err = &TemplateError{Template: c.name, Line: line, Column: col, Field: field, Problem: problem}
}

// where returns the line and column (both from 1) where n begins: for a
// field chain such as .Case.Judge, its first dot.
func (c *checker) where(n parse.Node) (line, col int) {
	pos := int(n.Position())
	if f, ok := n.(*parse.FieldNode); ok {
		// The parser places a field chain at its last field.
		for _, id := range f.Ident[:len(f.Ident)-1] {
			pos -= len(id) + 1
		}
	}
	text := c.text
	pos = max(0, min(pos, len(text)))
	line = 1 + strings.Count(text[:pos], "\n")
	col = pos - strings.LastIndex(text[:pos], "\n")
	return line, col
}

func (c *checker) walk(n parse.Node, dot reflect.Type, prefix string) {
	if c.err != nil || n == nil {
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			c.walk(x, dot, prefix)
		}
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, prefix)
		if c.err != nil || len(n.Pipe.Decl) > 0 {
			return
		}
		// Every field an action prints, itself or through a function
		// (printf, upper), must have a value: need fails otherwise,
		// naming the field and where it is used.
		c.needFields(n.Pipe, prefix)
	case *parse.IfNode:
		c.pipe(n.Pipe, dot, prefix)
		c.walk(n.List, dot, prefix)
		c.walk(n.ElseList, dot, prefix)
	case *parse.WithNode:
		t := c.pipe(n.Pipe, dot, prefix)
		c.walk(n.List, t, prefix+pipePath(n.Pipe))
		c.walk(n.ElseList, dot, prefix)
	case *parse.RangeNode:
		t := c.pipe(n.Pipe, dot, prefix)
		if t == nil || t.Kind() != reflect.Slice {
			if c.err == nil {
				c.fail(pipeStart(n.Pipe, n), prefix+pipePath(n.Pipe), "is not a list: range needs one, such as .Parties")
			}
			return
		}
		if len(n.Pipe.Decl) > 0 {
			c.fail(n, "", "range over a list without variables: {{range .Parties}}{{.Name}}{{end}}")
			return
		}
		c.walk(n.List, t.Elem(), prefix+pipePath(n.Pipe)+"[]")
		c.walk(n.ElseList, dot, prefix)
	case *parse.TemplateNode:
		c.fail(n, "", "templates may not call other templates")
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	default:
		c.fail(n, "", fmt.Sprintf("%T is not allowed in a template", n))
	}
}

// pipeStart is the node a pipeline starts with, or n if it has none.
func pipeStart(p *parse.PipeNode, n parse.Node) parse.Node {
	if p == nil || len(p.Cmds) == 0 || len(p.Cmds[0].Args) == 0 {
		return n
	}
	return p.Cmds[0].Args[0]
}

// pipePath is the field path a pipeline starts with, or "".
func pipePath(p *parse.PipeNode) string {
	if p == nil || len(p.Cmds) == 0 || len(p.Cmds[0].Args) == 0 {
		return ""
	}
	if f, ok := p.Cmds[0].Args[0].(*parse.FieldNode); ok {
		return "." + strings.Join(f.Ident, ".")
	}
	return ""
}

// measuring are the functions whose result says something of a field
// even when it is empty (its length, a comparison): the fields they are
// given need no value.
var measuring = []string{"len", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not"}

// needFields wraps every field a printing pipeline prints, itself or as
// an argument ({{.Case.Reference}}, {{.Name | upper}}, {{printf "%s"
// .Case.DocketNumber}}), in a call of need that fails, naming the field
// and where it is used, when it has no value.
func (c *checker) needFields(p *parse.PipeNode, prefix string) {
	// What flows into a measuring function ({{.Parties | len}}) is
	// measured, not printed: only the commands after the last one print.
	from := 0
	for i, cmd := range p.Cmds {
		if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && slices.Contains(measuring, id.Ident) {
			from = i + 1
		}
	}
	for _, cmd := range p.Cmds[from:] {
		for j, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.FieldNode:
				cmd.Args[j] = c.need(a, prefix)
			case *parse.PipeNode:
				c.needFields(a, prefix)
			}
		}
	}
}

// need returns the pipeline (need "where" .Field).
func (c *checker) need(f *parse.FieldNode, prefix string) *parse.PipeNode {
	line, col := c.where(f)
	where := fmt.Sprintf("%s%d:%d:%s.%s", needMark, line, col, prefix, strings.Join(f.Ident, "."))
	call := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: f.Pos, Args: []parse.Node{
		parse.NewIdentifier("need").SetTree(c.tree).SetPos(f.Pos),
		&parse.StringNode{NodeType: parse.NodeString, Pos: f.Pos, Quoted: strconv.Quote(where), Text: where},
		f,
	}}
	return &parse.PipeNode{NodeType: parse.NodePipe, Pos: f.Pos, Line: line, Cmds: []*parse.CommandNode{call}}
}

// pipe checks a pipeline's fields and functions and returns the type it
// yields (nil when unknown, such as a function's result).
func (c *checker) pipe(p *parse.PipeNode, dot reflect.Type, prefix string) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for i, cmd := range p.Cmds {
		for j, arg := range cmd.Args {
			first := i == 0 && j == 0
			switch a := arg.(type) {
			case *parse.FieldNode:
				ft := c.field(a, dot, prefix, a.Ident)
				if first {
					t = ft
				}
			case *parse.DotNode:
				if first {
					t = dot
				}
			case *parse.IdentifierNode:
				if _, ok := funcs[a.Ident]; (!ok || a.Ident == "need") && !slices.Contains(builtins, a.Ident) {
					c.fail(a, a.Ident, "is not a function templates may call (upper, lower, "+strings.Join(builtins, ", ")+")")
				}
				t = nil
			case *parse.PipeNode:
				c.pipe(a, dot, prefix)
				t = nil
			case *parse.ChainNode, *parse.VariableNode:
				c.fail(a, "", "variables and chained calls are not allowed in a template: name fields from the merge data")
				t = nil
			}
		}
	}
	return t
}

// field checks a field chain against the type of dot and returns the
// field's type.
func (c *checker) field(n parse.Node, dot reflect.Type, prefix string, idents []string) reflect.Type {
	t := dot
	path := prefix
	for _, id := range idents {
		path += "." + id
		if t == nil {
			return nil
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			c.fail(n, path, "is not a field: "+path[:len(path)-len(id)-1]+" has no fields")
			return nil
		}
		f, ok := t.FieldByName(id)
		if !ok || !f.IsExported() {
			c.fail(n, path, fmt.Sprintf("is not a field of %s (it has %s)", typeName(t), fieldNames(t)))
			return nil
		}
		t = f.Type
	}
	return t
}

func typeName(t reflect.Type) string {
	if t == reflect.TypeFor[MergeData]() {
		return "the merge data"
	}
	return t.Name()
}

func fieldNames(t reflect.Type) string {
	var names []string
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			names = append(names, t.Field(i).Name)
		}
	}
	return strings.Join(names, ", ")
}

// TemplateMediaTypes are the media types a template may produce.
var TemplateMediaTypes = []string{"text/plain", "text/markdown", "text/html"}

var templateIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate checks a template's fields and compiles it: a bad field is a
// *cases.FieldError naming it, a template that does not fit MergeData a
// *TemplateError naming the line and the field.
func (t *Template) Validate() error {
	const rec = "template"
	if !templateIDRE.MatchString(string(t.ID)) {
		return invalid(rec, "ID", fmt.Sprintf("%q must be 1 to 63 lower-case letters, digits or hyphens", t.ID))
	}
	if err := text(rec, "Name", t.Name, 200, true); err != nil {
		return err
	}
	if !slices.Contains(Kinds, t.Kind) {
		return invalid(rec, "Kind", fmt.Sprintf("%q is not a document kind (%s)", t.Kind, join(Kinds)))
	}
	if !slices.Contains(TemplateMediaTypes, t.MediaType) {
		return invalid(rec, "MediaType", fmt.Sprintf("%q: a template produces %s", t.MediaType, strings.Join(TemplateMediaTypes, ", ")))
	}
	if err := text(rec, "Title", t.Title, 300, false); err != nil {
		return err
	}
	if err := text(rec, "Body", t.Body, 1<<20, true); err != nil {
		return err
	}
	_, err := Compile(t)
	return err
}
