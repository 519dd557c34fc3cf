/* The wskverify agent protocol (docs/protocol.md, version 1.0) in portable
 * C99: frame and body decoding with a bounds check before every field, and
 * the writers of the agent's frames. Shared by wskagent.sys (mingw-w64,
 * kernel mode), wskrelay.exe and the Linux test and fuzz harness; it uses no
 * library but memcpy and memset, and never allocates.
 *
 * Decoded views point into the frame they came from (no copies): a frame
 * must outlive what was decoded from it. */
#ifndef WSKAGENT_WIRE_H
#define WSKAGENT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define W_MAGIC 0x564B5357u /* "WSKV" */
#define W_MAJOR 1
/* 1.2: REGISTER's reg_flags and FEAT_CLIENT_EVENT. 1.3: CALL's
 * CALL_CANCELLED_FIRST and FEAT_CANCEL_FIRST. The agent declares no QUIET
 * (1.1): the suite sends it a PING instead. */
#define W_MINOR 3

/* Limits of section 2, all inclusive. */
#define W_HDR          16u
#define W_MAX_FRAME    81920u
#define W_MAX_DATA     65536u
#define W_MAX_CHUNKS   1024u
#define W_MAX_SOCKADDR 128u
#define W_MAX_CONTROL  4096u
#define W_MAX_STAGE    (16u * 1024u * 1024u)
#define W_MAX_TEXT     1024u
#define W_MAX_BUFS     64u
#define W_MAX_NAME     1024u /* bytes of a NAME field (section 5.1, ops 4 to 6) */
#define W_NAME_NULL    0xFFFFFFFFu /* a host_size or service_size standing for a NULL UNICODE_STRING */
#define W_SA_NULL      0xFFFFu

/* Frame types (section 3). A reply is its request's type | W_REPLY. */
enum {
    W_HELLO = 0x01, W_POLICY = 0x02, W_REGISTER = 0x03, W_CAPTURE = 0x04,
    W_RELEASE_NPI = 0x05, W_DEREGISTER = 0x06, W_STAGE = 0x07, W_CALL = 0x08,
    W_CANCEL = 0x09, W_IRP_REUSE = 0x0A, W_IRP_FREE = 0x0B, W_PING = 0x0C, W_BYE = 0x0D,
    W_REPLY = 0x80,
    W_IRP_DONE = 0x40, W_IRP_DATA = 0x41, W_EVENT = 0x42, W_LOG = 0x43,
    W_ERROR = 0x7F
};

/* CALL ops (section 5.1). */
enum {
    OP_SOCKET = 1, OP_SOCKET_CONNECT = 2, OP_CONTROL_CLIENT = 3,
    OP_GET_ADDRESS_INFO = 4, OP_FREE_ADDRESS_INFO = 5, OP_GET_NAME_INFO = 6,
    OP_CONTROL_SOCKET = 16, OP_CLOSE_SOCKET = 17, OP_BIND = 18, OP_ACCEPT = 19,
    OP_INSPECT_COMPLETE = 20, OP_GET_LOCAL_ADDRESS = 21, OP_SEND_TO = 22,
    OP_RECEIVE_FROM = 23, OP_RELEASE_DATAGRAM = 24, OP_SEND_MESSAGES = 25,
    OP_CONNECT = 26, OP_CONNECT_EX = 27, OP_GET_REMOTE_ADDRESS = 28, OP_SEND = 29,
    OP_RECEIVE = 30, OP_DISCONNECT = 31, OP_RELEASE_CONNECTION = 32, OP_LISTEN = 33,
    OP_MAX = 63
};

/* ERROR codes (section 9). */
enum {
    E_OK = 0, E_MALFORMED = 1, E_TYPE = 2, E_VERSION = 3, E_STATE = 4, E_ID = 5,
    E_OP = 6, E_TABLE = 7, E_FIELD = 8, E_REFUSED = 9, E_RESOURCES = 10,
    E_ORDER = 11, E_OVERFLOW = 12
};

/* DISP kinds and entry bits (section 2). */
enum {
    DISP_NULL = 0, DISP_LISTEN = 1, DISP_DATAGRAM = 2, DISP_CONNECTION = 3,
    DISP_STREAM = 4, DISP_FOREIGN = 5
};
#define DISP_SEND_BACKLOG 0x10u
#define DISP_RECEIVE      0x40u
#define DISP_DISCONNECT   0x80u
#define DISP_RECEIVE_FROM 0x100u
#define DISP_ACCEPT       0x200u
#define DISP_INSPECT      0x1000u
#define DISP_ABORT        0x2000u

