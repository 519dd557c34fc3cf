package wire

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Version of the protocol this package speaks.
const (
	Major uint16 = 1
	Minor uint16 = 3
	// Magic is "WSKV" read as a little-endian u32.
	Magic uint32 = 0x564B5357
)

// Limits of docs/protocol.md section 2, all inclusive.
const (
	HeaderSize  = 16
	MaxFrame    = 81920
	MaxData     = 65536
	MaxChunks   = 1024
	MaxSockaddr = 128
	MaxControl  = 4096
	MaxStage    = 16 << 20
	MaxText     = 1024
	MaxBufs     = 64
)

// Type is a frame type (section 3).
type Type uint16

// Requests; each reply is the request's type | 0x80.
const (
	THello      Type = 0x01
	TPolicy     Type = 0x02
	TRegister   Type = 0x03
	TCapture    Type = 0x04
	TReleaseNPI Type = 0x05
	TDeregister Type = 0x06
	TStage      Type = 0x07
	TCall       Type = 0x08
	TCancel     Type = 0x09
	TIRPReuse   Type = 0x0A
	TIRPFree    Type = 0x0B
	TPing       Type = 0x0C
	TBye        Type = 0x0D
	TQuiet      Type = 0x0E // quiet.go

	// ReplyBit turns a request type into its reply type.
	ReplyBit Type = 0x80

	// Asynchronous frames, agent to suite.
	TIRPDone Type = 0x40
	TIRPData Type = 0x41
	TEvent   Type = 0x42
	TLog     Type = 0x43

	// TError goes either way.
	TError Type = 0x7F
)

var typeNames = map[Type]string{
	THello: "HELLO", TPolicy: "POLICY", TRegister: "REGISTER", TCapture: "CAPTURE",
	TReleaseNPI: "RELEASE_NPI", TDeregister: "DEREGISTER", TStage: "STAGE", TCall: "CALL",
	TCancel: "CANCEL", TIRPReuse: "IRP_REUSE", TIRPFree: "IRP_FREE", TPing: "PING", TBye: "BYE", TQuiet: "QUIET",
	TIRPDone: "IRP_DONE", TIRPData: "IRP_DATA", TEvent: "EVENT", TLog: "LOG", TError: "ERROR",
}

func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	if n, ok := typeNames[t&^ReplyBit]; ok && t&ReplyBit != 0 && t&^ReplyBit <= TQuiet {
		return n + "_R"
	}
	return fmt.Sprintf("type 0x%02X", uint16(t))
}

// IsRequest reports whether t is a request the suite sends.
func (t Type) IsRequest() bool { return t >= THello && t <= TQuiet }

// IsReply reports whether t is the reply to a request.
func (t Type) IsReply() bool { return t&ReplyBit != 0 && (t &^ ReplyBit).IsRequest() }

// Frame is one whole frame: its header fields and its body.
type Frame struct {
	Type Type
	Seq  uint32
	Body []byte
}

// Append writes the frame to b and returns the result.
func (f Frame) Append(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(HeaderSize+len(f.Body)))
	b = binary.LittleEndian.AppendUint16(b, uint16(f.Type))
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint32(b, f.Seq)
	b = binary.LittleEndian.AppendUint32(b, 0)
	return append(b, f.Body...)
}

// WriteFrame writes one frame in a single Write, so frames written under one
// lock never interleave. A body too large for MaxFrame is an error.
func WriteFrame(w io.Writer, f Frame) error {
	if HeaderSize+len(f.Body) > MaxFrame {
		return &Error{Code: EMalformed, Type: f.Type, Msg: fmt.Sprintf("frame of %d bytes exceeds MAX_FRAME %d", HeaderSize+len(f.Body), MaxFrame)}
	}
	_, err := w.Write(f.Append(make([]byte, 0, HeaderSize+len(f.Body))))
	return err
}

// ReadFrame reads one frame, checking the header (section 2). io.EOF means
// the stream ended cleanly between frames; a stream cut inside a frame is
// io.ErrUnexpectedEOF; a bad header is an *Error with EMalformed.
func ReadFrame(r io.Reader) (Frame, error) {
	var h [HeaderSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return Frame{}, err
	}
	f, n, err := ParseHeader(h[:])
	if err != nil {
		return Frame{}, err
	}
	f.Body = make([]byte, n-HeaderSize)
	if _, err := io.ReadFull(r, f.Body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	return f, nil
}

// ParseHeader checks a 16-byte header and returns the frame (without body)
// and its total length.
func ParseHeader(h []byte) (Frame, int, error) {
	if len(h) < HeaderSize {
		return Frame{}, 0, &Error{Code: EMalformed, Msg: fmt.Sprintf("header of %d bytes, want %d", len(h), HeaderSize)}
	}
	n := binary.LittleEndian.Uint32(h)
	f := Frame{Type: Type(binary.LittleEndian.Uint16(h[4:])), Seq: binary.LittleEndian.Uint32(h[8:])}
	switch {
	case n < HeaderSize || n > MaxFrame:
		return f, 0, &Error{Code: EMalformed, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("len %d outside [%d, %d]", n, HeaderSize, MaxFrame)}
	case binary.LittleEndian.Uint16(h[6:]) != 0:
		return f, 0, &Error{Code: EMalformed, Type: f.Type, Seq: f.Seq, Msg: "non-zero header flags"}
	case binary.LittleEndian.Uint32(h[12:]) != 0:
		return f, 0, &Error{Code: EMalformed, Type: f.Type, Seq: f.Seq, Msg: "non-zero reserved header field"}
	}
	return f, int(n), nil
}
