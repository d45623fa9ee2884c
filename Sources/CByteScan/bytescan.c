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

/// Adds the character or white space at `s[i]` (of `n` bytes) to `m`, as `TextMeasure.addCharacter`
/// does; returns the bytes it took.
static inline size_t measure_character(assay_text_measure *m, const uint8_t *s, size_t i, size_t n) {
    uint8_t b = s[i];
    size_t taken = 0;
    if (b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C) taken = 1;
    else if (b == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) taken = 2;
    if (taken) {
        m->pendingSpace = m->chars > 0;
        if (m->chars == 0) m->leadingSpace = 1;
        return taken;
    }
    if (m->pendingSpace) {
        m->chars += 1;
        m->pendingSpace = 0;
    }
    if ((b & 0xC0) != 0x80) m->chars += 1;
    if (b == 0x2C) m->commas += 1;
    else if (b == 0xEF && i + 2 < n && s[i + 1] == 0xBC && s[i + 2] == 0x8C) m->commas += 1;  // ，
    else if (b == 0xD8 && i + 1 < n && s[i + 1] == 0x8C) m->commas += 1;                     // ،
    else if (b == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x81) m->commas += 1;  // 、
    return 1;
}

/// Whether `b` is one of the `count` bytes packed in `set` (lowest first).
static inline int in_set(uint8_t b, uint64_t set, int count) {
    for (int k = 0; k < count; k++) {
        if (b == (uint8_t)(set >> (8 * k))) return 1;
    }
    return 0;
}

#if defined(__SSE2__)
/// The `count` bytes packed in `set`, each in every lane of `splat[k]`.
static inline __attribute__((always_inline)) void splat_set(__m128i *splat, uint64_t set, int count) {
    for (int k = 0; k < count; k++) splat[k] = _mm_set1_epi8((char)(uint8_t)(set >> (8 * k)));
}

/// The lanes of `v` holding one of the `count` bytes of `splat` (0xFF in them).
static inline __attribute__((always_inline)) __m128i set_hits(__m128i v, const __m128i *splat, int count) {
    __m128i hit = _mm_setzero_si128();
    for (int k = 0; k < count; k++) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, splat[k]));
    return hit;
}

/// The lanes of `v` holding a control byte (0x00-0x1F).
static inline __m128i c0_controls(__m128i v) {
    return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
}

/// What a step of `assay_character_data_scan` marks in its bytes, a bit each.
typedef struct {
    uint32_t stops;   // '<' '&'
    uint32_t spaces;  // white space: space, tab, line feed, form feed, carriage return, no-break space (both bytes)
    uint32_t feeds;
    uint32_t commas;  // ',' and the first bytes of the multi-byte commas
    uint32_t kept;    // '>', 0xEF, controls but tab and line feed
    uint32_t leads;   // all but UTF-8 continuation bytes
    uint32_t nbsp;    // the first bytes of no-break spaces
} character_marks;

