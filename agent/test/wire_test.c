/* Linux test of the portable codec (wire/): every request type decodes to
 * the fields it was written with; every truncation, every trailing byte and
 * every limit of docs/protocol.md section 2 is rejected with the right code;
 * the writer never overflows its buffer; and a million random frames decode
 * without a crash (run under ASan and UBSan by `make test`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../wire/wire.h"

static int failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

static uint8_t frame[W_MAX_FRAME + 64];

/* ---- builders of request frames ---- */

static size_t hello(uint32_t magic, uint16_t major)
{
    w_writer w;
    w_begin(&w, frame, sizeof(frame), W_HELLO, 1);
    w_u32(&w, magic);
    w_u16(&w, major);
    w_u16(&w, 0);
    return w_end(&w);
}

static void call_prefix(w_writer *w, uint16_t op, uint32_t target, uint32_t irp)
{
    w_begin(w, frame, sizeof(frame), W_CALL, 7);
    w_u16(w, op);
    w_u16(w, 0);
    w_u32(w, target);
    w_u32(w, irp);
}

static void disp(w_writer *w, uint8_t kind, uint32_t entries, uint32_t table)
{
    w_u8(w, kind);
    w_u8(w, 0);
    w_u16(w, 0);
    w_u32(w, entries);
    w_u32(w, table);
}

static void sa(w_writer *w, const uint8_t *p, uint16_t n)
{
    w_u16(w, p ? n : W_SA_NULL);
    if (p)
        w_raw(w, p, n);
}

static size_t wsk_socket(uint8_t kind, uint32_t entries)
{
    w_writer w;
    call_prefix(&w, OP_SOCKET, 1, 5);
    w_u16(&w, 2);
    w_u16(&w, 1);
    w_u32(&w, 6);
    w_u32(&w, 2);
    w_u64(&w, 0x1234);
    disp(&w, kind, entries, kind == DISP_NULL || kind == DISP_FOREIGN ? 0 : 9);
    w_u8(&w, 0);
    w_u8(&w, 0);
    w_u16(&w, 0);
    w_u64(&w, 0);
    return w_end(&w);
}

static const uint8_t sin4[16] = {2, 0, 0x1f, 0x90, 127, 0, 0, 1};

static size_t wsk_send(uint16_t chunks, const uint32_t *sizes, const uint8_t *data, uint64_t length)
{
    w_writer w;
    uint32_t total = 0;
    uint16_t i;
    call_prefix(&w, OP_SEND, 3, 8);
    w_u32(&w, 0);
    w_u8(&w, 1);
    w_u8(&w, 0);
    w_u16(&w, chunks);
    w_u32(&w, 0);
    w_u64(&w, length);
    w_u32(&w, 0);
    for (i = 0; i < chunks; i++) {
        w_u32(&w, sizes[i]);
        total += sizes[i];
    }
    w_raw(&w, data, total);
    return w_end(&w);
}

static size_t reg(uint32_t id, uint16_t flags)
{
    w_writer w;
    w_begin(&w, frame, sizeof(frame), W_REGISTER, 2);
    w_u32(&w, id);
    w_u16(&w, 0x0100);
    w_u16(&w, flags);
    w_u64(&w, 0x77);
    return w_end(&w);
}

static size_t wsk_connect_ex(void)
{
    w_writer w;
    call_prefix(&w, OP_CONNECT_EX, 3, 9);
    w_u32(&w, 0);
    sa(&w, sin4, sizeof(sin4));
    w_u8(&w, 0); /* NULL PWSK_BUF */
    return w_end(&w);
}

static size_t send_messages(uint16_t count)
{
    w_writer w;
    uint16_t i;
    call_prefix(&w, OP_SEND_MESSAGES, 4, 10);
    w_u32(&w, 0);
    w_u16(&w, count);
    for (i = 0; i < count; i++) {
        w_u8(&w, 1);
        w_u8(&w, 0);
        w_u16(&w, 1);
        w_u32(&w, 0);
        w_u64(&w, 2);
        w_u32(&w, 0);
        w_u32(&w, 2);
        w_u8(&w, (uint8_t)i);
        w_u8(&w, 0xEE);
    }
    sa(&w, sin4, sizeof(sin4));
    return w_end(&w);
}

