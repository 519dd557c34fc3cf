package wsk

// MaxUDPPayload is the longest datagram UDP carries over the family: 65,535
// bytes less the IPv4 header (20) and the UDP header (8), or less the UDP
// header alone over IPv6 (no jumbograms). A longer one fails in sendto
// (EMSGSIZE on Linux), whoever sends it.
func MaxUDPPayload(family uint16) int {
	if family == AFInet6 {
		return 65535 - 8
	}
	return 65535 - 20 - 8
}
