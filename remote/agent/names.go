package agent

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// nameResults are what a name-resolution call writes, sent back in
// IRP_DONE's output (docs/protocol.md section 5.1, ops 4 to 6).
type nameResults struct {
	list          *wsk.AddrInfo
	node, service *wsk.NameBuffer
}

func newNameResults(c *wire.Call) *nameResults {
	n := &nameResults{}
	if c.Op == wire.OpGetNameInfo {
		n.node, n.service = nameBuffer(c.Names.HostSize), nameBuffer(c.Names.ServiceSize)
	}
	return n
}

func nameBuffer(size int32) *wsk.NameBuffer {
	if size < 0 {
		return nil
	}
	return &wsk.NameBuffer{Max: int(size)}
}

// encode is IRP_DONE's output: the list, or the two names.
func (n *nameResults) encode() []byte {
	if n.node == nil && n.service == nil {
		var entries []wire.AddrEntry
		for a := n.list; a != nil && len(entries) < 64; a = a.Next {
			entries = append(entries, wire.AddrEntry{Family: a.Family, SockType: a.SockType, Protocol: a.Protocol, Flags: a.Flags, Addr: a.Addr})
		}
		return wire.EncodeAddrList(entries)
	}
	var host, service string
	if n.node != nil {
		host = n.node.Value
	}
	if n.service != nil {
		service = n.service.Value
	}
	return wire.EncodeNames(host, service)
}

// prepareName builds a name-resolution call on the provider's dispatch; a
// provider without name resolution fails it with STATUS_NOT_IMPLEMENTED.
func (s *session) prepareName(c *wire.Call, p *prepared, d wsk.ProviderDispatch, client *wsk.Client, process wsk.Process,
	irp *wsk.IRP) (func() wsk.NTSTATUS, *prepared, *wire.Error) {
	nd, ok := d.(wsk.NameDispatch)
	if !ok {
		return func() wsk.NTSTATUS {
			if irp != nil && irp.Begin() == nil {
				irp.Complete(wsk.StatusNotImplemented, 0)
			}
			return wsk.StatusNotImplemented
		}, p, nil
	}
	switch c.Op {
	case wire.OpGetAddressInfo:
		node, service := text(c.Names.Node), text(c.Names.Service)
		var hints *wsk.AddrInfo
		if c.Names.Hints {
			hints = &wsk.AddrInfo{Family: c.Family, SockType: c.Type, Protocol: c.Protocol, Flags: c.Flags}
		}
		out := p.names
		return func() wsk.NTSTATUS {
			return nd.WskGetAddressInfo(client, node, service, c.Code, hints, &out.list, process, nil, irp)
		}, p, nil
	case wire.OpGetNameInfo:
		out := p.names
		return func() wsk.NTSTATUS {
			return nd.WskGetNameInfo(client, c.Local, out.node, out.service, c.Flags, process, nil, irp)
		}, p, nil
	}
	// WskFreeAddressInfo: the list the WskGetAddressInfo of IRP List
	// returned, or a fresh one the provider never returned; CALL_R's output
	// is the list as it was just before the free.
	list := &wsk.AddrInfo{}
	s.mu.Lock()
	if e := s.irps[c.Names.List]; e != nil && e.out.names != nil && e.out.names.list != nil {
		list = e.out.names.list
	}
	s.mu.Unlock()
	return func() wsk.NTSTATUS {
		// The list as the provider holds it just before the free: the
		// suite mirrors it into its copy (NAME-03).
		p.output = (&nameResults{list: list}).encode()
		nd.WskFreeAddressInfo(client, list)
		return wsk.StatusSuccess
	}, p, nil
}

func text(b []byte) *string {
	if b == nil {
		return nil
	}
	t := string(b)
	return &t
}
