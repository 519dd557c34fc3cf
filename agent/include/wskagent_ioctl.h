/* The interface between wskagent.sys and wskrelay.exe (docs/protocol.md
 * section 10): the device name and the two IOCTLs. Protocol frames pass
 * through the relay untouched.
 *
 * - IOCTL_WSKAGENT_SEND: input is one or more whole frames from the suite.
 *   The driver answers PING at once from the dispatch routine and queues the
 *   other frames for the session's executor thread; the IOCTL completes as
 *   soon as they are queued.
 * - IOCTL_WSKAGENT_RECV: the inverted call. The output buffer (at least
 *   MAX_FRAME bytes) is filled with as many whole queued frames as fit; the
 *   IOCTL stays pending until at least one frame is queued. The relay keeps
 *   exactly one RECV outstanding, so frames leave in queue order. When the
 *   session is over (BYE answered, or a fatal ERROR sent) and the queue is
 *   empty, RECV completes with STATUS_END_OF_FILE: the relay then closes the
 *   suite's connection.
 * - Closing the device handle ends the session (IRP_MJ_CLEANUP). */
#ifndef WSKAGENT_IOCTL_H
#define WSKAGENT_IOCTL_H

#define WSKAGENT_DEVICE_NAME L"\\Device\\WskAgent"
#define WSKAGENT_DOS_NAME    L"\\DosDevices\\WskAgent"
#define WSKAGENT_USER_PATH   "\\\\.\\WskAgent"

/* CTL_CODE(FILE_DEVICE_UNKNOWN, fn, METHOD_BUFFERED, FILE_ANY_ACCESS) */
#define WSKAGENT_CTL(fn) ((0x22u << 16) | ((unsigned)(fn) << 2))
#define IOCTL_WSKAGENT_SEND WSKAGENT_CTL(0x900)
#define IOCTL_WSKAGENT_RECV WSKAGENT_CTL(0x901)

/* The RECV output buffer the relay offers. */
#define WSKAGENT_RECV_BUFFER (256u * 1024u)

#endif
