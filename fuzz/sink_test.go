package fuzz

import (
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/wskverify/wskverify/wsk"
)

// sinkListener is the loopback peer connects can reach: it greets each
// connection with a few bytes and reads until the end.
type sinkListener struct {
	ln     net.Listener
	addr   wsk.Sockaddr
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func newSinkListener() (*sinkListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sink listener: %w", err)
	}
	s := &sinkListener{ln: ln, addr: wsk.SockaddrFrom(ln.Addr().(*net.TCPAddr).AddrPort())}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if s.closed {
				// Accepted as close ran: close sees it no more.
				s.mu.Unlock()
				c.Close()
				return
			}
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Go(func() {
				c.Write([]byte("greetings"))
				io.Copy(io.Discard, c)
			})
		}
	})
	return s, nil
}

func (s *sinkListener) close() {
	s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}
