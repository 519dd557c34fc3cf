package wsk

import (
	"errors"
	"fmt"
)

// MDL is a memory descriptor list entry: one buffer and the next entry.
type MDL struct {
	Buffer []byte
	Next   *MDL
}

// NewMDLChain splits data over MDLs of at most chunk bytes each (chunk <= 0
// means one MDL). A nil result for empty data.
func NewMDLChain(data []byte, chunk int) *MDL {
	if len(data) == 0 {
		return nil
	}
	if chunk <= 0 {
		chunk = len(data)
	}
	var head, tail *MDL
	for len(data) > 0 {
		n := min(chunk, len(data))
		m := &MDL{Buffer: data[:n:n]}
		if head == nil {
			head = m
		} else {
			tail.Next = m
		}
		tail = m
		data = data[n:]
	}
	return head
}

// ChainLength is the total bytes the chain describes.
func (m *MDL) ChainLength() int {
	n := 0
	for ; m != nil; m = m.Next {
		n += len(m.Buffer)
	}
	return n
}

// Buf is a WSK_BUF: Length bytes starting Offset bytes into the first MDL.
// Every field is the client's to set, so a Buf can describe more bytes than
// its MDLs hold (DATA-04); Validate tells.
type Buf struct {
	Mdl    *MDL
	Offset int
	Length int
}

// BufOf describes all of data in one MDL.
func BufOf(data []byte) Buf {
	return Buf{Mdl: NewMDLChain(data, 0), Length: len(data)}
}

// Errors of Buf.Validate, one per clause of DATA-04.
var (
	ErrBufNegative   = errors.New("negative offset or length")
	ErrBufNoMdl      = errors.New("the MDL is NULL but Length is not 0")
	ErrBufOffset     = errors.New("the offset lies outside the first MDL")
	ErrBufOverlong   = errors.New("the length runs past the end of the MDL chain")
	ErrBufOverLimits = errors.New("length exceeds the allowed maximum")
)

// BufError reports why a WSK_BUF is not usable.
type BufError struct {
	Buf Buf
	Err error
}

func (e *BufError) Error() string {
	return fmt.Sprintf("wsk: WSK_BUF{offset %d, length %d, chain %d bytes}: %v",
		e.Buf.Offset, e.Buf.Length, e.Buf.Mdl.ChainLength(), e.Err)
}

func (e *BufError) Unwrap() error { return e.Err }

// Validate checks DATA-04: Offset inside the first MDL, Length within the
// chain, Mdl NULL only when Length is 0.
func (b Buf) Validate() error {
	switch {
	case b.Offset < 0 || b.Length < 0:
		return &BufError{b, ErrBufNegative}
	case b.Mdl == nil && b.Length != 0:
		return &BufError{b, ErrBufNoMdl}
	case b.Mdl == nil:
		return nil
	case b.Offset > len(b.Mdl.Buffer) || (b.Offset == len(b.Mdl.Buffer) && b.Length > 0):
		return &BufError{b, ErrBufOffset}
	case b.Length > b.Mdl.ChainLength()-b.Offset: // not Offset+Length: it can overflow
		return &BufError{b, ErrBufOverlong}
	}
	return nil
}

// Bytes copies out the Length bytes the Buf describes, or fails as Validate.
func (b Buf) Bytes() ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	out := make([]byte, 0, b.Length)
	skip := b.Offset
	for m := b.Mdl; m != nil && len(out) < b.Length; m = m.Next {
		chunk := m.Buffer
		if skip > 0 {
			s := min(skip, len(chunk))
			chunk, skip = chunk[s:], skip-s
		}
		out = append(out, chunk[:min(len(chunk), b.Length-len(out))]...)
	}
	return out, nil
}

// Fill copies data into the bytes the Buf describes (a receive), returning the
// count written: at most Length. It fails as Validate.
func (b Buf) Fill(data []byte) (int, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	data = data[:min(len(data), b.Length)]
	n, skip := 0, b.Offset
	for m := b.Mdl; m != nil && n < len(data); m = m.Next {
		chunk := m.Buffer
		if skip > 0 {
			s := min(skip, len(chunk))
			chunk, skip = chunk[s:], skip-s
		}
		n += copy(chunk, data[n:])
	}
	return n, nil
}
