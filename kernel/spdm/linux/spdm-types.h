/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The types and helpers the portable SPDM protocol files use (listed in
 * spdm-env.h), in the kernel build: the kernel's own headers.
 */
#ifndef _SPDM_TYPES_H_
#define _SPDM_TYPES_H_

#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sprintf.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/byteorder.h>

#endif /* _SPDM_TYPES_H_ */
