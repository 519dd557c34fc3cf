package impl

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// errnoStatus is the one table that turns a Linux errno into the NTSTATUS a
// WSK client sees. Anything it lacks becomes fallbackStatus.
//
//	errno                                 NTSTATUS
//	------------------------------------  ------------------------------------
//	ECONNREFUSED                          STATUS_CONNECTION_REFUSED   (CONN-02)
//	EADDRINUSE                            STATUS_ADDRESS_ALREADY_ASSOCIATED (BIND-03, as Windows)
//	EADDRNOTAVAIL                         STATUS_INVALID_ADDRESS
//	ECONNRESET, ENETRESET                 STATUS_CONNECTION_RESET
//	ECONNABORTED                          STATUS_CONNECTION_ABORTED
//	EPIPE, ESHUTDOWN                      STATUS_CONNECTION_DISCONNECTED
//	ENETUNREACH, ENETDOWN                 STATUS_NETWORK_UNREACHABLE
//	EHOSTUNREACH, EHOSTDOWN               STATUS_HOST_UNREACHABLE
//	ETIMEDOUT                             STATUS_IO_TIMEOUT
//	EMFILE, ENFILE                        STATUS_TOO_MANY_OPENED_FILES
//	ENOBUFS, ENOMEM                       STATUS_INSUFFICIENT_RESOURCES
//	EACCES, EPERM                         STATUS_ACCESS_DENIED
//	EAFNOSUPPORT, EPROTONOSUPPORT,
//	  ESOCKTNOSUPPORT, EPROTOTYPE,
//	  EOPNOTSUPP, ENOPROTOOPT             STATUS_NOT_SUPPORTED
//	EISCONN, EALREADY                     STATUS_CONNECTION_ACTIVE    (CONN-03)
//	ENOTCONN                              STATUS_INVALID_DEVICE_STATE
//	EINVAL, EFAULT, EMSGSIZE,
//	  EDESTADDRREQ                        STATUS_INVALID_PARAMETER
//	EBADF, ENOTSOCK                       STATUS_INVALID_HANDLE
//	ECANCELED                             STATUS_CANCELLED
//	anything else                         STATUS_INVALID_DEVICE_REQUEST (fallbackStatus)
//
// Errors that are not errno values: kernel.ErrClosed (the descriptor was
// closed under the call) is STATUS_INVALID_HANDLE; kernel.ErrInterrupted
// never reaches a client (a cancelled wait completes STATUS_CANCELLED).
var errnoStatus = map[unix.Errno]wsk.NTSTATUS{
	unix.ECONNREFUSED:    wsk.StatusConnectionRefused,
	unix.EADDRINUSE:      wsk.StatusAddressAlreadyAssociated,
	unix.EADDRNOTAVAIL:   wsk.StatusInvalidAddress,
	unix.ECONNRESET:      wsk.StatusConnectionReset,
	unix.ENETRESET:       wsk.StatusConnectionReset,
	unix.ECONNABORTED:    wsk.StatusConnectionAborted,
	unix.EPIPE:           wsk.StatusConnectionDisconnected,
	unix.ESHUTDOWN:       wsk.StatusConnectionDisconnected,
	unix.ENETUNREACH:     wsk.StatusNetworkUnreachable,
	unix.ENETDOWN:        wsk.StatusNetworkUnreachable,
	unix.EHOSTUNREACH:    wsk.StatusHostUnreachable,
	unix.EHOSTDOWN:       wsk.StatusHostUnreachable,
	unix.ETIMEDOUT:       wsk.StatusIoTimeout,
	unix.EMFILE:          wsk.StatusTooManyOpenedFiles,
	unix.ENFILE:          wsk.StatusTooManyOpenedFiles,
	unix.ENOBUFS:         wsk.StatusInsufficientResources,
	unix.ENOMEM:          wsk.StatusInsufficientResources,
	unix.EACCES:          wsk.StatusAccessDenied,
	unix.EPERM:           wsk.StatusAccessDenied,
	unix.EAFNOSUPPORT:    wsk.StatusNotSupported,
	unix.EPROTONOSUPPORT: wsk.StatusNotSupported,
	unix.ESOCKTNOSUPPORT: wsk.StatusNotSupported,
	unix.EPROTOTYPE:      wsk.StatusNotSupported,
	unix.EOPNOTSUPP:      wsk.StatusNotSupported,
	unix.ENOPROTOOPT:     wsk.StatusNotSupported,
	unix.EISCONN:         wsk.StatusConnectionActive,
	unix.EALREADY:        wsk.StatusConnectionActive,
	unix.ENOTCONN:        wsk.StatusInvalidDeviceState,
	unix.EINVAL:          wsk.StatusInvalidParameter,
	unix.EFAULT:          wsk.StatusInvalidParameter,
	unix.EMSGSIZE:        wsk.StatusInvalidParameter,
	unix.EDESTADDRREQ:    wsk.StatusInvalidParameter,
	unix.EBADF:           wsk.StatusInvalidHandle,
	unix.ENOTSOCK:        wsk.StatusInvalidHandle,
	unix.ECANCELED:       wsk.StatusCancelled,
}

// fallbackStatus is the NTSTATUS of an errno the table does not hold: the
// request could not be carried out by the transport.
const fallbackStatus = wsk.StatusInvalidDeviceRequest

// StatusFromErrno maps one errno through the table (0 is STATUS_SUCCESS).
func StatusFromErrno(e unix.Errno) wsk.NTSTATUS {
	if e == 0 {
		return wsk.StatusSuccess
	}
	if st, ok := errnoStatus[e]; ok {
		return st
	}
	return fallbackStatus
}

// statusOf maps an error of package kernel to the NTSTATUS a client sees.
func statusOf(err error) wsk.NTSTATUS {
	switch {
	case err == nil:
		return wsk.StatusSuccess
	case errors.Is(err, kernel.ErrClosed):
		return wsk.StatusInvalidHandle
	}
	if en, ok := kernel.Errno(err); ok {
		return StatusFromErrno(en)
	}
	return fallbackStatus
}

func errnoOf(err error) (unix.Errno, bool) { return kernel.Errno(err) }
