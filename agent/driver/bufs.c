/* WSK_BUFs and MDL chains from BUF fields (protocol section 5.3), and the
 * staged send buffers. Each chunk is its own nonpaged allocation described
 * by IoAllocateMdl plus MmBuildMdlForNonPagedPool, chained through
 * Mdl->Next. WSK_BUFs whose Offset or Length do not fit their MDLs are the
 * DATA-04 misuse, which this agent does not offer (MISUSE_BAD_BUF clear):
 * they are refused before anything is allocated. */
#include "state.h"

BOOLEAN budget_take(SESSION *s, ULONG64 n)
{
    if (InterlockedExchangeAdd64(&s->buffer_bytes, (LONG64)n) + (LONG64)n > MAX_SESSION_BYTES) {
        InterlockedExchangeAdd64(&s->buffer_bytes, -(LONG64)n);
        return FALSE;
    }
    return TRUE;
}

void budget_give(SESSION *s, ULONG64 n)
{
    if (s && n)
        InterlockedExchangeAdd64(&s->buffer_bytes, -(LONG64)n);
}

void bufs_free(ABUF *b)
{
    ULONG i;
    if (!b)
        return;
    budget_give(b->s, b->charged);
    for (i = 0; i < b->chunks; i++) {
        if (b->mdls && b->mdls[i])
            IoFreeMdl(b->mdls[i]);
        if (b->mem && b->mem[i])
            agent_free(b->mem[i]);
    }
    agent_free(b->mdls);
    agent_free(b->mem);
    agent_free(b->sizes);
    agent_free(b);
}


int bufs_build(SESSION *s, const w_buf *b, BOOLEAN send, ABUF **out, const char **what)
{
    ABUF *a;
    STAGE *st = NULL;
    ULONG i, first, room = 0;
    ULONG64 copied = 0;
    *out = NULL;
    if (!b->present)
        return E_OK;
    if (b->mdl_null) {
        if (b->length != 0 && !(g_misuse & FEAT_MISUSE_BAD_BUF)) {
            *what = "a NULL Mdl with a non-zero Length (MISUSE_BAD_BUF not offered)";
            return E_REFUSED;
        }
    } else {
        if (b->chunks == 0) {
            *what = "BUF with a non-NULL Mdl and no chunks";
            return E_FIELD;
        }
        for (i = 0; i < b->chunks; i++) {
            if (w_chunk(b, (uint16_t)i) == 0) {
                *what = "an empty MDL in the chain (not offered)";
                return E_REFUSED;
            }
        }
        first = w_chunk(b, 0);
        if (b->offset > first || (b->offset == first && b->length > 0) || b->length > b->total - b->offset) {
            if (!(g_misuse & FEAT_MISUSE_BAD_BUF)) {
                *what = "Offset or Length outside the MDL chain (MISUSE_BAD_BUF not offered)";
                return E_REFUSED;
            }
            if ((ULONG64)b->offset + b->length > W_MAX_STAGE) {
                *what = "Offset plus Length above 16 MiB";
                return E_REFUSED;
            }
            /* DATA-04 misuse: every chunk is allocated at least Offset +
             * Length bytes long and describes only its stated size, so a
             * provider that trusts the WSK_BUF reads zeros, not foreign
             * memory (protocol section 5.3) */
            room = (ULONG)(b->offset + b->length);
        }
        if (b->total > W_MAX_STAGE) {
            *what = "buffer above 16 MiB";
            return E_RESOURCES;
        }
    }
    if (b->stage) {
        st = (STAGE *)session_lookup(s, &s->stages, b->stage, TRUE);
        if (!st) {
            *what = "unknown stage";
            return E_ID;
        }
        if (st->filled != st->total || st->total != b->total) {
            stages_free(st);
            *what = "the chunk counts do not add up to the staged bytes";
            return E_FIELD;
        }
    }
    a = agent_alloc(sizeof(*a));
    if (!a)
        goto nomem;
    {
        ULONG64 want = 0;
        for (i = 0; i < b->chunks; i++) {
            ULONG n = w_chunk(b, (uint16_t)i);
            want += n > room ? n : room;
        }
        if (!budget_take(s, want)) {
            agent_free(a);
            if (st)
                stages_free(st);
            *what = "the session holds 256 MiB of buffers already";
            return E_RESOURCES;
        }
        a->s = s;
        a->charged = want;
    }
    a->send = send;
    a->wb.Offset = b->offset;
    a->wb.Length = (SIZE_T)b->length;
    a->chunks = b->chunks;
    if (a->chunks) {
        a->mdls = agent_alloc(sizeof(PMDL) * a->chunks);
        a->mem = agent_alloc(sizeof(UCHAR *) * a->chunks);
        a->sizes = agent_alloc(sizeof(ULONG) * a->chunks);
        if (!a->mdls || !a->mem || !a->sizes)
            goto nomem;
    }
    for (i = 0; i < a->chunks; i++) {
        ULONG n = w_chunk(b, (uint16_t)i);
        a->sizes[i] = n;
        a->mem[i] = agent_alloc(n > room ? n : room);
        if (!a->mem[i])
            goto nomem;
        a->mdls[i] = IoAllocateMdl(a->mem[i], n, FALSE, FALSE, NULL);
        if (!a->mdls[i])
            goto nomem;
        MmBuildMdlForNonPagedPool(a->mdls[i]);
        if (i)
            a->mdls[i - 1]->Next = a->mdls[i];
        if (send) {
            const UCHAR *src = st ? st->mem + copied : b->bytes + copied;
            RtlCopyMemory(a->mem[i], src, n);
        }
        copied += n;
    }
    a->wb.Mdl = a->chunks ? a->mdls[0] : NULL;
    if (st)
        stages_free(st);
    *out = a;
    return E_OK;
nomem:
    bufs_free(a);
    if (st)
        stages_free(st);
    *what = "out of pool for the buffer";
    return E_RESOURCES;
}