/// Marks the sixteen bytes at `p` (the two after them readable too) in `c`, at bit `shift` up.
static inline void mark_characters(const uint8_t *p, int shift, character_marks *c) {
    const __m128i v = _mm_loadu_si128((const __m128i *)p);
    c->stops |= (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('&')))) << shift;
    uint32_t spaces = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x20)));
    uint32_t commas = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    uint32_t kept = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')));
    // Controls (bytes up to 0x1F): tab, line feed, form feed and carriage return are white space;
    // all but tab and line feed keep the run.
    uint32_t controls = (uint32_t)_mm_movemask_epi8(c0_controls(v));
    if (controls) {
        uint32_t tabs = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x09)));
        uint32_t feeds = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x0A)));
        uint32_t breaks = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x0C)),
                                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8(0x0D))));
        spaces |= tabs | feeds | breaks;
        kept |= controls & ~(tabs | feeds);
        c->feeds |= feeds << shift;
    }
    // Bytes from 0x80: continuation bytes are no characters; no-break spaces and multi-byte
    // commas are told by the bytes after them.
    if (_mm_movemask_epi8(v)) {
        const __m128i v1 = _mm_loadu_si128((const __m128i *)(p + 1)), v2 = _mm_loadu_si128((const __m128i *)(p + 2));
        uint32_t nbsp = (uint32_t)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                                                  _mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xA0))));
        c->nbsp |= nbsp << shift;
        c->leads &= ~((uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64))) << shift);  // 0x80-0xBF are below -64
        const __m128i ef = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF));
        kept |= (uint32_t)_mm_movemask_epi8(ef);
        __m128i wide = _mm_and_si128(ef, _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBC)),
                                                       _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)0x8C))));
        wide = _mm_or_si128(wide, _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xD8)),
                                                _mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0x8C))));
        wide = _mm_or_si128(wide, _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)),
                                                _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0x80)),
                                                              _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)0x81)))));
        commas |= (uint32_t)_mm_movemask_epi8(wide);
    }
    c->spaces |= spaces << shift;
    c->commas |= commas << shift;
    c->kept |= kept << shift;
}

/// One step of `assay_character_data_scan` over the 32 bytes at `p` (index `at`; the two bytes
/// after them readable too), once characters have begun: returns the bytes it took (those before
/// the first '<' or '&'), or -1, having changed nothing, when a no-break space straddles the
/// step's end and a byte step must take it.
static inline int character_data_step(const uint8_t *p, size_t at, size_t lateFrom, assay_text_measure *m,
                                      assay_character_data *d) {
    character_marks c = {0, 0, 0, 0, 0, 0xFFFFFFFFu, 0};
    mark_characters(p, 0, &c);
    mark_characters(p + 16, 16, &c);
    uint32_t valid = c.stops ? (c.stops & (0u - c.stops)) - 1 : 0xFFFFFFFFu;  // the bytes before the first stop
    uint32_t nbsp = c.nbsp & valid;
    if (nbsp & 0x80000000u) return -1;
    uint32_t spaces = (c.spaces | nbsp | nbsp << 1) & valid;
    uint32_t feeds = c.feeds & valid;
    if (feeds) {
        d->newlines += (size_t)__builtin_popcountll(feeds);
        if (at >= lateFrom) {
            d->late += (size_t)__builtin_popcountll(feeds);
        } else if (lateFrom - at < 32) {
            d->late += (size_t)__builtin_popcountll(feeds & ~((1u << (lateFrom - at)) - 1));
        }
    }
    if (c.kept & valid) d->kept = 1;
    // Every byte that is no white space is part of a character; a lead byte is one, and so is each
    // white space run before one.
    uint32_t others = valid & ~spaces;
    uint32_t runStarts = others & (spaces << 1 | m->pendingSpace);
    m->chars += __builtin_popcountll((uint64_t)(others & c.leads) | (uint64_t)runStarts << 32);
    uint32_t commas = c.commas & valid;
    if (commas) m->commas += __builtin_popcountll(commas);
    if (valid == 0xFFFFFFFFu) {
        m->pendingSpace = (uint8_t)(spaces >> 31);
        return 32;
    }
    int taken = __builtin_ctz(c.stops);
    if (taken > 0) m->pendingSpace = (spaces >> (taken - 1)) & 1;
    return taken;
}
#endif

assay_character_data assay_character_data_scan(const uint8_t *s, size_t from, size_t length, size_t lateFrom,
                                               assay_text_measure *measure) {
    assay_character_data d = {from, 0, 0, 0};
    assay_text_measure m = *measure;  // (a local the compiler may keep in registers)
    size_t j = from;
    while (j < length) {
#if defined(__SSE2__)
        if (m.chars > 0 && length - j >= 34) {
            int taken = character_data_step(s + j, j, lateFrom, &m, &d);
            if (taken == 32) {
                j += 32;
                continue;
            }
            if (taken >= 0) {
                j += (size_t)taken;
                break;  // at a '<' or '&'
            }
        }
#endif
        uint8_t b = s[j];
        if (b == '<' || b == '&') break;
        size_t taken = measure_character(&m, s, j, length);
        if (b == 0x0A) {
            d.newlines += 1;
            if (j >= lateFrom) d.late += 1;
        } else if ((b < 0x20 && b != 0x09) || b == '>' || b == 0xEF) {
            d.kept = 1;
        }
        j += taken;
    }
    d.end = j;
    *measure = m;
    return d;
}

