/* CALL (protocol section 5): one WSK dispatch call on the provider. The
 * target and the IRP are looked up by id; the socket's category decides
 * whether the op exists (E_TABLE) and which of the provider's tables is read;
 * arguments are built into agent memory that lives as long as the IRP may;
 * then the provider is called, and CALL_R is appended together with
 * "returned" under the queue lock, so completions that ran during the call
 * are before it (phase 0) and later ones after it (phase 1). */
#include "state.h"

#define SO_WSK_EVENT_CALLBACK_CODE 0x4002u
#define SOL_SOCKET_LEVEL 0xFFFFu
#define WSK_CACHE_SD_CODE 4u
#define WSK_SET_STATIC_EVENT_CALLBACKS_CODE 7u

/* The wire's WskControlSocket request is 1 WskSetOption, 2 WskGetOption,
 * 3 WskIoctl (protocol section 5.1, the Go vocabulary's values); wsk.h's
 * WSK_CONTROL_SOCKET_TYPE counts from 0. Any other value stays as far
 * outside the enumeration as it was. */
#define WIRE_SET_OPTION 1u
static WSK_CONTROL_SOCKET_TYPE request_type(ULONG wire)
{
    return (WSK_CONTROL_SOCKET_TYPE)(wire - 1u);
}

/* The provider's functions for one socket, read from the table of the
 * category the socket was created in. */
typedef struct FNS {
    PFN_WSK_CONTROL_SOCKET control;
    PFN_WSK_CLOSE_SOCKET close;
    PFN_WSK_BIND bind;
    PFN_WSK_ACCEPT accept;
    PFN_WSK_INSPECT_COMPLETE inspect;
    PFN_WSK_GET_LOCAL_ADDRESS local;
    PFN_WSK_GET_REMOTE_ADDRESS remote;
    PFN_WSK_CONNECT connect;
    PFN_WSK_CONNECT_EX connect_ex;
    PFN_WSK_SEND send;
    PFN_WSK_RECEIVE receive;
    PFN_WSK_DISCONNECT disconnect;
    PFN_WSK_RELEASE_DATA_INDICATION_LIST release;
    PFN_WSK_LISTEN listen;
    PFN_WSK_SEND_TO send_to;
    PFN_WSK_RECEIVE_FROM receive_from;
    PFN_WSK_RELEASE_DATAGRAM_INDICATION_LIST release_dg;
    PFN_WSK_SEND_MESSAGES send_messages;
} FNS;

static void resolve(const SOCK *k, FNS *f)
{
    const VOID *d = k->socket->Dispatch;
    RtlZeroMemory(f, sizeof(*f));
    if (!d)
        return;
    {
        const WSK_PROVIDER_BASIC_DISPATCH *b = d;
        f->control = b->WskControlSocket;
        f->close = b->WskCloseSocket;
    }
    if (k->tables & TABLE_STREAM) {
        const WSK_PROVIDER_STREAM_DISPATCH *t = d;
        f->bind = t->WskBind;
        f->accept = t->WskAccept;
        f->connect = t->WskConnect;
        f->listen = t->WskListen;
        f->send = t->WskSend;
        f->receive = t->WskReceive;
        f->disconnect = t->WskDisconnect;
        f->release = t->WskRelease;
        f->local = t->WskGetLocalAddress;
        f->remote = t->WskGetRemoteAddress;
        f->connect_ex = t->WskConnectEx;
    } else if (k->tables & TABLE_LISTEN) {
        const WSK_PROVIDER_LISTEN_DISPATCH *t = d;
        f->bind = t->WskBind;
        f->accept = t->WskAccept;
        f->inspect = t->WskInspectComplete;
        f->local = t->WskGetLocalAddress;
    } else if (k->tables & TABLE_DATAGRAM) {
        const WSK_PROVIDER_DATAGRAM_DISPATCH *t = d;
        f->bind = t->WskBind;
        f->send_to = t->WskSendTo;
        f->receive_from = t->WskReceiveFrom;
        f->release_dg = t->WskRelease;
        f->local = t->WskGetLocalAddress;
        f->send_messages = t->WskSendMessages;
    } else if (k->tables & TABLE_CONNECTION) {
        const WSK_PROVIDER_CONNECTION_DISPATCH *t = d;
        f->bind = t->WskBind;
        f->connect = t->WskConnect;
        f->local = t->WskGetLocalAddress;
        f->remote = t->WskGetRemoteAddress;
        f->send = t->WskSend;
        f->receive = t->WskReceive;
        f->disconnect = t->WskDisconnect;
        f->release = t->WskRelease;
        f->connect_ex = t->WskConnectEx;
    }
}

