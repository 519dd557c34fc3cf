package impl

import (
	"net/netip"

	"github.com/wskverify/wskverify/impl/internal/kernel"
)

// The provider's own record of the local addresses its sockets hold
// (BIND-03). The kernel forgets an ephemeral port as soon as a connection
// dies (a reset, a refused connect), while a WSK socket holds its address
// until it is closed; this table keeps the WSK view.

// portKey is one address in one transport's port space.
type portKey struct {
	sotype uint16
	ap     netip.AddrPort
}

type portHolder struct {
	s         *sock
	exclusive bool // SO_EXCLUSIVEADDRUSE when the address was taken
}

func keyOf(sotype uint16, a kernel.Addr) portKey {
	return portKey{sotype, netip.AddrPortFrom(a.IP.Unmap(), a.Port)}
}

// portTaken reports whether binding s to a would take an address another
// live socket of the provider holds without both sharing it: SO_REUSEADDR on
// the newcomer, and no SO_EXCLUSIVEADDRUSE on a holder. s.mu is held.
func (p *Subsystem) portTaken(s *sock, a kernel.Addr) bool {
	if a.Port == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.ports[keyOf(s.sotype, a)] {
		if h.s != s && (!s.reuse || h.exclusive) {
			return true
		}
	}
	return false
}

// holdPort records the address a bind gave s. s.mu is held.
func (p *Subsystem) holdPort(s *sock, a kernel.Addr) {
	if a.Port == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	k := keyOf(s.sotype, a)
	p.ports[k] = append(p.ports[k], portHolder{s: s, exclusive: s.exclusive})
}

// releasePort forgets the address s held, at close.
func (p *Subsystem) releasePort(s *sock, a kernel.Addr) {
	if a.Port == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	k := keyOf(s.sotype, a)
	hs := p.ports[k]
	for i, h := range hs {
		if h.s == s {
			hs = append(hs[:i:i], hs[i+1:]...)
			break
		}
	}
	if len(hs) == 0 {
		delete(p.ports, k)
	} else {
		p.ports[k] = hs
	}
}
