/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space build of "spdm-types.h": the kernel types and helpers the
 * portable SPDM protocol files use (see kernel/spdm/spdm-env.h), on libc.
 */
#ifndef _SPDM_TYPES_H_
#define _SPDM_TYPES_H_

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __le16;
typedef uint32_t __le32;

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#define __printf(a, b) __attribute__((format(printf, a, b)))

/* As in the kernel: the message is optional. */
#define static_assert(expr, ...) __spdm_static_assert(expr, ##__VA_ARGS__, #expr)
#define __spdm_static_assert(expr, msg, ...) _Static_assert(expr, msg)

#define BIT(n) (1UL << (n))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (sizeof(long) * 8 - 1 - (h))))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define min(a, b) ({ typeof(a) _mn_a = (a); typeof(b) _mn_b = (b); \
			  _mn_a < _mn_b ? _mn_a : _mn_b; })
#define max(a, b) ({ typeof(a) _mx_a = (a); typeof(b) _mx_b = (b); \
			  _mx_a > _mx_b ? _mx_a : _mx_b; })
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)

#define offsetofend(TYPE, MEMBER) \
	(offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))

#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

/* Size of a struct with a flexible array of @n elements, SIZE_MAX on overflow. */
#define struct_size(p, member, n) \
	__spdm_struct_size(sizeof(*(p)), sizeof(*(p)->member), (n))
static inline size_t __spdm_struct_size(size_t base, size_t elem, size_t n)
{
	size_t bytes, total;

	if (__builtin_mul_overflow(elem, n, &bytes) ||
	    __builtin_add_overflow(base, bytes, &total))
		return SIZE_MAX;
	return total;
}

#define cpu_to_le16(x) htole16(x)
#define le16_to_cpu(x) le16toh(x)
#define cpu_to_le32(x) htole32(x)
#define le32_to_cpu(x) le32toh(x)

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8;
}

static inline u32 get_unaligned_le24(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | (u32)b[2] << 16;
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

#endif /* _SPDM_TYPES_H_ */
