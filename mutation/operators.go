package mutation

import (
	"go/ast"
	"go/token"
	"strings"
)

// operator finds the sites of one kind of mutation in a node.
type operator struct {
	name string
	wsk  bool // one of the WSK-specific operators
	doc  string
	find func(v *visitor, n ast.Node)
}

// Operators lists the operators' names, WSK-specific ones first.
func Operators() []string {
	var out []string
	for _, op := range operators {
		out = append(out, op.name)
	}
	return out
}

// OperatorDoc says what an operator does.
func OperatorDoc(name string) string {
	for _, op := range operators {
		if op.name == name {
			return op.doc
		}
	}
	return ""
}

var operators = []operator{
	{"status-swap", true, "an NTSTATUS replaced by the one it is most often confused with (statusNeighbour)", findStatusSwap},
	{"completion-drop", true, "an IRP completion removed: the call returns its status, or the queued op is claimed, without completing the IRP", findCompletionDrop},
	{"completion-repeat", true, "an IRP completion made twice", findCompletionRepeat},
	{"completion-late", true, "a synchronous completion moved after the return (`go c.finish(...); return st`)", findCompletionLate},
	{"info-shift", true, "the Information count of a completion off by one", findInfoShift},
	{"length-shift", true, "a len() off by one", findLengthShift},
	{"callback-unguarded", true, "an event callback fired without its enable check (`s.events&bit != 0` made true)", findCallbackUnguarded},
	{"guard-remove", false, "a guard clause (an if without else that returns, breaks or continues) removed", findGuardRemove},
	{"cond-negate", false, "== and != swapped", findCondNegate},
	{"cond-boundary", false, "< and <=, > and >= swapped", findCondBoundary},
	{"logic-invert", false, "&& and || swapped", findLogicInvert},
	{"not-drop", false, "a ! dropped", findNotDrop},
}

// statusNeighbour maps each NTSTATUS the provider returns to the one a
// porting author confuses it with: the same family (parameter, state,
// handle; reset, abort, disconnect; exists, associated), or the
// success/pending pair.
var statusNeighbour = map[string]string{
	"StatusSuccess":                  "StatusPending",
	"StatusPending":                  "StatusSuccess",
	"StatusEventPending":             "StatusPending",
	"StatusBufferOverflow":           "StatusSuccess",
	"StatusInvalidParameter":         "StatusInvalidDeviceState",
	"StatusInvalidDeviceState":       "StatusInvalidParameter",
	"StatusInvalidHandle":            "StatusInvalidDeviceState",
	"StatusInvalidAddress":           "StatusInvalidParameter",
	"StatusNotSupported":             "StatusInvalidDeviceRequest",
	"StatusInvalidDeviceRequest":     "StatusNotSupported",
	"StatusNotImplemented":           "StatusNotSupported",
	"StatusCancelled":                "StatusConnectionAborted",
	"StatusConnectionAborted":        "StatusConnectionReset",
	"StatusConnectionReset":          "StatusConnectionAborted",
	"StatusConnectionDisconnected":   "StatusConnectionReset",
	"StatusConnectionRefused":        "StatusConnectionReset",
	"StatusConnectionActive":         "StatusInvalidDeviceState",
	"StatusAddressAlreadyExists":     "StatusAddressAlreadyAssociated",
	"StatusAddressAlreadyAssociated": "StatusAddressAlreadyExists",
	"StatusAccessDenied":             "StatusAddressAlreadyExists",
	"StatusDeviceNotReady":           "StatusInvalidDeviceState",
	"StatusDataNotAccepted":          "StatusRequestNotAccepted",
	"StatusRequestNotAccepted":       "StatusDataNotAccepted",
	"StatusTooManyOpenedFiles":       "StatusInsufficientResources",
	"StatusInsufficientResources":    "StatusTooManyOpenedFiles",
	"StatusNetworkUnreachable":       "StatusHostUnreachable",
	"StatusHostUnreachable":          "StatusNetworkUnreachable",
	"StatusIoTimeout":                "StatusCancelled",
	"StatusNoInterface":              "StatusInvalidAddress",
}

func findStatusSwap(v *visitor, n ast.Node) {
	sel, ok := n.(*ast.SelectorExpr)
	if !ok {
		return
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "wsk" {
		return
	}
	to, ok := statusNeighbour[sel.Sel.Name]
	if !ok {
		return
	}
	v.add("status-swap", sel.Sel.Pos(), sel.Sel.End(), to, sel.Sel.Name+" -> "+to)
}

// completers are the calls that complete an IRP, or hand a claimed op to
// the code that does.
var completers = map[string]bool{
	"Complete": true, "CompleteSocket": true, "completeIRP": true, "completeSocket": true,
	"runCompletions": true, "finishCreate": true, "done": true, "finish": true, "finishSocket": true,
}

// completerCall returns the call of an expression statement or expression
// when it is a call of a completer.
func completerCall(e ast.Expr) (*ast.CallExpr, string) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !completers[sel.Sel.Name] {
		return nil, ""
	}
	return call, sel.Sel.Name
}