/* Whether the op's entry is non-NULL in the provider's table. */
static BOOLEAN has_entry(const FNS *f, USHORT op)
{
    switch (op) {
    case OP_CONTROL_SOCKET: return f->control != NULL;
    case OP_CLOSE_SOCKET: return f->close != NULL;
    case OP_BIND: return f->bind != NULL;
    case OP_ACCEPT: return f->accept != NULL;
    case OP_INSPECT_COMPLETE: return f->inspect != NULL;
    case OP_GET_LOCAL_ADDRESS: return f->local != NULL;
    case OP_GET_REMOTE_ADDRESS: return f->remote != NULL;
    case OP_CONNECT: return f->connect != NULL;
    case OP_CONNECT_EX: return f->connect_ex != NULL;
    case OP_SEND: return f->send != NULL;
    case OP_RECEIVE: return f->receive != NULL;
    case OP_DISCONNECT: return f->disconnect != NULL;
    case OP_RELEASE_CONNECTION: return f->release != NULL;
    case OP_LISTEN: return f->listen != NULL;
    case OP_SEND_TO: return f->send_to != NULL;
    case OP_RECEIVE_FROM: return f->receive_from != NULL;
    case OP_RELEASE_DATAGRAM: return f->release_dg != NULL;
    case OP_SEND_MESSAGES: return f->send_messages != NULL;
    default: return FALSE;
    }
}

/* Ops that take no IRP, or for which a NULL IRP is the documented way. */
static BOOLEAN irp_optional(USHORT op)
{
    return op == OP_CONTROL_SOCKET || op == OP_CONTROL_CLIENT;
}

static BOOLEAN takes_irp(USHORT op)
{
    return op != OP_RELEASE_CONNECTION && op != OP_RELEASE_DATAGRAM && op != OP_FREE_ADDRESS_INFO;
}

static BOOLEAN is_name(USHORT op)
{
    return op == OP_GET_ADDRESS_INFO || op == OP_FREE_ADDRESS_INFO || op == OP_GET_NAME_INFO;
}

static ULONG category_tables(ULONG flags)
{
    if (flags & WSKA_FLAG_STREAM_SOCKET)
        return TABLE_LISTEN | TABLE_CONNECTION | TABLE_STREAM;
    if (flags & WSKA_FLAG_LISTEN_SOCKET)
        return TABLE_LISTEN;
    if (flags & WSKA_FLAG_DATAGRAM_SOCKET)
        return TABLE_DATAGRAM;
    if (flags & WSKA_FLAG_CONNECTION_SOCKET)
        return TABLE_CONNECTION;
    return 0;
}

/* A SOCKADDR argument: NULL, or its bytes in a zeroed MAX_SOCKADDR buffer. */
static int sa_in(const w_sa *sa, UCHAR **out)
{
    *out = NULL;
    if (sa->null)
        return E_OK;
    *out = agent_alloc(W_MAX_SOCKADDR);
    if (!*out)
        return E_RESOURCES;
    if (sa->n)
        RtlCopyMemory(*out, sa->p, sa->n);
    return E_OK;
}

static BOOLEAN known_sd(SESSION *s, ULONGLONG sd)
{
    ULONG i;
    for (i = 0; i < s->nsds; i++)
        if (s->sds[i] == sd)
            return TRUE;
    return FALSE;
}

static void remember_sd(SESSION *s, const UCHAR *out, ULONG size)
{
    ULONGLONG v = 0;
    if (size < 8 || s->nsds >= MAX_SDS)
        return;
    RtlCopyMemory(&v, out, 8);
    if (v)
        s->sds[s->nsds++] = v;
}


/* Everything a call needs besides the IRP. */
typedef struct ARGS {
    UCHAR *ctl_in, *ctl_out;
    SIZE_T ctl_returned;
    ULONG ctl_in_len;
    const VOID *table;
    UCHAR *sa1, *sa2;
    ABUF *buf;
    INDICATION *ind;
    UCHAR *out; /* CALL_R's output of a call that is no control call (WskFreeAddressInfo) */
    ULONG outlen;
} ARGS;

