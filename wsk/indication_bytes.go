package wsk

// Described is every byte a WSK_DATA_INDICATION list describes, entry by
// entry in order (what a client that kept the list reads: IND-01); an entry
// whose Buffer does not hold its Length gives what it holds.
func (d *DataIndication) Described() []byte {
	var out []byte
	for ; d != nil; d = d.Next {
		b, _ := d.Buffer.Bytes()
		out = append(out, b...)
	}
	return out
}

// Described is every byte a WSK_DATAGRAM_INDICATION list describes, the
// datagrams one after another in order.
func (d *DatagramIndication) Described() []byte {
	var out []byte
	for ; d != nil; d = d.Next {
		b, _ := d.Buffer.Bytes()
		out = append(out, b...)
	}
	return out
}
