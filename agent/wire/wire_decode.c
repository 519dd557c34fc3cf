/* Request decoding: every field is read through a cursor that checks the
 * bytes left before it reads, so no input can make it read outside the
 * frame; every limit of section 2 and every "MUST be 0" is checked; a body
 * longer than its fields is E_MALFORMED. */
#include <string.h>
#include "wire.h"

typedef struct {
    const uint8_t *p;
    size_t n, off;
    int code;
    const char *what;
} cur;

static int fail(cur *c, int code, const char *what)
{
    if (!c->code) {
        c->code = code;
        c->what = what;
    }
    return 0;
}

/* Takes n bytes; NULL (and E_MALFORMED) when fewer are left. */
static const uint8_t *take(cur *c, size_t n, const char *what)
{
    const uint8_t *r;
    if (c->code)
        return NULL;
    if (n > c->n - c->off) {
        fail(c, E_MALFORMED, what);
        return NULL;
    }
    r = c->p + c->off;
    c->off += n;
    return r;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32); }

static uint8_t u8(cur *c, const char *what)
{
    const uint8_t *p = take(c, 1, what);
    return p ? p[0] : 0;
}
static uint16_t u16(cur *c, const char *what)
{
    const uint8_t *p = take(c, 2, what);
    return p ? le16(p) : 0;
}
static uint32_t u32(cur *c, const char *what)
{
    const uint8_t *p = take(c, 4, what);
    return p ? le32(p) : 0;
}
static uint64_t u64(cur *c, const char *what)
{
    const uint8_t *p = take(c, 8, what);
    return p ? le64(p) : 0;
}

/* A field that MUST be zero. */
static void zero8(cur *c, const char *what)
{
    if (u8(c, what) != 0)
        fail(c, E_MALFORMED, what);
}
static void zero16(cur *c, const char *what)
{
    if (u16(c, what) != 0)
        fail(c, E_MALFORMED, what);
}

static void bytes(cur *c, uint32_t max, const uint8_t **p, uint32_t *n, const char *what)
{
    uint32_t len = u32(c, what);
    *p = NULL;
    *n = 0;
    if (c->code)
        return;
    if (len > max) {
        fail(c, E_MALFORMED, what);
        return;
    }
    *p = take(c, len, what);
    if (*p)
        *n = len;
}

static void sa(cur *c, w_sa *s, const char *what)
{
    uint16_t n = u16(c, what);
    s->null = 0;
    s->n = 0;
    s->p = NULL;
    if (c->code)
        return;
    if (n == W_SA_NULL) {
        s->null = 1;
        return;
    }
    if (n > W_MAX_SOCKADDR) {
        fail(c, E_MALFORMED, what);
        return;
    }
    s->p = take(c, n, what);
    if (s->p)
        s->n = n;
}

/* The entry bits each DISP kind can hold. */
static uint32_t disp_allowed(uint8_t kind)
{
    switch (kind) {
    case DISP_LISTEN: return DISP_ACCEPT | DISP_INSPECT | DISP_ABORT;
    case DISP_DATAGRAM: return DISP_RECEIVE_FROM;
    case DISP_CONNECTION: return DISP_RECEIVE | DISP_DISCONNECT | DISP_SEND_BACKLOG;
    case DISP_STREAM:
        return DISP_ACCEPT | DISP_INSPECT | DISP_ABORT | DISP_RECEIVE | DISP_DISCONNECT | DISP_SEND_BACKLOG;
    default: return 0;
    }
}

static void disp(cur *c, w_disp *d)
{
    d->kind = u8(c, "DISP kind");
    zero8(c, "DISP reserved");
    zero16(c, "DISP reserved");
    d->entries = u32(c, "DISP entries");
    d->table_id = u32(c, "DISP table_id");
    if (c->code)
        return;
    if (d->kind > DISP_FOREIGN)
        fail(c, E_FIELD, "DISP kind above 5");
    else if (d->entries & ~disp_allowed(d->kind))
        fail(c, E_FIELD, "DISP entries the kind cannot hold");
    else if ((d->kind == DISP_NULL || d->kind == DISP_FOREIGN) && d->table_id != 0)
        fail(c, E_FIELD, "DISP table_id of a NULL or FOREIGN table");
}

