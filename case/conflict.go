package cases

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
)

// Name match scores, before the role weight is applied.
const (
	scoreExact       = 1.0
	scoreAlias       = 0.95
	scoreCompany     = 0.95
	scoreMiddle      = 0.9 // the same given name and surname, middle names differ
	scoreNickname    = 0.85
	scorePhonetic    = 0.7
	relatedDiscount  = 0.8 // applied to the match of the contact a related contact hangs from
	weightEngaged    = 1.0 // a rule is engaged
	weightCoDefend   = 0.8 // co-defendants: material limitation
	weightReview     = 0.5 // a role to look at, no rule engaged directly
	weightNoConflict = 0.3 // known already, no conflict in itself
)

// CheckConflicts compares each subject with every known contact and returns
// the hits, strongest first (Score descending, then Subject, ContactName,
// Reference for a deterministic order).
//
// Names are compared as written, by alias, with company suffixes set aside,
// through nicknames and by sound (see MatchKind); a subject whose Contact
// is a known contact's ID matches it outright. Persons are only compared
// with persons and organisations with organisations; a subject with no
// Kind is compared with both. The best match of a subject and a contact
// yields one hit for each role the contact has on a case (or one hit with
// no case), weighted by what the subject's role and the contact's role
// mean together (ABA Model Rules 1.7 and 1.9). Contacts related to a
// matched contact (parent, subsidiary, spouse ...) in either direction, and
// not matched themselves, yield MatchRelated hits for their roles.
//
// CheckConflicts does no I/O; it indexes the known contacts once per call,
// so a call with many subjects costs little more than one with a single
// subject.
func CheckConflicts(subjects []Subject, known []Known) []Hit {
	if len(subjects) == 0 || len(known) == 0 {
		return nil
	}
	idx := buildConflictIndex(known)
	var hits []Hit
	for i := range subjects {
		hits = append(hits, idx.check(&subjects[i])...)
	}
	slices.SortFunc(hits, compareHits)
	return hits
}

// compareHits orders hits strongest first and then by every field, so that
// the order never depends on the input order.
func compareHits(a, b Hit) int {
	return cmp.Or(
		cmp.Compare(b.Score, a.Score),
		cmp.Compare(a.Subject, b.Subject),
		cmp.Compare(a.ContactName, b.ContactName),
		cmp.Compare(a.Reference, b.Reference),
		cmp.Compare(a.Contact, b.Contact),
		cmp.Compare(a.Case, b.Case),
		cmp.Compare(a.Role, b.Role),
		cmp.Compare(a.SubjectRole, b.SubjectRole),
		cmp.Compare(a.Match, b.Match),
		cmp.Compare(a.MatchedName, b.MatchedName),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Reason, b.Reason),
	)
}

// nameForm is one name of a contact or subject, prepared for comparison.
type nameForm struct {
	raw   string
	alias bool
	plain string       // organisations: plainTokens joined, nothing dropped
	norm  string       // NormalizeName
	toks  []string     // person tokens (NormalizeName split)
	codes []soundCodes // Double Metaphone codes per person token
}

// soundCodes are a token's primary and secondary Double Metaphone codes, empty
// for initials and for tokens that are not plain ASCII letters.
type soundCodes struct{ primary, secondary string }

func (c soundCodes) shares(d soundCodes) bool {
	if c.primary == "" || d.primary == "" {
		return false
	}
	return c.primary == d.primary || c.primary == d.secondary ||
		c.secondary == d.primary || c.secondary == d.secondary
}

// nameRef points at one name of one known contact.
type nameRef struct{ known, name int }

// reverseRelation is a relation as seen from the contact it points at.
type reverseRelation struct {
	from int
	kind RelationKind
}

// conflictIndex is the known contacts prepared for one call of CheckConflicts.
type conflictIndex struct {
	known   []Known
	names   [][]nameForm
	byID    map[ContactID][]int
	reverse map[ContactID][]reverseRelation
	// orgs and persons map the normalised name to the names that have it;
	// surnames maps "t:"+surname and "c:"+code to person names.
	orgs, persons map[string][]nameRef
	surnames      map[string][]nameRef
	memo          map[string]soundCodes
}

