#ifndef ASSAY_CSHA256_H
#define ASSAY_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 of `length` bytes into `digest` (32 bytes). Uses the CPU's SHA extensions when it has
/// them (x86-64 SHA-NI), the portable rounds otherwise; both give the same digest.
void assay_sha256(const uint8_t *data, size_t length, uint8_t digest[32]);

/// The portable rounds only, so tests can check both paths on any machine.
void assay_sha256_portable(const uint8_t *data, size_t length, uint8_t digest[32]);

/// 1 when `assay_sha256` runs on the SHA extensions on this CPU.
int assay_sha256_uses_cpu_extensions(void);

#endif