/// Whether the block writer copies `b` as it is (see `assay_plain_stretch`).
static inline int copied_as_is(uint8_t b, uint64_t stops, int stopCount) {
    if (b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0xE2) return 0;
    return !in_set(b, stops, stopCount);
}

#if defined(__SSE2__)
/// Of the sixteen bytes at `q`, the spaces (0x20), the bytes a block writer does not copy as they
/// are (see `copied_as_is`), and the bytes 0x09-0x0D (the line splitter's): each a 16-bit mask.
static inline __attribute__((always_inline)) void mark_stretch_and_blank_bytes(const uint8_t *q, const __m128i *stopBytes,
                                                                              int stopCount, unsigned *blocked, unsigned *spaces,
                                                                              unsigned *blankBytes) {
    const __m128i v = _mm_loadu_si128((const __m128i *)q);
    const __m128i fromTab = _mm_sub_epi8(v, _mm_set1_epi8(0x09));
    const __m128i blanks = _mm_cmpeq_epi8(_mm_min_epu8(fromTab, _mm_set1_epi8(0x04)), fromTab);  // 0x09-0x0D
    const __m128i space = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x20));
    __m128i other = _mm_or_si128(_mm_or_si128(blanks, space), _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                                                           _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2))));
    other = _mm_or_si128(other, set_hits(v, stopBytes, stopCount));
    *blocked = (unsigned)_mm_movemask_epi8(other);
    *spaces = (unsigned)_mm_movemask_epi8(space);
    *blankBytes = (unsigned)_mm_movemask_epi8(blanks);
}

/// `mark_stretch_and_blank_bytes` without the blanks.
static inline __attribute__((always_inline)) void mark_stretch_bytes(const uint8_t *q, const __m128i *stopBytes, int stopCount,
                                                                    unsigned *blocked, unsigned *spaces) {
    unsigned blanks;
    mark_stretch_and_blank_bytes(q, stopBytes, stopCount, blocked, spaces, &blanks);
}

/// The bytes of the 32 at `q` that `assay_plain_stretch` copies as they are (a bit each), `q[32]`
/// deciding about a space at the end (when `hasNext`; else the input ends there and so does the
/// stretch); a space first counts only when `spaceFirst`. Always inlined into a caller whose
/// `stopCount` is a constant, so the stop compares unroll and stay in registers.
static inline __attribute__((always_inline)) uint32_t stretch_step(const uint8_t *q, int spaceFirst, int hasNext,
                                                                   const __m128i *stopBytes, uint64_t stops, int stopCount) {
    uint32_t plain = 0, single = 0;
    for (int half = 0; half < 2; half++) {
        unsigned blocked, spaces;
        mark_stretch_bytes(q + 16 * half, stopBytes, stopCount, &blocked, &spaces);
        plain |= (uint32_t)(~blocked & 0xFFFF) << (16 * half);
        single |= (uint32_t)spaces << (16 * half);
    }
    if (single) {
        uint32_t next = plain >> 1;
        if ((single & 0x80000000u) && hasNext && copied_as_is(q[32], stops, stopCount)) next |= 0x80000000u;
        single &= next;
        if (!spaceFirst) single &= ~1u;
    }
    return plain | single;
}

