package kernel

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// open counts the descriptors this package holds open.
var open atomic.Int64

// OpenDescriptors is the number of sockets opened and not yet closed.
func OpenDescriptors() int { return int(open.Load()) }

// Socket is one non-blocking kernel socket registered with Go's poller.
type Socket struct {
	family int
	sotype int
	fd     int
	file   *os.File
	rc     syscall.RawConn
	closed atomic.Bool

	// parked counts the goroutines waiting on the poller, per direction
	// (read, write); onPark, when set, is told of each change (SetParkHook).
	// interrupted marks a direction woken by InterruptRead or
	// InterruptWrite until ClearRead or ClearWrite.
	parked      [2]atomic.Int32
	interrupted [2]atomic.Bool
	onPark      func(delta int)
}

// Open creates a socket: family IPv4 or IPv6, sotype Stream, Dgram or Raw.
func Open(family, sotype, proto int) (*Socket, error) {
	fd, err := unix.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, &OpError{Op: "socket", Err: err}
	}
	return newSocket(fd, family, sotype)
}

func newSocket(fd, family, sotype int) (*Socket, error) {
	// os.NewFile sees the descriptor is non-blocking and registers it with
	// the runtime poller; RawConn.Read and Write then park there.
	f := os.NewFile(uintptr(fd), "wsk-socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, &OpError{Op: "socket", Err: err}
	}
	open.Add(1)
	return &Socket{family: family, sotype: sotype, fd: fd, file: f, rc: rc}, nil
}

// Family is the Linux address family.
func (s *Socket) Family() int { return s.family }

// do runs fn with the descriptor kept alive by the runtime poller's
// reference count (RawConn.Control, as internal/poll does for every system
// call), or fails with ErrClosed once Close began. fn is retried while the
// system call is interrupted by a signal (EINTR).
func (s *Socket) do(fn func(fd int) error) error {
	var err error
	if cerr := s.rc.Control(func(fd uintptr) {
		for {
			if err = fn(int(fd)); err != unix.EINTR {
				return
			}
		}
	}); cerr != nil {
		return ErrClosed
	}
	return err
}

// Bind binds the socket to a.
func (s *Socket) Bind(a Addr) error {
	sa, err := toSockaddr(s.family, a)
	if err == nil {
		err = s.do(func(fd int) error { return unix.Bind(fd, sa) })
	}
	return wrap("bind", a.AddrPort(), err)
}

// Listen turns a bound stream socket into a listening one.
func (s *Socket) Listen(backlog int) error {
	return wrap("listen", netipZero, s.do(func(fd int) error { return unix.Listen(fd, backlog) }))
}

// Connect starts a non-blocking connect: nil when it completed at once,
// ErrInProgress when ConnectResult must be polled after writability.
func (s *Socket) Connect(a Addr) error {
	sa, err := toSockaddr(s.family, a)
	if err == nil {
		err = s.do(func(fd int) error { return unix.Connect(fd, sa) })
	}
	if err == unix.EINTR || err == unix.EALREADY {
		err = unix.EINPROGRESS
	}
	return wrap("connect", a.AddrPort(), err)
}

// ConnectFastOpen starts a connect that carries data in the SYN (TCP Fast
// Open, MSG_FASTOPEN). It returns the bytes the kernel took with the SYN
// (possibly 0) and ErrInProgress while the handshake runs. A kernel without
// fast open fails with EOPNOTSUPP; the caller then connects normally.
func (s *Socket) ConnectFastOpen(a Addr, data []byte) (int, error) {
	sa, err := toSockaddr(s.family, a)
	n := 0
	if err == nil {
		err = s.do(func(fd int) error {
			var e error
			n, e = unix.SendmsgN(fd, data, nil, sa, unix.MSG_FASTOPEN|unix.MSG_NOSIGNAL)
			return e
		})
	}
	if n < 0 {
		n = 0
	}
	return n, wrap("connect", a.AddrPort(), err)
}

// ConnectResult reports whether a connect started by Connect has finished
// and how: (false, nil) still running, (true, nil) connected, (true, err)
// failed with err.
func (s *Socket) ConnectResult() (done bool, err error) {
	err = s.do(func(fd int) error {
		v, e := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if e != nil {
			done = true
			return e
		}
		if v != 0 {
			done = true
			return unix.Errno(v)
		}
		if _, e = unix.Getpeername(fd); e == nil {
			done = true
			return nil
		} else if e != unix.ENOTCONN {
			done = true
			return e
		}
		return nil
	})
	if errors.Is(err, ErrClosed) {
		done = true
	}
	return done, wrap("connect", netipZero, err)
}

// Disconnect drops the connection abortively without closing the socket:
// connect(AF_UNSPEC) makes Linux send a reset for an established connection.
func (s *Socket) Disconnect() error {
	return wrap("disconnect", netipZero, s.do(func(fd int) error {
		var sa unix.RawSockaddr // family AF_UNSPEC
		_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
		if e != 0 {
			return e
		}
		return nil
	}))
}

