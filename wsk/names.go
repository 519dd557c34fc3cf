package wsk

// Name resolution in WSK_PROVIDER_DISPATCH (WSK 1.0 on Windows 7 and later):
// WskGetAddressInfo, WskFreeAddressInfo and WskGetNameInfo (NAME-01..04).

// AddrInfo is ADDRINFOEXW: one entry of the list WskGetAddressInfo returns,
// or the hints a client passes (only Flags, Family, SockType and Protocol
// count there).
type AddrInfo struct {
	Flags     uint32
	Family    uint16
	SockType  uint16
	Protocol  uint32
	CanonName string
	// Addr is the entry's SOCKADDR as bytes (ai_addr, ai_addrlen).
	Addr []byte
	Next *AddrInfo
}

// Addresses lists the SOCKADDRs of a list, decoded; an entry that does not
// decode is returned as the zero Sockaddr.
func (a *AddrInfo) Addresses() []Sockaddr {
	var out []Sockaddr
	for ; a != nil; a = a.Next {
		s, _ := DecodeSockaddr(a.Addr)
		out = append(out, s)
	}
	return out
}

// ADDRINFOEXW flags and name spaces (ws2def.h, winsock2.h).
const (
	AIPassive      uint32 = 0x01
	AICanonName    uint32 = 0x02
	AINumericHost  uint32 = 0x04
	AINumericServ  uint32 = 0x08
	NSAll          uint32 = 0
	NSDNS          uint32 = 12
	NIMaxHost             = 1025 // NI_MAXHOST, in characters
	NIMaxServ             = 32   // NI_MAXSERV
	NINoFQDN       uint32 = 0x01
	NINumericHost  uint32 = 0x02
	NINameReqd     uint32 = 0x04
	NINumericServ  uint32 = 0x08
	NIDgram        uint32 = 0x10
	NameBufferNULL        = -1 // a NameBuffer size that stands for a NULL UNICODE_STRING
)

// StatusNoMatch is STATUS_NO_MATCH, what Windows 7's WskGetAddressInfo gave
// for a name it could not resolve (NAME-02, observed); not one of SPEC
// section 0's statuses.
const StatusNoMatch NTSTATUS = 0xC0000272

// NameBuffer is an output UNICODE_STRING of WskGetNameInfo: Max is its
// MaximumLength in characters; the provider writes Value, at most Max
// characters.
type NameBuffer struct {
	Max   int
	Value string
}

// NameDispatch is the name-resolution part of WSK_PROVIDER_DISPATCH. A
// provider dispatch that offers it implements this interface as well as
// ProviderDispatch; one that does not lacks name resolution (an older WSK
// version), which the suite reports as unsupported.
type NameDispatch interface {
	// WskGetAddressInfo resolves node and/or service (nil is NULL) in a
	// name space; on success *result is the list (NAME-01, NAME-02).
	WskGetAddressInfo(client *Client, node, service *string, nameSpace uint32, hints *AddrInfo,
		result **AddrInfo, process Process, thread Thread, irp *IRP) NTSTATUS
	// WskFreeAddressInfo frees a list WskGetAddressInfo returned (NAME-03).
	WskFreeAddressInfo(client *Client, info *AddrInfo)
	// WskGetNameInfo turns a SOCKADDR into a host and/or service name
	// (NAME-04); a nil NameBuffer is a NULL UNICODE_STRING.
	WskGetNameInfo(client *Client, addr []byte, node, service *NameBuffer, flags uint32,
		process Process, thread Thread, irp *IRP) NTSTATUS
}
