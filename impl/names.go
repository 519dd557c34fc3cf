package impl

import (
	"bufio"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

var _ wsk.NameDispatch = (*Dispatch)(nil)

// hostsFile is where names other than localhost and numeric hosts are
// looked up; the bundled provider never asks the network (NAME-01).
var hostsFile = "/etc/hosts"

// maxHostsBytes bounds how much of the hosts file is read, so a lookup is
// bounded in time whatever the file holds.
const maxHostsBytes = 1 << 16

// WskGetAddressInfo resolves a node and/or service name (NAME-01, NAME-02)
// and completes at once. Checks, in order: NULL IRP (STATUS_INVALID_PARAMETER,
// nothing completed), NULL or released client (IRP-06, REG-03), both names
// NULL or a hint family other than AF_UNSPEC, AF_INET and AF_INET6
// (STATUS_INVALID_PARAMETER), a name space other than NS_ALL and NS_DNS
// (STATUS_INVALID_PARAMETER). Node: NULL is the loopback address (the
// unspecified one with AI_PASSIVE), a numeric host itself, localhost
// 127.0.0.1 and ::1, any other name its /etc/hosts entries (AI_NUMERICHOST:
// none); nothing found is STATUS_NOT_FOUND. Service: NULL is port 0, a
// number that port, a name STATUS_NOT_FOUND (no services file is read).
func (d *Dispatch) WskGetAddressInfo(client *wsk.Client, node, service *string, nameSpace uint32, hints *wsk.AddrInfo,
	result **wsk.AddrInfo, process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	return d.nameCall(client, irp, "WskGetAddressInfo", func(c *call) wsk.NTSTATUS {
		return getAddressInfo(c, node, service, nameSpace, hints, result)
	})
}

func getAddressInfo(c *call, node, service *string, nameSpace uint32, hints *wsk.AddrInfo, result **wsk.AddrInfo) wsk.NTSTATUS {
	var h wsk.AddrInfo
	if hints != nil {
		h = *hints
	}
	switch {
	case node == nil && service == nil, h.Family != wsk.AFUnspec && h.Family != wsk.AFInet && h.Family != wsk.AFInet6,
		nameSpace != wsk.NSAll && nameSpace != wsk.NSDNS, result == nil:
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	port, ok := uint16(0), true
	if service != nil {
		var n uint64
		n, err := strconv.ParseUint(*service, 10, 16)
		port, ok = uint16(n), err == nil
	}
	addrs := resolveNode(node, h.Flags)
	var list, last *wsk.AddrInfo
	for _, a := range addrs {
		if !ok || h.Family != wsk.AFUnspec && familyOfAddr(a) != h.Family {
			continue
		}
		e := &wsk.AddrInfo{Family: familyOfAddr(a), SockType: h.SockType, Protocol: h.Protocol,
			Addr: wsk.SockaddrFrom(netip.AddrPortFrom(a, port)).Encode()}
		if list == nil {
			list = e
		} else {
			last.Next = e
		}
		last = e
	}
	if list == nil {
		return c.finish(wsk.StatusNotFound, 0)
	}
	*result = list
	return c.finish(wsk.StatusSuccess, 0)
}

// WskFreeAddressInfo frees a list WskGetAddressInfo returned (NAME-03). The
// lists are Go memory the collector frees once the client drops them, so
// there is nothing to release: a list freed twice, or never returned, is
// ignored.
func (d *Dispatch) WskFreeAddressInfo(client *wsk.Client, info *wsk.AddrInfo) {}

// WskGetNameInfo writes a SOCKADDR's host and service names (NAME-04) and
// completes at once. Checks, in order: NULL IRP, NULL or released client,
// a bad SOCKADDR (ADDR-01: NULL STATUS_INVALID_PARAMETER, malformed
// STATUS_INVALID_ADDRESS), both buffers NULL (STATUS_INVALID_PARAMETER).
// Host: numeric with NI_NUMERICHOST; otherwise localhost for a loopback
// address, the first /etc/hosts name of the address, or, without
// NI_NAMEREQD, the numeric address (with it: STATUS_NOT_FOUND). Service:
// the port in decimal. A name longer than its buffer is
// STATUS_INVALID_PARAMETER.
func (d *Dispatch) WskGetNameInfo(client *wsk.Client, addr []byte, node, service *wsk.NameBuffer, flags uint32,
	process wsk.Process, thread wsk.Thread, irp *wsk.IRP) wsk.NTSTATUS {
	return d.nameCall(client, irp, "WskGetNameInfo", func(c *call) wsk.NTSTATUS {
		return getNameInfo(c, addr, node, service, flags)
	})
}

// nameCall runs a name-resolution call: a NULL IRP is STATUS_INVALID_PARAMETER
// with nothing completed, a NULL or released client IRP-06 or REG-03; a
// panic of the body fails the call (SAFE-01).
func (d *Dispatch) nameCall(client *wsk.Client, irp *wsk.IRP, where string, body func(c *call) wsk.NTSTATUS) (st wsk.NTSTATUS) {
	p := d.p
	c := call{p: p, irp: irp}
	defer p.guard(&c, &st, where)
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	r, st := p.clientEnter(client)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	defer p.clientExit(r)
	return body(&c)
}

func getNameInfo(c *call, addr []byte, node, service *wsk.NameBuffer, flags uint32) wsk.NTSTATUS {
	if addr == nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	sa, err := wsk.DecodeSockaddr(addr)
	if err != nil || !sa.Addr.IsValid() {
		return c.finish(wsk.StatusInvalidAddress, 0)
	}
	if node == nil && service == nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	ip := sa.Addr.Unmap()
	host := ip.String()
	if flags&wsk.NINumericHost == 0 {
		switch name := hostName(ip); {
		case name != "":
			host = name
		case flags&wsk.NINameReqd != 0:
			return c.finish(wsk.StatusNotFound, 0)
		}
	}
	serv := strconv.Itoa(int(sa.Port))
	if node != nil && len(host) > node.Max || service != nil && len(serv) > service.Max {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if node != nil {
		node.Value = host
	}
	if service != nil {
		service.Value = serv
	}
	return c.finish(wsk.StatusSuccess, 0)
}

func familyOfAddr(a netip.Addr) uint16 {
	if a.Is4() {
		return wsk.AFInet
	}
	return wsk.AFInet6
}

// resolveNode is the addresses of a node name, without the network.
func resolveNode(node *string, flags uint32) []netip.Addr {
	if node == nil {
		if flags&wsk.AIPassive != 0 {
			return []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
		}
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}
	}
	name := strings.ToLower(*node)
	if a, err := netip.ParseAddr(name); err == nil && a.Zone() == "" {
		return []netip.Addr{a.Unmap()}
	}
	switch {
	case flags&wsk.AINumericHost != 0, name == "invalid", strings.HasSuffix(name, ".invalid"):
		return nil
	case name == "localhost":
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}
	}
	var out []netip.Addr
	readHosts(func(a netip.Addr, names []string) {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				out = append(out, a)
				return
			}
		}
	})
	return out
}

// hostName is the name of an address: localhost for loopback, else the
// first /etc/hosts name, else "".
func hostName(ip netip.Addr) string {
	if ip.IsLoopback() {
		return "localhost"
	}
	var name string
	readHosts(func(a netip.Addr, names []string) {
		if name == "" && a == ip {
			name = names[0]
		}
	})
	return name
}

// readHosts calls each for every entry of the hosts file, reading at most
// maxHostsBytes of it; a file that cannot be read has no entries.
func readHosts(each func(netip.Addr, []string)) {
	f, err := os.Open(hostsFile)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, maxHostsBytes))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		if a, err := netip.ParseAddr(fields[0]); err == nil && a.Zone() == "" {
			each(a.Unmap(), fields[1:])
		}
	}
}