// Accept takes one queued connection without blocking.
func (s *Socket) Accept() (*Socket, Addr, error) {
	var nfd int
	var sa unix.Sockaddr
	err := s.do(func(fd int) error {
		var e error
		for {
			nfd, sa, e = unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			// A connection reset while queued is not this listener's
			// failure: take the next one, as internal/poll does.
			if e != unix.ECONNABORTED {
				return e
			}
		}
	})
	if err != nil {
		return nil, Addr{}, wrap("accept", netipZero, err)
	}
	ns, err := newSocket(nfd, s.family, s.sotype)
	if err != nil {
		return nil, Addr{}, err
	}
	return ns, fromSockaddr(sa), nil
}

// Send writes as much of bufs as the socket takes without blocking.
func (s *Socket) Send(bufs [][]byte) (int, error) {
	n := 0
	err := s.do(func(fd int) error {
		var e error
		if len(bufs) == 1 {
			n, e = unix.SendmsgN(fd, bufs[0], nil, nil, unix.MSG_NOSIGNAL)
		} else {
			n, e = unix.SendmsgBuffers(fd, bufs, nil, nil, unix.MSG_NOSIGNAL)
		}
		return e
	})
	if n < 0 {
		n = 0
	}
	return n, wrap("send", netipZero, err)
}

// Recv reads into bufs without blocking; (0, nil) is end of stream.
func (s *Socket) Recv(bufs [][]byte) (int, error) {
	n := 0
	err := s.do(func(fd int) error {
		var e error
		if len(bufs) == 1 {
			n, e = unix.Read(fd, bufs[0])
		} else {
			n, e = unix.Readv(fd, bufs)
		}
		return e
	})
	if n < 0 {
		n = 0
	}
	return n, wrap("recv", netipZero, err)
}

// SendTo sends one datagram to a without blocking.
func (s *Socket) SendTo(b []byte, a Addr) (int, error) {
	sa, err := toSockaddr(s.family, a)
	n := 0
	if err == nil {
		err = s.do(func(fd int) error {
			var e error
			n, e = unix.SendmsgN(fd, b, nil, sa, unix.MSG_NOSIGNAL)
			return e
		})
	}
	if n < 0 {
		n = 0
	}
	return n, wrap("sendto", a.AddrPort(), err)
}

// RecvFrom reads one datagram into b without blocking: its length in b,
// whether it was longer than b, and the sender.
func (s *Socket) RecvFrom(b []byte) (n int, truncated bool, from Addr, err error) {
	err = s.do(func(fd int) error {
		var e error
		var flags int
		var sa unix.Sockaddr
		n, _, flags, sa, e = unix.Recvmsg(fd, b, nil, 0)
		truncated = flags&unix.MSG_TRUNC != 0
		from = fromSockaddr(sa)
		return e
	})
	if n < 0 {
		n = 0
	}
	return n, truncated, from, wrap("recvfrom", netipZero, err)
}

// PendingError reads and clears the socket's pending error (SO_ERROR): after
// the peer's FIN, a later reset shows only there.
func (s *Socket) PendingError() error {
	var perr error
	err := s.do(func(fd int) error {
		v, e := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if e == nil && v != 0 {
			perr = unix.Errno(v)
		}
		return e
	})
	if err != nil {
		return wrap("getsockopt", netipZero, err)
	}
	return wrap("recv", netipZero, perr)
}

