package remote

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// Name resolution on the far side (docs/protocol.md section 5.1, ops 4 to
// 6). An agent that declared an op unsupported in HELLO is not asked: the
// call fails with STATUS_NOT_IMPLEMENTED, its IRP completed, which the
// suite reports as unsupported.

var _ wsk.NameDispatch = (*dispatch)(nil)

// nameOutputs are a name-resolution call's outputs.
type nameOutputs struct {
	result        **wsk.AddrInfo
	node, service *wsk.NameBuffer
	// freed is the suite's copy of a list being freed: CALL_R's output
	// (the far side's list just before the free) is mirrored into it.
	freed *wsk.AddrInfo
}

// lacks reports whether the agent declared op unsupported; if so it fails
// the call as a provider without the entry would.
func (d *dispatch) lacks(op wire.Op, irp *wsk.IRP) bool {
	if d.s.hello.Caps.Op(op) != wire.Unsupported {
		return false
	}
	if irp != nil && irp.Begin() == nil {
		irp.Complete(wsk.StatusNotImplemented, 0)
	}
	return true
}

func (d *dispatch) WskGetAddressInfo(client *wsk.Client, node, service *string, nameSpace uint32, hints *wsk.AddrInfo,
	result **wsk.AddrInfo, process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	if d.lacks(wire.OpGetAddressInfo, irp) {
		return wsk.StatusNotImplemented
	}
	c := &wire.Call{Op: wire.OpGetAddressInfo, Target: clientID(client), Code: nameSpace, Process: processFlag(process),
		Names: wire.NameArgs{Node: utf8(node), Service: utf8(service), Hints: hints != nil}}
	if hints != nil {
		c.Family, c.Type, c.Protocol, c.Flags = hints.Family, hints.SockType, hints.Protocol, hints.Flags
	}
	return d.s.call(c, irp, &outputs{names: &nameOutputs{result: result}})
}

func (d *dispatch) WskFreeAddressInfo(client *wsk.Client, info *wsk.AddrInfo) {
	if d.s.hello.Caps.Op(wire.OpFreeAddressInfo) == wire.Unsupported {
		return
	}
	id, _ := d.s.lists.LoadAndDelete(info)
	list, _ := id.(uint32)
	d.s.call(&wire.Call{Op: wire.OpFreeAddressInfo, Target: clientID(client), Names: wire.NameArgs{List: list}}, nil,
		&outputs{names: &nameOutputs{freed: info}})
}

// mirrorFreed writes the far side's list, as CALL_R of WskFreeAddressInfo
// reports it, into the suite's copy, entry by entry (NAME-03).
func mirrorFreed(list *wsk.AddrInfo, output []byte) {
	entries, err := wire.DecodeAddrList(output)
	if err != nil {
		return // an agent that reports nothing leaves the copy as it was
	}
	for i, a := 0, list; a != nil && i < len(entries); i, a = i+1, a.Next {
		e := entries[i]
		a.Family, a.SockType, a.Protocol, a.Flags, a.Addr = e.Family, e.SockType, e.Protocol, e.Flags, e.Addr
	}
}

func (d *dispatch) WskGetNameInfo(client *wsk.Client, addr []byte, node, service *wsk.NameBuffer, flags uint32,
	process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	if d.lacks(wire.OpGetNameInfo, irp) {
		return wsk.StatusNotImplemented
	}
	c := &wire.Call{Op: wire.OpGetNameInfo, Target: clientID(client), Local: addr, Flags: flags, Process: processFlag(process),
		Names: wire.NameArgs{HostSize: bufferSize(node), ServiceSize: bufferSize(service)}}
	return d.s.call(c, irp, &outputs{names: &nameOutputs{node: node, service: service}})
}

func utf8(s *string) []byte {
	if s == nil {
		return nil
	}
	return []byte(*s)
}

func bufferSize(b *wsk.NameBuffer) int32 {
	if b == nil {
		return -1
	}
	return int32(min(b.Max, 1<<20))
}

// fillNames writes a successful call's results, read from IRP_DONE's
// output, into the caller's outputs; the list is remembered under its IRP
// id for WskFreeAddressInfo.
func (s *Subsystem) fillNames(n *nameOutputs, irp uint32, output []byte) error {
	if n.result != nil {
		entries, err := wire.DecodeAddrList(output)
		if err != nil {
			return err
		}
		var list, last *wsk.AddrInfo
		for _, e := range entries {
			a := &wsk.AddrInfo{Family: e.Family, SockType: e.SockType, Protocol: e.Protocol, Flags: e.Flags, Addr: e.Addr}
			if list == nil {
				list = a
			} else {
				last.Next = a
			}
			last = a
		}
		*n.result = list
		if list != nil {
			s.lists.Store(list, irp)
		}
		return nil
	}
	host, service, err := wire.DecodeNames(output)
	if err != nil {
		return err
	}
	if n.node != nil {
		n.node.Value = host
	}
	if n.service != nil {
		n.service.Value = service
	}
	return nil
}

// unknownOp: an agent that answers E_OP does not know the op (an agent
// older than the name-resolution ops, a C agent that lacks them): the call
// fails as a provider without the entry would, STATUS_NOT_IMPLEMENTED with
// its IRP completed, which the suite reports as unsupported.
func (s *Subsystem) unknownOp(c *wire.Call, irp *wsk.IRP, began bool) wsk.NTSTATUS {
	if began {
		s.mu.Lock()
		delete(s.irpOut, c.IRP)
		s.mu.Unlock()
		irp.Complete(wsk.StatusNotImplemented, 0)
	}
	return wsk.StatusNotImplemented
}
