/* The executor's side of each request frame (protocol sections 4, 6, 7, 8):
 * decode with wire/, run it, append the reply. CALL is in calls.c. A reply
 * is appended under the queue lock together with s->idle = 1, so an EVENT
 * raised during the request lands before the reply with phase 0. */
#include "state.h"

static const char *g_errors[] = {"", "E_MALFORMED", "E_TYPE", "E_VERSION", "E_STATE", "E_ID", "E_OP",
                                 "E_TABLE", "E_FIELD", "E_REFUSED", "E_RESOURCES", "E_ORDER", "E_OVERFLOW"};

static BOOLEAN fatal(ULONG code)
{
    return code == E_MALFORMED || code == E_TYPE || code == E_VERSION || code == E_OVERFLOW;
}

void frames_error(SESSION *s, ULONG seq, ULONG code, const char *what)
{
    UCHAR buf[W_HDR + 4 + 2 + W_MAX_TEXT];
    ULONG n = (ULONG)w_error_frame(buf, sizeof(buf), seq, code, what);
    KIRQL irql = outq_lock(&s->q);
    s->idle = 1;
    outq_append_locked(&s->q, buf, n);
    if (fatal(code))
        s->q.ended = TRUE;
    outq_unlock(&s->q, irql);
    outq_kick(&s->q);
    agent_log("ERROR %s for seq %lu: %s", code < 13 ? g_errors[code] : "?", seq, what ? what : "");
}

/* Appends the reply built in w (the request is over). */
static void reply(SESSION *s, w_writer *w, ULONG seq)
{
    ULONG n = (ULONG)w_end(w);
    KIRQL irql;
    if (!n) {
        frames_error(s, seq, E_RESOURCES, "reply too large for a frame");
        return;
    }
    irql = outq_lock(&s->q);
    s->idle = 1;
    outq_append_locked(&s->q, s->reply, n);
    outq_unlock(&s->q, irql);
    outq_kick(&s->q);
}

static void begin(SESSION *s, w_writer *w, USHORT type, ULONG seq)
{
    w_begin(w, s->reply, sizeof(s->reply), (USHORT)(type | W_REPLY), seq);
}

/* The provider's name for HELLO_R: Wine's ntoskrnl exports its main loop,
 * and ntdll its version, which tells Wine's netio.sys from Windows'. */
static void provider_name(char *out, ULONG cap)
{
    typedef const char *(__cdecl * GET_VERSION)(void);
    UNICODE_STRING ver;
    GET_VERSION get_version;
    const char *v = NULL;
    ULONG n = 0;
    const char *prefix;
    RtlInitUnicodeString(&ver, L"wine_get_version");
    if (!g_wine) {
        prefix = "Windows netio.sys";
    } else {
        prefix = "Wine netio.sys";
        get_version = (GET_VERSION)MmGetSystemRoutineAddress(&ver);
        if (get_version)
            v = get_version();
    }
    while (*prefix && n + 1 < cap)
        out[n++] = *prefix++;
    if (v) {
        const char *p = " (Wine ";
        while (*p && n + 1 < cap)
            out[n++] = *p++;
        while (*v && n + 2 < cap && n < 64)
            out[n++] = *v++;
        if (n + 1 < cap)
            out[n++] = ')';
    }
    out[n] = 0;
}

static void hello(SESSION *s, const w_request *r)
{
    char provider[96];
    w_writer w;
    if (s->hello) {
        frames_error(s, r->h.seq, E_STATE, "second HELLO");
        return;
    }
    if (r->u.hello.magic != W_MAGIC || r->u.hello.major != W_MAJOR) {
        frames_error(s, r->h.seq, E_VERSION, "HELLO with another magic or major version");
        return;
    }
    s->hello = TRUE;
    begin(s, &w, W_HELLO, r->h.seq);
    w_u32(&w, W_MAGIC);
    w_u16(&w, W_MAJOR);
    w_u16(&w, W_MINOR);
    w_u32(&w, W_MAX_FRAME);
    w_text(&w, WSKAGENT_NAME);
    provider_name(provider, sizeof(provider));
    w_text(&w, provider);
    /* The agent cannot know what the provider implements: every op,
     * category and provider feature is left to probing. The misuse bits
     * are the agent's own: only those the service key offers (g_misuse),
     * since each could crash the machine (Wine's WskCloseSocket
     * dereferences a NULL IRP). */
    w_u64(&w, 0);
    w_u64(&w, 0);
    w_u8(&w, 0);
    w_u8(&w, 0);
    w_u32(&w, FEAT_MISUSE_PENDING_IRP | FEAT_MISUSE_NULL_IRP | FEAT_MISUSE_BAD_BUF | FEAT_MISUSE_FOREIGN |
                  FEAT_CLIENT_EVENT | FEAT_CANCEL_FIRST);
    w_u32(&w, g_misuse | FEAT_CLIENT_EVENT | FEAT_CANCEL_FIRST);
    reply(s, &w, r->h.seq);
}

