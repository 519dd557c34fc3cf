package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"pgregory.net/rapid"
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
