package wire

// The small bodies: registration, staging and IRP requests and their
// replies. Each field list is the table of docs/protocol.md sections 5.5
// and 7.

// Register is a REGISTER body.
type Register struct {
	Reg     uint32
	Version uint16
	// Flags are the registration's flags (1.2): RegClientEvent. An agent
	// of 1.1 reads the field as padding that must be 0.
	Flags   uint16
	Context uint64
}

// RegClientEvent in Register.Flags asks the agent to register a
// WSK_CLIENT_DISPATCH whose WskClientEvent is not NULL (CEV-02); clear, the
// WskClientEvent is NULL (CEV-01). Sent only to an agent that declares
// FeatClientEvent (section 7).
const RegClientEvent uint16 = 1 << 0

// Encode writes the body.
func (m Register) Encode() []byte {
	var e Encoder
	e.U32(m.Reg)
	e.U16(m.Version)
	e.U16(m.Flags)
	e.U64(m.Context)
	return e.Bytes()
}

// DecodeRegister reads a REGISTER body; a flag bit it does not know is
// E_MALFORMED (a reserved bit set).
func DecodeRegister(f Frame) (Register, error) {
	d := NewDecoder(f)
	m := Register{Reg: d.U32("reg"), Version: d.U16("version"), Flags: d.U16("reg_flags")}
	if d.Err() == nil && m.Flags&^RegClientEvent != 0 {
		d.fail(EMalformed, "reg_flags", "reserved bits 0x%04X set", m.Flags&^RegClientEvent)
	}
	m.Context = d.U64("context")
	return m, d.Finish()
}

// Capture is a CAPTURE body.
type Capture struct {
	Reg    uint32
	WaitMS uint32 // 0 WSK_NO_WAIT, InfiniteWait WSK_INFINITE_WAIT
}

// InfiniteWait is WSK_INFINITE_WAIT in Capture.WaitMS.
const InfiniteWait uint32 = 0xFFFFFFFF

// Encode writes the body.
func (m Capture) Encode() []byte {
	var e Encoder
	e.U32(m.Reg)
	e.U32(m.WaitMS)
	return e.Bytes()
}

// DecodeCapture reads a CAPTURE body.
func DecodeCapture(f Frame) (Capture, error) {
	d := NewDecoder(f)
	m := Capture{Reg: d.U32("reg"), WaitMS: d.U32("wait_ms")}
	return m, d.Finish()
}

// CaptureReply is a CAPTURE_R body.
type CaptureReply struct {
	Status     uint32
	Client     uint32
	NPIVersion uint16
}

// Encode writes the body.
func (m CaptureReply) Encode() []byte {
	var e Encoder
	e.U32(m.Status)
	e.U32(m.Client)
	e.U16(m.NPIVersion)
	e.U16(0)
	return e.Bytes()
}

// DecodeCaptureReply reads a CAPTURE_R body.
func DecodeCaptureReply(f Frame) (CaptureReply, error) {
	d := NewDecoder(f)
	m := CaptureReply{Status: d.U32("status"), Client: d.U32("client"), NPIVersion: d.U16("npi_version")}
	d.Zero(2, "pad")
	return m, d.Finish()
}

// EncodeU32 writes a body of one u32: REGISTER_R (status), RELEASE_NPI and
// DEREGISTER (reg), CANCEL and IRP_FREE (irp), IRP_REUSE_R (result).
func EncodeU32(v uint32) []byte {
	var e Encoder
	e.U32(v)
	return e.Bytes()
}

// DecodeU32 reads a body of one u32.
func DecodeU32(f Frame, field string) (uint32, error) {
	d := NewDecoder(f)
	v := d.U32(field)
	return v, d.Finish()
}

// DecodeEmpty checks that a body is empty (POLICY_R, PING, ...).
func DecodeEmpty(f Frame) error { return NewDecoder(f).Finish() }

// EncodeBool writes a one-byte body: CANCEL_R's BOOLEAN.
func EncodeBool(v bool) []byte {
	var e Encoder
	e.Bool(v)
	return e.Bytes()
}

// DecodeBool reads a one-byte boolean body.
func DecodeBool(f Frame, field string) (bool, error) {
	d := NewDecoder(f)
	v := d.Bool(field)
	return v, d.Finish()
}

// IRPReuse is an IRP_REUSE body.
type IRPReuse struct {
	IRP    uint32
	Status uint32
}

// Encode writes the body.
func (m IRPReuse) Encode() []byte {
	var e Encoder
	e.U32(m.IRP)
	e.U32(m.Status)
	return e.Bytes()
}

// DecodeIRPReuse reads an IRP_REUSE body.
func DecodeIRPReuse(f Frame) (IRPReuse, error) {
	d := NewDecoder(f)
	m := IRPReuse{IRP: d.U32("irp"), Status: d.U32("status")}
	return m, d.Finish()
}

// Stage is a STAGE body: one piece of a large send buffer.
type Stage struct {
	Stage  uint32
	Offset uint32
	Total  uint32
	Bytes  []byte
}

// Encode writes the body.
func (m Stage) Encode() []byte {
	var e Encoder
	e.U32(m.Stage)
	e.U32(m.Offset)
	e.U32(m.Total)
	e.Blob(m.Bytes)
	return e.Bytes()
}

// DecodeStage reads a STAGE body.
func DecodeStage(f Frame) (Stage, error) {
	d := NewDecoder(f)
	m := Stage{Stage: d.U32("stage"), Offset: d.U32("offset"), Total: d.U32("total"), Bytes: d.Blob(MaxData, "bytes")}
	switch {
	case d.Err() != nil:
	case m.Stage == 0:
		d.Failf("stage", "stage id 0")
	case m.Total > MaxStage:
		d.Failf("total", "%d bytes, at most %d", m.Total, MaxStage)
	case uint64(m.Offset)+uint64(len(m.Bytes)) > uint64(m.Total):
		d.Failf("offset", "piece [%d, %d) past the total %d", m.Offset, uint64(m.Offset)+uint64(len(m.Bytes)), m.Total)
	}
	return m, d.Finish()
}

// IRPData is an IRP_DATA body: received bytes beyond the first MaxData.
type IRPData struct {
	IRP    uint32
	Offset uint32
	Bytes  []byte
}

// Encode writes the body.
func (m IRPData) Encode() []byte {
	var e Encoder
	e.U32(m.IRP)
	e.U32(m.Offset)
	e.Blob(m.Bytes)
	return e.Bytes()
}

// DecodeIRPData reads an IRP_DATA body.
func DecodeIRPData(f Frame) (IRPData, error) {
	d := NewDecoder(f)
	m := IRPData{IRP: d.U32("irp"), Offset: d.U32("offset"), Bytes: d.Blob(MaxData, "bytes")}
	return m, d.Finish()
}

// DecodeLog reads a LOG body.
func DecodeLog(f Frame) (string, error) {
	d := NewDecoder(f)
	s := d.Text("text")
	return s, d.Finish()
}
