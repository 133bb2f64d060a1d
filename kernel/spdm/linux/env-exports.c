// SPDX-License-Identifier: GPL-2.0
/*
 * The environment functions are internal to spdm.ko; they are exported in a
 * namespace that only the known-answer self-test module (selftest/) imports.
 */
#include <linux/export.h>

#include "env-linux.h"

#define SPDM_ENV_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, SPDM_ENV_SELFTEST)

SPDM_ENV_EXPORT(spdm_env_zalloc);
SPDM_ENV_EXPORT(spdm_env_free);
SPDM_ENV_EXPORT(spdm_env_free_sensitive);
SPDM_ENV_EXPORT(spdm_env_random);
SPDM_ENV_EXPORT(spdm_env_time_ns);
SPDM_ENV_EXPORT(spdm_env_sleep_us);
SPDM_ENV_EXPORT(spdm_env_err);
SPDM_ENV_EXPORT(spdm_env_dbg);
SPDM_ENV_EXPORT(spdm_env_asym_algos);
SPDM_ENV_EXPORT(spdm_env_hash_algos);
SPDM_ENV_EXPORT(spdm_env_hash_size);
SPDM_ENV_EXPORT(spdm_env_hash_new);
SPDM_ENV_EXPORT(spdm_env_hash_update);
SPDM_ENV_EXPORT(spdm_env_hash_final);
SPDM_ENV_EXPORT(spdm_env_hash_free);
SPDM_ENV_EXPORT(spdm_env_hash_oneshot);
SPDM_ENV_EXPORT(spdm_env_cert_parse);
SPDM_ENV_EXPORT(spdm_env_cert_free);
SPDM_ENV_EXPORT(spdm_env_cert_verify_issued_by);
SPDM_ENV_EXPORT(spdm_env_cert_check_leaf);
SPDM_ENV_EXPORT(spdm_env_verify);
SPDM_ENV_EXPORT(spdm_der_ecdsa_sig);
