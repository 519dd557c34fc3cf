/* The state of one session (one relay connection) and the objects its
 * tables hold. Ids come from the protocol; every object is looked up by id
 * under the session lock, never reached through a value from the wire. */
#ifndef WSKAGENT_STATE_H
#define WSKAGENT_STATE_H

#include "agent.h"

typedef struct SESSION SESSION;

/* A registration (REGISTER), chosen id. */
typedef struct REG {
    ENTRY e;
    WSK_REGISTRATION reg;
    WSK_CLIENT_NPI npi;
    WSK_CLIENT_DISPATCH dispatch;
    BOOLEAN registered;
    LONG captures; /* successful captures not yet released */
} REG;

/* A captured WSK_CLIENT, agent id. */
typedef struct CLIENT {
    ENTRY e;
    REG *reg;
    PWSK_CLIENT client;
    const WSK_PROVIDER_DISPATCH *dispatch;
} CLIENT;

/* A socket the provider handed out, agent id. */
typedef struct SOCK {
    ENTRY e;
    LIST_ENTRY live; /* s->sockets_live while the pointer is known */
    PWSK_SOCKET socket;
    ULONG tables;       /* TABLE_* of the category the agent asked for */
    ULONGLONG context;  /* the SocketContext value passed */
    BOOLEAN closed;     /* a WskCloseSocket completed with success */
    volatile LONG in_receive; /* receive callbacks running (EVT-04) */
    ULONG table_id;     /* the suite's table id given at creation (DISP), or the agent's for sockets it accepted */
} SOCK;

/* One WSK_BUF with its MDL chain and memory (bufs.c). */
typedef struct ABUF {
    WSK_BUF wb;
    SESSION *s;     /* charged for the chunks' bytes */
    ULONG64 charged;
    ULONG chunks;
    PMDL *mdls;
    UCHAR **mem;
    ULONG *sizes;
    BOOLEAN send;
} ABUF;

typedef struct NAMES NAMES; /* a name-resolution call's arguments and outputs (names.c) */

/* The suite's IRP, chosen id. */
typedef struct AIRP {
    ENTRY e;
    ULONG wire; /* the suite's id (e.id changes when it becomes a zombie) */
    SESSION *s;
    PIRP irp;
    volatile LONG returned; /* the call that took it returned: later completions have phase 1 */
    volatile LONG count;    /* completions since it was last handed to a call */
    volatile LONG pending;  /* handed to a call and not completed */
    BOOLEAN zombie;         /* IRP_FREE came while pending: freed at session end */
    /* what the call that took it attached, kept until the IRP is reused */
    USHORT op;
    SOCK *sock;             /* the socket the call was made on */
    ULONG new_tables;       /* socket-creating calls: the category's tables */
    ULONGLONG new_context;
    ULONG new_table_id;
    ABUF *buf;
    ABUF **bufs;            /* WskSendMessages */
    ULONG nbufs;
    WSK_BUF_LIST *blist;
    UCHAR *local, *remote;  /* W_MAX_SOCKADDR output buffers, or NULL */
    UCHAR *in_local, *in_remote; /* input SOCKADDRs, kept while the IRP may be pending */
    UCHAR *ctl_in, *ctl_out;
    ULONG ctl_out_size;
    SIZE_T ctl_returned;
    ULONG ctl_len, ctl_flags; /* WskReceiveFrom's ControlLength and ControlFlags */
    NAMES *names;           /* WskGetAddressInfo, WskGetNameInfo */
} AIRP;

/* A staged send buffer (STAGE), chosen id. */
typedef struct STAGE {
    ENTRY e;
    SESSION *s;
    ULONG total;
    UCHAR *mem;
    ULONG filled;
    ULONG npieces, cap;
    ULONG *starts, *ends; /* pieces received, to check they tile [0, total) */
} STAGE;

/* A retained indication (receive answered STATUS_PENDING), agent id. */
typedef struct INDICATION {
    ENTRY e;
    SOCK *sock;
    BOOLEAN datagram;
    PVOID list; /* PWSK_DATA_INDICATION or PWSK_DATAGRAM_INDICATION */
} INDICATION;

/* A list WskGetAddressInfo returned and the client has not freed yet
 * (names.c), by the IRP id of the call that returned it; freed exactly
 * once, by WskFreeAddressInfo or at the session's end. */
