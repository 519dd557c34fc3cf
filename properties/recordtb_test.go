package properties_test

import (
	"fmt"
	"strings"
	"sync"
)

// recordTB is a rapid.TB that records failures instead of failing the test:
// the planted-bug zoo expects every check to fail.
type recordTB struct {
	name string

	mu     sync.Mutex
	errs   []string
	logs   []string // rapid logs to the TB only when it replays a failure
	failed bool
}

func (r *recordTB) Helper()      {}
func (r *recordTB) Name() string { return r.name }
func (r *recordTB) Logf(format string, args ...any) {
	r.mu.Lock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}
func (r *recordTB) Log(args ...any) { r.Logf("%s", fmt.Sprint(args...)) }
func (r *recordTB) Skipf(format string, args ...any) {
	r.Errorf("skipped: "+format, args...)
}
func (r *recordTB) Skip(args ...any) { r.Error(append([]any{"skipped: "}, args...)...) }
func (r *recordTB) SkipNow()         { r.Error("skipped") }
func (r *recordTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
	r.failed = true
}
func (r *recordTB) Error(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recordTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordTB) Fatal(args ...any)                 { r.Error(args...) }
func (r *recordTB) FailNow()                          { r.Fail() }
func (r *recordTB) Fail() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
}
func (r *recordTB) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recordTB) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(append(append([]string(nil), r.errs...), r.logs...), "\n")
}
