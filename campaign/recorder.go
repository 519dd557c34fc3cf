package campaign

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/properties"
)

// recorder is the rapid.TB a campaign batch runs under: it keeps what a
// failing check reports instead of failing a test.
type recorder struct {
	mu     sync.Mutex
	name   string
	failed bool
	errors []string
	logs   []string // the failing check's replay logs its call trace here
}

var _ rapid.TB = (*recorder)(nil)

func (r *recorder) Helper()                         {}
func (r *recorder) Name() string                    { return r.name }
func (r *recorder) Logf(format string, args ...any) { r.log(fmt.Sprintf(format, args...)) }
func (r *recorder) Log(args ...any)                 { r.log(fmt.Sprint(args...)) }

// log keeps the trace a failing check logs; rapid's own lines are noise.
func (r *recorder) log(msg string) {
	if strings.HasPrefix(msg, "[rapid]") {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, strings.TrimSpace(msg))
}
func (r *recorder) Skipf(format string, args ...any) {
	runtime.Goexit()
}
func (r *recorder) Skip(...any) { runtime.Goexit() }
func (r *recorder) SkipNow()    { runtime.Goexit() }
func (r *recorder) Errorf(format string, args ...any) {
	r.record(fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.record(fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.record(fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) {
	r.record(fmt.Sprint(args...))
	runtime.Goexit()
}
func (r *recorder) FailNow() {
	r.Fail()
	runtime.Goexit()
}
func (r *recorder) Fail() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
}
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recorder) record(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.errors = append(r.errors, strings.TrimSpace(msg))
}

// run runs f on its own goroutine, as the testing package does, so that
// FailNow can end it.
func (r *recorder) run(f func(rapid.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

// failure reads what the failing check reported: the rule from the failure
// text ("CEX-03 violated"), the last (shrunk) trace and script it logged.
func (r *recorder) failure(seed uint64) Failure {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := Failure{Seed: seed}
	var text string
	for _, e := range r.errors {
		text += e + "\n"
		if m := violatedRule.FindStringSubmatch(e); m != nil && f.Rule == "" {
			f.Rule = m[1]
		}
	}
	f.Report = text + lastWith(r.logs, "WSK call trace:")
	f.Script = strings.TrimPrefix(lastWith(r.logs, properties.ScriptPrefix), properties.ScriptPrefix)
	return f
}

// violatedRule finds the rule in rapid's failure text ("... CEX-03 violated").
var violatedRule = regexp.MustCompile(`\b([A-Z]+-[0-9]+) violated\b`)

// lastWith is the last log line that starts with prefix: the shrunk run's.
func lastWith(logs []string, prefix string) string {
	for i := len(logs) - 1; i >= 0; i-- {
		if strings.HasPrefix(logs[i], prefix) {
			return logs[i] + "\n"
		}
	}
	return ""
}
