package fuzz

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// foreignPort probes an explicit port just before the step that binds it,
// but the fuzzing workers are separate processes that run their parent's
// mutations side by side, often with the same port bytes: one worker's
// listener could take the port between the other's probe and its
// provider's bind, which then failed with STATUS_ADDRESS_ALREADY_ASSOCIATED
// where the model, knowing only its own run, wanted success (BIND-02). A
// false alarm FuzzTrace found with a listen socket bound to
// 127.48.48.48:12336 (testdata/fuzz/FuzzTrace/85956126e9c8555c; two go
// test processes replaying it at once fail it about once in 300). So the
// execs that bind an explicit port take one lock shared by every process
// of this machine's fuzzing, and run one at a time.

// fixedPortLockWait bounds the wait for the lock: an exec is bounded by its
// settle bounds, so a holder that keeps it longer is stuck, and the exec
// goes on without it rather than hang.
const fixedPortLockWait = 30 * time.Second

// bindsFixedPort reports whether a scenario binds an explicit port: a
// WskBind or a WskSocketConnect with a local address of its own whose port
// is not 0, or the UDP peer's port (foreignPort's cases).
func bindsFixedPort(sc Scenario) bool {
	for _, st := range sc.Steps {
		if st.Kind != harness.StepCall || (st.Call.Op != model.OpBind && st.Call.Op != model.OpSocketConnect) {
			continue
		}
		switch st.Local.Kind {
		case harness.RefUDP:
			return true
		case harness.RefNone:
			if a, err := wsk.DecodeSockaddr(st.Call.Local); err == nil && a.Port != 0 {
				return true
			}
		}
	}
	return false
}

// lockFixedPorts takes the machine-wide lock of fixed-port execs when sc
// binds an explicit port, and returns its release.
func lockFixedPorts(tb testing.TB, sc Scenario) func() {
	if !bindsFixedPort(sc) {
		return func() {}
	}
	path := filepath.Join(os.TempDir(), "wskverify-fuzz-fixed-ports.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		tb.Logf("fixed-port lock %s: %v; running without it", path, err)
		return func() {}
	}
	deadline := time.Now().Add(fixedPortLockWait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() } // closing the file releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			tb.Logf("fixed-port lock %s: %v; running without it", path, err)
			f.Close()
			return func() {}
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBindsFixedPort(t *testing.T) {
	bind := func(local []byte, ref harness.AddrRef) Scenario {
		return Scenario{Steps: []harness.Step{{Kind: harness.StepCall, Call: model.Call{Op: model.OpBind, Socket: 1, Local: local}, Local: ref}}}
	}
	fixed := wsk.SockaddrFrom(netip.MustParseAddrPort("127.48.48.48:12336")).Encode()
	zero := wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0")).Encode()
	for _, tc := range []struct {
		name string
		sc   Scenario
		want bool
	}{
		{"explicit port", bind(fixed, harness.AddrRef{}), true},
		{"port 0", bind(zero, harness.AddrRef{}), false},
		{"the UDP peer's port", bind(nil, harness.AddrRef{Kind: harness.RefUDP}), true},
		{"bad SOCKADDR", bind([]byte{2}, harness.AddrRef{}), false},
		{"no bind", Scenario{Steps: []harness.Step{{Kind: harness.StepCall, Call: model.Call{Op: model.OpListen, Socket: 1}}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bindsFixedPort(tc.sc); got != tc.want {
				t.Errorf("bindsFixedPort = %v, want %v", got, tc.want)
			}
		})
	}
}
