package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a session.
type Options struct {
	// Policy is how the agent answers event callbacks (section 6);
	// wire.DefaultPolicy, which is how the harness's callbacks answer,
	// when zero.
	Policy wire.Policy
	// HandshakeTimeout bounds the HELLO exchange (5s when zero).
	HandshakeTimeout time.Duration
}

// byeWait bounds the wait for BYE_R when a session closes.
const byeWait = 500 * time.Millisecond

// Subsystem is a wsk.Subsystem served by an agent over one connection.
type Subsystem struct {
	conn  net.Conn
	hello *wire.HelloReply
	opts  Options

	wmu sync.Mutex // one frame at a time on the wire

	mu       sync.Mutex
	seq      uint32
	waiting  map[uint32]*waiter
	inFlight map[uint32]string // seq -> what it asks, for fault reports
	fault    *Fault
	dead     chan struct{}
	readDone chan struct{}

	regs    map[*wsk.Registration]uint32
	nextReg uint32
	irps    map[*wsk.IRP]uint32
	irpOut  map[uint32]*irpBinding
	sockets map[uint32]wsk.Socket
	tables  map[uint32]*binding
	tokens  map[uint64]any
	// tableOf names the table each context token was handed out with, so
	// an EVENT with table_id 0 (a C agent with shared static callbacks,
	// protocol section 6) is bound by its context instead.
	tableOf  map[uint64]uint32
	next     struct{ irp, table uint32 }
	nextTok  uint64
	dgrams   map[uint32][]*wire.Event // receive-from indications being gathered, by table
	retained map[uint32]any           // indications the policy retained, for WskRelease
	client   *wsk.ClientNPI           // the last WskRegister's client NPI (its WskClientEvent)
	lists    sync.Map                 // *wsk.AddrInfo -> the IRP id of the WskGetAddressInfo that returned it (names.go)
	refusal  error                    // the agent refused the last call (E_REFUSED)
	asyncSeq uint32
}

type reply struct {
	f   wire.Frame
	err error
}

// waiter is a request in flight: where its reply goes, and what the reader
// marks when it takes the reply off the stream (before any later frame).
type waiter struct {
	ch      chan reply
	onReply func()
}

// Dial connects to an agent and shakes hands.
func Dial(network, addr string, opts Options) (*Subsystem, error) {
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("remote: dial agent: %w", err)
	}
	return New(c, opts)
}

// New starts a session on c: HELLO, then the event policy. It takes c over;
// on error c is closed.
func New(c net.Conn, opts Options) (*Subsystem, error) {
	if opts.Policy == (wire.Policy{}) {
		opts.Policy = wire.DefaultPolicy
	}
	if opts.HandshakeTimeout == 0 {
		opts.HandshakeTimeout = 5 * time.Second
	}
	s := newSubsystem(c, opts)
	go s.read()
	timer := time.AfterFunc(opts.HandshakeTimeout, func() {
		s.setFault(&Fault{Kind: Lost, During: "HELLO", Err: fmt.Errorf("no answer within %v", opts.HandshakeTimeout)})
	})
	defer timer.Stop()
	f, err := s.request(wire.THello, wire.Hello{Magic: wire.Magic, Major: wire.Major, Minor: wire.Minor}.Encode(), "HELLO")
	if err == nil {
		s.hello, err = wire.DecodeHelloReply(f)
		if err == nil && (s.hello.Magic != wire.Magic || s.hello.Major != wire.Major) {
			err = fmt.Errorf("agent speaks %d.%d (magic 0x%08X), the suite %d.%d", s.hello.Major, s.hello.Minor, s.hello.Magic, wire.Major, wire.Minor)
		}
	}
	if err == nil {
		_, err = s.request(wire.TPolicy, opts.Policy.Encode(), "POLICY")
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("remote: handshake: %w", err)
	}
	return s, nil
}

func newSubsystem(c net.Conn, opts Options) *Subsystem {
	return &Subsystem{
		conn: c, opts: opts, waiting: map[uint32]*waiter{}, inFlight: map[uint32]string{},
		dead: make(chan struct{}), readDone: make(chan struct{}), hello: &wire.HelloReply{MaxFrame: wire.MaxFrame},
		regs: map[*wsk.Registration]uint32{}, irps: map[*wsk.IRP]uint32{}, irpOut: map[uint32]*irpBinding{},
		sockets: map[uint32]wsk.Socket{}, tables: map[uint32]*binding{}, tokens: map[uint64]any{}, tableOf: map[uint64]uint32{},
		dgrams: map[uint32][]*wire.Event{}, retained: map[uint32]any{},
	}
}

// Hello is what the agent declared in the handshake: its name, the
// provider's, and the capabilities.
func (s *Subsystem) Hello() wire.HelloReply { return *s.hello }

// Fault is why the session ended early, or nil while it is healthy (a
// session the suite closed itself has no fault).
func (s *Subsystem) Fault() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fault == nil || errors.Is(s.fault, ErrClosed) {
		return nil
	}
	return s.fault
}

// Faulted is closed when the session ends, early or not: a waiter wakes
// then and reads Fault.
func (s *Subsystem) Faulted() <-chan struct{} { return s.dead }

