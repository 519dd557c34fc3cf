package wire

import (
	"reflect"
	"testing"
)

// TestNameCallsRoundTrip: the name-resolution CALLs and their results
// decode to what was encoded, NULL names kept apart from empty ones.
func TestNameCallsRoundTrip(t *testing.T) {
	calls := []*Call{
		{Op: OpGetAddressInfo, Target: 1, IRP: 2, Code: 12, Family: 23, Type: 1, Protocol: 6, Flags: 4, Process: 1,
			Names: NameArgs{Node: []byte("localhost"), Service: []byte{}, Hints: true}},
		{Op: OpGetAddressInfo, Target: 1, IRP: 3, Names: NameArgs{Service: []byte("80")}},
		{Op: OpFreeAddressInfo, Target: 1, Names: NameArgs{List: 2}},
		{Op: OpGetNameInfo, Target: 1, IRP: 4, Local: []byte{2, 0, 0, 80, 127, 0, 0, 1}, Flags: 2,
			Names: NameArgs{HostSize: 1025, ServiceSize: -1}},
	}
	for _, c := range calls {
		got, err := DecodeCall(Frame{Type: TCall, Body: c.Encode()})
		if err != nil {
			t.Fatalf("%s: %v", c.Op, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("%s: decoded %+v, want %+v", c.Op, got, c)
		}
	}
	list := []AddrEntry{{Family: 2, SockType: 1, Protocol: 6, Addr: []byte{2, 0, 0, 80, 127, 0, 0, 1}}, {Family: 23, Addr: []byte{23, 0}}}
	if got, err := DecodeAddrList(EncodeAddrList(list)); err != nil || !reflect.DeepEqual(got, list) {
		t.Errorf("address list: %v, %v", got, err)
	}
	if h, s, err := DecodeNames(EncodeNames("localhost", "80")); err != nil || h != "localhost" || s != "80" {
		t.Errorf("names: %q %q %v", h, s, err)
	}
	if _, err := DecodeAddrList([]byte{3, 0, 2}); err == nil {
		t.Error("a truncated list decoded")
	}
}
