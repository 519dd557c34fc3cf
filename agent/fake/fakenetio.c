/* A fake netio.sys that calls event callbacks, to exercise wskagent.sys's
 * event path under Wine (Wine 8.0's own netio.sys never calls one). Listen
 * and connection sockets complete every IRP; WskControlSocket
 * (SO_WSK_EVENT_CALLBACK with WSK_EVENT_ACCEPT) on a listen socket at once
 * calls WskAcceptEvent with a new connection socket, then that socket's
 * WskReceiveEvent with the 5 bytes "hello", WskDisconnectEvent and
 * WskSendBacklogEvent(8192), all before it returns. WskBind to port 9
 * never returns (a hung call). A receive indication the client keeps
 * (STATUS_PENDING) stays allocated until the connection's WskRelease, which
 * frees it. Name resolution: WskGetAddressInfo of 127.0.0.1, localhost or
 * NULL with a numeric service gives one AF_INET 127.0.0.1:port entry (any
 * other name: STATUS_NOT_FOUND), WskFreeAddressInfo frees it and logs a
 * free of a list it does not hold, WskGetNameInfo writes "127.0.0.1" and
 * the port. WskSocket calls the registered client's WskClientEvent
 * (event 7, no information) when it is not NULL, as a provider may
 * (CEV-02). Frees, releases and client events are also written to
 * C:\fakenetio.log (winerun's TestFakeProvider* read it). Everything else is
 * STATUS_NOT_IMPLEMENTED. A test tool, not a provider: see agent/README.md. */
#include "../driver/wsk_decls.h"

typedef struct { WSK_SOCKET base; PVOID ctx; const VOID *cdisp; ULONG flags; } FAKE;

static NTSTATUS done(PIRP irp, NTSTATUS st, ULONG_PTR info)
{
    if (irp) {
        irp->IoStatus.Status = st;
        irp->IoStatus.Information = info;
        IoSetNextIrpStackLocation(irp);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
    return st;
}

static NTSTATUS NTAPI f_close(PWSK_SOCKET s, PIRP irp) { (void)s; return done(irp, STATUS_SUCCESS, 0); }
/* A bind to port 9 (discard) never returns: a hung provider call. */
static NTSTATUS NTAPI f_bind(PWSK_SOCKET s, PWSKA_SOCKADDR a, ULONG f, PIRP irp)
{
    (void)s;
    (void)f;
    if (a && a->sa_family == 2 && (UCHAR)a->sa_data[0] == 0 && (UCHAR)a->sa_data[1] == 9) {
        for (;;) {
            LARGE_INTEGER t;
            t.QuadPart = -10000LL * 1000;
            KeDelayExecutionThread(KernelMode, FALSE, &t);
        }
    }
    return done(irp, STATUS_SUCCESS, 0);
}
static NTSTATUS NTAPI f_control(PWSK_SOCKET s, WSK_CONTROL_SOCKET_TYPE t, ULONG code, ULONG level, SIZE_T inlen, PVOID in,
                                SIZE_T outlen, PVOID out, SIZE_T *ret, PIRP irp);
static NTSTATUS NTAPI f_release(PWSK_SOCKET s, PWSK_DATA_INDICATION d);
static const WSK_PROVIDER_LISTEN_DISPATCH g_listen = {{f_control, f_close}, f_bind, NULL, NULL, NULL};
static const WSK_PROVIDER_CONNECTION_DISPATCH g_conn = {{f_control, f_close}, f_bind, NULL, NULL, NULL, NULL, NULL, NULL, f_release, NULL, NULL, NULL};

#define TAG 0x656b6146

/* Appends one line to C:\fakenetio.log in the prefix, where a test reads
 * what the fake was handed (DbgPrint reaches only the stderr of the process
 * that started the Wine session, which need not be the test's). */
static void note(const char *line)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK io;
    HANDLE h;
    ULONG n = 0;
    RtlInitUnicodeString(&name, L"\\??\\C:\\fakenetio.log");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(ZwCreateFile(&h, FILE_APPEND_DATA | SYNCHRONIZE, &oa, &io, NULL, FILE_ATTRIBUTE_NORMAL,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0)))
        return;
    while (line[n])
        n++;
    ZwWriteFile(h, NULL, NULL, NULL, &io, (PVOID)line, n, NULL, NULL);
    ZwClose(h);
}
/* One received indication: the list entry, its MDL and its bytes. */
typedef struct { WSK_DATA_INDICATION di; PMDL mdl; char bytes[5]; } IND;
#define MAX_KEPT 8
static IND *g_kept[MAX_KEPT]; /* the lists clients kept, until their WskRelease */

