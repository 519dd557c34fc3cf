package wire

// Hello is a HELLO body.
type Hello struct {
	Magic        uint32
	Major, Minor uint16
}

// Encode writes the body.
func (h Hello) Encode() []byte {
	var e Encoder
	e.U32(h.Magic)
	e.U16(h.Major)
	e.U16(h.Minor)
	return e.Bytes()
}

// DecodeHello reads a HELLO body.
func DecodeHello(f Frame) (Hello, error) {
	d := NewDecoder(f)
	h := Hello{Magic: d.U32("magic"), Major: d.U16("major"), Minor: d.U16("minor")}
	return h, d.Finish()
}

// Feature bits of the handshake (section 4).
const (
	FeatEvents           uint32 = 1 << 0
	FeatCancel           uint32 = 1 << 1
	FeatChainedMDL       uint32 = 1 << 2
	FeatIPv6             uint32 = 1 << 3
	FeatLocalAddress     uint32 = 1 << 4
	FeatMisusePendingIRP uint32 = 1 << 8
	FeatMisuseNullIRP    uint32 = 1 << 9
	FeatMisuseBadBuf     uint32 = 1 << 10
	FeatMisuseForeign    uint32 = 1 << 11
	FeatQuiet            uint32 = 1 << 12 // the agent answers QUIET (quiet.go)
	FeatClientEvent      uint32 = 1 << 13 // the agent honours RegClientEvent (simple.go)
	FeatCancelFirst      uint32 = 1 << 14 // the agent honours CALL's CallCancelledFirst (1.3, call.go)
)

// Category bits of the handshake: bit 0 basic, then listen, datagram,
// connection, stream.
const (
	CatBasic      uint8 = 1 << 0
	CatListen     uint8 = 1 << 1
	CatDatagram   uint8 = 1 << 2
	CatConnection uint8 = 1 << 3
	CatStream     uint8 = 1 << 4
)

// Caps is what an agent declares: for ops, categories and features, which
// it knows and, of those, which the provider supports. A bit not known is
// "unknown, probe".
type Caps struct {
	OpsKnown, OpsSupported     uint64
	CatsKnown, CatsSupported   uint8
	FeatsKnown, FeatsSupported uint32
}

// Verdict of a capability: supported, unsupported, or unknown (probe).
type Verdict uint8

// The verdicts.
const (
	Unknown Verdict = iota
	Supported
	Unsupported
)

func verdict(known, supported bool) Verdict {
	switch {
	case !known:
		return Unknown
	case supported:
		return Supported
	}
	return Unsupported
}

// Op says what the agent declared about op.
func (c Caps) Op(o Op) Verdict {
	return verdict(c.OpsKnown&o.Bit() != 0, c.OpsSupported&o.Bit() != 0)
}

// Cat says what the agent declared about a category bit.
func (c Caps) Cat(bit uint8) Verdict {
	return verdict(c.CatsKnown&bit != 0, c.CatsSupported&bit != 0)
}

// Feat says what the agent declared about a feature bit.
func (c Caps) Feat(bit uint32) Verdict {
	return verdict(c.FeatsKnown&bit != 0, c.FeatsSupported&bit != 0)
}

// HelloReply is a HELLO_R body.
type HelloReply struct {
	Magic        uint32
	Major, Minor uint16
	MaxFrame     uint32
	Agent        string
	Provider     string
	Caps         Caps
}

// Encode writes the body.
func (h *HelloReply) Encode() []byte {
	var e Encoder
	e.U32(h.Magic)
	e.U16(h.Major)
	e.U16(h.Minor)
	e.U32(h.MaxFrame)
	e.Text(h.Agent)
	e.Text(h.Provider)
	e.U64(h.Caps.OpsKnown)
	e.U64(h.Caps.OpsSupported)
	e.U8(h.Caps.CatsKnown)
	e.U8(h.Caps.CatsSupported)
	e.U32(h.Caps.FeatsKnown)
	e.U32(h.Caps.FeatsSupported)
	return e.Bytes()
}