static size_t control_socket(uint32_t output_size, uint32_t input_len)
{
    static uint8_t input[W_MAX_CONTROL + 1];
    w_writer w;
    call_prefix(&w, OP_CONTROL_SOCKET, 2, 0);
    w_u32(&w, 0);
    w_u32(&w, 0x4002);
    w_u32(&w, 0xFFFF);
    w_u32(&w, output_size);
    w_bytes(&w, input, input_len);
    return w_end(&w);
}

static size_t policy(uint8_t receive, uint32_t entries)
{
    w_writer w;
    w_begin(&w, frame, sizeof(frame), W_POLICY, 2);
    w_u8(&w, 0);
    w_u8(&w, 1);
    w_u16(&w, 0);
    w_u32(&w, entries);
    w_u8(&w, receive);
    w_u8(&w, 0);
    w_u16(&w, 0);
    w_u32(&w, 10);
    w_u32(&w, 1);
    return w_end(&w);
}

static size_t stage(uint32_t id, uint32_t offset, uint32_t total, uint32_t n)
{
    static uint8_t data[W_MAX_DATA];
    w_writer w;
    w_begin(&w, frame, sizeof(frame), W_STAGE, 3);
    w_u32(&w, id);
    w_u32(&w, offset);
    w_u32(&w, total);
    w_bytes(&w, data, n);
    return w_end(&w);
}

/* NAME: u8 present, BYTES(W_MAX_NAME) */
static void name(w_writer *w, const char *s, uint32_t n)
{
    w_u8(w, s != NULL);
    w_bytes(w, s, s ? n : 0);
}

static size_t get_address_info(const char *node, uint32_t node_len, const char *service, uint8_t hints)
{
    w_writer w;
    call_prefix(&w, OP_GET_ADDRESS_INFO, 1, 11);
    name(&w, node, node_len);
    name(&w, service, service ? (uint32_t)strlen(service) : 0);
    w_u32(&w, 12); /* NS_DNS */
    w_u8(&w, hints);
    w_u16(&w, 23);
    w_u16(&w, 1);
    w_u32(&w, 6);
    w_u32(&w, 4); /* AI_NUMERICHOST */
    w_u8(&w, 0);
    return w_end(&w);
}

static size_t get_name_info(uint32_t host_size, uint32_t service_size)
{
    w_writer w;
    call_prefix(&w, OP_GET_NAME_INFO, 1, 12);
    sa(&w, sin4, sizeof(sin4));
    w_u32(&w, host_size);
    w_u32(&w, service_size);
    w_u32(&w, 0xA); /* NI_NUMERICHOST | NI_NUMERICSERV */
    w_u8(&w, 0);
    return w_end(&w);
}

static size_t free_address_info(uint32_t irp, uint32_t list)
{
    w_writer w;
    call_prefix(&w, OP_FREE_ADDRESS_INFO, 1, irp);
    w_u32(&w, list);
    return w_end(&w);
}

static int decode(size_t n, w_request *r)
{
    w_error e;
    return w_decode_request(frame, n, r, &e);
}

/* Every proper prefix of a valid frame, with its len field fixed up to
 * match, fails with E_MALFORMED (fields missing); so does one extra byte. */
static void check_truncations(size_t n, const char *name)
{
    static uint8_t copy[W_MAX_FRAME + 64];
    static w_request r;
    size_t cut;
    w_error e;
    memcpy(copy, frame, n);
    for (cut = W_HDR; cut < n; cut++) {
        int code;
        memcpy(frame, copy, n);
        frame[0] = (uint8_t)cut;
        frame[1] = (uint8_t)(cut >> 8);
        frame[2] = (uint8_t)(cut >> 16);
        code = w_decode_request(frame, cut, &r, &e);
        if (code != E_MALFORMED)
            fprintf(stderr, "%s cut at %zu: code %d (%s)\n", name, cut, code, e.what ? e.what : "");
        CHECK(code == E_MALFORMED);
    }
    memcpy(frame, copy, n);
    frame[n] = 0;
    frame[0] = (uint8_t)(n + 1);
    frame[1] = (uint8_t)((n + 1) >> 8);
    frame[2] = (uint8_t)((n + 1) >> 16);
    CHECK(w_decode_request(frame, n + 1, &r, &e) == E_MALFORMED);
    memcpy(frame, copy, n);
    CHECK(w_decode_request(frame, n, &r, &e) == E_OK);
}