/// `assay_plain_stretch` for a `stopCount` known where it is inlined.
static inline __attribute__((always_inline)) size_t plain_stretch_with(const uint8_t *p, size_t length, int runStarted,
                                                                       uint64_t stops, int stopCount) {
    size_t i = 0;
    __m128i stopBytes[8];
    splat_set(stopBytes, stops, stopCount);
    // Steps while the byte after the step is there to look at.
    while (length - i > 32) {
        uint32_t copied = stretch_step(p + i, i > 0 || runStarted, 1, stopBytes, stops, stopCount);
        if (copied != 0xFFFFFFFFu) return i + (size_t)__builtin_ctz(~copied);
        i += 32;
    }
    if (length >= 32) {
        // The last 32 bytes, overlapping the ones the steps above found copied as they are.
        const size_t last = length - 32;
        uint32_t copied = stretch_step(p + last, last > 0 || runStarted, 0, stopBytes, stops, stopCount);
        copied |= (uint32_t)((1ULL << (i - last)) - 1);
        return last + (size_t)__builtin_ctzll(~(uint64_t)copied);
    }
    // A short input in a buffer padded with line feeds, which end a stretch.
    uint8_t rest[48];
    memset(rest, 0x0A, sizeof rest);
    memcpy(rest, p, length);
    uint32_t copied = stretch_step(rest, runStarted, 1, stopBytes, stops, stopCount);
    return (size_t)__builtin_ctzll(~(uint64_t)copied);
}
#endif

size_t assay_plain_stretch(const uint8_t *p, size_t length, int runStarted, uint64_t stops, int stopCount) {
#if defined(__SSE2__)
    if (stopCount > 8) stopCount = 8;
    // The writers' stop sets have no, four or eight bytes: those get unrolled copies.
    switch (stopCount) {
    case 0: return plain_stretch_with(p, length, runStarted, stops, 0);
    case 4: return plain_stretch_with(p, length, runStarted, stops, 4);
    case 8: return plain_stretch_with(p, length, runStarted, stops, 8);
    default: return plain_stretch_with(p, length, runStarted, stops, stopCount);
    }
#else
    size_t i = 0;
    while (i < length) {
        uint8_t b = p[i];
        if (copied_as_is(b, stops, stopCount)) {
            i += 1;
        } else if (b == 0x20 && (i > 0 || runStarted) && i + 1 < length && copied_as_is(p[i + 1], stops, stopCount)) {
            i += 2;
        } else {
            break;
        }
    }
    return i;
#endif
}

/// Whether a decoder notes `b` (see `assay_quiet_ascii`).
static inline int noted_by_decoder(uint8_t b) {
    return b >= 0x80 || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D);
}

#if defined(__SSE2__)
/// The bytes of the sixteen at `p` that a decoder notes, a bit each.
static inline unsigned noted_mask(const uint8_t *p) {
    const __m128i v = _mm_loadu_si128((const __m128i *)p);
    // Controls: bytes up to 0x1F; from 0x80: negative as signed bytes.
    const __m128i controls = c0_controls(v);
    const __m128i quiet = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x09)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x0A))),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x0C)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x0D))));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(quiet, controls), v));
}
#endif

size_t assay_quiet_ascii(const uint8_t *p, size_t length) {
    size_t i = 0;
#if defined(__SSE2__)
    for (; length - i >= 64; i += 64) {
        unsigned a = noted_mask(p + i), b = noted_mask(p + i + 16), c = noted_mask(p + i + 32), d = noted_mask(p + i + 48);
        if ((a | b | c | d) == 0) continue;
        uint64_t all = (uint64_t)a | (uint64_t)b << 16 | (uint64_t)c << 32 | (uint64_t)d << 48;
        return i + (size_t)__builtin_ctzll(all);
    }
    for (; length - i >= 16; i += 16) {
        unsigned a = noted_mask(p + i);
        if (a != 0) return i + (size_t)__builtin_ctz(a);
    }
#endif
    while (i < length && !noted_by_decoder(p[i])) i++;
    return i;
}

