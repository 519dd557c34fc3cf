package harness

import (
	"testing"

	"github.com/wskverify/wskverify/model"
)

// TestDueIRPRule: a stalled IRP breaks the rule that made it due. A call the
// rules refuse owes its failure, so its stall names the refusing rule (Wine
// 8.0 pends WskAccept on a listen socket that is not bound: LIS-01, which
// EXPECTED lists, rather than IRP-01); a valid receive owes its bytes
// (DATA-03), a receive-from its datagram (DATA-06), anything else its
// completion (IRP-01).
func TestDueIRPRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    model.Pending
		want string
	}{
		{"refused accept", model.Pending{Call: model.Call{Op: model.OpAccept}, Allowed: model.Allowed{Rule: "LIS-01"}}, "LIS-01"},
		{"refused receive", model.Pending{Call: model.Call{Op: model.OpReceive}, Allowed: model.Allowed{Rule: "DATA-05"}}, "DATA-05"},
		{"valid receive", model.Pending{Call: model.Call{Op: model.OpReceive}, Allowed: model.Allowed{Valid: true, Rule: "DATA-03"}}, "DATA-03"},
		{"valid receive-from", model.Pending{Call: model.Call{Op: model.OpReceiveFrom}, Allowed: model.Allowed{Valid: true, Rule: "DATA-06"}}, "DATA-06"},
		{"valid control call", model.Pending{Call: model.Call{Op: model.OpControlClient}, Allowed: model.Allowed{Valid: true, Rule: "CTL-04"}}, "IRP-01"},
		{"refused, no rule named", model.Pending{Call: model.Call{Op: model.OpBind}}, "IRP-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := dueIRPRule(&tc.p); got != tc.want {
				t.Fatalf("dueIRPRule = %s, want %s", got, tc.want)
			}
		})
	}
}
