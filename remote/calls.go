package remote

import (
	"fmt"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// outputs are the caller's buffers a call's completion fills.
type outputs struct {
	recv    *wsk.Buf      // a receive's WSK_BUF: the bytes land from the chain's start
	local   *wsk.Sockaddr // LocalAddress outputs
	remote  *wsk.Sockaddr
	control []byte // a control call's OutputBuffer
	size    *int   // its OutputSizeReturned
	data    []byte // IRP_DATA parts gathered before the IRP_DONE
	names   *nameOutputs
	kept    any // WskRelease's list: CALL_R's output is mirrored into it (indications.go)
}

// irpBinding is the suite's IRP behind an IRP id and what its current call
// wants back.
type irpBinding struct {
	irp *wsk.IRP
	out *outputs
	// returned is set by the reader when it takes the reply of the call
	// that took the IRP: IRP_DONE's phase must agree (E_ORDER).
	returned bool
}

// ProviderPanic is what a proxy call panics with when the agent reports that
// the provider raised an exception in it (CALL_R fault): the harness then
// reports SAFE-01 as for a Go provider that panics in process.
type ProviderPanic struct{ Message string }

func (p ProviderPanic) String() string { return "the provider raised in the agent: " + p.Message }

// call makes one CALL: it takes the IRP (Begin, with a cancel routine that
// sends CANCEL), waits for CALL_R while the reader delivers what happens
// meanwhile, and gives the IRP back when the provider neither completed it
// nor kept it pending.
func (s *Subsystem) call(c *wire.Call, irp *wsk.IRP, out *outputs) wsk.NTSTATUS {
	what := c.Op.String()
	began, cancelAfter := false, false
	var b *irpBinding
	if irp != nil {
		c.IRP = s.irpID(irp)
		if irp.Begin() == nil {
			began = true
			// An IRP cancelled before the call: an agent with
			// CANCEL_FIRST marks its copy the same way before the call;
			// to any other the cancel is passed on once the call has
			// left the IRP pending (below).
			c.CancelledFirst = irp.Cancelled() && s.cancelsFirst()
			cancelAfter = irp.Cancelled() && !c.CancelledFirst
			b = &irpBinding{irp: irp, out: out}
			s.mu.Lock()
			s.irpOut[c.IRP] = b
			s.mu.Unlock()
			id := c.IRP
			irp.SetCancelRoutine(func(*wsk.IRP) { s.cancel(id) })
		}
	}
	body := c.Encode()
	if len(body)+wire.HeaderSize > int(s.hello.MaxFrame) {
		s.setFault(&Fault{Kind: Protocol, During: what, Err: fmt.Errorf("a CALL of %d bytes exceeds the agent's max_frame %d", len(body)+wire.HeaderSize, s.hello.MaxFrame)})
		return faultStatus
	}
	var mark func()
	if b != nil {
		mark = func() {
			s.mu.Lock()
			b.returned = true
			s.mu.Unlock()
		}
	}
	f, err := s.requestThen(wire.TCall, body, what, mark)
	if we, ok := err.(*wire.Error); ok && we.Remote && we.Code == wire.ERefused {
		// The agent declined a misuse it cannot pass safely and called
		// nothing: the call was not made (TakeRefusal).
		s.mu.Lock()
		s.refusal = fmt.Errorf("the agent refused %s: %s", what, we.Msg)
		s.mu.Unlock()
		if began {
			irp.GiveBack()
		}
		return faultStatus
	}
	if we, ok := err.(*wire.Error); ok && we.Remote && we.Code == wire.EOp {
		return s.unknownOp(c, irp, began)
	}
	if err != nil {
		s.requestFailed(what, err)
		return faultStatus
	}
	r, err := wire.DecodeCallReply(f)
	if err != nil {
		s.requestFailed(what, err)
		return faultStatus
	}
	if out != nil && out.control != nil {
		copy(out.control, r.Output)
		if out.size != nil {
			*out.size = int(r.OutSize)
		}
	}
	if out != nil && out.names != nil && out.names.freed != nil {
		mirrorFreed(out.names.freed, r.Output)
	}
	if out != nil && out.kept != nil {
		mirrorKept(out.kept, r.Output)
	}
	if r.Fault {
		panic(ProviderPanic{Message: r.Message})
	}
	st := wsk.NTSTATUS(r.Status)
	if began && st != wsk.StatusPending {
		irp.GiveBack()
	}
	if began && cancelAfter && st == wsk.StatusPending {
		// The IRP was cancelled before the call took it, but the agent
		// (without CANCEL_FIRST) passed a fresh one: the cancel is passed
		// on now, as if it came just after the call, the other order of
		// the same race (IRP-07).
		irp.Cancel()
	}
	return st
}

// irpID numbers an IRP for the session.
func (s *Subsystem) irpID(irp *wsk.IRP) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.irps[irp]
	if !ok {
		s.next.irp++
		id = s.next.irp
		s.irps[irp] = id
	}
	return id
}