// finishReturn matches `return c.finish(st, info)` and returns the call and
// the status argument's text.
func finishReturn(v *visitor, n ast.Node) (*ast.ReturnStmt, *ast.CallExpr, string) {
	ret, ok := n.(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil, nil, ""
	}
	call, name := completerCall(ret.Results[0])
	switch {
	case call == nil:
		return nil, nil, ""
	case name == "finish" && len(call.Args) == 2:
		return ret, call, v.text(call.Args[0])
	case name == "finishSocket":
		return ret, call, "wsk.StatusSuccess"
	}
	return nil, nil, ""
}

func findCompletionDrop(v *visitor, n ast.Node) {
	if _, call, st := finishReturn(v, n); call != nil {
		v.add("completion-drop", call.Pos(), call.End(), st, "return "+v.text(call)+" -> return "+st)
		return
	}
	stmt, ok := n.(*ast.ExprStmt)
	if !ok {
		return
	}
	if call, _ := completerCall(stmt.X); call != nil {
		v.add("completion-drop", stmt.Pos(), stmt.End(), "", "removed "+v.text(stmt))
	}
}

func findCompletionRepeat(v *visitor, n ast.Node) {
	stmt, ok := n.(*ast.ExprStmt)
	if !ok {
		return
	}
	// finish and finishSocket complete once by design (c.owned): repeating
	// them is the same program.
	if call, name := completerCall(stmt.X); call != nil && name != "finish" && name != "finishSocket" {
		t := v.text(stmt)
		v.add("completion-repeat", stmt.Pos(), stmt.End(), t+"; "+t, "twice: "+t)
	}
}

func findCompletionLate(v *visitor, n ast.Node) {
	ret, call, st := finishReturn(v, n)
	if call == nil {
		return
	}
	t := v.text(call)
	v.add("completion-late", ret.Pos(), ret.End(), "go "+t+"; return "+st, "return "+t+" -> go "+t+"; return "+st)
}

// infoCompleters take the Information count as their last argument.
var infoCompleters = map[string]bool{"Complete": true, "completeIRP": true, "done": true, "finish": true}

func findInfoShift(v *visitor, n ast.Node) {
	call, name := completerCall(asExpr(n))
	if call == nil || !infoCompleters[name] || len(call.Args) < 2 {
		return
	}
	last := call.Args[len(call.Args)-1]
	if lit, ok := last.(*ast.BasicLit); ok && lit.Value == "0" {
		return
	}
	t := v.text(last)
	v.add("info-shift", last.Pos(), last.End(), "("+t+")+1", t+" -> ("+t+")+1")
}

func asExpr(n ast.Node) ast.Expr {
	e, _ := n.(ast.Expr)
	return e
}

func findLengthShift(v *visitor, n ast.Node) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return
	}
	if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "len" {
		return
	}
	t := v.text(call)
	v.add("length-shift", call.Pos(), call.End(), "("+t+"-1)", t+" -> "+t+"-1")
}

func findCallbackUnguarded(v *visitor, n ast.Node) {
	b, ok := n.(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return
	}
	if lit, ok := b.Y.(*ast.BasicLit); !ok || lit.Value != "0" {
		return
	}
	and, ok := b.X.(*ast.BinaryExpr)
	if !ok || and.Op != token.AND || !strings.Contains(v.text(and.X), "events") {
		return
	}
	to := "true"
	if b.Op == token.EQL {
		to = "false"
	}
	v.add("callback-unguarded", b.Pos(), b.End(), to, v.text(b)+" -> "+to)
}

func findGuardRemove(v *visitor, n ast.Node) {
	ifs, ok := n.(*ast.IfStmt)
	if !ok || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return
	}
	switch ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
	default:
		return
	}
	v.add("guard-remove", ifs.Pos(), ifs.End(), "", "removed if "+v.text(ifs.Cond))
}

// swapOp replaces a binary expression's operator.
func swapOp(v *visitor, name string, n ast.Node, swaps map[token.Token]token.Token) {
	b, ok := n.(*ast.BinaryExpr)
	if !ok {
		return
	}
	to, ok := swaps[b.Op]
	if !ok {
		return
	}
	end := b.OpPos + token.Pos(len(b.Op.String()))
	v.add(name, b.OpPos, end, to.String(), v.text(b)+": "+b.Op.String()+" -> "+to.String())
}

func findCondNegate(v *visitor, n ast.Node) {
	swapOp(v, "cond-negate", n, map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL})
}

func findCondBoundary(v *visitor, n ast.Node) {
	swapOp(v, "cond-boundary", n, map[token.Token]token.Token{
		token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR,
	})
}

func findLogicInvert(v *visitor, n ast.Node) {
	swapOp(v, "logic-invert", n, map[token.Token]token.Token{token.LAND: token.LOR, token.LOR: token.LAND})
}

func findNotDrop(v *visitor, n ast.Node) {
	u, ok := n.(*ast.UnaryExpr)
	if !ok || u.Op != token.NOT {
		return
	}
	v.add("not-drop", u.OpPos, u.X.Pos(), "", "!"+v.text(u.X)+" -> "+v.text(u.X))
}
