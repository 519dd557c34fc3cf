/* Name resolution in WSK_PROVIDER_DISPATCH (protocol section 5.1, ops 4 to
 * 6; rules NAME-01..04): WskGetAddressInfo, WskFreeAddressInfo and
 * WskGetNameInfo. The wire carries names as UTF-8; the provider reads and
 * writes UNICODE_STRINGs, which the agent builds in its own memory and keeps
 * with the IRP until it completes (a provider may read them after the call
 * returned: Wine's netio.sys resolves on its threadpool). Every list
 * WskGetAddressInfo returns goes into the session's table at its
 * completion and leaves it exactly once: by the suite's WskFreeAddressInfo,
 * or at the session's end. A free of a list the table does not hold (never
 * returned, or freed already: the NAME-03 misuse) is refused: it would hand
 * the provider a pointer it never made, which no C provider can survive. */
#include "state.h"

#define MAX_LIST_ENTRIES 64     /* entries of a list reported (section 5.1) */
#define MAX_NAME_CHARS   32767u /* a UNICODE_STRING's USHORT MaximumLength, in characters */

struct NAMES {
    CLIENT *client;
    /* WskGetAddressInfo's inputs, or WskGetNameInfo's outputs */
    UNICODE_STRING node, service;
    BOOLEAN has_node, has_service;
    ULONG node_alloc, service_alloc; /* bytes allocated behind each Buffer */
    WSKA_ADDRINFOEXW hints;
    PWSKA_ADDRINFOEXW result; /* *Result, as the provider wrote it */
    NAMELIST *keep;           /* allocated at the call, filled at completion */
    UCHAR *sockaddr;          /* WskGetNameInfo's SOCKADDR */
};

/* A UNICODE_STRING holding n bytes of UTF-8, NUL-terminated past its
 * Length (RtlInitUnicodeString's shape: a provider that reads Buffer as a C
 * string, as Wine's does, reads the same name). */
static BOOLEAN input_name(const w_name *nm, UNICODE_STRING *u, ULONG *alloc)
{
    size_t units;
    *alloc = (nm->n + 1) * sizeof(WCHAR);
    u->Buffer = agent_alloc(*alloc);
    if (!u->Buffer)
        return FALSE;
    units = w_utf8_to_utf16(nm->p, nm->n, (uint16_t *)u->Buffer, nm->n);
    u->Length = (USHORT)(units * sizeof(WCHAR));
    u->MaximumLength = (USHORT)((units + 1) * sizeof(WCHAR));
    return TRUE;
}

/* An empty output UNICODE_STRING of size characters, with room for a NUL
 * the provider may add past MaximumLength. */
static BOOLEAN output_name(ULONG size, UNICODE_STRING *u, ULONG *alloc)
{
    *alloc = (size + 1) * sizeof(WCHAR);
    u->Buffer = agent_alloc(*alloc);
    u->Length = 0;
    u->MaximumLength = (USHORT)(size * sizeof(WCHAR));
    return u->Buffer != NULL;
}

static BOOLEAN held(SESSION *s, ULONG list)
{
    return session_lookup(s, &s->lists, list, FALSE) != NULL;
}

