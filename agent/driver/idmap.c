/* Id tables: ids chosen by the suite (registrations, IRPs, stages) or by
 * the agent (sockets, clients, indications) mapped to the agent's objects.
 * Chained buckets, so any u32 id works and deletion is simple. Callers hold
 * the session lock. Nothing from the wire is ever used as a pointer: an id
 * the table does not hold is reported as E_ID. */
#include "agent.h"

static ULONG bucket(ULONG id)
{
    id ^= id >> 16;
    id *= 0x45d9f3bu;
    id ^= id >> 16;
    return id % IDMAP_BUCKETS;
}

ENTRY *idmap_get(IDMAP *m, ULONG id)
{
    ENTRY *e;
    for (e = m->b[bucket(id)]; e; e = e->next)
        if (e->id == id)
            return e;
    return NULL;
}

void idmap_put(IDMAP *m, ENTRY *e)
{
    ULONG b = bucket(e->id);
    e->next = m->b[b];
    m->b[b] = e;
}

ENTRY *idmap_del(IDMAP *m, ULONG id)
{
    ENTRY **pp;
    for (pp = &m->b[bucket(id)]; *pp; pp = &(*pp)->next) {
        if ((*pp)->id == id) {
            ENTRY *e = *pp;
            *pp = e->next;
            e->next = NULL;
            return e;
        }
    }
    return NULL;
}

ENTRY *idmap_pop(IDMAP *m)
{
    ULONG i;
    for (i = 0; i < IDMAP_BUCKETS; i++) {
        ENTRY *e = m->b[i];
        if (e) {
            m->b[i] = e->next;
            e->next = NULL;
            return e;
        }
    }
    return NULL;
}
