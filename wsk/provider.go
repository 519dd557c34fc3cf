package wsk

import "time"

// Client is the WSK_CLIENT handle that WskCaptureProviderNPI returns; its
// contents are the provider's. A nil *Client is the NULL client of IRP-06.
type Client struct {
	Impl any
}

// Registration is WSK_REGISTRATION: the client's record of one WskRegister.
type Registration struct {
	Impl any
}

// ClientNPI is WSK_CLIENT_NPI: the client's context and its client dispatch
// (the WSK version it wants and its static client-level event callback).
type ClientNPI struct {
	ClientContext any
	Version       uint16 // MAKE_WSK_VERSION(major, minor); 0x0100 is 1.0
	// Dispatch is the client dispatch (CEV-01); nil is a client that
	// registers no WskClientEvent.
	Dispatch *ClientDispatch
}

// WSK versions.
const (
	WskVersion1_0 uint16 = 0x0100
	WskVersionMax uint16 = 0x0100
)

// Capture wait times for CaptureProviderNPI (REG-02).
const (
	InfiniteWait time.Duration = -1
	NoWait       time.Duration = 0
)

// ProviderNPI is WSK_PROVIDER_NPI: the client handle and the provider's
// client-level dispatch (WskSocket, WskSocketConnect, WskControlClient).
type ProviderNPI struct {
	Client   *Client
	Dispatch ProviderDispatch
}

// Subsystem is the WSK subsystem an implementation offers a client: the
// registration calls around the provider NPI (REG-01..04). impl.New returns
// one; a user checking their own provider passes theirs to properties.Check.
type Subsystem interface {
	// Register is WskRegister.
	Register(client *ClientNPI) (*Registration, NTSTATUS)
	// CaptureProviderNPI waits up to wait (NoWait, InfiniteWait or a
	// duration) for the provider and returns its NPI (REG-02).
	CaptureProviderNPI(reg *Registration, wait time.Duration) (*ProviderNPI, NTSTATUS)
	// ReleaseProviderNPI releases one capture.
	ReleaseProviderNPI(reg *Registration)
	// Deregister waits for every capture to be released, every provider
	// call to return and every socket to close (REG-04).
	Deregister(reg *Registration)
}

// SecurityDescriptor is a handle to a security descriptor cached with
// WSK_CACHE_SD; 0 is NULL, the default that forbids sharing (SOCK-09).
type SecurityDescriptor uint64

// Process and Thread stand for PEPROCESS and PETHREAD; nil means the current
// process (SOCK-09). Any non-nil value names another one.
type (
	Process any
	Thread  any
)

// ProviderDispatch is WSK_PROVIDER_DISPATCH, the client-level calls.
//
// Socket addresses are raw SOCKADDR bytes, as a C client passes a PSOCKADDR:
// nil is NULL, and any bytes may arrive. Dispatch is `const VOID *`: nil, one
// of the client dispatch tables of dispatch.go, or anything else.
type ProviderDispatch interface {
	// WskSocket: SOCK-01..10.
	WskSocket(client *Client, family uint16, socketType uint16, protocol uint32, flags uint32,
		socketContext any, dispatch any, process Process, thread Thread,
		sd SecurityDescriptor, irp *IRP) NTSTATUS
	// WskSocketConnect: SCON-01..05.
	WskSocketConnect(client *Client, socketType uint16, protocol uint32, local, remote []byte,
		flags uint32, socketContext any, dispatch any, process Process, thread Thread,
		sd SecurityDescriptor, irp *IRP) NTSTATUS
	// WskControlClient: CTL-04. With a NULL IRP the size written is stored
	// in *outputSizeReturned; with an IRP it is the IRP's Information.
	WskControlClient(client *Client, code uint32, input []byte, output []byte,
		outputSizeReturned *int, irp *IRP) NTSTATUS
}
