package wire

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
)

// samples is one frame of every type, with fields off their zero values:
// what each decodes to must equal what was encoded.
func samples() []struct {
	f    Frame
	want any
} {
	call := &Call{Op: OpSocketConnect, Target: 3, IRP: 9, Type: 1, Protocol: 6, Flags: 2, Context: 77,
		Dispatch: Disp{Kind: DispConnection, Entries: 0x40 | 0x80, Table: 5}, Process: 1, SD: 0xBAD5D,
		Local: []byte{2, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, Remote: nil}
	send := &Call{Op: OpSend, Target: 4, IRP: 1, Flags: 2,
		Buf: &Buf{Present: true, Offset: 1, Length: 10, Chunks: []uint32{3, 2}, Data: []byte("hello")}}
	overlong := &Call{Op: OpReceive, Target: 4, IRP: 2, Buf: &Buf{Present: true, Length: 1 << 40, Chunks: []uint32{8}}}
	nullBuf := &Call{Op: OpDisconnect, Target: 4, IRP: 2, Flags: 1}
	msgs := &Call{Op: OpSendMessages, Target: 4, IRP: 7, Bufs: []Buf{{Present: true, Length: 1, Chunks: []uint32{1}, Data: []byte("x")}, {}},
		Remote: []byte{2, 0}}
	ctl := &Call{Op: OpControlSocket, Target: 1, NullOutSize: true, Request: 1, Code: 4, Level: 0xFFFF, OutputSize: 4, Input: []byte{1, 0, 0, 0}}
	cancelledFirst := &Call{Op: OpReceiveFrom, Target: 4, IRP: 6, CancelledFirst: true, Buf: &Buf{Present: true, Length: 16, Chunks: []uint32{16}}, WantRemote: true}
	accept := &Call{Op: OpAccept, Target: 2, IRP: 3, Context: 8, Dispatch: Disp{Kind: DispStream, Entries: 0x200 | 0x40, Table: 6}, WantRemote: true}
	done := &IRPDone{IRP: 2, Count: 1, Status: 0, Phase: PhaseAfter, Tables: TableConnection, Information: 0xFFFF8000, Socket: 4,
		Local: []byte{2, 0, 1, 2}, Data: []byte("abc"), Output: []byte{}}
	ev := &Event{Kind: EvReceiveFrom, Table: 1, Socket: 2, Context: 1 << 63, Answer: 0x103, Indicated: 9, Index: 1, Count: 2,
		Remote: []byte{23, 0}, Data: []byte("dgram")}
	hello := &HelloReply{Magic: Magic, Major: 1, MaxFrame: MaxFrame, Agent: "go-agent", Provider: "bundled",
		Caps: Caps{OpsKnown: OpSend.Bit(), OpsSupported: OpSend.Bit(), CatsKnown: CatStream, FeatsKnown: FeatCancel}}
	return []struct {
		f    Frame
		want any
	}{
		{Frame{Type: THello, Body: Hello{Magic, 1, 0}.Encode()}, Hello{Magic, 1, 0}},
		{Frame{Type: THello | ReplyBit, Body: hello.Encode()}, hello},
		{Frame{Type: TPolicy, Body: DefaultPolicy.Encode()}, DefaultPolicy},
		{Frame{Type: TRegister, Body: Register{1, 0x100, RegClientEvent, 5}.Encode()}, Register{1, 0x100, RegClientEvent, 5}},
		{Frame{Type: TCapture, Body: Capture{1, InfiniteWait}.Encode()}, Capture{1, InfiniteWait}},
		{Frame{Type: TCapture | ReplyBit, Body: CaptureReply{0, 1, 0x100}.Encode()}, CaptureReply{0, 1, 0x100}},
		{Frame{Type: TRegister | ReplyBit, Body: EncodeU32(0xC0000002)}, uint32(0xC0000002)},
		{Frame{Type: TCancel | ReplyBit, Body: EncodeBool(true)}, true},
		{Frame{Type: TIRPReuse, Body: IRPReuse{4, 1}.Encode()}, IRPReuse{4, 1}},
		{Frame{Type: TStage, Body: Stage{1, 2, 5, []byte("abc")}.Encode()}, Stage{1, 2, 5, []byte("abc")}},
		{Frame{Type: TCall, Body: call.Encode()}, call},
		{Frame{Type: TCall, Body: send.Encode()}, send},
		{Frame{Type: TCall, Body: overlong.Encode()}, overlong},
		{Frame{Type: TCall, Body: nullBuf.Encode()}, nullBuf},
		{Frame{Type: TCall, Body: msgs.Encode()}, msgs},
		{Frame{Type: TCall, Body: ctl.Encode()}, ctl},
		{Frame{Type: TCall, Body: accept.Encode()}, accept},
		{Frame{Type: TCall, Body: cancelledFirst.Encode()}, cancelledFirst},
		{Frame{Type: TCall | ReplyBit, Body: (&CallReply{Status: 0x103, OutSize: 4, Output: []byte{1, 2, 3, 4}}).Encode()},
			&CallReply{Status: 0x103, OutSize: 4, Output: []byte{1, 2, 3, 4}}},
		{Frame{Type: TIRPDone, Body: done.Encode()}, done},
		{Frame{Type: TIRPData, Body: IRPData{2, 0, []byte("x")}.Encode()}, IRPData{2, 0, []byte("x")}},
		{Frame{Type: TEvent, Body: ev.Encode()}, ev},
		{Frame{Type: TLog, Body: (&Encoder{}).textBody("hi")}, "hi"},
		{Frame{Type: TError, Body: ErrorBody{EID, "socket 9"}.Encode()}, ErrorBody{EID, "socket 9"}},
		{Frame{Type: TPing}, struct{}{}},
		{Frame{Type: TQuiet, Body: Quiet{WaitMS: 250}.Encode()}, Quiet{WaitMS: 250}},
		{Frame{Type: TQuiet | ReplyBit}, struct{}{}},
	}
}

func (e *Encoder) textBody(s string) []byte { e.Text(s); return e.Bytes() }

// TestRoundTrip: every body decodes to what was encoded, through a stream.
func TestRoundTrip(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.f.Type.String(), func(t *testing.T) {
			var stream bytes.Buffer
			s.f.Seq = 42
			if err := WriteFrame(&stream, s.f); err != nil {
				t.Fatal(err)
			}
			f, err := ReadFrame(&stream)
			if err != nil {
				t.Fatal(err)
			}
			if f.Seq != 42 || f.Type != s.f.Type {
				t.Fatalf("header %v #%d, want %v #42", f.Type, f.Seq, s.f.Type)
			}
			got, err := Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, s.want) {
				t.Fatalf("decoded\n%#v\nwant\n%#v", got, s.want)
			}
		})
	}
}

