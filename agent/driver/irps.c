/* The suite's IRPs (protocol sections 5.4 and 5.5) and the sockets they
 * create. Each IRP comes from IoAllocateIrp(1) with a completion routine
 * that returns STATUS_MORE_PROCESSING_REQUIRED, so the agent keeps it. The
 * routine counts every completion (a second one is reported, IRP-01),
 * decides the phase under the queue lock, and sends IRP_DONE (and IRP_DATA
 * for received bytes beyond MAX_DATA). It may run at DISPATCH_LEVEL on any
 * thread: it only copies nonpaged memory and appends to the queue. */
#include "state.h"

/* ---- sockets ---- */

SOCK *socks_get(SESSION *s, ULONG id)
{
    KIRQL irql;
    SOCK *k;
    KeAcquireSpinLock(&s->lock, &irql);
    k = (SOCK *)idmap_get(&s->sockets, id);
    if (k && k->closed)
        k = NULL; /* forgotten once its close completed (section 5.4) */
    KeReleaseSpinLock(&s->lock, irql);
    return k;
}

SOCK *socks_adopt(SESSION *s, PWSK_SOCKET p, ULONG tables, ULONGLONG context, ULONG table_id)
{
    KIRQL irql;
    PLIST_ENTRY le;
    SOCK *k = NULL, *fresh = agent_alloc(sizeof(SOCK));
    KeAcquireSpinLock(&s->lock, &irql);
    for (le = s->sockets_live.Flink; le != &s->sockets_live; le = le->Flink) {
        SOCK *x = CONTAINING_RECORD(le, SOCK, live);
        if (x->socket == p) {
            k = x; /* the same object handed out twice keeps its id (SOCK-10) */
            break;
        }
    }
    if (!k && fresh) {
        k = fresh;
        fresh = NULL;
        k->e.id = s->next_socket++;
        k->socket = p;
        k->tables = tables;
        k->context = context;
        k->table_id = table_id;
        idmap_put(&s->sockets, &k->e);
        InsertTailList(&s->sockets_live, &k->live);
    }
    KeReleaseSpinLock(&s->lock, irql);
    agent_free(fresh);
    return k;
}

static void socks_forget(SESSION *s, SOCK *k)
{
    KIRQL irql;
    KeAcquireSpinLock(&s->lock, &irql);
    if (!k->closed) {
        k->closed = TRUE;
        RemoveEntryList(&k->live);
        InitializeListHead(&k->live);
    }
    KeReleaseSpinLock(&s->lock, irql);
}

/* ---- IRP_DONE ---- */

static ULONG sa_size(const UCHAR *sa)
{
    USHORT family = (USHORT)(sa[0] | (sa[1] << 8));
    if (family == 2)
        return 16;
    if (family == 23)
        return 28;
    return W_MAX_SOCKADDR;
}

static void saout(w_writer *w, const UCHAR *sa)
{
    w_saout(w, sa, (uint16_t)(sa ? sa_size(sa) : 0));
}

static BOOLEAN creates_socket(USHORT op)
{
    return op == OP_SOCKET || op == OP_SOCKET_CONNECT || op == OP_ACCEPT;
}

static BOOLEAN is_receive(USHORT op)
{
    return op == OP_RECEIVE || op == OP_RECEIVE_FROM;
}

static BOOLEAN is_send(USHORT op)
{
    return op == OP_SEND || op == OP_SEND_TO || op == OP_SEND_MESSAGES || op == OP_CONNECT_EX ||
           op == OP_DISCONNECT;
}

static BOOLEAN is_control(USHORT op)
{
    return op == OP_CONTROL_CLIENT || op == OP_CONTROL_SOCKET;
}

/* Builds IRP_DATA frames and the IRP_DONE into one block and queues them
 * with the phase decided under the queue lock. */
