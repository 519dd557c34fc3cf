package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// RecordEnv names the environment variable that makes every harness write
// the script of a run that broke a rule into the directory it names, as a
// reproduction file. `wskverify convert` sets it to turn a failing fuzz
// input or rapid fail file into a corpus file, whatever test made the run.
const RecordEnv = "WSKVERIFY_RECORD"

var recorded atomic.Int64

// recordFailure writes the run so far, up to the step that broke v.
func (h *Harness) recordFailure(v *model.Violation) {
	dir := os.Getenv(RecordEnv)
	if dir == "" {
		return
	}
	family := 4
	if h.opts.Family == wsk.AFInet6 {
		family = 6
	}
	text := fmt.Sprintf("what: a run that broke %s, recorded by %s\nrule: %s\nexpect: violated\nprofile: %s\nfamily: %d\n\n%s",
		v.Rule, RecordEnv, v.Rule, h.opts.Profile, family, FormatScript(h.script))
	name := fmt.Sprintf("run-%d-%d.wsk", os.Getpid(), recorded.Add(1))
	// A failed write must not turn into a verdict: the run's own failure
	// is what the caller reports.
	_ = os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
}
