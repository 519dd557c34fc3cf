/* wskagent.sys internals shared between its files. One concern per file:
 *   device.c   driver object, device, IRP_MJ_* dispatch, the SEND and RECV IOCTLs
 *   session.c  one relay connection: its executor thread, request queue and end
 *   outq.c     the ordered queue of frames for the suite, and the RECV IOCTL
 *   frames.c   the request frames the executor runs (HELLO ... BYE)
 *   calls.c    CALL: one WSK dispatch call on the provider
 *   irps.c     the suite's IRPs, their completion routine and IRP_DONE
 *   bufs.c     WSK_BUFs and MDL chains built from BUF fields, staged buffers
 *   events.c   client dispatch tables, event callbacks and the policy
 *   names.c    name resolution: WskGetAddressInfo, WskFreeAddressInfo, WskGetNameInfo
 *   idmap.c    id tables
 *   log.c      DbgPrint and pool helpers */
#ifndef WSKAGENT_AGENT_H
#define WSKAGENT_AGENT_H

#include <ntddk.h>
#include "wsk_decls.h"
#include "../include/wskagent_ioctl.h"
#include "../wire/wire.h"

#define WSKAGENT_TAG 'agkW'
#define WSKAGENT_NAME "wskagent.sys 1.0"

/* The MISUSE_* features of HELLO_R (protocol section 4) this agent offers:
 * none unless the service key's REG_DWORD value "Misuse" sets some of
 * FEAT_MISUSE_NULL_IRP, FEAT_MISUSE_BAD_BUF and FEAT_MISUSE_FOREIGN (read at
 * DriverEntry). Each can crash the machine with a provider that trusts the
 * client; MISUSE_PENDING_IRP is never offered. */
extern ULONG g_misuse;
/* TRUE under Wine (its ntoskrnl exports wine_ntoskrnl_main_loop): the
 * whole address space is the winedevice process's, and Wine does not map
 * MDLs to system addresses (MmGetSystemAddressForMdlSafe gives NULL), so
 * an MDL's own virtual address is the one to read. */
extern BOOLEAN g_wine;

/* ---- log.c ---- */
/* DbgPrint lines prefixed "wskagent: ". Under Wine they show with
 * WINEDEBUG=warn+debugstr on the stderr of the process that started the
 * session. */
void agent_log(const char *fmt, ...);
void *agent_alloc(SIZE_T size); /* zeroed nonpaged pool, or NULL */
void agent_free(void *p);
LARGE_INTEGER agent_ms(ULONG ms); /* a relative timeout */

/* ---- idmap.c ---- */
typedef struct ENTRY {
    struct ENTRY *next;
    ULONG id;
} ENTRY;

#define IDMAP_BUCKETS 256
typedef struct IDMAP {
    ENTRY *b[IDMAP_BUCKETS];
} IDMAP;

ENTRY *idmap_get(IDMAP *m, ULONG id);
void idmap_put(IDMAP *m, ENTRY *e); /* e->id set, not yet in m */
ENTRY *idmap_del(IDMAP *m, ULONG id);
/* Removes and returns any one entry, NULL when empty (for tear-down). */
ENTRY *idmap_pop(IDMAP *m);

/* ---- outq.c ---- */
typedef struct OUT_FRAME OUT_FRAME;
typedef struct OUTQ {
    KSPIN_LOCK lock;
    OUT_FRAME *head, *tail;
    ULONG bytes;
    PIRP waiter;   /* the one RECV IOCTL the relay keeps outstanding */
    BOOLEAN ended; /* no frames will follow: RECV then reports end of file */
    ULONG async_seq; /* the seq of the last asynchronous frame queued */
} OUTQ;

void outq_init(OUTQ *q);
KIRQL outq_lock(OUTQ *q);
void outq_unlock(OUTQ *q, KIRQL irql);
/* Appends whole frames (one or several back to back) under the lock the
 * caller holds. On overflow the session ends with E_OVERFLOW. */
void outq_append_locked(OUTQ *q, const UCHAR *frames, ULONG len);
/* Completes the waiting RECV when there is something to give it. Call after
 * outq_unlock. */
void outq_kick(OUTQ *q);
/* Lock, append, unlock, kick. Callable at IRQL <= DISPATCH_LEVEL. */
void outq_push(OUTQ *q, const UCHAR *frames, ULONG len);
/* Appends frames whose byte at mark (an offset into frames) is a phase: it
 * is set to 1 when *after is non-zero, else 0, read under the queue lock,
 * so the phase agrees with the stream order. */
void outq_push_phased(OUTQ *q, UCHAR *frames, ULONG len, ULONG mark, volatile LONG *after);
/* Marks the end of the session's stream: once the queued frames are
 * delivered, RECV completes with STATUS_END_OF_FILE. */
void outq_end(OUTQ *q);
/* Parks or completes a RECV IOCTL. */
NTSTATUS outq_recv(OUTQ *q, PIRP irp);
/* Drops queued frames and completes a parked RECV as cancelled. */
void outq_close(OUTQ *q);

#endif
