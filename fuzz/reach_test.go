package fuzz

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/model"
)

// ReachEnv names a directory of generated corpora, laid out as Go's fuzz
// cache is ($(go env GOCACHE)/fuzz/github.com/wskverify/wskverify/fuzz):
// TestSeedReach then also plays every input found there, so the rule reach
// of a fuzzing session can be measured after it.
const ReachEnv = "WSKVERIFY_REACH_CORPUS"

// reachTarget is one target whose inputs the reach test replays, with the
// rules its seeds exist to reach: each must be exercised on both sides
// (accepted and rejected), or on the side named after a colon (A or R):
// the model counts an error rule only on its rejecting side.
type reachTarget struct {
	name  string
	run   func(t *testing.T, input []byte, cov *model.Coverage)
	seeds func(testing.TB) [][]byte
	want  []string
}

// fixed adapts a seed list that needs no test state.
func fixed(seeds func() [][]byte) func(testing.TB) [][]byte {
	return func(testing.TB) [][]byte { return seeds() }
}

// scenario runs an input of a target that decodes into a Scenario.
func scenario(decode func([]byte) Scenario) func(*testing.T, []byte, *model.Coverage) {
	return func(t *testing.T, in []byte, cov *model.Coverage) { play(t, decode(in), cov) }
}

var reachTargets = []reachTarget{
	{"FuzzWskSocket", scenario(DecodeSocket), fixed(socketSeeds),
		[]string{"SOCK-01:R", "SOCK-02:A", "SOCK-04:R", "SOCK-05:R", "SOCK-06:A", "SOCK-07:A", "SOCK-08", "SOCK-09:R", "IRP-06:R"}},
	{"FuzzWskSocketConnect", scenario(DecodeSocketConnect), fixed(socketConnectSeeds),
		[]string{"SCON-01:A", "SCON-02:R", "SCON-03:R", "SCON-04:R", "SCON-05:A", "ADDR-01:R", "CONN-02:R", "BIND-03:R"}},
	{"FuzzWskConnectEx", scenario(DecodeConnectEx), fixed(connectExSeeds),
		[]string{"CEX-01:A", "CEX-02:R", "CEX-03:R", "CEX-04:A", "CEX-07:R", "CONN-01", "CONN-03:R", "DATA-04:R", "IRP-07", "IRP-08:R", "IRP-09:A", "SOCK-10:R"}},
	// These two do not go through the model: they reach no rule, and are
	// here for the code coverage of their corpora and the leak check.
	{"FuzzEntryPoints", func(t *testing.T, in []byte, _ *model.Coverage) { runEntryPoints(t, in) }, fixed(entryPointSeeds), nil},
	{"FuzzSockaddr", func(t *testing.T, in []byte, _ *model.Coverage) { checkSockaddr(t, in) }, fixed(sockaddrSeeds), nil},
	{"FuzzTrace", scenario(DecodeTrace), traceSeeds, []string{"CEX-01:A", "CEX-03:R", "CONN-01:R", "SOCK-04:R"}},
	{"FuzzStateMachine", func(t *testing.T, in []byte, cov *model.Coverage) {
		stateMachineTarget(t, cov)(t, in)
	}, fixed(stateMachineSeeds), []string{"CEX-01:A", "CONN-01:A", "DATA-03:A", "CLOSE-02:A"}},
}

// TestSeedReach plays each target's seeds (and, with ReachEnv set, a
// generated corpus) and requires the rules the seeds are there for; with
// -v it prints every rule each target reached. Run one target with
// -run 'TestSeedReach/^FuzzX$' and -coverpkg for its code coverage.
func TestSeedReach(t *testing.T) {
	for _, tg := range reachTargets {
		t.Run(tg.name, func(t *testing.T) {
			cov := model.NewCoverage()
			inputs := tg.seeds(t)
			inputs = append(inputs, generatedCorpus(t, tg.name)...)
			for i, in := range inputs {
				t.Run(fmt.Sprint(i), func(t *testing.T) { tg.run(t, in, cov) })
			}
			t.Logf("%d inputs: %s", len(inputs), reachSummary(cov))
			snap := cov.Snapshot()
			for _, w := range tg.want {
				id, side, _ := strings.Cut(w, ":")
				r := snap[id]
				if (side != "R" && r.Accepting == 0) || (side != "A" && r.Rejecting == 0) {
					t.Errorf("%s: seeds reach %s accepting %d, rejecting %d times; want %s", tg.name, id, r.Accepting, r.Rejecting, w)
				}
			}
		})
	}
}

// reachSummary lists the rules reached, each with its accepting/rejecting
// counts, and the count of catalogue rules reached.
func reachSummary(cov *model.Coverage) string {
	snap := cov.Snapshot()
	var parts []string
	reached := 0
	for _, id := range model.RuleIDs() {
		r := snap[id]
		if r.Accepting+r.Rejecting == 0 {
			continue
		}
		reached++
		parts = append(parts, fmt.Sprintf("%s %d/%d", id, r.Accepting, r.Rejecting))
	}
	return fmt.Sprintf("%d of %d rules reached: %s", reached, len(model.RuleIDs()), strings.Join(parts, ", "))
}

// generatedCorpus reads the inputs of a target under ReachEnv, if set.
func generatedCorpus(t *testing.T, target string) [][]byte {
	dir := os.Getenv(ReachEnv)
	if dir == "" {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(dir, target, "*"))
	if err != nil {
		t.Fatalf("read corpus of %s: %v", target, err)
	}
	slices.Sort(files)
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read corpus file: %v", err)
		}
		in, err := ParseCorpusFile(b)
		if err != nil {
			t.Fatalf("corpus file %s: %v", f, err)
		}
		out = append(out, in)
	}
	return out
}
