package wire

// Call is a CALL body (section 5.1): one WSK entry point and every argument.
// Only the fields of the op are carried.
type Call struct {
	Op          Op
	NullOutSize bool // the OutputSizeReturned pointer is NULL
	// CancelledFirst (1.3, FeatCancelFirst): the agent calls IoCancelIrp
	// on the IRP before it passes it, so the provider finds Irp->Cancel
	// set: another thread's cancel racing the call (IRP-07).
	CancelledFirst bool
	Target         uint32 // client id (client-level ops) or socket id
	IRP            uint32 // 0 is NULL

	Family   uint16
	Type     uint16
	Protocol uint32
	Flags    uint32
	Context  uint64
	Dispatch Disp
	Process  uint8
	Thread   uint8
	SD       uint64
	Local    []byte // PSOCKADDR; nil is NULL
	Remote   []byte

	Request    uint32
	Code       uint32
	Level      uint32
	OutputSize uint32
	Input      []byte

	WantLocal  bool
	WantRemote bool
	InspectID  uint64
	Action     uint32
	Indication uint32

	Buf  *Buf  // the op's WSK_BUF; nil is NULL
	Bufs []Buf // WskSendMessages

	Names NameArgs // name resolution (names.go)
}

// CALL's call_flags bits (section 5.1).
const (
	CallNullOutSize    uint16 = 1 << 0
	CallCancelledFirst uint16 = 1 << 1 // 1.3
)

// Encode writes the body.
func (c *Call) Encode() []byte {
	var e Encoder
	e.U16(uint16(c.Op))
	var fl uint16
	if c.NullOutSize {
		fl |= CallNullOutSize
	}
	if c.CancelledFirst {
		fl |= CallCancelledFirst
	}
	e.U16(fl)
	e.U32(c.Target)
	e.U32(c.IRP)
	switch c.Op {
	case OpSocket:
		e.U16(c.Family)
		e.U16(c.Type)
		e.createArgs(c)
	case OpSocketConnect:
		e.U16(c.Type)
		e.U16(0)
		e.createArgs(c)
		e.SA(c.Local)
		e.SA(c.Remote)
	case OpControlClient:
		e.U32(c.Code)
		e.U32(c.OutputSize)
		e.Blob(c.Input)
	case OpControlSocket:
		e.U32(c.Request)
		e.U32(c.Code)
		e.U32(c.Level)
		e.U32(c.OutputSize)
		e.Blob(c.Input)
	case OpBind:
		e.U32(c.Flags)
		e.SA(c.Local)
	case OpAccept:
		e.U32(c.Flags)
		e.U64(c.Context)
		e.Disp(c.Dispatch)
		e.Bool(c.WantLocal)
		e.Bool(c.WantRemote)
	case OpInspectComplete:
		e.U64(c.InspectID)
		e.U32(c.Action)
	case OpGetLocalAddress:
		e.Bool(c.WantLocal)
	case OpGetRemoteAddress:
		e.Bool(c.WantRemote)
	case OpSendTo:
		e.U32(c.Flags)
		e.Buf(c.Buf, true)
		e.SA(c.Remote)
	case OpReceiveFrom:
		e.U32(c.Flags)
		e.Buf(c.Buf, false)
		e.Bool(c.WantRemote)
	case OpReleaseDatagram, OpReleaseConnection:
		e.U32(c.Indication)
	case OpSendMessages:
		e.U32(c.Flags)
		e.U16(uint16(len(c.Bufs)))
		for i := range c.Bufs {
			e.Buf(&c.Bufs[i], true)
		}
		e.SA(c.Remote)
	case OpConnect:
		e.U32(c.Flags)
		e.SA(c.Remote)
	case OpConnectEx:
		e.U32(c.Flags)
		e.SA(c.Remote)
		e.Buf(c.Buf, true)
	case OpSend, OpDisconnect:
		e.U32(c.Flags)
		e.Buf(c.Buf, true)
	case OpReceive:
		e.U32(c.Flags)
		e.Buf(c.Buf, false)
	case OpGetAddressInfo, OpFreeAddressInfo, OpGetNameInfo:
		e.nameArgs(c)
	}
	return e.Bytes()
}

// createArgs writes the arguments WskSocket and WskSocketConnect share,
// from protocol to sd (section 5.1): their first four bytes differ.
func (e *Encoder) createArgs(c *Call) {
	e.U32(c.Protocol)
	e.U32(c.Flags)
	e.U64(c.Context)
	e.Disp(c.Dispatch)
	e.U8(c.Process)
	e.U8(c.Thread)
	e.U16(0)
	e.U64(c.SD)
}

func (d *Decoder) createArgs(c *Call) {
	c.Protocol, c.Flags = d.U32("protocol"), d.U32("flags")
	c.Context, c.Dispatch = d.U64("context"), d.Disp("dispatch")
	c.Process, c.Thread = d.U8("process"), d.U8("thread")
	d.Zero(2, "pad")
	c.SD = d.U64("sd")
}

