package remote

import "github.com/wskverify/wskverify/remote/wire"

// Lacks lists what the agent declared unsupported in the handshake, named
// as model.Feature names features (an entry point alone stands for all its
// features), so the property machine does not ask for them
// (properties.Lacker). What the agent left unknown is probed by the runs
// themselves: a call answered STATUS_NOT_IMPLEMENTED with its IRP
// completed is unsupported from then on.
func (s *Subsystem) Lacks() []string {
	caps := s.hello.Caps
	var out []string
	for o := wire.Op(1); o < 64; o++ {
		if o.Valid() && caps.Op(o) == wire.Unsupported {
			out = append(out, o.String())
		}
	}
	for _, c := range []struct {
		bit  uint8
		name string
	}{{wire.CatBasic, "BASIC"}, {wire.CatListen, "LISTEN"}, {wire.CatDatagram, "DATAGRAM"}, {wire.CatConnection, "CONNECTION"}, {wire.CatStream, "STREAM"}} {
		if caps.Cat(c.bit) == wire.Unsupported {
			out = append(out, "WskSocket("+c.name+")")
		}
	}
	if caps.Feat(wire.FeatEvents) == wire.Unsupported {
		out = append(out, "WskControlSocket(SO_WSK_EVENT_CALLBACK)", "WskControlClient(WSK_SET_STATIC_EVENT_CALLBACKS)")
	}
	if caps.Feat(wire.FeatCancel) == wire.Unsupported {
		out = append(out, "IoCancelIrp")
	}
	if caps.Feat(wire.FeatLocalAddress) == wire.Unsupported {
		out = append(out, "WskGetLocalAddress")
	}
	return out
}