static void empty_reply(SESSION *s, USHORT type, ULONG seq)
{
    w_writer w;
    begin(s, &w, type, seq);
    reply(s, &w, seq);
}

static REG *reg_get(SESSION *s, ULONG id)
{
    return (REG *)session_lookup(s, &s->regs, id, FALSE);
}

static void do_register(SESSION *s, const w_request *r)
{
    KIRQL irql;
    REG *g;
    NTSTATUS st;
    w_writer w;
    if (reg_get(s, r->u.reg.reg)) {
        frames_error(s, r->h.seq, E_ID, "registration id already in use");
        return;
    }
    g = agent_alloc(sizeof(*g));
    if (!g) {
        frames_error(s, r->h.seq, E_RESOURCES, "out of pool");
        return;
    }
    g->e.id = r->u.reg.reg;
    /* the agent's WskClientEvent only when the suite's client has one
     * (REG_CLIENT_EVENT); otherwise NULL, as a client that implements
     * none registers (CEV-01) */
    g->dispatch = events_client_dispatch;
    g->dispatch.Version = r->u.reg.version;
    if (!(r->u.reg.flags & REG_CLIENT_EVENT))
        g->dispatch.WskClientEvent = NULL;
    g->npi.ClientContext = (PVOID)(ULONG_PTR)r->u.reg.context;
    g->npi.Dispatch = &g->dispatch;
    s->idle = 0;
    st = WskRegister(&g->npi, &g->reg);
    g->registered = NT_SUCCESS(st);
    KeAcquireSpinLock(&s->lock, &irql);
    idmap_put(&s->regs, &g->e);
    KeReleaseSpinLock(&s->lock, irql);
    begin(s, &w, W_REGISTER, r->h.seq);
    w_u32(&w, (ULONG)st);
    reply(s, &w, r->h.seq);
}

static ULONG client_id(SESSION *s, REG *g, const WSK_PROVIDER_NPI *npi)
{
    KIRQL irql;
    ULONG i, id = 0;
    CLIENT *c;
    KeAcquireSpinLock(&s->lock, &irql);
    for (i = 1; i < s->next_client; i++) {
        c = (CLIENT *)idmap_get(&s->clients, i);
        if (c && c->client == npi->Client && c->reg == g) {
            c->dispatch = npi->Dispatch;
            id = i;
            break;
        }
    }
    KeReleaseSpinLock(&s->lock, irql);
    if (id)
        return id;
    c = agent_alloc(sizeof(*c));
    if (!c)
        return 0;
    c->reg = g;
    c->client = npi->Client;
    c->dispatch = npi->Dispatch;
    KeAcquireSpinLock(&s->lock, &irql);
    c->e.id = s->next_client++;
    idmap_put(&s->clients, &c->e);
    KeReleaseSpinLock(&s->lock, irql);
    return c->e.id;
}

static void capture(SESSION *s, const w_request *r)
{
    REG *g = reg_get(s, r->u.capture.reg);
    WSK_PROVIDER_NPI npi;
    NTSTATUS st;
    ULONG id = 0;
    USHORT version = 0;
    w_writer w;
    if (!g) {
        frames_error(s, r->h.seq, E_ID, "unknown registration");
        return;
    }
    RtlZeroMemory(&npi, sizeof(npi));
    s->idle = 0;
    st = WskCaptureProviderNPI(&g->reg, r->u.capture.wait_ms, &npi);
    if (NT_SUCCESS(st)) {
        g->captures++;
        id = client_id(s, g, &npi);
        version = npi.Dispatch ? npi.Dispatch->Version : 0;
        if (!id) {
            frames_error(s, r->h.seq, E_RESOURCES, "out of pool for the client");
            return;
        }
    }
    begin(s, &w, W_CAPTURE, r->h.seq);
    w_u32(&w, (ULONG)st);
    w_u32(&w, id);
    w_u16(&w, version);
    w_u16(&w, 0);
    reply(s, &w, r->h.seq);
}