func buildConflictIndex(known []Known) *conflictIndex {
	idx := &conflictIndex{
		known:    known,
		names:    make([][]nameForm, len(known)),
		byID:     make(map[ContactID][]int, len(known)),
		reverse:  map[ContactID][]reverseRelation{},
		orgs:     map[string][]nameRef{},
		persons:  map[string][]nameRef{},
		surnames: map[string][]nameRef{},
		memo:     map[string]soundCodes{},
	}
	for i := range known {
		c := &known[i].Contact
		if c.ID != "" {
			idx.byID[c.ID] = append(idx.byID[c.ID], i)
		}
		for _, r := range c.Related {
			idx.reverse[r.Contact] = append(idx.reverse[r.Contact], reverseRelation{from: i, kind: r.Kind})
		}
		forms := idx.forms(c.Kind, c.Name, c.Aliases)
		idx.names[i] = forms
		for j, f := range forms {
			r := nameRef{known: i, name: j}
			switch c.Kind {
			case Organization:
				idx.orgs[f.norm] = append(idx.orgs[f.norm], r)
			case Person:
				idx.persons[f.norm] = append(idx.persons[f.norm], r)
				for _, key := range surnameKeys(f) {
					idx.surnames[key] = append(idx.surnames[key], r)
				}
			}
		}
	}
	return idx
}

// forms prepares a name and its aliases, skipping blank ones.
func (idx *conflictIndex) forms(kind ContactKind, name string, aliases []string) []nameForm {
	var out []nameForm
	add := func(raw string, alias bool) {
		var toks []string
		var plain string
		if kind == Organization {
			base := plainTokens(raw)
			plain, toks = strings.Join(base, " "), orgTokens(base)
		} else {
			toks = nameTokens(kind, raw)
		}
		if len(toks) == 0 {
			return
		}
		f := nameForm{raw: strings.TrimSpace(raw), alias: alias, plain: plain, norm: strings.Join(toks, " ")}
		if kind == Person {
			f.toks = toks
			f.codes = make([]soundCodes, len(toks))
			for i, t := range toks {
				f.codes[i] = idx.metaphone(t)
			}
		}
		out = append(out, f)
	}
	add(name, false)
	for _, a := range aliases {
		add(a, true)
	}
	return out
}