// DecodeHelloReply reads a HELLO_R body. A later minor version may append
// fields: bytes past the known ones are ignored only when Minor > 0.
func DecodeHelloReply(f Frame) (*HelloReply, error) {
	d := NewDecoder(f)
	h := &HelloReply{Magic: d.U32("magic"), Major: d.U16("major"), Minor: d.U16("minor"), MaxFrame: d.U32("max_frame")}
	h.Agent, h.Provider = d.Text("agent"), d.Text("provider")
	h.Caps.OpsKnown, h.Caps.OpsSupported = d.U64("ops_known"), d.U64("ops_supported")
	h.Caps.CatsKnown, h.Caps.CatsSupported = d.U8("cats_known"), d.U8("cats_supported")
	h.Caps.FeatsKnown, h.Caps.FeatsSupported = d.U32("feats_known"), d.U32("feats_supported")
	if d.Err() == nil && h.Minor > Minor {
		d.b = nil // fields of a later minor version
	}
	if d.Err() == nil && (h.MaxFrame < 4096 || h.MaxFrame > MaxFrame) {
		d.Failf("max_frame", "%d outside [4096, %d]", h.MaxFrame, MaxFrame)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return h, nil
}

// Policy is a POLICY body (section 6): how the agent answers event
// callbacks. DefaultPolicy holds the values an agent starts with.
type Policy struct {
	Accept        uint8 // 0 accept, 1 reject
	AcceptContext bool
	AcceptEntries uint32
	Receive       uint8 // 0 take all, 1 take ReceiveBytes, 2 not accepted, 3 retain
	ReceiveFrom   uint8 // 0 take, 2 not accepted, 3 retain
	ReceiveBytes  uint32
	Inspect       uint32
}

// Policy answers.
const (
	AcceptYes      uint8  = 0
	AcceptNo       uint8  = 1
	ReceiveTakeAll uint8  = 0
	ReceiveTakeN   uint8  = 1
	ReceiveRefuse  uint8  = 2
	ReceiveRetain  uint8  = 3
	InspectReject  uint32 = 0
	InspectAccept  uint32 = 1
	InspectPend    uint32 = 2
	connectionAll         = 0x10 | 0x40 | 0x80
)

// DefaultPolicy is what an agent answers before any POLICY.
var DefaultPolicy = Policy{Accept: AcceptYes, AcceptContext: true, AcceptEntries: connectionAll,
	Receive: ReceiveTakeAll, ReceiveFrom: ReceiveTakeAll, Inspect: InspectAccept}

// Encode writes the body.
func (p Policy) Encode() []byte {
	var e Encoder
	e.U8(p.Accept)
	e.Bool(p.AcceptContext)
	e.U16(0)
	e.U32(p.AcceptEntries)
	e.U8(p.Receive)
	e.U8(p.ReceiveFrom)
	e.U16(0)
	e.U32(p.ReceiveBytes)
	e.U32(p.Inspect)
	return e.Bytes()
}

// DecodePolicy reads a POLICY body.
func DecodePolicy(f Frame) (Policy, error) {
	d := NewDecoder(f)
	p := Policy{Accept: d.U8("accept"), AcceptContext: d.Bool("accept_context")}
	d.Zero(2, "pad")
	p.AcceptEntries, p.Receive, p.ReceiveFrom = d.U32("accept_entries"), d.U8("receive"), d.U8("receive_from")
	d.Zero(2, "pad")
	p.ReceiveBytes, p.Inspect = d.U32("receive_bytes"), d.U32("inspect")
	switch {
	case p.Accept > AcceptNo:
		d.Failf("accept", "%d", p.Accept)
	case p.AcceptEntries&^uint32(connectionAll) != 0:
		d.Failf("accept_entries", "0x%X not in a connection table", p.AcceptEntries)
	case p.Receive > ReceiveRetain:
		d.Failf("receive", "%d", p.Receive)
	case p.ReceiveFrom > ReceiveRetain || p.ReceiveFrom == ReceiveTakeN:
		d.Failf("receive_from", "%d", p.ReceiveFrom)
	case p.Inspect > InspectPend:
		d.Failf("inspect", "%d", p.Inspect)
	}
	return p, d.Finish()
}
