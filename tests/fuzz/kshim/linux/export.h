/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/export.h>: exports mean nothing here. */
#ifndef _FUZZ_SHIM_LINUX_EXPORT_H
#define _FUZZ_SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif
