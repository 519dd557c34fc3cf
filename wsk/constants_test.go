package wsk_test

import (
	"fmt"
	"math/bits"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

func TestCategoryFromFlags(t *testing.T) {
	tests := []struct {
		name  string
		flags uint32
		want  wsk.Category
		ok    bool
	}{
		{"zero is basic", 0, wsk.FlagBasicSocket, true},
		{"listen", 0x1, wsk.FlagListenSocket, true},
		{"connection", 0x2, wsk.FlagConnectionSocket, true},
		{"datagram", 0x4, wsk.FlagDatagramSocket, true},
		{"stream", 0x8, wsk.FlagStreamSocket, true},

		{"listen|connection", 0x3, 0, false},
		{"listen|datagram", 0x5, 0, false},
		{"connection|datagram", 0x6, 0, false},
		{"listen|stream", 0x9, 0, false},
		{"datagram|stream", 0xC, 0, false},
		{"all four", 0xF, 0, false},

		{"unknown bit 0x10", 0x10, 0, false},
		{"unknown bit 0x80000000", 0x80000000, 0, false},
		{"listen plus unknown bit", 0x11, 0, false},
		{"stream plus unknown bit", 0x10008, 0, false},
		{"every bit", 0xFFFFFFFF, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := wsk.CategoryFromFlags(tc.flags)
			eq(t, "ok", ok, tc.ok)
			eq(t, "category", got, tc.want)
		})
	}
}

// Exhaustively over the low bits and every single high bit: flags select a
// category exactly when they hold at most one bit and that bit is defined.
func TestCategoryFromFlagsRule(t *testing.T) {
	check := func(flags uint32) {
		want := flags&^wsk.CategoryMask == 0 && bits.OnesCount32(flags) <= 1
		got, ok := wsk.CategoryFromFlags(flags)
		if ok != want {
			t.Errorf("CategoryFromFlags(0x%X) ok = %v, want %v", flags, ok, want)
		}
		if ok && uint32(got) != flags {
			t.Errorf("CategoryFromFlags(0x%X) = %v, want the flag itself", flags, got)
		}
		if !ok && got != 0 {
			t.Errorf("CategoryFromFlags(0x%X) = %v on failure, want 0", flags, got)
		}
	}
	for flags := uint32(0); flags < 0x400; flags++ {
		check(flags)
	}
	for i := range 32 {
		check(1 << i)
		check(1<<i | 0x1)
	}
}

func TestCategoryString(t *testing.T) {
	tests := map[wsk.Category]string{
		wsk.FlagBasicSocket:      "basic",
		wsk.FlagListenSocket:     "listen",
		wsk.FlagConnectionSocket: "connection",
		wsk.FlagDatagramSocket:   "datagram",
		wsk.FlagStreamSocket:     "stream",
		0x3:                      "invalid-category",
		0x10:                     "invalid-category",
	}
	for c, want := range tests {
		eq(t, fmt.Sprintf("Category(0x%X).String()", uint32(c)), c.String(), want)
	}
}

// The Windows values of SPEC section 0 (Linux ones differ: AF_INET6 is 10).
func TestSpecConstants(t *testing.T) {
	tests := []struct {
		name string
		got  uint64
		want uint64
	}{
		{"AF_UNSPEC", uint64(wsk.AFUnspec), 0},
		{"AF_INET", uint64(wsk.AFInet), 2},
		{"AF_INET6", uint64(wsk.AFInet6), 23},
		{"SOCK_STREAM", uint64(wsk.SockStream), 1},
		{"SOCK_DGRAM", uint64(wsk.SockDgram), 2},
		{"SOCK_RAW", uint64(wsk.SockRaw), 3},
		{"IPPROTO_TCP", uint64(wsk.IPProtoTCP), 6},
		{"IPPROTO_UDP", uint64(wsk.IPProtoUDP), 17},
		{"WSK_FLAG_BASIC_SOCKET", uint64(wsk.FlagBasicSocket), 0x0},
		{"WSK_FLAG_LISTEN_SOCKET", uint64(wsk.FlagListenSocket), 0x1},
		{"WSK_FLAG_CONNECTION_SOCKET", uint64(wsk.FlagConnectionSocket), 0x2},
		{"WSK_FLAG_DATAGRAM_SOCKET", uint64(wsk.FlagDatagramSocket), 0x4},
		{"WSK_FLAG_STREAM_SOCKET", uint64(wsk.FlagStreamSocket), 0x8},
		{"CategoryMask", uint64(wsk.CategoryMask), 0xF},
		{"WSK_EVENT_SEND_BACKLOG", uint64(wsk.EventSendBacklog), 0x10},
		{"WSK_EVENT_RECEIVE", uint64(wsk.EventReceive), 0x40},
		{"WSK_EVENT_DISCONNECT", uint64(wsk.EventDisconnect), 0x80},
		{"WSK_EVENT_RECEIVE_FROM", uint64(wsk.EventReceiveFrom), 0x100},
		{"WSK_EVENT_ACCEPT", uint64(wsk.EventAccept), 0x200},
		{"WSK_EVENT_DISABLE", uint64(wsk.EventDisable), 0x80000000},
		{"WSK_FLAG_NODELAY", uint64(wsk.FlagNoDelay), 0x2},
		{"WSK_FLAG_WAITALL", uint64(wsk.FlagWaitAll), 0x2},
		{"WSK_FLAG_DRAIN", uint64(wsk.FlagDrain), 0x4},
		{"WSK_FLAG_ABORTIVE", uint64(wsk.FlagAbortive), 0x1},
		{"SOL_SOCKET", uint64(wsk.SolSocket), 0xFFFF},
		{"SO_REUSEADDR", uint64(wsk.SoReuseAddr), 0x4},
		{"SO_EXCLUSIVEADDRUSE", uint64(wsk.SoExclusiveAddrUse), 0xFFFFFFFB},
		{"SO_WSK_SECURITY", uint64(wsk.SoWskSecurity), 0x4001},
		{"SO_WSK_EVENT_CALLBACK", uint64(wsk.SoWskEventCallback), 0x4002},
		{"TCP_FASTOPEN", uint64(wsk.TCPFastOpen), 15},
		{"WSK_TRANSPORT_LIST_QUERY", uint64(wsk.TransportListQuery), 2},
		{"WSK_TRANSPORT_LIST_CHANGE", uint64(wsk.TransportListChange), 3},
		{"WSK_CACHE_SD", uint64(wsk.CacheSD), 4},
		{"WSK_RELEASE_SD", uint64(wsk.ReleaseSD), 5},
		{"WSK_SET_STATIC_EVENT_CALLBACKS", uint64(wsk.SetStaticEventCallbacks), 7},
		{"CEX-03 ConnectEx buffer limit", uint64(wsk.MaxConnectExBuffer), 65535},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = 0x%X, want 0x%X", tc.name, tc.got, tc.want)
		}
	}
}

func TestEventMaskAll(t *testing.T) {
	eq(t, "EventMaskAll", wsk.EventMaskAll, uint32(0x10|0x40|0x80|0x100|0x200))
	if wsk.EventMaskAll&wsk.EventDisable != 0 {
		t.Error("EventMaskAll includes EventDisable")
	}
}

func TestEventName(t *testing.T) {
	tests := []struct {
		bit  uint32
		want string
	}{
		{wsk.EventSendBacklog, "SEND_BACKLOG"},
		{wsk.EventReceive, "RECEIVE"},
		{wsk.EventDisconnect, "DISCONNECT"},
		{wsk.EventReceiveFrom, "RECEIVE_FROM"},
		{wsk.EventAccept, "ACCEPT"},
		{wsk.EventDisable, "UNKNOWN_EVENT"},
		{0, "UNKNOWN_EVENT"},
		{wsk.EventReceive | wsk.EventAccept, "UNKNOWN_EVENT"}, // one bit at a time
	}
	for _, tc := range tests {
		eq(t, fmt.Sprintf("EventName(0x%X)", tc.bit), wsk.EventName(tc.bit), tc.want)
	}
	// Every bit of the mask has a name.
	for i := range 32 {
		if bit := uint32(1) << i; wsk.EventMaskAll&bit != 0 && wsk.EventName(bit) == "UNKNOWN_EVENT" {
			t.Errorf("event bit 0x%X has no name", bit)
		}
	}
}

func TestTransportSize(t *testing.T) {
	// version 2 + type 2 + protocol 4 + family 2 + padding 2 + GUID 16.
	eq(t, "TransportSize", wsk.TransportSize, 28)
	eq(t, "len(EncodeTransports(one))", len(wsk.EncodeTransports(make([]wsk.Transport, 1))), wsk.TransportSize)
}
