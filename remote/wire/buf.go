package wire

// Buf is a BUF field (section 5.3): a PWSK_BUF and the MDL chain behind it,
// malformed ones included (DATA-04).
type Buf struct {
	Present bool // false: the PWSK_BUF is NULL
	MdlNull bool // WSK_BUF.Mdl is NULL
	Offset  uint32
	Length  uint64
	Stage   uint32   // non-zero: the bytes are in this staged buffer
	Chunks  []uint32 // each MDL's byte count, in chain order
	// Data is the chain's bytes for a send with Stage 0: the chunk counts
	// summed. Receives carry none.
	Data []byte
}

// ChainLen is the sum of the chunk counts.
func (b *Buf) ChainLen() uint64 {
	var n uint64
	for _, c := range b.Chunks {
		n += uint64(c)
	}
	return n
}

// BufOut writes a BUF; send says whether its bytes go along.
func (e *Encoder) Buf(b *Buf, send bool) {
	if b == nil || !b.Present {
		e.U8(0)
		return
	}
	e.U8(1)
	e.Bool(b.MdlNull)
	e.U16(uint16(len(b.Chunks)))
	e.U32(b.Offset)
	e.U64(b.Length)
	e.U32(b.Stage)
	for _, c := range b.Chunks {
		e.U32(c)
	}
	if send && b.Stage == 0 {
		e.b = append(e.b, b.Data...)
	}
}

// Buf reads a BUF; nil for a NULL PWSK_BUF.
func (d *Decoder) Buf(send bool, field string) *Buf {
	if !d.Bool(field) {
		return nil
	}
	b := &Buf{Present: true, MdlNull: d.Bool(field)}
	n := int(d.U16(field))
	b.Offset, b.Length, b.Stage = d.U32(field), d.U64(field), d.U32(field)
	switch {
	case n > MaxChunks:
		d.fail(EMalformed, field, "%d MDLs, at most %d", n, MaxChunks)
		return nil
	case b.MdlNull && n != 0:
		d.Failf(field, "a NULL Mdl with %d chunks", n)
	case b.Stage != 0 && !send:
		d.Failf(field, "a staged receive buffer")
	}
	if d.err != nil {
		return nil
	}
	b.Chunks = make([]uint32, n)
	for i := range b.Chunks {
		b.Chunks[i] = d.U32(field)
	}
	total := b.ChainLen()
	if send && b.Stage == 0 {
		if total > MaxData {
			d.fail(EMalformed, field, "%d inline bytes, at most %d", total, MaxData)
			return nil
		}
		b.Data = append([]byte{}, d.take(int(total), field)...)
	} else if total > MaxStage {
		d.Failf(field, "a chain of %d bytes, at most %d", total, MaxStage)
	}
	return b
}
