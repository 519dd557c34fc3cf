package agent

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// session is one connection serving one provider.
type session struct {
	conn net.Conn
	sub  wsk.Subsystem
	opts Options

	// wmu orders everything written: replies, completions and events.
	// inCall is true from the start of a provider call until its reply is
	// written, under wmu, so a completion's phase agrees with stream order.
	wmu      sync.Mutex
	asyncSeq uint32
	inCall   bool
	taking   *irpEntry // the IRP of the call being made, if it took one
	werr     error

	mu         sync.Mutex
	policy     wire.Policy
	regs       map[uint32]*wsk.Registration
	captures   map[uint32]int
	clients    map[uint32]*wsk.ProviderNPI
	sockets    map[uint32]*sockEntry
	byObj      map[wsk.Socket]uint32
	irps       map[uint32]*irpEntry
	tables     map[uint32]*table
	tokens     map[uint64]*token
	stages     map[uint32]*stage
	retained   map[uint32]any
	next       struct{ client, socket, table, indication uint32 }
	nextToken  uint64
	helloSeen  bool
	sessionEnd bool
}

// sockEntry is a socket object the provider handed out.
type sockEntry struct {
	obj    wsk.Socket
	tables wire.Tables
	closed bool // a WskCloseSocket of it completed successfully
}

// token is the SocketContext the provider is given for a context token: a
// pointer unique to the token, so a context handed back can be named.
type token struct{ v uint64 }

// agentBit marks ids and tokens the agent chooses (section 6).
const (
	agentTableBit uint32 = 1 << 31
	agentTokenBit uint64 = 1 << 63
)

// ServeConn serves one session on c with sub until c closes or the suite
// says BYE, then cleans up (section 8). It returns nil after BYE or a clean
// close, or the protocol error that ended the session.
func ServeConn(c net.Conn, sub wsk.Subsystem, opts Options) error {
	s := &session{
		conn: c, sub: sub, opts: opts.withDefaults(), policy: wire.DefaultPolicy,
		regs: map[uint32]*wsk.Registration{}, captures: map[uint32]int{}, clients: map[uint32]*wsk.ProviderNPI{},
		sockets: map[uint32]*sockEntry{}, byObj: map[wsk.Socket]uint32{}, irps: map[uint32]*irpEntry{},
		tables: map[uint32]*table{}, tokens: map[uint64]*token{}, stages: map[uint32]*stage{}, retained: map[uint32]any{},
	}
	defer c.Close()
	work := make(chan wire.Frame, 256)
	done := make(chan error, 1)
	go func() { done <- s.execute(work) }()
	err := s.read(work)
	close(work)
	if xerr := <-done; err == nil {
		err = xerr
	}
	s.cleanup()
	if s.opts.Teardown != nil {
		s.opts.Teardown(sub)
	}
	return err
}

// read hands requests to the executor in order; it answers PING itself,
// even while the executor is stuck in a provider call (section 1).
func (s *session) read(work chan<- wire.Frame) error {
	for {
		f, err := wire.ReadFrame(s.conn)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			var we *wire.Error
			if errors.As(err, &we) {
				s.sendError(f.Seq, we)
				return err
			}
			return nil // the stream broke: nobody to tell
		}
		switch {
		case f.Type == wire.TPing:
			s.reply(f, nil)
			continue
		case !f.Type.IsRequest():
			we := &wire.Error{Code: wire.EType, Type: f.Type, Seq: f.Seq, Msg: "not a request"}
			s.sendError(f.Seq, we)
			return we
		}
		work <- f
		if f.Type == wire.TBye {
			return nil
		}
	}
}

// execute runs requests one at a time.
func (s *session) execute(work <-chan wire.Frame) error {
	for f := range work {
		if err := s.serve(f); err != nil {
			s.conn.Close()
			return err
		}
		if f.Type == wire.TBye {
			s.cleanup()
			s.reply(f, nil)
			s.conn.Close()
			return nil
		}
	}
	return nil
}

