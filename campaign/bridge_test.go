package campaign

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/wsk"
)

// A run that stops on the bridge is made again; only a verdict that does
// not rest on a broken bridge counts, and what cannot be settled is
// inconclusive, never a violation.
func TestJudgeRunRetriesTheBridge(t *testing.T) {
	violated := func(rule string) *harness.Failure {
		return &harness.Failure{Violation: &model.Violation{Rule: rule}}
	}
	bridge := &harness.Failure{Err: errors.Join(harness.ErrAgent, errors.New("remote: no session with the agent"))}
	lost, hang, data := violated("SAFE-01"), violated("SAFE-02"), violated("DATA-02")
	var pass *harness.Failure
	for _, tc := range []struct {
		name         string
		runs         []*harness.Failure // nil: the run passed
		wantRule     string
		inconclusive bool
		reruns       int
	}{
		{"passes", []*harness.Failure{pass}, "", false, 0},
		{"a violation is not rerun", []*harness.Failure{data}, "DATA-02", false, 0},
		{"bridge then pass", []*harness.Failure{bridge, pass}, "", false, 1},
		{"bridge then a violation", []*harness.Failure{bridge, data}, "DATA-02", false, 1},
		{"bridge every time", []*harness.Failure{bridge, bridge, bridge}, "", true, 2},
		{"a crash, then the crash", []*harness.Failure{lost, lost}, "SAFE-01", false, 1},
		{"a crash, then a pass", []*harness.Failure{lost, pass}, "SAFE-01", true, 1},
		{"a crash, then the bridge", []*harness.Failure{lost, bridge}, "SAFE-01", true, 1},
		{"a crash, then another violation", []*harness.Failure{lost, data}, "DATA-02", false, 1},
		{"a hang, then the hang", []*harness.Failure{hang, hang}, "SAFE-02", false, 1},
		{"a hang, then a pass", []*harness.Failure{hang, pass}, "SAFE-02", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := 0 // runs of the seed so far
			// Every rerun starts on a fresh provider process: fresh is
			// called before it, and only then.
			fresh, freshBefore := 0, []int{}
			f, inconclusive, reruns := judgeRun(true, func() error { fresh++; return nil }, func() *harness.Failure {
				if i >= len(tc.runs) {
					t.Fatalf("run %d: more runs than %d", i+1, len(tc.runs))
				}
				freshBefore = append(freshBefore, fresh)
				i++
				return tc.runs[i-1]
			})
			if f.Rule() != tc.wantRule || (f == nil) != (tc.wantRule == "" && !tc.inconclusive) ||
				inconclusive != tc.inconclusive || reruns != tc.reruns {
				t.Errorf("got %q (failure %v) inconclusive %v reruns %d; want %q %v %d",
					f.Rule(), f != nil, inconclusive, reruns, tc.wantRule, tc.inconclusive, tc.reruns)
			}
			for run, n := range freshBefore {
				if n != run {
					t.Errorf("run %d started after %d fresh starts, want %d", run+1, n, run)
				}
			}
		})
	}
}

// The bundled provider in process is never rerun: a hang there is its own.
func TestJudgeRunTrustsAProviderInProcess(t *testing.T) {
	runs := 0
	f, inconclusive, reruns := judgeRun(false, nil, func() *harness.Failure {
		runs++
		return &harness.Failure{Violation: &model.Violation{Rule: "SAFE-02"}}
	})
	if f.Rule() != "SAFE-02" || inconclusive || reruns != 0 || runs != 1 {
		t.Errorf("got %q inconclusive %v reruns %d after %d runs; want SAFE-02 from one run", f.Rule(), inconclusive, reruns, runs)
	}
}

