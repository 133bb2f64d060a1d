// SPDX-License-Identifier: GPL-2.0
/*
 * The library's public interface (spdm.h), exported to other modules. The
 * definitions are in the portable protocol files, which cannot carry kernel
 * export markers.
 */
#include <linux/export.h>

#include "spdm.h"

EXPORT_SYMBOL_GPL(spdm_create);
EXPORT_SYMBOL_GPL(spdm_authenticate);
EXPORT_SYMBOL_GPL(spdm_get_evidence);
EXPORT_SYMBOL_GPL(spdm_release_evidence);
EXPORT_SYMBOL_GPL(spdm_destroy);
