package model

import (
	"fmt"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

// Op names a WSK call or a client action on an IRP.
type Op uint8

// The calls the model judges.
const (
	OpRegister Op = iota + 1
	OpCapture
	OpReleaseNPI
	OpDeregister
	OpSocket
	OpSocketConnect
	OpControlClient
	OpBind
	OpConnect
	OpConnectEx
	OpListen
	OpAccept
	OpSend
	OpReceive
	OpSendTo
	OpReceiveFrom
	OpDisconnect
	OpClose
	OpGetLocalAddress
	OpGetRemoteAddress
	OpControlSocket
	OpCancel // IoCancelIrp on the IRP numbered Target
	// Name resolution (names.go): WskFreeAddressInfo frees the list the
	// WskGetAddressInfo of IRP Target returned.
	OpGetAddressInfo
	OpFreeAddressInfo
	OpGetNameInfo
	// OpRelease is WskRelease of the indication list numbered Target, which
	// a receive event callback of socket Socket kept (indications.go).
	OpRelease
	// OpInspectComplete is WskInspectComplete on listening socket Socket of
	// the request its WskInspectEvent numbered Target (inspect.go), with
	// the WSK_INSPECT_ACTION in Value.
	OpInspectComplete
	opCount
)

var opNames = [...]string{
	OpRegister: "WskRegister", OpCapture: "WskCaptureProviderNPI", OpReleaseNPI: "WskReleaseProviderNPI",
	OpDeregister: "WskDeregister", OpSocket: "WskSocket", OpSocketConnect: "WskSocketConnect",
	OpControlClient: "WskControlClient", OpBind: "WskBind", OpConnect: "WskConnect",
	OpConnectEx: "WskConnectEx", OpListen: "WskListen", OpAccept: "WskAccept", OpSend: "WskSend",
	OpReceive: "WskReceive", OpSendTo: "WskSendTo", OpReceiveFrom: "WskReceiveFrom",
	OpDisconnect: "WskDisconnect", OpClose: "WskCloseSocket", OpGetLocalAddress: "WskGetLocalAddress",
	OpGetRemoteAddress: "WskGetRemoteAddress", OpControlSocket: "WskControlSocket", OpCancel: "IoCancelIrp",
	OpGetAddressInfo: "WskGetAddressInfo", OpFreeAddressInfo: "WskFreeAddressInfo", OpGetNameInfo: "WskGetNameInfo",
	OpRelease: "WskRelease", OpInspectComplete: "WskInspectComplete",
}

func (o Op) String() string {
	if o > 0 && o < opCount {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// ParseOp reads an op by its WSK name.
func ParseOp(name string) (Op, bool) {
	for o := OpRegister; o < opCount; o++ {
		if opNames[o] == name {
			return o, true
		}
	}
	return 0, false
}

// Ops lists every op.
func Ops() []Op {
	out := make([]Op, 0, opCount-1)
	for o := OpRegister; o < opCount; o++ {
		out = append(out, o)
	}
	return out
}

// TakesIRP reports whether the call is given an IRP at all (registration
// calls and IoCancelIrp are not).
func (o Op) TakesIRP() bool {
	switch o {
	case OpRegister, OpCapture, OpReleaseNPI, OpDeregister, OpCancel, OpFreeAddressInfo, OpRelease:
		return false
	}
	return true
}

// DispatchKind is the kind of client dispatch table passed to a call: the
// `const VOID *Dispatch` of WskSocket.
type DispatchKind uint8

const (
	DispatchNone       DispatchKind = iota // NULL
	DispatchListen                         // WSK_CLIENT_LISTEN_DISPATCH
	DispatchDatagram                       // WSK_CLIENT_DATAGRAM_DISPATCH
	DispatchConnection                     // WSK_CLIENT_CONNECTION_DISPATCH
	DispatchStream                         // WSK_CLIENT_STREAM_DISPATCH
	DispatchForeign                        // something that is no dispatch table at all
)

var dispatchNames = [...]string{"NULL", "LISTEN_DISPATCH", "DATAGRAM_DISPATCH", "CONNECTION_DISPATCH", "STREAM_DISPATCH", "FOREIGN"}

func (k DispatchKind) String() string {
	if int(k) < len(dispatchNames) {
		return dispatchNames[k]
	}
	return "?"
}

// Dispatch describes a client table: its kind and which entries are non-NULL,
// as a mask of event bits (wsk.EventAccept, wsk.EventReceive, ...).
type Dispatch struct {
	Kind    DispatchKind
	Entries uint32
}

func (d Dispatch) String() string {
	if d.Kind == DispatchNone {
		return "NULL"
	}
	return fmt.Sprintf("%s{%s}", d.Kind, eventList(d.Entries))
}

// KindForCategory is the client table kind that fits a socket category
// (SOCK-05); DispatchNone for a basic socket.
func KindForCategory(c wsk.Category) DispatchKind {
	switch c {
	case wsk.FlagListenSocket:
		return DispatchListen
	case wsk.FlagDatagramSocket:
		return DispatchDatagram
	case wsk.FlagConnectionSocket:
		return DispatchConnection
	case wsk.FlagStreamSocket:
		return DispatchStream
	}
	return DispatchNone
}

// EventsOfKind is the mask of events a table kind can hold.
func EventsOfKind(k DispatchKind) uint32 {
	switch k {
	case DispatchListen:
		return wsk.EventAccept
	case DispatchDatagram:
		return wsk.EventReceiveFrom
	case DispatchConnection:
		return wsk.EventReceive | wsk.EventDisconnect | wsk.EventSendBacklog
	case DispatchStream:
		return wsk.EventAccept | wsk.EventReceive | wsk.EventDisconnect | wsk.EventSendBacklog
	}
	return 0
}

func eventList(mask uint32) string {
	var names []string
	for bit := uint32(1); bit != 0 && bit <= wsk.EntryAbort; bit <<= 1 {
		if mask&bit != 0 {
			names = append(names, wsk.EventName(bit))
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// BufFault is how a WSK_BUF passed to a call is malformed (DATA-04).
type BufFault uint8

const (
	BufOK        BufFault = iota
	BufOverlong           // Length runs past the MDL chain
	BufBadOffset          // Offset outside the first MDL
	BufNilMdl             // Mdl NULL with Length > 0
	BufNull               // no WSK_BUF at all (NULL PWSK_BUF)
)

var bufFaultNames = [...]string{"ok", "overlong", "bad-offset", "nil-mdl", "NULL"}

func (f BufFault) String() string {
	if int(f) < len(bufFaultNames) {
		return bufFaultNames[f]
	}
	return "?"
}

// Call is one WSK call as data: the op and every argument the model needs to
// judge it. Sockets and IRPs are named by numbers the harness assigns (socket
// #1 is the first socket created in the run; IRP 0 is NULL).
type Call struct {
	Op     Op
	Socket int // target socket; 0 for client-level calls
	IRP    int // 0 is a NULL IRP
	// Target is the IRP IoCancelIrp cancels.
	Target int

	NullClient bool // WSK_CLIENT NULL (IRP-06)
	Version    uint16

	// WskSocket / WskSocketConnect
	Family   uint16
	Type     uint16
	Protocol uint32
	Flags    uint32 // category flags, or the call's reserved/behaviour flags
	Context  bool   // SocketContext non-NULL
	Dispatch Dispatch
	Process  bool // OwningProcess non-NULL
	// SD is the security descriptor: 0 NULL, >0 a handle the run cached
	// with CACHE_SD, <0 a value never cached.
	SD int64

	// Addresses as raw SOCKADDR bytes; nil is NULL.
	Local  []byte
	Remote []byte

	// Data is what a send carries; Length what the WSK_BUF declares (for a
	// receive, the room offered); Buf how the WSK_BUF is malformed. The
	// model keeps Data (appendStream): it must not change once judged.
	Data   []byte
	Length int
	Buf    BufFault

	// WskControlSocket / WskControlClient
	Request uint32 // WskSetOption, WskGetOption, WskIoctl
	Code    uint32 // option name or control code
	Level   uint32
	Value   uint32 // option value, or the event mask of SO_WSK_EVENT_CALLBACK
	OutLen  int    // output buffer size

	// WskAccept's context and dispatch for the accepted socket.
	AcceptContext  bool
	AcceptDispatch Dispatch
	// WantAddresses asks WskAccept / WskReceiveFrom to fill address buffers.
	WantAddresses bool

	// Name resolution (names.go): NodeName and ServiceName of
	// WskGetAddressInfo as UTF-8 (nil is NULL); Hints says the hints are
	// not NULL (their family, type, protocol and flags are Family, Type,
	// Protocol and Flags; the name space is Value). WskGetNameInfo takes
	// its SOCKADDR in Local, its flags in Flags, and the sizes of its
	// NodeName and ServiceName buffers in OutLen and Length
	// (wsk.NameBufferNULL for NULL).
	Node, Service []byte
	Hints         bool
}

// String prints the call as a driver engineer writes it, e.g.
// "WskConnectEx(socket#2, 127.0.0.1:9000, buffer=65536 bytes, flags=0, IRP#3)".
func (c Call) String() string {
	var a []string
	sock := func() { a = append(a, fmt.Sprintf("socket#%d", c.Socket)) }
	switch c.Op {
	case OpRegister:
		a = append(a, fmt.Sprintf("version=0x%04X", c.Version))
	case OpCapture:
		a = append(a, "WSK_NO_WAIT")
	case OpSocket:
		a = append(a, client(c), wsk.FamilyName(c.Family), typeName(c.Type), fmt.Sprintf("protocol=%d", c.Protocol),
			"flags="+flagsName(c.Flags), ptr("context", c.Context), "dispatch="+c.Dispatch.String(), ptr("process", c.Process), sdName(c.SD))
	case OpSocketConnect:
		a = append(a, client(c), typeName(c.Type), fmt.Sprintf("protocol=%d", c.Protocol), "local="+AddrString(c.Local),
			"remote="+AddrString(c.Remote), fmt.Sprintf("flags=%d", c.Flags), ptr("context", c.Context), "dispatch="+c.Dispatch.String(), sdName(c.SD))
	case OpControlClient:
		a = append(a, client(c), controlClientName(c.Code), fmt.Sprintf("out=%d bytes", c.OutLen))
		if c.Code == wsk.ReleaseSD || c.Code == wsk.SetStaticEventCallbacks {
			a = append(a, fmt.Sprintf("input=%d", c.Value))
		}
	case OpBind:
		sock()
		a = append(a, AddrString(c.Local), fmt.Sprintf("flags=%d", c.Flags))
	case OpConnect:
		sock()
		a = append(a, AddrString(c.Remote), fmt.Sprintf("flags=%d", c.Flags))
	case OpConnectEx:
		sock()
		a = append(a, AddrString(c.Remote), bufString(c), fmt.Sprintf("flags=%d", c.Flags))
	case OpSend, OpReceive, OpDisconnect:
		sock()
		a = append(a, bufString(c), fmt.Sprintf("flags=0x%X", c.Flags))
	case OpSendTo:
		sock()
		a = append(a, bufString(c), AddrString(c.Remote))
	case OpReceiveFrom:
		sock()
		a = append(a, bufString(c))
	case OpAccept:
		sock()
		a = append(a, ptr("context", c.AcceptContext), "dispatch="+c.AcceptDispatch.String())
	case OpControlSocket:
		sock()
		a = append(a, controlSocketName(c))
	case OpCancel:
		return fmt.Sprintf("IoCancelIrp(IRP#%d)", c.Target)
	case OpGetAddressInfo, OpGetNameInfo, OpFreeAddressInfo:
		a = append(a, client(c))
		a = append(a, nameArgs(c)...)
	case OpRelease:
		sock()
		a = append(a, fmt.Sprintf("indication#%d", c.Target))
	case OpInspectComplete:
		sock()
		a = append(a, fmt.Sprintf("inspect#%d", c.Target), wsk.InspectActionName(c.Value))
	default:
		if c.Socket != 0 {
			sock()
		}
	}
	if c.Op.TakesIRP() {
		a = append(a, irpName(c.IRP))
	}
	return c.Op.String() + "(" + strings.Join(a, ", ") + ")"
}

func client(c Call) string {
	if c.NullClient {
		return "client=NULL"
	}
	return "client"
}

func irpName(n int) string {
	if n == 0 {
		return "IRP=NULL"
	}
	return fmt.Sprintf("IRP#%d", n)
}

func ptr(name string, set bool) string {
	if set {
		return name
	}
	return name + "=NULL"
}

func sdName(sd int64) string {
	switch {
	case sd == 0:
		return "sd=NULL"
	case sd < 0:
		return "sd=uncached"
	}
	return fmt.Sprintf("sd=cached#%d", sd)
}

func typeName(t uint16) string {
	switch t {
	case wsk.SockStream:
		return "SOCK_STREAM"
	case wsk.SockDgram:
		return "SOCK_DGRAM"
	case wsk.SockRaw:
		return "SOCK_RAW"
	}
	return fmt.Sprintf("type=%d", t)
}

func flagsName(f uint32) string {
	if cat, ok := wsk.CategoryFromFlags(f); ok {
		return strings.ToUpper(cat.String())
	}
	return fmt.Sprintf("0x%X", f)
}

func bufString(c Call) string {
	if c.Buf == BufNull {
		return "buffer=NULL"
	}
	s := fmt.Sprintf("buffer=%d bytes", c.Length)
	if c.Buf != BufOK {
		s += " (" + c.Buf.String() + ")"
	}
	return s
}

func controlClientName(code uint32) string {
	switch code {
	case wsk.TransportListQuery:
		return "WSK_TRANSPORT_LIST_QUERY"
	case wsk.TransportListChange:
		return "WSK_TRANSPORT_LIST_CHANGE"
	case wsk.CacheSD:
		return "WSK_CACHE_SD"
	case wsk.ReleaseSD:
		return "WSK_RELEASE_SD"
	case wsk.SetStaticEventCallbacks:
		return "WSK_SET_STATIC_EVENT_CALLBACKS"
	}
	return fmt.Sprintf("code=%d", code)
}

func controlSocketName(c Call) string {
	switch {
	case c.Code == wsk.SoWskEventCallback && c.Value&wsk.EventDisable != 0:
		return "SO_WSK_EVENT_CALLBACK, disable " + eventList(c.Value&^wsk.EventDisable)
	case c.Code == wsk.SoWskEventCallback:
		return "SO_WSK_EVENT_CALLBACK, enable " + eventList(c.Value)
	case c.Request == wsk.ControlIoctl && wsk.IoctlName(c.Code) != "":
		return ioctlString(c)
	}
	name := wsk.OptionName(c.Level, c.Code)
	switch {
	case name == "" || c.Request != wsk.ControlSetOption && c.Request != wsk.ControlGetOption:
		return fmt.Sprintf("request=%d, code=0x%X, level=0x%X", c.Request, c.Code, c.Level)
	case c.Request == wsk.ControlGetOption:
		return fmt.Sprintf("WskGetOption %s, out=%d bytes", name, c.OutLen)
	}
	return fmt.Sprintf("%s=%d", name, c.Value)
}

// ioctlString prints a WSK I/O control: its input address or output size.
func ioctlString(c Call) string {
	name := "WskIoctl " + wsk.IoctlName(c.Code)
	if c.Code == wsk.SioWskSetRemoteAddress || c.Code == wsk.SioWskSetSendToAddress {
		return name + ", " + AddrString(c.Remote)
	}
	return fmt.Sprintf("%s, out=%d bytes", name, c.OutLen)
}

// AddrString prints raw SOCKADDR bytes as an address, or says why they are
// not one.
func AddrString(b []byte) string {
	if b == nil {
		return "NULL"
	}
	a, err := wsk.DecodeSockaddr(b)
	if err != nil {
		return fmt.Sprintf("<bad sockaddr %d bytes>", len(b))
	}
	return a.String()
}
