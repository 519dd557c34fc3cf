package wire

// QUIET (section 3, protocol 1.1) asks the agent to answer once its
// provider has acted on everything its transport has shown it, and after
// every frame that caused. The suite sends it after a peer's action, so
// that what a provider does of its own accord about the action (a callback
// never enabled, a port freed) shows before the next step, not after it
// depending on the scheduler. An agent whose provider can tell when it is
// idle declares FeatQuiet; the suite asks any other for a PING, which its
// agent answers after the frames already written, and takes what came.

// Quiet is a QUIET body: the longest the agent may wait for its provider.
type Quiet struct {
	WaitMS uint32
}

// Encode writes the body.
func (m Quiet) Encode() []byte {
	var e Encoder
	e.U32(m.WaitMS)
	return e.Bytes()
}

// DecodeQuiet reads a QUIET body.
func DecodeQuiet(f Frame) (Quiet, error) {
	d := NewDecoder(f)
	m := Quiet{WaitMS: d.U32("wait_ms")}
	return m, d.Finish()
}
