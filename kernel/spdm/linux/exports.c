// SPDX-License-Identifier: GPL-2.0
/*
 * The library's public interface (spdm.h), exported to other modules. The
 * definitions are in the portable protocol files, which cannot carry kernel
 * export markers.
 */
#include <linux/export.h>

#include "spdm.h"

EXPORT_SYMBOL_NS_GPL(spdm_create, SPDM);
EXPORT_SYMBOL_NS_GPL(spdm_authenticate, SPDM);
EXPORT_SYMBOL_NS_GPL(spdm_get_evidence, SPDM);
EXPORT_SYMBOL_NS_GPL(spdm_release_evidence, SPDM);
EXPORT_SYMBOL_NS_GPL(spdm_destroy, SPDM);