static NTSTATUS NTAPI f_release(PWSK_SOCKET s, PWSK_DATA_INDICATION d)
{
    ULONG i;
    (void)s;
    for (i = 0; i < MAX_KEPT; i++) {
        IND *k = g_kept[i];
        if (k && d == &k->di) {
            DbgPrint("fakenetio: WskRelease of the kept list %p (%lu bytes)\n", d, (ULONG)d->Buffer.Length);
            note("release kept\n");
            g_kept[i] = NULL;
            IoFreeMdl(k->mdl);
            ExFreePoolWithTag(k, TAG);
            return STATUS_SUCCESS;
        }
    }
    DbgPrint("fakenetio: WskRelease of %p, which is no list a client kept\n", d);
    note(d ? "release unknown\n" : "release NULL\n");
    return STATUS_INVALID_PARAMETER;
}

static FAKE *new_sock(ULONG flags, PVOID ctx, const VOID *cdisp)
{
    FAKE *f = ExAllocatePoolWithTag(NonPagedPool, sizeof(FAKE), TAG);
    if (!f) return NULL;
    f->base.Dispatch = (flags & WSKA_FLAG_LISTEN_SOCKET) ? (const VOID *)&g_listen : (const VOID *)&g_conn;
    f->ctx = ctx; f->cdisp = cdisp; f->flags = flags;
    return f;
}

static NTSTATUS NTAPI f_control(PWSK_SOCKET s, WSK_CONTROL_SOCKET_TYPE t, ULONG code, ULONG level, SIZE_T inlen, PVOID in,
                                SIZE_T outlen, PVOID out, SIZE_T *ret, PIRP irp)
{
    FAKE *L = (FAKE *)s;
    const WSK_EVENT_CALLBACK_CONTROL *ecc = in;
    const WSK_CLIENT_LISTEN_DISPATCH *ld = L->cdisp;
    (void)t; (void)level; (void)outlen; (void)out; (void)ret;
    if (code != 0x4002 || inlen < sizeof(*ecc) || !(ecc->EventMask & WSKA_EVENT_ACCEPT) ||
        !(L->flags & WSKA_FLAG_LISTEN_SOCKET) || !ld || !ld->WskAcceptEvent)
        return done(irp, STATUS_NOT_IMPLEMENTED, 0);
    {
        WSKA_SOCKADDR la = {2, {0x1f, 0x90, 127, 0, 0, 1}}, ra = {2, {0x30, 0x39, 127, 0, 0, 1}};
        FAKE *A = new_sock(WSKA_FLAG_CONNECTION_SOCKET, NULL, NULL);
        PVOID actx = NULL;
        const WSK_CLIENT_CONNECTION_DISPATCH *ad = NULL;
        NTSTATUS st = ld->WskAcceptEvent(L->ctx, 0, &la, &ra, &A->base, &actx, &ad);
        DbgPrint("fakenetio: WskAcceptEvent -> 0x%08lx ctx=%p disp=%p\n", (ULONG)st, actx, ad);
        if (st == STATUS_SUCCESS && ad) {
            IND *k = ExAllocatePoolWithTag(NonPagedPool, sizeof(IND), TAG);
            SIZE_T acc = 0;
            if (k && ad->WskReceiveEvent) {
                RtlCopyMemory(k->bytes, "hello", 5);
                k->mdl = IoAllocateMdl(k->bytes, 5, FALSE, FALSE, NULL);
                MmBuildMdlForNonPagedPool(k->mdl);
                k->di.Next = NULL; k->di.Buffer.Mdl = k->mdl; k->di.Buffer.Offset = 0; k->di.Buffer.Length = 5;
                st = ad->WskReceiveEvent(actx, 0, &k->di, 5, &acc);
                DbgPrint("fakenetio: WskReceiveEvent -> 0x%08lx accepted %lu\n", (ULONG)st, (ULONG)acc);
                if (st == STATUS_PENDING) {
                    ULONG i;
                    for (i = 0; i < MAX_KEPT && g_kept[i]; i++)
                        ;
                    if (i < MAX_KEPT) {
                        g_kept[i] = k; /* the client's until WskRelease */
                        k = NULL;
                    } else {
                        DbgPrint("fakenetio: more than %d lists kept: this one is freed under the client\n", MAX_KEPT);
                    }
                }
                if (k)
                    IoFreeMdl(k->mdl);
            }
            if (k)
                ExFreePoolWithTag(k, TAG);
            if (ad->WskDisconnectEvent) {
                st = ad->WskDisconnectEvent(actx, 0);
                DbgPrint("fakenetio: WskDisconnectEvent -> 0x%08lx\n", (ULONG)st);
            }
            if (ad->WskSendBacklogEvent)
                ad->WskSendBacklogEvent(actx, 8192);
        }
    }
    return done(irp, STATUS_SUCCESS, 0);
}