// serve answers one request; an error it returns is fatal to the session.
func (s *session) serve(f wire.Frame) error {
	if !s.helloSeen && f.Type != wire.THello {
		return s.fatal(&wire.Error{Code: wire.EState, Type: f.Type, Seq: f.Seq, Msg: "HELLO must come first"})
	}
	var body []byte
	var werr *wire.Error
	switch f.Type {
	case wire.THello:
		return s.hello(f)
	case wire.TPolicy:
		var p wire.Policy
		if p, werr = decodeAs(wire.DecodePolicy(f)); werr == nil {
			s.mu.Lock()
			s.policy = p
			s.mu.Unlock()
		}
	case wire.TRegister, wire.TCapture, wire.TReleaseNPI, wire.TDeregister:
		body, werr = s.registration(f)
	case wire.TStage:
		werr = s.stage(f)
	case wire.TCall:
		return s.callFrame(f)
	case wire.TCancel:
		body, werr = s.cancel(f)
	case wire.TIRPReuse:
		body, werr = s.reuse(f)
	case wire.TIRPFree:
		werr = s.free(f)
	case wire.TQuiet:
		werr = s.quiet(f)
	case wire.TBye:
		return nil
	}
	if werr != nil {
		if werr.Code.Fatal() {
			return s.fatal(werr)
		}
		s.sendError(f.Seq, werr)
		return nil
	}
	s.reply(f, body)
	return nil
}

// decodeAs turns a decoder's error into a *wire.Error.
func decodeAs[T any](v T, err error) (T, *wire.Error) {
	if err == nil {
		return v, nil
	}
	var we *wire.Error
	if errors.As(err, &we) {
		return v, we
	}
	return v, &wire.Error{Code: wire.EMalformed, Msg: err.Error()}
}

func (s *session) hello(f wire.Frame) error {
	h, werr := decodeAs(wire.DecodeHello(f))
	if werr == nil && s.helloSeen {
		werr = &wire.Error{Code: wire.EState, Type: f.Type, Seq: f.Seq, Msg: "a second HELLO"}
	}
	if werr == nil && (h.Magic != wire.Magic || h.Major != wire.Major) {
		werr = &wire.Error{Code: wire.EVersion, Type: f.Type, Seq: f.Seq, Msg: fmt.Sprintf("magic 0x%08X version %d.%d; this agent speaks %d.%d", h.Magic, h.Major, h.Minor, wire.Major, wire.Minor)}
	}
	if werr != nil {
		return s.fatal(werr)
	}
	s.helloSeen = true
	r := &wire.HelloReply{Magic: wire.Magic, Major: wire.Major, Minor: wire.Minor, MaxFrame: wire.MaxFrame,
		Agent: "wskverify-go-agent 1.0", Provider: s.opts.Provider, Caps: withCancelFirst(withClientEvent(s.withQuiet(s.opts.Caps)))}
	s.reply(f, r.Encode())
	return nil
}

// fatal sends the ERROR and ends the session (section 9).
func (s *session) fatal(we *wire.Error) error {
	s.sendError(we.Seq, we)
	return we
}

// reply writes the reply to f; it also ends the "in a call" window.
func (s *session) reply(f wire.Frame, body []byte) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if f.Type != wire.TPing {
		s.inCall = false
		if s.taking != nil {
			s.taking.returned = true
			s.taking = nil
		}
	}
	s.writeLocked(wire.Frame{Type: f.Type | wire.ReplyBit, Seq: f.Seq, Body: body})
}

func (s *session) sendError(seq uint32, we *wire.Error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.inCall = false
	if s.taking != nil {
		s.taking.returned = true
		s.taking = nil
	}
	s.writeLocked(wire.Frame{Type: wire.TError, Seq: seq, Body: wire.ErrorBody{Code: we.Code, Msg: we.Error()}.Encode()})
}

// async writes a completion or an event and returns the phase it had.
func (s *session) async(t wire.Type, body func(phase uint8) []byte) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	phase := wire.PhaseAfter
	if s.inCall {
		phase = wire.PhaseDuring
	}
	s.asyncSeq++
	s.writeLocked(wire.Frame{Type: t, Seq: s.asyncSeq, Body: body(phase)})
}

func (s *session) writeLocked(f wire.Frame) {
	if s.werr != nil {
		return
	}
	if err := wire.WriteFrame(s.conn, f); err != nil {
		s.werr = err
		s.conn.Close()
	}
}

// beginCall opens the "in a call" window before a provider call.
func (s *session) beginCall() {
	s.wmu.Lock()
	s.inCall = true
	s.wmu.Unlock()
}
