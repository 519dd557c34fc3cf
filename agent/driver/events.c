/* Client dispatch tables and event callbacks (protocol section 6). The
 * callbacks are shared static functions: each answers at once from the
 * session's policy (a callback may run at DISPATCH_LEVEL and must never
 * block), copies what it was given into an EVENT frame and queues it, with
 * its phase decided under the queue lock. The provider passes back the
 * SocketContext the suite chose, as a value; the agent finds the socket by
 * that value only to name it, and never dereferences it. */
#include "state.h"

static const GUID NPI_WSK_INTERFACE_ID = {
    0x2227E803, 0x8D8B, 0x11D4, {0xAB, 0xAD, 0x00, 0x90, 0x27, 0x71, 0x9E, 0x09}};

#define MAX_INDICATIONS 4096 /* list entries walked, at most */

typedef struct EVENT_INFO {
    UCHAR kind;
    UCHAR concurrent;
    ULONG socket, table_id;
    ULONGLONG context;
    ULONG cb_flags, answer;
    ULONGLONG accepted, indicated, inspect_id;
    ULONG new_socket;
    UCHAR tables;
    ULONGLONG new_context;
    ULONG new_table, indication;
    USHORT index, count;
    const UCHAR *local, *remote;
} EVENT_INFO;

static ULONG sa_size(const UCHAR *sa)
{
    USHORT family = (USHORT)(sa[0] | (sa[1] << 8));
    return family == 2 ? 16 : family == 23 ? 28 : W_MAX_SOCKADDR;
}

/* Hands the bytes a WSK_BUF describes to fn, piece by piece, walking its
 * MDLs (at most W_MAX_CHUNKS of them). */
typedef void (*PIECE_FN)(PVOID ctx, const UCHAR *p, SIZE_T n);

static void visit_wsk_buf(const WSK_BUF *b, PIECE_FN fn, PVOID ctx)
{
    PMDL m;
    ULONG guard = 0;
    SIZE_T skip = b->Offset, left = b->Length;
    for (m = b->Mdl; m && left && guard < W_MAX_CHUNKS; m = m->Next, guard++) {
        ULONG n = MmGetMdlByteCount(m);
        UCHAR *va;
        SIZE_T take;
        if (skip >= n) {
            skip -= n;
            continue;
        }
        va = MmGetSystemAddressForMdlSafe(m, NormalPagePriority);
        if (!va && g_wine)
            va = MmGetMdlVirtualAddress(m);
        if (!va)
            break;
        take = n - skip;
        if (take > left)
            take = left;
        fn(ctx, va + skip, take);
        left -= take;
        skip = 0;
    }
}

/* A bounded copy: the first cap bytes visited. */
typedef struct COPY {
    UCHAR *out;
    ULONG cap, got;
} COPY;

static void copy_piece(PVOID ctx, const UCHAR *p, SIZE_T n)
{
    COPY *c = ctx;
    SIZE_T take = n < c->cap - c->got ? n : c->cap - c->got;
    RtlCopyMemory(c->out + c->got, p, take);
    c->got += (ULONG)take;
}

/* Copies up to cap bytes a WSK_BUF describes into out. */
static ULONG read_wsk_buf(const WSK_BUF *b, UCHAR *out, ULONG cap)
{
    COPY c;
    c.out = out;
    c.cap = cap;
    c.got = 0;
    visit_wsk_buf(b, copy_piece, &c);
    return c.got;
}

/* Names the socket and its table from the context value the provider
 * passed: the socket whose context it is, and the table the socket was given
 * (DISP at WskSocket or WskAccept, or the agent's for an accept callback).
 * When several live sockets share the value, the socket stays unnamed (0),
 * and the table too unless they all share it. */
static SOCK *name_socket(SESSION *s, EVENT_INFO *ev)
{
    KIRQL irql;
    PLIST_ENTRY le;
    SOCK *first = NULL;
    ULONG matches = 0;
    BOOLEAN one_table = TRUE;
    KeAcquireSpinLock(&s->lock, &irql);
    for (le = s->sockets_live.Flink; le != &s->sockets_live; le = le->Flink) {
        SOCK *k = CONTAINING_RECORD(le, SOCK, live);
        if (k->context != ev->context)
            continue;
        if (!first)
            first = k;
        else if (k->table_id != first->table_id)
            one_table = FALSE;
        matches++;
    }
    if (first && one_table)
        ev->table_id = first->table_id;
    if (matches == 1)
        ev->socket = first->e.id;
    KeReleaseSpinLock(&s->lock, irql);
    return matches == 1 ? first : NULL;
}

