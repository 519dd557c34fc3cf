package impl

import "github.com/wskverify/wskverify/wsk"

// bufSlices returns the bytes a validated WSK_BUF describes from byte skip
// on, as slices of the client's MDL buffers (no copy).
func bufSlices(b wsk.Buf, skip int) [][]byte { return bufSlicesMax(b, skip, -1) }

// maxIOV is the most buffers one sendmsg or readv takes on Linux
// (UIO_MAXIOV); more fail with EINVAL.
const maxIOV = 1024

// streamSlices is bufSlices cut to at most maxIOV slices: a stream send or
// receive moves a longer MDL chain in several system calls (each already
// handles a partial transfer), where handing the kernel the whole chain
// would fail a valid WSK_BUF (DATA-01, DATA-04).
func streamSlices(b wsk.Buf, skip int) [][]byte { return bufSlicesMax(b, skip, maxIOV) }

// bufSlicesMax is bufSlices with at most limit slices (negative: no limit).
func bufSlicesMax(b wsk.Buf, skip, limit int) [][]byte {
	want := b.Length - skip
	if want <= 0 {
		return nil
	}
	off := b.Offset + skip
	var out [][]byte
	for m := b.Mdl; m != nil && want > 0 && len(out) != limit; m = m.Next {
		chunk := m.Buffer
		if off >= len(chunk) {
			off -= len(chunk)
			continue
		}
		chunk = chunk[off:]
		off = 0
		if len(chunk) > want {
			chunk = chunk[:want]
		}
		if len(chunk) > 0 {
			out = append(out, chunk)
			want -= len(chunk)
		}
	}
	return out
}

// fillAt copies data into a validated WSK_BUF from byte at on and returns
// the count copied.
func fillAt(b wsk.Buf, at int, data []byte) int {
	n := 0
	for _, dst := range bufSlices(b, at) {
		if n == len(data) {
			break
		}
		n += copy(dst, data[n:])
	}
	return n
}

// bufBytes copies the first n bytes of a validated WSK_BUF.
func bufBytes(b wsk.Buf, n int) []byte {
	out := make([]byte, 0, n)
	for _, chunk := range bufSlices(b, 0) {
		if len(out)+len(chunk) > n {
			chunk = chunk[:n-len(out)]
		}
		out = append(out, chunk...)
		if len(out) == n {
			break
		}
	}
	return out
}

// rxBuffer holds stream bytes read from the kernel and not yet delivered:
// the data of a declined indication, or data read ahead while waiting for
// a pending receive or an event. It reads no more ahead once it holds limit
// bytes (the bytes of a cancelled WAITALL receive may put it past).
type rxBuffer struct {
	b     []byte
	r, w  int
	limit int
}

func (x *rxBuffer) len() int      { return x.w - x.r }
func (x *rxBuffer) data() []byte  { return x.b[x.r:x.w] }
func (x *rxBuffer) full() bool    { return x.len() >= x.limit }
func (x *rxBuffer) commit(n int)  { x.w += n }
func (x *rxBuffer) consume(n int) { x.r += n; x.reset() }

func (x *rxBuffer) reset() {
	if x.r == x.w {
		x.r, x.w = 0, 0
	}
}

// unread puts p back in front of the buffered bytes: they are delivered
// first. The buffer may then hold more than limit; it reads no more ahead
// until it is below it again.
func (x *rxBuffer) unread(p []byte) {
	if len(p) == 0 {
		return
	}
	if x.r >= len(p) {
		x.r -= len(p)
		copy(x.b[x.r:], p)
		return
	}
	nb := make([]byte, max(x.limit, len(p)+x.len()))
	w := copy(nb, p)
	w += copy(nb[w:], x.data())
	x.b, x.r, x.w = nb, 0, w
}

// space is the free tail, allocated on first use and compacted as needed.
func (x *rxBuffer) space() []byte {
	if x.b == nil {
		x.b = make([]byte, x.limit)
	}
	x.reset()
	if x.w == len(x.b) && x.r > 0 {
		x.w = copy(x.b, x.b[x.r:x.w])
		x.r = 0
	}
	return x.b[x.w:]
}
