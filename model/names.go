package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

// NameResult is what a name-resolution call returned: the addresses of
// WskGetAddressInfo's list, the names WskGetNameInfo wrote.
type NameResult struct {
	Addrs         []wsk.Sockaddr
	Host, Service string
}

// nodeKind is what the model knows of a NodeName (NAME-01, NAME-02).
type nodeKind uint8

const (
	nodeNull    nodeKind = iota
	nodeNumeric          // an IPv4 or IPv6 literal: resolves to itself
	nodeLocal            // localhost: loopback addresses
	nodeInvalid          // under .invalid (RFC 6761): never resolves
	nodeOther            // anything else: may or may not resolve
)

func classifyNode(node []byte) (nodeKind, netip.Addr) {
	if node == nil {
		return nodeNull, netip.Addr{}
	}
	name := strings.ToLower(string(node))
	if a, err := netip.ParseAddr(name); err == nil && a.Zone() == "" && !a.Is4In6() {
		return nodeNumeric, a
	}
	switch {
	case name == "localhost":
		return nodeLocal, netip.Addr{}
	case strings.HasSuffix(name, ".invalid") || name == "invalid":
		return nodeInvalid, netip.Addr{}
	}
	return nodeOther, netip.Addr{}
}

// servicePort reads a numeric ServiceName; ok is false for NULL or a name.
func servicePort(service []byte) (uint16, bool) {
	n, err := strconv.ParseUint(string(service), 10, 16)
	return uint16(n), service != nil && err == nil
}

// notFound is a name that does not resolve (NAME-02): any failure under
// documented, NOT_FOUND or Windows 7's NO_MATCH as observed, NOT_FOUND
// under bundled.
func notFound() failure {
	return failure{rule: mustRule("NAME-02"), bundled: wsk.StatusNotFound, windows: []wsk.NTSTATUS{wsk.StatusNotFound, wsk.StatusNoMatch}}
}

// noAddress is a query that must fail though no name went unresolved: a
// numeric host of another family than the hint's, a host name with
// AI_NUMERICHOST (NAME-02). Nothing observes the status Windows gives for
// either (the observation is of a DNS name that does not resolve), so
// documented and windows take any failure; bundled NOT_FOUND. (Wine 8.0
// completes the first with STATUS_UNSUCCESSFUL: an unmapped Winsock error.)
func noAddress() failure {
	return failure{rule: mustRule("NAME-02"), bundled: wsk.StatusNotFound}
}