static PWSK_CLIENT_NPI g_npi; /* the last WskRegister's, until its WskDeregister */

/* The client's WskClientEvent, when it registered one: called with event 7
 * and noted with its answer; a NULL one is noted and never called. */
static void client_event(void)
{
    NTSTATUS st;
    if (!g_npi || !g_npi->Dispatch || !g_npi->Dispatch->WskClientEvent) {
        note("client event NULL\n");
        return;
    }
    st = g_npi->Dispatch->WskClientEvent(g_npi->ClientContext, 7, NULL, 0);
    note(st == STATUS_NOT_IMPLEMENTED ? "client event not implemented\n" : "client event other\n");
}

static NTSTATUS NTAPI f_socket(PWSK_CLIENT c, USHORT fam, USHORT type, ULONG proto, ULONG flags, PVOID ctx, const VOID *disp,
                               PEPROCESS p, PETHREAD t, PSECURITY_DESCRIPTOR sd, PIRP irp)
{
    FAKE *f;
    (void)c; (void)fam; (void)type; (void)proto; (void)p; (void)t; (void)sd;
    if (!irp) return STATUS_INVALID_PARAMETER;
    if (flags != WSKA_FLAG_LISTEN_SOCKET && flags != WSKA_FLAG_CONNECTION_SOCKET)
        return done(irp, STATUS_NOT_IMPLEMENTED, 0);
    client_event();
    f = new_sock(flags, ctx, disp);
    return done(irp, STATUS_SUCCESS, (ULONG_PTR)f);
}

/* ---- name resolution ---- */

typedef struct { WSKA_ADDRINFOEXW ai; UCHAR sa[16]; } LIST;
#define MAX_LISTS 16
static LIST *g_lists[MAX_LISTS]; /* the lists handed out and not freed */

static BOOLEAN is(const UNICODE_STRING *u, const WCHAR *w)
{
    USHORT i, n = u->Length / sizeof(WCHAR);
    for (i = 0; i < n && w[i]; i++)
        if (u->Buffer[i] != w[i])
            return FALSE;
    return i == n && !w[i];
}

