package main

import (
	"go/ast"
	"sort"
)

// testFile is one parsed _test.go file of the target's package.
type testFile struct {
	name string
	file *ast.File
}

// declRef is a top-level declaration and the file it came from; order keeps
// the source order (file, then declaration) for the staged output.
type declRef struct {
	file  *testFile
	decl  ast.Decl
	order int
}

// declIndex finds the top-level declarations of a set of test files by the
// names they declare; methods are found by their receiver's type name, so a
// reached type brings its methods along.
type declIndex struct {
	byName  map[string][]*declRef
	methods map[string][]*declRef
}

func indexDecls(files []*testFile) *declIndex {
	ix := &declIndex{byName: map[string][]*declRef{}, methods: map[string][]*declRef{}}
	for fi, f := range files {
		for di, d := range f.file.Decls {
			ref := &declRef{file: f, decl: d, order: fi<<20 | di}
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					if t := receiverType(d.Recv); t != "" {
						ix.methods[t] = append(ix.methods[t], ref)
					}
					continue
				}
				ix.add(d.Name.Name, ref)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						ix.add(s.Name.Name, ref)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							ix.add(n.Name, ref)
						}
					}
				}
			}
		}
	}
	return ix
}

func (ix *declIndex) add(name string, ref *declRef) {
	if name == "_" || name == "init" {
		return
	}
	ix.byName[name] = append(ix.byName[name], ref)
}

// receiverType names the type of a method's receiver: T, *T, T[P], *T[P].
func receiverType(recv *ast.FieldList) string {
	if len(recv.List) != 1 {
		return ""
	}
	t := recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// reachable returns start and every declaration it refers to, directly or
// through others, in source order. A reference is any identifier (other
// than a selector's field or method name) spelled like a declared name: a
// local variable that shadows one pulls in a declaration that is not
// needed, which costs nothing but a few lines.
func (ix *declIndex) reachable(start *declRef) []*declRef {
	seen := map[*declRef]bool{start: true}
	queue := []*declRef{start}
	visit := func(name string) {
		refs := append(append([]*declRef(nil), ix.byName[name]...), ix.methods[name]...)
		for _, r := range refs {
			if !seen[r] {
				seen[r] = true
				queue = append(queue, r)
			}
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		if fd, ok := r.decl.(*ast.FuncDecl); ok && fd.Recv != nil {
			if t := receiverType(fd.Recv); t != "" {
				visit(t)
			}
		}
		walkRefs(r.decl, visit)
	}
	out := make([]*declRef, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// walkRefs calls visit with every identifier in n that may name a top-level
// declaration: all of them except the Sel of x.Sel.
func walkRefs(n ast.Node, visit func(string)) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			walkRefs(x.X, visit)
			return false
		case *ast.Ident:
			visit(x.Name)
		}
		return true
	})
}

// selectorRoots returns the names used as the X of x.Sel in n: the import
// names a declaration needs (and some local variables, which match none).
func selectorRoots(n ast.Node) map[string]bool {
	roots := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				roots[id.Name] = true
			}
		}
		return true
	})
	return roots
}
