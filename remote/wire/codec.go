package wire

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// NullLen is the SA length that stands for a NULL PSOCKADDR.
const NullLen = 0xFFFF

// Encoder appends little-endian fields to a body.
type Encoder struct{ b []byte }

// Bytes is the body so far.
func (e *Encoder) Bytes() []byte { return e.b }

func (e *Encoder) U8(v uint8)   { e.b = append(e.b, v) }
func (e *Encoder) U16(v uint16) { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *Encoder) U32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *Encoder) U64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }

// Bool writes 1 or 0.
func (e *Encoder) Bool(v bool) {
	if v {
		e.U8(1)
	} else {
		e.U8(0)
	}
}

// Blob writes BYTES: a u32 count and the bytes.
func (e *Encoder) Blob(b []byte) {
	e.U32(uint32(len(b)))
	e.b = append(e.b, b...)
}

// Text writes TEXT, cut at MaxText bytes.
func (e *Encoder) Text(s string) {
	if len(s) > MaxText {
		s = s[:MaxText]
	}
	e.U16(uint16(len(s)))
	e.b = append(e.b, s...)
}

// SA writes a PSOCKADDR: nil is NULL. Bytes past MaxSockaddr are dropped, as
// a C provider reads at most a SOCKADDR_STORAGE.
func (e *Encoder) SA(sa []byte) {
	if sa == nil {
		e.U16(NullLen)
		return
	}
	if len(sa) > MaxSockaddr {
		sa = sa[:MaxSockaddr]
	}
	e.U16(uint16(len(sa)))
	e.b = append(e.b, sa...)
}

// Decoder reads a body field by field with a bounds check before each; the
// first failure sticks and every later read returns zero values.
type Decoder struct {
	f   Frame
	b   []byte
	err error
}

// NewDecoder reads f's body.
func NewDecoder(f Frame) *Decoder { return &Decoder{f: f, b: f.Body} }

func (d *Decoder) fail(code Code, field, format string, args ...any) {
	if d.err == nil {
		d.err = &Error{Code: code, Type: d.f.Type, Seq: d.f.Seq, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
}

// Failf records a field whose value the frame cannot carry (E_FIELD).
func (d *Decoder) Failf(field, format string, args ...any) { d.fail(EField, field, format, args...) }

func (d *Decoder) take(n int, field string) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail(EMalformed, field, "needs %d bytes, %d left", n, len(d.b))
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *Decoder) U8(field string) uint8 {
	if b := d.take(1, field); b != nil {
		return b[0]
	}
	return 0
}

func (d *Decoder) U16(field string) uint16 {
	if b := d.take(2, field); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (d *Decoder) U32(field string) uint32 {
	if b := d.take(4, field); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (d *Decoder) U64(field string) uint64 {
	if b := d.take(8, field); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// Bool reads a u8 that must be 0 or 1.
func (d *Decoder) Bool(field string) bool {
	v := d.U8(field)
	if v > 1 {
		d.Failf(field, "boolean %d", v)
	}
	return v == 1
}

// Zero reads n padding bytes that must be 0.
func (d *Decoder) Zero(n int, field string) {
	for _, c := range d.take(n, field) {
		if c != 0 {
			d.fail(EMalformed, field, "non-zero padding")
			return
		}
	}
}

// Blob reads BYTES of at most max bytes (a copy, never nil).
func (d *Decoder) Blob(max int, field string) []byte {
	n := d.U32(field)
	if d.err != nil {
		return nil
	}
	if uint64(n) > uint64(max) {
		d.fail(EMalformed, field, "%d bytes, at most %d", n, max)
		return nil
	}
	return append([]byte{}, d.take(int(n), field)...)
}

// Text reads TEXT.
func (d *Decoder) Text(field string) string {
	n := int(d.U16(field))
	if d.err != nil {
		return ""
	}
	if n > MaxText {
		d.fail(EMalformed, field, "%d bytes of text, at most %d", n, MaxText)
		return ""
	}
	b := d.take(n, field)
	if b != nil && !utf8.Valid(b) {
		d.fail(EMalformed, field, "text is not UTF-8")
		return ""
	}
	return string(b)
}

// SA reads a PSOCKADDR or SAOUT: nil for NULL, a non-nil copy otherwise.
func (d *Decoder) SA(field string) []byte {
	n := int(d.U16(field))
	if d.err != nil {
		return nil
	}
	if n == NullLen {
		return nil
	}
	if n > MaxSockaddr {
		d.fail(EMalformed, field, "SOCKADDR of %d bytes, at most %d", n, MaxSockaddr)
		return nil
	}
	return append([]byte{}, d.take(n, field)...)
}

// Err is the first failure.
func (d *Decoder) Err() error { return d.err }

// Finish fails a body with bytes left over (a frame has one reading) and
// returns the first failure.
func (d *Decoder) Finish() error {
	if d.err == nil && len(d.b) > 0 {
		d.fail(EMalformed, "end", "%d bytes past the last field", len(d.b))
	}
	return d.err
}
