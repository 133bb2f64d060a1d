/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for the kernel's <linux/asn1.h>, so that the kernel
 * environment's DER helpers (kernel/spdm/linux/der.c) build into a fuzzer:
 * the X.690 identifier octet values der.c uses.
 */
#ifndef _FUZZ_SHIM_LINUX_ASN1_H
#define _FUZZ_SHIM_LINUX_ASN1_H

#define ASN1_CONT	2	/* context-specific class, bits 7:6 */
#define ASN1_CONS_BIT	0x20	/* constructed */
#define ASN1_INT	2
#define ASN1_OID	6
#define ASN1_SEQ	16

#endif
