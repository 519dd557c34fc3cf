package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// nameOut holds what a name-resolution call writes: WskGetAddressInfo's
// *Result, WskGetNameInfo's two UNICODE_STRINGs.
type nameOut struct {
	list          *wsk.AddrInfo
	node, service *wsk.NameBuffer
}

// result reads the outputs at completion.
func (n *nameOut) result() *model.NameResult {
	r := &model.NameResult{Addrs: n.list.Addresses()}
	if n.node != nil {
		r.Host = n.node.Value
	}
	if n.service != nil {
		r.Service = n.service.Value
	}
	return r
}

// prepareName makes WskGetAddressInfo, WskGetNameInfo or WskFreeAddressInfo
// through the provider dispatch's name-resolution entries; a provider
// without them cannot be asked (ErrNotExpressible).
func (h *Harness) prepareName(c model.Call, e *irpEntry) (func() wsk.NTSTATUS, error) {
	d, ok := h.providerDispatch().(wsk.NameDispatch)
	if !ok {
		return nil, fmt.Errorf("%w: the provider dispatch has no name resolution", ErrNotExpressible)
	}
	client := h.client(c)
	var irp *wsk.IRP
	out := &nameOut{}
	if e != nil {
		irp = e.irp
		if !irp.Pending() {
			e.names = out
		}
	}
	var process wsk.Process
	if c.Process {
		process = &otherProcess{name: "another process"}
	}
	switch c.Op {
	case model.OpGetAddressInfo:
		node, service := utf8Arg(c.Node), utf8Arg(c.Service)
		var hints *wsk.AddrInfo
		if c.Hints {
			hints = &wsk.AddrInfo{Flags: c.Flags, Family: c.Family, SockType: c.Type, Protocol: c.Protocol}
		}
		return func() wsk.NTSTATUS {
			return d.WskGetAddressInfo(client, node, service, c.Value, hints, &out.list, process, nil, irp)
		}, nil
	case model.OpGetNameInfo:
		out.node, out.service = nameBuffer(c.OutLen), nameBuffer(c.Length)
		return func() wsk.NTSTATUS {
			return d.WskGetNameInfo(client, c.Local, out.node, out.service, c.Flags, process, nil, irp)
		}, nil
	}
	// WskFreeAddressInfo: the list the WskGetAddressInfo of IRP Target
	// returned (a list never returned is a fresh one), then what it held
	// as the provider left it. Go memory stays readable after the free; a
	// provider in another process mirrors its copy of the list into the
	// suite's during the free.
	h.mu.Lock()
	list := &wsk.AddrInfo{}
	if l := h.addrLists[c.Target]; l != nil {
		list = l
	}
	h.mu.Unlock()
	return func() wsk.NTSTATUS {
		d.WskFreeAddressInfo(client, list)
		h.freeing = &model.NameResult{Addrs: list.Addresses()}
		return wsk.StatusSuccess
	}, nil
}

func utf8Arg(b []byte) *string {
	if b == nil {
		return nil
	}
	s := string(b)
	return &s
}

func nameBuffer(n int) *wsk.NameBuffer {
	if n == wsk.NameBufferNULL {
		return nil
	}
	return &wsk.NameBuffer{Max: n}
}
