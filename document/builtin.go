package document

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed templates
var templateFiles embed.FS

// Builtin returns the templates Docket ships: an engagement letter, a
// notice of appearance and a letter to a client, in Markdown. Each is
// checked against MergeData; a firm stores its own copies through the
// Firm to change them.
func Builtin() []Template {
	b, err := templateFiles.ReadFile("templates/templates.json")
	if err != nil {
		panic(fmt.Sprintf("document: built-in templates: %v", err))
	}
	var list []struct {
		ID        TemplateID `json:"id"`
		Name      string     `json:"name"`
		Kind      Kind       `json:"kind"`
		MediaType string     `json:"media_type"`
		Title     string     `json:"title"`
		File      string     `json:"file"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		panic(fmt.Sprintf("document: built-in templates: %v", err))
	}
	out := make([]Template, 0, len(list))
	for _, l := range list {
		body, err := templateFiles.ReadFile("templates/" + l.File)
		if err != nil {
			panic(fmt.Sprintf("document: built-in template %s: %v", l.ID, err))
		}
		out = append(out, Template{ID: l.ID, Name: l.Name, Kind: l.Kind, MediaType: l.MediaType, Title: l.Title, Body: string(body)})
	}
	return out
}
