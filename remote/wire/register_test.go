package wire

import (
	"errors"
	"testing"
)

// TestRegisterBody: REGISTER's reg_flags (1.2) round-trips; a 1.1 body (the
// field 0) reads as no WskClientEvent; a reserved flag bit, a cut body and
// a trailing byte are E_MALFORMED (docs/protocol.md sections 7 and 9).
func TestRegisterBody(t *testing.T) {
	body := func(flags uint16) []byte { return Register{Reg: 3, Version: 0x100, Flags: flags, Context: 9}.Encode() }
	old := []byte{3, 0, 0, 0, 0x00, 0x01, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0} // as a 1.1 suite writes it
	cases := []struct {
		name string
		body []byte
		want Register // when ok
		code Code     // else
	}{
		{"client event", body(RegClientEvent), Register{3, 0x100, RegClientEvent, 9}, 0},
		{"no client event", body(0), Register{3, 0x100, 0, 9}, 0},
		{"a 1.1 suite's body", old, Register{3, 0x100, 0, 9}, 0},
		{"reserved bit 1", body(1 << 1), Register{}, EMalformed},
		{"reserved bit 15", body(1 << 15), Register{}, EMalformed},
		{"cut in reg_flags", body(RegClientEvent)[:7], Register{}, EMalformed},
		{"cut in context", body(RegClientEvent)[:12], Register{}, EMalformed},
		{"empty", nil, Register{}, EMalformed},
		{"trailing byte", append(body(RegClientEvent), 0), Register{}, EMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeRegister(Frame{Type: TRegister, Seq: 1, Body: c.body})
			if c.code == 0 {
				if err != nil || got != c.want {
					t.Fatalf("DecodeRegister = %+v, %v; want %+v", got, err, c.want)
				}
				return
			}
			var we *Error
			if !errors.As(err, &we) || we.Code != c.code {
				t.Fatalf("DecodeRegister error %v, want code %v", err, c.code)
			}
		})
	}
}
