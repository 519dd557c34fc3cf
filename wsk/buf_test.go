package wsk_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// chain builds an MDL chain with one entry per buffer, empty buffers kept.
func chain(bufs ...string) *wsk.MDL {
	var head, tail *wsk.MDL
	for _, b := range bufs {
		m := &wsk.MDL{Buffer: []byte(b)}
		if head == nil {
			head = m
		} else {
			tail.Next = m
		}
		tail = m
	}
	return head
}

func TestBufValidate(t *testing.T) {
	one := chain("0123456789")           // 10 bytes
	three := chain("012", "3456", "789") // 3+4+3 bytes
	holey := chain("012", "", "345", "") // empty MDLs inside the chain
	emptyFirst := chain("", "0123")      // nothing in the first MDL
	tests := []struct {
		name string
		buf  wsk.Buf
		want error // nil or the DATA-04 sentinel
	}{
		// Valid.
		{"nil Mdl, Length 0", wsk.Buf{}, nil},
		{"whole single MDL", wsk.Buf{Mdl: one, Length: 10}, nil},
		{"prefix", wsk.Buf{Mdl: one, Length: 1}, nil},
		{"offset and rest", wsk.Buf{Mdl: one, Offset: 9, Length: 1}, nil},
		{"Length 0 with an MDL", wsk.Buf{Mdl: one}, nil},
		{"Length 0 at the end of the first MDL", wsk.Buf{Mdl: one, Offset: 10}, nil},
		{"whole chain", wsk.Buf{Mdl: three, Length: 10}, nil},
		{"offset into chain, to its end", wsk.Buf{Mdl: three, Offset: 2, Length: 8}, nil},
		{"within the second MDL", wsk.Buf{Mdl: three, Offset: 2, Length: 3}, nil},
		{"chain with empty MDLs", wsk.Buf{Mdl: holey, Offset: 1, Length: 5}, nil},
		{"empty first MDL, Length 0", wsk.Buf{Mdl: emptyFirst}, nil},

		// Negative offset or length.
		{"negative Offset", wsk.Buf{Mdl: one, Offset: -1, Length: 1}, wsk.ErrBufNegative},
		{"negative Length", wsk.Buf{Mdl: one, Length: -1}, wsk.ErrBufNegative},
		{"negative Length, nil Mdl", wsk.Buf{Length: -1}, wsk.ErrBufNegative},
		{"most negative Length", wsk.Buf{Mdl: one, Length: math.MinInt}, wsk.ErrBufNegative},

		// Mdl NULL with Length.
		{"nil Mdl with Length", wsk.Buf{Length: 1}, wsk.ErrBufNoMdl},
		{"nil Mdl with Offset and Length", wsk.Buf{Offset: 3, Length: 5}, wsk.ErrBufNoMdl},

		// Offset outside the first MDL.
		{"Offset at end of first MDL, Length 1", wsk.Buf{Mdl: one, Offset: 10, Length: 1}, wsk.ErrBufOffset},
		{"Offset past first MDL", wsk.Buf{Mdl: one, Offset: 11}, wsk.ErrBufOffset},
		{"Offset into the second MDL", wsk.Buf{Mdl: three, Offset: 4, Length: 1}, wsk.ErrBufOffset},
		{"Offset at end of first of chain", wsk.Buf{Mdl: three, Offset: 3, Length: 1}, wsk.ErrBufOffset},
		{"empty first MDL, Length 1", wsk.Buf{Mdl: emptyFirst, Length: 1}, wsk.ErrBufOffset},
		{"huge Offset", wsk.Buf{Mdl: one, Offset: math.MaxInt, Length: 1}, wsk.ErrBufOffset},

		// Length past the chain's end.
		{"one byte too long", wsk.Buf{Mdl: one, Length: 11}, wsk.ErrBufOverlong},
		{"offset pushes past end", wsk.Buf{Mdl: one, Offset: 5, Length: 6}, wsk.ErrBufOverlong},
		{"chain one byte too long", wsk.Buf{Mdl: three, Length: 11}, wsk.ErrBufOverlong},
		{"chain with offset too long", wsk.Buf{Mdl: three, Offset: 1, Length: 10}, wsk.ErrBufOverlong},
		{"chain with empty MDLs too long", wsk.Buf{Mdl: holey, Length: 7}, wsk.ErrBufOverlong},
		{"MaxInt Length", wsk.Buf{Mdl: one, Length: math.MaxInt}, wsk.ErrBufOverlong},
		// Offset+Length overflows int: still too long, not "fits".
		{"MaxInt Length with Offset", wsk.Buf{Mdl: one, Offset: 1, Length: math.MaxInt}, wsk.ErrBufOverlong},
		{"MaxInt-k Length with Offset", wsk.Buf{Mdl: one, Offset: 9, Length: math.MaxInt - 3}, wsk.ErrBufOverlong},
	}
	sentinels := []error{wsk.ErrBufNegative, wsk.ErrBufNoMdl, wsk.ErrBufOffset, wsk.ErrBufOverlong, wsk.ErrBufOverLimits}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.buf.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			for _, s := range sentinels {
				if s != tc.want && errors.Is(err, s) {
					t.Errorf("Validate() = %v is also %v", err, s)
				}
			}
			var be *wsk.BufError
			if !errors.As(err, &be) {
				t.Fatalf("Validate() error %T is not a *BufError", err)
			}
			eq(t, "BufError.Buf", be.Buf, tc.buf)
			eq(t, "BufError.Unwrap()", be.Unwrap(), tc.want)
			msg := err.Error()
			for _, part := range []string{
				"WSK_BUF",
				fmt.Sprintf("offset %d", tc.buf.Offset),
				fmt.Sprintf("length %d", tc.buf.Length),
				fmt.Sprintf("chain %d bytes", tc.buf.Mdl.ChainLength()),
				tc.want.Error(),
			} {
				if !strings.Contains(msg, part) {
					t.Errorf("message %q lacks %q", msg, part)
				}
			}

			// Bytes and Fill refuse what Validate refuses, touching nothing.
			if out, err := tc.buf.Bytes(); !errors.Is(err, tc.want) || out != nil {
				t.Errorf("Bytes() = %q, %v; want nil, %v", out, err, tc.want)
			}
			before := tc.buf.Mdl.ChainLength()
			snapshot := chainBytes(tc.buf.Mdl)
			if n, err := tc.buf.Fill([]byte("XXXXXXXXXXXX")); !errors.Is(err, tc.want) || n != 0 {
				t.Errorf("Fill() = %d, %v; want 0, %v", n, err, tc.want)
			}
			if !bytes.Equal(chainBytes(tc.buf.Mdl), snapshot) || tc.buf.Mdl.ChainLength() != before {
				t.Error("failed Fill() changed the MDL chain")
			}
		})
	}
}