int names_prepare(SESSION *s, const w_call *c, AIRP *a, const char **what)
{
    NAMES *n;
    if (c->process) {
        *what = "another process (the agent names none)";
        return E_REFUSED;
    }
    if (c->op == OP_FREE_ADDRESS_INFO) {
        if (!held(s, c->list)) {
            *what = "WskFreeAddressInfo of a list the session does not hold (never returned, or freed "
                    "already): the provider would free a pointer it never made (NAME-03 misuse, not offered)";
            return E_REFUSED;
        }
        return E_OK;
    }
    if (c->op == OP_GET_NAME_INFO &&
        ((c->host_size != W_NAME_NULL && c->host_size > MAX_NAME_CHARS) ||
         (c->service_size != W_NAME_NULL && c->service_size > MAX_NAME_CHARS))) {
        *what = "a name buffer above a UNICODE_STRING's 32,767 characters";
        return E_REFUSED;
    }
    n = agent_alloc(sizeof(*n));
    if (!n)
        return E_RESOURCES;
    a->names = n;
    if (c->op == OP_GET_ADDRESS_INFO) {
        if ((n->has_node = !c->node.null) && !input_name(&c->node, &n->node, &n->node_alloc))
            return E_RESOURCES;
        if ((n->has_service = !c->service.null) && !input_name(&c->service, &n->service, &n->service_alloc))
            return E_RESOURCES;
        n->hints.ai_flags = (int)c->flags;
        n->hints.ai_family = c->family;
        n->hints.ai_socktype = c->socktype;
        n->hints.ai_protocol = (int)c->protocol;
        if (!(n->keep = agent_alloc(sizeof(*n->keep))))
            return E_RESOURCES;
        return E_OK;
    }
    if (!c->local.null) {
        if (!(n->sockaddr = agent_alloc(W_MAX_SOCKADDR)))
            return E_RESOURCES;
        if (c->local.n)
            RtlCopyMemory(n->sockaddr, c->local.p, c->local.n);
    }
    if ((n->has_node = c->host_size != W_NAME_NULL) && !output_name(c->host_size, &n->node, &n->node_alloc))
        return E_RESOURCES;
    if ((n->has_service = c->service_size != W_NAME_NULL) &&
        !output_name(c->service_size, &n->service, &n->service_alloc))
        return E_RESOURCES;
    return E_OK;
}

NTSTATUS names_invoke(const w_call *c, CLIENT *cl, AIRP *a)
{
    NAMES *n = a->names;
    PIRP irp = a->irp;
    n->client = cl;
    if (c->op == OP_GET_ADDRESS_INFO)
        return cl->dispatch->WskGetAddressInfo(cl->client, n->has_node ? &n->node : NULL,
                                               n->has_service ? &n->service : NULL, c->name_space, NULL,
                                               c->hints ? &n->hints : NULL, &n->result, NULL, NULL, irp);
    /* SockAddrLength: the bytes the client wrote (the wire's SA length) */
    return cl->dispatch->WskGetNameInfo(cl->client, (PWSKA_SOCKADDR)n->sockaddr, c->local.null ? 0 : c->local.n,
                                        n->has_node ? &n->node : NULL, n->has_service ? &n->service : NULL,
                                        c->flags, NULL, NULL, irp);
}

/* The list in section 5.1's encoding: u16 count, then per entry family,
 * socktype, protocol, flags and SA, as many entries as fit cap (at most
 * MAX_LIST_ENTRIES; the walk is bounded, so a looping list ends too). */
static void encode_list(PWSKA_ADDRINFOEXW list, w_writer *w, ULONG cap)
{
    ULONG start = (ULONG)w->n, count = 0;
    UCHAR *at = w_reserve(w, 2);
    PWSKA_ADDRINFOEXW e;
    for (e = list; e && count < MAX_LIST_ENTRIES; e = e->ai_next, count++) {
        SIZE_T len = e->ai_addr ? (e->ai_addrlen < W_MAX_SOCKADDR ? e->ai_addrlen : W_MAX_SOCKADDR) : 0;
        if ((ULONG)w->n - start + 14 + len > cap)
            break;
        w_u16(w, (uint16_t)e->ai_family);
        w_u16(w, (uint16_t)e->ai_socktype);
        w_u32(w, (uint32_t)e->ai_protocol);
        w_u32(w, (uint32_t)e->ai_flags);
        w_saout(w, e->ai_addr, (uint16_t)len);
    }
    if (at) {
        at[0] = (UCHAR)count;
        at[1] = (UCHAR)(count >> 8);
    }
}

/* TEXT of an output UNICODE_STRING: Length bytes, never past what the
 * agent allocated (a provider that sets Length beyond MaximumLength shows
 * a name longer than its buffer). */
static void text_of(const UNICODE_STRING *u, BOOLEAN has, ULONG alloc, w_writer *w)
{
    UCHAR utf8[W_MAX_TEXT];
    size_t units = 0, n = 0;
    if (has && u->Buffer) {
        units = (u->Length < alloc ? u->Length : alloc) / sizeof(WCHAR);
        n = w_utf16_to_utf8((const uint16_t *)u->Buffer, units, utf8, sizeof(utf8));
    }
    w_u16(w, (uint16_t)n);
    w_raw(w, utf8, n);
}

