package resources

import (
	"sync"
	"time"
)

// Sampler reads a Sample at a fixed interval on its own goroutine and keeps
// every one, until Stop.
type Sampler struct {
	interval time.Duration
	start    time.Time
	stop     chan struct{}
	done     chan struct{}

	mu      sync.Mutex
	samples []Sample
	err     error // the first failed read; sampling goes on
}

// Start samples at once and then every interval (at least a millisecond).
func Start(interval time.Duration) *Sampler {
	interval = max(interval, time.Millisecond)
	s := &Sampler{interval: interval, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	s.take()
	go s.loop()
	return s
}

func (s *Sampler) loop() {
	defer close(s.done)
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			s.take()
		}
	}
}

func (s *Sampler) take() {
	smp, err := Read()
	smp.At = time.Since(s.start)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return
	}
	s.samples = append(s.samples, smp)
}

// Samples returns a copy of the samples so far.
func (s *Sampler) Samples() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sample(nil), s.samples...)
}

// Stop ends sampling after one last sample, and returns every sample and
// the first read error, if any. Its goroutine is gone when it returns.
func (s *Sampler) Stop() ([]Sample, error) {
	close(s.stop)
	<-s.done
	s.take()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sample(nil), s.samples...), s.err
}