// TestRejects: malformed input gives an *Error with the right code.
func TestRejects(t *testing.T) {
	hdr := func(n uint32, typ Type, flags uint16) []byte {
		b := Frame{Type: typ}.Append(nil)
		b[0], b[1], b[2], b[3] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
		b[6] = byte(flags)
		return b
	}
	for _, c := range []struct {
		name string
		in   []byte
		code Code
	}{
		{"len below header", hdr(15, TPing, 0), EMalformed},
		{"len above MAX_FRAME", hdr(MaxFrame+1, TPing, 0), EMalformed},
		{"header flags", hdr(16, TPing, 1), EMalformed},
		{"unknown type", Frame{Type: 0x33}.Append(nil), EType},
		{"short body", Frame{Type: TRegister, Body: []byte{1, 0}}.Append(nil), EMalformed},
		{"trailing bytes", Frame{Type: TPing, Body: []byte{0}}.Append(nil), EMalformed},
		{"unknown op", Frame{Type: TCall, Body: (&Call{Op: 7}).Encode()}.Append(nil), EOp},
		{"unknown call_flags bit", Frame{Type: TCall, Body: func() []byte {
			b := (&Call{Op: OpBind, Local: []byte{2, 0}}).Encode()
			b[2] = 4 // bit 2: no such call flag
			return b
		}()}.Append(nil), EField},
		{"bad dispatch kind", Frame{Type: TCall, Body: (&Call{Op: OpSocket, Dispatch: Disp{Kind: 9}}).Encode()}.Append(nil), EField},
		{"entries beyond kind", Frame{Type: TCall, Body: (&Call{Op: OpSocket, Dispatch: Disp{Kind: DispListen, Entries: 0x40}}).Encode()}.Append(nil), EField},
		{"too many chunks", Frame{Type: TCall, Body: (&Call{Op: OpReceive, Buf: &Buf{Present: true, Chunks: make([]uint32, MaxChunks+1)}}).Encode()}.Append(nil), EMalformed},
		{"inline past MAX_DATA", Frame{Type: TCall, Body: (&Call{Op: OpSend, Buf: &Buf{Present: true, Chunks: []uint32{MaxData + 1}, Data: make([]byte, MaxData+1)}}).Encode()}.Append(nil), EMalformed},
		{"sockaddr too long", Frame{Type: TCall, Body: append((&Call{Op: OpBind}).Encode()[:16], 200, 0)}.Append(nil), EMalformed},
		{"completion of IRP 0", Frame{Type: TIRPDone, Body: (&IRPDone{Count: 1}).Encode()}.Append(nil), EField},
		{"event kind 0", Frame{Type: TEvent, Body: (&Event{Count: 1}).Encode()}.Append(nil), EField},
		{"text not UTF-8", Frame{Type: TLog, Body: []byte{1, 0, 0xFF}}.Append(nil), EMalformed},
		{"stage past total", Frame{Type: TStage, Body: Stage{1, 4, 5, []byte("ab")}.Encode()}.Append(nil), EField},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := ReadFrame(bytes.NewReader(c.in))
			if err == nil {
				_, err = Decode(f)
			}
			var we *Error
			if !errors.As(err, &we) || we.Code != c.code {
				t.Fatalf("got %v, want %v", err, c.code)
			}
		})
	}
}

