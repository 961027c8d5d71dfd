package docket_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/docketkit/docket"

// listed is what `go list -deps -json` says of one package.
type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Module     *struct{ Path string }
}

// TestLayers keeps the floors of DESIGN.md honest: domain packages are
// pure, stores never import the root, and only storage/sqlite (with the
// examples that open SQLite) reaches the cgo driver.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module != nil && p.Module.Path == module {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) < 8 {
		t.Fatalf("go list found only %d packages of the module", len(pkgs))
	}
	domain := map[string][]string{ // package -> the domain packages it may import
		"case":           nil,
		"audit":          nil,
		"access":         nil,
		"calendar":       {"case"},
		"document":       {"case"},
		"correspondence": {"case"},
	}
	const driver = "github.com/mattn/go-sqlite3"
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if allowed, ok := domain[rel]; ok {
			for _, imp := range p.Imports {
				irel, inModule := strings.CutPrefix(imp, module)
				if !inModule {
					continue
				}
				irel = strings.TrimPrefix(irel, "/")
				if _, isDomain := domain[irel]; !isDomain || !slices.Contains(allowed, irel) {
					t.Errorf("domain package %s imports %s", rel, imp)
				}
			}
		}
		if strings.HasPrefix(rel, "storage/") && rel != "storage/storagetest" && slices.Contains(p.Deps, module) {
			t.Errorf("store package %s depends on the root package", rel)
		}
		if rel == "storage/sqlite" && !slices.Contains(p.Imports, driver) {
			t.Errorf("storage/sqlite does not import %s: the test's view of the packages is wrong", driver)
		}
		if rel != "storage/sqlite" && !strings.HasPrefix(rel, "examples/") && slices.Contains(p.Deps, driver) {
			t.Errorf("%s depends on the cgo driver %s; only storage/sqlite may", rel, driver)
		}
	}
}
