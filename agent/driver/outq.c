/* The ordered queue of frames for the suite (protocol section 1: order is
 * the clock). Replies, completions, callbacks and errors are appended under
 * one spin lock; the phase of a completion or callback is decided under the
 * same lock (outq_push_phased), so it always agrees with where the frame
 * lands in the stream. Completion routines and event callbacks push from any
 * thread at IRQL <= DISPATCH_LEVEL: nothing here blocks or touches paged
 * memory. The relay keeps exactly one RECV IOCTL outstanding, so frames
 * leave in queue order. */
#include "agent.h"

struct OUT_FRAME {
    struct OUT_FRAME *next;
    ULONG len;
    UCHAR data[1];
};

/* Past this the relay is not reading: the session ends with E_OVERFLOW. */
#define OUTQ_MAX_BYTES (8u * 1024u * 1024u)

void outq_init(OUTQ *q)
{
    KeInitializeSpinLock(&q->lock);
    q->head = q->tail = NULL;
    q->bytes = 0;
    q->waiter = NULL;
    q->ended = FALSE;
    q->async_seq = 0;
}

KIRQL outq_lock(OUTQ *q)
{
    KIRQL irql;
    KeAcquireSpinLock(&q->lock, &irql);
    return irql;
}

void outq_unlock(OUTQ *q, KIRQL irql)
{
    KeReleaseSpinLock(&q->lock, irql);
}

static ULONG le32(const UCHAR *p)
{
    return (ULONG)p[0] | ((ULONG)p[1] << 8) | ((ULONG)p[2] << 16) | ((ULONG)p[3] << 24);
}

static void append_one(OUTQ *q, const UCHAR *f, ULONG len)
{
    OUT_FRAME *o = agent_alloc(FIELD_OFFSET(OUT_FRAME, data) + len);
    if (!o) {
        agent_log("out of pool: a frame for the suite was lost; ending the session");
        q->ended = TRUE;
        return;
    }
    o->len = len;
    RtlCopyMemory(o->data, f, len);
    if (o->data[4] >= W_IRP_DONE && o->data[4] <= W_LOG && o->data[5] == 0) {
        /* asynchronous frames are numbered in stream order (section 2) */
        ULONG seq = ++q->async_seq;
        o->data[8] = (UCHAR)seq;
        o->data[9] = (UCHAR)(seq >> 8);
        o->data[10] = (UCHAR)(seq >> 16);
        o->data[11] = (UCHAR)(seq >> 24);
    }
    if (q->tail)
        q->tail->next = o;
    else
        q->head = o;
    q->tail = o;
    q->bytes += len;
}

void outq_append_locked(OUTQ *q, const UCHAR *frames, ULONG len)
{
    ULONG off = 0;
    if (q->ended)
        return; /* the stream is over: nothing more reaches the suite */
    if (q->bytes + len > OUTQ_MAX_BYTES) {
        UCHAR err[64];
        ULONG n = (ULONG)w_error_frame(err, sizeof(err), 0, E_OVERFLOW, "agent queue overflowed");
        append_one(q, err, n);
        q->ended = TRUE;
        return;
    }
    /* frames are built by the agent itself, so their len fields are sound;
     * still, never step outside the block */
    while (len - off >= W_HDR) {
        ULONG n = le32(frames + off);
        if (n < W_HDR || n > len - off)
            break;
        append_one(q, frames + off, n);
        off += n;
    }
}

/* Takes the parked RECV and fills it; caller holds the lock. NULL when
 * there is none or nothing to give it. */
