package correspondence

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	cases "github.com/docketkit/docket/case"
)

// bracketRE finds bracketed tokens in a subject: "[2026-CR-0001]".
var bracketRE = regexp.MustCompile(`\[([A-Za-z0-9][A-Za-z0-9._/-]{0,62})\]`)

// SubjectReferences returns the bracketed tokens of a subject that could
// be case references, in order, each once: "Re: [2026-CR-0001] Motion"
// gives 2026-CR-0001. Which of them name a case is for the caller to
// look up (references compare as written, then in upper case).
func SubjectReferences(subject string) []string {
	var out []string
	for _, m := range bracketRE.FindAllStringSubmatch(subject, 20) {
		ref := m[1]
		if !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}

// FilingAddress is the pattern of the firm's per-case addresses: an
// email address with {ref} where the case reference goes, such as
// "cases+{ref}@firm.example". Mail sent or copied to
// cases+2026-CR-0001@firm.example is filed on case 2026-CR-0001.
type FilingAddress string

// Validate checks the pattern: one {ref}, in the local part.
func (f FilingAddress) Validate() error {
	s := string(f)
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case s == "":
		return nil
	case !ok || domain == "" || strings.Contains(domain, "@"):
		return &cases.FieldError{Record: "firm", Field: "FilingAddress", Problem: fmt.Sprintf("%q is not an email address pattern such as cases+{ref}@firm.example", s)}
	case strings.Count(local, "{ref}") != 1 || strings.Contains(domain, "{ref}"):
		return &cases.FieldError{Record: "firm", Field: "FilingAddress", Problem: fmt.Sprintf("%q must hold {ref} once, before the @", s)}
	}
	return nil
}

// Address returns the filing address of a case reference.
func (f FilingAddress) Address(ref string) string {
	return strings.ToLower(strings.Replace(string(f), "{ref}", ref, 1))
}

// Reference returns the case reference a filing address names (in
// lower case, as addresses compare without case), or false when addr
// does not follow the pattern.
func (f FilingAddress) Reference(addr string) (string, bool) {
	if f == "" {
		return "", false
	}
	pat := strings.ToLower(string(f))
	before, after, _ := strings.Cut(pat, "{ref}")
	addr = strings.ToLower(strings.TrimSpace(addr))
	if len(addr) <= len(before)+len(after) || !strings.HasPrefix(addr, before) || !strings.HasSuffix(addr, after) {
		return "", false
	}
	ref := addr[len(before) : len(addr)-len(after)]
	if !bracketRE.MatchString("[" + ref + "]") {
		return "", false
	}
	return ref, true
}
