package fuzz

import (
	"math/rand/v2"
	"testing"
)

// FuzzEntryPoints calls every provider entry point directly, without the
// harness: arbitrary values for every argument, on sockets of each category
// and on closed ones, with NULL, reused and still-pending IRPs, WSK_BUFs
// longer than their buffer and arbitrary SOCKADDR bytes. No panic may
// escape (SAFE-01), an IRP a call returns from without STATUS_PENDING is
// completed with the status returned (IRP-02, IRP-04), every IRP taken is
// completed exactly once by the end (IRP-01), and after the teardown no
// goroutine, descriptor, socket or IRP is left.
func FuzzEntryPoints(f *testing.F) {
	withSeeds(f, entryPointSeeds())
	f.Fuzz(runEntryPoints)
}

// entrySeed writes inputs for runEntryPoints call by call.
type entrySeed struct{ b []byte }

// call starts a call of the named op; the bytes that follow are its
// arguments in the order the op reads them.
func (s *entrySeed) call(name string, args ...byte) *entrySeed {
	for i, op := range entryOps {
		if op.name == name {
			s.b = append(s.b, byte(i))
			s.b = append(s.b, args...)
			return s
		}
	}
	panic("no entry op " + name)
}

// Argument bytes, as the decoders read them.
const (
	aFresh    = 1 // anyIRP: a fresh IRP
	aReused   = 2 // anyIRP: one that completed (an index byte follows)
	aPending  = 3 // anyIRP: a pending list-change request (an index byte follows)
	aSink     = 2 // anyAddr: the sink listener
	aLearned  = 4 // anyAddr: a local address a socket reported
	aLoopback = 6 // anyAddr: 127.0.0.1:0
)

// socketArgs are WskSocket's argument bytes: client, family, type,
// protocol, flags (common-value indexes), context, dispatch entries (u16)
// and kind, process, thread, SD, IRP.
func socketArgs(typ, protocol, flags, kind byte) []byte {
	return []byte{1, 0, typ, protocol, flags, 1, 0xFF, 0xFF, kind, 0, 0, 0, aFresh}
}

func entryPointSeeds() [][]byte {
	const first = 0 // socket index
	tcp := func(flags, kind byte) []byte { return socketArgs(0, 0, flags, kind) }
	var seeds [][]byte
	// A connection socket: bind, connect to the sink, data both ways, close.
	seeds = append(seeds, (&entrySeed{}).
		call("WskSocket", tcp(2, 3)...).
		call("WskBind", first, aLoopback, 0, aFresh).
		call("WskConnect", first, aSink, 0, aFresh).
		call("WskSend", first, 1, 50, 1, 0, aFresh).
		call("WskReceive", first, 1, 100, 0, 0, aFresh).
		call("WskSend", first, 3, 10, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, aFresh). // Length past the MDLs
		call("WskCloseSocket", first, aFresh).
		call("WskSend", first, 1, 5, 0, 0, aFresh).b) // after close
	// A stream socket listens; a connection socket connects to it and is
	// accepted; the listener closes with an accept pending.
	seeds = append(seeds, (&entrySeed{}).
		call("WskSocket", tcp(4, 4)...).
		call("WskBind", first, aLoopback, 0, aFresh).
		call("WskGetLocalAddress", first, 1, aFresh).
		call("WskListen", first, aFresh).
		call("WskSocket", tcp(2, 3)...).
		call("WskBind", 1, aLoopback, 0, aFresh).
		call("WskConnectEx", 1, aLearned, 0, 1, 200, 2, 0, aFresh).
		call("WskAccept", first, 0, 1, 0xFF, 0xFF, 3, 1, 1, aFresh).
		call("WskAccept", first, 0, 0, 0, 0, 0, 0, 0, aFresh).
		call("WskCloseSocket", first, aFresh).b)
	// A datagram socket: bind, send to the sink's port, a receive left
	// pending, the IRP of the bind reused.
	seeds = append(seeds, (&entrySeed{}).
		call("WskSocket", socketArgs(1, 1, 3, 2)...).
		call("WskBind", first, aLoopback, 0, aFresh).
		call("WskSendTo", first, 1, 20, 0, 0, aSink, aFresh).
		call("WskReceiveFrom", first, 1, 64, 0, 0, 1, aFresh).
		call("WskSendMessages", first, 2, 1, 8, 0, 1, 4, 0, 0, aSink, aReused, 0).
		call("WskRelease(datagram)", first, 1).b)
	// A pending WSK_TRANSPORT_LIST_CHANGE handed to another call (IRP-08),
	// then cancelled; a release of the NPI and calls after it (REG-03).
	seeds = append(seeds, (&entrySeed{}).
		call("WskControlClient", 1, 7, 2, 0, 0, 0, 0, aFresh).
		call("WskSocket", append(tcp(2, 3)[:12], aPending, 0)...).
		call("IoCancelIrp", 0).
		call("WskReleaseProviderNPI").
		call("WskSocket", tcp(2, 3)...).
		call("WskCaptureProviderNPI", 1).
		call("WskSocket", tcp(1, 1)...).b)
	// Noise: whatever a generator makes of random bytes.
	r := rand.New(rand.NewPCG(9, 0xE27))
	for range 3 {
		b := make([]byte, 600)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		seeds = append(seeds, b)
	}
	return seeds
}
