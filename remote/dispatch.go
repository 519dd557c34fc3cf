package remote

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// dispatch is WSK_PROVIDER_DISPATCH on the far side.
type dispatch struct{ s *Subsystem }

// clientID is the id of a WSK_CLIENT from CAPTURE_R; 0 for NULL.
func clientID(c *wsk.Client) uint32 {
	if c == nil {
		return 0
	}
	id, _ := c.Impl.(uint32)
	return id
}

func processFlag(p any) uint8 {
	if p == nil {
		return 0
	}
	return 1
}

// sdValue is the SD as its 8 bytes.
func sdValue(sd wsk.SecurityDescriptor) uint64 { return uint64(sd) }

func (d *dispatch) WskSocket(client *wsk.Client, family uint16, socketType uint16, protocol uint32, flags uint32,
	socketContext any, disp any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpSocket, Target: clientID(client), Family: family, Type: socketType, Protocol: protocol,
		Flags: flags, Process: processFlag(process), Thread: processFlag(thread), SD: sdValue(sd)}
	c.Context, c.Dispatch = d.s.contextWith(socketContext, disp)
	return d.s.call(c, irp, &outputs{})
}

func (d *dispatch) WskSocketConnect(client *wsk.Client, socketType uint16, protocol uint32, local, remote []byte,
	flags uint32, socketContext any, disp any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpSocketConnect, Target: clientID(client), Type: socketType, Protocol: protocol,
		Local: local, Remote: remote, Flags: flags, Process: processFlag(process), Thread: processFlag(thread), SD: sdValue(sd)}
	c.Context, c.Dispatch = d.s.contextWith(socketContext, disp)
	return d.s.call(c, irp, &outputs{})
}

func (d *dispatch) WskControlClient(client *wsk.Client, code uint32, input []byte, output []byte,
	outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpControlClient, Target: clientID(client), Code: code, Input: clip(input, wire.MaxControl),
		OutputSize: uint32(min(len(output), wire.MaxControl)), NullOutSize: outputSizeReturned == nil}
	return d.s.call(c, irp, &outputs{control: output, size: outputSizeReturned})
}

// clip cuts a control buffer at the protocol's limit; nil stays nil.
func clip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
