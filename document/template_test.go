package document

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	cases "github.com/docketkit/docket/case"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestCompileRefusesWhatDoesNotFit(t *testing.T) {
	tests := []struct {
		name, title, body string
		want              TemplateError
	}{
		{name: "unknown field", body: "Dear {{.Client.Name}},\nRe: {{.Case.Judge}}\n",
			want: TemplateError{Template: "t", Line: 2, Column: 7, Field: ".Case.Judge", Problem: "is not a field of CaseFields (it has Reference, Title, Type, PracticeArea, DocketNumber, Stage, OpenedOn)"}},
		{name: "unknown top-level", body: "line one\nline two\n\n{{.Matter.Title}}",
			want: TemplateError{Template: "t", Line: 4, Column: 3, Field: ".Matter", Problem: "is not a field of the merge data (it has Case, Client, Parties, Court, Today, User, Firm)"}},
		{name: "field of a string", body: "{{.Today.Year}}",
			want: TemplateError{Template: "t", Line: 1, Column: 3, Field: ".Today.Year", Problem: "is not a field: .Today has no fields"}},
		{name: "inside range", body: "{{range .Parties}}\n{{.Name}} {{.Nmae}}\n{{end}}",
			want: TemplateError{Template: "t", Line: 2, Column: 13, Field: ".Parties[].Nmae", Problem: "is not a field of PartyFields (it has Name, Role, Address, Email, Phone)"}},
		{name: "inside with", body: "{{with .Court}}{{.Name}}{{.Room}}{{end}}",
			want: TemplateError{Template: "t", Line: 1, Column: 27, Field: ".Court.Room", Problem: "is not a field of CourtFields (it has Name, Judge)"}},
		{name: "range over a string", body: "x\n{{range .Client.Name}}{{.}}{{end}}",
			want: TemplateError{Template: "t", Line: 2, Column: 9, Field: ".Client.Name", Problem: "is not a list: range needs one, such as .Parties"}},
		{name: "unknown function", body: "{{title .Client.Name}}",
			want: TemplateError{Template: "t", Line: 1, Problem: `function "title" not defined`}},
		{name: "need is not for templates", body: "{{need \"x\" .Client.Name}}",
			want: TemplateError{Template: "t", Line: 1, Column: 3, Field: "need", Problem: "is not a function templates may call (upper, lower, len, eq, ne, lt, le, gt, ge, and, or, not, printf, index)"}},
		{name: "syntax", body: "a\nb\n{{if .Case.Title}}open",
			want: TemplateError{Template: "t", Line: 3, Problem: "unexpected EOF"}},
		{name: "variables", body: "{{$x := .Case.Title}}{{$x}}",
			want: TemplateError{Template: "t", Line: 1, Column: 24, Problem: "variables and chained calls are not allowed in a template: name fields from the merge data"}},
		{name: "calls another template", body: "{{define \"x\"}}a{{end}}{{template \"x\"}}",
			want: TemplateError{Template: "t", Line: 1, Problem: "define and block are not allowed in a template"}},
		{name: "title too", title: "Letter to {{.Client.Nmae}}", body: "ok",
			want: TemplateError{Template: "t (title)", Line: 1, Column: 13, Field: ".Client.Nmae", Problem: "is not a field of PartyFields (it has Name, Role, Address, Email, Phone)"}},
		{name: "empty body", body: " \n",
			want: TemplateError{Template: "t", Line: 1, Field: "Body", Problem: "is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(&Template{Name: "t", Title: tt.title, Body: tt.body})
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Compile = %v, want a *TemplateError", err)
			}
			if !errors.Is(err, cases.ErrInvalid) {
				t.Error("a TemplateError must match ErrInvalid")
			}
			got := *te
			if strings.Contains(tt.want.Problem, "not defined") || tt.want.Problem == "unexpected EOF" {
				// text/template's own wording: check it is carried.
				if !strings.Contains(got.Problem, tt.want.Problem) {
					t.Errorf("Problem = %q, want it to contain %q", got.Problem, tt.want.Problem)
				}
				got.Problem = tt.want.Problem
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("TemplateError (-want +got):\n%s\nmessage: %s", d, err)
			}
		})
	}
}

