package model

import "github.com/wskverify/wskverify/wsk"

// condD is a listen table with every entry conditional accept needs.
var condD = Dispatch{Kind: DispatchListen, Entries: wsk.EventAccept | wsk.EntryInspect | wsk.EntryAbort}

// condOpt is SO_CONDITIONAL_ACCEPT set to value on socket id.
func condOpt(id int, value uint32) Call {
	return opt(id, wsk.SolSocket, wsk.SoConditionalAccept, value)
}

// condGet is WskGetOption of SO_CONDITIONAL_ACCEPT into out bytes.
func condGet(id, out int) Call {
	return Call{Op: OpControlSocket, Socket: id, Request: wsk.ControlGetOption, Level: wsk.SolSocket, Code: wsk.SoConditionalAccept, OutLen: out}
}

// readULong is a get that wrote v.
func readULong(v byte) Outcome {
	o := info(ok(), 4)
	o.Data = []byte{v, 0, 0, 0}
	return o
}

// conditional is a listen socket with conditional accept enabled, bound to
// ours.
func (w *world) conditional() int {
	id := w.tcp(wsk.FlagListenSocket, condD)
	w.call(condOpt(id, 1), ok())
	w.bind(id, ours)
	return id
}

// inspect is the WskInspectEvent numbered n of listener l for peer, answered
// with action.
func inspect(l, peer, n int, action uint32) Callback {
	cb := fire(l, wsk.EntryInspect, "")
	cb.Peer, cb.Inspect, cb.Addr, cb.Returned = peer, n, sa("127.0.0.1:40000"), wsk.NTSTATUS(action)
	return cb
}

// abort is the WskAbortEvent of request n on listener l.
func abort(l, n int) Callback {
	cb := fire(l, wsk.EntryAbort, "")
	cb.Inspect = n
	return cb
}

func inspectComplete(l, n int, action uint32) Call {
	return Call{Op: OpInspectComplete, Socket: l, Target: n, Value: action}
}

// accepted is a WskAccept of listener l completed with the next socket.
func (w *world) accepted(l int) {
	w.call(Call{Op: OpAccept, Socket: l, AcceptDispatch: connD}, w.created(wsk.FlagConnectionSocket))
}

// pended: a conditional listener whose first request was pended.
func pended(w *world) (l, p int) {
	l = w.conditional()
	p = w.incoming(l)
	w.callback(inspect(l, p, 1, wsk.InspectPend))
	return l, p
}

// unseenSet: a set the documents leave undefined and a provider may not
// check (INSP-01): documented and windows accept any outcome, success
// included; bundled only its choice.
func unseenSet(rule, name string, setup func(w *world) Call, choice wsk.NTSTATUS) []ruleCase {
	with := func(o Outcome) []Event {
		return scenario(func(w *world) { w.call(setup(w), o) })
	}
	return []ruleCase{
		{rule, name + ": any failure", notBundled, with(done(otherFailure)), ""},
		{rule, name + ": " + choice.Name(), both, with(done(choice)), ""},
		{rule, name + ": another failure", Bundled, with(done(otherFailure)), rule},
		{rule, name + ": success", notBundled, with(ok()), ""},
		{rule, name + ": success", Bundled, with(ok()), rule},
	}
}

