package wsk_test

import (
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// idleProvider stands for a provider that can say when it is idle; wrapper
// for a planted bug's wrapper around it.
type (
	idleProvider struct{ wsk.Subsystem }
	wrapper      struct{ wsk.Subsystem }
	idler        interface{ Idle() bool }
)

func (idleProvider) Idle() bool         { return true }
func (w wrapper) Unwrap() wsk.Subsystem { return w.Subsystem }

func TestFindLooksThroughWrappers(t *testing.T) {
	inner := idleProvider{}
	for _, tc := range []struct {
		name string
		sub  wsk.Subsystem
		want bool
	}{
		{"the provider itself", inner, true},
		{"one wrapper", wrapper{inner}, true},
		{"two wrappers", wrapper{wrapper{inner}}, true},
		{"a wrapper around nothing", wrapper{}, false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			i, ok := wsk.Find[idler](tc.sub)
			if ok != tc.want {
				t.Fatalf("found %v, want %v", ok, tc.want)
			}
			if ok && !i.Idle() {
				t.Fatal("found the wrong value")
			}
		})
	}
	if _, ok := wsk.Find[interface{ Unwrap() wsk.Subsystem }](wrapper{inner}); !ok {
		t.Error("the wrapper itself is not found first")
	}
}
