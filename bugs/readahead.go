package bugs

// readAheadLimit is the read-ahead read-ahead-full-eof takes for the whole
// stream: the bundled provider's 64 KiB.
const readAheadLimit = 64 << 10

// readAheadEOF applies read-ahead-full-eof to a successful WskReceive of
// length bytes that delivered info: a run of receives shorter than the
// read-ahead, each filled, that adds up to the read-ahead is a client
// reading out a full read-ahead, and from then on the socket takes the
// stream as ended (as a provider that reads into the full buffer's empty
// tail, gets 0 bytes and takes them for the peer's FIN). It returns the
// Information to complete the receive with.
func (s *sockState) readAheadEOF(length int, info uintptr) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.rxEOF:
		return 0
	case length < readAheadLimit && int(info) == length:
		s.rxRun += length
		s.rxEOF = s.rxRun >= readAheadLimit
	default:
		s.rxRun = 0
	}
	return info
}