func inspectCases() []ruleCase {
	cases := []ruleCase{
		{"INSP-01", "set before bind, read back as 1", both, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condOpt(id, 1), ok())
			w.call(condGet(id, 4), readULong(1))
		}), ""},
		{"INSP-01", "read back as 0 before any set (disabled by default)", both, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condGet(id, 4), readULong(0))
		}), ""},
		{"INSP-01", "read back as 1 though never set", both, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condGet(id, 4), readULong(1))
		}), "INSP-01"},
		{"INSP-01", "read back as 0 after it was enabled", both, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condOpt(id, 1), ok())
			w.call(condGet(id, 4), readULong(0))
		}), "INSP-01"},
		{"INSP-01", "a set the transport does not support", notBundled, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condOpt(id, 1), done(wsk.StatusNotSupported))
		}), ""},
		{"INSP-01", "a set refused on a listen socket that has both entries", Bundled, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			w.call(condOpt(id, 1), done(wsk.StatusNotSupported))
		}), "INSP-01"},
		{"INSP-01", "on a stream socket before bind", both, scenario(func(w *world) {
			id := w.tcp(wsk.FlagStreamSocket, Dispatch{Kind: DispatchStream, Entries: EventsOfKind(DispatchStream) | wsk.EntryInspect | wsk.EntryAbort})
			w.call(condOpt(id, 1), ok())
		}), ""},
		{"INSP-01", "without an IRP", Bundled, scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, condD)
			c := condOpt(id, 1)
			c.IRP = nullIRP
			w.call(c, bare(wsk.StatusInvalidParameter))
		}), ""},
	}
	cases = append(cases, unseenSet("INSP-01", "after bind", func(w *world) Call {
		id := w.tcp(wsk.FlagListenSocket, condD)
		w.bind(id, ours)
		return condOpt(id, 1)
	}, wsk.StatusInvalidDeviceState)...)
	cases = append(cases, unseenSet("INSP-01", "with a NULL WskInspectEvent", func(w *world) Call {
		return condOpt(w.tcp(wsk.FlagListenSocket, listenD), 1)
	}, wsk.StatusInvalidParameter)...)
	cases = append(cases, unseenSet("INSP-01", "with a NULL table (its entry bits mean nothing)", func(w *world) Call {
		return condOpt(w.tcp(wsk.FlagListenSocket, Dispatch{Entries: wsk.EntryInspect | wsk.EntryAbort}), 1)
	}, wsk.StatusInvalidParameter)...)
	cases = append(cases, unseenSet("INSP-01", "on a connection socket", func(w *world) Call {
		return condOpt(w.tcp(wsk.FlagConnectionSocket, connD), 1)
	}, wsk.StatusInvalidParameter)...)
	cases = append(cases, ruleCase{"INSP-01", "enabled after bind: connections offered without inspection", notBundled, scenario(func(w *world) {
		id := w.tcp(wsk.FlagListenSocket, condD)
		w.bind(id, ours)
		w.call(condOpt(id, 1), ok())
		w.incoming(id)
		w.accepted(id)
	}), ""})
	cases = append(cases, undefCases("INSP-01", "a get into 2 bytes", func(w *world) Call {
		return condGet(w.tcp(wsk.FlagListenSocket, condD), 2)
	}, wsk.StatusInvalidParameter)...)
	return append(cases, inspectEventCases()...)
}

func inspectEventCases() []ruleCase {
	cases := []ruleCase{
		{"INSP-02", "one WskInspectEvent per request, then the accept", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectAccept))
			w.accepted(l)
		}), ""},
		{"INSP-02", "a WskInspectEvent on a listener without conditional accept", both, scenario(func(w *world) {
			l := w.listening(condD)
			p := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectAccept))
		}), "INSP-02"},
		{"INSP-02", "a connection offered before its WskInspectEvent", both, scenario(func(w *world) {
			l := w.conditional()
			w.incoming(l)
			w.accepted(l)
		}), "INSP-02"},
		{"INSP-02", "a WskInspectEvent with no request", both, scenario(func(w *world) {
			l := w.conditional()
			w.callback(inspect(l, 0, 1, wsk.InspectAccept))
		}), "INSP-02"},
		{"INSP-02", "one InspectID for two open requests", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			q := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectPend))
			w.callback(inspect(l, q, 1, wsk.InspectPend))
		}), "INSP-02"},
		{"INSP-02", "a remote address of another family", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			cb := inspect(l, p, 1, wsk.InspectAccept)
			cb.Addr = sa("[::1]:40000")
			w.callback(cb)
		}), "INSP-02"},
		{"INSP-02", "a NULL InspectID: the listener no longer works", both, scenario(func(w *world) {
			l := w.conditional()
			w.incoming(l)
			w.callback(inspect(l, 0, 0, wsk.InspectReject))
		}), ""},
		{"INSP-02", "a connect refused, its WskInspectEvent reported after (through an agent)", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			w.peer(PeerEvent{Kind: PeerRefused, Peer: p, Socket: l})
			w.callback(inspect(l, p, 1, wsk.InspectReject))
		}), ""},

		{"INSP-03", "an accepted request offered through the accept event", both, scenario(func(w *world) {
			l := w.conditional()
			w.enable(l, wsk.EventAccept)
			p := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectAccept))
			w.callback(w.acceptEvent(l, p, wsk.StatusSuccess))
		}), ""},
		{"INSP-03", "a rejected request never offered, its connect refused", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectReject))
			w.peer(PeerEvent{Kind: PeerRefused, Peer: p, Socket: l})
			w.call(Call{Op: OpAccept, Socket: l, AcceptDispatch: connD}, pend())
		}), ""},
		{"INSP-03", "a rejected request offered", both, scenario(func(w *world) {
			l := w.conditional()
			p := w.incoming(l)
			w.callback(inspect(l, p, 1, wsk.InspectReject))
			w.accepted(l)
		}), "INSP-03"},
		{"INSP-03", "a pended request offered", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.accepted(l)
		}), "INSP-03"},
		{"INSP-03", "the second request accepted while the first is pended", both, scenario(func(w *world) {
			l, _ := pended(w)
			q := w.incoming(l)
			w.callback(inspect(l, q, 2, wsk.InspectAccept))
			w.accepted(l)
		}), ""},
	}
	return append(cases, completeCases()...)
}

