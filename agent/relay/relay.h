/* wskrelay.exe: copies protocol frames between one TCP connection to the
 * suite and the driver's device (include/wskagent_ioctl.h), parsing no more
 * than frame boundaries. */
#ifndef WSKRELAY_H
#define WSKRELAY_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

extern int g_verbose;
void relay_log(const char *fmt, ...);

/* net.c */
/* Listens on addr ("host:port") and prints the bound address on stdout,
 * flushed. INVALID_SOCKET on failure. */
SOCKET net_listen(const char *addr);
SOCKET net_accept(SOCKET l);
SOCKET net_dial(const char *addr);
/* 0 on success, -1 on error or end of stream (*eof set for a clean end
 * before the first byte). */
int net_recv_exact(SOCKET s, void *buf, int n, int *eof);
/* Sends everything, serialized with other senders. 0 or -1. */
int net_send_all(SOCKET s, const void *buf, int n);

/* pump.c */
/* Runs both directions until one ends. Returns the process exit status:
 * 0 when the suite disconnected or the agent ended the session, 1 on a
 * device or network error. */
int pump_run(SOCKET s, HANDLE dev);

#endif
