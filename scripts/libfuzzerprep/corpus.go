package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"strconv"
	"strings"
)

// corpusHeader opens every file of a Go seed corpus (testdata/fuzz/<Target>)
// and of the fuzz cache.
const corpusHeader = "go test fuzz v1"

// parseCorpusFile reads one Go corpus file: the header line, then one
// argument per line written as a conversion, e.g. []byte("\x02\x00"),
// string("a"), int(-3), bool(true), byte('x'), rune('é'), float64(+Inf),
// math.Float64frombits(0x7ff8000000000001). The values come back with the
// Go types of the fuzz function's parameters ([]byte, string, bool, int,
// int8 ... uint64, float32, float64; byte is uint8 and rune is int32).
func parseCorpusFile(data []byte) ([]any, error) {
	lines := strings.Split(string(data), "\n")
	if strings.TrimSpace(lines[0]) != corpusHeader {
		return nil, fmt.Errorf("parse corpus: first line %q, want %q", lines[0], corpusHeader)
	}
	var vals []any
	for i, line := range lines[1:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := parseCorpusValue(line)
		if err != nil {
			return nil, fmt.Errorf("parse corpus line %d: %w", i+2, err)
		}
		vals = append(vals, v)
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("parse corpus: no values")
	}
	return vals, nil
}

// parseCorpusValue reads one argument line.
func parseCorpusValue(line string) (any, error) {
	expr, err := parser.ParseExpr(line)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", line, err)
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, fmt.Errorf("%q: want a conversion T(v)", line)
	}
	arg := call.Args[0]
	switch fun := call.Fun.(type) {
	case *ast.ArrayType:
		if elt, ok := fun.Elt.(*ast.Ident); ok && fun.Len == nil && (elt.Name == "byte" || elt.Name == "uint8") {
			s, err := stringLit(arg)
			return []byte(s), err
		}
	case *ast.SelectorExpr:
		if pkg, ok := fun.X.(*ast.Ident); ok && pkg.Name == "math" {
			return parseFloatBits(fun.Sel.Name, arg)
		}
	case *ast.Ident:
		return parseTyped(fun.Name, arg)
	}
	return nil, fmt.Errorf("%q: unsupported type", line)
}

// parseTyped converts the literal arg to the named basic type.
func parseTyped(typ string, arg ast.Expr) (any, error) {
	switch typ {
	case "string":
		return stringLit(arg)
	case "bool":
		if id, ok := arg.(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
			return id.Name == "true", nil
		}
		return nil, fmt.Errorf("bool(%s): want true or false", exprText(arg))
	case "float32", "float64":
		f, err := floatLit(arg)
		if typ == "float32" {
			return float32(f), err
		}
		return f, err
	}
	bits, signed, ok := intKind(typ)
	if !ok {
		return nil, fmt.Errorf("unsupported type %s", typ)
	}
	if signed {
		n, err := intLit(arg, bits)
		return signedAs(typ, n), err
	}
	n, err := uintLit(arg, bits)
	return unsignedAs(typ, n), err
}

// intKind tells an integer type's width and signedness.
func intKind(typ string) (bits int, signed, ok bool) {
	switch typ {
	case "int", "int64":
		return 64, true, true
	case "int8":
		return 8, true, true
	case "int16":
		return 16, true, true
	case "int32", "rune":
		return 32, true, true
	case "uint", "uint64":
		return 64, false, true
	case "uint8", "byte":
		return 8, false, true
	case "uint16":
		return 16, false, true
	case "uint32":
		return 32, false, true
	}
	return 0, false, false
}

func signedAs(typ string, n int64) any {
	switch typ {
	case "int":
		return int(n)
	case "int8":
		return int8(n)
	case "int16":
		return int16(n)
	case "int32", "rune":
		return int32(n)
	}
	return n
}

func unsignedAs(typ string, n uint64) any {
	switch typ {
	case "uint":
		return uint(n)
	case "uint8", "byte":
		return uint8(n)
	case "uint16":
		return uint16(n)
	case "uint32":
		return uint32(n)
	}
	return n
}

func stringLit(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", fmt.Errorf("%s: want a string literal", exprText(e))
	}
	return strconv.Unquote(lit.Value)
}

// signedLit splits an optional unary sign from a literal.
func signedLit(e ast.Expr) (neg bool, inner ast.Expr) {
	if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		return u.Op == token.SUB, u.X
	}
	return false, e
}

func intLit(e ast.Expr, bits int) (int64, error) {
	neg, inner := signedLit(e)
	lit, ok := inner.(*ast.BasicLit)
	if !ok {
		return 0, fmt.Errorf("%s: want an integer literal", exprText(e))
	}
	text := lit.Value
	if lit.Kind == token.CHAR {
		r, err := strconv.Unquote(lit.Value)
		if err != nil || len([]rune(r)) != 1 {
			return 0, fmt.Errorf("%s: bad character literal", lit.Value)
		}
		text = strconv.Itoa(int([]rune(r)[0]))
	} else if lit.Kind != token.INT {
		return 0, fmt.Errorf("%s: want an integer literal", exprText(e))
	}
	if neg {
		text = "-" + text
	}
	return strconv.ParseInt(text, 0, bits)
}

func uintLit(e ast.Expr, bits int) (uint64, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok {
		return 0, fmt.Errorf("%s: want an unsigned integer literal", exprText(e))
	}
	switch lit.Kind {
	case token.INT:
		return strconv.ParseUint(lit.Value, 0, bits)
	case token.CHAR:
		r, err := strconv.Unquote(lit.Value)
		if err != nil || len([]rune(r)) != 1 {
			return 0, fmt.Errorf("%s: bad character literal", lit.Value)
		}
		c := uint64([]rune(r)[0])
		if bits < 64 && c>>bits != 0 {
			return 0, fmt.Errorf("%s: out of range for %d bits", lit.Value, bits)
		}
		return c, nil
	}
	return 0, fmt.Errorf("%s: want an unsigned integer literal", exprText(e))
}

// floatLit reads a float literal, an integer literal, or ±Inf / NaN as Go's
// corpus encoder writes them.
func floatLit(e ast.Expr) (float64, error) {
	neg, inner := signedLit(e)
	sign := 1.0
	if neg {
		sign = -1
	}
	switch x := inner.(type) {
	case *ast.Ident:
		switch x.Name {
		case "Inf":
			return math.Inf(int(sign)), nil
		case "NaN":
			return math.NaN(), nil
		}
	case *ast.BasicLit:
		if x.Kind == token.FLOAT || x.Kind == token.INT {
			f, err := strconv.ParseFloat(x.Value, 64)
			return sign * f, err
		}
	}
	return 0, fmt.Errorf("%s: want a float literal", exprText(e))
}

// parseFloatBits reads math.Float32frombits / math.Float64frombits, which the
// corpus encoder uses for NaNs with a payload.
func parseFloatBits(fn string, arg ast.Expr) (any, error) {
	switch fn {
	case "Float32frombits":
		n, err := uintLit(arg, 32)
		return math.Float32frombits(uint32(n)), err
	case "Float64frombits":
		n, err := uintLit(arg, 64)
		return math.Float64frombits(n), err
	}
	return nil, fmt.Errorf("math.%s: unsupported", fn)
}

func exprText(e ast.Expr) string {
	if lit, ok := e.(*ast.BasicLit); ok {
		return lit.Value
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return fmt.Sprintf("%T", e)
}