static void release_npi(SESSION *s, const w_request *r)
{
    REG *g = reg_get(s, r->u.reg_id);
    if (!g) {
        frames_error(s, r->h.seq, E_ID, "unknown registration");
        return;
    }
    s->idle = 0;
    if (g->captures == 1)
        names_free_reg(s, g); /* the client's lists, while its capture stands */
    WskReleaseProviderNPI(&g->reg);
    if (g->captures > 0)
        g->captures--;
    empty_reply(s, W_RELEASE_NPI, r->h.seq);
}

static void deregister(SESSION *s, const w_request *r)
{
    REG *g = reg_get(s, r->u.reg_id);
    if (!g) {
        frames_error(s, r->h.seq, E_ID, "unknown registration");
        return;
    }
    s->idle = 0;
    if (g->registered)
        names_free_reg(s, g);
    if (g->registered)
        WskDeregister(&g->reg);
    g->registered = FALSE;
    g->captures = 0;
    empty_reply(s, W_DEREGISTER, r->h.seq);
}

static void policy(SESSION *s, const w_request *r)
{
    KIRQL irql;
    KeAcquireSpinLock(&s->lock, &irql);
    s->policy = r->u.policy;
    KeReleaseSpinLock(&s->lock, irql);
    empty_reply(s, W_POLICY, r->h.seq);
}

static void stage(SESSION *s, const w_request *r)
{
    const char *what = NULL;
    int code = stages_add(s, r->u.stage.stage, r->u.stage.offset, r->u.stage.total, r->u.stage.bytes,
                          r->u.stage.n, &what);
    if (code) {
        frames_error(s, r->h.seq, code, what);
        return;
    }
    empty_reply(s, W_STAGE, r->h.seq);
}

static void cancel(SESSION *s, const w_request *r)
{
    UCHAR result = 0;
    w_writer w;
    if (!NT_SUCCESS(irps_cancel(s, r->u.irp_id, &result))) {
        frames_error(s, r->h.seq, E_ID, "unknown IRP");
        return;
    }
    begin(s, &w, W_CANCEL, r->h.seq);
    w_u8(&w, result);
    reply(s, &w, r->h.seq);
}

static void reuse(SESSION *s, const w_request *r)
{
    ULONG result = 0;
    w_writer w;
    if (!NT_SUCCESS(irps_reuse(s, r->u.reuse.irp, (NTSTATUS)r->u.reuse.status, &result))) {
        frames_error(s, r->h.seq, E_ID, "unknown IRP");
        return;
    }
    begin(s, &w, W_IRP_REUSE, r->h.seq);
    w_u32(&w, result);
    reply(s, &w, r->h.seq);
}

static void irp_free(SESSION *s, const w_request *r)
{
    if (!NT_SUCCESS(irps_release(s, r->u.irp_id))) {
        frames_error(s, r->h.seq, E_ID, "unknown IRP");
        return;
    }
    empty_reply(s, W_IRP_FREE, r->h.seq);
}

static void bye(SESSION *s, const w_request *r)
{
    s->idle = 0;
    frames_cleanup(s);
    s->bye = TRUE;
    empty_reply(s, W_BYE, r->h.seq);
    outq_end(&s->q);
}

void frames_execute(SESSION *s, const UCHAR *frame, ULONG len)
{
    w_request *r = &s->req;
    w_error err;
    KIRQL irql;
    if (s->bye) {
        frames_error(s, 0, E_STATE, "request after BYE");
        return;
    }
    if (w_decode_request(frame, len, r, &err) != E_OK) {
        frames_error(s, r->h.seq, (ULONG)err.code, err.what);
        return;
    }
    if (!s->hello && r->h.type != W_HELLO) {
        frames_error(s, r->h.seq, E_STATE, "no HELLO first");
        return;
    }
    irql = outq_lock(&s->q);
    s->idle = 0;
    outq_unlock(&s->q, irql);
    switch (r->h.type) {
    case W_HELLO: hello(s, r); break;
    case W_POLICY: policy(s, r); break;
    case W_REGISTER: do_register(s, r); break;
    case W_CAPTURE: capture(s, r); break;
    case W_RELEASE_NPI: release_npi(s, r); break;
    case W_DEREGISTER: deregister(s, r); break;
    case W_STAGE: stage(s, r); break;
    case W_CALL: calls_execute(s, r->h.seq, &r->u.call); break;
    case W_CANCEL: cancel(s, r); break;
    case W_IRP_REUSE: reuse(s, r); break;
    case W_IRP_FREE: irp_free(s, r); break;
    case W_PING: empty_reply(s, W_PING, r->h.seq); break; /* a PING with a body never gets here */
    case W_BYE: bye(s, r); break;
    default: frames_error(s, r->h.seq, E_TYPE, "not a request type"); break;
    }
}

