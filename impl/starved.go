package impl

import "sync"

// A listening socket whose accept event has a connection waiting that the
// kernel cannot hand over for want of descriptors (EMFILE, ENFILE) or
// memory cannot wait on the poller: the socket stays readable, so the
// wait would spin. Its accept pump waits instead for the event that ends
// the want, the provider closing a descriptor of its own, or for the
// socket's state to change (an event disabled, the socket closed). It no
// longer retries on a timer.
//
// A descriptor freed outside the provider, or memory coming back, sends no
// event (Linux tells no one); the connection is then offered at the
// provider's next close of a descriptor. In a process where the provider
// holds the sockets, as the WSK subsystem holds a kernel's, that close is
// what frees one.

// starvation is the accept pumps waiting for a descriptor.
type starvation struct {
	mu      sync.Mutex
	freed   uint64                  // descriptors the provider has closed
	waiting map[*sock]chan struct{} // pump's socket: closed to wake it
}

// freedSoFar is what a pump reads before it asks the kernel for a
// connection: awaitDescriptor waits only if nothing was freed since.
func (p *Subsystem) freedSoFar() uint64 {
	p.starve.mu.Lock()
	defer p.starve.mu.Unlock()
	return p.starve.freed
}

// descriptorFreed wakes every starved pump: the provider closed a
// descriptor.
func (p *Subsystem) descriptorFreed() {
	v := &p.starve
	v.mu.Lock()
	defer v.mu.Unlock()
	v.freed++
	for s := range v.waiting {
		p.wakeLocked(s)
	}
}

// unstarve wakes socket s's pump, if it is starved, to look at the
// socket's state again.
func (p *Subsystem) unstarve(s *sock) {
	p.starve.mu.Lock()
	defer p.starve.mu.Unlock()
	p.wakeLocked(s)
}

// wakeLocked wakes s's pump and counts it unparked before the caller goes
// on, so that AwaitIdle never finds the provider idle while a pump it woke
// has yet to run. p.starve.mu is held.
func (p *Subsystem) wakeLocked(s *sock) {
	if ch, ok := p.starve.waiting[s]; ok {
		close(ch)
		delete(p.starve.waiting, s)
		p.parkedBy(-1)
	}
}

// awaitDescriptor parks the accept pump of s until the provider frees a
// descriptor (any since the count since), s's state changes, or s closes.
// Parked, it counts as idle (AwaitIdle): only another's action wakes it.
func (s *sock) awaitDescriptor(since uint64) {
	v := &s.p.starve
	v.mu.Lock()
	if v.freed != since {
		v.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	if v.waiting == nil {
		v.waiting = make(map[*sock]chan struct{})
	}
	v.waiting[s] = ch
	s.p.parkedBy(1)
	v.mu.Unlock()
	select {
	case <-ch:
	case <-s.stop:
		s.p.unstarve(s)
	}
}
