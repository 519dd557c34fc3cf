package model

import "maps"

// indicationRules: data indications a client keeps (issue 15). Before
// them the model took every indication as consumed when its callback
// returned; a callback that returns STATUS_PENDING keeps the list, and the
// provider owes it intact until WskRelease.
var indicationRules = []Rule{
	{"IND-01", Must, Doc, "A WskReceiveEvent or WskReceiveFromEvent callback that returns STATUS_PENDING keeps the indication list: its data counts as received, in order, and the provider leaves the buffers the list describes unchanged until the client hands the list back with WskRelease.", ""},
	{"IND-02", Undef, Doc, "WskRelease of a list the client kept returns STATUS_SUCCESS. Releasing a list it never kept, or releasing one twice, is undefined (the documented failure is STATUS_INVALID_PARAMETER); closing a socket does not release its kept lists, which the client must release first.", "a list never kept or already released: STATUS_INVALID_PARAMETER; on a closed socket: STATUS_INVALID_HANDLE"},
}

var indicationFidelity = map[string]Fidelity{
	"IND-01": {Must, Must, "WskReceiveEvent; WskReceiveFromEvent (return STATUS_PENDING to retain the WSK_DATA_INDICATION / WSK_DATAGRAM_INDICATION list; WSK_FLAG_RELEASE_ASAP); WskRelease", ""},
	"IND-02": {Undef, Undef, "WskRelease (connection-oriented and datagram sockets: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER; closing the socket does not release retained lists)", ""},
}

func init() { maps.Copy(fidelity, indicationFidelity) }
