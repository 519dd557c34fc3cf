package model

import "github.com/wskverify/wskverify/wsk"

func gai(node, service string, hints bool, family uint16) Call {
	c := Call{Op: OpGetAddressInfo, Hints: hints, Family: family}
	if node != "-" {
		c.Node = []byte(node)
	}
	if service != "-" {
		c.Service = []byte(service)
	}
	return c
}

// resolved is a success whose list holds addrs.
func resolved(addrs ...string) Outcome {
	o := ok()
	o.Names = &NameResult{}
	for _, a := range addrs {
		o.Names.Addrs = append(o.Names.Addrs, sa(a))
	}
	return o
}

func gni(addr string, host, service int, flags uint32) Call {
	return Call{Op: OpGetNameInfo, Local: raw(addr), OutLen: host, Length: service, Flags: flags}
}

func named(host, service string) Outcome {
	o := ok()
	o.Names = &NameResult{Host: host, Service: service}
	return o
}

func nameCases() []ruleCase {
	const numeric = wsk.NINumericHost | wsk.NINumericServ
	cs := []ruleCase{
		{"NAME-01", "127.0.0.1 port 12345 (Windows: PENDING, then SUCCESS)", both, scenario(func(w *world) {
			irp := w.call(gai("127.0.0.1", "12345", false, 0), pend())
			w.completion(Completion{IRP: irp, Count: 1, Status: wsk.StatusSuccess, Names: &NameResult{Addrs: []wsk.Sockaddr{sa("127.0.0.1:12345")}}})
		}), ""},
		{"NAME-01", "localhost with both loopback addresses", both, scenario(func(w *world) {
			w.call(gai("localhost", "80", false, 0), resolved("127.0.0.1:80", "[::1]:80"))
		}), ""},
		{"NAME-01", "a numeric host resolved to another address", both, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.2:80"))
		}), "NAME-01"},
		{"NAME-01", "the service's port not in the address", both, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.1:81"))
		}), "NAME-01"},
		{"NAME-01", "an IPv6 address for an AF_INET hint", both, scenario(func(w *world) {
			w.call(gai("localhost", "80", true, wsk.AFInet), resolved("[::1]:80"))
		}), "NAME-01"},
		{"NAME-01", "a NULL NodeName: loopback addresses", both, scenario(func(w *world) {
			w.call(gai("-", "80", false, 0), resolved("127.0.0.1:80", "[::1]:80"))
		}), ""},
		{"NAME-01", "a NULL NodeName without AI_PASSIVE: the unspecified address", both, scenario(func(w *world) {
			w.call(gai("-", "80", false, 0), resolved("0.0.0.0:80"))
		}), "NAME-01"},
		{"NAME-01", "a NULL NodeName with AI_PASSIVE: the unspecified addresses", both, scenario(func(w *world) {
			c := gai("-", "80", true, wsk.AFUnspec)
			c.Flags = wsk.AIPassive
			w.call(c, resolved("0.0.0.0:80", "[::]:80"))
		}), ""},
		{"NAME-01", "a NULL NodeName with AI_PASSIVE: loopback", both, scenario(func(w *world) {
			c := gai("-", "80", true, wsk.AFUnspec)
			c.Flags = wsk.AIPassive
			w.call(c, resolved("127.0.0.1:80"))
		}), "NAME-01"},
		{"NAME-01", "success with an empty list", both, scenario(func(w *world) {
			w.call(gai("::1", "-", false, 0), resolved())
		}), "NAME-01"},
		{"NAME-01", "a numeric host that fails", both, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", false, 0), done(wsk.StatusNotFound))
		}), "NAME-01"},
		{"NAME-01", "Information 7 on success", seenOnWindows, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", false, 0), info(resolved("127.0.0.1:80"), 7))
		}), "IRP-05"},
		{"NAME-01", "a NULL IRP", both, scenario(func(w *world) {
			c := gai("127.0.0.1", "80", false, 0)
			c.IRP = nullIRP
			w.call(c, bare(wsk.StatusInvalidParameter))
		}), ""},

		{"NAME-02", "dead.beef.invalid: NOT_FOUND (observed), through PENDING", notBundled, scenario(func(w *world) {
			w.complete(w.call(gai("dead.beef.invalid", "12345", false, 0), pend()), wsk.StatusNotFound, 0)
		}), ""},
		{"NAME-02", "dead.beef.invalid: NOT_FOUND at once", both, scenario(func(w *world) {
			w.call(gai("dead.beef.invalid", "12345", false, 0), done(wsk.StatusNotFound))
		}), ""},
		{"NAME-02", "dead.beef.invalid: Windows 7's NO_MATCH", notBundled, scenario(func(w *world) {
			w.call(gai("dead.beef.invalid", "12345", false, 0), done(wsk.StatusNoMatch))
		}), ""},
		{"NAME-02", "dead.beef.invalid: another failure", Documented, scenario(func(w *world) {
			w.call(gai("dead.beef.invalid", "12345", false, 0), done(otherFailure))
		}), ""},
		{"NAME-02", "dead.beef.invalid: another failure", seenOnWindows, scenario(func(w *world) {
			w.call(gai("dead.beef.invalid", "12345", false, 0), done(otherFailure))
		}), "NAME-02"},
		{"NAME-02", "dead.beef.invalid resolved", both, scenario(func(w *world) {
			w.call(gai("dead.beef.invalid", "12345", false, 0), resolved("127.0.0.1:12345"))
		}), "NAME-02"},
		{"NAME-02", "127.0.0.1 for an AF_INET6 hint: another failure (Wine 8.0: UNSUCCESSFUL; nothing observed on Windows)", notBundled, scenario(func(w *world) {
			w.complete(w.call(gai("127.0.0.1", "80", true, wsk.AFInet6), pend()), otherFailure, 0)
		}), ""},
		{"NAME-02", "127.0.0.1 for an AF_INET6 hint: another failure", Bundled, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", true, wsk.AFInet6), done(otherFailure))
		}), "NAME-02"},
		{"NAME-02", "127.0.0.1 for an AF_INET6 hint resolved", both, scenario(func(w *world) {
			w.call(gai("127.0.0.1", "80", true, wsk.AFInet6), resolved("127.0.0.1:80"))
		}), "NAME-02"},
		{"NAME-02", "a host name some provider may resolve", both, scenario(func(w *world) {
			w.call(gai("example.test", "80", false, 0), done(wsk.StatusNotFound))
		}), ""},
	}
	cs = append(cs, undefCases("NAME-02", "NodeName and ServiceName NULL", func(w *world) Call { return gai("-", "-", false, 0) }, wsk.StatusInvalidParameter)...)
	cs = append(cs, undefCases("NAME-02", "hint family 99", func(w *world) Call { return gai("127.0.0.1", "80", true, 99) }, wsk.StatusInvalidParameter)...)

	cs = append(cs, []ruleCase{
		{"NAME-03", "a list freed once", both, scenario(func(w *world) {
			irp := w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.1:80"))
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{Names: &NameResult{Addrs: []wsk.Sockaddr{sa("127.0.0.1:80")}}})
		}), ""},
		{"NAME-03", "a list freed twice, the provider survives", both, scenario(func(w *world) {
			irp := w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.1:80"))
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{})
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{})
		}), ""},
		{"NAME-03", "a list changed before the client freed it", both, scenario(func(w *world) {
			irp := w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.1:80"))
			w.call(gai("::1", "81", false, 0), resolved("[::1]:81"))
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{Names: &NameResult{Addrs: []wsk.Sockaddr{sa("[::1]:81")}}})
		}), "NAME-03"},
		{"NAME-03", "a list freed twice, the provider panics", both, scenario(func(w *world) {
			irp := w.call(gai("127.0.0.1", "80", false, 0), resolved("127.0.0.1:80"))
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{})
			w.call(Call{Op: OpFreeAddressInfo, Target: irp}, Outcome{Panic: "double free"})
		}), "SAFE-01"},

		{"NAME-04", "127.0.0.1:80 numeric", both, scenario(func(w *world) {
			w.call(gni("127.0.0.1:80", 64, 32, numeric), named("127.0.0.1", "80"))
		}), ""},
		{"NAME-04", "::1 with a looked-up host name", both, scenario(func(w *world) {
			w.call(gni("[::1]:443", wsk.NIMaxHost, wsk.NIMaxServ, 0), named("localhost", "https"))
		}), ""},
		{"NAME-04", "a numeric host that is not the address", both, scenario(func(w *world) {
			w.call(gni("127.0.0.1:80", 64, 32, numeric), named("127.0.0.2", "80"))
		}), "NAME-04"},
		{"NAME-04", "a host longer than its buffer", both, scenario(func(w *world) {
			w.call(gni("127.0.0.1:80", 12, 32, 0), named("a-very-long-host-name", "80"))
		}), "NAME-04"},
		{"NAME-04", "a looked-up name that fails", notBundled, scenario(func(w *world) {
			w.call(gni("127.0.0.1:80", wsk.NIMaxHost, wsk.NIMaxServ, wsk.NINameReqd), done(wsk.StatusNotFound))
		}), ""},
		{"NAME-04", "a numeric name that fails", Bundled, scenario(func(w *world) {
			w.call(gni("127.0.0.1:80", wsk.NIMaxHost, wsk.NIMaxServ, numeric), done(wsk.StatusNotFound))
		}), "NAME-04"},
	}...)
	cs = append(cs, undefCases("NAME-04", "both buffers NULL", func(w *world) Call {
		return gni("127.0.0.1:80", wsk.NameBufferNULL, wsk.NameBufferNULL, 0)
	}, wsk.StatusInvalidParameter)...)
	cs = append(cs, undefCases("NAME-04", "a numeric host into 4 characters", func(w *world) Call {
		return gni("127.0.0.1:80", 4, 32, numeric)
	}, wsk.StatusInvalidParameter)...)
	return cs
}
