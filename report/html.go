package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// WriteHTML writes the report as one self-contained HTML file: its
// tables, and three charts drawn in inline SVG (caseload by stage,
// deadlines per week, workload per person). It loads nothing: no script,
// no font, no image, no style sheet from elsewhere (its content security
// policy forbids them), so it opens in any browser with no network and
// can be mailed as it is.
func (r *Report) WriteHTML(w io.Writer) error {
	charts := []Chart{r.caseloadChart(), r.deadlineChart(), r.workloadChart()}
	type htmlTable struct {
		Heading string
		Columns []string
		Rows    [][]string
	}
	data := struct {
		Title, Summary string
		Omitted        string
		Charts         []template.HTML
		Tables         []htmlTable
	}{Title: r.Title()}
	for _, t := range r.tables() {
		data.Tables = append(data.Tables, htmlTable{t.heading, t.columns, t.rows})
	}
	// html/template escapes the page's text itself.
	data.Summary = r.summary(func(s string) string { return s })
	if len(r.Omitted) > 0 {
		data.Omitted = "Left out, as the reader's roles do not reach them: " + strings.Join(r.Omitted, ", ") + "."
	}
	for _, c := range charts {
		data.Charts = append(data.Charts, c.SVG())
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
p.summary { color: #444; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
p.none { color: #666; font-style: italic; }
svg text { font-family: system-ui, sans-serif; font-size: 11px; fill: #1b1b1b; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="summary">{{.Summary}}</p>
{{with .Omitted}}<p class="summary">{{.}}</p>{{end}}
<div class="charts">
{{range .Charts}}{{.}}
{{end}}</div>
{{range .Tables}}<h2>{{.Heading}}</h2>
{{if .Rows}}<table>
<thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{else}}<p class="none">None.</p>
{{end}}{{end}}</body>
</html>
`))

// Chart is a horizontal bar chart: a bar (of one or more stacked parts)
// per label.
type Chart struct {
	Title string
	// Series names the stacked parts, with their colours.
	Series []Series
	Bars   []Bar
}

// Series is one part of a stacked bar.
type Series struct {
	Name, Colour string
}

// Bar is one bar: its label and a value per series.
type Bar struct {
	Label  string
	Values []int
}

// SVG draws the chart as inline SVG, scaled to its largest bar, with the
// values written at the bars' ends; an empty chart says so.
func (c Chart) SVG() template.HTML {
	const (
		labelW, barMax, rowH, top = 190, 320, 22, 28
	)
	most := 0
	for _, b := range c.Bars {
		most = max(most, sum(b.Values))
	}
	height := top + rowH*max(len(c.Bars), 1) + 10
	width := labelW + barMax + 60
	var s strings.Builder
	fmt.Fprintf(&s, `<figure><figcaption>%s</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		esc(c.Title), width, height, width, height, esc(c.Title))
	x := labelW
	for _, se := range c.Series {
		fmt.Fprintf(&s, `<rect x="%d" y="6" width="10" height="10" fill="%s"/><text x="%d" y="15">%s</text>`, x, esc(se.Colour), x+14, esc(se.Name))
		x += 14 + 7*len(se.Name) + 16
	}
	if len(c.Bars) == 0 || most == 0 {
		fmt.Fprintf(&s, `<text x="0" y="%d">None in the period.</text></svg></figure>`, top+14)
		return template.HTML(s.String())
	}
	for i, b := range c.Bars {
		y := top + i*rowH
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+14, esc(clipLabel(b.Label)))
		x := labelW
		for j, v := range b.Values {
			w := v * barMax / most
			if v > 0 && w == 0 {
				w = 1
			}
			colour := "#888"
			if j < len(c.Series) {
				colour = c.Series[j].Colour
			}
			fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %d</title></rect>`, x, y+3, w, rowH-6, esc(colour), esc(seriesName(c, j)), v)
			x += w
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d">%d</text>`, x+4, y+14, sum(b.Values))
	}
	s.WriteString(`</svg></figure>`)
	return template.HTML(s.String())
}

func seriesName(c Chart, j int) string {
	if j < len(c.Series) {
		return c.Series[j].Name
	}
	return ""
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func clipLabel(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:29]) + "…"
	}
	return s
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// caseloadChart: open cases by type and stage.
func (r *Report) caseloadChart() Chart {
	c := Chart{Title: "Caseload by stage", Series: []Series{{"open cases", "#3b6ea5"}}}
	for _, s := range r.OpenCases {
		c.Bars = append(c.Bars, Bar{Label: s.Type + " / " + s.Stage, Values: []int{s.Cases}})
	}
	return c
}

// deadlineChart: deadlines falling due in each week of the period, met
// and missed.
func (r *Report) deadlineChart() Chart {
	c := Chart{Title: "Deadlines per week", Series: []Series{{"met", "#2e8b57"}, {"missed", "#c0392b"}}}
	cal := r.Period.calendar()
	for w := cal.weekOfDate(r.Period.First()); w.Start.Before(r.Period.End); w = w.Next() {
		met, missed := 0, 0
		// A deadline is on its court date.
		in := func(d DeadlineRow) bool { return w.ContainsDate(d.Due) && r.Period.ContainsDate(d.Due) }
		for _, d := range r.DeadlinesMet {
			if in(d) {
				met++
			}
		}
		for _, d := range r.DeadlinesMissed {
			if in(d) {
				missed++
			}
		}
		c.Bars = append(c.Bars, Bar{Label: "week of " + w.First().Time(time.UTC).Format("2 Jan"), Values: []int{met, missed}})
	}
	return c
}

// workloadChart: open cases per case manager and attorney.
func (r *Report) workloadChart() Chart {
	c := Chart{Title: "Workload per person", Series: []Series{{"open cases", "#3b6ea5"}, {"deadlines due next", "#d98c1f"}}}
	for _, p := range r.People {
		c.Bars = append(c.Bars, Bar{Label: p.Name + " (" + p.Role + ")", Values: []int{p.OpenCases, p.DeadlinesDue}})
	}
	return c
}