static NTSTATUS NTAPI f_gai(PWSK_CLIENT c, PUNICODE_STRING node, PUNICODE_STRING service, ULONG ns, GUID *prov,
                            PWSKA_ADDRINFOEXW hints, PWSKA_ADDRINFOEXW *result, PEPROCESS p, PETHREAD t, PIRP irp)
{
    ULONG port = 0, i;
    LIST *l;
    (void)c; (void)ns; (void)prov; (void)hints; (void)p; (void)t;
    if (!irp)
        return STATUS_INVALID_PARAMETER;
    if (node && !is(node, L"127.0.0.1") && !is(node, L"localhost"))
        return done(irp, STATUS_NOT_FOUND, 0);
    for (i = 0; service && i < service->Length / sizeof(WCHAR) && port < 65536; i++) {
        if (service->Buffer[i] < L'0' || service->Buffer[i] > L'9')
            return done(irp, STATUS_NOT_FOUND, 0);
        port = port * 10 + (service->Buffer[i] - L'0');
    }
    for (i = 0; i < MAX_LISTS && g_lists[i]; i++)
        ;
    if (i == MAX_LISTS || port > 65535 || !(l = ExAllocatePoolWithTag(NonPagedPool, sizeof(LIST), TAG)))
        return done(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    RtlZeroMemory(l, sizeof(*l));
    l->sa[0] = 2;
    l->sa[2] = (UCHAR)(port >> 8);
    l->sa[3] = (UCHAR)port;
    l->sa[4] = 127;
    l->sa[7] = 1;
    l->ai.ai_family = 2;
    l->ai.ai_socktype = 1;
    l->ai.ai_protocol = 6;
    l->ai.ai_addrlen = 16;
    l->ai.ai_addr = (PWSKA_SOCKADDR)l->sa;
    g_lists[i] = l;
    *result = &l->ai;
    return done(irp, STATUS_SUCCESS, 0);
}

static VOID NTAPI f_free(PWSK_CLIENT c, PWSKA_ADDRINFOEXW a)
{
    ULONG i;
    (void)c;
    for (i = 0; i < MAX_LISTS; i++) {
        if (g_lists[i] && &g_lists[i]->ai == a) {
            DbgPrint("fakenetio: WskFreeAddressInfo of list %p\n", a);
            note("free list\n");
            ExFreePoolWithTag(g_lists[i], TAG);
            g_lists[i] = NULL;
            return;
        }
    }
    DbgPrint("fakenetio: WskFreeAddressInfo of %p, which is no list it holds (a double free)\n", a);
    note("free unknown\n");
}

/* Writes w into u within MaximumLength; FALSE when it does not fit. */
static BOOLEAN put(PUNICODE_STRING u, const WCHAR *w, USHORT n)
{
    if (!u)
        return TRUE;
    if (n * sizeof(WCHAR) > u->MaximumLength)
        return FALSE;
    RtlCopyMemory(u->Buffer, w, n * sizeof(WCHAR));
    u->Length = (USHORT)(n * sizeof(WCHAR));
    return TRUE;
}

static NTSTATUS NTAPI f_gni(PWSK_CLIENT c, PWSKA_SOCKADDR sa, ULONG len, PUNICODE_STRING host, PUNICODE_STRING service,
                            ULONG flags, PEPROCESS p, PETHREAD t, PIRP irp)
{
    WCHAR port[6];
    USHORT n = 0, v, d;
    const UCHAR *b = (const UCHAR *)sa;
    (void)c; (void)flags; (void)p; (void)t;
    if (!irp)
        return STATUS_INVALID_PARAMETER;
    if (!sa || len < 16 || sa->sa_family != 2 || (!host && !service))
        return done(irp, STATUS_INVALID_PARAMETER, 0);
    v = (USHORT)((b[2] << 8) | b[3]);
    for (d = 10000; d > 1 && v / d == 0; d /= 10)
        ;
    for (; d; d /= 10)
        port[n++] = (WCHAR)(L'0' + (v / d) % 10);
    if (!put(host, L"127.0.0.1", 9) || !put(service, port, n))
        return done(irp, STATUS_INVALID_PARAMETER, 0);
    return done(irp, STATUS_SUCCESS, 0);
}

static const WSK_PROVIDER_DISPATCH g_prov = {0x100, 0, f_socket, NULL, NULL, f_gai, f_free, f_gni};
static int g_client;

__declspec(dllexport) NTSTATUS NTAPI WskRegister(PWSK_CLIENT_NPI n, PWSK_REGISTRATION r) { (void)r; g_npi = n; return STATUS_SUCCESS; }
__declspec(dllexport) NTSTATUS NTAPI WskCaptureProviderNPI(PWSK_REGISTRATION r, ULONG w, PWSK_PROVIDER_NPI npi)
{ (void)r; (void)w; npi->Client = (PWSK_CLIENT)&g_client; npi->Dispatch = &g_prov; return STATUS_SUCCESS; }
__declspec(dllexport) VOID NTAPI WskReleaseProviderNPI(PWSK_REGISTRATION r) { (void)r; }
__declspec(dllexport) VOID NTAPI WskDeregister(PWSK_REGISTRATION r) { (void)r; g_npi = NULL; }
NTSTATUS NTAPI FakeEntry(PVOID a, PVOID b) { (void)a; (void)b; return 1; }