typedef struct NAMELIST {
    ENTRY e;
    CLIENT *client;
    PWSKA_ADDRINFOEXW list;
} NAMELIST;

/* A client dispatch table the agent built (events.c). */
typedef struct TABLE {
    LIST_ENTRY link;
    UCHAR body[64]; /* the table the provider reads, or a FOREIGN block */
    WSK_CLIENT_LISTEN_DISPATCH listen;
    WSK_CLIENT_CONNECTION_DISPATCH connection;
} TABLE;

#define MAX_SDS 32
/* The WSK_INSPECT_IDs WskInspectEvent was given, newest last: the wire
 * carries an ID's Key alone (protocol section 6), and WskInspectComplete
 * hands the provider back the whole ID, SerialNumber included. */
#define MAX_INSPECT_IDS 64
/* What one session may hold in staged buffers and WSK_BUF chunks: a suite
 * that asks for more gets E_RESOURCES, not an exhausted pool. */
#define MAX_SESSION_BYTES (256ll * 1024 * 1024)

struct SESSION {
    LIST_ENTRY all; /* every session whose executor runs (session.c) */
    KSPIN_LOCK lock; /* the tables below */
    OUTQ q;
    volatile LONG idle; /* 1 when no request is executing (EVENT phase) */
    /* the executor */
    HANDLE thread;
    KEVENT wake;
    LIST_ENTRY requests; /* under lock */
    ULONG queued;
    ULONG queued_bytes;
    volatile LONG closing;
    BOOLEAN hello;
    BOOLEAN bye;
    w_policy policy;
    /* tables */
    IDMAP regs, clients, sockets, irps, stages, indications;
    IDMAP zombies; /* IRPs freed by the suite while pending */
    IDMAP lists;   /* NAMELISTs by the IRP id that returned them */
    IDMAP orphan_lists; /* lists whose IRP id returned another list since: freed at the end */
    ULONG next_orphan;
    ULONG next_zombie;
    LIST_ENTRY sockets_live;
    LIST_ENTRY tables;
    ULONG next_client, next_socket, next_indication, next_table;
    ULONGLONG next_token;
    ULONGLONG sds[MAX_SDS];
    ULONG nsds;
    WSK_INSPECT_ID inspect_ids[MAX_INSPECT_IDS]; /* under lock, a ring */
    ULONG next_inspect;
    volatile LONG pending_irps;
    volatile LONG64 buffer_bytes; /* staged and WSK_BUF bytes held, bounded by MAX_SESSION_BYTES */
    AIRP nullirp; /* holds a NULL-IRP call's arguments (MISUSE_NULL_IRP) until the next one */
    /* the executor's buffers */
    w_request req;
    UCHAR reply[W_MAX_FRAME];
};

/* ---- session.c ---- */
SESSION *session_open(void);
/* The relay closed its handle: the executor ends the session. */
void session_close(SESSION *s);
/* Queues one request frame for the executor; PING is answered here. FALSE
 * when the frame could not be queued (an ERROR was sent instead). */
void session_submit(SESSION *s, const UCHAR *frame, ULONG len);
/* The live session for event callbacks, referenced: release with
 * session_put. NULL when there is none. */
SESSION *session_get_current(void);
void session_put(SESSION *s);
/* DriverUnload: ends every session and waits (bounded) for their
 * executors; one stuck in a provider call is left behind and logged. */
void session_wait_all(ULONG timeout_ms);

/* Looks id up in one of s's tables under the session lock; take removes
 * it. NULL when the table does not hold it. */
ENTRY *session_lookup(SESSION *s, IDMAP *m, ULONG id, BOOLEAN take);
/* Removes any one entry of one of s's tables under the session lock; NULL
 * when it is empty. */
ENTRY *session_pop(SESSION *s, IDMAP *m);

/* ---- frames.c ---- */
/* Executes one request frame, appends its reply (or ERROR) to the queue. */
void frames_execute(SESSION *s, const UCHAR *frame, ULONG len);
/* Protocol section 8: closes sockets, waits for IRPs, releases captures,
 * deregisters. TRUE when nothing is left that a provider may still touch. */
BOOLEAN frames_cleanup(SESSION *s);
/* Pushes an ERROR; fatal codes end the stream. */
void frames_error(SESSION *s, ULONG seq, ULONG code, const char *what);