// A stall, of a provider in process or in another, is a verdict only when
// the same seed's rerun stalls again: one wait stretched past its bound by
// a loaded machine is no verdict on the provider.
func TestJudgeRunConfirmsAStall(t *testing.T) {
	stall := &harness.Failure{Violation: &model.Violation{Rule: "DATA-03"}, Stalled: true}
	data := &harness.Failure{Violation: &model.Violation{Rule: "DATA-02"}}
	bridge := &harness.Failure{Err: errors.Join(harness.ErrAgent, errors.New("remote: no session with the agent"))}
	for _, outOfProcess := range []bool{false, true} {
		for _, tc := range []struct {
			name         string
			rerun        *harness.Failure // nil: the rerun passed
			want         *harness.Failure
			inconclusive bool
		}{
			{"stalls again", stall, stall, false},
			{"then passes", nil, stall, true},
			{"then a violation", data, data, false},
			{"then the bridge breaks", bridge, stall, true},
		} {
			t.Run(fmt.Sprintf("%s/out-of-process=%v", tc.name, outOfProcess), func(t *testing.T) {
				runs := []*harness.Failure{stall, tc.rerun}
				i := 0
				f, inconclusive, reruns := judgeRun(outOfProcess, nil, func() *harness.Failure { i++; return runs[i-1] })
				if f != tc.want || inconclusive != tc.inconclusive || reruns != 1 || i != 2 {
					t.Errorf("got %v inconclusive %v reruns %d after %d runs; want %v inconclusive %v after one rerun",
						f, inconclusive, reruns, i, tc.want, tc.inconclusive)
				}
			})
		}
	}
}

// A provider whose agent cannot be reached is never judged: every run is
// inconclusive, none a violation (before, each was SAFE-01 at WskRegister).
func TestUnreachableAgentIsInconclusive(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	res, err := Run(context.Background(), Options{Duration: time.Millisecond, Batch: 2, Seed: 1,
		NewProvider: remote.Opener("tcp", addr, remote.Options{}), ProviderName: addr})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 0 || len(res.Inconclusive) != res.Runs || res.Runs == 0 || res.Reruns != bridgeRetries*res.Runs {
		t.Fatalf("%d runs: %d failures %v, %d inconclusive, %d reruns; want every run inconclusive after %d reruns",
			res.Runs, len(res.Failures), res.Failures, len(res.Inconclusive), res.Reruns, bridgeRetries)
	}
	if !strings.Contains(res.Inconclusive[0].Error, "no session with the agent") {
		t.Errorf("the inconclusive run does not say why: %q", res.Inconclusive[0].Error)
	}
}

// crashOnce is a provider "in another process" whose first capture ever
// crashes (a panic stands for the agent's connection dropping): SAFE-01
// once, never again.
type crashOnce struct {
	wsk.Subsystem
	crashed *atomic.Bool
}

func (c crashOnce) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	if c.crashed.CompareAndSwap(false, true) {
		panic("the provider's process died")
	}
	return c.Subsystem.CaptureProviderNPI(reg, wait)
}

// A run left inconclusive adds nothing to the campaign's rule reach: its
// SAFE-01 is not a "violated" count, while the judged runs are counted.
func TestInconclusiveRunsAreNotCounted(t *testing.T) {
	var crashed atomic.Bool
	fresh := 0
	res, err := Run(context.Background(), Options{MaxRuns: 3, Batch: 3, Seed: 1, Duration: time.Minute,
		NewProvider:  func() wsk.Subsystem { return crashOnce{impl.New(), &crashed} },
		ProviderName: "crash-once", Fresh: func() error { fresh++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inconclusive) != 1 || len(res.Failures) != 0 || fresh != 1 {
		t.Fatalf("%d inconclusive, %d failures, %d fresh starts; want 1, 0, 1", len(res.Inconclusive), len(res.Failures), fresh)
	}
	reach := res.Coverage.Snapshot()
	if v := reach["SAFE-01"].Violated; v != 0 {
		t.Errorf("SAFE-01 counted %d violations from a run left inconclusive", v)
	}
	if reach["REG-01"].Accepting == 0 {
		t.Errorf("the judged runs' reach is missing: %v", reach["REG-01"])
	}
}
