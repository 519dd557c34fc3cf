package wsk

// The client-level event (CEV-01, CEV-02): WSK_CLIENT_DISPATCH, which a
// client hands to WskRegister inside its WSK_CLIENT_NPI.

// ClientDispatch is WSK_CLIENT_DISPATCH: the WSK version the client wants,
// a reserved field that must be 0, and its WskClientEvent callback, nil
// (NULL) when the client does not implement it. No client-level event is
// defined today, so a client that implements WskClientEvent answers every
// call with STATUS_NOT_IMPLEMENTED (Microsoft's WskClientEvent page).
type ClientDispatch struct {
	Version  uint16
	Reserved uint16
	// WskClientEvent gets the ClientContext given to WskRegister, the
	// event, and its additional information (nil exactly when there is
	// none).
	WskClientEvent func(clientContext any, event uint32, information []byte) NTSTATUS
}
