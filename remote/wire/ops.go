package wire

import "fmt"

// Op is a WSK entry point in a CALL (section 5.1); its number is also its bit
// in the handshake's ops masks.
type Op uint16

// The entry points.
const (
	OpSocket            Op = 1
	OpSocketConnect     Op = 2
	OpControlClient     Op = 3
	OpGetAddressInfo    Op = 4 // names.go
	OpFreeAddressInfo   Op = 5
	OpGetNameInfo       Op = 6
	OpControlSocket     Op = 16
	OpCloseSocket       Op = 17
	OpBind              Op = 18
	OpAccept            Op = 19
	OpInspectComplete   Op = 20
	OpGetLocalAddress   Op = 21
	OpSendTo            Op = 22
	OpReceiveFrom       Op = 23
	OpReleaseDatagram   Op = 24
	OpSendMessages      Op = 25
	OpConnect           Op = 26
	OpConnectEx         Op = 27
	OpGetRemoteAddress  Op = 28
	OpSend              Op = 29
	OpReceive           Op = 30
	OpDisconnect        Op = 31
	OpReleaseConnection Op = 32
	OpListen            Op = 33
	opLimit             Op = 64
)

var opNames = map[Op]string{
	OpSocket: "WskSocket", OpSocketConnect: "WskSocketConnect", OpControlClient: "WskControlClient",
	OpControlSocket: "WskControlSocket", OpCloseSocket: "WskCloseSocket", OpBind: "WskBind",
	OpAccept: "WskAccept", OpInspectComplete: "WskInspectComplete", OpGetLocalAddress: "WskGetLocalAddress",
	OpSendTo: "WskSendTo", OpReceiveFrom: "WskReceiveFrom", OpReleaseDatagram: "WskRelease(datagram)",
	OpSendMessages: "WskSendMessages", OpConnect: "WskConnect", OpConnectEx: "WskConnectEx",
	OpGetRemoteAddress: "WskGetRemoteAddress", OpSend: "WskSend", OpReceive: "WskReceive",
	OpDisconnect: "WskDisconnect", OpReleaseConnection: "WskRelease(connection)", OpListen: "WskListen",
	OpGetAddressInfo: "WskGetAddressInfo", OpFreeAddressInfo: "WskFreeAddressInfo", OpGetNameInfo: "WskGetNameInfo",
}

func (o Op) String() string {
	if n, ok := opNames[o]; ok {
		return n
	}
	return fmt.Sprintf("op %d", uint16(o))
}

// Valid reports whether o is a defined op.
func (o Op) Valid() bool { _, ok := opNames[o]; return ok }

// ClientLevel reports whether o is a WSK_PROVIDER_DISPATCH call (its target
// is a client id, not a socket id).
func (o Op) ClientLevel() bool { return o >= OpSocket && o <= OpGetNameInfo }

// Bit is o's bit in the ops masks.
func (o Op) Bit() uint64 { return 1 << (uint16(o) % uint16(opLimit)) }

// Tables says which provider dispatch tables a socket object offers (bit 0
// listen, 1 datagram, 2 connection, 3 stream; 0 is basic only).
type Tables uint8

// The table bits.
const (
	TableListen     Tables = 1 << 0
	TableDatagram   Tables = 1 << 1
	TableConnection Tables = 1 << 2
	TableStream     Tables = 1 << 3
	tablesAll              = TableListen | TableDatagram | TableConnection | TableStream
)

// Has reports whether the tables hold op's entry (E_TABLE otherwise).
func (t Tables) Has(o Op) bool {
	switch o {
	case OpControlSocket, OpCloseSocket:
		return true
	case OpBind, OpGetLocalAddress:
		return t&(TableListen|TableDatagram|TableConnection) != 0
	case OpAccept, OpInspectComplete:
		return t&TableListen != 0
	case OpSendTo, OpReceiveFrom, OpReleaseDatagram, OpSendMessages:
		return t&TableDatagram != 0
	case OpConnect, OpConnectEx, OpGetRemoteAddress, OpSend, OpReceive, OpDisconnect, OpReleaseConnection:
		return t&TableConnection != 0
	case OpListen:
		return t&TableStream != 0
	}
	return false
}

// DispKind is the kind of a client dispatch table in a DISP field.
type DispKind uint8

// The kinds.
const (
	DispNull DispKind = iota
	DispListen
	DispDatagram
	DispConnection
	DispStream
	DispForeign
)

// Entry bits of a DISP beyond the SO_WSK_EVENT_CALLBACK event bits.
const (
	EntryInspect uint32 = 0x1000
	EntryAbort   uint32 = 0x2000
)

// entriesOf is the mask of entries a kind can hold.
func entriesOf(k DispKind) uint32 {
	const conn = 0x10 | 0x40 | 0x80
	const listen = 0x200 | EntryInspect | EntryAbort
	switch k {
	case DispListen:
		return listen
	case DispDatagram:
		return 0x100
	case DispConnection:
		return conn
	case DispStream:
		return listen | conn
	}
	return 0
}

// Disp is a DISP field: a client dispatch table as "which entries are
// non-NULL", and the id EVENT frames name it by.
type Disp struct {
	Kind    DispKind
	Entries uint32
	Table   uint32
}

func (e *Encoder) Disp(d Disp) {
	e.U8(uint8(d.Kind))
	e.U8(0)
	e.U16(0)
	e.U32(d.Entries)
	e.U32(d.Table)
}

func (d *Decoder) Disp(field string) Disp {
	v := Disp{Kind: DispKind(d.U8(field))}
	d.Zero(3, field)
	v.Entries, v.Table = d.U32(field), d.U32(field)
	switch {
	case v.Kind > DispForeign:
		d.Failf(field, "dispatch kind %d", v.Kind)
	case v.Entries&^entriesOf(v.Kind) != 0:
		d.Failf(field, "entries 0x%X not in a kind-%d table", v.Entries, v.Kind)
	case (v.Kind == DispNull || v.Kind == DispForeign) && v.Table != 0:
		d.Failf(field, "table id %d on a table without entries", v.Table)
	}
	return v
}
