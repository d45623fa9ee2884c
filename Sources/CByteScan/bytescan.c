#include "cbytescan.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// 1 for the bytes JSON escapes: controls, `"`, `\`, DEL.
static const uint8_t escapes[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x22] = 1, [0x5C] = 1, [0x7F] = 1,
};

/// Whether any of the eight bytes of `w` needs an escape (exact as a yes/no; not which byte).
static inline int word_needs_escape(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t below = (w - ones * 0x20) & ~w & highs;
    uint64_t q = w ^ (ones * 0x22), s = w ^ (ones * 0x5C), d = w ^ (ones * 0x7F);
    uint64_t zeros = ((q - ones) & ~q) | ((s - ones) & ~s) | ((d - ones) & ~d);
    return (below | (zeros & highs)) != 0;
}

#if defined(__SSE2__)
/// A bit for each of the sixteen bytes that needs an escape. Signed compares: bytes from 0x80 up
/// are negative, so "below 0x20" is tested as (b < 0x20 signed) and not negative.
static inline int escape_mask(__m128i v) {
    const __m128i control = _mm_andnot_si128(_mm_cmplt_epi8(v, _mm_setzero_si128()), _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    const __m128i hit = _mm_or_si128(_mm_or_si128(control, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x22))),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x5C)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))));
    return _mm_movemask_epi8(hit);
}
#endif

/// Whether any byte of two words needs an escape: both in one SSE2 register when there is one.
static inline int words_need_escape(uint64_t a, uint64_t b) {
#if defined(__SSE2__)
    return escape_mask(_mm_set_epi64x((long long)b, (long long)a)) != 0;
#else
    return word_needs_escape(a) || word_needs_escape(b);
#endif
}

/// Writes the escape of `b` at `out` (up to six bytes) and returns the end.
static inline uint8_t *write_escape(uint8_t *out, uint8_t b) {
    static const char hex[16] = "0123456789abcdef";
    out[0] = '\\';
    switch (b) {
    case '"': out[1] = '"'; return out + 2;
    case '\\': out[1] = '\\'; return out + 2;
    case '\n': out[1] = 'n'; return out + 2;
    case '\r': out[1] = 'r'; return out + 2;
    case '\t': out[1] = 't'; return out + 2;
    default:
        out[1] = 'u';
        out[2] = '0';
        out[3] = '0';
        out[4] = (uint8_t)hex[b >> 4];
        out[5] = (uint8_t)hex[b & 0xF];
        return out + 6;
    }
}

/// Copies `src[0..<n]` (at most sixteen bytes) to `dst` when none of them needs an escape, and
/// says whether it did: from 4 bytes up, two overlapping loads check and copy them.
static inline int copy_short_plain(uint8_t *dst, const uint8_t *src, size_t n) {
    if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, src, 8);
        memcpy(&tail, src + n - 8, 8);
        if (words_need_escape(head, tail)) return 0;
        memcpy(dst, &head, 8);
        memcpy(dst + n - 8, &tail, 8);
        return 1;
    }
    if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, src, 4);
        memcpy(&tail, src + n - 4, 4);
        uint64_t both = (uint64_t)head | (uint64_t)tail << 32;
        if (words_need_escape(both, both)) return 0;
        memcpy(dst, &head, 4);
        memcpy(dst + n - 4, &tail, 4);
        return 1;
    }
    for (size_t k = 0; k < n; k++) {
        if (escapes[src[k]]) return 0;
    }
    for (size_t k = 0; k < n; k++) dst[k] = src[k];
    return 1;
}