static void test_header(void)
{
    w_header h;
    w_error e;
    uint8_t b[16] = {16, 0, 0, 0, W_PING, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0};
    CHECK(w_parse_header(b, 16, &h, &e) == E_OK && h.len == 16 && h.type == W_PING && h.seq == 5);
    CHECK(w_parse_header(b, 15, &h, &e) == E_MALFORMED);
    b[0] = 15;
    CHECK(w_parse_header(b, 16, &h, &e) == E_MALFORMED);
    b[0] = 0x01;
    b[1] = 0x40;
    b[2] = 0x01; /* 81921 */
    CHECK(w_parse_header(b, 16, &h, &e) == E_MALFORMED);
    b[0] = 0x00; /* 81920 = MAX_FRAME: allowed */
    CHECK(w_parse_header(b, 16, &h, &e) == E_OK);
    b[0] = 16;
    b[1] = 0;
    b[2] = 0;
    b[6] = 1;
    CHECK(w_parse_header(b, 16, &h, &e) == E_MALFORMED);
    b[6] = 0;
    b[15] = 1;
    CHECK(w_parse_header(b, 16, &h, &e) == E_MALFORMED);
}

static void test_requests(void)
{
    static w_request r;
    w_error e;
    size_t n;
    uint32_t sizes[3] = {3, 0, 2};
    const uint8_t data[5] = {'a', 'b', 'c', 'd', 'e'};

    n = hello(W_MAGIC, 1);
    CHECK(decode(n, &r) == E_OK && r.h.type == W_HELLO && r.u.hello.magic == W_MAGIC && r.u.hello.major == 1);
    check_truncations(hello(W_MAGIC, 1), "HELLO");

    n = wsk_socket(DISP_CONNECTION, DISP_RECEIVE | DISP_DISCONNECT);
    CHECK(decode(n, &r) == E_OK);
    CHECK(r.u.call.op == OP_SOCKET && r.u.call.target == 1 && r.u.call.irp == 5);
    CHECK(r.u.call.family == 2 && r.u.call.socktype == 1 && r.u.call.protocol == 6 && r.u.call.flags == 2);
    CHECK(r.u.call.context == 0x1234 && r.u.call.disp.kind == DISP_CONNECTION && r.u.call.disp.table_id == 9);
    check_truncations(wsk_socket(DISP_LISTEN, DISP_ACCEPT), "WskSocket");
    n = wsk_socket(6, 0);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = wsk_socket(DISP_LISTEN, DISP_RECEIVE);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = wsk_socket(DISP_STREAM, DISP_ACCEPT | DISP_RECEIVE | DISP_INSPECT);
    CHECK(decode(n, &r) == E_OK);

    n = wsk_send(3, sizes, data, 5);
    CHECK(decode(n, &r) == E_OK);
    CHECK(r.u.call.buf.present == 1 && r.u.call.buf.chunks == 3 && r.u.call.buf.total == 5);
    CHECK(w_chunk(&r.u.call.buf, 0) == 3 && w_chunk(&r.u.call.buf, 1) == 0 && w_chunk(&r.u.call.buf, 2) == 2);
    CHECK(w_chunk(&r.u.call.buf, 3) == 0);
    CHECK(r.u.call.buf.nbytes == 5 && memcmp(r.u.call.buf.bytes, data, 5) == 0);
    check_truncations(wsk_send(3, sizes, data, 5), "WskSend");
    /* Length past the chain is a misuse the codec carries, not an error */
    n = wsk_send(3, sizes, data, 1000);
    CHECK(decode(n, &r) == E_OK && r.u.call.buf.length == 1000);

    n = wsk_connect_ex();
    CHECK(decode(n, &r) == E_OK && r.u.call.buf.present == 0 && r.u.call.remote.n == 16 &&
          memcmp(r.u.call.remote.p, sin4, 16) == 0);
    check_truncations(wsk_connect_ex(), "WskConnectEx");

    n = send_messages(W_MAX_BUFS);
    CHECK(decode(n, &r) == E_OK && r.u.call.nbufs == W_MAX_BUFS && r.u.call.bufs[63].bytes[0] == 63);
    n = send_messages(W_MAX_BUFS + 1);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);

    n = control_socket(W_MAX_CONTROL, W_MAX_CONTROL);
    CHECK(decode(n, &r) == E_OK && r.u.call.input_len == W_MAX_CONTROL && r.u.call.output_size == W_MAX_CONTROL);
    n = control_socket(W_MAX_CONTROL + 1, 4);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    n = control_socket(0, W_MAX_CONTROL + 1);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);

    n = policy(3, DISP_RECEIVE);
    CHECK(decode(n, &r) == E_OK && r.u.policy.receive == 3 && r.u.policy.receive_bytes == 10);
    check_truncations(policy(1, 0), "POLICY");
    n = policy(4, 0);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = policy(0, DISP_ACCEPT);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);

    n = stage(1, 0, 100, 100);
    CHECK(decode(n, &r) == E_OK && r.u.stage.n == 100);
    n = stage(1, 50, 100, 51);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = stage(0, 0, 1, 1);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = stage(1, 0, W_MAX_STAGE + 1, 0);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
}

