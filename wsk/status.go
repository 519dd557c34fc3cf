package wsk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NTSTATUS is a Windows status code. The top two bits are the severity:
// 0 success, 1 informational, 2 warning, 3 error. NT_SUCCESS is true for the
// first two only, so STATUS_BUFFER_OVERFLOW (a warning) is not a success.
type NTSTATUS uint32

// The status codes of SPEC section 0, with their Windows values.
const (
	StatusSuccess                  NTSTATUS = 0x00000000
	StatusPending                  NTSTATUS = 0x00000103
	StatusEventPending             NTSTATUS = 0x40000013
	StatusBufferOverflow           NTSTATUS = 0x80000005
	StatusNotImplemented           NTSTATUS = 0xC0000002
	StatusInvalidHandle            NTSTATUS = 0xC0000008
	StatusInvalidParameter         NTSTATUS = 0xC000000D
	StatusInvalidDeviceRequest     NTSTATUS = 0xC0000010
	StatusMoreProcessingRequired   NTSTATUS = 0xC0000016
	StatusAccessDenied             NTSTATUS = 0xC0000022
	StatusInsufficientResources    NTSTATUS = 0xC000009A
	StatusDeviceNotReady           NTSTATUS = 0xC00000A3
	StatusIoTimeout                NTSTATUS = 0xC00000B5
	StatusFileForcedClosed         NTSTATUS = 0xC00000B6
	StatusNotSupported             NTSTATUS = 0xC00000BB
	StatusRequestNotAccepted       NTSTATUS = 0xC00000D0
	StatusTooManyOpenedFiles       NTSTATUS = 0xC000011F
	StatusCancelled                NTSTATUS = 0xC0000120
	StatusInvalidAddress           NTSTATUS = 0xC0000141
	StatusInvalidDeviceState       NTSTATUS = 0xC0000184
	StatusAddressAlreadyExists     NTSTATUS = 0xC000020A
	StatusConnectionDisconnected   NTSTATUS = 0xC000020C
	StatusConnectionReset          NTSTATUS = 0xC000020D
	StatusDataNotAccepted          NTSTATUS = 0xC000021B
	StatusNotFound                 NTSTATUS = 0xC0000225
	StatusConnectionRefused        NTSTATUS = 0xC0000236
	StatusGracefulDisconnect       NTSTATUS = 0xC0000237
	StatusAddressAlreadyAssociated NTSTATUS = 0xC0000238
	StatusConnectionActive         NTSTATUS = 0xC000023B
	StatusNetworkUnreachable       NTSTATUS = 0xC000023C
	StatusHostUnreachable          NTSTATUS = 0xC000023D
	StatusProtocolUnreachable      NTSTATUS = 0xC000023E
	StatusConnectionAborted        NTSTATUS = 0xC0000241
	StatusNoInterface              NTSTATUS = 0xC00002B9
)

