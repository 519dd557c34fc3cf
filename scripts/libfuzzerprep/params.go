package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
)

// fuzzParams finds the function the target passes to f.Fuzz and returns
// the types of its fuzzed parameters (all but the leading *testing.T), as
// reflect spells them (byte is uint8, rune is int32).
//
// The function must be declared in the staged test files: a func literal,
// a named function, or a call of a named function that returns one. Only
// then is its *testing.T the one go-118-fuzz-build's shim replaces; a
// function from another package, such as rapid.MakeFuzz(...), keeps the
// standard *testing.T, and the shim's F.Fuzz would fail on every input.
func fuzzParams(fset *token.FileSet, ix *declIndex, target *declRef) ([]string, error) {
	fd := target.decl.(*ast.FuncDecl)
	fParam := fd.Type.Params.List[0].Names
	if len(fParam) == 0 {
		return nil, fmt.Errorf("%s: its *testing.F parameter has no name", fd.Name.Name)
	}
	arg, err := fuzzArg(fd, fParam[0].Name)
	if err != nil {
		return nil, err
	}
	ft, err := fuzzFuncType(ix, arg)
	if err != nil {
		return nil, fmt.Errorf("%s: f.Fuzz(%s): %w", fd.Name.Name, nodeText(fset, arg), err)
	}
	var types []string
	for _, field := range ft.Params.List {
		n := len(field.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			types = append(types, reflectName(nodeText(fset, field.Type)))
		}
	}
	if len(types) == 0 || !isTestingT(types[0]) {
		return nil, fmt.Errorf("%s: the fuzz function does not start with *testing.T", fd.Name.Name)
	}
	return types[1:], nil
}

// fuzzArg returns x of the target's one f.Fuzz(x) call.
func fuzzArg(fd *ast.FuncDecl, f string) (ast.Expr, error) {
	var args []ast.Expr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Fuzz" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == f {
				args = append(args, call.Args[0])
			}
		}
		return true
	})
	if len(args) != 1 {
		return nil, fmt.Errorf("%s: want one %s.Fuzz call, found %d", fd.Name.Name, f, len(args))
	}
	return args[0], nil
}

// fuzzFuncType resolves the f.Fuzz argument to its function type.
func fuzzFuncType(ix *declIndex, arg ast.Expr) (*ast.FuncType, error) {
	switch x := arg.(type) {
	case *ast.FuncLit:
		return x.Type, nil
	case *ast.Ident:
		if fd := ix.funcDecl(x.Name); fd != nil {
			return fd.Type, nil
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			if fd := ix.funcDecl(id.Name); fd != nil && fd.Type.Results != nil && len(fd.Type.Results.List) == 1 {
				if ft, ok := fd.Type.Results.List[0].Type.(*ast.FuncType); ok {
					return ft, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("the fuzz function is not declared in the test files, so its *testing.T is not the shim's")
}

// funcDecl is the test-file function of that name, or nil.
func (ix *declIndex) funcDecl(name string) *ast.FuncDecl {
	for _, r := range ix.byName[name] {
		if fd, ok := r.decl.(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

func isTestingT(t string) bool {
	return t == "*testing.T"
}

// reflectName spells a parameter type as reflect.Type.String does.
func reflectName(t string) string {
	switch t {
	case "byte":
		return "uint8"
	case "rune":
		return "int32"
	case "[]byte":
		return "[]uint8"
	}
	return t
}

func nodeText(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		return fmt.Sprintf("%T", n)
	}
	return b.String()
}
