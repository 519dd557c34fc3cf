package agent

import (
	"fmt"
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// registration serves REGISTER, CAPTURE, RELEASE_NPI and DEREGISTER
// (section 7). The provider call runs inside the "in a call" window.
func (s *session) registration(f wire.Frame) ([]byte, *wire.Error) {
	switch f.Type {
	case wire.TRegister:
		m, werr := decodeAs(wire.DecodeRegister(f))
		if werr != nil {
			return nil, werr
		}
		s.mu.Lock()
		_, dup := s.regs[m.Reg]
		s.mu.Unlock()
		if dup || m.Reg == 0 {
			return nil, &wire.Error{Code: wire.EID, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("registration id %d already used or 0", m.Reg)}
		}
		var ctx any
		if m.Context != 0 {
			ctx = s.tokenFor(m.Context)
		}
		s.beginCall()
		reg, st := s.sub.Register(&wsk.ClientNPI{ClientContext: ctx, Version: m.Version, Dispatch: s.clientDispatch(m)})
		s.mu.Lock()
		s.regs[m.Reg] = reg
		s.mu.Unlock()
		return wire.EncodeU32(uint32(st)), nil
	case wire.TCapture:
		m, werr := decodeAs(wire.DecodeCapture(f))
		if werr != nil {
			return nil, werr
		}
		reg, werr := s.reg(f, m.Reg)
		if werr != nil {
			return nil, werr
		}
		wait := time.Duration(m.WaitMS) * time.Millisecond
		if m.WaitMS == wire.InfiniteWait {
			wait = wsk.InfiniteWait
		}
		s.beginCall()
		npi, st := s.sub.CaptureProviderNPI(reg, wait)
		r := wire.CaptureReply{Status: uint32(st), NPIVersion: wsk.WskVersion1_0}
		if npi != nil && st.NTSuccess() {
			s.mu.Lock()
			s.next.client++
			r.Client = s.next.client
			s.clients[r.Client] = npi
			s.captures[m.Reg]++
			s.mu.Unlock()
		}
		return r.Encode(), nil
	case wire.TReleaseNPI, wire.TDeregister:
		id, werr := decodeAs(wire.DecodeU32(f, "reg"))
		if werr != nil {
			return nil, werr
		}
		reg, werr := s.reg(f, id)
		if werr != nil {
			return nil, werr
		}
		s.beginCall()
		if f.Type == wire.TReleaseNPI {
			s.sub.ReleaseProviderNPI(reg)
			s.mu.Lock()
			s.captures[id] = max(0, s.captures[id]-1)
			s.mu.Unlock()
			return nil, nil
		}
		s.sub.Deregister(reg)
		s.mu.Lock()
		delete(s.regs, id)
		delete(s.captures, id)
		s.mu.Unlock()
		return nil, nil
	}
	return nil, &wire.Error{Code: wire.EType, Type: f.Type, Seq: f.Seq}
}

func (s *session) reg(f wire.Frame, id uint32) (*wsk.Registration, *wire.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reg, ok := s.regs[id]
	if !ok {
		return nil, &wire.Error{Code: wire.EID, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("no registration %d", id)}
	}
	return reg, nil
}

// tokenFor is the SocketContext that stands for a token.
func (s *session) tokenFor(v uint64) *token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenLocked(v)
}

func (s *session) tokenLocked(v uint64) *token {
	t := s.tokens[v]
	if t == nil {
		t = &token{v: v}
		s.tokens[v] = t
	}
	return t
}

// contextValue names a SocketContext the provider handed back: its token,
// 0 for NULL, and a value no token has for anything else.
func contextValue(ctx any) uint64 {
	switch c := ctx.(type) {
	case nil:
		return 0
	case *token:
		return c.v
	}
	return ^uint64(0)
}

// cleanup ends the session's provider use (section 8): every socket still
// held is closed, every capture released, every registration deregistered,
// each wait bounded.
func (s *session) cleanup() {
	s.mu.Lock()
	if s.sessionEnd {
		s.mu.Unlock()
		return
	}
	s.sessionEnd = true
	var socks []wsk.Socket
	for _, e := range s.sockets {
		if !e.closed {
			socks = append(socks, e.obj)
		}
	}
	regs := map[*wsk.Registration]int{}
	for id, reg := range s.regs {
		regs[reg] = s.captures[id]
	}
	s.mu.Unlock()
	bound := s.opts.CleanupTimeout
	for _, obj := range socks {
		irp := wsk.NewIRP(nil)
		st, _ := protect(func() wsk.NTSTATUS { return obj.WskCloseSocket(irp) })
		if st == wsk.StatusPending {
			_, _ = irp.Wait(bound)
		}
	}
	for reg, n := range regs {
		for range n {
			protect(func() wsk.NTSTATUS { s.sub.ReleaseProviderNPI(reg); return 0 })
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			protect(func() wsk.NTSTATUS { s.sub.Deregister(reg); return 0 })
		}()
		select {
		case <-done:
		case <-time.After(bound):
		}
	}
}

// protect runs a provider call and turns a panic into text.
func protect(f func() wsk.NTSTATUS) (st wsk.NTSTATUS, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	return f(), ""
}
