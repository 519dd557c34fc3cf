package fuzz

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/wsk"
)

// EncodeTrace writes a run as FuzzTrace's input: DecodeTrace gives back
// the same family and steps. A run the codec cannot carry (a registration
// call, numbers past its field widths, off-loopback addresses, more than
// maxTraceSteps steps) gives an error naming the step.
func EncodeTrace(sc Scenario) ([]byte, error) {
	if len(sc.Steps) > maxTraceSteps {
		return nil, fmt.Errorf("fuzz: trace of %d steps, the codec carries %d", len(sc.Steps), maxTraceSteps)
	}
	var w writer
	opts := byte(0)
	if sc.Family == wsk.AFInet6 {
		opts |= 1
	}
	if sc.Keep {
		opts |= 2
	}
	w.byte(opts)
	for i, st := range sc.Steps {
		if err := w.step(st); err != nil {
			return nil, fmt.Errorf("fuzz: step %d (%s): %w", i+1, st, err)
		}
	}
	back := DecodeTrace(w.b)
	if back.Family != sc.Family && (sc.Family != 0 || back.Family != wsk.AFInet) {
		return nil, fmt.Errorf("fuzz: family %d does not fit the trace codec", sc.Family)
	}
	for i, st := range sc.Steps {
		if i >= len(back.Steps) || !reflect.DeepEqual(back.Steps[i], st) {
			return nil, fmt.Errorf("fuzz: step %d (%s) does not survive the trace codec", i+1, st)
		}
	}
	return w.b, nil
}

func (w *writer) step(st harness.Step) error {
	var kind byte
	if st.NoWait {
		kind |= kindNoWait
	}
	if st.Kind == harness.StepCall {
		w.byte(kind)
		return w.call(st)
	}
	if st.Kind < harness.StepPeerListen || st.Kind > harness.StepSettle {
		return fmt.Errorf("step kind %d unknown", st.Kind)
	}
	w.byte(kind | kindPeer | byte(st.Kind-harness.StepPeerListen))
	peer := func() error {
		if st.Peer < 0 || st.Peer > 0xFF {
			return fmt.Errorf("peer %d does not fit the trace codec", st.Peer)
		}
		w.byte(byte(st.Peer))
		return nil
	}
	socket := func() error {
		if st.Socket < 0 || st.Socket > 0xFF {
			return fmt.Errorf("socket %d does not fit the trace codec", st.Socket)
		}
		w.byte(byte(st.Socket))
		return nil
	}
	switch st.Kind {
	case harness.StepPeerConnect, harness.StepLink:
		return socket()
	case harness.StepPeerDatagram:
		if err := socket(); err != nil {
			return err
		}
		return w.data(st.Data)
	case harness.StepPeerSend:
		if err := peer(); err != nil {
			return err
		}
		return w.data(st.Data)
	case harness.StepPeerShutdown, harness.StepPeerReset:
		return peer()
	}
	return nil
}

func (w *writer) call(st harness.Step) error {
	c := st.Call
	if traceExcluded[c.Op] || int(c.Op) < 1 || int(c.Op) > opCount {
		return fmt.Errorf("%s is not carried by the trace codec", c.Op)
	}
	w.byte(byte(c.Op) - 1)
	var mask uint32
	for i, f := range callFields {
		switch {
		case f == fieldLocal && (c.Local != nil || st.Local.Kind != harness.RefNone),
			f == fieldRemote && (c.Remote != nil || st.Remote.Kind != harness.RefNone),
			f.present(c):
			mask |= 1 << i
		}
	}
	w.u32(mask)
	for i, f := range callFields {
		if mask&(1<<i) == 0 {
			continue
		}
		var err error
		switch f {
		case fieldLocal:
			err = w.addrField(st.Local, c.Local)
		case fieldRemote:
			err = w.addrField(st.Remote, c.Remote)
		default:
			err = f.write(w, c)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) addrField(ref harness.AddrRef, raw []byte) error {
	if ref.Kind > harness.RefSocket || ref.N < 0 || ref.N > 0xFF {
		return fmt.Errorf("address reference %+v does not fit the trace codec", ref)
	}
	w.byte(byte(ref.Kind))
	w.byte(byte(ref.N))
	if ref.Kind != harness.RefNone {
		return nil
	}
	if len(raw) >= nullLength {
		return fmt.Errorf("SOCKADDR of %d bytes does not fit the trace codec", len(raw))
	}
	if !bytes.Equal(loopbackOnly(raw), raw) {
		return fmt.Errorf("SOCKADDR %s is off loopback; the fuzz targets never leave it", harnessAddr(raw))
	}
	w.bytes(raw)
	return nil
}

// data writes bytes as the fill pattern when they follow one (the suite's
// payloads do, and a 65,536-byte buffer then costs 6 bytes), else
// literally.
func (w *writer) data(b []byte) error {
	if len(b) >= 2 && len(b) <= maxTraceData {
		start, step := b[0], b[1]-b[0]
		if bytes.Equal(fillBytes(len(b), start, step), b) {
			w.byte(1)
			w.u24(uint32(len(b)))
			w.byte(start)
			w.byte(step)
			return nil
		}
	}
	if len(b) >= nullLength {
		return fmt.Errorf("data of %d bytes that follow no fill pattern do not fit the trace codec", len(b))
	}
	w.byte(0)
	w.bytes(b)
	return nil
}

func harnessAddr(raw []byte) string {
	a, err := wsk.DecodeSockaddr(raw)
	if err != nil {
		return fmt.Sprintf("% x", raw)
	}
	return a.String()
}
