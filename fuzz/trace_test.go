package fuzz

import (
	"bytes"
	"io/fs"
	"maps"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzTrace: a whole run of calls and peer actions, decoded from the input
// (go-fuzz-headers is the byte source, the codec is decode_trace.go), run
// on the provider and judged by the model. The reproduction corpus
// (corpus/**/*.wsk) is its seed: every documented case and planted-bug
// reproduction becomes a starting point for mutation.
func FuzzTrace(f *testing.F) {
	withSeeds(f, traceSeeds(f))
	f.Fuzz(playTarget(DecodeTrace, nil))
}

// corpusDir is the reproduction corpus, relative to this package.
const corpusDir = "../corpus"

// corpusScenarios reads every reproduction file the trace codec carries and
// the bundled provider must accept under the bundled profile: files with
// expect: accepted, and planted-bug files (which the provider without the
// bug accepts). It also returns the files it left out, with the reason.
func corpusScenarios(tb testing.TB) (map[string]Scenario, map[string]string) {
	tb.Helper()
	var paths []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".wsk") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		tb.Fatalf("read the corpus: %v", err)
	}
	slices.Sort(paths)
	got, left := map[string]Scenario{}, map[string]string{}
	for _, p := range paths {
		file, err := repro.Load(p)
		if err != nil {
			tb.Fatalf("corpus file: %v", err)
		}
		switch {
		case file.Variant != "":
			left[p] = "plays the provider variant " + file.Variant
		case file.Profile != model.Bundled:
			left[p] = "judged under the " + file.Profile.String() + " profile"
		case file.Expect != repro.ExpectAccepted && file.Bug == "":
			left[p] = "expects a violation without a planted bug"
		case slices.ContainsFunc(file.Steps, func(s harness.Step) bool { return s.Kind == harness.StepPeerPause }):
			// Filling a paused peer's connection takes megabytes, far
			// past the codec's data bound (maxTraceData).
			left[p] = "pauses a peer (peer-pause), which the trace codec does not carry"
		case slices.ContainsFunc(file.Steps, func(s harness.Step) bool {
			return s.Kind == harness.StepPeerBusyListen || s.Kind == harness.StepPeerDrain || s.Kind == harness.StepPeerFill
		}):
			// A connect to a full accept queue waits for the SYN's
			// retransmission, a second: too slow for a fuzz target's
			// runs, so the codec carries no busy listener.
			left[p] = "uses a busy listener (peer-listen-busy), which the trace codec does not carry"
		case slices.ContainsFunc(file.Steps, func(s harness.Step) bool { return s.Kind == harness.StepInspectAnswer }):
			// FuzzWskConditionalAccept decodes the answers; the trace
			// codec's calls reach conditional accept with the default one.
			left[p] = "changes the inspect answer (inspect-answer), which the trace codec does not carry"
		default:
			got[p] = Scenario{Family: file.Family, Steps: file.Steps}
		}
	}
	return got, left
}

// traceSeeds encodes the corpus, and a few runs of the other decoders,
// for FuzzTrace.
func traceSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	files, _ := corpusScenarios(tb)
	var seeds [][]byte
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if in, err := EncodeTrace(files[p]); err == nil {
			seeds = append(seeds, in)
		}
	}
	if in, err := EncodeTrace(keptSeed()); err != nil {
		tb.Fatalf("encode the kept-indication seed: %v", err)
	} else {
		seeds = append(seeds, in)
	}
	for _, s := range [][]byte{connectExSeeds()[0], connectExSeeds()[13]} {
		in, err := EncodeTrace(DecodeConnectEx(s))
		if err != nil {
			tb.Fatalf("encode a ConnectEx seed as a trace: %v", err)
		}
		seeds = append(seeds, in)
	}
	return seeds
}

