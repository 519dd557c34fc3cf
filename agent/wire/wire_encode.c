/* Frame writing: a writer over a caller's buffer that never writes past it
 * and remembers an overflow, so a frame too large for its buffer or for
 * MAX_FRAME is never sent half-written. */
#include <string.h>
#include "wire.h"

static void put(w_writer *w, const void *p, size_t n)
{
    if (w->overflow || n > w->cap - w->n) {
        w->overflow = 1;
        return;
    }
    if (n)
        memcpy(w->p + w->n, p, n);
    w->n += n;
}

void w_u8(w_writer *w, uint8_t v) { put(w, &v, 1); }

void w_u16(w_writer *w, uint16_t v)
{
    uint8_t b[2];
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    put(w, b, 2);
}

void w_u32(w_writer *w, uint32_t v)
{
    uint8_t b[4];
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
    put(w, b, 4);
}

void w_u64(w_writer *w, uint64_t v)
{
    w_u32(w, (uint32_t)v);
    w_u32(w, (uint32_t)(v >> 32));
}

void w_raw(w_writer *w, const void *p, size_t n) { put(w, p, n); }

void w_bytes(w_writer *w, const void *p, uint32_t n)
{
    w_u32(w, n);
    put(w, p, n);
}

void w_text(w_writer *w, const char *s)
{
    size_t n = 0;
    if (s)
        while (n < W_MAX_TEXT && s[n])
            n++;
    w_u16(w, (uint16_t)n);
    put(w, s, n);
}

void w_saout(w_writer *w, const void *p, uint16_t n)
{
    if (!p) {
        w_u16(w, W_SA_NULL);
        return;
    }
    if (n > W_MAX_SOCKADDR)
        n = W_MAX_SOCKADDR;
    w_u16(w, n);
    put(w, p, n);
}

uint8_t *w_reserve(w_writer *w, size_t n)
{
    uint8_t *r;
    if (w->overflow || n > w->cap - w->n) {
        w->overflow = 1;
        return NULL;
    }
    r = w->p + w->n;
    memset(r, 0, n);
    w->n += n;
    return r;
}

void w_begin(w_writer *w, uint8_t *buf, size_t cap, uint16_t type, uint32_t seq)
{
    w->p = buf;
    w->cap = cap;
    w->n = 0;
    w->overflow = 0;
    w_u32(w, 0); /* len, set by w_end */
    w_u16(w, type);
    w_u16(w, 0);
    w_u32(w, seq);
    w_u32(w, 0);
}

size_t w_end(w_writer *w)
{
    if (w->overflow || w->n < W_HDR || w->n > W_MAX_FRAME)
        return 0;
    w->p[0] = (uint8_t)w->n;
    w->p[1] = (uint8_t)(w->n >> 8);
    w->p[2] = (uint8_t)(w->n >> 16);
    w->p[3] = (uint8_t)(w->n >> 24);
    return w->n;
}

size_t w_error_frame(uint8_t *buf, size_t cap, uint32_t seq, uint32_t code, const char *msg)
{
    w_writer w;
    w_begin(&w, buf, cap, W_ERROR, seq);
    w_u32(&w, code);
    w_text(&w, msg);
    return w_end(&w);
}
