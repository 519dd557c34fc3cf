package wsk_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// specStatuses is SPEC section 0's NTSTATUS list, transcribed by hand, in the
// order the SPEC gives it: name, the package's constant and the SPEC value.
var specStatuses = []struct {
	name  string
	code  wsk.NTSTATUS
	value uint32
}{
	{"STATUS_SUCCESS", wsk.StatusSuccess, 0x0},
	{"STATUS_PENDING", wsk.StatusPending, 0x103},
	{"STATUS_EVENT_PENDING", wsk.StatusEventPending, 0x40000013},
	{"STATUS_BUFFER_OVERFLOW", wsk.StatusBufferOverflow, 0x80000005},
	{"STATUS_NOT_IMPLEMENTED", wsk.StatusNotImplemented, 0xC0000002},
	{"STATUS_INVALID_HANDLE", wsk.StatusInvalidHandle, 0xC0000008},
	{"STATUS_INVALID_PARAMETER", wsk.StatusInvalidParameter, 0xC000000D},
	{"STATUS_INVALID_DEVICE_REQUEST", wsk.StatusInvalidDeviceRequest, 0xC0000010},
	{"STATUS_MORE_PROCESSING_REQUIRED", wsk.StatusMoreProcessingRequired, 0xC0000016},
	{"STATUS_ACCESS_DENIED", wsk.StatusAccessDenied, 0xC0000022},
	{"STATUS_INSUFFICIENT_RESOURCES", wsk.StatusInsufficientResources, 0xC000009A},
	{"STATUS_DEVICE_NOT_READY", wsk.StatusDeviceNotReady, 0xC00000A3},
	{"STATUS_IO_TIMEOUT", wsk.StatusIoTimeout, 0xC00000B5},
	{"STATUS_FILE_FORCED_CLOSED", wsk.StatusFileForcedClosed, 0xC00000B6},
	{"STATUS_NOT_SUPPORTED", wsk.StatusNotSupported, 0xC00000BB},
	{"STATUS_REQUEST_NOT_ACCEPTED", wsk.StatusRequestNotAccepted, 0xC00000D0},
	{"STATUS_CANCELLED", wsk.StatusCancelled, 0xC0000120},
	{"STATUS_INVALID_ADDRESS", wsk.StatusInvalidAddress, 0xC0000141},
	{"STATUS_INVALID_DEVICE_STATE", wsk.StatusInvalidDeviceState, 0xC0000184},
	{"STATUS_ADDRESS_ALREADY_EXISTS", wsk.StatusAddressAlreadyExists, 0xC000020A},
	{"STATUS_CONNECTION_DISCONNECTED", wsk.StatusConnectionDisconnected, 0xC000020C},
	{"STATUS_CONNECTION_RESET", wsk.StatusConnectionReset, 0xC000020D},
	{"STATUS_DATA_NOT_ACCEPTED", wsk.StatusDataNotAccepted, 0xC000021B},
	{"STATUS_NOT_FOUND", wsk.StatusNotFound, 0xC0000225},
	{"STATUS_CONNECTION_REFUSED", wsk.StatusConnectionRefused, 0xC0000236},
	{"STATUS_GRACEFUL_DISCONNECT", wsk.StatusGracefulDisconnect, 0xC0000237},
	{"STATUS_ADDRESS_ALREADY_ASSOCIATED", wsk.StatusAddressAlreadyAssociated, 0xC0000238},
	{"STATUS_CONNECTION_ACTIVE", wsk.StatusConnectionActive, 0xC000023B},
	{"STATUS_NETWORK_UNREACHABLE", wsk.StatusNetworkUnreachable, 0xC000023C},
	{"STATUS_HOST_UNREACHABLE", wsk.StatusHostUnreachable, 0xC000023D},
	{"STATUS_PROTOCOL_UNREACHABLE", wsk.StatusProtocolUnreachable, 0xC000023E},
	{"STATUS_CONNECTION_ABORTED", wsk.StatusConnectionAborted, 0xC0000241},
	{"STATUS_TOO_MANY_OPENED_FILES", wsk.StatusTooManyOpenedFiles, 0xC000011F},
	{"STATUS_NOINTERFACE", wsk.StatusNoInterface, 0xC00002B9},
}

func TestSpecStatusesPresent(t *testing.T) {
	for _, tc := range specStatuses {
		t.Run(tc.name, func(t *testing.T) {
			eq(t, "constant value", uint32(tc.code), tc.value)
			eq(t, "Name()", wsk.NTSTATUS(tc.value).Name(), tc.name)
			got, err := wsk.ParseStatus(tc.name)
			if err != nil {
				t.Fatalf("ParseStatus(%q): %v", tc.name, err)
			}
			eq(t, "ParseStatus(name)", uint32(got), tc.value)
		})
	}
}

