package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
)

// declaredLength makes a send buffer's Length the one the harness passes:
// harness.buffer describes the call's Data, whatever Length says (a valid
// buffer: len(Data); overlong: max(Length, len(Data)+1); a bad offset:
// max(len(Data), 1); a NULL MDL: max(Length, 1)), while the model judges
// CEX-03 by Length. Two false alarms of that mismatch: a 65,535-byte
// overlong ConnectEx buffer reached the provider as 65,536 bytes and its
// STATUS_BUFFER_OVERFLOW was called a DATA-04 violation (FuzzWskConnectEx,
// input "0000\x00\x008"); a valid 16-byte buffer with Length=211983
// succeeded and was called a CEX-03 violation (FuzzTrace). With no data,
// see overlongLength.
func declaredLength(st harness.Step) harness.Step {
	c := &st.Call
	switch c.Op {
	case model.OpConnectEx, model.OpSend, model.OpSendTo, model.OpDisconnect:
	case model.OpReceive, model.OpReceiveFrom:
		// A receive's buffer is Length bytes of room; overlong, it
		// declares one more, except with no room at all, where the
		// 1-byte MDL the harness makes holds the byte declared
		// (FuzzTrace: a 0-byte overlong WskReceive was a valid buffer
		// and its INVALID_DEVICE_STATE called a CEX-09 violation).
		if c.Buf == model.BufOverlong && c.Length == 0 {
			c.Length = 1
		}
		return st
	default:
		return st
	}
	switch c.Buf {
	case model.BufOK:
		c.Length = len(c.Data)
	case model.BufOverlong:
		c.Length = max(c.Length, overlongLength(len(c.Data)))
	case model.BufBadOffset:
		c.Length = max(len(c.Data), 1)
	case model.BufNilMdl:
		c.Length = max(c.Length, 1)
	}
	return st
}