// metaphone returns the Double Metaphone codes of a token, remembered for
// the call since names repeat.
func (idx *conflictIndex) metaphone(t string) soundCodes {
	if c, ok := idx.memo[t]; ok {
		return c
	}
	var c soundCodes
	if len(t) >= 2 && isASCIILetters(t) {
		c.primary, c.secondary = matchr.DoubleMetaphone(t)
		if c.secondary == "" {
			c.secondary = c.primary
		}
	}
	idx.memo[t] = c
	return c
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// surnameKeys are the keys under which a person's name is found by its
// surname: the surname itself and its sound codes.
func surnameKeys(f nameForm) []string {
	last := len(f.toks) - 1
	keys := []string{"t:" + f.toks[last]}
	if c := f.codes[last]; c.primary != "" {
		keys = append(keys, "c:"+c.primary)
		if c.secondary != c.primary {
			keys = append(keys, "c:"+c.secondary)
		}
	}
	return keys
}

// nameMatch is how a subject matched a known contact.
type nameMatch struct {
	kind   MatchKind
	score  float64
	detail string // the explanation in parentheses
	// subject and matched are the names that matched, as written.
	subject, matched string
	order            int // lower wins a tie: earlier name pairs
}

func (m nameMatch) better(o nameMatch) bool {
	if m.score != o.score {
		return m.score > o.score
	}
	if r, s := kindRank(m.kind), kindRank(o.kind); r != s {
		return r < s
	}
	return m.order < o.order
}

func kindRank(k MatchKind) int {
	switch k {
	case MatchExact:
		return 0
	case MatchAlias:
		return 1
	case MatchCompany:
		return 2
	case MatchNickname:
		return 3
	case MatchPhonetic:
		return 4
	}
	return 5
}

// check finds the hits of one subject.
func (idx *conflictIndex) check(s *Subject) []Hit {
	best := map[int]nameMatch{}
	consider := func(i int, m nameMatch) {
		if old, ok := best[i]; !ok || m.better(old) {
			best[i] = m
		}
	}
	if s.Contact != "" {
		for _, i := range idx.byID[s.Contact] {
			consider(i, nameMatch{kind: MatchExact, score: scoreExact, detail: "the same contact record",
				subject: cmp.Or(strings.TrimSpace(s.Name), string(s.Contact)), matched: idx.known[i].Contact.Name, order: -1})
		}
	}
	kinds := []ContactKind{s.Kind}
	if s.Kind != Person && s.Kind != Organization {
		kinds = []ContactKind{Person, Organization}
	}
	order := 0
	for _, kind := range kinds {
		for _, sv := range idx.forms(kind, s.Name, s.Aliases) {
			for _, r := range idx.candidates(kind, sv) {
				kv := idx.names[r.known][r.name]
				m, ok := compareForms(kind, sv, kv)
				if !ok {
					continue
				}
				m.order = order*1000 + r.name
				m.subject, m.matched = sv.raw, kv.raw
				m.detail = aliasDetail(m, sv, kv, s.Name, idx.known[r.known].Contact.Name)
				consider(r.known, m)
			}
			order++
		}
	}
	if len(best) == 0 {
		return nil
	}
	matched := make([]int, 0, len(best))
	for i := range best {
		matched = append(matched, i)
	}
	slices.Sort(matched)

	var hits []Hit
	for _, i := range matched {
		m := best[i]
		k := &idx.known[i]
		if k.Contact.ID == s.Contact && len(k.Roles) == 0 {
			// The subject's own record, with no role anywhere: nothing to
			// report (its relations are still followed below).
			continue
		}
		reason := fmt.Sprintf("%q matches %q (%s)", m.subject, m.matched, m.detail)
		hits = append(hits, roleHits(s, k, m.kind, m.matched, m.score, reason)...)
	}
	hits = append(hits, idx.relatedHits(s, matched, best)...)
	return hits
}

// candidates returns the known names worth comparing with a subject's name:
// those with the same normalised name and, for persons, those whose surname
// sounds alike.
func (idx *conflictIndex) candidates(kind ContactKind, sv nameForm) []nameRef {
	if kind == Organization {
		return idx.orgs[sv.norm]
	}
	seen := map[nameRef]bool{}
	var out []nameRef
	add := func(rs []nameRef) {
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	add(idx.persons[sv.norm])
	for _, key := range surnameKeys(sv) {
		add(idx.surnames[key])
	}
	return out
}

// aliasDetail turns a match through an alias into MatchAlias, and says
// which name was an alias.
func aliasDetail(m nameMatch, sv, kv nameForm, subjectName, contactName string) string {
	if !sv.alias && !kv.alias {
		return m.detail
	}
	var notes []string
	if kv.alias {
		notes = append(notes, fmt.Sprintf("%q is an alias of %s", kv.raw, contactName))
	}
	if sv.alias {
		notes = append(notes, fmt.Sprintf("%q is an alias of %s", sv.raw, strings.TrimSpace(subjectName)))
	}
	if m.kind != MatchAlias {
		notes = append([]string{m.detail}, notes...)
	}
	return strings.Join(notes, ", and ")
}

// compareForms compares a subject's name with a known name of the same
// kind.
func compareForms(kind ContactKind, sv, kv nameForm) (nameMatch, bool) {
	viaAlias := sv.alias || kv.alias
	if kind == Organization {
		switch {
		case sv.norm != kv.norm:
			return nameMatch{}, false
		case viaAlias:
			return nameMatch{kind: MatchAlias, score: scoreAlias}, true
		case sv.plain == kv.plain:
			return nameMatch{kind: MatchExact, score: scoreExact, detail: "the same name"}, true
		default:
			return nameMatch{kind: MatchCompany, score: scoreCompany, detail: "the same company once the corporate suffix is set aside"}, true
		}
	}
	if sv.norm == kv.norm {
		if viaAlias {
			return nameMatch{kind: MatchAlias, score: scoreAlias}, true
		}
		return nameMatch{kind: MatchExact, score: scoreExact, detail: "the same name"}, true
	}
	a, b := sv.toks, kv.toks
	if len(a) >= 2 && len(b) >= 2 && a[len(a)-1] == b[len(b)-1] && middlesCompatible(a, b) {
		switch rel, formal := nicknameRelation(a[0], b[0]); {
		case a[0] == b[0]:
			return nameMatch{kind: MatchExact, score: scoreMiddle, detail: "the middle name differs"}, true
		case rel != "":
			return nameMatch{kind: MatchNickname, score: scoreNickname, detail: nicknameNote(a[0], b[0], rel, formal)}, true
		}
	}
	if notes, ok := soundsAlike(sv, kv); ok {
		return nameMatch{kind: MatchPhonetic, score: scorePhonetic, detail: notes}, true
	}
	return nameMatch{}, false
}

// middlesCompatible reports whether the middle names of two names of at
// least two tokens agree: the shorter list appears in order in the longer,
// an initial standing for any name with that first letter.
func middlesCompatible(a, b []string) bool {
	ma, mb := a[1:len(a)-1], b[1:len(b)-1]
	if len(ma) > len(mb) {
		ma, mb = mb, ma
	}
	j := 0
	for _, t := range ma {
		for j < len(mb) && !sameOrInitial(t, mb[j]) {
			j++
		}
		if j == len(mb) {
			return false
		}
		j++
	}
	return true
}

// sameOrInitial reports whether two tokens are equal or one is the initial
// of the other.
func sameOrInitial(a, b string) bool {
	if a == b {
		return true
	}
	if isInitial(a) || isInitial(b) {
		ra, _ := utf8.DecodeRuneInString(a)
		rb, _ := utf8.DecodeRuneInString(b)
		return ra == rb
	}
	return false
}

func isInitial(t string) bool { return utf8.RuneCountInString(t) == 1 }

// soundsAlike applies the phonetic rule: the surnames (last tokens, not
// initials) sound alike, and every other token of the shorter name matches,
// in order, a token of the longer one by sound, nickname or, for an
// initial, by first letter. A one-token name only sounds like another
// one-token name. It returns the explanation.
func soundsAlike(sv, kv nameForm) (string, bool) {
	a, ca, b, cb := sv.toks, sv.codes, kv.toks, kv.codes
	swapped := false
	if len(a) > len(b) {
		a, ca, b, cb = b, cb, a, ca
		swapped = true
	}
	if len(a) == 1 && len(b) != 1 {
		return "", false
	}
	la, lb := len(a)-1, len(b)-1
	if isInitial(a[la]) || isInitial(b[lb]) || (a[la] != b[lb] && !ca[la].shares(cb[lb])) {
		return "", false
	}
	var notes []string
	note := func(x, y string, cx, cy soundCodes) {
		if x == y {
			return
		}
		if swapped {
			x, y, cx, cy = y, x, cy, cx
		}
		switch {
		case isInitial(x):
			notes = append(notes, fmt.Sprintf("%s is the initial of %s", titleWord(x), titleWord(y)))
		case isInitial(y):
			notes = append(notes, fmt.Sprintf("%s is the initial of %s", titleWord(y), titleWord(x)))
		case cx.shares(cy):
			notes = append(notes, fmt.Sprintf("%s sounds like %s", titleWord(x), titleWord(y)))
		default:
			rel, formal := nicknameRelation(x, y)
			notes = append(notes, nicknameNote(x, y, rel, formal))
		}
	}
	j := 0
	for i := range la {
		for j < lb && !tokensAlike(a[i], b[j], ca[i], cb[j]) {
			j++
		}
		if j == lb {
			return "", false
		}
		note(a[i], b[j], ca[i], cb[j])
		j++
	}
	note(a[la], b[lb], ca[la], cb[lb])
	if len(notes) == 0 {
		return "the shorter name is part of the longer", true
	}
	return strings.Join(notes, ", "), true
}

// tokensAlike compares two given or middle name tokens for the phonetic
// rule.
func tokensAlike(x, y string, cx, cy soundCodes) bool {
	if x == y {
		return true
	}
	if isInitial(x) || isInitial(y) {
		return sameOrInitial(x, y)
	}
	return cx.shares(cy) || nicknameEquivalent(x, y)
}

// nicknameNote explains how two given names are related through the
// nickname table.
func nicknameNote(a, b, rel, formal string) string {
	switch rel {
	case "nickname":
		return fmt.Sprintf("%s is a nickname of %s", titleWord(a), titleWord(b))
	case "formal":
		return fmt.Sprintf("%s is a nickname of %s", titleWord(b), titleWord(a))
	case "shared":
		return fmt.Sprintf("%s and %s are both short for %s", titleWord(a), titleWord(b), titleWord(formal))
	}
	return fmt.Sprintf("%s and %s are forms of one name", titleWord(a), titleWord(b))
}

// titleWord capitalises a normalised token for an explanation.
func titleWord(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	if n == 0 {
		return t
	}
	return string(unicode.ToUpper(r)) + t[n:]
}

// roleHits makes one hit per role of the contact, or one without a case
// when it has none. reason explains the name match; the role's own
// explanation is appended.
func roleHits(s *Subject, k *Known, kind MatchKind, matchedName string, score float64, reason string) []Hit {
	base := Hit{
		Subject:     strings.TrimSpace(s.Name),
		SubjectRole: s.Role,
		Contact:     k.Contact.ID,
		ContactName: k.Contact.Name,
		MatchedName: matchedName,
		Match:       kind,
	}
	if len(k.Roles) == 0 {
		h := base
		h.Score = round2(score * weightNoConflict)
		h.Reason = reason + "; " + k.Contact.Name + " has no role on any case"
		return []Hit{h}
	}
	hits := make([]Hit, 0, len(k.Roles))
	for _, r := range k.Roles {
		rule, weight, text := assessRole(s.Role, r, k.Contact.Name)
		h := base
		h.Case, h.Reference, h.Role = r.Case, r.Reference, r.Role
		if r.Case == "" {
			h.Intake = r.Intake
		}
		h.Rule = rule
		h.Score = round2(score * weight)
		h.Reason = reason + "; " + text
		hits = append(hits, h)
	}
	return hits
}

// assessRole says which rule, if any, a subject's role and a known role on
// a case engage, the weight of the hit and why, in words.
func assessRole(sr SubjectRole, r KnownRole, name string) (rule string, weight float64, text string) {
	on := caseText(r)
	if !r.Open && r.Intake == "" {
		on = "closed case " + on
	}
	review := func() (string, float64, string) {
		verb := "is"
		if !r.Open {
			verb = "was"
		}
		return "", weightReview, fmt.Sprintf("%s %s %s on %s: no rule is engaged directly, but the role should be reviewed", name, verb, roleNoun(r.Role), on)
	}
	if r.Intake != "" {
		return assessIntakeRole(sr, r, name, on)
	}
	switch sr {
	case SubjectClient:
		switch r.Role {
		case RoleOpposingParty:
			if r.Open {
				return "1.7", weightEngaged, fmt.Sprintf("direct adversity: %s is an opposing party on %s, so acting for them would be adverse to a current client, which engages ABA Model Rule 1.7", name, on)
			}
			return "", weightReview, fmt.Sprintf("%s was an opposing party on %s: if the new matter is the same or substantially related and adverse to that case's client, a former client, ABA Model Rule 1.9 is engaged; review it", name, on)
		case RoleClient:
			if r.Open {
				return "", weightNoConflict, fmt.Sprintf("%s is already a current client on %s, which is no conflict in itself", name, on)
			}
			return "", weightNoConflict, fmt.Sprintf("%s is a former client on %s, which is no conflict in itself", name, on)
		case RoleCoDefendant:
			if r.Open {
				return "1.7", weightCoDefend, fmt.Sprintf("%s is a co-defendant on %s: the co-defendants' interests may conflict, a material limitation under ABA Model Rule 1.7", name, on)
			}
		}
	case SubjectAdverse:
		switch r.Role {
		case RoleClient:
			if r.Open {
				return "1.7", weightEngaged, fmt.Sprintf("%s is a current client on %s: acting against a current client engages ABA Model Rule 1.7", name, on)
			}
			return "1.9", weightEngaged, fmt.Sprintf("%s is a former client on %s: acting against a former client in the same or a substantially related matter engages ABA Model Rule 1.9", name, on)
		case RoleOpposingParty:
			verb := "is"
			if !r.Open {
				verb = "was"
			}
			return "", weightNoConflict, fmt.Sprintf("%s %s also an opposing party on %s, which is no conflict in itself", name, verb, on)
		}
	}
	return review()
}

// assessIntakeRole weighs a role from an intake: what a prospective client
// told the firm is protected by ABA Model Rule 1.18 even though no case
// was opened.
func assessIntakeRole(sr SubjectRole, r KnownRole, name, on string) (string, float64, string) {
	switch {
	case r.Role == RoleProspect && sr == SubjectAdverse:
		return "1.18", weightEngaged, fmt.Sprintf("%s consulted the firm as a prospective client (%s): acting against them in the same or a substantially related matter engages ABA Model Rule 1.18 if the firm learned information that could significantly harm them", name, on)
	case r.Role == RoleProspect:
		return "", weightNoConflict, fmt.Sprintf("%s already consulted the firm (%s), which is no conflict in itself", name, on)
	case r.Role.Adverse() && sr == SubjectClient:
		return "1.18", weightEngaged, fmt.Sprintf("%s was named as an adverse party by a prospective client (%s): the firm may hold that prospect's confidential information, so acting for %s engages ABA Model Rule 1.18", name, on, name)
	}
	return "", weightReview, fmt.Sprintf("%s was named as %s in %s: no rule is engaged directly, but the role should be reviewed", name, roleNoun(r.Role), on)
}

// caseText names a case as "reference (title)", or an intake by its
// description.
func caseText(r KnownRole) string {
	ref := r.Reference
	if ref == "" {
		ref = string(r.Case)
	}
	switch {
	case ref == "":
		return r.Title
	case r.Title == "":
		return ref
	}
	return ref + " (" + r.Title + ")"
}

// roleNoun names a party role with its article.
func roleNoun(r PartyRole) string {
	switch r {
	case RoleClient:
		return "a client"
	case RoleOpposingParty:
		return "an opposing party"
	case RoleOpposingCounsel:
		return "opposing counsel"
	case RoleCoDefendant:
		return "a co-defendant"
	case RoleWitness:
		return "a witness"
	case RoleExpert:
		return "an expert"
	case RoleJudge:
		return "the judge"
	case RoleInsurer:
		return "the insurer"
	case RoleProspect:
		return "a prospective client"
	}
	return "a participant"
}

// relatedVia is a contact reached from a matched contact through a relation.
type relatedVia struct {
	reason string // "X is a subsidiary of Y, which matches ..."
	m      nameMatch
}

// relatedHits follows the relations of the matched contacts, both those a
// matched contact lists and those that list it, one step, to contacts that
// have roles and were not matched themselves.
func (idx *conflictIndex) relatedHits(s *Subject, matched []int, best map[int]nameMatch) []Hit {
	found := map[int]relatedVia{}
	var order []int
	reach := func(to, via int, phrase string) {
		if _, direct := best[to]; direct || len(idx.known[to].Roles) == 0 {
			return
		}
		m := best[via]
		reason := fmt.Sprintf("%s, which matches %q (%s)", phrase, m.subject, m.detail)
		old, ok := found[to]
		if !ok {
			order = append(order, to)
		}
		// The strongest path wins; a tie goes to the first reason in
		// alphabetical order, so that the input order does not matter.
		if !ok || m.score > old.m.score || m.score == old.m.score && reason < old.reason {
			found[to] = relatedVia{reason: reason, m: m}
		}
	}
	for _, k := range matched {
		kc := &idx.known[k].Contact
		for _, rel := range kc.Related {
			for _, to := range idx.byID[rel.Contact] {
				reach(to, k, relationPhrase(idx.known[to].Contact.Name, kc.Name, rel.Kind, false))
			}
		}
		if kc.ID == "" {
			continue
		}
		for _, rr := range idx.reverse[kc.ID] {
			reach(rr.from, k, relationPhrase(idx.known[rr.from].Contact.Name, kc.Name, rr.kind, true))
		}
	}
	var hits []Hit
	for _, to := range order {
		r := found[to]
		hits = append(hits, roleHits(s, &idx.known[to], MatchRelated, r.m.matched, r.m.score*relatedDiscount, r.reason)...)
	}
	return hits
}

// relationPhrase says how contact to relates to contact of: forward when of
// lists to with the relation kind, reverse when to lists of.
func relationPhrase(to, of string, kind RelationKind, reverse bool) string {
	var p string
	switch kind {
	case RelParent:
		p = "the parent company of"
		if reverse {
			p = "a subsidiary of"
		}
	case RelSubsidiary:
		p = "a subsidiary of"
		if reverse {
			p = "the parent company of"
		}
	case RelSpouse:
		p = "the spouse of"
	case RelEmployer:
		p = "the employer of"
		if reverse {
			p = "an employee of"
		}
	case RelAffiliate:
		p = "an affiliate of"
	case RelFamily:
		p = "a family member of"
	default:
		p = "related (" + string(kind) + ") to"
	}
	return to + " is " + p + " " + of
}

// round2 rounds a score to two decimals, half up: the small bias stops
// 0.95 x 0.3, computed as 0.28499999..., from rounding down.
func round2(x float64) float64 { return math.Round(x*100+1e-9) / 100 }