uint32_t w_chunk(const w_buf *b, uint16_t i)
{
    if (!b->chunk_sizes || i >= b->chunks)
        return 0;
    return le32(b->chunk_sizes + 4u * i);
}

static void buf(cur *c, w_buf *b, int send)
{
    uint16_t i;
    memset(b, 0, sizeof(*b));
    b->present = u8(c, "BUF present");
    if (c->code || !b->present)
        return;
    if (b->present != 1) {
        fail(c, E_FIELD, "BUF present");
        return;
    }
    b->mdl_null = u8(c, "BUF mdl_null");
    b->chunks = u16(c, "BUF chunks");
    b->offset = u32(c, "BUF offset");
    b->length = u64(c, "BUF length");
    b->stage = u32(c, "BUF stage");
    if (c->code)
        return;
    if (b->mdl_null > 1)
        fail(c, E_FIELD, "BUF mdl_null");
    else if (b->chunks > W_MAX_CHUNKS)
        fail(c, E_MALFORMED, "BUF chunks above MAX_CHUNKS");
    else if (b->mdl_null && b->chunks)
        fail(c, E_FIELD, "BUF NULL Mdl with chunks");
    else if (b->stage && !send)
        fail(c, E_FIELD, "BUF stage on a receive");
    else if (b->stage && b->mdl_null)
        fail(c, E_FIELD, "BUF stage with a NULL Mdl");
    if (c->code)
        return;
    b->chunk_sizes = take(c, 4u * b->chunks, "BUF chunk sizes");
    if (c->code)
        return;
    for (i = 0; i < b->chunks; i++)
        b->total += w_chunk(b, i);
    if (send && !b->stage) {
        if (b->total > W_MAX_DATA) {
            fail(c, E_MALFORMED, "BUF inline bytes above MAX_DATA");
            return;
        }
        b->nbytes = (uint32_t)b->total;
        b->bytes = take(c, b->nbytes, "BUF bytes");
    } else if (b->stage && b->total > W_MAX_STAGE) {
        fail(c, E_FIELD, "BUF staged chunks above MAX_STAGE");
    }
}

int w_op_is_client(uint16_t op)
{
    return op == OP_SOCKET || op == OP_SOCKET_CONNECT || op == OP_CONTROL_CLIENT || op == OP_GET_ADDRESS_INFO ||
           op == OP_FREE_ADDRESS_INFO || op == OP_GET_NAME_INFO;
}

uint32_t w_op_tables(uint16_t op)
{
    const uint32_t L = TABLE_LISTEN, D = TABLE_DATAGRAM, C = TABLE_CONNECTION, S = TABLE_STREAM;
    switch (op) {
    case OP_CONTROL_SOCKET:
    case OP_CLOSE_SOCKET: return 0x10; /* every socket, basic included */
    case OP_BIND: return L | D | C | S;
    case OP_ACCEPT: return L | S;
    case OP_INSPECT_COMPLETE: return L;
    case OP_GET_LOCAL_ADDRESS: return L | D | C | S;
    case OP_SEND_TO:
    case OP_RECEIVE_FROM:
    case OP_RELEASE_DATAGRAM:
    case OP_SEND_MESSAGES: return D;
    case OP_CONNECT:
    case OP_GET_REMOTE_ADDRESS:
    case OP_SEND:
    case OP_RECEIVE:
    case OP_DISCONNECT:
    case OP_RELEASE_CONNECTION:
    case OP_CONNECT_EX: return C | S;
    case OP_LISTEN: return S;
    default: return 0;
    }
}

