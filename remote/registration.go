package remote

import (
	"fmt"
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// faultStatus is what a call returns when the session broke during it; the
// harness asks Fault first, so the value is never judged.
const faultStatus = wsk.StatusInvalidDeviceState

// Register is WskRegister.
func (s *Subsystem) Register(client *wsk.ClientNPI) (*wsk.Registration, wsk.NTSTATUS) {
	s.mu.Lock()
	s.nextReg++
	id := s.nextReg
	s.mu.Unlock()
	var ctx uint64
	var version uint16
	if client != nil {
		s.mu.Lock()
		s.client = client // its WskClientEvent, for the agent's EVENTs (inspect.go)
		s.mu.Unlock()
		version = client.Version
		if client.ClientContext != nil {
			ctx = s.token(client.ClientContext)
		}
	}
	flags, err := s.registerFlags(client)
	if err != nil {
		s.setFault(&Fault{Kind: Protocol, During: "WskRegister", Err: err})
		return nil, faultStatus
	}
	f, err := s.request(wire.TRegister, wire.Register{Reg: id, Version: version, Flags: flags, Context: ctx}.Encode(), "WskRegister")
	if err != nil {
		s.requestFailed("WskRegister", err)
		return nil, faultStatus
	}
	st, err := wire.DecodeU32(f, "status")
	if err != nil {
		s.requestFailed("WskRegister", err)
		return nil, faultStatus
	}
	reg := &wsk.Registration{Impl: id}
	s.mu.Lock()
	s.regs[reg] = id
	s.mu.Unlock()
	return reg, wsk.NTSTATUS(st)
}

// CaptureProviderNPI is WskCaptureProviderNPI.
func (s *Subsystem) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	m := wire.Capture{Reg: s.regID(reg)}
	switch {
	case wait < 0:
		m.WaitMS = wire.InfiniteWait
	default:
		m.WaitMS = uint32(min(wait.Milliseconds(), int64(wire.InfiniteWait-1)))
	}
	f, err := s.request(wire.TCapture, m.Encode(), "WskCaptureProviderNPI")
	if err != nil {
		s.requestFailed("WskCaptureProviderNPI", err)
		return nil, faultStatus
	}
	r, err := wire.DecodeCaptureReply(f)
	if err != nil {
		s.requestFailed("WskCaptureProviderNPI", err)
		return nil, faultStatus
	}
	st := wsk.NTSTATUS(r.Status)
	if !st.NTSuccess() {
		return nil, st
	}
	return &wsk.ProviderNPI{Client: &wsk.Client{Impl: r.Client}, Dispatch: &dispatch{s: s}}, st
}

// ReleaseProviderNPI is WskReleaseProviderNPI.
func (s *Subsystem) ReleaseProviderNPI(reg *wsk.Registration) {
	if _, err := s.request(wire.TReleaseNPI, wire.EncodeU32(s.regID(reg)), "WskReleaseProviderNPI"); err != nil {
		s.requestFailed("WskReleaseProviderNPI", err)
	}
}

// Deregister is WskDeregister; it returns when the agent's call returned.
func (s *Subsystem) Deregister(reg *wsk.Registration) {
	if _, err := s.request(wire.TDeregister, wire.EncodeU32(s.regID(reg)), "WskDeregister"); err != nil {
		s.requestFailed("WskDeregister", err)
	}
}

// regID names a registration; 0 (no such registration) for one this
// session did not make, which the agent answers with E_ID.
func (s *Subsystem) regID(reg *wsk.Registration) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.regs[reg]
}

// requestFailed turns an error answering a request into the session's
// fault: an ERROR frame or a reply that does not decode is a protocol
// error; a lost connection is already recorded.
func (s *Subsystem) requestFailed(what string, err error) {
	if _, ok := AsFault(err); ok {
		return
	}
	s.setFault(&Fault{Kind: Protocol, During: what, Err: fmt.Errorf("%w", err)})
}
