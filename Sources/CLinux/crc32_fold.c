// CRC-32 (zlib's: reflected, polynomial 0xEDB88320) by carry-less multiplication, for the
// large buffers of a file transfer. zlib's table-driven crc32() manages about 1 byte per cycle;
// folding 64 bytes per step with PCLMULQDQ is several times faster, which matters because both
// sides of a transfer checksum every byte.
//
// Method (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction"):
// the message is kept as four 128-bit lanes; each step multiplies a lane by x^512 mod P (split
// in two 64-bit halves) and adds the next 64 bytes. The lanes are then folded into one, which
// represents the message up to that point as 16 bytes with the same CRC; those 16 bytes and the
// tail are finished by zlib, so no Barrett reduction is needed here.
#include "CLinux.h"

#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

// x^(512+32) and x^(512-32) mod P, then x^(128+32) and x^(128-32) mod P, bit-reflected
// (the folding constants for this polynomial from Intel's paper).
#define FOLD_512_LOW 0x154442bd4ULL
#define FOLD_512_HIGH 0x1c6e41596ULL
#define FOLD_128_LOW 0x1751997d0ULL
#define FOLD_128_HIGH 0x0ccaa009eULL

__attribute__((target("pclmul,sse2"))) static inline __m128i fold(__m128i lane, __m128i constants, __m128i data) {
    __m128i low = _mm_clmulepi64_si128(lane, constants, 0x00);
    __m128i high = _mm_clmulepi64_si128(lane, constants, 0x11);
    return _mm_xor_si128(_mm_xor_si128(low, high), data);
}

__attribute__((target("pclmul,sse2"))) static uint32_t crc32_folded(uint32_t crc, const unsigned char *bytes,
                                                                   size_t count) {
    const __m128i by4 = _mm_set_epi64x((long long)FOLD_512_HIGH, (long long)FOLD_512_LOW);
    const __m128i by1 = _mm_set_epi64x((long long)FOLD_128_HIGH, (long long)FOLD_128_LOW);
    __m128i lane0 = _mm_loadu_si128((const __m128i *)bytes);
    __m128i lane1 = _mm_loadu_si128((const __m128i *)(bytes + 16));
    __m128i lane2 = _mm_loadu_si128((const __m128i *)(bytes + 32));
    __m128i lane3 = _mm_loadu_si128((const __m128i *)(bytes + 48));
    // The running CRC enters as the first four bytes' complement (zlib's pre- and post-inversion).
    lane0 = _mm_xor_si128(lane0, _mm_cvtsi32_si128((int)~crc));
    bytes += 64;
    count -= 64;
    while (count >= 64) {
        lane0 = fold(lane0, by4, _mm_loadu_si128((const __m128i *)bytes));
        lane1 = fold(lane1, by4, _mm_loadu_si128((const __m128i *)(bytes + 16)));
        lane2 = fold(lane2, by4, _mm_loadu_si128((const __m128i *)(bytes + 32)));
        lane3 = fold(lane3, by4, _mm_loadu_si128((const __m128i *)(bytes + 48)));
        bytes += 64;
        count -= 64;
    }
    lane0 = fold(lane0, by1, lane1);
    lane0 = fold(lane0, by1, lane2);
    lane0 = fold(lane0, by1, lane3);
    while (count >= 16) {
        lane0 = fold(lane0, by1, _mm_loadu_si128((const __m128i *)bytes));
        bytes += 16;
        count -= 16;
    }
    unsigned char rest[16];
    _mm_storeu_si128((__m128i *)rest, lane0);
    // 0xFFFFFFFF starts zlib from a zero register, as the folded lane already holds the state.
    uint32_t value = (uint32_t)crc32(0xFFFFFFFFUL, rest, 16);
    return (uint32_t)crc32(value, bytes, (uInt)count);
}
#endif

uint32_t csys_crc32_fast(uint32_t crc, const void *bytes, size_t count) {
#if defined(__x86_64__)
    if (count >= 64 && __builtin_cpu_supports("pclmul")) {
        const unsigned char *cursor = bytes;
        // zlib's length is 32-bit: fold in pieces of at most 1 GiB.
        while (count >= 64) {
            size_t piece = count > (1UL << 30) ? (1UL << 30) : count;
            crc = crc32_folded(crc, cursor, piece);
            cursor += piece;
            count -= piece;
        }
        return count ? (uint32_t)crc32(crc, cursor, (uInt)count) : crc;
    }
#endif
    return csys_crc32(crc, bytes, count);
}
