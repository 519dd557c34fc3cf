package fuzz

import "testing"

// BenchmarkTraceExec is what one FuzzTrace exec costs: each operation plays
// every input FuzzTrace starts from (the corpus files and two ConnectEx
// seeds, encoded as traces) exactly as the target plays an input, so
// execs/s is the target's rate without the fuzzing engine's own work (which
// is small beside real loopback I/O), and it stays measurable when a run of
// go test -fuzz would stop at its first failing input.
//
//	go test -run='^$' -bench=TraceExec -count=5 ./fuzz
func BenchmarkTraceExec(b *testing.B) {
	seeds := traceSeeds(b)
	execs := 0
	for b.Loop() {
		for _, in := range seeds {
			play(b, DecodeTrace(in), nil)
			execs++
		}
	}
	b.ReportMetric(float64(execs)/b.Elapsed().Seconds(), "execs/s")
}