// The package names exactly the SPEC's statuses: none missing, none extra.
func TestKnownStatusesMatchSpec(t *testing.T) {
	var want []wsk.NTSTATUS
	for _, tc := range specStatuses {
		want = append(want, wsk.NTSTATUS(tc.value))
	}
	slices.Sort(want)
	got := wsk.KnownStatuses()
	if !slices.Equal(got, want) {
		t.Errorf("KnownStatuses() = %v\nwant (SPEC section 0) %v", got, want)
	}
}

func TestKnownStatusesNamedSortedUnique(t *testing.T) {
	known := wsk.KnownStatuses()
	if len(known) == 0 {
		t.Fatal("KnownStatuses() is empty")
	}
	if !slices.IsSorted(known) {
		t.Errorf("KnownStatuses() not sorted: %v", known)
	}
	names := map[string]wsk.NTSTATUS{}
	for i, s := range known {
		if i > 0 && known[i-1] == s {
			t.Errorf("duplicate status %v", s)
		}
		n := s.Name()
		if !strings.HasPrefix(n, "STATUS_") {
			t.Errorf("status 0x%08X has name %q, want STATUS_...", uint32(s), n)
		}
		if prev, dup := names[n]; dup {
			t.Errorf("name %q used by 0x%08X and 0x%08X", n, uint32(prev), uint32(s))
		}
		names[n] = s
	}
	// The slice is the caller's: changing it does not change the package.
	known[0] = 0xDEADBEEF
	if wsk.KnownStatuses()[0] == 0xDEADBEEF {
		t.Error("KnownStatuses() returns shared storage")
	}
}

func TestStatusString(t *testing.T) {
	tests := []struct {
		s    wsk.NTSTATUS
		want string
	}{
		{wsk.StatusInvalidParameter, "STATUS_INVALID_PARAMETER (0xC000000D)"},
		{wsk.StatusSuccess, "STATUS_SUCCESS (0x00000000)"},
		{wsk.StatusPending, "STATUS_PENDING (0x00000103)"},
		{wsk.StatusEventPending, "STATUS_EVENT_PENDING (0x40000013)"},
		{wsk.StatusBufferOverflow, "STATUS_BUFFER_OVERFLOW (0x80000005)"},
		{wsk.StatusNoInterface, "STATUS_NOINTERFACE (0xC00002B9)"},
		// Unnamed codes: hex and class.
		{0x00000001, "NTSTATUS(0x00000001, success)"},
		{0x40000000, "NTSTATUS(0x40000000, informational)"},
		{0x80000001, "NTSTATUS(0x80000001, warning)"},
		{0xC0000001, "NTSTATUS(0xC0000001, error)"}, // STATUS_UNSUCCESSFUL is not catalogued
		{0xFFFFFFFF, "NTSTATUS(0xFFFFFFFF, error)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			eq(t, "String()", tc.s.String(), tc.want)
			eq(t, "fmt %v", fmt.Sprintf("%v", tc.s), tc.want)
		})
	}
}

func TestStatusNameUnnamed(t *testing.T) {
	for _, s := range []wsk.NTSTATUS{1, 0x104, 0x40000000, 0x80000000, 0xC0000001, 0xFFFFFFFF} {
		eq(t, fmt.Sprintf("NTSTATUS(0x%08X).Name()", uint32(s)), s.Name(), "")
	}
}