/// Everything `assay_json_escape_copy` does; kept out of line so that short strings without an
/// escape (most of those written) pay for none of its loops.
__attribute__((noinline)) static assay_escape_progress escape_copy(uint8_t *dst, size_t room, const uint8_t *src, size_t length) {
    size_t i = 0, o = 0;
#if defined(__SSE2__)
    // Each step stores sixteen bytes whatever they hold, then keeps those before the first byte to
    // escape.
    while (length - i >= 16 && room - o >= 22) {
        // Steps without an escape move source and destination together: one bound for both
        // (sixteen source bytes, and room for sixteen plus an escape) until the next escape.
        size_t bySource = (length - i) / 16, byRoom = (room - o - 6) / 16;
        const uint8_t *s = src + i, *end = s + 16 * (bySource < byRoom ? bySource : byRoom);
        uint8_t *d = dst + o;
        unsigned mask = 0;
        for (; end - s >= 32; s += 32, d += 32) {  // two steps at a time: one test, one branch
            __m128i a = _mm_loadu_si128((const __m128i *)s), b = _mm_loadu_si128((const __m128i *)(s + 16));
            _mm_storeu_si128((__m128i *)d, a);
            _mm_storeu_si128((__m128i *)(d + 16), b);
            mask = (unsigned)escape_mask(a) | (unsigned)escape_mask(b) << 16;
            if (mask != 0) break;
        }
        if (mask == 0 && s < end) {
            __m128i a = _mm_loadu_si128((const __m128i *)s);
            _mm_storeu_si128((__m128i *)d, a);
            mask = (unsigned)escape_mask(a);
            if (mask == 0) {
                s += 16;
                d += 16;
            }
        }
        i = (size_t)(s - src);
        o = (size_t)(d - dst);
        if (mask != 0) {
            size_t k = (size_t)__builtin_ctz(mask);
            o = (size_t)(write_escape(dst + o + k, src[i + k]) - dst);
            i += k + 1;
        }
    }
#endif
    // Without SSE2: eight bytes a step while more than sixteen are left.
    while (length - i > 16 && room - o >= 14) {
        uint64_t w;
        memcpy(&w, src + i, 8);
        if (!word_needs_escape(w)) {
            memcpy(dst + o, &w, 8);
            i += 8;
            o += 8;
            continue;
        }
        while (!escapes[src[i]]) dst[o++] = src[i++];  // stops within the word: it holds a byte to escape
        o = (size_t)(write_escape(dst + o, src[i]) - dst);
        i += 1;
    }
    // The last sixteen bytes or fewer, when none needs an escape.
    size_t rest = length - i;
    if (rest <= 16 && room - o >= rest && copy_short_plain(dst + o, src + i, rest)) {
        return (assay_escape_progress){o + rest, length};
    }
    // Rests with an escape, and whatever is left when room runs short: a byte a step.
    for (; i < length && room - o >= 6; i++) {
        uint8_t b = src[i];
        if (escapes[b]) {
            o = (size_t)(write_escape(dst + o, b) - dst);
        } else {
            dst[o++] = b;
        }
    }
    return (assay_escape_progress){o, i};
}

assay_escape_progress assay_json_escape_copy(uint8_t *dst, size_t room, const uint8_t *src, size_t length) {
    if (length <= 16 && room >= length && copy_short_plain(dst, src, length)) {
        return (assay_escape_progress){length, length};
    }
    return escape_copy(dst, room, src, length);
}

void assay_utf8_scalar_blocks(const uint8_t *bytes, size_t length, uint64_t *continuations, uint32_t *scalarsBefore) {
    size_t full = length / 64;
    uint32_t scalars = 0;
    for (size_t block = 0; block < full; block++) {
        const uint8_t *p = bytes + block * 64;
        uint64_t mask = 0;
#if defined(__SSE2__)
        // 0x80...0xBF are the signed bytes below -64.
        const __m128i limit = _mm_set1_epi8(-64);
        for (int part = 0; part < 4; part++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + part * 16));
            mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmplt_epi8(v, limit)) << (part * 16);
        }
#else
        for (int j = 0; j < 64; j++) mask |= (uint64_t)((p[j] & 0xC0) == 0x80) << j;
#endif
        continuations[block] = mask;
        scalarsBefore[block] = scalars;
        scalars += 64;
        if (mask != 0) scalars -= (uint32_t)__builtin_popcountll(mask);  // most blocks of most texts are ASCII
    }
    uint64_t mask = 0;
    for (size_t j = full * 64; j < length; j++) mask |= (uint64_t)((bytes[j] & 0xC0) == 0x80) << (j - full * 64);
    continuations[full] = mask;
    scalarsBefore[full] = scalars;
}