// PeekEOF reports, without consuming anything, whether the next read would
// return end of stream: the peer's FIN is queued with no data before it.
func (s *Socket) PeekEOF() bool {
	eof := false
	_ = s.do(func(fd int) error {
		var b [1]byte
		n, _, err := unix.Recvfrom(fd, b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		eof = err == nil && n == 0
		return nil
	})
	return eof
}

// Shutdown is shutdown(2) with unix.SHUT_RD, SHUT_WR or SHUT_RDWR.
func (s *Socket) Shutdown(how int) error {
	return wrap("shutdown", netipZero, s.do(func(fd int) error { return unix.Shutdown(fd, how) }))
}

// LocalAddr is getsockname(2).
func (s *Socket) LocalAddr() (Addr, error) {
	var sa unix.Sockaddr
	err := s.do(func(fd int) error {
		var e error
		sa, e = unix.Getsockname(fd)
		return e
	})
	return fromSockaddr(sa), wrap("getsockname", netipZero, err)
}

// RemoteAddr is getpeername(2).
func (s *Socket) RemoteAddr() (Addr, error) {
	var sa unix.Sockaddr
	err := s.do(func(fd int) error {
		var e error
		sa, e = unix.Getpeername(fd)
		return e
	})
	return fromSockaddr(sa), wrap("getpeername", netipZero, err)
}

// SetInt sets an integer socket option (Linux level and name).
func (s *Socket) SetInt(level, name, v int) error {
	return wrap("setsockopt", netipZero, s.do(func(fd int) error { return unix.SetsockoptInt(fd, level, name, v) }))
}

// GetInt reads an integer socket option.
func (s *Socket) GetInt(level, name int) (int, error) {
	v := 0
	err := s.do(func(fd int) error {
		var e error
		v, e = unix.GetsockoptInt(fd, level, name)
		return e
	})
	return v, wrap("getsockopt", netipZero, err)
}

// SetAbortOnClose sets SO_LINGER to {on, 0}: Close then resets the
// connection instead of a graceful FIN.
func (s *Socket) SetAbortOnClose() error {
	return wrap("setsockopt", netipZero, s.do(func(fd int) error {
		return unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	}))
}

// WaitRead calls try, and while it returns false parks on the poller until
// the socket is readable and calls it again. It returns nil when try returned
// true, ErrInterrupted after InterruptRead, ErrClosed after Close. try must
// not block and must not call Close.
func (s *Socket) WaitRead(try func() bool) error {
	return s.wait(dirRead, s.rc.Read, try)
}

// WaitWrite is WaitRead for writability.
func (s *Socket) WaitWrite(try func() bool) error {
	return s.wait(dirWrite, s.rc.Write, try)
}

const (
	dirRead = iota
	dirWrite
)

// wait runs try through the poller's wait of one direction, counting the
// goroutine parked from each try that returns false until the poller calls
// the next one (or the wait ends).
//
// The two counts move in an order that keeps a provider's idle check sound
// (WakeDue after the hook's count): a goroutine is in the socket's count
// before the hook hears it parked, and the hook hears it woken before it
// leaves the socket's count and before try runs. So whenever the hook
// counts it parked, WakeDue polls for what would wake it, and nothing try
// takes from the kernel can vanish from under a check that saw it parked.
func (s *Socket) wait(dir int, poll func(func(uintptr) bool) error, try func() bool) error {
	parked := false
	park := func(on bool) {
		if on == parked {
			return
		}
		parked = on
		if on {
			s.parked[dir].Add(1)
			s.hook(1)
		} else {
			s.hook(-1)
			s.parked[dir].Add(-1)
		}
	}
	err := poll(func(uintptr) bool {
		park(false)
		if try() {
			return true
		}
		park(true)
		return false
	})
	park(false)
	return waitErr(err)
}

func (s *Socket) hook(d int) {
	if s.onPark != nil {
		s.onPark(d)
	}
}

// SetParkHook has fn told +1 each time a goroutine parks on the poller in
// WaitRead or WaitWrite, and -1 each time one wakes. It must be set before
// the first wait: a provider counts its parked goroutines with it.
func (s *Socket) SetParkHook(fn func(delta int)) { s.onPark = fn }

// WakeDue reports whether a goroutine parked in WaitRead or WaitWrite is
// about to be woken: it was interrupted (InterruptRead, InterruptWrite), or
// the kernel already has what it waits for (poll(2) with a zero timeout).
// A closed socket has none.
func (s *Socket) WakeDue() bool {
	var events int16
	for dir, ev := range [2]int16{unix.POLLIN, unix.POLLOUT} {
		if s.parked[dir].Load() == 0 {
			continue
		}
		if s.interrupted[dir].Load() {
			return true
		}
		events |= ev
	}
	if events == 0 {
		return false
	}
	due := false
	_ = s.do(func(fd int) error {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(pfd, 0)
		due = err == nil && n > 0 && pfd[0].Revents&(events|unix.POLLERR|unix.POLLHUP) != 0
		return err
	})
	return due
}

func waitErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrInterrupted
	}
	return ErrClosed
}

var past = time.Unix(1, 0)

// InterruptRead wakes the goroutine in WaitRead (and makes the next wait
// return at once) until ClearRead. Until then a parked reader is due to
// wake (WakeDue): the mark is set before the wake.
func (s *Socket) InterruptRead() {
	s.interrupted[dirRead].Store(true)
	_ = s.file.SetReadDeadline(past)
}

// InterruptWrite is InterruptRead for WaitWrite.
func (s *Socket) InterruptWrite() {
	s.interrupted[dirWrite].Store(true)
	_ = s.file.SetWriteDeadline(past)
}

// ClearRead undoes InterruptRead.
func (s *Socket) ClearRead() {
	_ = s.file.SetReadDeadline(time.Time{})
	s.interrupted[dirRead].Store(false)
}

// ClearWrite undoes InterruptWrite.
func (s *Socket) ClearWrite() {
	_ = s.file.SetWriteDeadline(time.Time{})
	s.interrupted[dirWrite].Store(false)
}

// Close closes the descriptor. Waiters are woken with ErrClosed; Close
// returns once none of them holds the descriptor any more. A second Close
// fails with ErrClosed.
func (s *Socket) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return &OpError{Op: "close", Err: ErrClosed}
	}
	// os.File.Close waits until no RawConn call holds the descriptor, so
	// no system call reaches a number that was closed and reused.
	err := s.file.Close()
	open.Add(-1)
	return wrap("close", netipZero, err)
}