func TestExecuteNamesTheMissingField(t *testing.T) {
	c, err := Compile(&Template{Name: "t", Title: "{{.Case.Reference}}", Body: "Dear {{.Client.Name}},\n" +
		"{{if .Case.DocketNumber}}Case No. {{.Case.DocketNumber}}{{end}}\n" +
		"{{range .Parties}}- {{.Name}}: {{.Role | upper}}\n{{end}}" +
		"Court: {{printf \"%s, %s\" .Court.Name (upper .Court.Judge)}} ({{len .Case.Stage}}, {{.Case.Stage | len}})\n" +
		"{{if eq .Case.Stage \"\"}}no stage yet{{end}}"})
	if err != nil {
		t.Fatal(err)
	}
	full := MergeData{Case: CaseFields{Reference: "2026-CV-0001"}, Client: PartyFields{Name: "Ada Byron"},
		Parties: []PartyFields{{Name: "Globex", Role: "defendant"}}, Court: CourtFields{Name: "S.D.N.Y.", Judge: "Hon. Ruiz"}}
	title, body, err := c.Execute(full)
	if err != nil {
		t.Fatal(err)
	}
	// An empty field a function measures (len, eq) is no error.
	if title != "2026-CV-0001" || string(body) != "Dear Ada Byron,\n\n- Globex: DEFENDANT\nCourt: S.D.N.Y., HON. RUIZ (0, 0)\nno stage yet" {
		t.Fatalf("Execute = %q, %q", title, body)
	}
	tests := []struct {
		name string
		edit func(*MergeData)
		want TemplateError
	}{
		{"client name", func(d *MergeData) { d.Client.Name = " " },
			TemplateError{Template: "t", Line: 1, Column: 8, Field: ".Client.Name"}},
		{"party role, piped", func(d *MergeData) { d.Parties = append(d.Parties, PartyFields{Name: "Initech"}) },
			TemplateError{Template: "t", Line: 3, Column: 34, Field: ".Parties[].Role"}},
		{"title", func(d *MergeData) { d.Case.Reference = "" },
			TemplateError{Template: "t (title)", Line: 1, Column: 3, Field: ".Case.Reference"}},
		{"printed through printf", func(d *MergeData) { d.Court.Name = "" },
			TemplateError{Template: "t", Line: 4, Column: 33, Field: ".Court.Name"}},
		{"an argument of a nested call", func(d *MergeData) { d.Court.Judge = "" },
			TemplateError{Template: "t", Line: 4, Column: 52, Field: ".Court.Judge"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := full
			d.Parties = append([]PartyFields(nil), full.Parties...)
			tt.edit(&d)
			_, _, err := c.Execute(d)
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Execute = %v, want a *TemplateError", err)
			}
			tt.want.Problem = "has no value for this case: fill it in, or guard it with {{if}}"
			if diff := cmp.Diff(tt.want, *te); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTMLTemplateEscapes: what the fields of an HTML template hold is
// escaped for where it lands; plain text and Markdown templates merge it
// as it is.
func TestHTMLTemplateEscapes(t *testing.T) {
	data := MergeData{Client: PartyFields{Name: `Ada <script>alert("x")</script> & Co`}, Case: CaseFields{Reference: "2026-CV-0001"}}
	tests := []struct {
		mediaType, body, want string
	}{
		{"text/html", `<p>Dear {{.Client.Name}}</p><a href="/cases/{{.Case.Reference}}" title="{{.Client.Name}}">file</a>`,
			`<p>Dear Ada &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</p><a href="/cases/2026-CV-0001" title="Ada &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co">file</a>`},
		{"text/plain", "Dear {{.Client.Name}}", `Dear Ada <script>alert("x")</script> & Co`},
		{"text/markdown", "Dear {{.Client.Name}}", `Dear Ada <script>alert("x")</script> & Co`},
	}
	for _, tt := range tests {
		t.Run(tt.mediaType, func(t *testing.T) {
			c, err := Compile(&Template{Name: "t", MediaType: tt.mediaType, Title: "{{.Client.Name}}", Body: tt.body})
			if err != nil {
				t.Fatal(err)
			}
			title, body, err := c.Execute(data)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != tt.want {
				t.Errorf("body\n got %s\nwant %s", body, tt.want)
			}
			if title != data.Client.Name {
				t.Errorf("title %q: a title is text, never escaped", title)
			}
		})
	}
	// HTML that cannot be escaped for is refused when the template is
	// saved, naming the line where html/template knows it.
	var te *TemplateError
	if _, err := Compile(&Template{Name: "t", MediaType: "text/html", Body: "<p>\n<a href=\"{{if .Case.Title}}/p/{{else}}/s?q={{end}}{{.Case.Reference}}\">"}); !errors.As(err, &te) || te.Line != 2 {
		t.Errorf("an action in an ambiguous URL: %v", err)
	}
	// (html/template names no line for a template that ends inside an
	// attribute: it is refused at line 1.)
	if _, err := Compile(&Template{Name: "t", MediaType: "text/html", Body: "<p>\n<a href=\"{{.Case.Reference}}"}); !errors.As(err, &te) || te.Line != 1 || !strings.Contains(te.Problem, "non-text context") {
		t.Errorf("an unclosed attribute: %v", err)
	}
	// An empty field is still named in an HTML template.
	c, err := Compile(&Template{Name: "t", MediaType: "text/html", Body: "<p>\n{{.Case.DocketNumber}}</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Execute(data); !errors.As(err, &te) || te.Field != ".Case.DocketNumber" || te.Line != 2 {
		t.Errorf("an empty field in HTML: %v", err)
	}
}

func TestTemplateValidate(t *testing.T) {
	good := Template{ID: "letter", Name: "Letter", Kind: Letter, MediaType: "text/markdown", Body: "Dear {{.Client.Name}}"}
	tests := []struct {
		name  string
		edit  func(*Template)
		field string
	}{
		{"id", func(t *Template) { t.ID = "Bad ID" }, "ID"},
		{"name", func(t *Template) { t.Name = "" }, "Name"},
		{"kind", func(t *Template) { t.Kind = "memo" }, "Kind"},
		{"media type", func(t *Template) { t.MediaType = "application/pdf" }, "MediaType"},
		{"body", func(t *Template) { t.Body = "" }, "Body"},
		{"body field", func(t *Template) { t.Body = "{{.Client.Nmae}}" }, ".Client.Nmae"},
	}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := good
			tt.edit(&tm)
			err := tm.Validate()
			var fe *cases.FieldError
			var te *TemplateError
			switch {
			case errors.As(err, &fe):
				if fe.Field != tt.field {
					t.Errorf("field %q, want %q (%v)", fe.Field, tt.field, err)
				}
			case errors.As(err, &te):
				if te.Field != tt.field {
					t.Errorf("field %q, want %q (%v)", te.Field, tt.field, err)
				}
			default:
				t.Fatalf("Validate = %v", err)
			}
		})
	}
}

// sample is a case as the shipped templates see it.
var sample = MergeData{
	Case: CaseFields{Reference: "2026-CV-0007", Title: "Byron v. Globex Corporation", Type: "federal-civil", PracticeArea: "employment",
		DocketNumber: "1:26-cv-01234", Stage: "Pleadings", OpenedOn: "2 March 2026"},
	Client:  PartyFields{Name: "Ada Byron", Role: "client", Address: "12 St James's Square, Washington, DC 20001", Email: "ada@example.com"},
	Parties: []PartyFields{{Name: "Globex Corporation", Role: "defendant"}, {Name: "Hank Scorpio", Role: "witness"}},
	Court:   CourtFields{Name: "United States District Court for the District of Columbia", Judge: "Hon. Jane Roe"},
	Today:   "16 March 2026",
	User:    UserFields{Name: "Alice Avery", Email: "alice@avery-law.example"},
	Firm:    FirmFields{Name: "Avery & Brook LLP", Address: "1 Main Street, Washington, DC 20002", Phone: "+1 202 555 0100"},
}

// TestBuiltinTemplates compiles and assembles every shipped template
// against golden files (go test -run TestBuiltinTemplates -update).
func TestBuiltinTemplates(t *testing.T) {
	tms := Builtin()
	if len(tms) != 3 {
		t.Fatalf("%d built-in templates, want 3", len(tms))
	}
	for _, tm := range tms {
		t.Run(string(tm.ID), func(t *testing.T) {
			if err := tm.Validate(); err != nil {
				t.Fatal(err)
			}
			c, err := Compile(&tm)
			if err != nil {
				t.Fatal(err)
			}
			title, body, err := c.Execute(sample)
			if err != nil {
				t.Fatal(err)
			}
			got := "Title: " + title + "\n\n" + string(body)
			golden := filepath.Join("testdata", string(tm.ID)+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("%s (-want +got):\n%s", golden, d)
			}
			// A case without a docket number cannot get a notice of
			// appearance; the others do not need one.
			d := sample
			d.Case.DocketNumber = ""
			_, _, err = c.Execute(d)
			if tm.ID == "notice-of-appearance" {
				var te *TemplateError
				if !errors.As(err, &te) || te.Field != ".Case.DocketNumber" {
					t.Errorf("without a docket number: %v, want a TemplateError naming .Case.DocketNumber", err)
				}
			} else if err != nil {
				t.Errorf("without a docket number: %v", err)
			}
		})
	}
}

func FuzzCompile(f *testing.F) {
	for _, tm := range Builtin() {
		f.Add(tm.Body)
	}
	f.Add("{{range .Parties}}{{.Name}}{{else}}none{{end}}")
	f.Add("{{with .Court}}{{.Judge}}{{end}}{{if and .Case.Title .Client.Name}}x{{end}}")
	f.Add(`<a href="/c/{{.Case.Reference}}" title='{{.Client.Name}}'>{{.Case.Title}}</a><script>var x = {{.Client.Name}};</script>`)
	f.Add(`<{{.Case.Title}}>`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, mt := range []string{"text/markdown", "text/html"} {
			c, err := Compile(&Template{Name: "f", MediaType: mt, Body: body})
			if err != nil {
				var te *TemplateError
				if !errors.As(err, &te) || te.Line < 1 {
					t.Fatalf("Compile(%s, %q) = %v, want a TemplateError with a line", mt, body, err)
				}
				continue
			}
			// A compiled template runs on any data: an error, if any, is a
			// TemplateError.
			for _, d := range []MergeData{sample, {}} {
				if _, _, err := c.Execute(d); err != nil {
					var te *TemplateError
					if !errors.As(err, &te) {
						t.Fatalf("Execute(%s, %q) = %v, want a TemplateError", mt, body, err)
					}
				}
			}
		}
	})
}
