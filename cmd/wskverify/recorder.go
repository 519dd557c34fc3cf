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
}

var _ rapid.TB = (*recorder)(nil)

func (r *recorder) Helper()             {}
func (r *recorder) Name() string        { return r.name }
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Log(...any)          {}
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