static void send_event(SESSION *s, const EVENT_INFO *ev, const UCHAR *data, ULONG ndata)
{
    UCHAR *f = agent_alloc(W_MAX_FRAME);
    w_writer w;
    ULONG n;
    if (!f) {
        agent_log("out of pool for an EVENT: ending the session");
        outq_end(&s->q);
        return;
    }
    w_begin(&w, f, W_MAX_FRAME, W_EVENT, 0);
    w_u8(&w, ev->kind);
    w_u8(&w, 0); /* phase, set under the queue lock */
    w_u8(&w, ev->concurrent);
    w_u8(&w, 0);
    w_u32(&w, ev->table_id);
    w_u32(&w, ev->socket);
    w_u64(&w, ev->context);
    w_u32(&w, ev->cb_flags);
    w_u32(&w, ev->answer);
    w_u64(&w, ev->accepted);
    w_u64(&w, ev->indicated);
    w_u64(&w, ev->inspect_id);
    w_u32(&w, ev->new_socket);
    w_u8(&w, ev->tables);
    w_u8(&w, 0);
    w_u16(&w, 0);
    w_u64(&w, ev->new_context);
    w_u32(&w, ev->new_table);
    w_u32(&w, ev->indication);
    w_u16(&w, ev->index);
    w_u16(&w, ev->count);
    w_saout(&w, ev->local, (uint16_t)(ev->local ? sa_size(ev->local) : 0));
    w_saout(&w, ev->remote, (uint16_t)(ev->remote ? sa_size(ev->remote) : 0));
    w_bytes(&w, data, ndata);
    n = (ULONG)w_end(&w);
    if (n)
        outq_push_phased(&s->q, f, n, W_HDR + 1, &s->idle);
    agent_free(f);
}

/* Copies a SOCKADDR the provider passed into the agent's zeroed buffer:
 * only as many bytes as its family has (16 for AF_INET and unknown
 * families, 28 for AF_INET6), never past what the provider owns. */
static const UCHAR *copy_sa(UCHAR *dst, const WSKA_SOCKADDR *src)
{
    USHORT family;
    if (!src)
        return NULL;
    RtlZeroMemory(dst, W_MAX_SOCKADDR);
    family = src->sa_family;
    RtlCopyMemory(dst, src, family == 23 ? 28 : 16);
    return dst;
}

static void init_event(EVENT_INFO *ev, UCHAR kind, PVOID context, ULONG flags)
{
    RtlZeroMemory(ev, sizeof(*ev));
    ev->kind = kind;
    ev->context = (ULONGLONG)(ULONG_PTR)context;
    ev->cb_flags = flags;
    ev->count = 1;
}

static ULONG retain(SESSION *s, SOCK *k, PVOID list, BOOLEAN datagram)
{
    KIRQL irql;
    INDICATION *ind = agent_alloc(sizeof(*ind));
    if (!ind)
        return 0;
    ind->sock = k;
    ind->list = list;
    ind->datagram = datagram;
    KeAcquireSpinLock(&s->lock, &irql);
    ind->e.id = s->next_indication++;
    idmap_put(&s->indications, &ind->e);
    KeReleaseSpinLock(&s->lock, irql);
    return ind->e.id;
}

/* ---- tables ---- */

static NTSTATUS NTAPI ev_accept(PVOID, ULONG, PWSKA_SOCKADDR, PWSKA_SOCKADDR, PWSK_SOCKET, PVOID *,
                                const WSK_CLIENT_CONNECTION_DISPATCH **);