// DecodeCall reads a CALL body.
func DecodeCall(f Frame) (*Call, error) {
	d := NewDecoder(f)
	c := &Call{Op: Op(d.U16("op"))}
	switch fl := d.U16("call_flags"); {
	case fl&^(CallNullOutSize|CallCancelledFirst) != 0:
		d.Failf("call_flags", "unknown bits 0x%X", fl)
	default:
		c.NullOutSize = fl&CallNullOutSize != 0
		c.CancelledFirst = fl&CallCancelledFirst != 0
	}
	c.Target, c.IRP = d.U32("target"), d.U32("irp")
	if d.Err() == nil && !c.Op.Valid() {
		return nil, &Error{Code: EOp, Type: f.Type, Seq: f.Seq, Field: "op", Msg: c.Op.String()}
	}
	switch c.Op {
	case OpSocket:
		c.Family, c.Type = d.U16("family"), d.U16("type")
		d.createArgs(c)
	case OpSocketConnect:
		c.Type = d.U16("type")
		d.Zero(2, "pad")
		d.createArgs(c)
		c.Local, c.Remote = d.SA("local"), d.SA("remote")
	case OpControlClient:
		c.Code, c.OutputSize, c.Input = d.U32("code"), d.U32("output_size"), d.Blob(MaxControl, "input")
	case OpControlSocket:
		c.Request, c.Code, c.Level = d.U32("request"), d.U32("code"), d.U32("level")
		c.OutputSize, c.Input = d.U32("output_size"), d.Blob(MaxControl, "input")
	case OpBind:
		c.Flags, c.Local = d.U32("flags"), d.SA("local")
	case OpAccept:
		c.Flags, c.Context, c.Dispatch = d.U32("flags"), d.U64("accept_context"), d.Disp("accept_dispatch")
		c.WantLocal, c.WantRemote = d.Bool("want_local"), d.Bool("want_remote")
	case OpInspectComplete:
		c.InspectID, c.Action = d.U64("inspect_id"), d.U32("action")
	case OpGetLocalAddress:
		c.WantLocal = d.Bool("want")
	case OpGetRemoteAddress:
		c.WantRemote = d.Bool("want")
	case OpSendTo:
		c.Flags, c.Buf, c.Remote = d.U32("flags"), d.Buf(true, "buf"), d.SA("remote")
	case OpReceiveFrom:
		c.Flags, c.Buf, c.WantRemote = d.U32("flags"), d.Buf(false, "buf"), d.Bool("want_remote")
	case OpReleaseDatagram, OpReleaseConnection:
		c.Indication = d.U32("indication")
	case OpSendMessages:
		c.Flags = d.U32("flags")
		n := int(d.U16("count"))
		if n > MaxBufs {
			d.fail(EMalformed, "count", "%d buffers, at most %d", n, MaxBufs)
		}
		for i := 0; i < n && d.Err() == nil; i++ {
			b := d.Buf(true, "bufs")
			if b == nil {
				b = &Buf{}
			}
			c.Bufs = append(c.Bufs, *b)
		}
		c.Remote = d.SA("remote")
	case OpConnect:
		c.Flags, c.Remote = d.U32("flags"), d.SA("remote")
	case OpConnectEx:
		c.Flags, c.Remote, c.Buf = d.U32("flags"), d.SA("remote"), d.Buf(true, "buf")
	case OpSend, OpDisconnect:
		c.Flags, c.Buf = d.U32("flags"), d.Buf(true, "buf")
	case OpReceive:
		c.Flags, c.Buf = d.U32("flags"), d.Buf(false, "buf")
	case OpGetAddressInfo, OpFreeAddressInfo, OpGetNameInfo:
		d.nameArgs(c)
	}
	if c.OutputSize > MaxControl {
		d.Failf("output_size", "%d bytes, at most %d", c.OutputSize, MaxControl)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return c, nil
}

// CallReply is a CALL_R body (section 5.2).
type CallReply struct {
	Status  uint32
	Fault   bool // the provider raised an exception (a panic) in the call
	OutSize uint32
	Output  []byte
	Message string
}

// Encode writes the body.
func (r *CallReply) Encode() []byte {
	var e Encoder
	e.U32(r.Status)
	e.Bool(r.Fault)
	e.U8(0)
	e.U16(0)
	e.U32(r.OutSize)
	e.Blob(r.Output)
	e.Text(r.Message)
	return e.Bytes()
}

// DecodeCallReply reads a CALL_R body.
func DecodeCallReply(f Frame) (*CallReply, error) {
	d := NewDecoder(f)
	r := &CallReply{Status: d.U32("status"), Fault: d.Bool("fault")}
	d.Zero(3, "pad")
	r.OutSize, r.Output, r.Message = d.U32("out_size"), d.Blob(MaxControl, "output"), d.Text("message")
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return r, nil
}