func completeCases() []ruleCase {
	cases := []ruleCase{
		{"INSP-04", "a pended request accepted, then offered", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectAccept), ok())
			w.accepted(l)
		}), ""},
		{"INSP-04", "a pended request rejected", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectReject), ok())
		}), ""},
		{"INSP-04", "a pended request rejected, then offered", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectReject), ok())
			w.accepted(l)
		}), "INSP-03"},
		{"INSP-04", "PENDING, the connection offered before the IRP completes", both, scenario(func(w *world) {
			l, _ := pended(w)
			irp := w.call(inspectComplete(l, 1, wsk.InspectAccept), pend())
			w.accepted(l)
			w.complete(irp, wsk.StatusSuccess, 0)
		}), ""},
		{"INSP-04", "the peer reset, its abort not seen yet: refused", both, scenario(func(w *world) {
			l, p := pended(w)
			w.peer(pe(PeerReset, p, ""))
			w.call(inspectComplete(l, 1, wsk.InspectAccept), done(wsk.StatusInvalidParameter))
			w.callback(abort(l, 1))
		}), ""},
		{"INSP-04", "the peer still there: refused", Bundled, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectAccept), done(wsk.StatusInvalidParameter))
		}), "INSP-04"},
		{"INSP-04", "an error occurred", notBundled, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectAccept), done(otherFailure))
		}), ""},
		{"INSP-04", "an error occurred", Bundled, scenario(func(w *world) {
			l, _ := pended(w)
			w.call(inspectComplete(l, 1, wsk.InspectAccept), done(otherFailure))
		}), "INSP-04"},
		{"INSP-04", "after the abort: no connection, any status", notBundled, scenario(func(w *world) {
			l, _ := pended(w)
			w.callback(abort(l, 1))
			w.call(inspectComplete(l, 1, wsk.InspectAccept), ok())
			w.call(Call{Op: OpAccept, Socket: l, AcceptDispatch: connD}, pend())
		}), ""},
		{"INSP-04", "after the abort, the connection offered", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.callback(abort(l, 1))
			w.call(inspectComplete(l, 1, wsk.InspectAccept), done(wsk.StatusInvalidParameter))
			w.accepted(l)
		}), "INSP-05"},
	}
	cases = append(cases, undefCases("INSP-04", "on a listener without conditional accept", func(w *world) Call {
		return inspectComplete(w.listening(condD), 1, wsk.InspectAccept)
	}, wsk.StatusInvalidDeviceState)...)
	cases = append(cases, undefCases("INSP-04", "of a request accepted at inspection", func(w *world) Call {
		l := w.conditional()
		w.callback(inspect(l, w.incoming(l), 1, wsk.InspectAccept))
		return inspectComplete(l, 1, wsk.InspectAccept)
	}, wsk.StatusInvalidParameter)...)
	cases = append(cases, undefCases("INSP-04", "of an InspectID never given", func(w *world) Call {
		l, _ := pended(w)
		return inspectComplete(l, 9, wsk.InspectReject)
	}, wsk.StatusInvalidParameter)...)
	cases = append(cases, undefCases("INSP-04", "with WskInspectPend", func(w *world) Call {
		l, _ := pended(w)
		return inspectComplete(l, 1, wsk.InspectPend)
	}, wsk.StatusInvalidParameter)...)
	return append(cases, abortCases()...)
}

