package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	cases "github.com/docketkit/docket/case"
)

// Counting is a jurisdiction's scheme for counting periods.
type Counting string

// Counting schemes.
const (
	// CountFederal is FRCP 6(a), and the same scheme in FRAP 26(a), FRCrP
	// 45(a) and FRBP 9006(a): exclude the trigger day, count every day,
	// include the last; a last day that is a Saturday, Sunday or legal
	// holiday runs to the next day that is none of these (later for a
	// period counted forward, earlier for one counted back); state
	// holidays count only forward; a service extension (FRCP 6(d), FRAP
	// 26(c), FRCrP 45(c)) adds its days after the period would otherwise
	// end, and the result rolls again.
	CountFederal Counting = "federal"
	// CountCalifornia is CCP 12, 12a and 12c: exclude the first day,
	// include the last; a last day that is a Saturday, Sunday or judicial
	// holiday runs to the next day that is none (for a period counted
	// back from a hearing, to the court day before); a service extension
	// (CCP 1013, 1010.6) extends the period itself, in the period's
	// direction.
	CountCalifornia Counting = "california"
)

// Unit is what a period counts.
type Unit string

// Units.
const (
	Days      Unit = "days"       // calendar days
	CourtDays Unit = "court-days" // days the court is open
	Hours     Unit = "hours"
)

// Direction says whether a period runs after its trigger or before it.
type Direction string

// Directions.
const (
	After  Direction = "after"
	Before Direction = "before"
)

// Period is a length of time counted from a trigger.
type Period struct {
	Count     int       `json:"count"`
	Unit      Unit      `json:"unit"`
	Direction Direction `json:"direction"`
}

// String writes the period as its rule states it: "14 days after".
func (p Period) String() string {
	unit := strings.ReplaceAll(string(p.Unit), "-", " ")
	if p.Count == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	return fmt.Sprintf("%d %s %s", p.Count, unit, p.Direction)
}

// Service is how a paper was served.
type Service string

// Service methods.
const (
	ServicePersonal          Service = "personal"
	ServiceMail              Service = "mail"               // within the state, for rule sets that distinguish
	ServiceMailOutOfState    Service = "mail-out-of-state"  // to an address in another state (CCP 1013(a): 10 days)
	ServiceMailInternational Service = "mail-international" // to an address outside the United States (CCP 1013(a): 20 days)
	ServiceElectronic        Service = "electronic"
	ServiceClerk             Service = "clerk"     // left with the court clerk (FRCP 5(b)(2)(D))
	ServiceConsented         Service = "consented" // other means the person consented to in writing (FRCP 5(b)(2)(F))
	ServiceOvernight         Service = "overnight" // express mail or overnight delivery (CCP 1013(c))
	ServiceFax               Service = "fax"
)

// Services lists every service method, in a stable order.
var Services = []Service{ServicePersonal, ServiceMail, ServiceMailOutOfState, ServiceMailInternational, ServiceElectronic, ServiceClerk, ServiceConsented, ServiceOvernight, ServiceFax}

// Extension is the time a service method adds to a period that runs from
// service.
type Extension struct {
	Count    int    `json:"count"`
	Unit     Unit   `json:"unit"` // Days or CourtDays
	Citation string `json:"citation"`
}

// Version is one version of a rule set's common provisions, in force for
// triggers on or after Effective until the next version.
type Version struct {
	Version   string `json:"version"`
	Effective Date   `json:"effective"`
	// Service maps each service method to its extension; a method not
	// listed adds nothing.
	Service map[Service]Extension `json:"service"`
	// Note says what changed with this version.
	Note string `json:"note,omitempty"`
}

