package audit

import (
	"encoding/json"
	"testing"
)

// FuzzJSONString: the fast string encoder writes exactly what
// encoding/json writes, so Diff's output does not depend on which path
// encoded a field.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " backslash \ tab	`, "<b>&amp;</b>", "\u2028\u2029", "\x00\x1f\x7f", "bad \xff utf-8", "María 王 👩‍⚖️"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}