// TestTraceCodecCorpus: every reproduction file the codec can carry
// round-trips through it, and the files it cannot are few and named.
func TestTraceCodecCorpus(t *testing.T) {
	files, left := corpusScenarios(t)
	if len(files) == 0 {
		t.Fatalf("no reproduction file under %s", corpusDir)
	}
	for p, reason := range left {
		t.Logf("%s: not a seed: %s", p, reason)
	}
	for p, sc := range files {
		in, err := EncodeTrace(sc)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if back := DecodeTrace(in); !reflect.DeepEqual(back, sc) {
			t.Errorf("%s: round trip changed the run:\n%s\nbecame\n%s", p, harness.FormatScript(sc.Steps), harness.FormatScript(back.Steps))
		}
	}
}

// TestTraceCodecRoundTrip: what the other targets' decoders make, the trace
// codec carries unchanged, and decoding stays total: any bytes give a run
// that encodes back to bytes giving the same run.
func TestTraceCodecRoundTrip(t *testing.T) {
	var runs []Scenario
	for _, tg := range []struct {
		decode func([]byte) Scenario
		seeds  [][]byte
	}{{DecodeSocket, socketSeeds()}, {DecodeSocketConnect, socketConnectSeeds()}, {DecodeConnectEx, connectExSeeds()}} {
		for _, s := range tg.seeds {
			runs = append(runs, tg.decode(s))
		}
	}
	for _, s := range entryPointSeeds() { // any bytes at all
		runs = append(runs, DecodeTrace(s))
	}
	for i, sc := range runs {
		in, err := EncodeTrace(sc)
		if err != nil {
			t.Errorf("run %d: %v\n%s", i, err, harness.FormatScript(sc.Steps))
			continue
		}
		if back := DecodeTrace(in); !reflect.DeepEqual(back, sc) {
			t.Errorf("run %d changed:\n%s\nbecame\n%s", i, harness.FormatScript(sc.Steps), harness.FormatScript(back.Steps))
		}
	}
}

// TestTraceCodecRefuses: what the codec cannot carry is an error, not a
// silently different run.
func TestTraceCodecRefuses(t *testing.T) {
	call := func(c model.Call) Scenario {
		return Scenario{Family: wsk.AFInet, Steps: []harness.Step{{Kind: harness.StepCall, Call: c}}}
	}
	offLoopback := wsk.SockaddrFrom(netip.MustParseAddrPort("10.0.0.1:80")).Encode()
	for name, sc := range map[string]Scenario{
		"deregister":   call(model.Call{Op: model.OpDeregister}),
		"IRP 256":      call(model.Call{Op: model.OpListen, Socket: 1, IRP: 256}),
		"sd 1000":      call(model.Call{Op: model.OpSocket, SD: 1000}),
		"off loopback": call(model.Call{Op: model.OpConnect, Socket: 1, Remote: offLoopback}),
		"huge length":  call(model.Call{Op: model.OpReceive, Socket: 1, Length: maxTraceData + 1}),
		"too long":     {Family: wsk.AFInet, Steps: make([]harness.Step, maxTraceSteps+1)},
	} {
		if _, err := EncodeTrace(sc); err == nil {
			t.Errorf("%s: EncodeTrace accepted a run it cannot carry", name)
		}
	}
}

// TestDecodersTotal: every decoder takes any bytes, the empty input and
// one of all 0xFF bytes included, and gives a run of bounded length on one
// of the two loopback families.
func TestDecodersTotal(t *testing.T) {
	inputs := [][]byte{nil, {}, bytes.Repeat([]byte{0xFF}, 300)}
	inputs = append(inputs, entryPointSeeds()...)
	for name, decode := range Decoders {
		for i, in := range inputs {
			sc := decode(in)
			if sc.Family != wsk.AFInet && sc.Family != wsk.AFInet6 {
				t.Errorf("%s, input %d: family %d", name, i, sc.Family)
			}
			if len(sc.Steps) > 2*maxTraceSteps {
				t.Errorf("%s, input %d: %d steps", name, i, len(sc.Steps))
			}
		}
	}
}