func chainBytes(m *wsk.MDL) []byte {
	var out []byte
	for ; m != nil; m = m.Next {
		out = append(out, m.Buffer...)
	}
	return out
}

func TestNewMDLChain(t *testing.T) {
	data := []byte("0123456789")
	tests := []struct {
		chunk int
		want  []string
	}{
		{0, []string{"0123456789"}},
		{-1, []string{"0123456789"}},
		{1, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
		{3, []string{"012", "345", "678", "9"}},
		{5, []string{"01234", "56789"}},
		{10, []string{"0123456789"}},
		{100, []string{"0123456789"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("chunk%d", tc.chunk), func(t *testing.T) {
			m := wsk.NewMDLChain(data, tc.chunk)
			var got []string
			for e := m; e != nil; e = e.Next {
				got = append(got, string(e.Buffer))
				if cap(e.Buffer) != len(e.Buffer) {
					t.Errorf("MDL %q has cap %d: appending would overwrite the next", e.Buffer, cap(e.Buffer))
				}
			}
			eq(t, "MDLs", fmt.Sprint(got), fmt.Sprint(tc.want))
			eq(t, "ChainLength()", m.ChainLength(), len(data))
		})
	}
	if m := wsk.NewMDLChain(nil, 3); m != nil {
		t.Errorf("NewMDLChain(nil) = %v, want nil", m)
	}
	if m := wsk.NewMDLChain([]byte{}, 0); m != nil {
		t.Errorf("NewMDLChain(empty) = %v, want nil", m)
	}
	// The MDLs describe the caller's memory, not a copy.
	m := wsk.NewMDLChain(data, 4)
	m.Next.Buffer[0] = 'X'
	eq(t, "data after writing through the MDL", string(data), "0123X56789")
}

func TestChainLength(t *testing.T) {
	var m *wsk.MDL
	eq(t, "nil.ChainLength()", m.ChainLength(), 0)
	eq(t, "ChainLength()", chain("ab", "", "cde").ChainLength(), 5)
}

func TestBufOf(t *testing.T) {
	b := wsk.BufOf([]byte("hello"))
	eq(t, "Offset", b.Offset, 0)
	eq(t, "Length", b.Length, 5)
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Bytes()", string(out), "hello")

	empty := wsk.BufOf(nil)
	eq(t, "BufOf(nil)", empty, wsk.Buf{})
	if err := empty.Validate(); err != nil {
		t.Errorf("BufOf(nil).Validate() = %v", err)
	}
}

// chainShapes are MDL layouts of the same 10 bytes "0123456789".
var chainShapes = []struct {
	name string
	mdl  func() *wsk.MDL
}{
	{"single", func() *wsk.MDL { return chain("0123456789") }},
	{"3-4-3", func() *wsk.MDL { return chain("012", "3456", "789") }},
	{"bytewise", func() *wsk.MDL { return wsk.NewMDLChain([]byte("0123456789"), 1) }},
	{"with empties", func() *wsk.MDL { return chain("0123", "", "45", "", "", "6789", "") }},
}

// Bytes returns exactly data[Offset:Offset+Length] for every valid WSK_BUF
// over every chain shape.
func TestBufBytes(t *testing.T) {
	const data = "0123456789"
	for _, shape := range chainShapes {
		t.Run(shape.name, func(t *testing.T) {
			m := shape.mdl()
			first := len(m.Buffer)
			for off := 0; off <= first; off++ {
				for n := 0; off+n <= len(data); n++ {
					b := wsk.Buf{Mdl: m, Offset: off, Length: n}
					if off == first && n > 0 {
						continue // outside the first MDL: TestBufValidate
					}
					got, err := b.Bytes()
					if err != nil {
						t.Fatalf("%+v.Bytes(): %v", b, err)
					}
					if string(got) != data[off:off+n] {
						t.Errorf("offset %d length %d: Bytes() = %q, want %q", off, n, got, data[off:off+n])
					}
				}
			}
		})
	}
}

func TestBufBytesIsACopy(t *testing.T) {
	m := chain("ab", "cd")
	got, err := wsk.Buf{Mdl: m, Offset: 1, Length: 3}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got[0] = 'X'
	eq(t, "chain after changing Bytes()", string(chainBytes(m)), "abcd")

	got, err = wsk.Buf{}.Bytes()
	if err != nil || len(got) != 0 {
		t.Errorf("Buf{}.Bytes() = %q, %v; want empty, nil", got, err)
	}
}

// Fill writes min(len(src), Length) bytes at data[Offset:] and nothing else,
// for every valid WSK_BUF over every chain shape.
func TestBufFill(t *testing.T) {
	const data = "0123456789"
	srcs := []string{"", "a", "abc", "abcdefghijklmnop"}
	for _, shape := range chainShapes {
		t.Run(shape.name, func(t *testing.T) {
			first := len(shape.mdl().Buffer)
			for off := 0; off <= first; off++ {
				for n := 0; off+n <= len(data); n++ {
					if off == first && n > 0 {
						continue
					}
					for _, src := range srcs {
						m := shape.mdl()
						b := wsk.Buf{Mdl: m, Offset: off, Length: n}
						got, err := b.Fill([]byte(src))
						if err != nil {
							t.Fatalf("%+v.Fill(%q): %v", b, src, err)
						}
						w := min(len(src), n)
						want := data[:off] + src[:w] + data[off+w:]
						if got != w || string(chainBytes(m)) != want {
							t.Errorf("offset %d length %d Fill(%q) = %d, chain %q; want %d, %q",
								off, n, src, got, chainBytes(m), w, want)
						}
					}
				}
			}
		})
	}
}

func TestBufFillEmpty(t *testing.T) {
	n, err := wsk.Buf{}.Fill([]byte("data"))
	if err != nil || n != 0 {
		t.Errorf("Buf{}.Fill() = %d, %v; want 0, nil", n, err)
	}
	m := chain("....")
	n, err = wsk.Buf{Mdl: m, Length: 4}.Fill(nil)
	if err != nil || n != 0 || string(m.Buffer) != "...." {
		t.Errorf("Fill(nil) = %d, %v, buffer %q", n, err, m.Buffer)
	}
}

func TestBufErrorNilMdl(t *testing.T) {
	err := wsk.Buf{Length: 4}.Validate()
	want := "wsk: WSK_BUF{offset 0, length 4, chain 0 bytes}: " + wsk.ErrBufNoMdl.Error()
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %q", err, want)
	}
}
