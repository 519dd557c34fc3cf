/* The driver object: DriverEntry, the device \Device\WskAgent and its link
 * \DosDevices\WskAgent, the IRP_MJ_* dispatch routines and DriverUnload.
 * DriverEntry does no WSK work (a long DriverEntry risks the service-start
 * timeout): each open of the device is a session that the relay drives. */
#include "state.h"

static PDEVICE_OBJECT g_dev;
ULONG g_misuse;
BOOLEAN g_wine;

/* Reads the service key's "Misuse" value (see agent.h). */
static ULONG read_misuse(PUNICODE_STRING path)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    HANDLE key;
    UCHAR buf[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    PKEY_VALUE_PARTIAL_INFORMATION v = (PKEY_VALUE_PARTIAL_INFORMATION)buf;
    ULONG got = 0, value = 0;
    if (!path || !path->Buffer)
        return 0;
    InitializeObjectAttributes(&oa, path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(ZwOpenKey(&key, KEY_READ, &oa)))
        return 0;
    RtlInitUnicodeString(&name, L"Misuse");
    if (NT_SUCCESS(ZwQueryValueKey(key, &name, KeyValuePartialInformation, v, sizeof(buf), &got)) &&
        v->Type == REG_DWORD && v->DataLength == sizeof(ULONG))
        RtlCopyMemory(&value, v->Data, sizeof(ULONG));
    ZwClose(key);
    return value & (FEAT_MISUSE_NULL_IRP | FEAT_MISUSE_BAD_BUF | FEAT_MISUSE_FOREIGN);
}

static NTSTATUS finish(PIRP irp, NTSTATUS st, ULONG_PTR info)
{
    irp->IoStatus.Status = st;
    irp->IoStatus.Information = info;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return st;
}

static SESSION *session_of(PIRP irp)
{
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(irp)->FileObject;
    return fo ? fo->FsContext : NULL;
}

static NTSTATUS NTAPI on_create(PDEVICE_OBJECT dev, PIRP irp)
{
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(irp)->FileObject;
    SESSION *s;
    (void)dev;
    if (!fo)
        return finish(irp, STATUS_INVALID_PARAMETER, 0);
    s = session_open();
    if (!s)
        return finish(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    fo->FsContext = s;
    agent_log("session opened");
    return finish(irp, STATUS_SUCCESS, 0);
}

/* The relay closed its handle (it does when the suite disconnects): the
 * session ends. Windows sends IRP_MJ_CLEANUP and later IRP_MJ_CLOSE; Wine 8
 * sends only IRP_MJ_CLOSE, so whichever comes first ends it. */
static void end_session(PIRP irp, const char *why)
{
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(irp)->FileObject;
    SESSION *s = fo ? InterlockedExchangePointer(&fo->FsContext, NULL) : NULL;
    if (s) {
        agent_log("%s: ending the session", why);
        session_close(s);
    }
}

static NTSTATUS NTAPI on_cleanup(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    end_session(irp, "IRP_MJ_CLEANUP");
    return finish(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI on_close(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    end_session(irp, "IRP_MJ_CLOSE");
    return finish(irp, STATUS_SUCCESS, 0);
}

/* SEND: one or more whole frames. A bad length field means the stream can
 * no longer be split into frames: E_MALFORMED, and the session ends. */
static NTSTATUS send_frames(SESSION *s, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    const UCHAR *in = irp->AssociatedIrp.SystemBuffer;
    ULONG len = sp->Parameters.DeviceIoControl.InputBufferLength, off = 0;
    if (!in && len)
        return finish(irp, STATUS_INVALID_PARAMETER, 0);
    while (off < len) {
        w_header h;
        w_error e;
        if (w_parse_header(in + off, len - off, &h, &e) != E_OK || h.len > len - off) {
            frames_error(s, 0, E_MALFORMED, e.code ? e.what : "a frame cut short in the SEND IOCTL");
            break;
        }
        session_submit(s, in + off, h.len);
        off += h.len;
    }
    return finish(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI on_ioctl(PDEVICE_OBJECT dev, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    SESSION *s = session_of(irp);
    (void)dev;
    if (!s)
        return finish(irp, STATUS_INVALID_DEVICE_STATE, 0);
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_WSKAGENT_SEND:
        return send_frames(s, irp);
    case IOCTL_WSKAGENT_RECV:
        if (sp->Parameters.DeviceIoControl.OutputBufferLength < W_MAX_FRAME || !irp->AssociatedIrp.SystemBuffer)
            return finish(irp, STATUS_BUFFER_TOO_SMALL, 0);
        return outq_recv(&s->q, irp);
    default:
        return finish(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI on_unload(PDRIVER_OBJECT drv)
{
    UNICODE_STRING link;
    (void)drv;
    session_wait_all(5000);
    RtlInitUnicodeString(&link, WSKAGENT_DOS_NAME);
    IoDeleteSymbolicLink(&link);
    if (g_dev)
        IoDeleteDevice(g_dev);
    agent_log("unloaded");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT drv, PUNICODE_STRING path)
{
    UNICODE_STRING name, link;
    NTSTATUS st;
    agent_log("%s DriverEntry %.*ls", WSKAGENT_NAME, path ? (int)(path->Length / sizeof(WCHAR)) : 0,
              path && path->Buffer ? path->Buffer : L"");
    {
        UNICODE_STRING loop;
        RtlInitUnicodeString(&loop, L"wine_ntoskrnl_main_loop");
        g_wine = MmGetSystemRoutineAddress(&loop) != NULL;
    }
    g_misuse = read_misuse(path);
    if (g_misuse)
        agent_log("misuse offered (HELLO_R feature bits): 0x%lx", g_misuse);
    drv->MajorFunction[IRP_MJ_CREATE] = on_create;
    drv->MajorFunction[IRP_MJ_CLEANUP] = on_cleanup;
    drv->MajorFunction[IRP_MJ_CLOSE] = on_close;
    drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = on_ioctl;
    drv->DriverUnload = on_unload;
    RtlInitUnicodeString(&name, WSKAGENT_DEVICE_NAME);
    st = IoCreateDevice(drv, 0, &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, &g_dev);
    if (!NT_SUCCESS(st)) {
        agent_log("IoCreateDevice failed 0x%08lx", (ULONG)st);
        g_dev = NULL;
        return st;
    }
    RtlInitUnicodeString(&link, WSKAGENT_DOS_NAME);
    st = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(st)) {
        agent_log("IoCreateSymbolicLink failed 0x%08lx", (ULONG)st);
        IoDeleteDevice(g_dev);
        g_dev = NULL;
        return st;
    }
    agent_log("ready on %ls", WSKAGENT_DEVICE_NAME);
    return STATUS_SUCCESS;
}
