package properties_test

import (
	"testing"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// pendingBundled is the bundled provider as Windows would time it: every
// result it gives at once comes back as STATUS_PENDING and the same
// completion, mostly from another goroutine after the call returned.
func pendingBundled() wsk.Subsystem {
	v, _ := bugs.VariantByName("pending")
	return bugs.WrapVariant(impl.New(), v)
}

// TestPendingProviderWindows: a provider that reports every result through
// PENDING and a later completion, as Windows does for bind, connect, close
// and their failures, passes the whole state machine under the windows
// profile (issue 11).
func TestPendingProviderWindows(t *testing.T) {
	properties.Check(t, pendingBundled, properties.Options{Profile: model.Windows, StallIsError: true})
}

// TestPendingProviderDocumented: and so under documented, which accepts
// everything windows accepts.
func TestPendingProviderDocumented(t *testing.T) {
	t.Parallel()
	properties.Check(t, pendingBundled, properties.Options{Profile: model.Documented})
}
