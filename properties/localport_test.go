package properties_test

import (
	"sync/atomic"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/winerun"
)

// TestBundledProviderConcretePorts runs the machine the way it runs against
// Wine: every bind asks for a concrete free port (Options.LocalPort), so the
// model knows local addresses without WskGetLocalAddress. A correct provider
// must pass this way too, and the ports must really be asked for.
func TestBundledProviderConcretePorts(t *testing.T) {
	var asked atomic.Int64
	port := func() uint16 {
		asked.Add(1)
		return winerun.FreePort()
	}
	properties.Check(t, bundled, properties.Options{Profile: model.Windows, LocalPort: port})
	if asked.Load() == 0 {
		t.Fatal("no bind asked Options.LocalPort for its port")
	}
}
