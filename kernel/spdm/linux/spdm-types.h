/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel build of "spdm-types.h": the types and helpers the portable SPDM
 * protocol files use (see spdm-env.h), taken from the kernel's own headers.
 */
#ifndef _SPDM_TYPES_H_
#define _SPDM_TYPES_H_

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/byteorder.h>

#endif /* _SPDM_TYPES_H_ */
