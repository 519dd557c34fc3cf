package wire

// The name-resolution calls of WSK_PROVIDER_DISPATCH (section 5.1,
// ops 4 to 6): their arguments in a CALL and their results in IRP_DONE's
// output.

// NameArgs are the arguments only the name-resolution calls have.
type NameArgs struct {
	// Node and Service are WskGetAddressInfo's names as UTF-8; nil is NULL.
	Node, Service []byte
	// Hints says the hints are not NULL: their family, socket type,
	// protocol and flags travel in Call.Family, Type, Protocol and Flags;
	// the name space in Call.Code.
	Hints bool
	// HostSize and ServiceSize are WskGetNameInfo's buffer sizes in
	// characters; -1 is a NULL UNICODE_STRING. The SOCKADDR travels in
	// Call.Local, the flags in Call.Flags.
	HostSize, ServiceSize int32
	// List names the list WskFreeAddressInfo frees: the IRP id of the
	// WskGetAddressInfo that returned it.
	List uint32
}

// MaxName bounds a name in a CALL.
const MaxName = 1024

func (e *Encoder) name(b []byte) {
	e.Bool(b != nil)
	e.Blob(b)
}

func (d *Decoder) name(field string) []byte {
	null := !d.Bool(field)
	b := d.Blob(MaxName, field)
	if null {
		return nil
	}
	return b
}

func (e *Encoder) nameArgs(c *Call) {
	switch c.Op {
	case OpGetAddressInfo:
		e.name(c.Names.Node)
		e.name(c.Names.Service)
		e.U32(c.Code)
		e.Bool(c.Names.Hints)
		e.U16(c.Family)
		e.U16(c.Type)
		e.U32(c.Protocol)
		e.U32(c.Flags)
		e.U8(c.Process)
	case OpFreeAddressInfo:
		e.U32(c.Names.List)
	case OpGetNameInfo:
		e.SA(c.Local)
		e.U32(uint32(c.Names.HostSize))
		e.U32(uint32(c.Names.ServiceSize))
		e.U32(c.Flags)
		e.U8(c.Process)
	}
}

func (d *Decoder) nameArgs(c *Call) {
	switch c.Op {
	case OpGetAddressInfo:
		c.Names.Node, c.Names.Service = d.name("node"), d.name("service")
		c.Code, c.Names.Hints = d.U32("name_space"), d.Bool("hints")
		c.Family, c.Type = d.U16("hint_family"), d.U16("hint_type")
		c.Protocol, c.Flags, c.Process = d.U32("hint_protocol"), d.U32("hint_flags"), d.U8("process")
	case OpFreeAddressInfo:
		c.Names.List = d.U32("list")
	case OpGetNameInfo:
		c.Local = d.SA("sockaddr")
		c.Names.HostSize, c.Names.ServiceSize = int32(d.U32("host_size")), int32(d.U32("service_size"))
		c.Flags, c.Process = d.U32("flags"), d.U8("process")
	}
}

// EncodeAddrList is WskGetAddressInfo's result in IRP_DONE's output: a u16
// count, then each entry's family, socket type, protocol, flags and
// SOCKADDR.
func EncodeAddrList(entries []AddrEntry) []byte {
	var e Encoder
	e.U16(uint16(len(entries)))
	for _, a := range entries {
		e.U16(a.Family)
		e.U16(a.SockType)
		e.U32(a.Protocol)
		e.U32(a.Flags)
		e.SA(a.Addr)
	}
	return e.Bytes()
}

// AddrEntry is one ADDRINFOEXW entry on the wire.
type AddrEntry struct {
	Family, SockType uint16
	Protocol, Flags  uint32
	Addr             []byte
}

// DecodeAddrList reads EncodeAddrList's bytes.
func DecodeAddrList(b []byte) ([]AddrEntry, error) {
	d := NewDecoder(Frame{Type: TIRPDone, Body: b})
	n := int(d.U16("count"))
	var out []AddrEntry
	for i := 0; i < n && d.Err() == nil; i++ {
		a := AddrEntry{Family: d.U16("family"), SockType: d.U16("socktype"), Protocol: d.U32("protocol"), Flags: d.U32("ai_flags")}
		a.Addr = d.SA("addr")
		out = append(out, a)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return out, nil
}

// EncodeNames is WskGetNameInfo's result in IRP_DONE's output: the host
// and service names as TEXT.
func EncodeNames(host, service string) []byte {
	var e Encoder
	e.Text(host)
	e.Text(service)
	return e.Bytes()
}

// DecodeNames reads EncodeNames' bytes.
func DecodeNames(b []byte) (host, service string, err error) {
	d := NewDecoder(Frame{Type: TIRPDone, Body: b})
	host, service = d.Text("host"), d.Text("service")
	return host, service, d.Finish()
}
