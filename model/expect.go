package model

import (
	"net/netip"

	"github.com/wskverify/wskverify/wsk"
)

// Allowed lists what call c may produce in state s: the allowed statuses,
// whether it may pend, what Information must hold, and the rule that decides.
// It does not change s.
func (s *State) Allowed(c Call) Allowed {
	if c.Op.TakesIRP() && c.IRP == 0 && irpRequired(c) {
		// IRP-06: nothing to complete, the status is returned. Windows is
		// observed to return INVALID_PARAMETER from WskSocket (Wine's
		// driver_netio.c, test_wsk_listen_socket); no document fixes it.
		a := Allowed{Rule: "IRP-06", NoCompletion: true, Side: Rejecting}
		if s.Profile == Bundled || s.Profile == Windows && (c.Op == OpSocket || c.Op == OpGetAddressInfo) {
			a.Statuses = []wsk.NTSTATUS{wsk.StatusInvalidParameter}
		} else {
			a.AnyFailure = true
		}
		return a
	}
	if _, busy := s.Pending[c.IRP]; busy && c.IRP != 0 {
		a := Allowed{Rule: "IRP-08", NoCompletion: true, Side: Rejecting}
		if s.bundled() {
			a.Statuses = []wsk.NTSTATUS{wsk.StatusInvalidParameter}
		} else {
			a.AnyFailure = true
		}
		return a
	}
	var errs []failure
	var ok Allowed
	switch c.Op {
	case OpSocket:
		errs, ok = s.expectSocket(c)
	case OpSocketConnect:
		errs, ok = s.expectSocketConnect(c)
	case OpControlClient:
		errs, ok = s.expectControlClient(c)
	case OpGetAddressInfo, OpGetNameInfo:
		errs, ok = s.expectName(c)
	default:
		errs, ok = s.expectOnSocket(c)
	}
	if len(errs) > 0 && s.passable(errs) {
		// REG-03, SOCK-05: any failure, or the valid path.
		ok.AnyFailure, ok.Rule = true, errs[0].rule
	} else if len(errs) > 0 {
		a := s.allowedFor(errs)
		if c.IRP == 0 {
			a.NoCompletion = true // an optional IRP left NULL: nothing to complete
		}
		return a
	}
	if c.IRP == 0 {
		ok.NoCompletion = true
		ok.MayPend = false
	}
	return ok
}

// irpRequired: WskControlSocket's SO_WSK_EVENT_CALLBACK and WskControlClient's
// synchronous codes take a NULL IRP (CTL-01, CTL-04); every other call needs one.
func irpRequired(c Call) bool {
	switch c.Op {
	case OpControlSocket:
		return !(c.Request == wsk.ControlSetOption && c.Code == wsk.SoWskEventCallback && c.Level == wsk.SolSocket)
	case OpControlClient:
		return c.Code == wsk.TransportListChange
	}
	return true
}

// clientErrs are the errors of the client-level calls: NULL client, released
// capture (REG-03).
func (s *State) clientErrs(c Call) []failure {
	var errs []failure
	if c.NullClient {
		// Observed on WskSocket (Wine's driver_netio.c); on the other
		// client-level calls it is the bundled provider's choice.
		f := undef("IRP-06", wsk.StatusInvalidHandle)
		if c.Op == OpSocket {
			f = observed("IRP-06", wsk.StatusInvalidHandle)
		}
		errs = append(errs, f)
	}
	if s.Captures == 0 {
		errs = append(errs, unseen("REG-03", wsk.StatusDeviceNotReady))
	}
	return errs
}

// addrErr checks raw SOCKADDR bytes against a family (ADDR-01); family 0
// accepts AF_INET and AF_INET6.
func addrErr(b []byte, family uint16) (wsk.Sockaddr, *failure) {
	if b == nil {
		f := undef("ADDR-01", wsk.StatusInvalidParameter)
		return wsk.Sockaddr{}, &f
	}
	a, err := wsk.DecodeSockaddr(b)
	if err != nil || (family != 0 && a.Family != family) {
		f := undef("ADDR-01", wsk.StatusInvalidAddress)
		return wsk.Sockaddr{}, &f
	}
	return a, nil
}

// localUsable: an address this machine surely has (loopback or unspecified).
func localUsable(a wsk.Sockaddr) bool {
	return a.Addr.IsLoopback() || a.Addr.IsUnspecified()
}

// reachability of a remote address as far as the model knows.
type reach uint8

const (
	reachUnknown reach = iota
	reachListening
	reachRefusing
)

func (s *State) reachOf(a wsk.Sockaddr) reach {
	ap := netip.AddrPortFrom(a.Addr.Unmap(), a.Port)
	if v, ok := s.Listening[ap]; ok {
		if v {
			return reachListening
		}
		return reachRefusing
	}
	return reachUnknown
}

// connectOutcome is the valid path of a connect: success where something
// listens, CONN-02 where nothing does, either where the model cannot know.
// With portZero a remote at port 0, where nothing can listen, must fail
// (CONN-02); the bundled provider calls it no destination,
// STATUS_INVALID_ADDRESS, before the transport sees it. A stream socket's
// connect goes without: whether such a failure commits it to the
// connection flow (CEX-07) is not documented.
func (s *State) connectOutcome(rule string, remote wsk.Sockaddr, info InfoRule, portZero bool) Allowed {
	switch {
	case portZero && remote.Port == 0:
		return s.connectFails(info, wsk.StatusInvalidAddress)
	case s.reachOf(remote) == reachListening:
		return succeed(rule, info)
	case s.reachOf(remote) == reachRefusing:
		return s.connectFails(info, wsk.StatusConnectionRefused)
	}
	a := succeed(rule, info)
	a.AnyFailure = true
	return a
}

// connectFails is a connect that passes every check and fails (CONN-02):
// any failure, under bundled the status given.
func (s *State) connectFails(info InfoRule, bundled wsk.NTSTATUS) Allowed {
	a := Allowed{Rule: "CONN-02", MayPend: true, Info: info, Side: Rejecting, Valid: true}
	if s.bundled() {
		a.Statuses = []wsk.NTSTATUS{bundled}
	} else {
		a.AnyFailure = true
	}
	return a
}
