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

/// The state of the HTML extractor's text measure (`TextMeasure` in Sources/Ingest/HTMLTree.swift):
/// characters (UTF-8 lead bytes, white space runs counted once between characters), commas, and
/// whether white space is pending or came before the first character.
typedef struct {
    int32_t chars;
    int32_t commas;
    uint8_t pendingSpace;
    uint8_t leadingSpace;
} assay_text_measure;

/// What `assay_character_data_scan` found in one stretch of HTML character data.
typedef struct {
    size_t end;       ///< the index of the '<' or '&' that ends the character data, or the length
    size_t newlines;  ///< line feeds
    size_t late;      ///< line feeds at or after `lateFrom`
    int kept;         ///< 1 when it holds '>', 0xEF, or a control byte other than tab and line feed
} assay_character_data;

/// Reads the character data of `s[0..<length]` from `from` up to the first '<' or '&', adding each
/// byte to `measure` exactly as `TextMeasure.addCharacter` does (a no-break space, C2 A0, is white
/// space; ',' and the Arabic, ideographic and fullwidth commas are commas): 32 bytes a step with
/// SSE2 (x86-64) once the text has begun, a byte a step otherwise.
assay_character_data assay_character_data_scan(const uint8_t *s, size_t from, size_t length, size_t lateFrom,
                                               assay_text_measure *measure);

/// How many bytes at the start of `p[0..<length]` a block writer copies as they are: bytes other
/// than white space (tab to carriage return, space), 0xC2 and 0xE2 (which may start a no-break
/// space, soft hyphen or Unicode space) and the `stopCount` stop bytes (at most eight, packed in
/// `stops` lowest first), and each single space followed by such a byte, except a space at the
/// start when `runStarted` is 0. 32 bytes a step with SSE2 (x86-64).
size_t assay_plain_stretch(const uint8_t *p, size_t length, int runStarted, uint64_t stops, int stopCount);

/// How many bytes at the start of `p[0..<length]` are ASCII text that a decoder has nothing to
/// note about: no byte from 0x80, no control but tab, line feed, form feed and carriage return.
/// 64 bytes a step with SSE2 (x86-64).
size_t assay_quiet_ascii(const uint8_t *p, size_t length);

/// The index of the first byte of `p[0..<length]` that is one of the `count` bytes (at most eight)
/// packed in `set` lowest first, or `length` when there is none. 32 bytes a step with SSE2 (x86-64).
size_t assay_first_of(const uint8_t *p, size_t length, uint64_t set, int count);

/// For each 64-byte block of `p[0..<length]` (`length / 64 + 1` blocks, the last one partial), its
/// bytes that are one of the `count` bytes (at most eight) packed in `set` lowest first, as a mask
/// (bit i: byte i of the block; bits past the end clear): one pass, after which the next such byte
/// from anywhere is a few word operations away (`ByteMarks`). 64 bytes a step with SSE2 (x86-64).
void assay_byte_set_masks(const uint8_t *p, size_t length, uint64_t set, int count, uint64_t *masks);

/// For each 64-byte block of `p[0..<length]` (`length / 64 + 1` blocks, the last one partial), the
/// bytes at which a stretch of `assay_plain_stretch` with these stop bytes ends, as a mask in `ends`
/// (bit i: byte i of the block; bits past the end clear): bytes it does not copy as they are, but for
/// a space followed by a byte it does (the end of the input is not one). A stretch of `p[from..<to]`
/// then ends at the first such byte, or at a space just before `to`, or at a space at `from` when the
/// run has not started (`MarkupBytes.stretch`). In the same pass, in `blanks` (as many blocks, laid
/// out alike), the bytes 0x09-0x0D: what the plain text line splitter looks for, without a pass of its
/// own. 64 bytes a step with SSE2 (x86-64).
void assay_stretch_ends_and_blanks(const uint8_t *p, size_t length, uint64_t stops, int stopCount, uint64_t *ends,
                                   uint64_t *blanks);

/// A run of bytes that can hold words (`assay_letter_runs`): `p[start..<end]`.
typedef struct {
    int64_t start;
    int64_t end;
    int64_t nonASCII;  ///< 1 when a byte from 0x80 is in the run (a scalar there may split it into words)
} assay_letter_run;

/// Stores in `runs` (at most `room`, at least 1) the runs of ASCII letters and bytes from 0x80 in
/// `p[from..<length]`, in order: the stretches between ASCII bytes that are no letters (a run at
/// `from` starts there, one reaching `length` ends there). Returns how many; `*next` is where to
/// go on: the end of the last run when `room` filled up, else `length`. 64 bytes a step with SSE2
/// (x86-64).
size_t assay_letter_runs(const uint8_t *p, size_t from, size_t length, assay_letter_run *runs, size_t room, size_t *next);

#endif