static WSK_INSPECT_ACTION NTAPI ev_inspect(PVOID, PWSKA_SOCKADDR, PWSKA_SOCKADDR, PWSK_INSPECT_ID);
static NTSTATUS NTAPI ev_abort(PVOID, PWSK_INSPECT_ID);
static NTSTATUS NTAPI ev_receive_from(PVOID, ULONG, PWSK_DATAGRAM_INDICATION);
static NTSTATUS NTAPI ev_receive(PVOID, ULONG, PWSK_DATA_INDICATION, SIZE_T, SIZE_T *);
static NTSTATUS NTAPI ev_disconnect(PVOID, ULONG);
static NTSTATUS NTAPI ev_send_backlog(PVOID, SIZE_T);
static NTSTATUS NTAPI ev_client(PVOID, ULONG, PVOID, SIZE_T);

const WSK_CLIENT_DISPATCH events_client_dispatch = {WSKA_MAKE_WSK_VERSION(1, 0), 0, ev_client};

static void fill_listen(WSK_CLIENT_LISTEN_DISPATCH *t, ULONG entries)
{
    t->WskAcceptEvent = (entries & DISP_ACCEPT) ? ev_accept : NULL;
    t->WskInspectEvent = (entries & DISP_INSPECT) ? ev_inspect : NULL;
    t->WskAbortEvent = (entries & DISP_ABORT) ? ev_abort : NULL;
}

static void fill_connection(WSK_CLIENT_CONNECTION_DISPATCH *t, ULONG entries)
{
    t->WskReceiveEvent = (entries & DISP_RECEIVE) ? ev_receive : NULL;
    t->WskDisconnectEvent = (entries & DISP_DISCONNECT) ? ev_disconnect : NULL;
    t->WskSendBacklogEvent = (entries & DISP_SEND_BACKLOG) ? ev_send_backlog : NULL;
}

/* Builds a table; the caller holds no lock (allocation may happen at
 * DISPATCH_LEVEL in an accept callback, which nonpaged pool allows). */
static TABLE *new_table(SESSION *s, UCHAR kind, ULONG entries)
{
    KIRQL irql;
    TABLE *t = agent_alloc(sizeof(*t));
    if (!t)
        return NULL;
    switch (kind) {
    case DISP_LISTEN:
        fill_listen((WSK_CLIENT_LISTEN_DISPATCH *)t->body, entries);
        break;
    case DISP_DATAGRAM:
        ((WSK_CLIENT_DATAGRAM_DISPATCH *)t->body)->WskReceiveFromEvent =
            (entries & DISP_RECEIVE_FROM) ? ev_receive_from : NULL;
        break;
    case DISP_CONNECTION:
        fill_connection((WSK_CLIENT_CONNECTION_DISPATCH *)t->body, entries);
        break;
    case DISP_STREAM: {
        WSK_CLIENT_STREAM_DISPATCH *sd = (WSK_CLIENT_STREAM_DISPATCH *)t->body;
        fill_listen(&t->listen, entries);
        fill_connection(&t->connection, entries);
        sd->Listen = (entries & (DISP_ACCEPT | DISP_INSPECT | DISP_ABORT)) ? &t->listen : NULL;
        sd->Connect = (entries & (DISP_RECEIVE | DISP_DISCONNECT | DISP_SEND_BACKLOG)) ? &t->connection : NULL;
        break;
    }
    default:
        break; /* FOREIGN: a zeroed 64-byte block that is no table at all */
    }
    KeAcquireSpinLock(&s->lock, &irql);
    InsertTailList(&s->tables, &t->link);
    KeReleaseSpinLock(&s->lock, irql);
    return t;
}

const VOID *events_table(SESSION *s, const w_disp *d, int *code)
{
    TABLE *t;
    *code = E_OK;
    if (d->kind == DISP_NULL)
        return NULL;
    if (d->kind == DISP_FOREIGN && !(g_misuse & FEAT_MISUSE_FOREIGN)) {
        *code = E_REFUSED; /* MISUSE_FOREIGN is not offered */
        return NULL;
    }
    t = new_table(s, d->kind, d->entries);
    if (!t)
        *code = E_RESOURCES;
    return t ? t->body : NULL;
}

void events_free_tables(SESSION *s)
{
    while (!IsListEmpty(&s->tables))
        agent_free(CONTAINING_RECORD(RemoveHeadList(&s->tables), TABLE, link));
}

/* ---- the callbacks ---- */