/* ---- calls.c ---- */
/* Executes one CALL; returns the reply frame's length in s->reply, or 0
 * after pushing an ERROR in its place. */
void calls_execute(SESSION *s, ULONG seq, const w_call *c);

/* ---- irps.c ---- */
AIRP *irps_get(SESSION *s, ULONG id, BOOLEAN create);
/* Readies an IRP for a call: IoReuseIrp, the completion routine, the
 * counters. The caller released its last call's attachments before it
 * attached this call's. */
void irps_arm(AIRP *a);
void irps_release_attachments(AIRP *a);
void irps_free(AIRP *a);
NTSTATUS irps_cancel(SESSION *s, ULONG id, UCHAR *result);
NTSTATUS irps_reuse(SESSION *s, ULONG id, NTSTATUS status, ULONG *result);
NTSTATUS irps_release(SESSION *s, ULONG id);
/* Finds or adds the socket for a provider pointer (SOCK-10). */
SOCK *socks_adopt(SESSION *s, PWSK_SOCKET p, ULONG tables, ULONGLONG context, ULONG table_id);
SOCK *socks_get(SESSION *s, ULONG id);

/* ---- names.c ---- */
/* Builds a name-resolution call's arguments (ops 4 to 6) into a's
 * attachments (a is NULL for WskFreeAddressInfo); returns a protocol error
 * code. */
int names_prepare(SESSION *s, const w_call *c, AIRP *a, const char **what);
/* WskFreeAddressInfo of the list the call names, taken from the session's
 * table (names_prepare checked it is there): out gets the list as it was
 * just before the free (CALL_R's output), *outlen its length. */
void names_free_call(SESSION *s, const w_call *c, UCHAR *out, ULONG cap, ULONG *outlen);
/* WskGetAddressInfo or WskGetNameInfo on the provider. */
NTSTATUS names_invoke(const w_call *c, CLIENT *cl, AIRP *a);
/* The first completion of a name call: a list WskGetAddressInfo returned
 * joins the session's table, before IRP_DONE is queued. */
void names_completed(AIRP *a, NTSTATUS status);
/* IRP_DONE's output of a name call: BYTES(MAX_CONTROL). */
void names_output(const AIRP *a, NTSTATUS status, w_writer *w);
void names_release(AIRP *a);
/* Frees, once, every list still held that reg's clients were given: before
 * its last capture is released or it is deregistered, the last moment the
 * provider's dispatch may be called for them. */
void names_free_reg(SESSION *s, REG *reg);
/* The session's end: every list still held is freed, once. */
void names_cleanup(SESSION *s);

/* ---- bufs.c ---- */
/* Builds a WSK_BUF from a BUF field; returns a protocol error code. A NULL
 * PWSK_BUF gives *out = NULL and E_OK. */
int bufs_build(SESSION *s, const w_buf *b, BOOLEAN send, ABUF **out, const char **what);
void bufs_free(ABUF *b);
/* Copies up to n bytes the WSK_BUF describes into out; returns the count. */
ULONG bufs_read(const ABUF *b, ULONG64 skip, UCHAR *out, ULONG n);
void bufs_complement(ABUF *b);
/* Charges n bytes to the session's budget; FALSE when it would overflow. */
BOOLEAN budget_take(SESSION *s, ULONG64 n);
void budget_give(SESSION *s, ULONG64 n);
int stages_add(SESSION *s, ULONG id, ULONG offset, ULONG total, const UCHAR *p, ULONG n, const char **what);
void stages_free(STAGE *st);

/* ---- events.c ---- */
/* The table to pass for a DISP field (NULL for kind NULL). */
const VOID *events_table(SESSION *s, const w_disp *d, int *code);
void events_free_tables(SESSION *s);
extern const WSK_CLIENT_DISPATCH events_client_dispatch;
/* WskRelease's CALL_R output: u32 the bytes the kept list describes, u64
 * their FNV-1a hash, then the first of them, as many as fit cap; returns
 * its length. */
ULONG events_kept_bytes(const INDICATION *ind, UCHAR *out, ULONG cap);
/* The session's end: WskRelease of every indication list still kept. */
void events_release_all(SESSION *s);
/* Writes WSK_EVENT_CALLBACK_CONTROL for a 4-byte event mask; returns its size. */
ULONG events_callback_control(const UCHAR *mask4, UCHAR *out);

#endif