func abortCases() []ruleCase {
	return []ruleCase{
		{"INSP-05", "a pended request aborted", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.callback(abort(l, 1))
		}), ""},
		{"INSP-05", "an accepted request aborted before it was offered", both, scenario(func(w *world) {
			l := w.conditional()
			w.callback(inspect(l, w.incoming(l), 1, wsk.InspectAccept))
			w.callback(abort(l, 1))
			w.call(Call{Op: OpAccept, Socket: l, AcceptDispatch: connD}, pend())
		}), ""},
		{"INSP-05", "a rejected request aborted", both, scenario(func(w *world) {
			l := w.conditional()
			w.callback(inspect(l, w.incoming(l), 1, wsk.InspectReject))
			w.callback(abort(l, 1))
		}), "INSP-05"},
		{"INSP-05", "a request aborted twice", both, scenario(func(w *world) {
			l, _ := pended(w)
			w.callback(abort(l, 1))
			w.callback(abort(l, 1))
		}), "INSP-05"},
		{"INSP-05", "an offered request aborted", both, scenario(func(w *world) {
			l := w.conditional()
			w.callback(inspect(l, w.incoming(l), 1, wsk.InspectAccept))
			w.accepted(l)
			w.callback(abort(l, 1))
		}), "INSP-05"},
		{"INSP-05", "an abort of an InspectID never given", both, scenario(func(w *world) {
			l := w.conditional()
			w.callback(abort(l, 4))
		}), "INSP-05"},
		{"INSP-05", "an abort on a listener without conditional accept", both, scenario(func(w *world) {
			w.callback(abort(w.listening(condD), 1))
		}), "INSP-05"},
	}
}

// clientEvent is a WskClientEvent the client answered as documented.
func clientEvent() Callback {
	return Callback{Event: EventClient, ContextOK: true, Returned: wsk.StatusNotImplemented}
}

// withClientEvent is a world whose client registered a WskClientEvent.
func withClientEvent(build func(w *world)) []Event {
	w := &world{}
	w.call(Call{Op: OpRegister, Dispatch: Dispatch{Entries: EventClient}}, Outcome{})
	w.call(Call{Op: OpCapture}, Outcome{})
	build(w)
	return w.events
}

func clientEventCases() []ruleCase {
	return []ruleCase{
		{"CEV-01", "no WskClientEvent registered, none called", both, scenario(func(w *world) {
			w.tcp(wsk.FlagListenSocket, listenD)
		}), ""},
		{"CEV-01", "a NULL WskClientEvent called", both, scenario(func(w *world) {
			w.callback(clientEvent())
		}), "CEV-01"},
		{"CEV-02", "a registered WskClientEvent called with the ClientContext", notBundled, withClientEvent(func(w *world) {
			w.callback(clientEvent())
		}), ""},
		{"CEV-02", "a registered WskClientEvent called", Bundled, withClientEvent(func(w *world) {
			w.callback(clientEvent())
		}), "CEV-02"},
		{"CEV-02", "a registered WskClientEvent never called", both, withClientEvent(func(w *world) {
			w.tcp(wsk.FlagListenSocket, listenD)
		}), ""},
		{"CEV-02", "a WskClientEvent with another ClientContext", both, withClientEvent(func(w *world) {
			cb := clientEvent()
			cb.ContextOK = false
			w.callback(cb)
		}), "CEV-02"},
	}
}