#if defined(__SSE2__)
/// The bytes of the sixteen at `p` that are in the set (`splat[k]`: its k-th byte in every lane), a bit each.
static inline __attribute__((always_inline)) unsigned set_mask(const uint8_t *p, const __m128i *splat, int count) {
    return (unsigned)_mm_movemask_epi8(set_hits(_mm_loadu_si128((const __m128i *)p), splat, count));
}

/// `assay_first_of` for a `count` (1 to 8) known where it is inlined.
static inline __attribute__((always_inline)) size_t first_of_with(const uint8_t *p, size_t length, uint64_t set, int count) {
    __m128i splat[8];
    splat_set(splat, set, count);
    size_t i = 0;
    for (; length - i >= 32; i += 32) {
        unsigned a = set_mask(p + i, splat, count), b = set_mask(p + i + 16, splat, count);
        if ((a | b) != 0) return i + (size_t)__builtin_ctz(a | b << 16);
    }
    if (length - i >= 16) {
        unsigned a = set_mask(p + i, splat, count);
        if (a != 0) return i + (size_t)__builtin_ctz(a);
        i += 16;
    }
    if (i < length && length >= 16) {
        // The last sixteen bytes, overlapping those already read: only the new ones count.
        unsigned a = set_mask(p + length - 16, splat, count) >> (16 - (length - i));
        return a != 0 ? i + (size_t)__builtin_ctz(a) : length;
    }
    while (i < length && !in_set(p[i], set, count)) i++;
    return i;
}
#endif

size_t assay_first_of(const uint8_t *p, size_t length, uint64_t set, int count) {
    if (count > 8) count = 8;
    if (count <= 0) return length;
#if defined(__SSE2__)
    // The callers' sets have two, three or four bytes: those get unrolled copies.
    switch (count) {
    case 2: return first_of_with(p, length, set, 2);
    case 3: return first_of_with(p, length, set, 3);
    case 4: return first_of_with(p, length, set, 4);
    default: return first_of_with(p, length, set, count);
    }
#else
    size_t i = 0;
    while (i < length && !in_set(p[i], set, count)) i++;
    return i;
#endif
}

/// The mask of the 64-byte blocks `from..<to` of `p`'s for `assay_byte_set_masks`, a byte a step.
static inline void byte_set_masks_bytewise(const uint8_t *p, size_t length, size_t from, size_t to, uint64_t set, int count,
                                           uint64_t *masks) {
    for (size_t block = from; block < to; block++) {
        uint64_t mask = 0;
        const size_t end = 64 * block + 64 <= length ? 64 : length - 64 * block;
        for (size_t k = 0; k < end; k++) {
            if (in_set(p[64 * block + k], set, count)) mask |= 1ULL << k;
        }
        masks[block] = mask;
    }
}

/// `assay_byte_set_masks` for a `count` (1 to 8) known where it is inlined.
static inline __attribute__((always_inline)) void byte_set_masks_with(const uint8_t *p, size_t length, uint64_t set, int count,
                                                                      uint64_t *masks) {
    const size_t whole = length / 64;
    size_t block = 0;
#if defined(__SSE2__)
    __m128i splat[8];
    splat_set(splat, set, count);
    for (; block < whole; block++) {
        const uint8_t *q = p + 64 * block;
        masks[block] = (uint64_t)set_mask(q, splat, count) | (uint64_t)set_mask(q + 16, splat, count) << 16
            | (uint64_t)set_mask(q + 32, splat, count) << 32 | (uint64_t)set_mask(q + 48, splat, count) << 48;
    }
#endif
    // Blocks without SSE2, and the last (partial) block.
    byte_set_masks_bytewise(p, length, block, whole + 1, set, count, masks);
}

void assay_byte_set_masks(const uint8_t *p, size_t length, uint64_t set, int count, uint64_t *masks) {
    if (count > 8) count = 8;
    // The callers' sets have three or four bytes: those get unrolled copies.
    switch (count) {
    case 3: byte_set_masks_with(p, length, set, 3, masks); break;
    case 4: byte_set_masks_with(p, length, set, 4, masks); break;
    default: byte_set_masks_with(p, length, set, count, masks); break;
    }
}