// TestCutStream: a stream cut inside a frame is io.ErrUnexpectedEOF, between
// frames io.EOF.
func TestCutStream(t *testing.T) {
	whole := Frame{Type: TRegister, Body: Register{1, 1, 0, 1}.Encode()}.Append(nil)
	if _, err := ReadFrame(bytes.NewReader(nil)); err != io.EOF {
		t.Fatalf("empty stream: %v", err)
	}
	for _, n := range []int{3, HeaderSize, len(whole) - 1} {
		if _, err := ReadFrame(bytes.NewReader(whole[:n])); err != io.ErrUnexpectedEOF {
			t.Fatalf("cut at %d: %v", n, err)
		}
	}
}

func TestTablesHas(t *testing.T) {
	stream := TableListen | TableConnection | TableStream
	for _, c := range []struct {
		t    Tables
		op   Op
		want bool
	}{
		{0, OpCloseSocket, true}, {0, OpBind, false}, {TableListen, OpAccept, true}, {TableListen, OpSend, false},
		{TableConnection, OpListen, false}, {stream, OpListen, true}, {TableDatagram, OpSendTo, true},
	} {
		if got := c.t.Has(c.op); got != c.want {
			t.Errorf("tables %04b has %v = %v, want %v", c.t, c.op, got, c.want)
		}
	}
}

// TestCallLayout pins the byte layout of WskSocket and WskSocketConnect to
// docs/protocol.md section 5.1, which the C agent decodes.
func TestCallLayout(t *testing.T) {
	sock := (&Call{Op: OpSocket, Target: 1, IRP: 2, Family: 2, Type: 1, Protocol: 6, Flags: 2}).Encode()
	conn := (&Call{Op: OpSocketConnect, Target: 1, IRP: 2, Type: 1, Protocol: 6, Flags: 2}).Encode()
	want := func(b []byte, off int, v []byte, what string) {
		t.Helper()
		if !bytes.Equal(b[off:off+len(v)], v) {
			t.Errorf("%s at %d: % x, want % x", what, off, b[off:off+len(v)], v)
		}
	}
	want(sock, 12, []byte{2, 0, 1, 0, 6, 0, 0, 0, 2, 0, 0, 0}, "WskSocket family, type, protocol, flags")
	want(conn, 12, []byte{1, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0}, "WskSocketConnect type, pad, protocol, flags")
	if len(sock) != 12+44 || len(conn) != 12+44+4 {
		t.Errorf("bodies of %d and %d bytes, want 56 and 60", len(sock), len(conn))
	}
}
