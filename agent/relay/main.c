/* wskrelay.exe: the command line.
 *
 *   wskrelay.exe -listen 127.0.0.1:PORT [-device \\.\WskAgent] [-v]
 *   wskrelay.exe -dial 127.0.0.1:PORT [-device \\.\WskAgent] [-v]
 *
 * -listen prints "wskrelay: listening on HOST:PORT" (the real port when PORT
 * is 0) on stdout once it listens, accepts one connection and serves it;
 * -dial connects to the suite. The relay exits with 0 when the suite
 * disconnects or the agent ends the session (BYE, fatal ERROR), 1 on a
 * device or network error, 2 on a usage error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
    fprintf(stderr, "usage: wskrelay.exe (-listen HOST:PORT | -dial HOST:PORT) [-device PATH] [-v]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *listen_addr = NULL, *dial_addr = NULL, *device = WSKAGENT_USER_PATH;
    WSADATA wd;
    SOCKET s;
    HANDLE dev;
    int i, rc;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-listen") && i + 1 < argc)
            listen_addr = argv[++i];
        else if (!strcmp(argv[i], "-dial") && i + 1 < argc)
            dial_addr = argv[++i];
        else if (!strcmp(argv[i], "-device") && i + 1 < argc)
            device = argv[++i];
        else if (!strcmp(argv[i], "-v"))
            g_verbose = 1;
        else
            return usage();
    }
    if (!!listen_addr == !!dial_addr)
        return usage();
    if (WSAStartup(MAKEWORD(2, 2), &wd)) {
        relay_log("WSAStartup failed");
        return 1;
    }
    /* open the device first: a relay that cannot reach the driver says so
     * before the suite connects */
    dev = CreateFileA(device, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    if (dev == INVALID_HANDLE_VALUE) {
        relay_log("cannot open %s: error %lu (is the wskagent service started?)", device, GetLastError());
        return 1;
    }
    s = listen_addr ? net_listen_accept(listen_addr) : net_dial(dial_addr);
    if (s == INVALID_SOCKET) {
        CloseHandle(dev);
        return 1;
    }
    rc = pump_run(s, dev);
    closesocket(s);
    CloseHandle(dev);
    if (g_verbose)
        relay_log("done (exit %d)", rc);
    return rc;
}