/// Where a stretch ends, from a block's bytes not copied as they are (`blocked`) and its spaces, and
/// whether the byte after the block is not copied as it is: at those bytes, but for single spaces.
static inline uint64_t stretch_ends(uint64_t blocked, uint64_t spaces, uint64_t nextBlocked) {
    return blocked & ~(spaces & ~(blocked >> 1 | nextBlocked << 63));
}

/// What `assay_stretch_ends_and_blanks` goes on with after its whole blocks: the last (partial)
/// block's bytes a byte a step, then the ends of the block before it (`blocked`, `spaces`; none when
/// `whole` is 0) and of itself (past the input's end nothing is copied), and its blanks.
static inline void stretch_ends_finish(const uint8_t *p, size_t length, uint64_t stops, int stopCount, uint64_t blocked,
                                       uint64_t spaces, uint64_t *ends, uint64_t *blanks) {
    const size_t whole = length / 64, rest = length - 64 * whole;
    const uint8_t *q = p + 64 * whole;
    uint64_t lastBlocked = ~0ULL << rest, lastSpaces = 0, lastBlanks = 0;
    for (size_t k = 0; k < rest; k++) {
        if (!copied_as_is(q[k], stops, stopCount)) lastBlocked |= 1ULL << k;
        if (q[k] == 0x20) lastSpaces |= 1ULL << k;
        if (q[k] >= 0x09 && q[k] <= 0x0D) lastBlanks |= 1ULL << k;
    }
    if (whole > 0) ends[whole - 1] = stretch_ends(blocked, spaces, lastBlocked & 1);
    ends[whole] = stretch_ends(lastBlocked, lastSpaces, 1) & ((1ULL << rest) - 1);
    blanks[whole] = lastBlanks;
}

/// `assay_stretch_ends_and_blanks` for a `stopCount` known where it is inlined.
static inline __attribute__((always_inline)) void stretch_ends_with(const uint8_t *p, size_t length, uint64_t stops, int stopCount,
                                                                    uint64_t *ends, uint64_t *blanks) {
    const size_t whole = length / 64;
    // A block's ends are known once the next block's first byte is: each is written a block late.
    uint64_t blocked = 0, spaces = 0;
#if defined(__SSE2__)
    __m128i stopBytes[8];
    splat_set(stopBytes, stops, stopCount);
#endif
    for (size_t block = 0; block < whole; block++) {
        const uint8_t *q = p + 64 * block;
        uint64_t nextBlocked = 0, nextSpaces = 0, nextBlanks = 0;
#if defined(__SSE2__)
        for (int part = 0; part < 4; part++) {
            unsigned b, s, t;
            mark_stretch_and_blank_bytes(q + 16 * part, stopBytes, stopCount, &b, &s, &t);
            nextBlocked |= (uint64_t)b << (16 * part);
            nextSpaces |= (uint64_t)s << (16 * part);
            nextBlanks |= (uint64_t)t << (16 * part);
        }
#else
        for (int k = 0; k < 64; k++) {
            if (!copied_as_is(q[k], stops, stopCount)) nextBlocked |= 1ULL << k;
            if (q[k] == 0x20) nextSpaces |= 1ULL << k;
            if (q[k] >= 0x09 && q[k] <= 0x0D) nextBlanks |= 1ULL << k;
        }
#endif
        blanks[block] = nextBlanks;
        if (block > 0) ends[block - 1] = stretch_ends(blocked, spaces, nextBlocked & 1);
        blocked = nextBlocked;
        spaces = nextSpaces;
    }
    stretch_ends_finish(p, length, stops, stopCount, blocked, spaces, ends, blanks);
}