// Close ends the session: BYE when the agent still answers, then the
// connection closes and every waiting call returns.
func (s *Subsystem) Close() error {
	s.mu.Lock()
	healthy := s.fault == nil
	s.mu.Unlock()
	if healthy {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = s.request(wire.TBye, nil, "BYE")
		}()
		// BYE_R says the agent cleaned up; an agent stuck in a provider
		// call never sends it, and the session ends anyway.
		select {
		case <-done:
		case <-time.After(byeWait):
		}
	}
	s.setFault(&Fault{Err: ErrClosed})
	if s.conn != nil {
		s.conn.Close()
	}
	<-s.readDone
	return nil
}

// Abort ends the session at once, without BYE: for a session whose agent is
// stuck in a provider call (SAFE-02) and would never answer it.
func (s *Subsystem) Abort() {
	s.setFault(&Fault{Err: ErrClosed})
	if s.conn != nil {
		s.conn.Close()
	}
	<-s.readDone
}

// setFault records the first fault and wakes every waiting call.
func (s *Subsystem) setFault(f *Fault) {
	s.mu.Lock()
	if s.fault != nil {
		s.mu.Unlock()
		return
	}
	if f.During == "" && f.Kind != 0 {
		for _, what := range s.inFlight {
			f.During = what
		}
	}
	s.fault = f
	close(s.dead)
	s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
	}
}

// request sends one request and waits for its reply; an ERROR in its place
// is a *wire.Error with Remote set.
func (s *Subsystem) request(t wire.Type, body []byte, what string) (wire.Frame, error) {
	return s.requestThen(t, body, what, nil)
}

// requestThen is request with a mark the reader runs as it takes the reply.
func (s *Subsystem) requestThen(t wire.Type, body []byte, what string, onReply func()) (wire.Frame, error) {
	s.mu.Lock()
	if s.fault != nil {
		f := s.fault
		s.mu.Unlock()
		return wire.Frame{}, f
	}
	s.seq++
	seq := s.seq
	ch := make(chan reply, 1)
	s.waiting[seq] = &waiter{ch: ch, onReply: onReply}
	s.inFlight[seq] = what
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiting, seq)
		delete(s.inFlight, seq)
		s.mu.Unlock()
	}()
	s.wmu.Lock()
	err := wire.WriteFrame(s.conn, wire.Frame{Type: t, Seq: seq, Body: body})
	s.wmu.Unlock()
	if err != nil {
		s.setFault(&Fault{Kind: Lost, During: what, Err: err})
	}
	select {
	case r := <-ch:
		if r.err == nil && r.f.Type != t|wire.ReplyBit {
			r.err = &wire.Error{Code: wire.EType, Type: r.f.Type, Seq: seq, Msg: fmt.Sprintf("reply to %v", t)}
			s.setFault(&Fault{Kind: Protocol, During: what, Err: r.err})
		}
		return r.f, r.err
	case <-s.dead:
		s.mu.Lock()
		f := s.fault
		s.mu.Unlock()
		return wire.Frame{}, f
	}
}

// read takes every frame the agent sends: replies go to their waiting
// call, completions and events are delivered here, in stream order.
func (s *Subsystem) read() {
	defer close(s.readDone)
	for {
		f, err := wire.ReadFrame(s.conn)
		if err != nil {
			kind := Lost
			var we *wire.Error
			if errors.As(err, &we) {
				kind = Protocol
			} else if errors.Is(err, io.EOF) {
				err = errors.New("the agent closed the connection")
			}
			s.setFault(&Fault{Kind: kind, Err: err})
			return
		}
		if err := s.dispatch(f); err != nil {
			s.setFault(&Fault{Kind: Protocol, Err: err})
			return
		}
	}
}

func (s *Subsystem) dispatch(f wire.Frame) error {
	switch {
	case f.Type.IsReply() || (f.Type == wire.TError && f.Seq != 0):
		s.mu.Lock()
		w := s.waiting[f.Seq]
		s.mu.Unlock()
		if w == nil {
			return protocolf("%v #%d answers no request in flight", f.Type, f.Seq)
		}
		ch := w.ch
		if w.onReply != nil {
			w.onReply()
		}
		if f.Type == wire.TError {
			m, err := wire.DecodeError(f)
			if err != nil {
				return err
			}
			ch <- reply{err: &wire.Error{Code: m.Code, Type: f.Type, Seq: f.Seq, Msg: m.Msg, Remote: true}}
			return nil
		}
		ch <- reply{f: f}
		return nil
	case f.Type == wire.TError:
		m, err := wire.DecodeError(f)
		if err != nil {
			return err
		}
		return &wire.Error{Code: m.Code, Msg: m.Msg, Remote: true}
	case f.Type == wire.TIRPDone || f.Type == wire.TIRPData || f.Type == wire.TEvent:
		if err := s.checkAsyncSeq(f); err != nil {
			return err
		}
		switch f.Type {
		case wire.TIRPDone:
			return s.irpDone(f)
		case wire.TIRPData:
			return s.irpData(f)
		}
		return s.eventFrame(f)
	case f.Type == wire.TLog:
		if err := s.checkAsyncSeq(f); err != nil {
			return err
		}
		_, err := wire.DecodeLog(f)
		return err
	}
	return &wire.Error{Code: wire.EType, Type: f.Type, Seq: f.Seq, Msg: "not a frame an agent sends"}
}

// checkAsyncSeq: asynchronous frames count up from 1 without gaps.
func (s *Subsystem) checkAsyncSeq(f wire.Frame) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asyncSeq++
	if f.Seq != s.asyncSeq {
		return protocolf("%v with seq %d, want %d", f.Type, f.Seq, s.asyncSeq)
	}
	return nil
}