static void reply(SESSION *s, ULONG seq, AIRP *a, NTSTATUS st, const ARGS *g, const w_call *c)
{
    w_writer w;
    ULONG n;
    KIRQL irql;
    BOOLEAN control = c->op == OP_CONTROL_CLIENT || c->op == OP_CONTROL_SOCKET;
    w_begin(&w, s->reply, sizeof(s->reply), W_CALL | W_REPLY, seq);
    w_u32(&w, (ULONG)st);
    w_u8(&w, 0); /* fault: a mingw-built driver cannot catch a provider's exception */
    w_u8(&w, 0);
    w_u16(&w, 0);
    w_u32(&w, control && !(c->call_flags & CALL_NULL_OUT_SIZE) ? (ULONG)(a ? a->ctl_returned : g->ctl_returned) : 0);
    if (control && g->ctl_out)
        w_bytes(&w, g->ctl_out, c->output_size);
    else
        w_bytes(&w, g->out, g->out ? g->outlen : 0);
    w_text(&w, "");
    n = (ULONG)w_end(&w);
    irql = outq_lock(&s->q);
    if (a && a->irp)
        a->returned = 1;
    s->idle = 1;
    outq_append_locked(&s->q, s->reply, n);
    outq_unlock(&s->q, irql);
    outq_kick(&s->q);
}

static void refuse(SESSION *s, ULONG seq, int code, const char *what)
{
    frames_error(s, seq, (ULONG)code, what);
}

