package bugs

import (
	"encoding/binary"

	"github.com/wskverify/wskverify/wsk"
)

// The name-resolution entries of the wrapper (NAME-01..04) and the planted
// bugs of the NAME- family.

var _ wsk.NameDispatch = (*provider)(nil)

// nameCtx is what a name-resolution call's completion may change.
type nameCtx struct {
	result *(*wsk.AddrInfo)
	static *wsk.AddrInfo // the provider's one list (addrinfo-reused)
	node   *wsk.NameBuffer
	flags  uint32
}

// names is the inner provider's name resolution; a provider without it
// lacks the entries (STATUS_NOT_IMPLEMENTED, the IRP completed).
func (p *provider) names() (wsk.NameDispatch, bool) {
	d, ok := p.inner.(wsk.NameDispatch)
	return d, ok
}

func (p *provider) WskGetAddressInfo(client *wsk.Client, node, service *string, nameSpace uint32, hints *wsk.AddrInfo,
	result **wsk.AddrInfo, process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	cc := &callCtx{names: &nameCtx{result: result, static: &p.static}}
	return p.w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		d, ok := p.names()
		if !ok {
			return lacking(sh)
		}
		return d.WskGetAddressInfo(client, node, service, nameSpace, hints, result, process, thread, sh)
	})
}

func (p *provider) WskFreeAddressInfo(client *wsk.Client, info *wsk.AddrInfo) {
	if d, ok := p.names(); ok && info != &p.static {
		d.WskFreeAddressInfo(client, info)
	}
}

func (p *provider) WskGetNameInfo(client *wsk.Client, addr []byte, node, service *wsk.NameBuffer, flags uint32,
	process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	cc := &callCtx{names: &nameCtx{node: node, flags: flags}}
	return p.w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		d, ok := p.names()
		if !ok {
			return lacking(sh)
		}
		return d.WskGetNameInfo(client, addr, node, service, flags, process, thread, sh)
	})
}

// lacking is an entry the inner provider does not offer.
func lacking(sh *wsk.IRP) wsk.NTSTATUS {
	if sh != nil {
		_ = sh.Begin()
		sh.Complete(wsk.StatusNotImplemented, 0)
	}
	return wsk.StatusNotImplemented
}

// nameBug changes what a successful name-resolution call wrote before the
// client's IRP completes: addrinfo-port-zero zeroes each address's port
// (NAME-01); addrinfo-reused copies the list's first entry into the one
// static list and returns that (NAME-03, seen when an earlier list is
// freed); nameinfo-not-numeric writes localhost for NI_NUMERICHOST
// (NAME-04).
func nameBug(k kind, cc *callCtx, ok bool) {
	n := cc.names
	if !ok || n == nil {
		return
	}
	switch {
	case k == kAddrInfoPortZero && n.result != nil:
		for a := *n.result; a != nil; a = a.Next {
			if len(a.Addr) >= 4 {
				binary.BigEndian.PutUint16(a.Addr[2:], 0)
			}
		}
	case k == kAddrInfoReused && n.result != nil && *n.result != nil:
		first := **n.result
		n.static.Flags, n.static.Family, n.static.SockType, n.static.Protocol = first.Flags, first.Family, first.SockType, first.Protocol
		n.static.Addr = append(n.static.Addr[:0], first.Addr...)
		*n.result = n.static
	case k == kNameInfoNotNumeric && n.node != nil && n.flags&wsk.NINumericHost != 0:
		n.node.Value = "localhost"
	}
}