/* REGISTER's reg_flags (1.2): REG_CLIENT_EVENT decodes; 0 (what a 1.1
 * suite sends as padding) is a registration without a WskClientEvent; any
 * other bit is a reserved bit set, E_MALFORMED; registration id 0 is E_ID;
 * every cut and a trailing byte are E_MALFORMED. */
static void test_register(void)
{
    static w_request r;
    w_error e;
    size_t n;
    uint16_t bit;
    n = reg(3, REG_CLIENT_EVENT);
    CHECK(decode(n, &r) == E_OK && r.h.type == W_REGISTER && r.u.reg.reg == 3 && r.u.reg.version == 0x0100 &&
          r.u.reg.flags == REG_CLIENT_EVENT && r.u.reg.context == 0x77);
    check_truncations(reg(3, REG_CLIENT_EVENT), "REGISTER");
    n = reg(3, 0);
    CHECK(decode(n, &r) == E_OK && r.u.reg.flags == 0);
    for (bit = 1; bit < 16; bit++) {
        n = reg(3, (uint16_t)(1u << bit));
        CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    }
    n = reg(0, REG_CLIENT_EVENT);
    CHECK(w_decode_request(frame, n, &r, &e) == E_ID);
}

static void test_errors(void)
{
    static w_request r;
    w_error e;
    w_writer w;
    size_t n;
    /* reserved op */
    call_prefix(&w, 7, 1, 0);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_OP);
    /* call_flags: bits 0 and 1 (1.3, CANCELLED_FIRST) are known, others
     * are refused */
    {
        uint16_t bit;
        for (bit = 0; bit < 16; bit++) {
            call_prefix(&w, OP_CLOSE_SOCKET, 1, 1);
            frame[W_HDR + 2] = (uint8_t)((1u << bit) & 0xFF);
            frame[W_HDR + 3] = (uint8_t)((1u << bit) >> 8);
            n = w_end(&w);
            if (bit < 2) {
                CHECK(decode(n, &r) == E_OK && r.u.call.call_flags == (1u << bit));
            } else {
                CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
            }
        }
    }
    /* socket op on socket id 0 */
    call_prefix(&w, OP_CLOSE_SOCKET, 0, 1);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_ID);
    /* unknown frame type, and a reply sent as a request */
    w_begin(&w, frame, sizeof(frame), 0x99, 1);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_TYPE);
    w_begin(&w, frame, sizeof(frame), W_PING | W_REPLY, 1);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_TYPE);
    /* SOCKADDR above MAX_SOCKADDR */
    call_prefix(&w, OP_BIND, 2, 3);
    w_u32(&w, 0);
    w_u16(&w, W_MAX_SOCKADDR + 1);
    w_reserve(&w, W_MAX_SOCKADDR + 1);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    /* NULL SOCKADDR */
    call_prefix(&w, OP_BIND, 2, 3);
    w_u32(&w, 0);
    w_u16(&w, W_SA_NULL);
    n = w_end(&w);
    CHECK(decode(n, &r) == E_OK && r.u.call.local.null);
    /* chunks above MAX_CHUNKS */
    call_prefix(&w, OP_RECEIVE, 2, 3);
    w_u32(&w, 0);
    w_u8(&w, 1);
    w_u8(&w, 0);
    w_u16(&w, W_MAX_CHUNKS + 1);
    w_u32(&w, 0);
    w_u64(&w, 0);
    w_u32(&w, 0);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    /* a stage on a receive */
    call_prefix(&w, OP_RECEIVE, 2, 3);
    w_u32(&w, 0);
    w_u8(&w, 1);
    w_u8(&w, 0);
    w_u16(&w, 1);
    w_u32(&w, 0);
    w_u64(&w, 10);
    w_u32(&w, 7);
    w_u32(&w, 10);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    /* a receive BUF carries no bytes: chunk sizes only */
    call_prefix(&w, OP_RECEIVE, 2, 3);
    w_u32(&w, 0);
    w_u8(&w, 1);
    w_u8(&w, 0);
    w_u16(&w, 2);
    w_u32(&w, 0);
    w_u64(&w, 100000);
    w_u32(&w, 0);
    w_u32(&w, 70000);
    w_u32(&w, 30000);
    n = w_end(&w);
    CHECK(decode(n, &r) == E_OK && r.u.call.buf.total == 100000 && r.u.call.buf.nbytes == 0);
    /* inline send bytes above MAX_DATA */
    call_prefix(&w, OP_SEND, 2, 3);
    w_u32(&w, 0);
    w_u8(&w, 1);
    w_u8(&w, 0);
    w_u16(&w, 1);
    w_u32(&w, 0);
    w_u64(&w, W_MAX_DATA + 1);
    w_u32(&w, 0);
    w_u32(&w, W_MAX_DATA + 1);
    w_reserve(&w, W_MAX_DATA + 1);
    n = w_end(&w);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    /* the len field must match the bytes given */
    n = hello(W_MAGIC, 1);
    CHECK(w_decode_request(frame, n - 1, &r, &e) == E_MALFORMED);
}

