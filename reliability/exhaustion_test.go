package reliability_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// childEnv marks the re-executed test binary that lowers its own
// descriptor limit: the parent process keeps its limit.
const childEnv = "WSKVERIFY_FD_EXHAUSTION_CHILD"

// fdHeadroom is how many descriptors the child allows itself above those it
// has open when it starts: enough for a listener, its peers and a few
// sockets, so that exhaustion comes within a handful of calls.
const fdHeadroom = 24

// Descriptor exhaustion, in a child process whose RLIMIT_NOFILE is just
// above what it has open: WskSocket, WskSocketConnect and WskAccept then
// fail with STATUS_TOO_MANY_OPENED_FILES (impl/errno.go maps EMFILE to it;
// SPEC section 0 lists it), each completing its IRP once with Information 0
// (IRP-04, IRP-05); nothing panics (SAFE-01); once sockets are closed,
// WskSocket succeeds again and the connection that waited is accepted.
func TestDescriptorExhaustion(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		exhaustDescriptors(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDescriptorExhaustion$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the child failed:\n%s", out)
	require.Contains(t, string(out), "--- PASS: TestDescriptorExhaustion", "the child did not run the test:\n%s", out)
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "exhaustion:") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

func exhaustDescriptors(t *testing.T) {
	r := newRig(t)
	ls, addr := r.listener(wsk.AFInet, nil, nil)
	// Two peers made while descriptors remain: one connects now and waits
	// in the accept queue, one connects once the process is out of them.
	dialRaw(t, addr)
	late := rawSocket(t)
	// A second listener serves connections through its accept event.
	offered := make(chan wsk.ConnectionSocket, 4)
	evLs, evAddr := r.listener(wsk.AFInet, nil, &wsk.ListenClientDispatch{
		WskAcceptEvent: func(_ any, _ uint32, _, _ wsk.Sockaddr, s wsk.ConnectionSocket, _ *any, _ *any) wsk.NTSTATUS {
			if s == nil {
				return wsk.StatusRequestNotAccepted
			}
			offered <- s
			return wsk.StatusSuccess
		}})
	require.Equal(t, wsk.StatusSuccess, enableEvents(evLs, wsk.EventAccept, nil))
	lateForEvent := rawSocket(t)
	first, st := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	require.Equal(t, wsk.StatusSuccess, st, "the early peer's connection is accepted at once")
	r.track(first.Socket())
	pendingAccept, st := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	require.Equal(t, wsk.StatusPending, st, "no connection waits: the accept pends")

	// The limit caps descriptor numbers; new ones take the lowest free
	// number, so the count open plus the headroom is what remains.
	limit := openFDs(t) + fdHeadroom
	var old syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old))
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: uint64(limit), Max: old.Max}))

	var socks []wsk.Socket
	for range 4 * fdHeadroom {
		s, st := r.trySocket(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil)
		if st != wsk.StatusSuccess {
			require.Equal(t, wsk.StatusTooManyOpenedFiles, st, "WskSocket out of descriptors")
			break
		}
		socks = append(socks, s)
	}
	require.Less(t, len(socks), 4*fdHeadroom, "WskSocket never ran out of descriptors under RLIMIT_NOFILE %d", limit)
	t.Logf("exhaustion: WskSocket failed with %v after %d sockets under RLIMIT_NOFILE %d", wsk.StatusTooManyOpenedFiles, len(socks), limit)

	// Every call that needs a descriptor fails the same way, and fails
	// cleanly.
	_, st = r.tryDial(wsk.AFInet, addr, nil, nil)
	require.Equal(t, wsk.StatusTooManyOpenedFiles, st, "WskSocketConnect out of descriptors")
	connectRaw(t, late, addr) // its connection reaches the kernel's accept queue
	done := r.wait(pendingAccept)
	require.Equal(t, wsk.StatusTooManyOpenedFiles, done.Status, "a pending WskAccept whose connection cannot be taken")
	_, st = r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	require.Equal(t, wsk.StatusTooManyOpenedFiles, st, "WskAccept out of descriptors")
	t.Logf("exhaustion: WskSocketConnect and WskAccept (pending and immediate) failed with %v", st)
	// A connection for the accept event arrives while nothing can take it.
	connectRaw(t, lateForEvent, evAddr)
	require.Zero(t, r.p.Stats().Panics, "SAFE-01: %v", r.p.Panics())
	// Its accept pump waits for a descriptor, on no timer: only a close of
	// the provider's can end the want, so the provider is idle meanwhile
	// (impl/starved.go).
	require.True(t, r.p.AwaitIdle(waitFor), "a provider whose accept event waits for a descriptor is idle: %+v", r.p.Stats())

	// Descriptors freed: the provider recovers.
	const freed = 4 // one each for WskSocket, WskAccept, the accept event, and one spare
	for _, s := range socks[:freed] {
		r.close(s)
	}
	s, st := r.trySocket(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil)
	require.Equal(t, wsk.StatusSuccess, st, "WskSocket once descriptors are free")
	socks = append(socks[freed:], s)
	accepted := r.accept(ls)
	// The accept event's connection is offered once descriptors are free,
	// without another call from the client (EVT-01).
	var viaEvent wsk.ConnectionSocket
	select {
	case viaEvent = <-offered:
		r.track(viaEvent)
	case <-time.After(waitFor):
		t.Fatalf("EVT-01: the accept event never offered the connection that arrived during the exhaustion")
	}
	t.Logf("exhaustion: after %d closes WskSocket succeeded, the waiting connection was accepted, the accept event offered its connection", freed)
	r.close(accepted)
	r.close(viaEvent)
	for _, s := range socks {
		r.close(s)
	}
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old))
}

// rawSocket is a TCP socket made now and connected later, with no
// descriptor needed then.
func rawSocket(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { syscall.Close(fd) })
	return fd
}

// connectRaw connects a raw socket to a loopback SOCKADDR (blocking: on
// loopback the handshake completes at once).
func connectRaw(t *testing.T, fd int, addr []byte) {
	t.Helper()
	sa, err := wsk.DecodeSockaddr(addr)
	require.NoError(t, err)
	require.NoError(t, syscall.Connect(fd, &syscall.SockaddrInet4{Addr: sa.Addr.As4(), Port: int(sa.Port)}))
}

// dialRaw connects a new raw socket to addr; the test's cleanup closes it.
func dialRaw(t *testing.T, addr []byte) {
	t.Helper()
	connectRaw(t, rawSocket(t), addr)
}
