package winerun

import (
	"os"
	"regexp"
	"strconv"

	"github.com/wskverify/wskverify/repro"
)

// concretePort matches the loopback ports 20000–29999 a reproduction file
// of Wine binds (its WskGetLocalAddress cannot report a port-0 bind's port).
var concretePort = regexp.MustCompile(`127\.0\.0\.1:2\d{4}\b`)

// LoadWithFreePorts loads a reproduction file with each concrete port
// 20000–29999 replaced by one FreePort finds free now: a port a previous
// replay used stays in TIME_WAIT for a minute and would fail the bind.
func LoadWithFreePorts(path string) (*repro.File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	b = concretePort.ReplaceAllFunc(b, func(m []byte) []byte {
		if _, ok := seen[string(m)]; !ok {
			seen[string(m)] = "127.0.0.1:" + strconv.Itoa(int(FreePort()))
		}
		return []byte(seen[string(m)])
	})
	return repro.Parse(path, b)
}