// cancel is the cancel routine of every IRP handed to the agent: IoCancelIrp
// on the far side.
func (s *Subsystem) cancel(id uint32) {
	if _, err := s.request(wire.TCancel, wire.EncodeU32(id), "IoCancelIrp"); err != nil {
		s.requestFailed("IoCancelIrp", err)
	}
}

// irpData gathers received bytes that come ahead of their IRP_DONE.
func (s *Subsystem) irpData(f wire.Frame) error {
	m, err := wire.DecodeIRPData(f)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.irpOut[m.IRP]
	if b == nil || b.out == nil || int(m.Offset) != len(b.out.data) {
		return protocolf("IRP_DATA for IRP %d at offset %d out of place", m.IRP, m.Offset)
	}
	b.out.data = append(b.out.data, m.Bytes...)
	return nil
}

// irpDone delivers a completion: the outputs first, then the IRP completes,
// so the client's completion routine reads them as it would in process.
func (s *Subsystem) irpDone(f wire.Frame) error {
	m, err := wire.DecodeIRPDone(f)
	if err != nil {
		return err
	}
	s.mu.Lock()
	b := s.irpOut[m.IRP]
	returned := b != nil && b.returned
	s.mu.Unlock()
	if b == nil {
		return protocolf("IRP_DONE for IRP %d, which no call took", m.IRP)
	}
	if (m.Phase == wire.PhaseAfter) != returned {
		return &wire.Error{Code: wire.EOrder, Type: f.Type, Seq: f.Seq, Field: "phase",
			Msg: fmt.Sprintf("IRP %d completed with phase %d, but its call had returned: %v", m.IRP, m.Phase, returned)}
	}
	if out := b.out; out != nil {
		data := append(out.data, m.Data...)
		out.data = nil
		if out.recv != nil && len(data) > 0 {
			fillChain(out.recv.Mdl, data)
		}
		if out.local != nil && m.Local != nil {
			*out.local, _ = wsk.DecodeSockaddr(m.Local)
		}
		if out.remote != nil && m.Remote != nil {
			*out.remote, _ = wsk.DecodeSockaddr(m.Remote)
		}
		if out.control != nil {
			copy(out.control, m.Output)
		}
		if out.names != nil && wsk.NTSTATUS(m.Status).NTSuccess() {
			if err := s.fillNames(out.names, m.IRP, m.Output); err != nil {
				return err
			}
		}
	}
	st := wsk.NTSTATUS(m.Status)
	if m.Socket != 0 {
		b.irp.CompleteSocket(st, s.adopt(m.Socket, m.Tables))
		return nil
	}
	b.irp.Complete(st, uintptr(m.Information))
	return nil
}

// fillChain copies received bytes into an MDL chain from its start, as the
// agent read them from its own chain's start.
func fillChain(m *wsk.MDL, data []byte) {
	for ; m != nil && len(data) > 0; m = m.Next {
		n := copy(m.Buffer, data)
		data = data[n:]
	}
}

// wireBuf describes a WSK_BUF for a CALL; nil for a NULL PWSK_BUF. Bytes
// are sent for sends only; a chain longer than MaxData goes by STAGE.
func (s *Subsystem) wireBuf(b *wsk.Buf, send bool) (*wire.Buf, error) {
	if b == nil {
		return nil, nil
	}
	w := &wire.Buf{Present: true, MdlNull: b.Mdl == nil, Offset: uint32(max(b.Offset, 0)), Length: uint64(max(b.Length, 0))}
	var data []byte
	for m := b.Mdl; m != nil; m = m.Next {
		if len(w.Chunks) == wire.MaxChunks {
			return nil, fmt.Errorf("an MDL chain of more than %d MDLs", wire.MaxChunks)
		}
		w.Chunks = append(w.Chunks, uint32(len(m.Buffer)))
		if send {
			data = append(data, m.Buffer...)
		}
	}
	if !send {
		return w, nil
	}
	if len(data) <= wire.MaxData {
		w.Data = data
		return w, nil
	}
	if len(data) > wire.MaxStage {
		return nil, fmt.Errorf("a send buffer of %d bytes, more than MAX_STAGE", len(data))
	}
	s.mu.Lock()
	s.next.irp++ // stage ids share the IRP counter: unique and non-zero
	w.Stage = s.next.irp
	s.mu.Unlock()
	for off := 0; off < len(data); off += wire.MaxData {
		piece := data[off:min(off+wire.MaxData, len(data))]
		m := wire.Stage{Stage: w.Stage, Offset: uint32(off), Total: uint32(len(data)), Bytes: piece}
		if _, err := s.request(wire.TStage, m.Encode(), "STAGE"); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// TakeRefusal reports, once, that the agent refused the last call (ERROR
// E_REFUSED: a misuse its MISUSE_* bits do not offer, section 4) and called
// nothing; nil otherwise. The harness then counts the call as one it could
// not make, not as an outcome of the provider.
func (s *Subsystem) TakeRefusal() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.refusal
	s.refusal = nil
	return err
}