/* Socket tables of IRP_DONE and EVENT (section 5.4). */
#define TABLE_LISTEN     0x1u
#define TABLE_DATAGRAM   0x2u
#define TABLE_CONNECTION 0x4u
#define TABLE_STREAM     0x8u

/* EVENT kinds (section 6). */
enum {
    EV_ACCEPT = 1, EV_RECEIVE = 2, EV_RECEIVE_FROM = 3, EV_DISCONNECT = 4,
    EV_SEND_BACKLOG = 5, EV_INSPECT = 6, EV_ABORT = 7, EV_CLIENT = 8
};

/* HELLO_R features (section 4). */
#define FEAT_EVENTS             (1u << 0)
#define FEAT_CANCEL             (1u << 1)
#define FEAT_CHAINED_MDL        (1u << 2)
#define FEAT_IPV6               (1u << 3)
#define FEAT_LOCAL_ADDRESS      (1u << 4)
#define FEAT_MISUSE_PENDING_IRP (1u << 8)
#define FEAT_MISUSE_NULL_IRP    (1u << 9)
#define FEAT_MISUSE_BAD_BUF     (1u << 10)
#define FEAT_MISUSE_FOREIGN     (1u << 11)
#define FEAT_CLIENT_EVENT       (1u << 13) /* 1.2: REGISTER's REG_CLIENT_EVENT is honoured */
#define FEAT_CANCEL_FIRST       (1u << 14) /* 1.3: CALL's CALL_CANCELLED_FIRST is honoured */

/* CALL call_flags (section 5.1). */
#define CALL_NULL_OUT_SIZE   0x0001u
#define CALL_CANCELLED_FIRST 0x0002u /* 1.3: IoCancelIrp on the IRP before the call */

/* REGISTER reg_flags (section 7, 1.2). */
#define REG_CLIENT_EVENT 0x0001u

typedef struct {
    uint32_t len;
    uint16_t type;
    uint32_t seq;
} w_header;

/* A SA field: null, or n bytes at p. */
typedef struct {
    int null;
    uint16_t n;
    const uint8_t *p;
} w_sa;

typedef struct {
    uint8_t kind;
    uint32_t entries;
    uint32_t table_id;
} w_disp;

/* A NAME field (section 5.1): NULL, or n <= W_MAX_NAME bytes of UTF-8 at p. */
typedef struct {
    int null;
    uint32_t n;
    const uint8_t *p;
} w_name;

/* A BUF field (section 5.3). chunk_sizes holds `chunks` little-endian u32s;
 * read them with w_chunk. bytes/nbytes: inline send bytes (send BUFs with
 * stage 0 only). total: the sum of the chunk sizes. */
typedef struct {
    uint8_t present;
    uint8_t mdl_null;
    uint16_t chunks;
    uint32_t offset;
    uint64_t length;
    uint32_t stage;
    const uint8_t *chunk_sizes;
    uint64_t total;
    const uint8_t *bytes;
    uint32_t nbytes;
} w_buf;

uint32_t w_chunk(const w_buf *b, uint16_t i);

typedef struct {
    uint16_t op, call_flags;
    uint32_t target, irp;
    /* WskSocket, WskSocketConnect */
    uint16_t family, socktype;
    uint32_t protocol, flags;
    uint64_t context;
    w_disp disp;
    uint8_t process, thread;
    uint64_t sd;
    w_sa local, remote;
    /* control calls */
    uint32_t request, code, level, output_size;
    const uint8_t *input;
    uint32_t input_len;
    /* WskInspectComplete */
    uint64_t inspect_id;
    uint32_t action;
    /* address outputs */
    uint8_t want, want_local, want_remote;
    /* data */
    w_buf buf;
    uint16_t nbufs;
    w_buf bufs[W_MAX_BUFS];
    uint32_t indication;
    /* name resolution (ops 4 to 6): WskGetAddressInfo's names, name space
     * and hints (their family, type, protocol and flags are the fields
     * above; hints = 0 is NULL hints); WskFreeAddressInfo's list (the IRP
     * id of the WskGetAddressInfo that returned it); WskGetNameInfo's
     * buffer sizes in characters (W_NAME_NULL: a NULL UNICODE_STRING), its
     * SOCKADDR in local and its flags in flags */
    w_name node, service;
    uint32_t name_space;
    uint8_t hints;
    uint32_t list;
    uint32_t host_size, service_size;
} w_call;