static void report(AIRP *a, NTSTATUS status, ULONG_PTR info, ULONG count)
{
    SESSION *s = a->s;
    ULONG ndata = 0, parts, i, cap, mark;
    ULONG sock = 0, tables = 0;
    UCHAR *blk;
    w_writer w;
    size_t used = 0;
    if (creates_socket(a->op) && NT_SUCCESS(status) && info) {
        SOCK *k = socks_adopt(s, (PWSK_SOCKET)info, a->new_tables, a->new_context, a->new_table_id);
        if (k) {
            sock = k->e.id;
            tables = k->tables;
        }
    }
    if (is_receive(a->op) && NT_SUCCESS(status) && a->buf) {
        ULONG64 room = a->buf->wb.Length;
        ndata = (ULONG)(info < room ? info : room);
    }
    parts = ndata > W_MAX_DATA ? (ndata - 1) / W_MAX_DATA : 0; /* IRP_DATA frames */
    cap = ndata + parts * (W_HDR + 12) + W_HDR + 64 + 2 * (2 + W_MAX_SOCKADDR) + 8 + W_MAX_CONTROL;
    blk = agent_alloc(cap);
    if (!blk) {
        agent_log("out of pool reporting IRP %lu: ending the session", a->wire);
        outq_end(&s->q);
        return;
    }
    for (i = 0; i < parts; i++) {
        ULONG off = i * W_MAX_DATA;
        UCHAR *p;
        size_t n;
        w_begin(&w, blk + used, cap - used, W_IRP_DATA, 0);
        w_u32(&w, a->wire);
        w_u32(&w, off);
        w_u32(&w, W_MAX_DATA);
        p = w_reserve(&w, W_MAX_DATA);
        if (p)
            bufs_read(a->buf, off, p, W_MAX_DATA);
        n = w_end(&w);
        if (!n)
            break;
        used += n;
    }
    w_begin(&w, blk + used, cap - used, W_IRP_DONE, 0);
    mark = (ULONG)used + W_HDR + 12;
    w_u32(&w, a->wire);
    w_u32(&w, count);
    w_u32(&w, (ULONG)status);
    w_u8(&w, 0); /* phase, set under the queue lock */
    w_u8(&w, (UCHAR)tables);
    w_u16(&w, 0);
    w_u64(&w, (ULONG64)info);
    w_u32(&w, sock);
    saout(&w, a->local);
    saout(&w, a->remote);
    {
        ULONG last = ndata - parts * W_MAX_DATA;
        UCHAR *p;
        w_u32(&w, last);
        p = w_reserve(&w, last);
        if (p)
            bufs_read(a->buf, (ULONG64)parts * W_MAX_DATA, p, last);
    }
    if (is_control(a->op) && a->ctl_out)
        w_bytes(&w, a->ctl_out, a->ctl_out_size);
    else if (a->names)
        names_output(a, status, &w);
    else
        w_u32(&w, 0);
    used += w_end(&w);
    /* the socket-id assignment above and this push are ordered the same way
     * for every completion, so ids follow stream order */
    outq_push_phased(&s->q, blk, (ULONG)used, mark, &a->returned);
    agent_free(blk);
}

