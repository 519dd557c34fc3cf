package winerun

import (
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Lacks says whether a call cannot be judged on Wine through the C agent,
// for properties.Options.Skip: Wine 8.0's netio.sys is known not to
// implement it (wineLacks), or the agent refuses it (agentRefuses). The
// campaign against Wine then spends its time on what Wine does implement,
// and one stub does not hide the rest.
func Lacks(c model.Call, s *model.State) bool {
	return wineLacks(c) || agentRefuses(c, s)
}

// wineLacks: the calls Wine 8.0's netio.sys does not implement.
// Each entry is judged on its own by a reproduction file of
// corpus/providers/wine-8.0/ and listed in docs/providers/wine-8.0.md.
//
// From dlls/netio.sys/netio.c of Wine 8.0 and the runs of that report:
//   - WskSocket makes only listen and connection sockets; any other Flags
//     returns STATUS_NOT_IMPLEMENTED with the IRP completed (unsupported);
//   - WskSocketConnect, WskControlClient, WskControlSocket,
//     WskGetLocalAddress, WskGetRemoteAddress, WskDisconnect,
//     WskConnectEx, WskGetNameInfo and WskInspectComplete are stubs that
//     return STATUS_NOT_IMPLEMENTED and never complete their IRP (IRP-01,
//     IRP-04);
//   - no IRP has a cancel routine, so IoCancelIrp leaves a pending IRP
//     pending (IRP-07);
//   - a WSK_BUF with a NULL Mdl and a Length is refused with
//     STATUS_INVALID_PARAMETER and its IRP never completed (IRP-04);
//   - WskCloseSocket with a NULL IRP dereferences it;
//   - WskConnect with a NULL RemoteAddress hands it to ConnectEx, and the
//     process that hosts netio.sys dies of the page fault (SAFE-01): the
//     campaign does not kill Wine's process over and over for it.
//
// WskListen, WskSendTo and WskReceiveFrom belong to stream and datagram
// sockets, which cannot be made.
func wineLacks(c model.Call) bool {
	switch c.Op {
	case model.OpSocket:
		return c.Flags != uint32(wsk.FlagListenSocket) && c.Flags != uint32(wsk.FlagConnectionSocket)
	case model.OpSocketConnect, model.OpControlClient, model.OpControlSocket, model.OpGetLocalAddress,
		model.OpGetRemoteAddress, model.OpDisconnect, model.OpConnectEx, model.OpCancel,
		model.OpListen, model.OpSendTo, model.OpReceiveFrom, model.OpGetNameInfo, model.OpInspectComplete:
		return true
	case model.OpSend, model.OpReceive:
		return c.Buf == model.BufNilMdl
	case model.OpClose:
		return c.IRP == 0
	case model.OpConnect:
		return c.Remote == nil
	}
	return false
}

// agentRefuses: the misuses the C agent declares unsupported in its HELLO
// (MISUSE_NULL_IRP, MISUSE_BAD_BUF, MISUSE_FOREIGN, MISUSE_PENDING_IRP:
// docs/protocol.md section 4), which it answers with E_REFUSED without
// calling the provider: a NULL IRP where one is required, a malformed
// WSK_BUF, a FOREIGN dispatch table or a security descriptor, and an IRP
// still pending in another call; and for name resolution another owning
// process, and a WskFreeAddressInfo of a list the session does not hold
// (NAME-03 misuse: a C provider would free a pointer it never made).
func agentRefuses(c model.Call, s *model.State) bool {
	switch c.Op {
	case model.OpFreeAddressInfo:
		_, held := s.AddrLists[c.Target]
		return c.Process || !held
	case model.OpGetAddressInfo, model.OpGetNameInfo:
		if c.Process {
			return true
		}
	}
	if c.Op == model.OpCancel || c.Op == model.OpRegister || c.Op == model.OpCapture ||
		c.Op == model.OpReleaseNPI || c.Op == model.OpDeregister {
		return false
	}
	if c.IRP == 0 || malformedBuf(c) || c.Dispatch.Kind == model.DispatchForeign ||
		c.AcceptDispatch.Kind == model.DispatchForeign || c.SD != 0 {
		return true
	}
	if k := s.Sockets[c.Socket]; c.Socket != 0 && k != nil && k.Closed {
		return true // the agent forgets a socket once its close completed (E_ID): SOCK-10 misuse
	}
	_, pending := s.Pending[c.IRP]
	return pending
}

// malformedBuf: a WSK_BUF the agent refuses (MISUSE_BAD_BUF): any fault in
// its MDLs, or none at all where the call needs one. WskConnect, WskBind
// and the other calls that take no buffer carry BufNull as their normal
// form, and WskConnectEx and WskDisconnect take an optional one
// (agent/driver/calls.c).
func malformedBuf(c model.Call) bool {
	switch c.Buf {
	case model.BufOK:
		return false
	case model.BufNull:
		switch c.Op {
		case model.OpSend, model.OpReceive, model.OpSendTo, model.OpReceiveFrom:
			return true
		}
		return false
	}
	return true
}
