package harness

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The value codecs of the script text format: each value prints as one
// token without spaces and reads back to the same value.

// names maps a few numeric fields to the names a driver engineer knows.
type names []struct {
	name string
	v    uint64
}

func (n names) format(v uint64, fallback func(uint64) string) string {
	for _, e := range n {
		if e.v == v {
			return e.name
		}
	}
	return fallback(v)
}

func (n names) parse(s string) (uint64, error) {
	for _, e := range n {
		if e.name == s {
			return e.v, nil
		}
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a number nor one of %s", s, n.list())
	}
	return v, nil
}

func (n names) list() string {
	var out []string
	for _, e := range n {
		out = append(out, e.name)
	}
	return strings.Join(out, ", ")
}

func decimal(v uint64) string { return strconv.FormatUint(v, 10) }
func hexa(v uint64) string    { return "0x" + strconv.FormatUint(v, 16) }

var (
	familyNames = names{{"AF_INET", uint64(wsk.AFInet)}, {"AF_INET6", uint64(wsk.AFInet6)}, {"AF_UNSPEC", uint64(wsk.AFUnspec)}}
	typeNames   = names{{"SOCK_STREAM", uint64(wsk.SockStream)}, {"SOCK_DGRAM", uint64(wsk.SockDgram)}, {"SOCK_RAW", uint64(wsk.SockRaw)}}
	// categoryNames are WskSocket's flags (SOCK-01).
	categoryNames = names{{"BASIC", uint64(wsk.FlagBasicSocket)}, {"LISTEN", uint64(wsk.FlagListenSocket)},
		{"CONNECTION", uint64(wsk.FlagConnectionSocket)}, {"DATAGRAM", uint64(wsk.FlagDatagramSocket)}, {"STREAM", uint64(wsk.FlagStreamSocket)}}
	kindNames = names{{"NULL", uint64(model.DispatchNone)}, {"LISTEN", uint64(model.DispatchListen)}, {"DATAGRAM", uint64(model.DispatchDatagram)},
		{"CONNECTION", uint64(model.DispatchConnection)}, {"STREAM", uint64(model.DispatchStream)}, {"FOREIGN", uint64(model.DispatchForeign)}}
	bufNames = names{{"ok", uint64(model.BufOK)}, {"overlong", uint64(model.BufOverlong)}, {"bad-offset", uint64(model.BufBadOffset)},
		{"nil-mdl", uint64(model.BufNilMdl)}, {"NULL", uint64(model.BufNull)}}
	// actionNames are WSK_INSPECT_ACTION values (inspect-answer, INSP-03).
	actionNames = names{{"reject", uint64(wsk.InspectReject)}, {"accept", uint64(wsk.InspectAccept)}, {"pend", uint64(wsk.InspectPend)}}
)

