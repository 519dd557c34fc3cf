package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
)

// TestFreeAfterFailedReuse: a WskGetAddressInfo returns a list under IRP 1,
// a second one reuses the completed IRP and fails (an unknown family in its
// hints), and WskFreeAddressInfo frees the first list. The failed call must
// not take the list's place: the harness freed an empty one and the model
// called it a NAME-03 violation (FuzzTrace found it,
// testdata/fuzz/FuzzTrace/45b449893077051e).
func TestFreeAfterFailedReuse(t *testing.T) {
	h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled})
	require.NoError(t, err)
	node, service := []byte("localhost"), []byte("00")
	irp := h.NextIRP()
	do(t, h, model.Call{Op: model.OpGetAddressInfo, IRP: irp, Node: node, Service: service})
	do(t, h, model.Call{Op: model.OpGetAddressInfo, IRP: irp, Node: []byte("00000"), Hints: true, Family: 12336})
	do(t, h, model.Call{Op: model.OpFreeAddressInfo, Target: irp})
	require.Empty(t, h.State().AddrLists, "the list was freed")
	require.NoError(t, h.Close())
}