static NTSTATUS NTAPI ev_accept(PVOID context, ULONG flags, PWSKA_SOCKADDR local, PWSKA_SOCKADDR remote,
                                PWSK_SOCKET accepted, PVOID *accept_context,
                                const WSK_CLIENT_CONNECTION_DISPATCH **accept_dispatch)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    UCHAR l[W_MAX_SOCKADDR], r[W_MAX_SOCKADDR];
    NTSTATUS answer = STATUS_REQUEST_NOT_ACCEPTED;
    init_event(&ev, EV_ACCEPT, context, flags);
    if (s) {
        name_socket(s, &ev);
        if (accepted && s->policy.accept == 0) {
            ULONGLONG token = 0;
            TABLE *t = new_table(s, DISP_CONNECTION, s->policy.accept_entries);
            if (t) {
                SOCK *k;
                if (s->policy.accept_context)
                    token = (ULONGLONG)InterlockedIncrement64((LONG64 *)&s->next_token) | (1ull << 63);
                k = socks_adopt(s, accepted, TABLE_CONNECTION, token,
                                (ULONG)InterlockedIncrement((LONG *)&s->next_table) | 0x80000000u);
                if (k) {
                    ev.new_socket = k->e.id;
                    ev.tables = TABLE_CONNECTION;
                    ev.new_context = token;
                    ev.new_table = k->table_id;
                    if (accept_context)
                        *accept_context = (PVOID)(ULONG_PTR)token;
                    if (accept_dispatch)
                        *accept_dispatch = (const WSK_CLIENT_CONNECTION_DISPATCH *)t->body;
                    answer = STATUS_SUCCESS;
                }
            }
        } else if (accepted) {
            ev.new_socket = 0;
        }
        ev.local = copy_sa(l, local);
        ev.remote = copy_sa(r, remote);
        ev.answer = (ULONG)answer;
        send_event(s, &ev, NULL, 0);
        session_put(s);
    }
    return answer;
}

static WSK_INSPECT_ACTION NTAPI ev_inspect(PVOID context, PWSKA_SOCKADDR local, PWSKA_SOCKADDR remote,
                                          PWSK_INSPECT_ID id)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    UCHAR l[W_MAX_SOCKADDR], r[W_MAX_SOCKADDR];
    WSK_INSPECT_ACTION action = WskInspectAccept;
    init_event(&ev, EV_INSPECT, context, 0);
    if (s) {
        action = (WSK_INSPECT_ACTION)s->policy.inspect;
        name_socket(s, &ev);
        if (id) {
            KIRQL irql;
            ev.inspect_id = id->Key;
            KeAcquireSpinLock(&s->lock, &irql);
            s->inspect_ids[s->next_inspect++ % MAX_INSPECT_IDS] = *id;
            KeReleaseSpinLock(&s->lock, irql);
        }
        ev.local = copy_sa(l, local);
        ev.remote = copy_sa(r, remote);
        ev.answer = (ULONG)action;
        send_event(s, &ev, NULL, 0);
        session_put(s);
    }
    return action;
}

/* The callbacks that only report and return STATUS_SUCCESS: abort,
 * disconnect, send backlog and the client-level event. */
