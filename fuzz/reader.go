package fuzz

import (
	"encoding/binary"

	fuzzheaders "github.com/AdaLogics/go-fuzz-headers"
)

// reader decodes a fuzz input field by field. go-fuzz-headers' consumer is
// the byte source; integers wider than a byte are assembled here (its GetInt
// yields only 0..255, its GetUint32 needs all four bytes). Once the input is
// used up every field reads as zero, so any input, even an empty one, decodes
// to some scenario: the fuzzer never wastes an exec on a rejected input.
type reader struct {
	c          *fuzzheaders.ConsumeFuzzer
	size, used int
}

func newReader(data []byte) *reader {
	return &reader{c: fuzzheaders.NewConsumer(data), size: len(data)}
}

// left is how many bytes of the input are still unread.
func (r *reader) left() int { return r.size - r.used }

// byte is the next byte, 0 past the end.
func (r *reader) byte() byte {
	b, err := r.c.GetByte()
	if err != nil {
		return 0
	}
	r.used++
	return b
}

// bool is the low bit of the next byte.
func (r *reader) bool() bool { return r.byte()&1 == 1 }

// below is the next byte modulo n (n in 1..256).
func (r *reader) below(n int) int { return int(r.byte()) % n }

// u16, u24 and u32 are little-endian: the fuzzer's "interesting value"
// mutations write integers in machine order, which is little-endian here.
func (r *reader) u16() uint16 { return uint16(r.byte()) | uint16(r.byte())<<8 }

func (r *reader) u24() uint32 { return uint32(r.u16()) | uint32(r.byte())<<16 }

func (r *reader) u32() uint32 { return uint32(r.u16()) | uint32(r.u16())<<16 }

// bytes is a length-prefixed field: a u16 length, then that many bytes (as
// many as are left, past the end). A length of 0xFFFF stands for NULL, so
// an empty slice and a NULL pointer are both expressible.
func (r *reader) bytes() []byte {
	n := r.u16()
	if n == nullLength {
		return nil
	}
	out := make([]byte, 0, min(int(n), 64))
	for range min(int(n), r.left()) {
		out = append(out, r.byte())
	}
	return out
}

// nullLength is the length prefix that decodes to a nil slice.
const nullLength = 0xFFFF

// writer is the inverse of reader: what it writes decodes, field by field,
// to the values written.
type writer struct{ b []byte }

func (w *writer) byte(b byte) { w.b = append(w.b, b) }

func (w *writer) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }

func (w *writer) u24(v uint32) { w.u16(uint16(v)); w.byte(byte(v >> 16)) }

func (w *writer) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

// bytes writes a length-prefixed field; b must be shorter than 0xFFFF bytes
// (nil is written as the NULL length).
func (w *writer) bytes(b []byte) {
	if b == nil {
		w.u16(nullLength)
		return
	}
	w.u16(uint16(len(b)))
	w.b = append(w.b, b...)
}

// pick16 and pick32 with a selector of rawSelector read the raw value that
// follows: seeds written with these hold exactly the values they name.
const rawSelector = 0xFF

func (w *writer) raw16(v uint16) { w.byte(rawSelector); w.u16(v) }

func (w *writer) raw32(v uint32) { w.byte(rawSelector); w.u32(v) }
