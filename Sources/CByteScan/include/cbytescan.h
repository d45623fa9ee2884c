#ifndef ASSAY_CBYTESCAN_H
#define ASSAY_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// How far `assay_json_escape_copy` got: bytes written, and bytes of the source consumed.
typedef struct {
    size_t written;
    size_t read;
} assay_escape_progress;

/// Copies `src[0..<length]` to `dst` with the escapes JSON needs (`\"`, `\\`, `\n`, `\r`, `\t`,
/// `\u00XX` for the other controls and DEL): sixteen bytes a step with SSE2 (x86-64), eight with
/// word arithmetic otherwise. Writes at most `room` bytes: it stops early when the next step might
/// not fit (a step stores up to 22 bytes), so a caller that reserves `length + 22` usually needs
/// one call.
assay_escape_progress assay_json_escape_copy(uint8_t *dst, size_t room, const uint8_t *src, size_t length);

/// For each 64-byte block of `bytes` (`length / 64 + 1` blocks, the last one partial), the UTF-8
/// continuation bytes (10xxxxxx) as a mask (bit i: byte i of the block) and the number of scalars
/// that start before the block: one pass, after which any byte offset becomes a scalar offset
/// with one population count.
void assay_utf8_scalar_blocks(const uint8_t *bytes, size_t length, uint64_t *continuations, uint32_t *scalarsBefore);

#endif