/* Builds the op's arguments into g (and the IRP's attachments). */
static int prepare(SESSION *s, const w_call *c, AIRP *a, ARGS *g, const char **what)
{
    int code = E_OK;
    ULONG i;
    if (is_name(c->op)) {
        code = names_prepare(s, c, a, what);
        if (!code && c->op == OP_FREE_ADDRESS_INFO && !(g->out = agent_alloc(W_MAX_CONTROL)))
            code = E_RESOURCES;
        return code;
    }
    switch (c->op) {
    case OP_SOCKET:
    case OP_SOCKET_CONNECT:
        if (c->process || c->thread) {
            *what = "another process or thread (the agent names none)";
            return E_REFUSED;
        }
        if (c->sd && !known_sd(s, c->sd) && !(g_misuse & FEAT_MISUSE_FOREIGN)) {
            *what = "a security descriptor no WSK_CACHE_SD made (MISUSE_FOREIGN not offered)";
            return E_REFUSED;
        }
        g->table = events_table(s, &c->disp, &code);
        if (code) {
            *what = "dispatch table";
            return code;
        }
        a->new_tables = c->op == OP_SOCKET ? category_tables(c->flags) : TABLE_CONNECTION;
        a->new_context = c->context;
        a->new_table_id = c->disp.table_id;
        if (c->op == OP_SOCKET_CONNECT) {
            if ((code = sa_in(&c->local, &a->in_local)) || (code = sa_in(&c->remote, &a->in_remote)))
                break;
        }
        break;
    case OP_CONTROL_CLIENT:
    case OP_CONTROL_SOCKET: {
        BOOLEAN ecc = c->input_len == 4 &&
                      ((c->op == OP_CONTROL_SOCKET && c->request == WIRE_SET_OPTION &&
                        c->code == SO_WSK_EVENT_CALLBACK_CODE && c->level == SOL_SOCKET_LEVEL) ||
                       (c->op == OP_CONTROL_CLIENT && c->code == WSK_SET_STATIC_EVENT_CALLBACKS_CODE));
        if (c->input_len) {
            g->ctl_in = agent_alloc(ecc ? sizeof(WSK_EVENT_CALLBACK_CONTROL) : c->input_len);
            if (!g->ctl_in)
                return E_RESOURCES;
            if (ecc) {
                g->ctl_in_len = events_callback_control(c->input, g->ctl_in);
            } else {
                RtlCopyMemory(g->ctl_in, c->input, c->input_len);
                g->ctl_in_len = c->input_len;
            }
        }
        if (c->output_size && !(g->ctl_out = agent_alloc(c->output_size)))
            return E_RESOURCES;
        break;
    }
    case OP_BIND:
        code = sa_in(&c->local, &g->sa1);
        break;
    case OP_CONNECT:
    case OP_CONNECT_EX:
    case OP_SEND_TO:
    case OP_SEND_MESSAGES:
        code = sa_in(&c->remote, &g->sa2);
        break;
    case OP_ACCEPT:
        g->table = events_table(s, &c->disp, &code);
        if (code) {
            *what = "dispatch table";
            return code;
        }
        a->new_tables = TABLE_CONNECTION;
        a->new_context = c->context;
        a->new_table_id = c->disp.table_id;
        if (c->want_local && !(a->local = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        if (c->want_remote && !(a->remote = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        break;
    case OP_GET_LOCAL_ADDRESS:
        if (c->want && !(a->local = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        break;
    case OP_GET_REMOTE_ADDRESS:
        if (c->want && !(a->remote = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        break;
    case OP_RECEIVE_FROM:
        if (c->want_remote && !(a->remote = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        break;
    case OP_RELEASE_DATAGRAM:
    case OP_RELEASE_CONNECTION:
        if (c->indication) {
            g->ind = (INDICATION *)session_lookup(s, &s->indications, c->indication, TRUE);
            if (!g->ind) {
                *what = "unknown indication";
                return E_ID;
            }
            /* what the list describes just before the release (IND-01) */
            if (!(g->out = agent_alloc(W_MAX_CONTROL)))
                return E_RESOURCES;
            g->outlen = events_kept_bytes(g->ind, g->out, W_MAX_CONTROL);
        }
        break;
    default:
        break;
    }
    if (code)
        return code;
    /* data buffers */
    switch (c->op) {
    case OP_SEND:
    case OP_RECEIVE:
    case OP_SEND_TO:
    case OP_RECEIVE_FROM:
    case OP_CONNECT_EX:
    case OP_DISCONNECT: {
        BOOLEAN send = c->op != OP_RECEIVE && c->op != OP_RECEIVE_FROM;
        BOOLEAN optional = c->op == OP_CONNECT_EX || c->op == OP_DISCONNECT;
        if (!c->buf.present && !optional && !(g_misuse & FEAT_MISUSE_BAD_BUF)) {
            *what = "a NULL PWSK_BUF (MISUSE_BAD_BUF not offered)";
            return E_REFUSED;
        }
        code = bufs_build(s, &c->buf, send, &a->buf, what);
        break;
    }
    case OP_SEND_MESSAGES:
        if (c->nbufs == 0) {
            *what = "WskSendMessages with no buffer (not offered)";
            return E_REFUSED;
        }
        a->bufs = agent_alloc(sizeof(ABUF *) * c->nbufs);
        a->blist = agent_alloc(sizeof(WSK_BUF_LIST) * c->nbufs);
        if (!a->bufs || !a->blist)
            return E_RESOURCES;
        for (i = 0; i < c->nbufs; i++) {
            if (!c->bufs[i].present) {
                *what = "a NULL buffer in the list (not offered)";
                return E_REFUSED;
            }
            code = bufs_build(s, &c->bufs[i], TRUE, &a->bufs[i], what);
            if (code)
                return code;
            a->nbufs = i + 1;
            a->blist[i].Buffer = a->bufs[i]->wb;
            a->blist[i].Next = i + 1 < c->nbufs ? &a->blist[i + 1] : NULL;
        }
        break;
    default:
        break;
    }
    return code;
}

/* The SerialNumber of the newest WSK_INSPECT_ID WskInspectEvent was given
 * with this Key; 0 for a Key it never was (INSP-04 misuse the provider
 * must survive). */
static ULONG inspect_serial(SESSION *s, ULONG_PTR key)
{
    KIRQL irql;
    ULONG serial = 0, i, n;
    KeAcquireSpinLock(&s->lock, &irql);
    n = s->next_inspect < MAX_INSPECT_IDS ? s->next_inspect : MAX_INSPECT_IDS;
    for (i = 1; i <= n; i++) {
        const WSK_INSPECT_ID *id = &s->inspect_ids[(s->next_inspect - i) % MAX_INSPECT_IDS];
        if (id->Key == key) {
            serial = id->SerialNumber;
            break;
        }
    }
    KeReleaseSpinLock(&s->lock, irql);
    return serial;
}

static NTSTATUS invoke(SESSION *s, const w_call *c, CLIENT *cl, SOCK *k, const FNS *f, AIRP *a, ARGS *g)
{
    PIRP irp = a ? a->irp : NULL;
    PWSK_SOCKET so = k ? k->socket : NULL;
    SIZE_T *ret = (c->call_flags & CALL_NULL_OUT_SIZE) ? NULL : (a ? &a->ctl_returned : &g->ctl_returned);
    PWSK_BUF wb = a && a->buf ? &a->buf->wb : NULL;
    switch (c->op) {
    case OP_SOCKET:
        return cl->dispatch->WskSocket(cl->client, c->family, c->socktype, c->protocol, c->flags,
                                       (PVOID)(ULONG_PTR)c->context, g->table, NULL, NULL,
                                       (PSECURITY_DESCRIPTOR)(ULONG_PTR)c->sd, irp);
    case OP_SOCKET_CONNECT:
        return cl->dispatch->WskSocketConnect(cl->client, c->socktype, c->protocol, (PWSKA_SOCKADDR)a->in_local,
                                              (PWSKA_SOCKADDR)a->in_remote, c->flags,
                                              (PVOID)(ULONG_PTR)c->context, g->table, NULL, NULL,
                                              (PSECURITY_DESCRIPTOR)(ULONG_PTR)c->sd, irp);
    case OP_GET_ADDRESS_INFO:
    case OP_GET_NAME_INFO:
        return names_invoke(c, cl, a);
    case OP_FREE_ADDRESS_INFO:
        names_free_call(s, c, g->out, W_MAX_CONTROL, &g->outlen);
        return STATUS_SUCCESS; /* VOID: the reply says it returned */
    case OP_CONTROL_CLIENT:
        return cl->dispatch->WskControlClient(cl->client, c->code, g->ctl_in_len, g->ctl_in, c->output_size,
                                              g->ctl_out, ret, irp);
    case OP_CONTROL_SOCKET:
        return f->control(so, request_type(c->request), c->code, c->level, g->ctl_in_len, g->ctl_in,
                          c->output_size, g->ctl_out, ret, irp);
    case OP_CLOSE_SOCKET: return f->close(so, irp);
    case OP_BIND: return f->bind(so, (PWSKA_SOCKADDR)g->sa1, c->flags, irp);
    case OP_ACCEPT:
        return f->accept(so, c->flags, (PVOID)(ULONG_PTR)c->context, g->table, (PWSKA_SOCKADDR)a->local,
                         (PWSKA_SOCKADDR)a->remote, irp);
    case OP_INSPECT_COMPLETE: {
        WSK_INSPECT_ID id;
        id.Key = (ULONG_PTR)c->inspect_id;
        id.SerialNumber = inspect_serial(s, id.Key);
        return f->inspect(so, &id, (WSK_INSPECT_ACTION)c->action, irp);
    }
    case OP_GET_LOCAL_ADDRESS: return f->local(so, (PWSKA_SOCKADDR)a->local, irp);
    case OP_GET_REMOTE_ADDRESS: return f->remote(so, (PWSKA_SOCKADDR)a->remote, irp);
    case OP_CONNECT: return f->connect(so, (PWSKA_SOCKADDR)g->sa2, c->flags, irp);
    case OP_CONNECT_EX: return f->connect_ex(so, (PWSKA_SOCKADDR)g->sa2, wb, c->flags, irp);
    case OP_SEND: return f->send(so, wb, c->flags, irp);
    case OP_RECEIVE: return f->receive(so, wb, c->flags, irp);
    case OP_DISCONNECT: return f->disconnect(so, wb, c->flags, irp);
    case OP_LISTEN: return f->listen(so, irp);
    case OP_SEND_TO: return f->send_to(so, wb, c->flags, (PWSKA_SOCKADDR)g->sa2, 0, NULL, irp);
    case OP_RECEIVE_FROM:
        return f->receive_from(so, wb, c->flags, (PWSKA_SOCKADDR)a->remote, &a->ctl_len, NULL, &a->ctl_flags, irp);
    case OP_SEND_MESSAGES:
        return f->send_messages(so, a->blist, c->flags, (PWSKA_SOCKADDR)g->sa2, 0, NULL, irp);
    case OP_RELEASE_CONNECTION:
        return f->release(so, g->ind ? (PWSK_DATA_INDICATION)g->ind->list : NULL);
    case OP_RELEASE_DATAGRAM:
        return f->release_dg(so, g->ind ? (PWSK_DATAGRAM_INDICATION)g->ind->list : NULL);
    default: return STATUS_NOT_IMPLEMENTED;
    }
}


void calls_execute(SESSION *s, ULONG seq, const w_call *c)
{
    CLIENT *cl = NULL;
    SOCK *k = NULL;
    AIRP *a = NULL;
    FNS f;
    ARGS g;
    NTSTATUS st;
    const char *what = "argument";
    int code;
    RtlZeroMemory(&g, sizeof(g));
    RtlZeroMemory(&f, sizeof(f));
    if (w_op_is_client(c->op)) {
        if (c->target == 0) {
            refuse(s, seq, E_REFUSED, "a NULL WSK_CLIENT (not offered)");
            return;
        }
        cl = (CLIENT *)session_lookup(s, &s->clients, c->target, FALSE);
        if (!cl || !cl->dispatch) {
            refuse(s, seq, E_ID, "unknown client");
            return;
        }
        if ((c->op == OP_SOCKET && !cl->dispatch->WskSocket) ||
            (c->op == OP_SOCKET_CONNECT && !cl->dispatch->WskSocketConnect) ||
            (c->op == OP_CONTROL_CLIENT && !cl->dispatch->WskControlClient) ||
            (c->op == OP_GET_ADDRESS_INFO && !cl->dispatch->WskGetAddressInfo) ||
            (c->op == OP_FREE_ADDRESS_INFO && !cl->dispatch->WskFreeAddressInfo) ||
            (c->op == OP_GET_NAME_INFO && !cl->dispatch->WskGetNameInfo)) {
            refuse(s, seq, E_TABLE, "the provider's WSK_PROVIDER_DISPATCH has a NULL entry for the op");
            return;
        }
    } else {
        ULONG need = w_op_tables(c->op);
        k = socks_get(s, c->target);
        if (!k) {
            refuse(s, seq, E_ID, "unknown or closed socket");
            return;
        }
        if (need != 0x10 && !(k->tables & need)) {
            refuse(s, seq, E_TABLE, "the op is not in the socket's table");
            return;
        }
        resolve(k, &f);
        if (!has_entry(&f, c->op)) {
            refuse(s, seq, E_TABLE, "the provider's table has a NULL entry for the op");
            return;
        }
    }
    if (takes_irp(c->op)) {
        if (c->irp == 0 && !irp_optional(c->op)) {
            if (!(g_misuse & FEAT_MISUSE_NULL_IRP)) {
                refuse(s, seq, E_REFUSED, "a NULL IRP (MISUSE_NULL_IRP not offered)");
                return;
            }
            /* the provider gets a NULL IRP; the call's arguments live in
             * the session until the next NULL-IRP call */
            a = &s->nullirp;
            irps_release_attachments(a);
        } else if (c->irp) {
            a = irps_get(s, c->irp, TRUE);
            if (!a) {
                refuse(s, seq, E_RESOURCES, "out of pool for the IRP");
                return;
            }
            if (a->pending) {
                refuse(s, seq, E_REFUSED, "an IRP still pending in another call (MISUSE_PENDING_IRP not offered)");
                return;
            }
            irps_release_attachments(a);
        }
    }
    code = prepare(s, c, a, &g, &what);
    if (code) {
        if (a)
            irps_release_attachments(a);
        agent_free(g.sa1);
        agent_free(g.sa2);
        agent_free(g.ctl_in);
        agent_free(g.ctl_out);
        agent_free(g.ind);
        agent_free(g.out);
        refuse(s, seq, code, what);
        return;
    }
    if (a) {
        /* the IRP keeps what the provider may read or write until it
         * completes (or the session ends) */
        if (a->irp)
            irps_arm(a);
        a->op = c->op;
        a->sock = k;
        a->ctl_in = g.ctl_in;
        a->ctl_out = g.ctl_out;
        a->ctl_out_size = c->output_size;
        if (g.sa1)
            a->in_local = g.sa1;
        if (g.sa2)
            a->in_remote = g.sa2;
        /* 1.3: another thread's IoCancelIrp reaching the IRP before the
         * call takes it. No cancel routine is set yet, so only Irp->Cancel
         * is: the provider finds it when it queues the IRP (IRP-07). The
         * suite asks only for an IRP no call has taken. */
        if (a->irp && (c->call_flags & CALL_CANCELLED_FIRST))
            IoCancelIrp(a->irp);
    }
    st = invoke(s, c, cl, k, &f, a, &g);
    if (c->op == OP_CONTROL_CLIENT && c->code == WSK_CACHE_SD_CODE && NT_SUCCESS(st) && st != STATUS_PENDING &&
        g.ctl_out)
        remember_sd(s, g.ctl_out, c->output_size);
    reply(s, seq, a, st, &g, c);
    if (!a) {
        agent_free(g.sa1);
        agent_free(g.sa2);
        agent_free(g.ctl_in);
        agent_free(g.ctl_out);
    }
    if (g.ind)
        agent_free(g.ind);
    agent_free(g.out);
}