// Rule is one deadline rule: what triggers it, the period, and where the
// law says so.
type Rule struct {
	// ID is unique within the rule set: "answer", "notice-of-appeal".
	ID    string `json:"id"`
	Title string `json:"title"`
	// Citation is the rule's own citation: "Fed. R. Civ. P. 12(a)(1)(A)(i)".
	Citation string `json:"citation"`
	// Trigger is the kind of event the period runs from: "summons-served".
	Trigger string `json:"trigger"`
	// When lists facts of the trigger that must all hold ("us-party");
	// Unless lists facts any of which rules the rule out.
	When   []string `json:"when,omitempty"`
	Unless []string `json:"unless,omitempty"`
	Period Period   `json:"period"`
	// Service is set when the period runs after service of a paper by a
	// method the rule set's extensions apply to (FRCP 5(b) service, not
	// a summons under Rule 4).
	Service bool `json:"service"`
	// Extensions, when set, replace the rule set version's extensions for
	// the methods they name, for this rule alone: CCP 1005(b) adds two
	// calendar days, not court days, for fax or overnight service of
	// motion papers.
	Extensions map[Service]Extension `json:"extensions,omitempty"`
	// From and Until bound the triggers the rule applies to (inclusive;
	// zero for no bound): a rule amended on 1 December 2024.
	From  Date `json:"from"`
	Until Date `json:"until"`
	// Note adds what the deadline's reader must know: "cannot be
	// extended (Rule 6(b)(2))".
	Note string `json:"note,omitempty"`
}

// RuleSet is a jurisdiction's rules of procedure, as data: its counting
// scheme, its versions with their service extensions, and its rules.
type RuleSet struct {
	// Name is short and unique: "frcp", "frap", "frcrp", "ccp".
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Counting Counting  `json:"counting"`
	Versions []Version `json:"versions"`
	Rules    []Rule    `json:"rules"`
}

// At returns the version in force for a trigger on d: the latest whose
// Effective is on or before d.
func (s *RuleSet) At(d Date) (*Version, bool) {
	var best *Version
	for i := range s.Versions {
		v := &s.Versions[i]
		if !v.Effective.After(d) && (best == nil || best.Effective.Before(v.Effective)) {
			best = v
		}
	}
	return best, best != nil
}

// Rule returns the rule with an ID.
func (s *RuleSet) Rule(id string) (*Rule, bool) {
	for i := range s.Rules {
		if s.Rules[i].ID == id {
			return &s.Rules[i], true
		}
	}
	return nil, false
}