static void socket_args(cur *c, w_call *k, int connect)
{
    if (connect) {
        k->socktype = u16(c, "type");
        zero16(c, "reserved");
        k->protocol = u32(c, "protocol");
    } else {
        k->family = u16(c, "family");
        k->socktype = u16(c, "type");
        k->protocol = u32(c, "protocol");
    }
    k->flags = u32(c, "flags");
    k->context = u64(c, "context");
    disp(c, &k->disp);
    k->process = u8(c, "process");
    k->thread = u8(c, "thread");
    zero16(c, "reserved");
    k->sd = u64(c, "sd");
    if (!c->code && (k->process > 1 || k->thread > 1))
        fail(c, E_FIELD, "process or thread above 1");
    if (connect) {
        sa(c, &k->local, "local");
        sa(c, &k->remote, "remote");
    }
}

static void control_args(cur *c, w_call *k, int sock)
{
    if (sock)
        k->request = u32(c, "request");
    k->code = u32(c, "code");
    if (sock)
        k->level = u32(c, "level");
    k->output_size = u32(c, "output_size");
    bytes(c, W_MAX_CONTROL, &k->input, &k->input_len, "input");
    if (!c->code && k->output_size > W_MAX_CONTROL)
        fail(c, E_MALFORMED, "output_size above MAX_CONTROL");
}

static uint8_t flag01(cur *c, const char *what)
{
    uint8_t v = u8(c, what);
    if (!c->code && v > 1)
        fail(c, E_FIELD, what);
    return v;
}

/* NAME: u8 present, then BYTES(W_MAX_NAME); the bytes follow even when
 * present is 0 (then they must be empty). */
static void name(cur *c, w_name *nm, const char *what)
{
    uint8_t present = flag01(c, what);
    nm->null = !present;
    bytes(c, W_MAX_NAME, &nm->p, &nm->n, what);
    if (!c->code && !present && nm->n)
        fail(c, E_FIELD, what);
}

/* Ops 4 to 6 (section 5.1). */
static void name_args(cur *c, w_call *k)
{
    switch (k->op) {
    case OP_GET_ADDRESS_INFO:
        name(c, &k->node, "node");
        name(c, &k->service, "service");
        k->name_space = u32(c, "name_space");
        k->hints = flag01(c, "hints");
        k->family = u16(c, "hint_family");
        k->socktype = u16(c, "hint_type");
        k->protocol = u32(c, "hint_protocol");
        k->flags = u32(c, "hint_flags");
        k->process = flag01(c, "process");
        break;
    case OP_FREE_ADDRESS_INFO:
        k->list = u32(c, "list");
        if (!c->code && k->irp != 0)
            fail(c, E_FIELD, "WskFreeAddressInfo takes no IRP");
        break;
    case OP_GET_NAME_INFO:
        sa(c, &k->local, "sockaddr");
        k->host_size = u32(c, "host_size");
        k->service_size = u32(c, "service_size");
        k->flags = u32(c, "flags");
        k->process = flag01(c, "process");
        break;
    }
}

