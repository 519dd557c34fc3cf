package wsk_test

import (
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

func TestMaxUDPPayload(t *testing.T) {
	for _, tc := range []struct {
		family uint16
		want   int
	}{{wsk.AFInet, 65507}, {wsk.AFInet6, 65527}} {
		if got := wsk.MaxUDPPayload(tc.family); got != tc.want {
			t.Errorf("MaxUDPPayload(%d) = %d, want %d", tc.family, got, tc.want)
		}
	}
}
