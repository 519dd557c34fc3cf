package harness

import (
	"sync"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// raw is one thing the provider or a peer did, as recorded by the goroutine
// that saw it, before the harness turns it into a model event.
type raw struct {
	irp      int // a completion of this IRP
	count    int
	ioStatus wsk.IoStatusBlock
	socket   wsk.Socket
	// newSocket is the number given to socket, when the IRP created one.
	newSocket int
	data      []byte
	addr      wsk.Sockaddr
	names     *model.NameResult

	event model.Event // a callback or peer observation, ready made
}

// eventLog orders everything that happens on provider and peer goroutines.
type eventLog struct {
	mu     sync.Mutex
	items  []raw
	notify chan struct{}
}

func newEventLog() *eventLog { return &eventLog{notify: make(chan struct{}, 1)} }

func (l *eventLog) add(r raw) {
	l.mu.Lock()
	l.items = append(l.items, r)
	l.mu.Unlock()
	select {
	case l.notify <- struct{}{}:
	default:
	}
}

// take removes and returns everything logged so far.
func (l *eventLog) take() []raw {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.items
	l.items = nil
	return out
}

// pending reports whether anything was logged since the last take.
func (l *eventLog) pending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.items) > 0
}