static void call(cur *c, w_call *k)
{
    uint16_t i;
    k->op = u16(c, "op");
    k->call_flags = u16(c, "call_flags");
    k->target = u32(c, "target");
    k->irp = u32(c, "irp");
    if (c->code)
        return;
    if (k->call_flags & ~(CALL_NULL_OUT_SIZE | CALL_CANCELLED_FIRST)) {
        fail(c, E_FIELD, "call_flags");
        return;
    }
    if (!w_op_is_client(k->op) && !w_op_tables(k->op)) {
        fail(c, E_OP, "unknown or reserved op");
        return;
    }
    if (!w_op_is_client(k->op) && k->target == 0) {
        fail(c, E_ID, "socket id 0");
        return;
    }
    switch (k->op) {
    case OP_SOCKET: socket_args(c, k, 0); break;
    case OP_SOCKET_CONNECT: socket_args(c, k, 1); break;
    case OP_CONTROL_CLIENT: control_args(c, k, 0); break;
    case OP_CONTROL_SOCKET: control_args(c, k, 1); break;
    case OP_GET_ADDRESS_INFO:
    case OP_FREE_ADDRESS_INFO:
    case OP_GET_NAME_INFO: name_args(c, k); break;
    case OP_CLOSE_SOCKET:
    case OP_LISTEN: break;
    case OP_BIND:
        k->flags = u32(c, "flags");
        sa(c, &k->local, "local");
        break;
    case OP_ACCEPT:
        k->flags = u32(c, "flags");
        k->context = u64(c, "accept_context");
        disp(c, &k->disp);
        k->want_local = flag01(c, "want_local");
        k->want_remote = flag01(c, "want_remote");
        break;
    case OP_INSPECT_COMPLETE:
        k->inspect_id = u64(c, "inspect_id");
        k->action = u32(c, "action");
        break;
    case OP_GET_LOCAL_ADDRESS:
    case OP_GET_REMOTE_ADDRESS:
        k->want = flag01(c, "want");
        break;
    case OP_SEND_TO:
        k->flags = u32(c, "flags");
        buf(c, &k->buf, 1);
        sa(c, &k->remote, "remote");
        break;
    case OP_RECEIVE_FROM:
        k->flags = u32(c, "flags");
        buf(c, &k->buf, 0);
        k->want_remote = flag01(c, "want_remote");
        break;
    case OP_RELEASE_DATAGRAM:
    case OP_RELEASE_CONNECTION:
        k->indication = u32(c, "indication");
        break;
    case OP_SEND_MESSAGES:
        k->flags = u32(c, "flags");
        k->nbufs = u16(c, "count");
        if (!c->code && k->nbufs > W_MAX_BUFS) {
            fail(c, E_MALFORMED, "count above MAX_BUFS");
            break;
        }
        for (i = 0; i < k->nbufs && !c->code; i++)
            buf(c, &k->bufs[i], 1);
        sa(c, &k->remote, "remote");
        break;
    case OP_CONNECT:
        k->flags = u32(c, "flags");
        sa(c, &k->remote, "remote");
        break;
    case OP_CONNECT_EX:
        k->flags = u32(c, "flags");
        sa(c, &k->remote, "remote");
        buf(c, &k->buf, 1);
        break;
    case OP_SEND:
    case OP_DISCONNECT:
        k->flags = u32(c, "flags");
        buf(c, &k->buf, 1);
        break;
    case OP_RECEIVE:
        k->flags = u32(c, "flags");
        buf(c, &k->buf, 0);
        break;
    default:
        fail(c, E_OP, "unknown or reserved op");
    }
}

int w_parse_header(const uint8_t *p, size_t have, w_header *h, w_error *err)
{
    memset(h, 0, sizeof(*h));
    err->code = E_OK;
    err->what = NULL;
    if (have < W_HDR) {
        err->code = E_MALFORMED;
        err->what = "header shorter than 16 bytes";
        return err->code;
    }
    h->len = le32(p);
    h->type = le16(p + 4);
    h->seq = le32(p + 8);
    if (h->len < W_HDR || h->len > W_MAX_FRAME) {
        err->code = E_MALFORMED;
        err->what = "len outside [16, MAX_FRAME]";
    } else if (le16(p + 6) != 0) {
        err->code = E_MALFORMED;
        err->what = "non-zero header flags";
    } else if (le32(p + 12) != 0) {
        err->code = E_MALFORMED;
        err->what = "non-zero reserved header field";
    }
    return err->code;
}

