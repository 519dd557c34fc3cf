/* libFuzzer target for the portable codec: the input is decoded twice, once
 * as raw bytes (header checks) and once as a body behind a valid header
 * whose type is the input's first byte (so the body decoders run on almost
 * every input). Every byte a decoded view points at is read, so ASan catches
 * a view that points outside the frame. The names of the name-resolution
 * ops (4 to 6) go through the UTF-8 to UTF-16 conversion and back, as the
 * driver converts them, into buffers of exactly the size it allocates. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "../wire/wire.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
    size_t i;
    uint8_t x = 0;
    for (i = 0; p && i < n; i++)
        x ^= p[i];
    sink ^= x;
}

static void touch_buf(const w_buf *b)
{
    uint16_t i;
    touch(b->chunk_sizes, 4u * b->chunks);
    touch(b->bytes, b->nbytes);
    for (i = 0; i < b->chunks; i++)
        sink ^= (uint8_t)w_chunk(b, i);
}

/* The driver's conversions of a NAME: UTF-16 into n units (the most n bytes
 * of UTF-8 can need), then back into a TEXT-sized buffer. */
static void convert(const w_name *nm)
{
    static uint16_t u[W_MAX_NAME];
    static uint8_t back[W_MAX_TEXT];
    size_t units;
    if (nm->null)
        return;
    touch(nm->p, nm->n);
    units = w_utf8_to_utf16(nm->p, nm->n, u, nm->n);
    sink ^= (uint8_t)w_utf16_to_utf8(u, units, back, sizeof(back));
}

static void touch_request(const w_request *r)
{
    uint16_t i;
    const w_call *c = &r->u.call;
    switch (r->h.type) {
    case W_STAGE:
        touch(r->u.stage.bytes, r->u.stage.n);
        break;
    case W_CALL:
        touch(c->local.p, c->local.n);
        touch(c->remote.p, c->remote.n);
        touch(c->input, c->input_len);
        touch_buf(&c->buf);
        for (i = 0; i < c->nbufs; i++)
            touch_buf(&c->bufs[i]);
        convert(&c->node);
        convert(&c->service);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[W_MAX_FRAME];
    static w_request r;
    w_error e;
    size_t n;
    if (w_decode_request(data, size, &r, &e) == E_OK)
        touch_request(&r);
    if (size < 1 || size - 1 > W_MAX_FRAME - W_HDR)
        return 0;
    n = W_HDR + size - 1;
    memset(frame, 0, W_HDR);
    frame[0] = (uint8_t)n;
    frame[1] = (uint8_t)(n >> 8);
    frame[2] = (uint8_t)(n >> 16);
    frame[4] = data[0];
    memcpy(frame + W_HDR, data + 1, size - 1);
    if (w_decode_request(frame, n, &r, &e) == E_OK)
        touch_request(&r);
    return 0;
}