typedef struct {
    uint8_t accept, accept_context;
    uint32_t accept_entries;
    uint8_t receive, receive_from;
    uint32_t receive_bytes;
    uint32_t inspect;
} w_policy;

/* One decoded request. Only the member of its type is set. */
typedef struct {
    w_header h;
    union {
        struct { uint32_t magic; uint16_t major, minor; } hello;
        w_policy policy;
        struct { uint32_t reg; uint16_t version, flags; uint64_t context; } reg;
        struct { uint32_t reg; uint32_t wait_ms; } capture;
        uint32_t reg_id; /* RELEASE_NPI, DEREGISTER */
        struct { uint32_t stage, offset, total; const uint8_t *bytes; uint32_t n; } stage;
        w_call call;
        uint32_t irp_id; /* CANCEL, IRP_FREE */
        struct { uint32_t irp; uint32_t status; } reuse;
    } u;
} w_request;

/* What went wrong decoding: the code of section 9 and a static message
 * naming the field. */
typedef struct {
    int code;
    const char *what;
} w_error;

/* Checks a header: 16 <= len <= W_MAX_FRAME, flags and reserved zero.
 * have: bytes available (at least 16 are needed). Returns E_OK or
 * E_MALFORMED. */
int w_parse_header(const uint8_t *p, size_t have, w_header *h, w_error *err);

/* Decodes a whole request frame (header included, exactly h.len bytes).
 * Returns E_OK, or the error code with err set; never reads past len. */
int w_decode_request(const uint8_t *frame, size_t len, w_request *out, w_error *err);

/* True when the op's table is one of the socket categories, and which table
 * bits carry it (section 5.1's table). */
int w_op_is_client(uint16_t op);
uint32_t w_op_tables(uint16_t op);

/* ---- writing frames ---- */

typedef struct {
    uint8_t *p;
    size_t cap;
    size_t n;
    int overflow; /* set when a put did not fit: the frame must not be sent */
} w_writer;

void w_begin(w_writer *w, uint8_t *buf, size_t cap, uint16_t type, uint32_t seq);
/* Writes len into the header; returns the frame's length, or 0 when it
 * overflowed its buffer or W_MAX_FRAME. */
size_t w_end(w_writer *w);
void w_u8(w_writer *w, uint8_t v);
void w_u16(w_writer *w, uint16_t v);
void w_u32(w_writer *w, uint32_t v);
void w_u64(w_writer *w, uint64_t v);
void w_raw(w_writer *w, const void *p, size_t n);
/* BYTES: u32 n then the bytes. */
void w_bytes(w_writer *w, const void *p, uint32_t n);
/* TEXT: u16 n then the bytes, cut at W_MAX_TEXT. */
void w_text(w_writer *w, const char *s);
/* SAOUT: u16 n then n bytes, or W_SA_NULL alone when p is NULL. */
void w_saout(w_writer *w, const void *p, uint16_t n);
/* Reserves n bytes and returns where they start (NULL on overflow), for a
 * field filled in later. */
uint8_t *w_reserve(w_writer *w, size_t n);

/* ---- UTF-8 and UTF-16 (utf.c), for the names of ops 4 to 6 ---- */

/* Converts n bytes of UTF-8 into at most cap UTF-16 code units; a sequence
 * that is not valid UTF-8 becomes U+FFFD. Returns the units written, never
 * more than n; stops early (between characters) when out is full. */
size_t w_utf8_to_utf16(const uint8_t *s, size_t n, uint16_t *out, size_t cap);
/* Converts n UTF-16 code units into at most cap bytes of UTF-8; an unpaired
 * surrogate becomes U+FFFD. Returns the bytes written; only whole
 * characters are written. */
size_t w_utf16_to_utf8(const uint16_t *s, size_t n, uint8_t *out, size_t cap);

/* A whole ERROR frame. */
size_t w_error_frame(uint8_t *buf, size_t cap, uint32_t seq, uint32_t code, const char *msg);

#endif