static PIRP take_ready_locked(OUTQ *q, ULONG *used, NTSTATUS *st)
{
    PIRP irp = q->waiter;
    UCHAR *out;
    ULONG cap;
    OUT_FRAME *f;
    if (!irp || (!q->head && !q->ended))
        return NULL;
    if (IoSetCancelRoutine(irp, NULL) == NULL)
        return NULL; /* being cancelled: the cancel routine completes it */
    q->waiter = NULL;
    out = irp->AssociatedIrp.SystemBuffer;
    cap = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.OutputBufferLength;
    *used = 0;
    while ((f = q->head) != NULL && f->len <= cap - *used) {
        RtlCopyMemory(out + *used, f->data, f->len);
        *used += f->len;
        q->bytes -= f->len;
        q->head = f->next;
        if (!q->head)
            q->tail = NULL;
        agent_free(f);
    }
    *st = (*used == 0 && q->ended) ? STATUS_END_OF_FILE : STATUS_SUCCESS;
    return irp;
}

void outq_kick(OUTQ *q)
{
    KIRQL irql;
    ULONG used = 0;
    NTSTATUS st = STATUS_SUCCESS;
    PIRP irp;
    KeAcquireSpinLock(&q->lock, &irql);
    irp = take_ready_locked(q, &used, &st);
    KeReleaseSpinLock(&q->lock, irql);
    if (irp) {
        irp->IoStatus.Status = st;
        irp->IoStatus.Information = used;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}

void outq_push(OUTQ *q, const UCHAR *frames, ULONG len)
{
    KIRQL irql = outq_lock(q);
    outq_append_locked(q, frames, len);
    outq_unlock(q, irql);
    outq_kick(q);
}

void outq_push_phased(OUTQ *q, UCHAR *frames, ULONG len, ULONG mark, volatile LONG *after)
{
    KIRQL irql = outq_lock(q);
    if (mark < len)
        frames[mark] = *after ? 1 : 0;
    outq_append_locked(q, frames, len);
    outq_unlock(q, irql);
    outq_kick(q);
}

void outq_end(OUTQ *q)
{
    KIRQL irql = outq_lock(q);
    q->ended = TRUE;
    outq_unlock(q, irql);
    outq_kick(q);
}

static VOID NTAPI recv_cancel(PDEVICE_OBJECT dev, PIRP irp)
{
    OUTQ *q = irp->Tail.Overlay.DriverContext[0];
    KIRQL irql;
    (void)dev;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    KeAcquireSpinLock(&q->lock, &irql);
    if (q->waiter == irp)
        q->waiter = NULL;
    KeReleaseSpinLock(&q->lock, irql);
    irp->IoStatus.Status = STATUS_CANCELLED;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
}

NTSTATUS outq_recv(OUTQ *q, PIRP irp)
{
    KIRQL irql;
    NTSTATUS st = STATUS_PENDING;
    KeAcquireSpinLock(&q->lock, &irql);
    if (q->waiter) {
        st = STATUS_INVALID_DEVICE_STATE; /* the relay keeps one RECV outstanding */
    } else {
        irp->Tail.Overlay.DriverContext[0] = q;
        IoSetCancelRoutine(irp, recv_cancel);
        if (irp->Cancel && IoSetCancelRoutine(irp, NULL) != NULL) {
            st = STATUS_CANCELLED;
        } else {
            IoMarkIrpPending(irp);
            q->waiter = irp;
        }
    }
    KeReleaseSpinLock(&q->lock, irql);
    if (st != STATUS_PENDING) {
        irp->IoStatus.Status = st;
        irp->IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return st;
    }
    outq_kick(q);
    return STATUS_PENDING;
}

void outq_close(OUTQ *q)
{
    KIRQL irql;
    OUT_FRAME *f, *next;
    PIRP irp = NULL;
    KeAcquireSpinLock(&q->lock, &irql);
    q->ended = TRUE;
    f = q->head;
    q->head = q->tail = NULL;
    q->bytes = 0;
    if (q->waiter && IoSetCancelRoutine(q->waiter, NULL) != NULL) {
        irp = q->waiter;
        q->waiter = NULL;
    }
    KeReleaseSpinLock(&q->lock, irql);
    for (; f; f = next) {
        next = f->next;
        agent_free(f);
    }
    if (irp) {
        irp->IoStatus.Status = STATUS_CANCELLED;
        irp->IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