void assay_stretch_ends_and_blanks(const uint8_t *p, size_t length, uint64_t stops, int stopCount, uint64_t *ends,
                                   uint64_t *blanks) {
    if (stopCount > 8) stopCount = 8;
    // The plain text writer's stop sets have four or eight bytes: those get unrolled copies.
    switch (stopCount) {
    case 4: stretch_ends_with(p, length, stops, 4, ends, blanks); break;
    case 8: stretch_ends_with(p, length, stops, 8, ends, blanks); break;
    default: stretch_ends_with(p, length, stops, stopCount, ends, blanks); break;
    }
}

/// The 64 bytes at `q` as two masks (bit i: byte i): `letters`, the ASCII letters and the bytes from
/// 0x80; `high`, the bytes from 0x80.
static inline void letter_masks(const uint8_t *q, uint64_t *letters, uint64_t *high) {
    uint64_t l = 0, h = 0;
#if defined(__SSE2__)
    for (int part = 0; part < 4; part++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(q + 16 * part));
        // (b | 0x20) - 'a' < 26 unsigned, as a signed compare: (b | 0x20) + 0x1F < -102
        const __m128i shifted = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x1F));
        const uint64_t hi = (uint64_t)_mm_movemask_epi8(v);
        l |= ((uint64_t)_mm_movemask_epi8(_mm_cmplt_epi8(shifted, _mm_set1_epi8(-102))) | hi) << (16 * part);
        h |= hi << (16 * part);
    }
#else
    for (int k = 0; k < 64; k++) {
        const uint8_t b = q[k];
        if (b >= 0x80) h |= 1ULL << k;
        if (b >= 0x80 || (uint8_t)((b | 0x20) - 0x61) < 26) l |= 1ULL << k;
    }
#endif
    *letters = l;
    *high = h;
}

size_t assay_letter_runs(const uint8_t *p, size_t from, size_t length, assay_letter_run *runs, size_t room, size_t *next) {
    size_t n = 0;
    // a run carried from one block into the next: where it starts, whether it has a byte from 0x80 so far
    int open = 0;
    size_t start = 0;
    uint64_t wide = 0;
    uint8_t tail[64];
    for (size_t c = from; c < length; c += 64) {
        const uint8_t *q = p + c;
        if (length - c < 64) {
            // the last bytes, padded with zeros (no letters: a run reaching `length` ends there)
            memset(tail, 0, sizeof tail);
            memcpy(tail, q, length - c);
            q = tail;
        }
        uint64_t letters, high;
        letter_masks(q, &letters, &high);
        // the bytes where a run starts or ends, in order: they alternate
        uint64_t edges = letters ^ (letters << 1 | (uint64_t)open);
        if (open) {
            if (!edges) {
                wide |= high;
                continue;
            }
            // the carried run ends at the first edge
            const unsigned e = (unsigned)__builtin_ctzll(edges);
            edges &= edges - 1;
            wide |= high & ((1ULL << e) - 1);
            runs[n].start = (int64_t)start;
            runs[n].end = (int64_t)(c + e);
            runs[n].nonASCII = wide != 0;
            open = 0;
            if (++n == room) {
                *next = c + e;
                return n;
            }
        }
        // the runs starting in this block, a start and an end at a time
        while (edges) {
            const unsigned b = (unsigned)__builtin_ctzll(edges);
            edges &= edges - 1;
            if (!edges) {
                open = 1;
                start = c + b;
                wide = high & (~0ULL << b);
                break;
            }
            const unsigned e = (unsigned)__builtin_ctzll(edges);
            edges &= edges - 1;
            runs[n].start = (int64_t)(c + b);
            runs[n].end = (int64_t)(c + e);
            // (b < e < 64: the bits from `b` below `e`)
            runs[n].nonASCII = high && (high & (~0ULL << b) & ((1ULL << e) - 1)) != 0;
            if (++n == room) {
                *next = c + e;
                return n;
            }
        }
    }
    if (open) {
        runs[n].start = (int64_t)start;
        runs[n].end = (int64_t)length;
        runs[n].nonASCII = wide != 0;
        n++;
    }
    *next = length;
    return n;
}
