/* wskrelay.exe: the command line.
 *
 *   wskrelay.exe -listen HOST:PORT [-once] [-device PATH] [-wait SECONDS] [-v]
 *   wskrelay.exe -dial HOST:PORT [-device PATH] [-wait SECONDS] [-v]
 *
 * The device is opened first, retried every 100 ms for up to -wait seconds
 * (30 by default), so the relay may start before `sc start`. -listen then
 * prints "wskrelay: listening on HOST:PORT" (the real port when PORT is 0)
 * on stdout, flushed, and serves one suite connection at a time: each
 * connection is one session of the driver (the device is reopened for the
 * next), until the relay is killed, or after one connection with -once.
 * -dial connects to the suite and serves that one connection. Exit status:
 * 0 when the (last) connection ended cleanly, 1 on a failure (one line on
 * stderr naming the step), 2 on a usage error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <io.h>
#include "relay.h"
#include "../include/wskagent_ioctl.h"

int g_verbose;

void relay_log(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "wskrelay: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    fflush(stderr);
}

static int usage(void)
{
    fprintf(stderr, "usage: wskrelay.exe (-listen HOST:PORT [-once] | -dial HOST:PORT) [-device PATH] "
                    "[-wait SECONDS] [-v]\n");
    return 2;
}

static HANDLE open_device(const char *device, int wait_s)
{
    int tries = wait_s * 10, i;
    DWORD err = 0;
    for (i = 0; i <= tries; i++) {
        HANDLE h = CreateFileA(device, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                               FILE_FLAG_OVERLAPPED, NULL);
        if (h != INVALID_HANDLE_VALUE)
            return h;
        err = GetLastError();
        if (i < tries)
            Sleep(100);
    }
    relay_log("open device %s failed: error %lu after %d s (is the wskagent service started?)", device, err,
              wait_s);
    return INVALID_HANDLE_VALUE;
}

int main(int argc, char **argv)
{
    const char *listen_addr = NULL, *dial_addr = NULL, *device = WSKAGENT_USER_PATH;
    int once = 0, wait_s = 30, i, rc = 0;
    WSADATA wd;
    SOCKET s, l = INVALID_SOCKET;
    HANDLE dev;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-listen") && i + 1 < argc)
            listen_addr = argv[++i];
        else if (!strcmp(argv[i], "-dial") && i + 1 < argc)
            dial_addr = argv[++i];
        else if (!strcmp(argv[i], "-device") && i + 1 < argc)
            device = argv[++i];
        else if (!strcmp(argv[i], "-wait") && i + 1 < argc)
            wait_s = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-once"))
            once = 1;
        else if (!strcmp(argv[i], "-v"))
            g_verbose = 1;
        else
            return usage();
    }
    if (!!listen_addr == !!dial_addr || wait_s < 0)
        return usage();
    /* "\n", not "\r\n", on the ready line: stdout is a pipe to a parser */
    _setmode(_fileno(stdout), _O_BINARY);
    if (WSAStartup(MAKEWORD(2, 2), &wd)) {
        relay_log("WSAStartup failed");
        return 1;
    }
    dev = open_device(device, wait_s);
    if (dev == INVALID_HANDLE_VALUE)
        return 1;
    if (dial_addr) {
        s = net_dial(dial_addr);
        if (s == INVALID_SOCKET) {
            CloseHandle(dev);
            return 1;
        }
        rc = pump_run(s, dev);
        closesocket(s);
        CloseHandle(dev);
        return rc;
    }
    l = net_listen(listen_addr);
    if (l == INVALID_SOCKET) {
        CloseHandle(dev);
        return 1;
    }
    for (;;) {
        s = net_accept(l);
        if (s == INVALID_SOCKET) {
            rc = 1;
            break;
        }
        rc = pump_run(s, dev);
        closesocket(s);
        CloseHandle(dev); /* ends the driver's session */
        if (once || rc)
            break;
        dev = open_device(device, wait_s); /* a fresh session for the next suite */
        if (dev == INVALID_HANDLE_VALUE) {
            rc = 1;
            break;
        }
    }
    closesocket(l);
    if (g_verbose)
        relay_log("done (exit %d)", rc);
    return rc;
}