void names_output(const AIRP *a, NTSTATUS status, w_writer *w)
{
    UCHAR *len = w_reserve(w, 4);
    ULONG start = (ULONG)w->n, n;
    if (a->names && NT_SUCCESS(status)) {
        if (a->op == OP_GET_ADDRESS_INFO) {
            encode_list(a->names->result, w, W_MAX_CONTROL);
        } else {
            text_of(&a->names->node, a->names->has_node, a->names->node_alloc, w);
            text_of(&a->names->service, a->names->has_service, a->names->service_alloc, w);
        }
    }
    n = (ULONG)w->n - start;
    if (len) {
        len[0] = (UCHAR)n;
        len[1] = (UCHAR)(n >> 8);
        len[2] = (UCHAR)(n >> 16);
        len[3] = (UCHAR)(n >> 24);
    }
}

void names_completed(AIRP *a, NTSTATUS status)
{
    SESSION *s = a->s;
    NAMES *n = a->names;
    NAMELIST *l;
    ENTRY *old;
    KIRQL irql;
    if (a->op != OP_GET_ADDRESS_INFO || !n || !n->keep || !NT_SUCCESS(status) || !n->result)
        return;
    l = n->keep;
    n->keep = NULL;
    l->client = n->client;
    l->list = n->result;
    l->e.id = a->wire;
    KeAcquireSpinLock(&s->lock, &irql);
    old = idmap_del(&s->lists, l->e.id);
    if (old) {
        /* the IRP returned another list since: the client still holds the
         * first, which the session frees at its end */
        old->id = ++s->next_orphan;
        idmap_put(&s->orphan_lists, old);
    }
    idmap_put(&s->lists, &l->e);
    KeReleaseSpinLock(&s->lock, irql);
}

static void free_list(NAMELIST *l)
{
    CLIENT *cl = l->client;
    if (cl && cl->dispatch && cl->dispatch->WskFreeAddressInfo && cl->reg && cl->reg->registered)
        cl->dispatch->WskFreeAddressInfo(cl->client, l->list);
    else
        agent_log("a list of IRP %lu stays allocated: its client is gone", l->e.id);
    agent_free(l);
}

void names_free_call(SESSION *s, const w_call *c, UCHAR *out, ULONG cap, ULONG *outlen)
{
    NAMELIST *l = (NAMELIST *)session_lookup(s, &s->lists, c->list, TRUE);
    w_writer w;
    *outlen = 0;
    if (!l)
        return;
    w.p = out;
    w.cap = cap;
    w.n = 0;
    w.overflow = 0;
    encode_list(l->list, &w, cap);
    if (!w.overflow)
        *outlen = (ULONG)w.n;
    free_list(l);
}

void names_release(AIRP *a)
{
    NAMES *n = a->names;
    if (!n)
        return;
    agent_free(n->node.Buffer);
    agent_free(n->service.Buffer);
    agent_free(n->sockaddr);
    agent_free(n->keep);
    agent_free(n);
    a->names = NULL;
}

/* Moves the lists of reg's clients from m onto *out (chained by e.next),
 * under the session lock. */
static void take_reg(SESSION *s, IDMAP *m, const REG *reg, ENTRY **out)
{
    KIRQL irql;
    ULONG i;
    KeAcquireSpinLock(&s->lock, &irql);
    for (i = 0; i < IDMAP_BUCKETS; i++) {
        ENTRY **pp = &m->b[i];
        while (*pp) {
            ENTRY *e = *pp;
            const CLIENT *cl = ((NAMELIST *)e)->client;
            if (cl && cl->reg == reg) {
                *pp = e->next;
                e->next = *out;
                *out = e;
            } else {
                pp = &e->next;
            }
        }
    }
    KeReleaseSpinLock(&s->lock, irql);
}

void names_free_reg(SESSION *s, REG *reg)
{
    ENTRY *chain = NULL;
    take_reg(s, &s->lists, reg, &chain);
    take_reg(s, &s->orphan_lists, reg, &chain);
    while (chain) {
        ENTRY *e = chain;
        chain = e->next;
        free_list((NAMELIST *)e);
    }
}

void names_cleanup(SESSION *s)
{
    ENTRY *e;
    while ((e = session_pop(s, &s->lists)) != NULL)
        free_list((NAMELIST *)e);
    while ((e = session_pop(s, &s->orphan_lists)) != NULL)
        free_list((NAMELIST *)e);
}
