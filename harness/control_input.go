package harness

import (
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// controlInput is the InputBuffer of a WskControlSocket: a SOCKADDR for the
// fixed-address controls (NULL, InputSize 0, clears it: OPT-04), nothing
// for the queries, the ULONG value otherwise.
func controlInput(c model.Call) []byte {
	if c.Request == wsk.ControlIoctl {
		switch c.Code {
		case wsk.SioWskSetRemoteAddress, wsk.SioWskSetSendToAddress:
			return c.Remote
		case wsk.SioWskQueryReceiveBacklog, wsk.SioWskQueryIdealSendBacklog:
			return nil
		}
	}
	return wsk.EncodeUint32(c.Value)
}
