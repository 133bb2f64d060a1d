/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The services the portable SPDM protocol code needs from its environment.
 *
 * Two implementations exist: the kernel one (kernel/spdm/env-kernel.c:
 * kmalloc, crypto_shash, the asymmetric key type and
 * public_key_verify_signature) and the user-space one (lib/env-openssl.c:
 * OpenSSL 3). The protocol files include only this header and never test
 * which build they are in.
 *
 * "spdm-types.h" is found through the include path: each build provides its
 * own, giving u8 … u64, size_t, ssize_t, bool, errno values, memcpy/memcmp,
 * BIT(), min()/max(), offsetofend(), struct_size(), check_add_overflow(),
 * snprintf(), get_unaligned_le16/le32/le24, put_unaligned_le16/le32,
 * static_assert, __packed, __printf and the fixed-endian types
 * __le16/__le32 with cpu_to_le16/le16_to_cpu, cpu_to_le32/le32_to_cpu.
 */
#ifndef _SPDM_ENV_H_
#define _SPDM_ENV_H_

#include "spdm-types.h"

/* Memory: zeroed allocation, free accepts NULL. */
void *spdm_env_zalloc(size_t size);
void spdm_env_free(void *ptr);
/* Free after overwriting with zeros (nonces, transcripts). */
void spdm_env_free_sensitive(void *ptr, size_t size);

/* Cryptographically secure random bytes. */
int spdm_env_random(u8 *buf, size_t len);

/* Monotonic clock in nanoseconds, and sleeping (may sleep; no atomic callers). */
u64 spdm_env_time_ns(void);
void spdm_env_sleep_us(u64 us);

/* Logging; @name is the device or connection name given in spdm_config. */
__printf(2, 3) void spdm_env_err(const char *name, const char *fmt, ...);
__printf(2, 3) void spdm_env_dbg(const char *name, const char *fmt, ...);

/*
 * Algorithms the backend can do, as SPDM BaseAsymAlgo / BaseHashAlgo bit
 * masks (DSP0274 NEGOTIATE_ALGORITHMS). Negotiation offers exactly these.
 */
u32 spdm_env_asym_algos(void);
u32 spdm_env_hash_algos(void);

/* Hashing with a BaseHashAlgo bit. */
struct spdm_env_hash;
size_t spdm_env_hash_size(u32 base_hash_alg);
struct spdm_env_hash *spdm_env_hash_new(u32 base_hash_alg);
int spdm_env_hash_update(struct spdm_env_hash *h, const u8 *data, size_t len);
int spdm_env_hash_final(struct spdm_env_hash *h, u8 *out);
void spdm_env_hash_free(struct spdm_env_hash *h);
int spdm_env_hash_oneshot(u32 base_hash_alg, const u8 *data, size_t len, u8 *out);

/* X.509 certificates, parsed from DER. */
struct spdm_env_cert;
/* -EBADMSG when @der is not one well-formed certificate. */
int spdm_env_cert_parse(const u8 *der, size_t len, struct spdm_env_cert **out);
void spdm_env_cert_free(struct spdm_env_cert *cert);
/*
 * 0 if @issuer may issue certificates (CA, and keyCertSign when keyUsage is
 * present) and @cert's signature verifies with its public key, else
 * -EKEYREJECTED.
 */
int spdm_env_cert_verify_issued_by(const struct spdm_env_cert *cert,
				   const struct spdm_env_cert *issuer);
/* SPDM leaf rules: digitalSignature in keyUsage (if present), not a CA. -EKEYREJECTED otherwise. */
int spdm_env_cert_check_leaf(const struct spdm_env_cert *cert);

/*
 * Verify @sig (raw, as SPDM sends it: r‖s for ECDSA, the RSA signature
 * otherwise) over @msg, hashed with @base_hash_alg, using @cert's public key
 * and the @base_asym_alg scheme. 0 on success, -EKEYREJECTED on a bad
 * signature, -EPROTONOSUPPORT for an algorithm the backend lacks.
 */
int spdm_env_verify(const struct spdm_env_cert *cert, u32 base_asym_alg,
		    u32 base_hash_alg, const u8 *msg, size_t msg_len,
		    const u8 *sig, size_t sig_len);

#endif /* _SPDM_ENV_H_ */