ULONG bufs_read(const ABUF *b, ULONG64 skip, UCHAR *out, ULONG n)
{
    ULONG i, got = 0;
    ULONG64 pos;
    if (!b || !b->chunks)
        return 0;
    pos = (ULONG64)b->wb.Offset + skip;
    for (i = 0; i < b->chunks && got < n; i++) {
        ULONG take;
        if (pos >= b->sizes[i]) {
            pos -= b->sizes[i];
            continue;
        }
        take = b->sizes[i] - (ULONG)pos;
        if (take > n - got)
            take = n - got;
        RtlCopyMemory(out + got, b->mem[i] + pos, take);
        got += take;
        pos = 0;
    }
    return got;
}

void bufs_complement(ABUF *b)
{
    ULONG i, j;
    if (!b)
        return;
    for (i = 0; i < b->chunks; i++)
        for (j = 0; j < b->sizes[i]; j++)
            b->mem[i][j] = (UCHAR)~b->mem[i][j];
}

/* ---- STAGE ---- */

void stages_free(STAGE *st)
{
    if (!st)
        return;
    if (st->mem)
        budget_give(st->s, st->total);
    agent_free(st->mem);
    agent_free(st->starts);
    agent_free(st->ends);
    agent_free(st);
}

int stages_add(SESSION *s, ULONG id, ULONG offset, ULONG total, const UCHAR *p, ULONG n, const char **what)
{
    KIRQL irql;
    STAGE *st = (STAGE *)session_lookup(s, &s->stages, id, FALSE);
    ULONG i;
    if (!st) {
        if (!budget_take(s, total)) {
            *what = "the session holds 256 MiB of buffers already";
            return E_RESOURCES;
        }
        st = agent_alloc(sizeof(*st));
        if (!st || !(st->mem = agent_alloc(total))) {
            agent_free(st);
            budget_give(s, total);
            *what = "out of pool for the stage";
            return E_RESOURCES;
        }
        st->s = s;
        st->e.id = id;
        st->total = total;
        KeAcquireSpinLock(&s->lock, &irql);
        idmap_put(&s->stages, &st->e);
        KeReleaseSpinLock(&s->lock, irql);
    }
    if (st->total != total) {
        *what = "STAGE total differs from the stage's first piece";
        return E_FIELD;
    }
    if (n == 0)
        return E_OK;
    for (i = 0; i < st->npieces; i++) {
        if (offset < st->ends[i] && st->starts[i] < offset + n) {
            *what = "STAGE pieces overlap";
            return E_FIELD;
        }
    }
    if (st->npieces == st->cap) {
        ULONG cap = st->cap ? st->cap * 2 : 16;
        ULONG *ns = agent_alloc(sizeof(ULONG) * cap), *ne = agent_alloc(sizeof(ULONG) * cap);
        if (!ns || !ne) {
            agent_free(ns);
            agent_free(ne);
            *what = "out of pool for the stage";
            return E_RESOURCES;
        }
        if (st->npieces) {
            RtlCopyMemory(ns, st->starts, sizeof(ULONG) * st->npieces);
            RtlCopyMemory(ne, st->ends, sizeof(ULONG) * st->npieces);
        }
        agent_free(st->starts);
        agent_free(st->ends);
        st->starts = ns;
        st->ends = ne;
        st->cap = cap;
    }
    st->starts[st->npieces] = offset;
    st->ends[st->npieces] = offset + n;
    st->npieces++;
    RtlCopyMemory(st->mem + offset, p, n);
    st->filled += n;
    return E_OK;
}