static NTSTATUS report_only(UCHAR kind, PVOID context, ULONG flags, ULONG64 indicated, ULONG64 inspect_id)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    init_event(&ev, kind, context, flags);
    if (s) {
        name_socket(s, &ev);
        ev.indicated = indicated;
        ev.inspect_id = inspect_id;
        send_event(s, &ev, NULL, 0);
        session_put(s);
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI ev_abort(PVOID context, PWSK_INSPECT_ID id)
{
    return report_only(EV_ABORT, context, 0, 0, id ? id->Key : 0);
}

static NTSTATUS NTAPI ev_receive(PVOID context, ULONG flags, PWSK_DATA_INDICATION list, SIZE_T indicated,
                                 SIZE_T *accepted)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    NTSTATUS answer = STATUS_SUCCESS;
    SIZE_T take = indicated;
    UCHAR *data = NULL;
    ULONG ndata = 0;
    SOCK *k;
    init_event(&ev, EV_RECEIVE, context, flags);
    if (!s) {
        if (accepted)
            *accepted = indicated;
        return STATUS_SUCCESS;
    }
    k = name_socket(s, &ev);
    if (k && InterlockedIncrement(&k->in_receive) > 1)
        ev.concurrent = 1;
    {
        /* policy 0 takes the bytes of the list, which is BytesIndicated
         * from a correct provider (protocol section 6) */
        PWSK_DATA_INDICATION d;
        ULONG guard = 0;
        take = 0;
        for (d = list; d && guard < MAX_INDICATIONS; d = d->Next, guard++)
            take += d->Buffer.Length;
    }
    switch (s->policy.receive) {
    case 1:
        take = s->policy.receive_bytes < indicated ? s->policy.receive_bytes : indicated;
        break;
    case 2:
        answer = STATUS_DATA_NOT_ACCEPTED;
        take = 0;
        break;
    case 3:
        answer = STATUS_PENDING;
        take = 0;
        break;
    }
    if (accepted && answer == STATUS_SUCCESS)
        *accepted = take;
    data = agent_alloc(W_MAX_DATA);
    if (data && list) {
        PWSK_DATA_INDICATION d;
        ULONG guard = 0;
        for (d = list; d && ndata < W_MAX_DATA && guard < MAX_INDICATIONS; d = d->Next, guard++)
            ndata += read_wsk_buf(&d->Buffer, data + ndata, W_MAX_DATA - ndata);
    }
    if (answer == STATUS_PENDING && list)
        ev.indication = retain(s, k, list, FALSE);
    ev.answer = (ULONG)answer;
    ev.accepted = answer == STATUS_SUCCESS ? take : 0;
    ev.indicated = indicated;
    send_event(s, &ev, data, ndata);
    agent_free(data);
    if (k)
        InterlockedDecrement(&k->in_receive);
    session_put(s);
    return answer;
}

static NTSTATUS NTAPI ev_receive_from(PVOID context, ULONG flags, PWSK_DATAGRAM_INDICATION list)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    NTSTATUS answer = STATUS_SUCCESS;
    PWSK_DATAGRAM_INDICATION d;
    USHORT count = 0, index = 0;
    ULONG indication = 0;
    UCHAR *data;
    SOCK *k;
    if (!s)
        return STATUS_SUCCESS;
    init_event(&ev, EV_RECEIVE_FROM, context, flags);
    k = name_socket(s, &ev);
    if (s->policy.receive_from == 2)
        answer = STATUS_DATA_NOT_ACCEPTED;
    else if (s->policy.receive_from == 3)
        answer = STATUS_PENDING;
    for (d = list; d && count < MAX_INDICATIONS; d = d->Next)
        count++;
    if (answer == STATUS_PENDING && list)
        indication = retain(s, k, list, TRUE);
    data = agent_alloc(W_MAX_DATA);
    for (d = list; d && index < count; d = d->Next, index++) {
        UCHAR r[W_MAX_SOCKADDR];
        ULONG ndata = data ? read_wsk_buf(&d->Buffer, data, W_MAX_DATA) : 0;
        EVENT_INFO one = ev;
        one.answer = (ULONG)answer;
        one.indication = indication;
        one.index = index;
        one.count = count;
        one.indicated = d->Buffer.Length;
        one.remote = copy_sa(r, d->RemoteAddress);
        send_event(s, &one, data, ndata);
    }
    agent_free(data);
    session_put(s);
    return answer;
}

static NTSTATUS NTAPI ev_disconnect(PVOID context, ULONG flags)
{
    return report_only(EV_DISCONNECT, context, flags, 0, 0);
}

static NTSTATUS NTAPI ev_send_backlog(PVOID context, SIZE_T ideal)
{
    return report_only(EV_SEND_BACKLOG, context, 0, ideal, 0);
}

/* WskClientEvent, registered when REGISTER asks (REG_CLIENT_EVENT): the
 * context is the registration's ClientContext; cb_flags carries the
 * EventType and indicated the InformationLength. It answers
 * STATUS_NOT_IMPLEMENTED, as Microsoft's WskClientEvent page has a client
 * answer while no client-level event is defined, and as the suite's own
 * client answers (CEV-02). */