/* Ops 4 to 6 (section 5.1): the names, hints, sizes and list; a NAME past
 * W_MAX_NAME, a NULL NAME with bytes, a flag above 1 and an IRP given to
 * WskFreeAddressInfo are rejected. */
static void test_names(void)
{
    static w_request r;
    static char big[W_MAX_NAME + 1];
    w_error e;
    size_t n;
    const w_call *c = &r.u.call;

    n = get_address_info("localhost", 9, "80", 1);
    CHECK(decode(n, &r) == E_OK && c->op == OP_GET_ADDRESS_INFO && c->target == 1 && c->irp == 11);
    CHECK(!c->node.null && c->node.n == 9 && memcmp(c->node.p, "localhost", 9) == 0);
    CHECK(!c->service.null && c->service.n == 2 && memcmp(c->service.p, "80", 2) == 0);
    CHECK(c->name_space == 12 && c->hints == 1 && c->family == 23 && c->socktype == 1 && c->protocol == 6 &&
          c->flags == 4 && c->process == 0);
    check_truncations(get_address_info("localhost", 9, "80", 1), "WskGetAddressInfo");
    n = get_address_info(NULL, 0, NULL, 0);
    CHECK(decode(n, &r) == E_OK && c->node.null && c->service.null && c->hints == 0);
    memset(big, 'a', sizeof(big));
    n = get_address_info(big, W_MAX_NAME, NULL, 0);
    CHECK(decode(n, &r) == E_OK && c->node.n == W_MAX_NAME);
    n = get_address_info(big, W_MAX_NAME + 1, NULL, 0);
    CHECK(w_decode_request(frame, n, &r, &e) == E_MALFORMED);
    n = get_address_info("x", 1, NULL, 2); /* hints above 1 */
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
    n = get_address_info("x", 1, NULL, 0);
    frame[W_HDR + 12] = 0; /* node: NULL with a byte behind it */
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);

    n = get_name_info(1025, W_NAME_NULL);
    CHECK(decode(n, &r) == E_OK && c->op == OP_GET_NAME_INFO && c->local.n == 16 && c->host_size == 1025 &&
          c->service_size == W_NAME_NULL && c->flags == 0xA);
    check_truncations(get_name_info(0, 32), "WskGetNameInfo");

    n = free_address_info(0, 11);
    CHECK(decode(n, &r) == E_OK && c->op == OP_FREE_ADDRESS_INFO && c->list == 11 && c->irp == 0);
    check_truncations(free_address_info(0, 11), "WskFreeAddressInfo");
    n = free_address_info(3, 11);
    CHECK(w_decode_request(frame, n, &r, &e) == E_FIELD);
}

