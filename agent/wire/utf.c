/* UTF-8 and UTF-16 conversion for the name-resolution calls (protocol
 * section 5.1, ops 4 to 6): the wire carries names as UTF-8, a WSK
 * provider reads and writes UNICODE_STRINGs (UTF-16). Portable C99, shared
 * by the driver and the Linux test and fuzz target. Every read is bounded
 * by the input's length and every write by the output's capacity; a byte
 * sequence or code unit that is not valid becomes U+FFFD, so any input
 * converts. */
#include "wire.h"

#define REPLACEMENT 0xFFFDu

/* The code point of the UTF-8 sequence at s (n bytes left, n > 0) and its
 * length, or REPLACEMENT and 1 when the sequence is not valid (overlong,
 * a surrogate, above U+10FFFF, cut short). */
static uint32_t utf8_next(const uint8_t *s, size_t n, size_t *len)
{
    uint32_t c = s[0], min;
    size_t need, i;
    *len = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return REPLACEMENT;
    }
    if (need > n)
        return REPLACEMENT;
    for (i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return REPLACEMENT;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return REPLACEMENT;
    *len = need;
    return c;
}

size_t w_utf8_to_utf16(const uint8_t *s, size_t n, uint16_t *out, size_t cap)
{
    size_t in = 0, got = 0, len;
    while (in < n) {
        uint32_t c = utf8_next(s + in, n - in, &len);
        if (c >= 0x10000) {
            if (cap - got < 2)
                break;
            c -= 0x10000;
            out[got++] = (uint16_t)(0xD800 | (c >> 10));
            out[got++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            if (cap - got < 1)
                break;
            out[got++] = (uint16_t)c;
        }
        in += len;
    }
    return got;
}

size_t w_utf16_to_utf8(const uint16_t *s, size_t n, uint8_t *out, size_t cap)
{
    size_t in = 0, got = 0;
    while (in < n) {
        uint32_t c = s[in++];
        size_t need;
        if (c >= 0xD800 && c <= 0xDBFF && in < n && s[in] >= 0xDC00 && s[in] <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (s[in++] - 0xDC00);
        else if (c >= 0xD800 && c <= 0xDFFF)
            c = REPLACEMENT; /* an unpaired surrogate */
        need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (cap - got < need)
            break;
        switch (need) {
        case 1:
            out[got++] = (uint8_t)c;
            break;
        case 2:
            out[got++] = (uint8_t)(0xC0 | (c >> 6));
            out[got++] = (uint8_t)(0x80 | (c & 0x3F));
            break;
        case 3:
            out[got++] = (uint8_t)(0xE0 | (c >> 12));
            out[got++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            out[got++] = (uint8_t)(0x80 | (c & 0x3F));
            break;
        default:
            out[got++] = (uint8_t)(0xF0 | (c >> 18));
            out[got++] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            out[got++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            out[got++] = (uint8_t)(0x80 | (c & 0x3F));
            break;
        }
    }
    return got;
}
