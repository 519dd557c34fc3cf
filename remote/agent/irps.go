package agent

import (
	"fmt"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// irpEntry is one IRP of the session and what the call that took it needs
// at completion.
type irpEntry struct {
	id  uint32
	irp *wsk.IRP
	out callOutputs
	// returned is set, under the session's write lock, when the reply of
	// the call that took the IRP is written: a completion's phase is
	// relative to that call (section 5.4).
	returned bool
}

// callOutputs are the buffers a call's completion reads back.
type callOutputs struct {
	op     wire.Op
	socket uint32 // the socket the call was made on
	recv   []byte // the receive chain's bytes, from offset 0
	sends  [][]byte
	local  *wsk.Sockaddr
	remote *wsk.Sockaddr
	output []byte
	table  *table       // the client table of the socket a creating call makes
	names  *nameResults // a name-resolution call's outputs (names.go)
}

// irpFor returns the IRP named id, allocating it on first use; nil for 0.
// A call's outputs replace the entry's only when the IRP is not pending in
// another call (IRP-08 misuse: that call's completion still reads its own).
func (s *session) irpFor(id uint32, out callOutputs) *wsk.IRP {
	if id == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.irps[id]
	if e == nil {
		e = &irpEntry{id: id}
		e.irp = wsk.NewIRP(func(irp *wsk.IRP) { s.completed(e, irp) })
		s.irps[id] = e
	}
	if !e.irp.Pending() {
		e.out = out
		s.wmu.Lock()
		e.returned = false
		s.taking = e
		s.wmu.Unlock()
	}
	return e.irp
}

// completed is every IRP's completion routine: it reads the call's outputs
// and sends IRP_DONE (with IRP_DATA first for long receives).
func (s *session) completed(e *irpEntry, irp *wsk.IRP) {
	io := irp.IoStatus()
	m := &wire.IRPDone{IRP: e.id, Count: uint32(irp.Completions()), Status: uint32(io.Status), Information: uint64(io.Information)}
	s.mu.Lock()
	out := e.out
	if sock := irp.Socket(); sock != nil && io.Status.NTSuccess() {
		m.Socket, m.Tables = s.adoptLocked(sock)
		if out.table != nil {
			out.table.socket = m.Socket
		}
	}
	if out.op == wire.OpCloseSocket && io.Status.NTSuccess() {
		if se := s.sockets[out.socket]; se != nil {
			se.closed = true
		}
	}
	s.mu.Unlock()
	if out.local != nil {
		m.Local = out.local.Encode()
	}
	if out.remote != nil {
		m.Remote = out.remote.Encode()
	}
	var data []byte
	if (out.op == wire.OpReceive || out.op == wire.OpReceiveFrom) && io.Status.NTSuccess() {
		data = append([]byte{}, out.recv[:min(uint64(len(out.recv)), uint64(io.Information))]...)
	}
	if out.output != nil {
		m.Output = append([]byte{}, out.output...)
	}
	if out.names != nil && io.Status.NTSuccess() {
		m.Output = out.names.encode()
	}
	// A send's bytes are the client's again: poison them, so a provider
	// that reads them after completing shows it (CEX-05).
	for _, b := range out.sends {
		for i := range b {
			b[i] = ^b[i]
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	phase := wire.PhaseAfter
	if !e.returned {
		phase = wire.PhaseDuring
	}
	off := 0
	for len(data)-off > wire.MaxData {
		s.asyncSeq++
		s.writeLocked(wire.Frame{Type: wire.TIRPData, Seq: s.asyncSeq, Body: wire.IRPData{IRP: e.id, Offset: uint32(off), Bytes: data[off : off+wire.MaxData]}.Encode()})
		off += wire.MaxData
	}
	m.Data, m.Phase = data[off:], phase
	s.asyncSeq++
	s.writeLocked(wire.Frame{Type: wire.TIRPDone, Seq: s.asyncSeq, Body: m.Encode()})
}

// adoptLocked numbers a socket object the provider handed out: one id per
// object for the whole session, so the same object twice shows (SOCK-10).
func (s *session) adoptLocked(obj wsk.Socket) (uint32, wire.Tables) {
	if id, ok := s.byObj[obj]; ok {
		return id, s.sockets[id].tables
	}
	s.next.socket++
	id := s.next.socket
	t := tablesOf(obj)
	s.sockets[id] = &sockEntry{obj: obj, tables: t}
	s.byObj[obj] = id
	return id, t
}

// tablesOf reads which provider tables a socket object offers (SOCK-02).
func tablesOf(obj wsk.Socket) wire.Tables {
	l, d, c, st := wsk.TableOf(obj)
	var t wire.Tables
	if l {
		t |= wire.TableListen
	}
	if d {
		t |= wire.TableDatagram
	}
	if c {
		t |= wire.TableConnection
	}
	if st {
		t |= wire.TableStream
	}
	return t
}

func (s *session) irpByID(f wire.Frame, id uint32) (*irpEntry, *wire.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.irps[id]
	if e == nil {
		return nil, &wire.Error{Code: wire.EID, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("no IRP %d", id)}
	}
	return e, nil
}

// cancel is IoCancelIrp (section 5.5).
func (s *session) cancel(f wire.Frame) ([]byte, *wire.Error) {
	id, werr := decodeAs(wire.DecodeU32(f, "irp"))
	if werr != nil {
		return nil, werr
	}
	e, werr := s.irpByID(f, id)
	if werr != nil {
		return nil, werr
	}
	s.beginCall()
	var ok bool
	protect(func() wsk.NTSTATUS { ok = e.irp.Cancel(); return 0 })
	return wire.EncodeBool(ok), nil
}

// reuse is IoReuseIrp: refused while the IRP is pending (IRP-08).
func (s *session) reuse(f wire.Frame) ([]byte, *wire.Error) {
	m, werr := decodeAs(wire.DecodeIRPReuse(f))
	if werr != nil {
		return nil, werr
	}
	e, werr := s.irpByID(f, m.IRP)
	if werr != nil {
		return nil, werr
	}
	if e.irp.Reuse() != nil {
		return wire.EncodeU32(uint32(wsk.StatusInvalidParameter)), nil
	}
	return wire.EncodeU32(0), nil
}

// free forgets a completed IRP; a pending one stays until it completes.
func (s *session) free(f wire.Frame) *wire.Error {
	id, werr := decodeAs(wire.DecodeU32(f, "irp"))
	if werr != nil {
		return werr
	}
	e, werr := s.irpByID(f, id)
	if werr != nil {
		return werr
	}
	s.mu.Lock()
	if !e.irp.Pending() {
		delete(s.irps, id)
	}
	s.mu.Unlock()
	return nil
}

// stage is one staged buffer being filled (section 5.3).
type stage struct {
	data   []byte
	filled int
}

func (s *session) stage(f wire.Frame) *wire.Error {
	m, werr := decodeAs(wire.DecodeStage(f))
	if werr != nil {
		return werr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[m.Stage]
	if st == nil {
		st = &stage{data: make([]byte, m.Total)}
		s.stages[m.Stage] = st
	}
	if len(st.data) != int(m.Total) {
		return &wire.Error{Code: wire.EField, Type: f.Type, Seq: f.Seq, Field: "total", Msg: fmt.Sprintf("stage %d: total %d, was %d", m.Stage, m.Total, len(st.data))}
	}
	copy(st.data[m.Offset:], m.Bytes)
	st.filled += len(m.Bytes)
	return nil
}

// takeStage hands a complete staged buffer to a call.
func (s *session) takeStage(id uint32, total uint64) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[id]
	if st == nil || uint64(len(st.data)) != total || st.filled != len(st.data) {
		return nil, false
	}
	delete(s.stages, id)
	return st.data, true
}
