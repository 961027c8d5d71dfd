package document_test

import (
	"errors"
	"fmt"

	"github.com/docketkit/docket/document"
)

// A template is checked against the merge data when it is compiled, and
// assembling refuses a field the case has no value for.
func ExampleCompile() {
	_, err := document.Compile(&document.Template{Name: "letter", Body: "Dear {{.Client.Name}},\nRe: {{.Case.Judge}}\n"})
	fmt.Println(err)

	c, err := document.Compile(&document.Template{Name: "letter", Title: "Letter to {{.Client.Name}}",
		Body: "Dear {{.Client.Name}},\nRe: {{.Case.Title}}{{if .Case.DocketNumber}} (No. {{.Case.DocketNumber}}){{end}}\n"})
	if err != nil {
		panic(err)
	}
	title, body, err := c.Execute(document.MergeData{
		Client: document.PartyFields{Name: "Ada Byron"},
		Case:   document.CaseFields{Title: "Byron v. Globex Corporation"},
	})
	fmt.Printf("%s\n%s", title, body)

	_, _, err = c.Execute(document.MergeData{Case: document.CaseFields{Title: "Byron v. Globex Corporation"}})
	var te *document.TemplateError
	fmt.Println(errors.As(err, &te), err)
	// Output:
	// template letter, line 2, column 7: .Case.Judge: is not a field of CaseFields (it has Reference, Title, Type, PracticeArea, DocketNumber, Stage, OpenedOn)
	// Letter to Ada Byron
	// Dear Ada Byron,
	// Re: Byron v. Globex Corporation
	// true template letter (title), line 1, column 13: .Client.Name: has no value for this case: fill it in, or guard it with {{if}}
}
