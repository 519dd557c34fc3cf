/* A fake netio.sys that calls event callbacks, to exercise wskagent.sys's
 * event path under Wine (Wine 8.0's own netio.sys never calls one). Listen
 * and connection sockets complete every IRP; WskControlSocket
 * (SO_WSK_EVENT_CALLBACK with WSK_EVENT_ACCEPT) on a listen socket at once
 * calls WskAcceptEvent with a new connection socket, then that socket's
 * WskReceiveEvent with the 5 bytes "hello", WskDisconnectEvent and
 * WskSendBacklogEvent(8192), all before it returns. WskBind to port 9
 * never returns (a hung call). Everything else is
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
static const WSK_PROVIDER_LISTEN_DISPATCH g_listen = {{f_control, f_close}, f_bind, NULL, NULL, NULL};
static const WSK_PROVIDER_CONNECTION_DISPATCH g_conn = {{f_control, f_close}, f_bind, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};

static FAKE *new_sock(ULONG flags, PVOID ctx, const VOID *cdisp)
{
    FAKE *f = ExAllocatePoolWithTag(NonPagedPool, sizeof(FAKE), 0x656b6146);
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
            static char msg[5] = "hello";
            PMDL m = IoAllocateMdl(msg, 5, FALSE, FALSE, NULL);
            WSK_DATA_INDICATION di;
            SIZE_T acc = 0;
            MmBuildMdlForNonPagedPool(m);
            di.Next = NULL; di.Buffer.Mdl = m; di.Buffer.Offset = 0; di.Buffer.Length = 5;
            if (ad->WskReceiveEvent) {
                st = ad->WskReceiveEvent(actx, 0, &di, 5, &acc);
                DbgPrint("fakenetio: WskReceiveEvent -> 0x%08lx accepted %lu\n", (ULONG)st, (ULONG)acc);
            }
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

static NTSTATUS NTAPI f_socket(PWSK_CLIENT c, USHORT fam, USHORT type, ULONG proto, ULONG flags, PVOID ctx, const VOID *disp,
                               PEPROCESS p, PETHREAD t, PSECURITY_DESCRIPTOR sd, PIRP irp)
{
    FAKE *f;
    (void)c; (void)fam; (void)type; (void)proto; (void)p; (void)t; (void)sd;
    if (!irp) return STATUS_INVALID_PARAMETER;
    if (flags != WSKA_FLAG_LISTEN_SOCKET && flags != WSKA_FLAG_CONNECTION_SOCKET)
        return done(irp, STATUS_NOT_IMPLEMENTED, 0);
    f = new_sock(flags, ctx, disp);
    return done(irp, STATUS_SUCCESS, (ULONG_PTR)f);
}

static const WSK_PROVIDER_DISPATCH g_prov = {0x100, 0, f_socket, NULL, NULL, NULL, NULL, NULL};
static int g_client;

__declspec(dllexport) NTSTATUS NTAPI WskRegister(PWSK_CLIENT_NPI n, PWSK_REGISTRATION r) { (void)n; (void)r; return STATUS_SUCCESS; }
__declspec(dllexport) NTSTATUS NTAPI WskCaptureProviderNPI(PWSK_REGISTRATION r, ULONG w, PWSK_PROVIDER_NPI npi)
{ (void)r; (void)w; npi->Client = (PWSK_CLIENT)&g_client; npi->Dispatch = &g_prov; return STATUS_SUCCESS; }
__declspec(dllexport) VOID NTAPI WskReleaseProviderNPI(PWSK_REGISTRATION r) { (void)r; }
__declspec(dllexport) VOID NTAPI WskDeregister(PWSK_REGISTRATION r) { (void)r; }
NTSTATUS NTAPI FakeEntry(PVOID a, PVOID b) { (void)a; (void)b; return 1; }
