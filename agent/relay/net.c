/* The suite's side of the relay: one TCP connection, listened for or
 * dialled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "relay.h"

static CRITICAL_SECTION g_send_lock;
static int g_send_lock_ready;

/* Splits "host:port" (the last colon; "[::1]:p" for IPv6). */
static int split(const char *addr, char *host, size_t hn, char *port, size_t pn)
{
    const char *c = strrchr(addr, ':');
    size_t n;
    if (!c || !c[1])
        return -1;
    n = (size_t)(c - addr);
    if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
        addr++;
        n -= 2;
    }
    if (n >= hn || strlen(c + 1) >= pn)
        return -1;
    memcpy(host, addr, n);
    host[n] = 0;
    strcpy(port, c + 1);
    return 0;
}

static struct addrinfo *resolve(const char *addr, int passive)
{
    char host[256], port[32];
    struct addrinfo hints, *res = NULL;
    if (split(addr, host, sizeof(host), port, sizeof(port))) {
        relay_log("bad address %s (want HOST:PORT)", addr);
        return NULL;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = passive ? AI_PASSIVE | AI_NUMERICHOST : AI_NUMERICHOST;
    if (getaddrinfo(host, port, &hints, &res) || !res) {
        relay_log("cannot resolve %s", addr);
        return NULL;
    }
    return res;
}

static void nodelay(SOCKET s)
{
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
}

SOCKET net_listen(const char *addr)
{
    struct addrinfo *ai = resolve(addr, 1);
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    char host[64] = "?";
    SOCKET l;
    if (!ai)
        return INVALID_SOCKET;
    l = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (l == INVALID_SOCKET || bind(l, ai->ai_addr, (int)ai->ai_addrlen) || listen(l, 4)) {
        relay_log("bind/listen on %s failed: error %d", addr, WSAGetLastError());
        freeaddrinfo(ai);
        if (l != INVALID_SOCKET)
            closesocket(l);
        return INVALID_SOCKET;
    }
    freeaddrinfo(ai);
    getsockname(l, (struct sockaddr *)&ss, &len);
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
        printf("wskrelay: listening on [%s]:%u\n", host, ntohs(a->sin6_port));
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
        printf("wskrelay: listening on %s:%u\n", host, ntohs(a->sin_port));
    }
    fflush(stdout);
    return l;
}

SOCKET net_accept(SOCKET l)
{
    SOCKET c = accept(l, NULL, NULL);
    if (c == INVALID_SOCKET) {
        relay_log("accept failed: error %d", WSAGetLastError());
        return INVALID_SOCKET;
    }
    nodelay(c);
    if (g_verbose)
        relay_log("suite connected");
    return c;
}

SOCKET net_dial(const char *addr)
{
    struct addrinfo *ai = resolve(addr, 0);
    SOCKET s;
    if (!ai)
        return INVALID_SOCKET;
    s = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET || connect(s, ai->ai_addr, (int)ai->ai_addrlen)) {
        relay_log("cannot connect to %s: error %d", addr, WSAGetLastError());
        freeaddrinfo(ai);
        if (s != INVALID_SOCKET)
            closesocket(s);
        return INVALID_SOCKET;
    }
    freeaddrinfo(ai);
    nodelay(s);
    return s;
}

int net_recv_exact(SOCKET s, void *buf, int n, int *eof)
{
    int got = 0;
    *eof = 0;
    while (got < n) {
        int r = recv(s, (char *)buf + got, n - got, 0);
        if (r == 0 && got == 0) {
            *eof = 1;
            return -1;
        }
        if (r <= 0)
            return -1;
        got += r;
    }
    return 0;
}

int net_send_all(SOCKET s, const void *buf, int n)
{
    int sent = 0, rc = 0;
    if (!g_send_lock_ready) {
        InitializeCriticalSection(&g_send_lock);
        g_send_lock_ready = 1;
    }
    EnterCriticalSection(&g_send_lock);
    while (sent < n) {
        int r = send(s, (const char *)buf + sent, n - sent, 0);
        if (r <= 0) {
            rc = -1;
            break;
        }
        sent += r;
    }
    LeaveCriticalSection(&g_send_lock);
    return rc;
}
