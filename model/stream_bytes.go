package model

import "bytes"

// Stream is the bytes a socket has sent and its peer has not yet read
// (Socket.ToPeer), kept as the slices they were sent in. A slow reader's
// megabytes of queued sends are then neither copied nor reallocated send
// by send; copying them made the model the largest cost of a harness run
// (BenchmarkHarnessFloor's CPU profile, docs/figures.md). The model keeps
// each send's Data and never writes it: a call's Data must not change once
// judged.
type Stream struct {
	// chunks is never written in place, only re-sliced and appended to
	// past its end; shared cuts its capacity, so that a state and its
	// clone each append to a copy of their own.
	chunks [][]byte
	off    int // bytes of chunks[0] already read
	n      int // bytes in flight
}

// Len is the number of bytes in flight.
func (s *Stream) Len() int { return s.n }

// push adds sent bytes at the end.
func (s *Stream) push(b []byte) {
	if len(b) == 0 {
		return
	}
	s.chunks = append(s.chunks, b[:len(b):len(b)])
	s.n += len(b)
}

// hasPrefix reports whether p is the next len(p) bytes in flight.
func (s *Stream) hasPrefix(p []byte) bool {
	if len(p) > s.n {
		return false
	}
	off := s.off
	for _, c := range s.chunks {
		if len(p) == 0 {
			break
		}
		c = c[off:]
		off = 0
		m := min(len(c), len(p))
		if !bytes.Equal(c[:m], p[:m]) {
			return false
		}
		p = p[m:]
	}
	return len(p) == 0
}

// drop takes the first n bytes off (n at most Len).
func (s *Stream) drop(n int) {
	s.n -= n
	for n > 0 && len(s.chunks) > 0 {
		rest := len(s.chunks[0]) - s.off
		if n < rest {
			s.off += n
			return
		}
		n -= rest
		s.chunks, s.off = s.chunks[1:], 0
	}
	if s.n <= 0 {
		*s = Stream{} // let go of the array
	}
}

// head copies the first n bytes in flight (fewer if fewer are), for a
// violation's message.
func (s *Stream) head(n int) []byte {
	out := make([]byte, 0, min(n, s.n))
	off := s.off
	for _, c := range s.chunks {
		if len(out) == n {
			break
		}
		c = c[off:]
		off = 0
		out = append(out, c[:min(len(c), n-len(out))]...)
	}
	return out
}

// shared is a copy of s that shares its slices, for Clone.
func (s Stream) shared() Stream {
	s.chunks = s.chunks[:len(s.chunks):len(s.chunks)]
	return s
}
