package wire

// Phase says whether a completion or callback happened before the call that
// was running returned (0) or after / outside any call (1).
const (
	PhaseDuring uint8 = 0
	PhaseAfter  uint8 = 1
)

// IRPDone is an IRP_DONE body (section 5.4).
type IRPDone struct {
	IRP         uint32
	Count       uint32
	Status      uint32
	Phase       uint8
	Tables      Tables
	Information uint64
	Socket      uint32
	Local       []byte // SAOUT; nil: no output buffer
	Remote      []byte
	Data        []byte
	Output      []byte
}

// Encode writes the body.
func (m *IRPDone) Encode() []byte {
	var e Encoder
	e.U32(m.IRP)
	e.U32(m.Count)
	e.U32(m.Status)
	e.U8(m.Phase)
	e.U8(uint8(m.Tables))
	e.U16(0)
	e.U64(m.Information)
	e.U32(m.Socket)
	e.SA(m.Local)
	e.SA(m.Remote)
	e.Blob(m.Data)
	e.Blob(m.Output)
	return e.Bytes()
}

// DecodeIRPDone reads an IRP_DONE body.
func DecodeIRPDone(f Frame) (*IRPDone, error) {
	d := NewDecoder(f)
	m := &IRPDone{IRP: d.U32("irp"), Count: d.U32("count"), Status: d.U32("status"), Phase: d.U8("phase"), Tables: Tables(d.U8("tables"))}
	d.Zero(2, "pad")
	m.Information, m.Socket = d.U64("information"), d.U32("socket")
	m.Local, m.Remote = d.SA("local"), d.SA("remote")
	m.Data, m.Output = d.Blob(MaxData, "data"), d.Blob(MaxControl, "output")
	switch {
	case d.Err() != nil:
	case m.IRP == 0:
		d.Failf("irp", "IRP id 0 (NULL) cannot complete")
	case m.Count == 0:
		d.Failf("count", "completion count 0")
	case m.Phase > PhaseAfter:
		d.Failf("phase", "%d", m.Phase)
	case m.Tables&^tablesAll != 0:
		d.Failf("tables", "unknown bits 0x%X", uint8(m.Tables))
	case m.Socket == 0 && m.Tables != 0:
		d.Failf("tables", "tables without a socket")
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return m, nil
}

// EventKind is an EVENT's callback.
type EventKind uint8

// The kinds.
const (
	EvAccept EventKind = iota + 1
	EvReceive
	EvReceiveFrom
	EvDisconnect
	EvSendBacklog
	EvInspect
	EvAbort
	EvClient
)

// Event is an EVENT body (section 6).
type Event struct {
	Kind       EventKind
	Phase      uint8
	Concurrent bool
	Table      uint32
	Socket     uint32
	Context    uint64
	Flags      uint32
	Answer     uint32
	Accepted   uint64
	Indicated  uint64
	InspectID  uint64
	NewSocket  uint32
	Tables     Tables
	NewContext uint64
	NewTable   uint32
	Indication uint32
	Index      uint16
	Count      uint16
	Local      []byte
	Remote     []byte
	Data       []byte
}

// Encode writes the body.
func (m *Event) Encode() []byte {
	var e Encoder
	e.U8(uint8(m.Kind))
	e.U8(m.Phase)
	e.Bool(m.Concurrent)
	e.U8(0)
	e.U32(m.Table)
	e.U32(m.Socket)
	e.U64(m.Context)
	e.U32(m.Flags)
	e.U32(m.Answer)
	e.U64(m.Accepted)
	e.U64(m.Indicated)
	e.U64(m.InspectID)
	e.U32(m.NewSocket)
	e.U8(uint8(m.Tables))
	e.U8(0)
	e.U16(0)
	e.U64(m.NewContext)
	e.U32(m.NewTable)
	e.U32(m.Indication)
	e.U16(m.Index)
	e.U16(m.Count)
	e.SA(m.Local)
	e.SA(m.Remote)
	e.Blob(m.Data)
	return e.Bytes()
}

// DecodeEvent reads an EVENT body.
func DecodeEvent(f Frame) (*Event, error) {
	d := NewDecoder(f)
	m := &Event{Kind: EventKind(d.U8("kind")), Phase: d.U8("phase"), Concurrent: d.Bool("concurrent")}
	d.Zero(1, "pad")
	m.Table, m.Socket, m.Context = d.U32("table_id"), d.U32("socket"), d.U64("context")
	m.Flags, m.Answer = d.U32("cb_flags"), d.U32("answer")
	m.Accepted, m.Indicated, m.InspectID = d.U64("accepted"), d.U64("indicated"), d.U64("inspect_id")
	m.NewSocket, m.Tables = d.U32("new_socket"), Tables(d.U8("tables"))
	d.Zero(3, "pad")
	m.NewContext, m.NewTable, m.Indication = d.U64("new_context"), d.U32("new_table"), d.U32("indication")
	m.Index, m.Count = d.U16("index"), d.U16("count")
	m.Local, m.Remote, m.Data = d.SA("local"), d.SA("remote"), d.Blob(MaxData, "data")
	switch {
	case d.Err() != nil:
	case m.Kind < EvAccept || m.Kind > EvClient:
		d.Failf("kind", "%d", m.Kind)
	case m.Phase > PhaseAfter:
		d.Failf("phase", "%d", m.Phase)
	case m.Tables&^tablesAll != 0:
		d.Failf("tables", "unknown bits 0x%X", uint8(m.Tables))
	case m.Count == 0 || m.Index >= m.Count:
		d.Failf("index", "datagram %d of %d", m.Index, m.Count)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return m, nil
}