// Triggered returns the rules a trigger sets running: its event kind, on
// its date, with its facts.
func (s *RuleSet) Triggered(t Trigger) []*Rule {
	var out []*Rule
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Trigger != t.Event || !r.From.IsZero() && t.Date.Before(r.From) || !r.Until.IsZero() && t.Date.After(r.Until) {
			continue
		}
		ok := true
		for _, f := range r.When {
			ok = ok && slices.Contains(t.Facts, f)
		}
		for _, f := range r.Unless {
			ok = ok && !slices.Contains(t.Facts, f)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// Validate checks the rule set, naming the field at fault.
func (s *RuleSet) Validate() error {
	rec := "rule set " + s.Name
	if !validName(s.Name) {
		return invalid("rule set", "Name", fmt.Sprintf("%q must be lower-case letters, digits and hyphens", s.Name))
	}
	if s.Counting != CountFederal && s.Counting != CountCalifornia {
		return invalid(rec, "Counting", fmt.Sprintf("%q is not %s or %s", s.Counting, CountFederal, CountCalifornia))
	}
	if len(s.Versions) == 0 {
		return invalid(rec, "Versions", "give at least one version with its effective date")
	}
	seen := map[string]bool{}
	for i, v := range s.Versions {
		field := fmt.Sprintf("Versions[%d]", i)
		if v.Version == "" || seen[v.Version] {
			return invalid(rec, field+".Version", fmt.Sprintf("%q must be given and unique", v.Version))
		}
		seen[v.Version] = true
		if v.Effective.IsZero() || !v.Effective.Valid() {
			return invalid(rec, field+".Effective", "is required")
		}
		for m, e := range v.Service {
			if !slices.Contains(Services, m) {
				return invalid(rec, field+".Service", fmt.Sprintf("%q is not a service method", m))
			}
			if e.Count <= 0 || e.Unit != Days && e.Unit != CourtDays || e.Citation == "" {
				return invalid(rec, field+".Service["+string(m)+"]", "needs a positive count of days or court-days and its citation")
			}
		}
	}
	ids := map[string]bool{}
	for i := range s.Rules {
		r := &s.Rules[i]
		field := fmt.Sprintf("Rules[%d]", i)
		switch {
		case !validName(r.ID) || ids[r.ID]:
			return invalid(rec, field+".ID", fmt.Sprintf("%q must be a unique lower-case name", r.ID))
		case strings.TrimSpace(r.Title) == "":
			return invalid(rec, field+".Title", "is required")
		case strings.TrimSpace(r.Citation) == "":
			return invalid(rec, field+".Citation", "cite the rule")
		case !validName(r.Trigger):
			return invalid(rec, field+".Trigger", fmt.Sprintf("%q must be a lower-case event kind", r.Trigger))
		case r.Period.Count <= 0:
			return invalid(rec, field+".Period.Count", "must be positive")
		case r.Period.Unit != Days && r.Period.Unit != CourtDays && r.Period.Unit != Hours:
			return invalid(rec, field+".Period.Unit", fmt.Sprintf("%q is not days, court-days or hours", r.Period.Unit))
		case r.Period.Direction != After && r.Period.Direction != Before:
			return invalid(rec, field+".Period.Direction", fmt.Sprintf("%q is not after or before", r.Period.Direction))
		case r.Period.Unit == Hours && r.Period.Direction == Before:
			return invalid(rec, field+".Period.Direction", "periods in hours are counted forward only")
		case r.Service && (r.Period.Unit == Hours || s.Counting == CountFederal && r.Period.Direction == Before):
			return invalid(rec, field+".Service", "service extensions apply to periods in days that run after service")
		case !r.From.Valid() || !r.Until.Valid():
			return invalid(rec, field+".From", "is not a date")
		case len(r.Extensions) > 0 && !r.Service:
			return invalid(rec, field+".Extensions", "a rule whose period does not run from service takes no extensions")
		}
		for m, e := range r.Extensions {
			if !slices.Contains(Services, m) {
				return invalid(rec, field+".Extensions", fmt.Sprintf("%q is not a service method", m))
			}
			if e.Count <= 0 || e.Unit != Days && e.Unit != CourtDays || e.Citation == "" {
				return invalid(rec, field+".Extensions["+string(m)+"]", "needs a positive count of days or court-days and its citation")
			}
		}
		ids[r.ID] = true
	}
	return nil
}

// Library holds the holiday calendars and rule sets courts and triggers
// refer to by name.
type Library struct {
	Holidays map[string]*HolidayCalendar
	RuleSets map[string]*RuleSet
}

//go:embed holidays/*.json rules/*.json
var builtin embed.FS

// Builtin returns the holiday calendars and rule sets Docket ships:
// us-federal, us-dc-inauguration and us-ca-judicial holidays; FRCP, FRAP,
// FRCrP and California's CCP. Each call returns a fresh copy.
func Builtin() *Library {
	lib, err := loadLibrary(builtin)
	if err != nil {
		panic(fmt.Sprintf("docket: the built-in calendar data is invalid: %v", err)) // tested
	}
	return lib
}

func loadLibrary(fsys fs.FS) (*Library, error) {
	lib := &Library{Holidays: map[string]*HolidayCalendar{}, RuleSets: map[string]*RuleSet{}}
	hs, _ := fs.Glob(fsys, "holidays/*.json")
	for _, name := range hs {
		var hc HolidayCalendar
		if err := readJSON(fsys, name, &hc); err != nil {
			return nil, err
		}
		if err := lib.AddHolidays(&hc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	rs, _ := fs.Glob(fsys, "rules/*.json")
	for _, name := range rs {
		var s RuleSet
		if err := readJSON(fsys, name, &s); err != nil {
			return nil, err
		}
		if err := lib.AddRuleSet(&s); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return lib, nil
}

func readJSON(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w: %w", name, err, cases.ErrInvalid)
	}
	return nil
}

// AddHolidays adds or replaces a holiday calendar, after checking it.
func (l *Library) AddHolidays(hc *HolidayCalendar) error {
	if err := hc.Validate(); err != nil {
		return err
	}
	l.Holidays[hc.Name] = hc
	return nil
}

// AddRuleSet adds or replaces a rule set, after checking it.
func (l *Library) AddRuleSet(s *RuleSet) error {
	if err := s.Validate(); err != nil {
		return err
	}
	l.RuleSets[s.Name] = s
	return nil
}

func (l *Library) holidayNames() []string {
	out := make([]string, 0, len(l.Holidays))
	for n := range l.Holidays {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
