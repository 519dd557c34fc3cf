/* DbgPrint with the driver's prefix, and the pool helpers. */
#include <stdarg.h>
#include "agent.h"

int __cdecl _vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

void agent_log(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int)sizeof(line) - 1)
        n = (int)sizeof(line) - 2; /* truncated: still print what fits */
    line[n] = 0;
    DbgPrint("wskagent: %s\n", line);
}

void *agent_alloc(SIZE_T size)
{
    void *p;
    if (size == 0)
        size = 1;
    p = ExAllocatePoolWithTag(NonPagedPool, size, WSKAGENT_TAG);
    if (p)
        RtlZeroMemory(p, size);
    return p;
}

void agent_free(void *p)
{
    if (p)
        ExFreePoolWithTag(p, WSKAGENT_TAG);
}

LARGE_INTEGER agent_ms(ULONG ms)
{
    LARGE_INTEGER t;
    t.QuadPart = -10000LL * (LONGLONG)ms;
    return t;
}
