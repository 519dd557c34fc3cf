package model

import (
	"fmt"
	"math/bits"

	"github.com/wskverify/wskverify/wsk"
)

// canEnableAt: listen and datagram sockets enable events after bind,
// connection sockets after connect, stream sockets after either (CTL-01).
func canEnableAt(k *Socket) bool {
	switch k.Category {
	case wsk.FlagListenSocket, wsk.FlagDatagramSocket:
		return k.Bound
	case wsk.FlagConnectionSocket:
		return k.Connected
	case wsk.FlagStreamSocket:
		return k.Listening || k.Connected
	}
	return false
}

func (s *State) expectControlSocket(c Call, k *Socket) ([]failure, Allowed) {
	ok := succeed("CTL-01", InfoAnyData)
	ok.Length = c.OutLen
	isSet := c.Request == wsk.ControlSetOption
	switch {
	case isSet && c.Level == wsk.SolSocket && c.Code == wsk.SoWskEventCallback:
		return s.expectEventCallback(c, k)
	case isSet && c.Level == wsk.SolSocket && (c.Code == wsk.SoReuseAddr || c.Code == wsk.SoExclusiveAddrUse):
		var errs []failure
		if k.Bound {
			errs = append(errs, undef("BIND-03", wsk.StatusInvalidDeviceState))
		}
		if c.Value != 0 && (c.Code == wsk.SoReuseAddr && k.Exclusive || c.Code == wsk.SoExclusiveAddrUse && k.Reuse) {
			errs = append(errs, undef("BIND-03", wsk.StatusInvalidParameter))
		}
		ok.Rule = "BIND-03"
		return errs, ok
	case isSet && c.Level == wsk.IPProtoTCP && c.Code == wsk.TCPFastOpen:
		ok.Rule = "CEX-08"
		switch {
		case k.Category == wsk.FlagBasicSocket:
			ok.AnyFailure = true // a basic socket passes options to the transport
		case k.Category == wsk.FlagDatagramSocket || k.Type != wsk.SockStream:
			return []failure{undef("CEX-08", wsk.StatusInvalidParameter)}, Allowed{}
		}
		if k.Connected || k.Connecting {
			return []failure{undef("CEX-08", wsk.StatusInvalidDeviceState)}, Allowed{}
		}
		return nil, ok
	}
	if errs, a, handled := s.expectConditional(c, k); handled {
		return errs, a
	}
	if errs, a, handled := s.expectOption(c, k); handled {
		return errs, a
	}
	// Other options and ioctls go to the transport: any outcome.
	ok.AnyFailure = true
	return nil, ok
}

func (s *State) expectEventCallback(c Call, k *Socket) ([]failure, Allowed) {
	mask := c.Value &^ wsk.EventDisable
	cat := EventsOfKind(KindForCategory(k.Category))
	var errs []failure
	if c.Value&wsk.EventDisable != 0 {
		switch {
		case bits.OnesCount32(mask) != 1 || mask&^cat != 0:
			errs = append(errs, undef("CTL-01", wsk.StatusInvalidParameter))
		case s.StaticEvents&mask != 0 && k.AcceptedOn == 0:
			// An accepted socket took no static callbacks (LIS-02): its
			// disable is an ordinary one.
			errs = append(errs, undef("CTL-04", wsk.StatusInvalidDeviceState))
		}
		// CTL-03 decides what a valid disable returns: SUCCESS, or, while
		// that callback runs, PENDING with an IRP and EVENT_PENDING without.
		a := succeed("CTL-03", InfoZero)
		if c.IRP == 0 {
			a.Statuses = append(a.Statuses, wsk.StatusEventPending)
		}
		if s.MaybeStatic&mask != 0 && k.AcceptedOn == 0 {
			// Static or not after a second SET_STATIC_EVENT_CALLBACKS:
			// the disable is refused (CTL-04) or made.
			a.Statuses = append(a.Statuses, wsk.StatusInvalidDeviceState)
		}
		return errs, a
	}
	// A listening socket takes connection events for the sockets its
	// accept event offers (SO_WSK_EVENT_CALLBACK): their entries are in
	// the table each accepted socket is given, not in the listener's.
	own := mask &^ k.inheritable(mask)
	switch {
	case mask == 0 || mask&^wsk.EventMaskAll != 0 || own&^cat != 0:
		errs = append(errs, undef("CTL-02", wsk.StatusInvalidParameter))
	case own != 0 && k.Dispatch.Kind == DispatchNone:
		errs = append(errs, undef("SOCK-06", wsk.StatusInvalidParameter))
	case own&^k.Dispatch.Entries != 0:
		errs = append(errs, undef("CTL-02", wsk.StatusInvalidParameter))
	}
	// CEX-07: a stream socket committed to one flow has only that flow's
	// events: no accept event once it connects, no connection events once
	// it listens.
	if k.Category == wsk.FlagStreamSocket &&
		(k.Role == RoleConnect && mask&wsk.EventAccept != 0 || (k.Role == RoleListen || k.Listening) && mask&^wsk.EventAccept != 0) {
		errs = append(errs, undef("CEX-07", wsk.StatusInvalidDeviceState))
	}
	if !canEnableAt(k) {
		errs = append(errs, undef("CTL-01", wsk.StatusInvalidDeviceState))
	}
	return errs, succeed("CTL-01", InfoZero)
}