// formatEvents prints an event mask as RECEIVE|DISCONNECT ("none" when
// empty); bits without a name print in hex.
func formatEvents(mask uint32) string {
	var parts []string
	for bit := uint32(1); bit != 0; bit <<= 1 {
		if mask&bit == 0 {
			continue
		}
		if name := wsk.EventName(bit); name != "UNKNOWN_EVENT" {
			parts = append(parts, name)
		} else {
			parts = append(parts, hexa(uint64(bit)))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

func parseEvents(s string) (uint32, error) {
	if s == "none" {
		return 0, nil
	}
	var mask uint32
	for _, part := range strings.Split(s, "|") {
		found := false
		for bit := uint32(1); bit != 0 && bit <= wsk.EntryAbort; bit <<= 1 {
			if wsk.EventName(bit) == part {
				mask |= bit
				found = true
			}
		}
		if !found {
			v, err := strconv.ParseUint(part, 0, 32)
			if err != nil {
				return 0, fmt.Errorf("event %q: want SEND_BACKLOG, RECEIVE, DISCONNECT, RECEIVE_FROM, ACCEPT, INSPECT, ABORT or a number", part)
			}
			mask |= uint32(v)
		}
	}
	return mask, nil
}

// formatDispatch prints a client table as KIND:EVENTS, e.g.
// CONNECTION:RECEIVE|DISCONNECT; a NULL table prints as NULL.
func formatDispatch(d model.Dispatch) string {
	if d.Kind == model.DispatchNone && d.Entries == 0 {
		return "NULL"
	}
	return kindNames.format(uint64(d.Kind), decimal) + ":" + formatEvents(d.Entries)
}

func parseDispatch(s string) (model.Dispatch, error) {
	if s == "NULL" {
		return model.Dispatch{}, nil
	}
	kind, events, ok := strings.Cut(s, ":")
	if !ok {
		return model.Dispatch{}, fmt.Errorf("dispatch %q: want KIND:EVENTS (e.g. CONNECTION:RECEIVE|DISCONNECT) or NULL", s)
	}
	k, err := kindNames.parse(kind)
	if err != nil {
		return model.Dispatch{}, fmt.Errorf("dispatch kind: %w", err)
	}
	e, err := parseEvents(events)
	if err != nil {
		return model.Dispatch{}, err
	}
	return model.Dispatch{Kind: model.DispatchKind(k), Entries: e}, nil
}

// formatAddr prints a SOCKADDR: by role when the script knows one, as an
// address when the bytes are exactly its encoding, else as hex bytes.
func formatAddr(ref AddrRef, raw []byte) string {
	switch ref.Kind {
	case RefListener:
		return numbered("@listener", ref.N)
	case RefRefuser:
		return numbered("@refuser", ref.N)
	case RefUDP:
		return "@udp"
	case RefSocket:
		return fmt.Sprintf("@socket:%d", ref.N)
	case RefPort:
		return fmt.Sprintf("@port:%d:%s", ref.N, portRefAddr(ref.Addr))
	}
	if a, err := wsk.DecodeSockaddr(raw); err == nil && a.Addr.IsValid() {
		text := a.String()
		if back, err := parseAddr(text); err == nil && bytes.Equal(back, raw) {
			return text
		}
	}
	return "hex:" + hex.EncodeToString(raw)
}

func numbered(name string, n int) string {
	if n <= 1 {
		return name
	}
	return name + strconv.Itoa(n)
}

// parseRef reads a symbolic address; ok is false for a literal one.
func parseRef(s string) (AddrRef, bool, error) {
	if !strings.HasPrefix(s, "@") {
		return AddrRef{}, false, nil
	}
	if s == "@udp" {
		return AddrRef{Kind: RefUDP}, true, nil
	}
	if n, ok := strings.CutPrefix(s, "@socket:"); ok {
		id, err := strconv.Atoi(n)
		if err != nil || id < 1 {
			return AddrRef{}, true, fmt.Errorf("address %q: want @socket:N with N a socket number", s)
		}
		return AddrRef{Kind: RefSocket, N: id}, true, nil
	}
	if rest, ok := strings.CutPrefix(s, "@port:"); ok {
		return parsePortRef(s, rest)
	}
	for _, role := range []struct {
		prefix string
		kind   RefKind
	}{{"@listener", RefListener}, {"@refuser", RefRefuser}} {
		if rest, ok := strings.CutPrefix(s, role.prefix); ok {
			n := 1
			if rest != "" {
				var err error
				if n, err = strconv.Atoi(rest); err != nil || n < 1 {
					return AddrRef{}, true, fmt.Errorf("address %q: want %s or %sN", s, role.prefix, role.prefix)
				}
			}
			return AddrRef{Kind: role.kind, N: n}, true, nil
		}
	}
	return AddrRef{}, true, fmt.Errorf("address %q: want @listener[N], @refuser[N], @udp, @socket:N or @port:N:ADDR", s)
}

// parsePortRef reads the N:ADDR of @port:N:ADDR, ADDR an IPv4 address or
// an IPv6 one in brackets ([::]).
func parsePortRef(s, rest string) (AddrRef, bool, error) {
	bad := fmt.Errorf("address %q: want @port:N:ADDR with N a socket number and ADDR 0.0.0.0 or [::] (any address)", s)
	n, addr, ok := strings.Cut(rest, ":")
	id, err := strconv.Atoi(n)
	if !ok || err != nil || id < 1 {
		return AddrRef{}, true, bad
	}
	if inner, ok := strings.CutPrefix(addr, "["); ok {
		if addr, ok = strings.CutSuffix(inner, "]"); !ok {
			return AddrRef{}, true, bad
		}
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return AddrRef{}, true, bad
	}
	return AddrRef{Kind: RefPort, N: id, Addr: a}, true, nil
}

func portRefAddr(a netip.Addr) string {
	if a.Is6() {
		return "[" + a.String() + "]"
	}
	return a.String()
}

// parseAddr reads a literal address: 127.0.0.1:0, [::1]:80 or hex:0200...
func parseAddr(s string) ([]byte, error) {
	if h, ok := strings.CutPrefix(s, "hex:"); ok {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("address %q: bad hex: %w", s, err)
		}
		return b, nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return nil, fmt.Errorf("address %q: want IP:port, [IPv6]:port, hex:BYTES or @role", s)
	}
	return wsk.SockaddrFrom(ap).Encode(), nil
}

// formatData prints bytes as fill:N:START:STEP when they follow b[i] =
// START + i*STEP (the suite's payloads do), as repeat:N:HEX when they
// repeat a shorter run, else as hex.
func formatData(b []byte) string {
	if len(b) >= 8 {
		start, step := b[0], b[1]-b[0]
		if bytes.Equal(fill(len(b), start, step), b) {
			return fmt.Sprintf("fill:%d:%d:%d", len(b), start, step)
		}
		if p := period(b); p*2 <= len(b) {
			return fmt.Sprintf("repeat:%d:%s", len(b), hex.EncodeToString(b[:p]))
		}
	}
	return "hex:" + hex.EncodeToString(b)
}

// period is the length of the shortest run whose repetition makes b.
func period(b []byte) int {
	for p := 1; p*2 <= len(b); p++ {
		if bytes.Equal(b[p:], b[:len(b)-p]) {
			return p
		}
	}
	return len(b)
}

func repeat(n int, unit []byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = unit[i%len(unit)]
	}
	return b
}

func fill(n int, start, step byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)*step
	}
	return b
}