/* utf.c: valid text round-trips; a sequence that is not valid UTF-8
 * becomes U+FFFD; a full output stops between characters; an unpaired
 * surrogate becomes U+FFFD on the way back. */
static void test_utf(void)
{
    static const uint8_t text[] = "h\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"; /* h, e acute, euro, an emoji */
    static const uint8_t bad[] = {0xC0, 0xAF, 'a', 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xE2, 0x82};
    uint16_t u[32];
    uint8_t back[64];
    size_t n, m;
    n = w_utf8_to_utf16(text, sizeof(text) - 1, u, 32);
    CHECK(n == 5 && u[0] == 'h' && u[1] == 0xE9 && u[2] == 0x20AC && u[3] == 0xD83D && u[4] == 0xDE00);
    m = w_utf16_to_utf8(u, n, back, sizeof(back));
    CHECK(m == sizeof(text) - 1 && memcmp(back, text, m) == 0);
    n = w_utf8_to_utf16(text, sizeof(text) - 1, u, 4); /* no room for the pair: stops before it */
    CHECK(n == 3);
    m = w_utf16_to_utf8(u, 5, back, 5); /* 'h' (1) + e acute (2), the euro (3) does not fit */
    CHECK(m == 3);
    n = w_utf8_to_utf16(bad, sizeof(bad), u, 32);
    CHECK(n == sizeof(bad) && u[2] == 'a'); /* every byte but 'a' is its own U+FFFD */
    CHECK(u[0] == 0xFFFD && u[1] == 0xFFFD && u[3] == 0xFFFD && u[n - 1] == 0xFFFD);
    u[0] = 0xDC00;
    u[1] = 'z';
    m = w_utf16_to_utf8(u, 2, back, sizeof(back));
    CHECK(m == 4 && back[0] == 0xEF && back[1] == 0xBF && back[2] == 0xBD && back[3] == 'z');
}

static void test_writer(void)
{
    uint8_t small[20];
    w_writer w;
    size_t n;
    w_begin(&w, small, sizeof(small), W_PING | W_REPLY, 1);
    CHECK(w_end(&w) == 16);
    w_begin(&w, small, sizeof(small), W_ERROR, 1);
    w_u32(&w, E_ID);
    w_text(&w, "too long for twenty bytes");
    CHECK(w.overflow && w_end(&w) == 0);
    n = w_error_frame(frame, sizeof(frame), 9, E_TABLE, "no such entry");
    CHECK(n == 16 + 4 + 2 + 13 && frame[0] == n && frame[4] == W_ERROR && frame[8] == 9 && frame[16] == E_TABLE);
    /* a frame past MAX_FRAME is never ended */
    {
        static uint8_t big[W_MAX_FRAME + 16];
        w_begin(&w, big, sizeof(big), W_IRP_DATA, 1);
        w_reserve(&w, W_MAX_FRAME);
        CHECK(!w.overflow && w_end(&w) == 0);
    }
}

/* Random frames: no crash, no read outside (ASan), no UB (UBSan). */
static void test_random(void)
{
    static w_request r;
    uint32_t x = 12345;
    long i;
    for (i = 0; i < 1000000; i++) {
        size_t n, k;
        w_error e;
        x = x * 1103515245u + 12345u;
        n = W_HDR + (x >> 8) % 200;
        for (k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            frame[k] = (uint8_t)(x >> 16);
        }
        /* a valid header most of the time, so bodies get decoded */
        if (i % 8) {
            frame[0] = (uint8_t)n;
            frame[1] = (uint8_t)(n >> 8);
            frame[2] = frame[3] = 0;
            frame[4] = (uint8_t)(1 + (frame[4] % 13));
            frame[5] = frame[6] = frame[7] = 0;
            memset(frame + 12, 0, 4);
            if (frame[4] == W_CALL) {
                frame[16] = (uint8_t)((x >> 4) % 40); /* ops 1 to 39: the name ops 4 to 6 among them */
                frame[17] = 0;
            }
        }
        (void)w_decode_request(frame, n, &r, &e);
    }
}

int main(void)
{
    test_header();
    test_requests();
    test_register();
    test_errors();
    test_names();
    test_utf();
    test_writer();
    test_random();
    if (failures) {
        fprintf(stderr, "wire_test: %d failures\n", failures);
        return 1;
    }
    printf("wire_test: ok\n");
    return 0;
}