func (s *State) expectControlClient(c Call) ([]failure, Allowed) {
	errs := s.clientErrs(c)
	ok := succeed("CTL-04", InfoAnyData)
	ok.Length = c.OutLen
	switch c.Code {
	case wsk.TransportListQuery:
		switch {
		case c.OutLen < wsk.TransportSize:
			errs = append(errs, must("CTL-04", wsk.StatusBufferOverflow))
		case c.OutLen < 16*wsk.TransportSize:
			ok.Statuses = append(ok.Statuses, wsk.StatusBufferOverflow)
		}
	case wsk.CacheSD:
		// The output is a PSECURITY_DESCRIPTOR, OutputSize
		// sizeof(PSECURITY_DESCRIPTOR) (WSK_CACHE_SD): a shorter buffer
		// (a 32-bit pointer's 4 bytes) has no room for the handle. No
		// document says what the call then returns; the bundled
		// provider reports BUFFER_OVERFLOW and the size needed.
		if c.OutLen < wsk.SecurityDescriptorSize {
			errs = append(errs, undef("CTL-04", wsk.StatusBufferOverflow))
		}
	case wsk.ReleaseSD:
		if !s.SDs[int64(c.Value)] {
			errs = append(errs, undef("CTL-04", wsk.StatusInvalidParameter))
		}
	case wsk.SetStaticEventCallbacks:
		if c.Value == 0 || c.Value&^wsk.EventMaskAll != 0 {
			errs = append(errs, undef("CTL-04", wsk.StatusInvalidParameter))
		}
		if s.EverSocket {
			errs = append(errs, undef("CTL-04", wsk.StatusInvalidDeviceState))
		}
	case wsk.TransportListChange:
		// Pends until the transport list changes, or until cancelled.
	default:
		errs = append(errs, undef("CTL-04", wsk.StatusInvalidParameter))
	}
	return errs, ok
}

// checkSizeNeeded holds a WSK_TRANSPORT_LIST_QUERY made without an IRP (or
// with one the provider ignored, strayIRPIgnored) to
// CTL-04: STATUS_BUFFER_OVERFLOW says the output buffer was too small, and
// *OutputSizeReturned then holds the size needed (WSK_TRANSPORT_LIST_QUERY:
// "the variable pointed to by OutputSizeReturned contains the required
// buffer size"). A size needed that fits the buffer given contradicts the
// overflow: a buffer of exactly the list's size must be filled.
func (s *State) checkSizeNeeded(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	withoutIRP := c.IRP == 0 || s.strayIRPIgnored(c, o)
	if c.Op != OpControlClient || c.Code != wsk.TransportListQuery || !withoutIRP || o.Returned != wsk.StatusBufferOverflow {
		return nil
	}
	s.Cov.touch("CTL-04", Rejecting)
	if o.OutSize <= c.OutLen {
		return s.violate("CTL-04", ev, fmt.Sprintf("returned STATUS_BUFFER_OVERFLOW with a size needed of %d bytes for a %d-byte buffer", o.OutSize, c.OutLen),
			fmt.Sprintf("STATUS_BUFFER_OVERFLOW only with a size needed over %d bytes in *OutputSizeReturned", c.OutLen))
	}
	return nil
}