// maxData bounds what one data token may ask for: more than any WSK call
// of the suite sends, little enough that a typo cannot exhaust memory.
const maxData = 16 << 20

func parseData(s string) ([]byte, error) {
	if h, ok := strings.CutPrefix(s, "hex:"); ok {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("data %q: bad hex: %w", s, err)
		}
		return b, nil
	}
	if f, ok := strings.CutPrefix(s, "fill:"); ok {
		var n int
		var start, step byte
		if _, err := fmt.Sscanf(strings.ReplaceAll(f, ":", " "), "%d %d %d", &n, &start, &step); err != nil || n < 0 || n > maxData {
			return nil, fmt.Errorf("data %q: want fill:LENGTH:START:STEP (LENGTH up to %d)", s, maxData)
		}
		return fill(n, start, step), nil
	}
	if r, ok := strings.CutPrefix(s, "repeat:"); ok {
		n, unit, _ := strings.Cut(r, ":")
		length, err := strconv.Atoi(n)
		b, herr := hex.DecodeString(unit)
		if err != nil || herr != nil || length < 0 || length > maxData || len(b) == 0 {
			return nil, fmt.Errorf("data %q: want repeat:LENGTH:HEX (LENGTH up to %d)", s, maxData)
		}
		return repeat(length, b), nil
	}
	return nil, fmt.Errorf("data %q: want hex:BYTES, fill:LENGTH:START:STEP or repeat:LENGTH:HEX", s)
}
