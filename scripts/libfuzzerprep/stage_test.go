package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fakeNames resolves the testdata packages' imports without the go command.
func fakeNames(paths []string) (map[string]string, error) {
	names := map[string]string{}
	for _, p := range paths {
		names[p] = filepath.Base(p)
	}
	return names, nil
}

// copyTestdata copies testdata/stage/<name> into a fresh directory, since
// stage writes into the package it stages.
func copyTestdata(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", "stage", name)
	dst := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// stagedFile describes a staged file: its package, imports and top-level
// names (methods as Type.Method).
type stagedFile struct {
	pkg     string
	imports []string
	decls   []string
	src     string
}

func readStaged(t *testing.T, path string) stagedFile {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
	if err != nil {
		t.Fatalf("staged file does not parse: %v\n%s", err, src)
	}
	s := stagedFile{pkg: f.Name.Name, src: string(src)}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		s.imports = append(s.imports, p)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				name = receiverType(d.Recv) + "." + name
			}
			s.decls = append(s.decls, name)
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					s.decls = append(s.decls, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						s.decls = append(s.decls, n.Name)
					}
				}
			}
		}
	}
	sort.Strings(s.decls)
	sort.Strings(s.imports)
	return s
}

func TestStage(t *testing.T) {
	tests := []struct {
		name, pkgDir, target string
		wantDir              string // relative to the package directory
		wantPkg              string
		wantDecls            []string
		wantImports          []string
		wantTB               bool // testing.TB replaced by libfuzzerTB
	}{
		{
			name:   "internal test: helpers from another file, methods of reached types",
			pkgDir: "internal", target: "FuzzParse", wantDir: ".", wantPkg: "demo",
			wantDecls:   []string{"FuzzParse", "check", "counter", "counter.bump", "libfuzzerTB", "limit", "mustBeShort"},
			wantImports: []string{"fmt", "testing"},
			wantTB:      true,
		},
		{
			name:   "internal test: func literal, unreached helpers left out",
			pkgDir: "internal", target: "FuzzMany", wantDir: ".", wantPkg: "demo",
			wantDecls:   []string{"FuzzMany"},
			wantImports: []string{"strings", "testing"},
		},
		{
			name:   "external test: a package of its own",
			pkgDir: "external", target: "FuzzDouble", wantDir: "libfuzzer_FuzzDouble", wantPkg: stagedPackage,
			wantDecls:   []string{"FuzzDouble"},
			wantImports: []string{"example.com/ext", "testing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTestdata(t, tt.pkgDir)
			got, err := stage(dir, tt.target, fakeNames)
			if err != nil {
				t.Fatalf("stage: %v", err)
			}
			wantDir := filepath.Join(dir, tt.wantDir)
			if got != filepath.ToSlash(wantDir) {
				t.Errorf("stage returned %s, want %s", got, wantDir)
			}
			s := readStaged(t, filepath.Join(wantDir, "zz_libfuzzer_"+strings.ToLower(tt.target)+".go"))
			if s.pkg != tt.wantPkg {
				t.Errorf("package %s, want %s", s.pkg, tt.wantPkg)
			}
			if !reflect.DeepEqual(s.decls, tt.wantDecls) {
				t.Errorf("declarations %v, want %v\n%s", s.decls, tt.wantDecls, s.src)
			}
			if !reflect.DeepEqual(s.imports, tt.wantImports) {
				t.Errorf("imports %v, want %v\n%s", s.imports, tt.wantImports, s.src)
			}
			if got := strings.Contains(s.src, "testing.TB"); got {
				t.Errorf("staged file still names testing.TB:\n%s", s.src)
			}
			if got := strings.Contains(s.src, "tb libfuzzerTB"); got != tt.wantTB {
				t.Errorf("helper takes libfuzzerTB: %v, want %v\n%s", got, tt.wantTB, s.src)
			}
		})
	}
}

func TestStageRefuses(t *testing.T) {
	tests := []struct {
		name, pkgDir, target, wantErr string
	}{
		{"fuzz function from another package", "foreign", "FuzzForeign", "not declared in the test files"},
		{"no such target", "internal", "FuzzNothing", "no func FuzzNothing"},
		{"a test, not a fuzz target", "internal", "TestParse", "no func TestParse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTestdata(t, tt.pkgDir)
			_, err := stage(dir, tt.target, fakeNames)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("stage error %v, want one containing %q", err, tt.wantErr)
			}
			if matches, _ := filepath.Glob(filepath.Join(dir, "zz_libfuzzer_*")); len(matches) > 0 {
				t.Errorf("a refused target left %v behind", matches)
			}
		})
	}
}

func TestFuzzParams(t *testing.T) {
	tests := []struct {
		pkgDir, target string
		want           []string
	}{
		{"internal", "FuzzParse", []string{"[]uint8"}},
		{"internal", "FuzzMany", []string{"string", "int", "bool", "int32", "uint8"}},
		{"external", "FuzzDouble", []string{"int16"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			tg, err := loadTarget(filepath.Join("testdata", "stage", tt.pkgDir), tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tg.params, tt.want) {
				t.Errorf("params %v, want %v", tg.params, tt.want)
			}
		})
	}
}

func TestGuessName(t *testing.T) {
	tests := []struct{ path, want string }{
		{"github.com/wskverify/wskverify/wsk", "wsk"},
		{"github.com/AdaLogics/go-fuzz-headers", "fuzzheaders"},
		{"gopkg.in/yaml.v3", "yaml"},
		{"example.com/mod/v2", "mod"},
	}
	for _, tt := range tests {
		if got := guessName(tt.path); got != tt.want {
			t.Errorf("guessName(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
}
