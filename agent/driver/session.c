/* A session is one relay connection: its tables, its queue of frames for
 * the suite, and one executor thread that runs its requests one at a time
 * in arrival order (protocol section 1). The executor ends the session when
 * the relay closes its handle. If the provider never returns from a call,
 * the executor stays in that call: the session is then left allocated for
 * good (the provider may still complete its IRPs into it) and the next relay
 * gets a fresh session and executor. */
#include "state.h"

#define IDLE_POLL_MS 500
#define MAX_QUEUED 4096
#define MAX_QUEUED_BYTES (16u * 1024u * 1024u)

typedef struct REQ {
    LIST_ENTRY link;
    ULONG len;
    UCHAR data[1];
} REQ;

static KSPIN_LOCK g_lock; /* g_current and g_refs */
static SESSION *g_current;
static LIST_ENTRY g_all; /* sessions whose executor runs, under g_lock */
static volatile LONG g_refs;      /* references callbacks hold on g_current */
static volatile LONG g_executors; /* executor threads still running */
static BOOLEAN g_init;

static void global_init(void)
{
    if (!g_init) {
        KeInitializeSpinLock(&g_lock);
        InitializeListHead(&g_all);
        g_init = TRUE;
    }
}

SESSION *session_get_current(void)
{
    KIRQL irql;
    SESSION *s;
    KeAcquireSpinLock(&g_lock, &irql);
    s = g_current;
    if (s)
        InterlockedIncrement(&g_refs);
    KeReleaseSpinLock(&g_lock, irql);
    return s;
}

void session_put(SESSION *s)
{
    if (s)
        InterlockedDecrement(&g_refs);
}

/* Detaches s from the callbacks and waits (bounded) until none uses it. */
static void detach(SESSION *s)
{
    KIRQL irql;
    int i;
    KeAcquireSpinLock(&g_lock, &irql);
    if (g_current == s)
        g_current = NULL;
    RemoveEntryList(&s->all);
    InitializeListHead(&s->all);
    KeReleaseSpinLock(&g_lock, irql);
    for (i = 0; i < 200 && g_refs; i++) {
        LARGE_INTEGER t = agent_ms(10);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
    }
}

static REQ *pop(SESSION *s)
{
    KIRQL irql;
    REQ *r = NULL;
    KeAcquireSpinLock(&s->lock, &irql);
    if (!IsListEmpty(&s->requests)) {
        r = CONTAINING_RECORD(RemoveHeadList(&s->requests), REQ, link);
        s->queued--;
        s->queued_bytes -= r->len;
    }
    KeReleaseSpinLock(&s->lock, irql);
    return r;
}

static void free_session(SESSION *s)
{
    ENTRY *e;
    while ((e = idmap_pop(&s->regs)) != NULL)
        agent_free(e);
    while ((e = idmap_pop(&s->clients)) != NULL)
        agent_free(e);
    while ((e = idmap_pop(&s->sockets)) != NULL)
        agent_free(e);
    while ((e = idmap_pop(&s->indications)) != NULL)
        agent_free(e);
    while ((e = idmap_pop(&s->stages)) != NULL)
        stages_free((STAGE *)e);
    while ((e = idmap_pop(&s->irps)) != NULL)
        irps_free((AIRP *)e);
    while ((e = idmap_pop(&s->zombies)) != NULL)
        irps_free((AIRP *)e);
    irps_release_attachments(&s->nullirp);
    events_free_tables(s);
    agent_free(s);
}

static VOID NTAPI executor(PVOID ctx)
{
    SESSION *s = ctx;
    LARGE_INTEGER poll = agent_ms(IDLE_POLL_MS);
    BOOLEAN clean = TRUE;
    REQ *r;
    for (;;) {
        r = pop(s);
        if (!r) {
            if (s->closing)
                break;
            KeWaitForSingleObject(&s->wake, Executive, KernelMode, FALSE, &poll);
            continue;
        }
        if (!s->closing)
            frames_execute(s, r->data, r->len);
        agent_free(r);
    }
    detach(s);
    if (!s->bye)
        clean = frames_cleanup(s);
    outq_close(&s->q);
    if (clean && !s->pending_irps) {
        free_session(s);
        agent_log("session ended");
    } else {
        agent_log("session ended with %ld IRPs still pending: its memory stays allocated", s->pending_irps);
    }
    InterlockedDecrement(&g_executors);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

SESSION *session_open(void)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    NTSTATUS st;
    KIRQL irql;
    SESSION *s;
    global_init();
    s = agent_alloc(sizeof(*s));
    if (!s)
        return NULL;
    KeInitializeSpinLock(&s->lock);
    outq_init(&s->q);
    s->idle = 1;
    KeInitializeEvent(&s->wake, SynchronizationEvent, FALSE);
    InitializeListHead(&s->requests);
    InitializeListHead(&s->sockets_live);
    InitializeListHead(&s->tables);
    s->policy.accept_context = 1;
    s->policy.accept_entries = DISP_RECEIVE | DISP_DISCONNECT | DISP_SEND_BACKLOG;
    s->policy.inspect = 1;
    s->next_client = s->next_socket = s->next_indication = 1;
    s->next_table = 0x80000001u;
    s->next_token = 0x8000000000000001ull;
    s->nullirp.s = s;
    InterlockedIncrement(&g_executors);
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    st = PsCreateSystemThread(&h, THREAD_ALL_ACCESS, &oa, NULL, NULL, executor, s);
    if (!NT_SUCCESS(st)) {
        InterlockedDecrement(&g_executors);
        agent_log("PsCreateSystemThread failed 0x%08lx", (ULONG)st);
        agent_free(s);
        return NULL;
    }
    ZwClose(h);
    KeAcquireSpinLock(&g_lock, &irql);
    g_current = s;
    InsertTailList(&g_all, &s->all);
    KeReleaseSpinLock(&g_lock, irql);
    return s;
}