int w_decode_request(const uint8_t *frame, size_t len, w_request *out, w_error *err)
{
    cur c;
    if (w_parse_header(frame, len, &out->h, err))
        return err->code;
    if (out->h.len != len) {
        err->code = E_MALFORMED;
        err->what = "len differs from the frame's size";
        return err->code;
    }
    memset(&out->u, 0, sizeof(out->u));
    c.p = frame;
    c.n = len;
    c.off = W_HDR;
    c.code = E_OK;
    c.what = NULL;
    switch (out->h.type) {
    case W_HELLO:
        out->u.hello.magic = u32(&c, "magic");
        out->u.hello.major = u16(&c, "major");
        out->u.hello.minor = u16(&c, "minor");
        break;
    case W_POLICY: {
        w_policy *p = &out->u.policy;
        p->accept = u8(&c, "accept");
        p->accept_context = u8(&c, "accept_context");
        zero16(&c, "reserved");
        p->accept_entries = u32(&c, "accept_entries");
        p->receive = u8(&c, "receive");
        p->receive_from = u8(&c, "receive_from");
        zero16(&c, "reserved");
        p->receive_bytes = u32(&c, "receive_bytes");
        p->inspect = u32(&c, "inspect");
        if (c.code)
            break;
        if (p->accept > 1 || p->accept_context > 1)
            fail(&c, E_FIELD, "accept or accept_context above 1");
        else if (p->accept_entries & ~(DISP_RECEIVE | DISP_DISCONNECT | DISP_SEND_BACKLOG))
            fail(&c, E_FIELD, "accept_entries a connection table cannot hold");
        else if (p->receive > 3)
            fail(&c, E_FIELD, "receive above 3");
        else if (p->receive_from != 0 && p->receive_from != 2 && p->receive_from != 3)
            fail(&c, E_FIELD, "receive_from not 0, 2 or 3");
        else if (p->inspect > 2)
            fail(&c, E_FIELD, "inspect above 2");
        break;
    }
    case W_REGISTER:
        out->u.reg.reg = u32(&c, "reg");
        out->u.reg.version = u16(&c, "version");
        out->u.reg.flags = u16(&c, "reg_flags");
        if (!c.code && (out->u.reg.flags & ~REG_CLIENT_EVENT))
            fail(&c, E_MALFORMED, "reg_flags: reserved bits set");
        out->u.reg.context = u64(&c, "context");
        if (!c.code && out->u.reg.reg == 0)
            fail(&c, E_ID, "registration id 0");
        break;
    case W_CAPTURE:
        out->u.capture.reg = u32(&c, "reg");
        out->u.capture.wait_ms = u32(&c, "wait_ms");
        break;
    case W_RELEASE_NPI:
    case W_DEREGISTER:
        out->u.reg_id = u32(&c, "reg");
        break;
    case W_STAGE: {
        uint32_t n = 0;
        out->u.stage.stage = u32(&c, "stage");
        out->u.stage.offset = u32(&c, "offset");
        out->u.stage.total = u32(&c, "total");
        bytes(&c, W_MAX_DATA, &out->u.stage.bytes, &n, "bytes");
        out->u.stage.n = n;
        if (c.code)
            break;
        if (out->u.stage.stage == 0)
            fail(&c, E_FIELD, "stage id 0");
        else if (out->u.stage.total > W_MAX_STAGE)
            fail(&c, E_FIELD, "total above MAX_STAGE");
        else if (out->u.stage.offset > out->u.stage.total || n > out->u.stage.total - out->u.stage.offset)
            fail(&c, E_FIELD, "piece outside [0, total)");
        break;
    }
    case W_CALL:
        call(&c, &out->u.call);
        break;
    case W_CANCEL:
    case W_IRP_FREE:
        out->u.irp_id = u32(&c, "irp");
        break;
    case W_IRP_REUSE:
        out->u.reuse.irp = u32(&c, "irp");
        out->u.reuse.status = u32(&c, "status");
        break;
    case W_PING:
    case W_BYE:
        break;
    default:
        fail(&c, E_TYPE, "not a request type");
    }
    if (!c.code && c.off != c.n)
        fail(&c, E_MALFORMED, "body longer than its fields");
    err->code = c.code;
    err->what = c.what;
    return c.code;
}