func (s *State) expectName(c Call) ([]failure, Allowed) {
	errs := s.clientErrs(c)
	if c.Op == OpGetNameInfo {
		return s.expectNameInfo(c, errs)
	}
	kind, lit := classifyNode(c.Node)
	hintFamily := uint16(0)
	if c.Hints {
		hintFamily = c.Family
	}
	otherSpace := c.Value != wsk.NSAll && c.Value != wsk.NSDNS
	switch {
	case c.Node == nil && c.Service == nil:
		errs = append(errs, undef("NAME-02", wsk.StatusInvalidParameter))
	case hintFamily != wsk.AFUnspec && hintFamily != wsk.AFInet && hintFamily != wsk.AFInet6:
		errs = append(errs, undef("NAME-02", wsk.StatusInvalidParameter))
	case otherSpace:
		// Another name space's providers answer, or none: the model
		// cannot tell what resolves (any outcome, below).
	case kind == nodeInvalid:
		errs = append(errs, notFound())
	case kind == nodeNumeric && hintFamily != 0 && familyOf(lit) != hintFamily:
		errs = append(errs, noAddress())
	case kind != nodeNumeric && kind != nodeNull && c.Hints && c.Flags&wsk.AINumericHost != 0:
		errs = append(errs, noAddress())
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("NAME-01", InfoZero)
	_, numericService := servicePort(c.Service)
	if kind == nodeOther || otherSpace || c.Service != nil && !numericService {
		// A name the model cannot know, another name space, a service
		// name: resolved or not.
		a.AnyFailure = true
	}
	return nil, a
}

func familyOf(a netip.Addr) uint16 {
	if a.Is4() {
		return wsk.AFInet
	}
	return wsk.AFInet6
}

// expectNameInfo: NAME-04.
func (s *State) expectNameInfo(c Call, errs []failure) ([]failure, Allowed) {
	addr, aerr := addrErr(c.Local, 0)
	if aerr != nil {
		errs = append(errs, *aerr)
	}
	if c.OutLen == wsk.NameBufferNULL && c.Length == wsk.NameBufferNULL {
		errs = append(errs, undef("NAME-04", wsk.StatusInvalidParameter))
	}
	if aerr == nil && c.Flags&wsk.NINumericHost != 0 && c.OutLen != wsk.NameBufferNULL && c.OutLen < len(addr.Addr.Unmap().String()) {
		errs = append(errs, undef("NAME-04", wsk.StatusInvalidParameter))
	}
	if aerr == nil && c.Flags&wsk.NINumericServ != 0 && c.Length != wsk.NameBufferNULL && c.Length < len(strconv.Itoa(int(addr.Port))) {
		errs = append(errs, undef("NAME-04", wsk.StatusInvalidParameter))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("NAME-04", InfoZero)
	if !s.bundled() || c.Flags&wsk.NINameReqd != 0 || c.OutLen != wsk.NameBufferNULL && c.OutLen < wsk.NIMaxHost || c.Length != wsk.NameBufferNULL && c.Length < wsk.NIMaxServ {
		// A looked-up name, or a buffer that may be too small for one (or
		// for a terminating NUL): written or refused.
		a.AnyFailure = true
	}
	return nil, a
}

// nameDone judges what a successful name-resolution call returned.
func (s *State) nameDone(ev Event, c Call, comp Completion) *Violation {
	r := comp.Names
	if r == nil {
		r = &NameResult{}
	}
	if c.Op == OpGetNameInfo {
		return s.nameInfoDone(ev, c, r)
	}
	if len(r.Addrs) == 0 {
		return s.violate("NAME-01", ev, "succeeded with an empty list", "at least one address")
	}
	kind, lit := classifyNode(c.Node)
	port, numericService := servicePort(c.Service)
	// A NULL NodeName asks for the addresses of this machine's own end:
	// with AI_PASSIVE the unspecified address (for a bind), else loopback
	// (for a connect): GetAddrInfoW's and RFC 3493's AI_PASSIVE, whose
	// hints ADDRINFOEXW carries to WskGetAddressInfo.
	passive := c.Hints && c.Flags&wsk.AIPassive != 0
	for _, a := range r.Addrs {
		var bad string
		switch {
		case a.Family != wsk.AFInet && a.Family != wsk.AFInet6:
			bad = "an entry without a SOCKADDR of AF_INET or AF_INET6"
		case c.Hints && c.Family != wsk.AFUnspec && a.Family != c.Family:
			bad = "an address of another family than the hint's: " + a.String()
		case c.Service == nil && a.Port != 0 || numericService && a.Port != port:
			bad = "an address with another port than the service's: " + a.String()
		case kind == nodeNumeric && a.Addr.Unmap() != lit.Unmap():
			bad = "another address than the numeric host: " + a.String()
		case kind == nodeLocal && !a.Addr.IsLoopback():
			bad = "a localhost address that is not loopback: " + a.String()
		case kind == nodeNull && passive && !a.Addr.IsUnspecified():
			bad = "for a NULL NodeName with AI_PASSIVE an address that is not the unspecified one: " + a.String()
		case kind == nodeNull && !passive && !a.Addr.IsLoopback():
			bad = "for a NULL NodeName without AI_PASSIVE an address that is not loopback: " + a.String()
		}
		if bad != "" {
			return s.violate("NAME-01", ev, "returned "+bad, "the addresses of "+nameString(c.Node)+" with the service's port")
		}
	}
	s.AddrLists[c.IRP] = slices.Clone(r.Addrs)
	s.Cov.touch("NAME-01", Accepting)
	return nil
}

func (s *State) nameInfoDone(ev Event, c Call, r *NameResult) *Violation {
	addr, _ := wsk.DecodeSockaddr(c.Local)
	var bad string
	switch {
	case c.OutLen != wsk.NameBufferNULL && (len(r.Host) > c.OutLen || r.Host == ""):
		bad = fmt.Sprintf("host %q for a %d-character buffer", r.Host, c.OutLen)
	case c.Length != wsk.NameBufferNULL && (len(r.Service) > c.Length || r.Service == ""):
		bad = fmt.Sprintf("service %q for a %d-character buffer", r.Service, c.Length)
	case c.OutLen != wsk.NameBufferNULL && c.Flags&wsk.NINumericHost != 0 && r.Host != addr.Addr.Unmap().String():
		bad = fmt.Sprintf("host %q with NI_NUMERICHOST", r.Host)
	case c.Length != wsk.NameBufferNULL && c.Flags&wsk.NINumericServ != 0 && r.Service != strconv.Itoa(int(addr.Port)):
		bad = fmt.Sprintf("service %q with NI_NUMERICSERV", r.Service)
	}
	if bad != "" {
		return s.violate("NAME-04", ev, "wrote "+bad, "the names of "+addr.String()+", each within its buffer")
	}
	s.Cov.touch("NAME-04", Accepting)
	return nil
}

// stepFreeAddressInfo: NAME-03. The list must be as WskGetAddressInfo
// returned it until the client frees it (the harness reads it again just
// before the free, into Outcome.Names). The call returns nothing; a free of
// a list never returned or already freed is the client's error, after which
// the provider must still not crash (SAFE-01, judged by Step).
func (s *State) stepFreeAddressInfo(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	list, ok := s.AddrLists[c.Target]
	if !ok {
		s.Cov.touch("NAME-03", Rejecting)
		return nil
	}
	delete(s.AddrLists, c.Target)
	if o.Names != nil && !slices.Equal(o.Names.Addrs, list) {
		return s.violate("NAME-03", ev, fmt.Sprintf("the list held %v when it was freed", o.Names.Addrs), fmt.Sprintf("the list returned, %v, until it is freed", list))
	}
	s.Cov.touch("NAME-03", Accepting)
	return nil
}

// nameArgs prints a name-resolution call's arguments.
func nameArgs(c Call) []string {
	switch c.Op {
	case OpFreeAddressInfo:
		return []string{fmt.Sprintf("list of IRP#%d", c.Target)}
	case OpGetNameInfo:
		return []string{AddrString(c.Local), "node=" + bufferSize(c.OutLen), "service=" + bufferSize(c.Length), fmt.Sprintf("flags=0x%X", c.Flags)}
	}
	a := []string{"node=" + nameString(c.Node), "service=" + nameString(c.Service), fmt.Sprintf("namespace=%d", c.Value)}
	if c.Hints {
		a = append(a, fmt.Sprintf("hints={%s, type=%d, protocol=%d, flags=0x%X}", wsk.FamilyName(c.Family), c.Type, c.Protocol, c.Flags))
	} else {
		a = append(a, "hints=NULL")
	}
	return a
}

func nameString(b []byte) string {
	if b == nil {
		return "NULL"
	}
	return strconv.Quote(string(b))
}

func bufferSize(n int) string {
	if n == wsk.NameBufferNULL {
		return "NULL"
	}
	return fmt.Sprintf("%d chars", n)
}