static NTSTATUS NTAPI on_done(PDEVICE_OBJECT dev, PIRP irp, PVOID ctx)
{
    AIRP *a = ctx;
    NTSTATUS status = irp->IoStatus.Status;
    ULONG_PTR info = irp->IoStatus.Information;
    LONG count = InterlockedIncrement(&a->count);
    (void)dev;
    if (count == 1)
        names_completed(a, status); /* the list joins the table before the suite hears of it */
    report(a, status, info, (ULONG)count);
    if (count == 1) {
        if (a->op == OP_CLOSE_SOCKET && NT_SUCCESS(status) && a->sock)
            socks_forget(a->s, a->sock);
        if (is_send(a->op)) {
            ULONG i;
            bufs_complement(a->buf); /* CEX-05: later reads show wrong data */
            for (i = 0; i < a->nbufs; i++)
                bufs_complement(a->bufs[i]);
        }
        InterlockedExchange(&a->pending, 0);
        InterlockedDecrement(&a->s->pending_irps);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* ---- the IRP table ---- */

AIRP *irps_get(SESSION *s, ULONG id, BOOLEAN create)
{
    KIRQL irql;
    AIRP *a = (AIRP *)session_lookup(s, &s->irps, id, FALSE);
    if (a || !create)
        return a;
    a = agent_alloc(sizeof(*a));
    if (!a)
        return NULL;
    a->irp = IoAllocateIrp(1, FALSE);
    if (!a->irp) {
        agent_free(a);
        return NULL;
    }
    a->e.id = id;
    a->wire = id;
    a->s = s;
    a->returned = 1;
    KeAcquireSpinLock(&s->lock, &irql);
    idmap_put(&s->irps, &a->e);
    KeReleaseSpinLock(&s->lock, irql);
    return a;
}

void irps_release_attachments(AIRP *a)
{
    ULONG i;
    bufs_free(a->buf);
    a->buf = NULL;
    for (i = 0; i < a->nbufs; i++)
        bufs_free(a->bufs[i]);
    agent_free(a->bufs);
    a->bufs = NULL;
    a->nbufs = 0;
    agent_free(a->blist);
    a->blist = NULL;
    agent_free(a->local);
    agent_free(a->remote);
    agent_free(a->in_local);
    agent_free(a->in_remote);
    a->in_local = a->in_remote = NULL;
    agent_free(a->ctl_in);
    agent_free(a->ctl_out);
    a->local = a->remote = a->ctl_in = a->ctl_out = NULL;
    a->ctl_out_size = 0;
    a->ctl_returned = 0;
    a->ctl_len = a->ctl_flags = 0;
    names_release(a);
    a->sock = NULL;
    a->new_tables = 0;
    a->new_context = 0;
    a->new_table_id = 0;
}

void irps_arm(AIRP *a)
{
    /* a completed IRP handed over again is a fresh request (section 5.1) */
    IoReuseIrp(a->irp, STATUS_UNSUCCESSFUL);
    IoSetCompletionRoutine(a->irp, on_done, a, TRUE, TRUE, TRUE);
    a->count = 0;
    a->returned = 0;
    a->pending = 1;
    InterlockedIncrement(&a->s->pending_irps);
}

void irps_free(AIRP *a)
{
    if (a->pending)
        return; /* the provider may still complete it: it stays allocated */
    irps_release_attachments(a);
    IoFreeIrp(a->irp);
    agent_free(a);
}

NTSTATUS irps_cancel(SESSION *s, ULONG id, UCHAR *result)
{
    AIRP *a = irps_get(s, id, FALSE);
    if (!a)
        return STATUS_NOT_FOUND;
    *result = IoCancelIrp(a->irp) ? 1 : 0;
    return STATUS_SUCCESS;
}

NTSTATUS irps_reuse(SESSION *s, ULONG id, NTSTATUS status, ULONG *result)
{
    AIRP *a = irps_get(s, id, FALSE);
    if (!a)
        return STATUS_NOT_FOUND;
    if (a->pending) {
        *result = (ULONG)STATUS_INVALID_PARAMETER; /* IRP-08: not reused */
        return STATUS_SUCCESS;
    }
    IoReuseIrp(a->irp, status);
    a->count = 0;
    *result = 0;
    return STATUS_SUCCESS;
}

NTSTATUS irps_release(SESSION *s, ULONG id)
{
    KIRQL irql;
    AIRP *a;
    KeAcquireSpinLock(&s->lock, &irql);
    a = (AIRP *)idmap_del(&s->irps, id);
    if (a && a->pending) {
        a->e.id = ++s->next_zombie; /* kept until the session ends */
        a->zombie = TRUE;
        idmap_put(&s->zombies, &a->e);
        KeReleaseSpinLock(&s->lock, irql);
        return STATUS_SUCCESS;
    }
    KeReleaseSpinLock(&s->lock, irql);
    if (!a)
        return STATUS_NOT_FOUND;
    irps_free(a);
    return STATUS_SUCCESS;
}
