package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// stagedPackage is the package name of a staged external-test target.
const stagedPackage = "libfuzzerharness"

// stage writes the target and every test-file declaration it reaches into
// one non-test file and returns the directory of the package to build
// (resolve names the packages the file imports):
//
//   - a target of package foo (an internal test) goes into foo's own
//     directory as zz_libfuzzer_<target>.go, so it keeps access to foo's
//     unexported names; the caller hides foo's _test.go files while it
//     builds, or go-118-fuzz-build would find the target twice;
//   - a target of package foo_test (an external test) goes into a new
//     package libfuzzer_<Target> under foo's directory, since a non-test
//     file cannot be in package foo_test.
func stage(dir, target string, resolve nameResolver) (string, error) {
	t, err := loadTarget(dir, target)
	if err != nil {
		return "", err
	}
	decls := t.index.reachable(t.start)

	outDir, outPkg := dir, t.pkg
	if strings.HasSuffix(t.pkg, "_test") {
		outDir, outPkg = filepath.Join(dir, "libfuzzer_"+target), stagedPackage
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return "", fmt.Errorf("create staged package: %w", err)
		}
	}
	src, err := render(outPkg, decls, t.fset, resolve)
	if err != nil {
		return "", err
	}
	name := filepath.Join(outDir, "zz_libfuzzer_"+strings.ToLower(target)+".go")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		return "", fmt.Errorf("write staged file: %w", err)
	}
	return goPath(outDir), nil
}

// fuzzTarget is a fuzz target found in its package's test files.
type fuzzTarget struct {
	fset   *token.FileSet
	pkg    string     // package clause of the target's file
	index  *declIndex // declarations of the test files of that package
	start  *declRef   // the target
	params []string   // the fuzzed parameters' types (fuzzParams)
}

// loadTarget parses dir's test files and finds target in them; it fails
// when the target cannot run under go-118-fuzz-build's shim (fuzzParams).
func loadTarget(dir, target string) (*fuzzTarget, error) {
	fset := token.NewFileSet()
	files, err := parseTestFiles(fset, dir)
	if err != nil {
		return nil, err
	}
	found, err := findTarget(files, target)
	if err != nil {
		return nil, err
	}
	t := &fuzzTarget{fset: fset, pkg: found.file.file.Name.Name}
	var same []*testFile
	for _, f := range files {
		if f.file.Name.Name == t.pkg {
			same = append(same, f)
		}
	}
	t.index = indexDecls(same)
	for _, r := range t.index.byName[target] {
		if r.decl == found.decl {
			t.start = r
		}
	}
	if t.params, err = fuzzParams(fset, t.index, t.start); err != nil {
		return nil, err
	}
	return t, nil
}

// parseTestFiles parses the _test.go files of dir that build on this
// platform, without comments.
func parseTestFiles(fset *token.FileSet, dir string) ([]*testFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read package: %w", err)
	}
	var files []*testFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("parse: %w", err)
		}
		files = append(files, &testFile{name: name, file: f})
	}
	return files, nil
}

// findTarget finds func <target>(f *testing.F) among the files.
func findTarget(files []*testFile, target string) (*declRef, error) {
	var found *declRef
	for _, f := range files {
		testing := importName(f.file, "testing")
		for _, d := range f.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Name.Name != target || !takesF(fd, testing) {
				continue
			}
			if found != nil {
				return nil, fmt.Errorf("%s declared in %s and %s", target, found.file.name, f.name)
			}
			found = &declRef{file: f, decl: fd}
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no func %s(*testing.F) in a _test.go file", target)
	}
	return found, nil
}

// takesF tells whether fd's only parameter is *<testing>.F.
func takesF(fd *ast.FuncDecl, testing string) bool {
	params := fd.Type.Params.List
	if testing == "" || len(params) != 1 || len(params[0].Names) > 1 {
		return false
	}
	star, ok := params[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "F" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == testing
}

// importName is the local name under which f imports path, or "".
func importName(f *ast.File, path string) string {
	for _, s := range f.Imports {
		if p, _ := strconv.Unquote(s.Path.Value); p == path {
			if s.Name != nil {
				return s.Name.Name
			}
			return filepath.Base(path)
		}
	}
	return ""
}

// goPath spells a relative directory the way the go command reads it as a
// path rather than an import path.
func goPath(dir string) string {
	dir = filepath.ToSlash(filepath.Clean(dir))
	if filepath.IsAbs(dir) || strings.HasPrefix(dir, "./") || strings.HasPrefix(dir, "../") {
		return dir
	}
	return "./" + dir
}