func TestStatusClasses(t *testing.T) {
	tests := []struct {
		name      string
		s         wsk.NTSTATUS
		sev       wsk.Severity
		ntSuccess bool
		warning   bool
		isError   bool
	}{
		{"SUCCESS", wsk.StatusSuccess, wsk.SeveritySuccess, true, false, false},
		{"PENDING", wsk.StatusPending, wsk.SeveritySuccess, true, false, false},
		{"EVENT_PENDING is NT_SUCCESS", wsk.StatusEventPending, wsk.SeverityInformational, true, false, false},
		{"BUFFER_OVERFLOW is a warning, not NT_SUCCESS", wsk.StatusBufferOverflow, wsk.SeverityWarning, false, true, false},
		{"INVALID_PARAMETER", wsk.StatusInvalidParameter, wsk.SeverityError, false, false, true},
		{"CANCELLED", wsk.StatusCancelled, wsk.SeverityError, false, false, true},
		{"top of success", 0x3FFFFFFF, wsk.SeveritySuccess, true, false, false},
		{"bottom of informational", 0x40000000, wsk.SeverityInformational, true, false, false},
		{"top of informational", 0x7FFFFFFF, wsk.SeverityInformational, true, false, false},
		{"bottom of warning", 0x80000000, wsk.SeverityWarning, false, true, false},
		{"top of warning", 0xBFFFFFFF, wsk.SeverityWarning, false, true, false},
		{"bottom of error", 0xC0000000, wsk.SeverityError, false, false, true},
		{"top of error", 0xFFFFFFFF, wsk.SeverityError, false, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eq(t, "Severity()", tc.s.Severity(), tc.sev)
			eq(t, "NTSuccess()", tc.s.NTSuccess(), tc.ntSuccess)
			eq(t, "IsWarning()", tc.s.IsWarning(), tc.warning)
			eq(t, "IsError()", tc.s.IsError(), tc.isError)
			eq(t, "IsFailure()", tc.s.IsFailure(), !tc.ntSuccess)
		})
	}
}

// Every catalogued status is in exactly the class its top two bits give.
func TestStatusClassesAllKnown(t *testing.T) {
	for _, s := range wsk.KnownStatuses() {
		sev := wsk.Severity(uint32(s) >> 30)
		eq(t, s.String()+" Severity()", s.Severity(), sev)
		eq(t, s.String()+" NTSuccess()", s.NTSuccess(), sev <= wsk.SeverityInformational)
		eq(t, s.String()+" IsWarning()", s.IsWarning(), sev == wsk.SeverityWarning)
		eq(t, s.String()+" IsError()", s.IsError(), sev == wsk.SeverityError)
		eq(t, s.String()+" IsFailure()", s.IsFailure(), !s.NTSuccess())
	}
}

func TestSeverityString(t *testing.T) {
	tests := map[wsk.Severity]string{
		wsk.SeveritySuccess:       "success",
		wsk.SeverityInformational: "informational",
		wsk.SeverityWarning:       "warning",
		wsk.SeverityError:         "error",
	}
	for sev, want := range tests {
		eq(t, fmt.Sprintf("Severity(%d).String()", uint8(sev)), sev.String(), want)
	}
}

func TestParseStatusRoundTrip(t *testing.T) {
	for _, s := range wsk.KnownStatuses() {
		for _, text := range []string{
			s.Name(),
			fmt.Sprintf("0x%08X", uint32(s)),
			fmt.Sprintf("0x%08x", uint32(s)),
			fmt.Sprintf("0x%X", uint32(s)),
		} {
			got, err := wsk.ParseStatus(text)
			if err != nil {
				t.Errorf("ParseStatus(%q): %v", text, err)
				continue
			}
			eq(t, fmt.Sprintf("ParseStatus(%q)", text), got, s)
		}
	}
}

func TestParseStatusHex(t *testing.T) {
	tests := []struct {
		text string
		want wsk.NTSTATUS
	}{
		{"0xC000000D", wsk.StatusInvalidParameter},
		{"0xc000000d", wsk.StatusInvalidParameter},
		{"0x0", wsk.StatusSuccess},
		{"0x103", wsk.StatusPending},
		{"0xC0000001", 0xC0000001}, // unnamed codes parse too
		{"0xFFFFFFFF", 0xFFFFFFFF},
	}
	for _, tc := range tests {
		got, err := wsk.ParseStatus(tc.text)
		if err != nil {
			t.Errorf("ParseStatus(%q): %v", tc.text, err)
			continue
		}
		eq(t, fmt.Sprintf("ParseStatus(%q)", tc.text), got, tc.want)
	}
}

func TestParseStatusErrors(t *testing.T) {
	for _, text := range []string{
		"",
		"STATUS_BOGUS",
		"status_success",  // names are case-sensitive
		"STATUS_SUCCESS ", // no trimming
		"STATUS_SUCCESS (0x00000000)",
		"12",          // decimal is not accepted
		"C000000D",    // hex needs its 0x
		"0x",          // no digits
		"0xZZ",        // not hex
		"0x12zz",      // trailing garbage
		"0xC000000D ", // trailing space
		"0x1FFFFFFFF", // wider than 32 bits
		"0x-5",
		"0x+5",
	} {
		got, err := wsk.ParseStatus(text)
		if err == nil {
			t.Errorf("ParseStatus(%q) = %v, want an error", text, got)
			continue
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", text)) {
			t.Errorf("ParseStatus(%q) error %q does not quote the input", text, err)
		}
	}
}