void session_close(SESSION *s)
{
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    if (g_current == s)
        g_current = NULL;
    KeReleaseSpinLock(&g_lock, irql);
    InterlockedExchange(&s->closing, 1);
    outq_end(&s->q);
    KeSetEvent(&s->wake, IO_NO_INCREMENT, FALSE);
}

void session_submit(SESSION *s, const UCHAR *frame, ULONG len)
{
    KIRQL irql;
    REQ *r;
    ULONG seq = len >= 12 ? (ULONG)frame[8] | ((ULONG)frame[9] << 8) | ((ULONG)frame[10] << 16) |
                                ((ULONG)frame[11] << 24)
                          : 0;
    USHORT type = len >= 6 ? (USHORT)(frame[4] | (frame[5] << 8)) : 0;
    if (type == W_PING && len == W_HDR) {
        /* answered at once, even while a call is blocked (section 1) */
        UCHAR reply[W_HDR];
        w_writer w;
        w_begin(&w, reply, sizeof(reply), W_PING | W_REPLY, seq);
        outq_push(&s->q, reply, (ULONG)w_end(&w));
        return;
    }
    r = agent_alloc(FIELD_OFFSET(REQ, data) + len);
    if (!r) {
        frames_error(s, seq, E_RESOURCES, "out of pool for the request");
        return;
    }
    r->len = len;
    RtlCopyMemory(r->data, frame, len);
    KeAcquireSpinLock(&s->lock, &irql);
    if (s->queued >= MAX_QUEUED || s->queued_bytes + len > MAX_QUEUED_BYTES) {
        KeReleaseSpinLock(&s->lock, irql);
        agent_free(r);
        frames_error(s, seq, E_RESOURCES, "request queue full");
        return;
    }
    InsertTailList(&s->requests, &r->link);
    s->queued++;
    s->queued_bytes += len;
    KeReleaseSpinLock(&s->lock, irql);
    KeSetEvent(&s->wake, IO_NO_INCREMENT, FALSE);
}

ENTRY *session_lookup(SESSION *s, IDMAP *m, ULONG id, BOOLEAN take)
{
    KIRQL irql;
    ENTRY *e;
    KeAcquireSpinLock(&s->lock, &irql);
    e = take ? idmap_del(m, id) : idmap_get(m, id);
    KeReleaseSpinLock(&s->lock, irql);
    return e;
}

ENTRY *session_pop(SESSION *s, IDMAP *m)
{
    KIRQL irql;
    ENTRY *e;
    KeAcquireSpinLock(&s->lock, &irql);
    e = idmap_pop(m);
    KeReleaseSpinLock(&s->lock, irql);
    return e;
}

void session_wait_all(ULONG timeout_ms)
{
    ULONG waited = 0;
    KIRQL irql;
    PLIST_ENTRY le;
    if (!g_init)
        return;
    /* a relay still connected (or a leaked handle) keeps its executor
     * waiting for requests: end those sessions first */
    KeAcquireSpinLock(&g_lock, &irql);
    for (le = g_all.Flink; le != &g_all; le = le->Flink) {
        SESSION *s = CONTAINING_RECORD(le, SESSION, all);
        InterlockedExchange(&s->closing, 1);
        KeSetEvent(&s->wake, IO_NO_INCREMENT, FALSE);
    }
    KeReleaseSpinLock(&g_lock, irql);
    while (g_executors > 0 && waited < timeout_ms) {
        LARGE_INTEGER t = agent_ms(20);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
        waited += 20;
    }
    if (g_executors > 0)
        agent_log("%ld executor threads are stuck in provider calls at unload", g_executors);
}
