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

size_t assay_json_escape_index(const uint8_t *bytes, size_t length) {
    size_t i = 0;
#if defined(__SSE2__)
    // Signed compares: bytes from 0x80 up are negative, so "below 0x20" is tested as
    // (b < 0x20 signed) and not negative.
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8(0x22);
    const __m128i backslash = _mm_set1_epi8(0x5C), del = _mm_set1_epi8(0x7F), zero = _mm_setzero_si128();
    for (; i + 16 <= length; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i control = _mm_andnot_si128(_mm_cmplt_epi8(v, zero), _mm_cmplt_epi8(v, space));
        __m128i hit = _mm_or_si128(_mm_or_si128(control, _mm_cmpeq_epi8(v, quote)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    // What is left (all of it without SSE2): eight bytes a step, then one.
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    for (; i + 8 <= length; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        uint64_t below = (w - ones * 0x20) & ~w & highs;
        uint64_t q = w ^ (ones * 0x22), s = w ^ (ones * 0x5C), d = w ^ (ones * 0x7F);
        uint64_t zeros = ((q - ones) & ~q) | ((s - ones) & ~s) | ((d - ones) & ~d);
        if ((below | (zeros & highs)) != 0) break;
    }
    for (; i < length; i++) {
        if (escapes[bytes[i]]) return i;
    }
    return length;
}
