#ifndef ASSAY_CBYTESCAN_H
#define ASSAY_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// The index of the first byte in `bytes[0..<length]` that JSON must escape (below 0x20, `"`, `\`
/// or DEL), or `length` when there is none. Sixteen bytes a step with SSE2 (x86-64), then eight
/// with word arithmetic, then one.
size_t assay_json_escape_index(const uint8_t *bytes, size_t length);

#endif