/* ---- section 8 ---- */

typedef struct CLOSE_WAIT {
    KEVENT ev;
} CLOSE_WAIT;

static NTSTATUS NTAPI cleanup_done(PDEVICE_OBJECT dev, PIRP irp, PVOID ctx)
{
    (void)dev;
    (void)irp;
    KeSetEvent(&((CLOSE_WAIT *)ctx)->ev, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Closes one socket with an IRP of the agent's own, waiting up to ms. When
 * the close does not complete in time, its IRP and event stay allocated for
 * good (the provider may still complete it). */
static BOOLEAN close_socket(SOCK *k, ULONG ms)
{
    CLOSE_WAIT *cw;
    PIRP irp;
    LARGE_INTEGER t = agent_ms(ms);
    const WSK_PROVIDER_BASIC_DISPATCH *d = k->socket->Dispatch;
    if (!d || !d->WskCloseSocket)
        return FALSE;
    cw = agent_alloc(sizeof(*cw));
    irp = IoAllocateIrp(1, FALSE);
    if (!cw || !irp) {
        agent_free(cw);
        if (irp)
            IoFreeIrp(irp);
        return FALSE;
    }
    KeInitializeEvent(&cw->ev, NotificationEvent, FALSE);
    IoSetCompletionRoutine(irp, cleanup_done, cw, TRUE, TRUE, TRUE);
    d->WskCloseSocket(k->socket, irp);
    if (KeWaitForSingleObject(&cw->ev, Executive, KernelMode, FALSE, &t) != STATUS_SUCCESS) {
        agent_log("clean-up: WskCloseSocket of socket %lu did not complete within %lu ms", k->e.id, ms);
        return FALSE;
    }
    IoFreeIrp(irp);
    agent_free(cw);
    return TRUE;
}

BOOLEAN frames_cleanup(SESSION *s)
{
    BOOLEAN clean = TRUE;
    ULONG i;
    ENTRY *e;
    /* kept indication lists go back before their sockets close */
    events_release_all(s);
    /* sockets, one at a time: closing calls the provider */
    for (;;) {
        KIRQL irql;
        SOCK *k = NULL;
        KeAcquireSpinLock(&s->lock, &irql);
        if (!IsListEmpty(&s->sockets_live)) {
            k = CONTAINING_RECORD(RemoveHeadList(&s->sockets_live), SOCK, live);
            InitializeListHead(&k->live);
            k->closed = TRUE;
        }
        KeReleaseSpinLock(&s->lock, irql);
        if (!k)
            break;
        if (!close_socket(k, 2000))
            clean = FALSE;
    }
    /* the suite's pending IRPs, bounded */
    for (i = 0; i < 100 && s->pending_irps > 0; i++) {
        LARGE_INTEGER t = agent_ms(20);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
    }
    if (s->pending_irps > 0) {
        agent_log("clean-up: %ld IRPs never completed", s->pending_irps);
        clean = FALSE;
    }
    /* the lists WskGetAddressInfo returned and the suite did not free,
     * while their registrations still stand (a release of the last capture
     * or a deregistration freed the others first) */
    names_cleanup(s);
    /* captures, then registrations; WskDeregister waits for sockets on
     * Windows (REG-04), so it is called only when every close completed, and
     * a registration is freed only after it */
    for (i = 0; i < IDMAP_BUCKETS; i++) {
        for (e = s->regs.b[i]; e; e = e->next) {
            REG *g = (REG *)e;
            while (g->captures > 0) {
                WskReleaseProviderNPI(&g->reg);
                g->captures--;
            }
            if (g->registered && clean) {
                WskDeregister(&g->reg);
                g->registered = FALSE;
            }
        }
    }
    if (clean) {
        while ((e = idmap_pop(&s->regs)) != NULL)
            agent_free(e);
    }
    return clean;
}
