/* The two directions of the relay. Suite to driver: read one frame (header
 * checked, then its body) and hand it to IOCTL_WSKAGENT_SEND. Driver to
 * suite: keep exactly one IOCTL_WSKAGENT_RECV outstanding and write what it
 * returns, so frames leave in the driver's queue order. A bad frame header
 * from the suite cannot be skipped over: the relay answers ERROR
 * E_MALFORMED itself and ends, as protocol section 9 asks. */
#include <stdio.h>
#include <stdlib.h>
#include "relay.h"
#include "../include/wskagent_ioctl.h"
#include "../wire/wire.h"

typedef struct {
    SOCKET s;
    HANDLE dev;
    volatile LONG stop;
    int rc;
} PUMP;

static int ioctl_wait(HANDLE dev, DWORD code, void *in, DWORD inlen, void *out, DWORD outlen, DWORD *got,
                      DWORD *err)
{
    OVERLAPPED ov;
    BOOL ok;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent) {
        *err = GetLastError();
        return -1;
    }
    *got = 0;
    ok = DeviceIoControl(dev, code, in, inlen, out, outlen, got, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING)
        ok = GetOverlappedResult(dev, &ov, got, TRUE);
    *err = ok ? 0 : GetLastError();
    CloseHandle(ov.hEvent);
    return ok ? 0 : -1;
}

static DWORD WINAPI to_driver(void *arg)
{
    PUMP *p = arg;
    static unsigned char frame[W_MAX_FRAME];
    for (;;) {
        w_header h;
        w_error e;
        int eof;
        DWORD got, err;
        if (net_recv_exact(p->s, frame, W_HDR, &eof)) {
            if (g_verbose)
                relay_log(eof ? "suite disconnected" : "suite connection failed");
            p->rc = 0;
            break;
        }
        if (w_parse_header(frame, W_HDR, &h, &e) != E_OK) {
            unsigned char err_frame[128];
            size_t n = w_error_frame(err_frame, sizeof(err_frame), 0, E_MALFORMED, e.what);
            relay_log("bad frame header from the suite: %s", e.what);
            net_send_all(p->s, err_frame, (int)n);
            p->rc = 0;
            break;
        }
        if (h.len > W_HDR && net_recv_exact(p->s, frame + W_HDR, (int)(h.len - W_HDR), &eof)) {
            relay_log("suite disconnected inside a frame");
            p->rc = 0;
            break;
        }
        if (ioctl_wait(p->dev, IOCTL_WSKAGENT_SEND, frame, h.len, NULL, 0, &got, &err)) {
            relay_log("IOCTL_WSKAGENT_SEND failed: error %lu", err);
            p->rc = 1;
            break;
        }
    }
    InterlockedExchange(&p->stop, 1);
    return 0;
}

static DWORD WINAPI to_suite(void *arg)
{
    PUMP *p = arg;
    unsigned char *buf = malloc(WSKAGENT_RECV_BUFFER);
    if (!buf) {
        relay_log("out of memory");
        p->rc = 1;
        InterlockedExchange(&p->stop, 1);
        return 0;
    }
    for (;;) {
        DWORD got, err;
        if (ioctl_wait(p->dev, IOCTL_WSKAGENT_RECV, NULL, 0, buf, WSKAGENT_RECV_BUFFER, &got, &err)) {
            if (err == ERROR_HANDLE_EOF) {
                if (g_verbose)
                    relay_log("the agent ended the session");
                p->rc = 0;
            } else if (!p->stop) {
                relay_log("IOCTL_WSKAGENT_RECV failed: error %lu", err);
                p->rc = 1;
            }
            break;
        }
        if (got && net_send_all(p->s, buf, (int)got)) {
            if (g_verbose)
                relay_log("suite connection closed while writing");
            p->rc = 0;
            break;
        }
    }
    free(buf);
    InterlockedExchange(&p->stop, 1);
    return 0;
}

int pump_run(SOCKET s, HANDLE dev)
{
    /* per connection, and left allocated if a thread outlives it (it then
     * ends when the caller closes the socket and the device) */
    PUMP *p = calloc(1, sizeof(*p));
    HANDLE t[2];
    int rc;
    if (!p) {
        relay_log("out of memory");
        return 1;
    }
    p->s = s;
    p->dev = dev;
    t[0] = CreateThread(NULL, 0, to_driver, p, 0, NULL);
    t[1] = CreateThread(NULL, 0, to_suite, p, 0, NULL);
    if (!t[0] || !t[1]) {
        relay_log("CreateThread failed");
        return 1;
    }
    WaitForMultipleObjects(2, t, FALSE, INFINITE);
    /* one direction ended: end the other (the caller closes the socket and
     * the device, which ends the driver's session) */
    InterlockedExchange(&p->stop, 1);
    shutdown(s, SD_BOTH);
    CancelIoEx(dev, NULL);
    rc = p->rc;
    if (WaitForMultipleObjects(2, t, TRUE, 2000) == WAIT_OBJECT_0)
        free(p);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    return rc;
}