static NTSTATUS NTAPI ev_client(PVOID context, ULONG type, PVOID info, SIZE_T len)
{
    SESSION *s = session_get_current();
    EVENT_INFO ev;
    (void)info;
    init_event(&ev, EV_CLIENT, context, type);
    ev.indicated = len;
    ev.answer = (ULONG)STATUS_NOT_IMPLEMENTED;
    if (s) {
        send_event(s, &ev, NULL, 0);
        session_put(s);
    }
    return STATUS_NOT_IMPLEMENTED;
}

/* The session's end: every indication list a receive callback kept and the
 * suite did not release goes back to the provider with WskRelease on its
 * socket, before the socket is closed (a client must release what it kept
 * before it closes the socket: IND-02). A list whose socket is closed or
 * unnamed is left as it is. */
void events_release_all(SESSION *s)
{
    ENTRY *e;
    while ((e = session_pop(s, &s->indications)) != NULL) {
        INDICATION *ind = (INDICATION *)e;
        SOCK *k = ind->sock;
        const VOID *d = k && !k->closed ? k->socket->Dispatch : NULL;
        if (d && ind->datagram && (k->tables & TABLE_DATAGRAM)) {
            const WSK_PROVIDER_DATAGRAM_DISPATCH *t = d;
            if (t->WskRelease)
                t->WskRelease(k->socket, ind->list);
        } else if (d && (k->tables & TABLE_STREAM)) {
            const WSK_PROVIDER_STREAM_DISPATCH *t = d;
            if (t->WskRelease)
                t->WskRelease(k->socket, ind->list);
        } else if (d && (k->tables & TABLE_CONNECTION)) {
            const WSK_PROVIDER_CONNECTION_DISPATCH *t = d;
            if (t->WskRelease)
                t->WskRelease(k->socket, ind->list);
        }
        agent_free(ind);
    }
}

/* What a kept list describes, for WskRelease's CALL_R output (protocol
 * section 5.1): every byte is counted and hashed (FNV-1a, 64 bits) and the
 * first ones copied, so the suite can tell whether the list still
 * describes what was indicated (IND-01) however long it is. */
typedef struct DIGEST {
    ULONG64 total, hash;
    COPY head;
} DIGEST;

static void digest_piece(PVOID ctx, const UCHAR *p, SIZE_T n)
{
    DIGEST *d = ctx;
    SIZE_T i;
    for (i = 0; i < n; i++) {
        d->hash ^= p[i];
        d->hash *= 0x100000001B3ull;
    }
    d->total += n;
    copy_piece(&d->head, p, n);
}

ULONG events_kept_bytes(const INDICATION *ind, UCHAR *out, ULONG cap)
{
    /* WSK_DATA_INDICATION and WSK_DATAGRAM_INDICATION both begin with Next
     * and Buffer */
    PWSK_DATA_INDICATION e;
    DIGEST d;
    ULONG guard = 0;
    w_writer w;
    if (cap < 12)
        return 0;
    d.total = 0;
    d.hash = 0xCBF29CE484222325ull;
    d.head.out = out + 12;
    d.head.cap = cap - 12;
    d.head.got = 0;
    for (e = ind->list; e && guard < MAX_INDICATIONS; e = e->Next, guard++)
        visit_wsk_buf(&e->Buffer, digest_piece, &d);
    w.p = out;
    w.cap = 12;
    w.n = 0;
    w.overflow = 0;
    w_u32(&w, (uint32_t)(d.total > 0xFFFFFFFFu ? 0xFFFFFFFFu : d.total));
    w_u64(&w, d.hash);
    return 12 + d.head.got;
}

/* WSK_EVENT_CALLBACK_CONTROL for SO_WSK_EVENT_CALLBACK and
 * WSK_SET_STATIC_EVENT_CALLBACKS: the suite sends the 4-byte event mask (the
 * NPI id is always WSK's); the provider reads the C structure. */
ULONG events_callback_control(const UCHAR *mask4, UCHAR *out)
{
    WSK_EVENT_CALLBACK_CONTROL c;
    c.NpiId = &NPI_WSK_INTERFACE_ID;
    c.EventMask = (ULONG)mask4[0] | ((ULONG)mask4[1] << 8) | ((ULONG)mask4[2] << 16) | ((ULONG)mask4[3] << 24);
    RtlCopyMemory(out, &c, sizeof(c));
    return sizeof(c);
}
