package model

import "maps"

// nameRules: name resolution in WSK_PROVIDER_DISPATCH (WSK 1.0 on Windows 7
// and later), issue 15.
var nameRules = []Rule{
	{"NAME-01", Must, Doc | Obs, "WskGetAddressInfo resolves NodeName and/or ServiceName under an IRP: on success *Result is a non-empty ADDRINFOEXW list, each address a SOCKADDR of the hinted family (AF_INET or AF_INET6 without a hint) carrying the service's port; a numeric host gives exactly that address, localhost loopback addresses, a NULL NodeName the unspecified addresses with AI_PASSIVE and loopback ones without; Information 0 (observed). A NULL IRP fails and completes nothing (observed: STATUS_INVALID_PARAMETER).", "numeric hosts, localhost and /etc/hosts names only, never the network, completed at once"},
	{"NAME-02", Set, Doc | Obs, "A name that does not resolve fails with Information 0: STATUS_NOT_FOUND (observed; Windows 7 gave STATUS_NO_MATCH). NodeName and ServiceName both NULL, a hint family other than AF_UNSPEC, AF_INET and AF_INET6, or a non-numeric host with AI_NUMERICHOST fail too.", "a name that does not resolve: STATUS_NOT_FOUND; both names NULL or a bad hint family: STATUS_INVALID_PARAMETER"},
	{"NAME-03", Undef, Doc, "Every list WskGetAddressInfo returned is freed once with WskFreeAddressInfo, which returns nothing; freeing a list twice, or one it never returned, is undefined (and must not crash the provider, SAFE-01).", "a list already freed or never returned is ignored"},
	{"NAME-04", Must, Doc, "WskGetNameInfo turns a SOCKADDR into a host and/or service name under an IRP: with NI_NUMERICHOST the host is the numeric address, with NI_NUMERICSERV the service is the port in decimal, and each name fits its UNICODE_STRING; a bad SOCKADDR fails (ADDR-01); NodeName and ServiceName both NULL, or a buffer too small for the numeric name, fail.", "both NULL or a buffer too small: STATUS_INVALID_PARAMETER; loopback without NI_NUMERICHOST: localhost"},
}

// Where the name-resolution observations come from.
const wineNames = "Wine driver_netio.c test_wsk_get_address_info"

var nameFidelity = map[string]Fidelity{
	"NAME-01": {Must, Must, "WskGetAddressInfo (NodeName, ServiceName, Hints, Result, Irp required); ADDRINFOEXW", "a NULL IRP gives INVALID_PARAMETER with nothing completed; 127.0.0.1 with service 12345 and no hints returns PENDING, then SUCCESS with Information 0 and a list of AF_INET 127.0.0.1:12345 entries, ai_addrlen 16 (" + wineNames + ")"},
	"NAME-02": {Set, Set, "WskGetAddressInfo (a failure completes the IRP); GetAddrInfoExW (a name that does not resolve, bad hints)", "an unknown name (dead.beef) returns PENDING, then NOT_FOUND (Windows 7: NO_MATCH) with Information 0 (" + wineNames + ")"},
	"NAME-03": {Undef, Undef, "WskFreeAddressInfo (frees a list WskGetAddressInfo returned)", ""},
	"NAME-04": {Must, Must, "WskGetNameInfo (SockAddr, NodeName, ServiceName, Flags, Irp required); getnameinfo flags NI_NUMERICHOST, NI_NUMERICSERV, NI_NAMEREQD", ""},
}

func init() { maps.Copy(fidelity, nameFidelity) }
