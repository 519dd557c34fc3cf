package wire

import "fmt"

// Code is an ERROR frame's code (section 9).
type Code uint32

// The error codes.
const (
	EMalformed Code = iota + 1
	EType
	EVersion
	EState
	EID
	EOp
	ETable
	EField
	ERefused
	EResources
	EOrder
	EOverflow
)

var codeNames = [...]string{"", "E_MALFORMED", "E_TYPE", "E_VERSION", "E_STATE", "E_ID", "E_OP", "E_TABLE",
	"E_FIELD", "E_REFUSED", "E_RESOURCES", "E_ORDER", "E_OVERFLOW"}

func (c Code) String() string {
	if int(c) > 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("E_%d", uint32(c))
}

// Fatal reports whether the stream must be closed after this error (section
// 9): it can no longer be trusted.
func (c Code) Fatal() bool {
	return c == EMalformed || c == EType || c == EVersion || c == EOverflow
}

// Error is a protocol error: one this side found decoding a frame, or one
// the far side sent in an ERROR frame (Remote).
type Error struct {
	Code   Code
	Type   Type   // the frame it concerns, when known
	Seq    uint32 // that frame's seq, when known
	Field  string // the field being decoded, when known
	Msg    string
	Remote bool // the far side sent it
}

func (e *Error) Error() string {
	who := "wire"
	if e.Remote {
		who = "wire: the agent reported"
	}
	s := fmt.Sprintf("%s: %s", who, e.Code)
	if e.Type != 0 {
		s += fmt.Sprintf(" in %s", e.Type)
		if e.Seq != 0 {
			s += fmt.Sprintf(" #%d", e.Seq)
		}
	}
	if e.Field != "" {
		s += " at " + e.Field
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// ErrorBody is the body of an ERROR frame.
type ErrorBody struct {
	Code Code
	Msg  string
}

// Encode writes the body.
func (m ErrorBody) Encode() []byte {
	var e Encoder
	e.U32(uint32(m.Code))
	e.Text(m.Msg)
	return e.Bytes()
}

// DecodeError reads an ERROR body.
func DecodeError(f Frame) (ErrorBody, error) {
	d := NewDecoder(f)
	m := ErrorBody{Code: Code(d.U32("code")), Msg: d.Text("message")}
	return m, d.Finish()
}
