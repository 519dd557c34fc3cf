package bugs

import "github.com/wskverify/wskverify/wsk"

// isPortZero reports whether remote is a well-formed SOCKADDR of the
// family with port 0: no destination, which the bundled provider refuses
// with STATUS_INVALID_ADDRESS before the transport sees it (CONN-02).
func isPortZero(remote []byte, family uint16) bool {
	a, err := wsk.DecodeSockaddr(remote)
	return err == nil && a.Family == family && a.Addr.IsValid() && a.Port == 0
}

// portZeroStatus is connect-port-zero-refused: a connect to port 0 fails as
// the transport would answer it, STATUS_CONNECTION_REFUSED, where the
// bundled provider says STATUS_INVALID_ADDRESS.
func portZeroStatus(cc *callCtx, st wsk.NTSTATUS) wsk.NTSTATUS {
	if cc.portZero && st == wsk.StatusInvalidAddress {
		return wsk.StatusConnectionRefused
	}
	return st
}
