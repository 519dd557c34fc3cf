package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzDecode feeds any bytes to the frame reader and every body decoder:
// bad bytes give an *Error, io.EOF or io.ErrUnexpectedEOF, never a panic;
// and a body that decodes re-encodes to a frame that decodes again.
func FuzzDecode(f *testing.F) {
	for _, s := range samples() {
		f.Add(s.f.Append(nil))
	}
	f.Add([]byte{})
	f.Add(Frame{Type: TCall, Body: []byte{30, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}}.Append(nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		for {
			fr, err := ReadFrame(r)
			if err != nil {
				var we *Error
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &we) {
					t.Fatalf("ReadFrame: unexpected error type %T: %v", err, err)
				}
				return
			}
			msg, err := Decode(fr)
			if err != nil {
				var we *Error
				if !errors.As(err, &we) {
					t.Fatalf("Decode: unexpected error type %T: %v", err, err)
				}
				if we.Error() == "" {
					t.Fatal("empty error text")
				}
				continue
			}
			if enc, ok := msg.(interface{ Encode() []byte }); ok {
				if _, err := Decode(Frame{Type: fr.Type, Body: enc.Encode()}); err != nil {
					t.Fatalf("%v re-encoded does not decode: %v", fr.Type, err)
				}
			}
		}
	})
}
