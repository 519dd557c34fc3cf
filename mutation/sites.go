package mutation

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Mutant is one small change to one source file.
type Mutant struct {
	// ID names the mutant by file, enclosing function, operator and its
	// ordinal among that operator's sites in the function, so that it
	// survives edits elsewhere in the file (line numbers do not).
	ID   string `json:"id"`
	File string `json:"file"` // slash path from the module root
	Line int    `json:"line"`
	Op   string `json:"op"`
	Desc string `json:"desc"`

	start, end int // byte range of the original text replaced
	text       string
}

// Apply returns src with the mutant's change made.
func (m Mutant) Apply(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(m.text))
	out = append(out, src[:m.start]...)
	out = append(out, m.text...)
	return append(out, src[m.end:]...)
}

// Sites finds every mutant of the non-test Go files under dir (a slash path
// from root, e.g. "impl"), in a stable order.
func Sites(root, dir string) ([]Mutant, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mutation sites under %s: %w", dir, err)
	}
	sort.Strings(files)
	var all []Mutant
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("mutation sites: %w", err)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil, fmt.Errorf("mutation sites: %w", err)
		}
		ms, err := FileSites(filepath.ToSlash(rel), src)
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

// FileSites finds the mutants of one file's source.
func FileSites(name string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("mutation sites: %w", err)
	}
	var out []Mutant
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		v := &visitor{fset: fset, src: src, file: name, fn: funcName(fn), seen: map[string]int{}}
		ast.Inspect(fn.Body, v.visit)
		out = append(out, v.out...)
	}
	return out, nil
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// visitor collects the mutants of one function body.
type visitor struct {
	fset *token.FileSet
	src  []byte
	file string
	fn   string
	seen map[string]int // ordinal per operator within the function
	out  []Mutant
}

func (v *visitor) text(n ast.Node) string {
	return string(v.src[v.off(n.Pos()):v.off(n.End())])
}

func (v *visitor) off(p token.Pos) int { return v.fset.Position(p).Offset }

// add records a mutant replacing [from, to) with text.
func (v *visitor) add(op string, from, to token.Pos, text, desc string) {
	v.seen[op]++
	if desc = strings.Join(strings.Fields(desc), " "); len(desc) > 140 {
		desc = desc[:140] + "..."
	}
	v.out = append(v.out, Mutant{
		ID:    fmt.Sprintf("%s:%s:%s#%d", v.file, v.fn, op, v.seen[op]),
		File:  v.file,
		Line:  v.fset.Position(from).Line,
		Op:    op,
		Desc:  desc,
		start: v.off(from),
		end:   v.off(to),
		text:  text,
	})
}

func (v *visitor) visit(n ast.Node) bool {
	for _, op := range operators {
		op.find(v, n)
	}
	return true
}