var statusNames = map[NTSTATUS]string{
	StatusSuccess:                  "STATUS_SUCCESS",
	StatusPending:                  "STATUS_PENDING",
	StatusEventPending:             "STATUS_EVENT_PENDING",
	StatusBufferOverflow:           "STATUS_BUFFER_OVERFLOW",
	StatusNotImplemented:           "STATUS_NOT_IMPLEMENTED",
	StatusInvalidHandle:            "STATUS_INVALID_HANDLE",
	StatusInvalidParameter:         "STATUS_INVALID_PARAMETER",
	StatusInvalidDeviceRequest:     "STATUS_INVALID_DEVICE_REQUEST",
	StatusMoreProcessingRequired:   "STATUS_MORE_PROCESSING_REQUIRED",
	StatusAccessDenied:             "STATUS_ACCESS_DENIED",
	StatusInsufficientResources:    "STATUS_INSUFFICIENT_RESOURCES",
	StatusDeviceNotReady:           "STATUS_DEVICE_NOT_READY",
	StatusIoTimeout:                "STATUS_IO_TIMEOUT",
	StatusFileForcedClosed:         "STATUS_FILE_FORCED_CLOSED",
	StatusNotSupported:             "STATUS_NOT_SUPPORTED",
	StatusRequestNotAccepted:       "STATUS_REQUEST_NOT_ACCEPTED",
	StatusTooManyOpenedFiles:       "STATUS_TOO_MANY_OPENED_FILES",
	StatusCancelled:                "STATUS_CANCELLED",
	StatusInvalidAddress:           "STATUS_INVALID_ADDRESS",
	StatusInvalidDeviceState:       "STATUS_INVALID_DEVICE_STATE",
	StatusAddressAlreadyExists:     "STATUS_ADDRESS_ALREADY_EXISTS",
	StatusConnectionDisconnected:   "STATUS_CONNECTION_DISCONNECTED",
	StatusConnectionReset:          "STATUS_CONNECTION_RESET",
	StatusDataNotAccepted:          "STATUS_DATA_NOT_ACCEPTED",
	StatusNotFound:                 "STATUS_NOT_FOUND",
	StatusConnectionRefused:        "STATUS_CONNECTION_REFUSED",
	StatusGracefulDisconnect:       "STATUS_GRACEFUL_DISCONNECT",
	StatusAddressAlreadyAssociated: "STATUS_ADDRESS_ALREADY_ASSOCIATED",
	StatusConnectionActive:         "STATUS_CONNECTION_ACTIVE",
	StatusNetworkUnreachable:       "STATUS_NETWORK_UNREACHABLE",
	StatusHostUnreachable:          "STATUS_HOST_UNREACHABLE",
	StatusProtocolUnreachable:      "STATUS_PROTOCOL_UNREACHABLE",
	StatusConnectionAborted:        "STATUS_CONNECTION_ABORTED",
	StatusNoInterface:              "STATUS_NOINTERFACE",
}

// Severity is the class held in the top two bits of an NTSTATUS.
type Severity uint8

const (
	SeveritySuccess Severity = iota
	SeverityInformational
	SeverityWarning
	SeverityError
)

func (s Severity) String() string {
	return [...]string{"success", "informational", "warning", "error"}[s&3]
}

// Severity returns the class of the status.
func (s NTSTATUS) Severity() Severity { return Severity(s >> 30) }

// NTSuccess is the NT_SUCCESS macro: true for success and informational codes.
func (s NTSTATUS) NTSuccess() bool { return s.Severity() <= SeverityInformational }

// IsWarning is NT_WARNING: STATUS_BUFFER_OVERFLOW is one.
func (s NTSTATUS) IsWarning() bool { return s.Severity() == SeverityWarning }

// IsError is NT_ERROR.
func (s NTSTATUS) IsError() bool { return s.Severity() == SeverityError }

// IsFailure reports whether the status is not NT_SUCCESS (warning or error):
// the class of outcomes that leave IoStatus.Information at 0 (IRP-05).
func (s NTSTATUS) IsFailure() bool { return !s.NTSuccess() }

// Name returns the symbolic name, or "" for a code the catalogue does not hold.
func (s NTSTATUS) Name() string { return statusNames[s] }

// String prints "STATUS_INVALID_PARAMETER (0xC000000D)", or the bare hex value
// with its class for an unnamed code.
func (s NTSTATUS) String() string {
	if n, ok := statusNames[s]; ok {
		return fmt.Sprintf("%s (0x%08X)", n, uint32(s))
	}
	return fmt.Sprintf("NTSTATUS(0x%08X, %s)", uint32(s), s.Severity())
}

// KnownStatuses lists every named status, in ascending order of value.
func KnownStatuses() []NTSTATUS {
	out := make([]NTSTATUS, 0, len(statusNames))
	for s := range statusNames {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// ParseStatus accepts a symbolic name ("STATUS_SUCCESS") or a hex value
// ("0xC000000D"), as written in corpus files.
func ParseStatus(text string) (NTSTATUS, error) {
	for s, n := range statusNames {
		if n == text {
			return s, nil
		}
	}
	if digits, ok := strings.CutPrefix(text, "0x"); ok {
		if v, err := strconv.ParseUint(digits, 16, 32); err == nil {
			return NTSTATUS(v), nil
		}
	}
	return 0, fmt.Errorf("wsk: parse status %q: not a known name or 0x hex value", text)
}
