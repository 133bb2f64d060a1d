/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the files of the kernel environment
 * (kernel/spdm/linux/): set-up at module load, the DER helpers and
 * EMSA-PSS-VERIFY.
 *
 * The spdm-env.h functions are internal to spdm.ko; they are exported only in
 * the namespace SPDM_ENV_SELFTEST, which the known-answer self-test module
 * (selftest/) imports.
 */
#ifndef _SPDM_ENV_LINUX_H_
#define _SPDM_ENV_LINUX_H_

#include "spdm-env.h"

/* Largest ECDSA coordinate SPDM uses: P-521, DSP0274 BaseAsymAlgo. */
#define SPDM_ECDSA_MAX_COORD	66
/* SEQUENCE header (3) + two INTEGERs of tag, length, sign pad and value. */
#define SPDM_ECDSA_DER_MAX	(3 + 2 * (3 + SPDM_ECDSA_MAX_COORD))

int spdm_env_hash_init(void);
void spdm_env_hash_exit(void);
const char *spdm_env_hash_name(u32 base_hash_alg);
void spdm_env_sig_init(void);

struct public_key;
const struct public_key *spdm_env_cert_key(const struct spdm_env_cert *cert);

int spdm_der_ecdsa_sig(const u8 *raw, size_t raw_len, u8 *out, size_t out_size);
int spdm_der_cert_scan(const u8 *der, size_t len, bool *has_key_usage);
int spdm_der_rsa_modulus_bits(const u8 *key, size_t len);

int spdm_emsa_pss_verify(u32 hash_alg, const u8 *m_hash, const u8 *em,
			 size_t em_len, size_t em_bits);

#endif /* _SPDM_ENV_LINUX_H_ */
