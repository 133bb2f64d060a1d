// SPDX-License-Identifier: GPL-2.0
/*
 * Signature verification for the SPDM library: hash with crypto_shash, then
 * public_key_verify_signature() with the leaf certificate's key. SPDM sends
 * ECDSA signatures raw (r‖s); the kernel wants X9.62 DER, so der.c converts.
 *
 * RSASSA-PSS is not offered: the 6.12 kernel has no PSS verifier
 * (public_key_verify_signature() knows only "pkcs1" and "raw" for RSA).
 */
#define pr_fmt(fmt) "spdm: " fmt

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <linux/crypto.h>
#include <linux/export.h>
#include <linux/printk.h>

#include "env-linux.h"

struct spdm_asym_alg {
	u32 bit;		/* BaseAsymAlgo, DSP0274 1.3 §10.4 */
	const char *probe;	/* crypto API algorithm that must exist */
	const char *pkey_algo;	/* what the key's certificate must carry */
	const char *encoding;	/* for public_key_verify_signature() */
	size_t sig_len;		/* raw SPDM signature, DSP0274 §15 */
};

static const struct spdm_asym_alg spdm_asym_algs[] = {
	/* TPM_ALG_RSASSA_2048 */
	{ BIT(0), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 256 },
	/* TPM_ALG_RSASSA_3072 */
	{ BIT(2), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 384 },
	/* TPM_ALG_ECDSA_ECC_NIST_P256 */
	{ BIT(4), "ecdsa-nist-p256", "ecdsa-nist-p256", "x962", 64 },
	/* TPM_ALG_RSASSA_4096 */
	{ BIT(5), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 512 },
	/* TPM_ALG_ECDSA_ECC_NIST_P384 */
	{ BIT(7), "ecdsa-nist-p384", "ecdsa-nist-p384", "x962", 96 },
	/* TPM_ALG_ECDSA_ECC_NIST_P521 */
	{ BIT(8), "ecdsa-nist-p521", "ecdsa-nist-p521", "x962", 132 },
};

static u32 spdm_asym_mask;

/**
 * spdm_env_sig_init() - find out which signature schemes this kernel verifies
 *
 * Context: module load; may load crypto modules.
 */
void spdm_env_sig_init(void)
{
	int i;

	spdm_asym_mask = 0;
	for (i = 0; i < ARRAY_SIZE(spdm_asym_algs); i++)
		if (crypto_has_alg(spdm_asym_algs[i].probe, 0, 0))
			spdm_asym_mask |= spdm_asym_algs[i].bit;
}

/**
 * spdm_env_asym_algos() - the signature schemes this kernel verifies
 *
 * Return: a BaseAsymAlgo bit mask.
 */
u32 spdm_env_asym_algos(void)
{
	return spdm_asym_mask;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_asym_algos, SPDM_ENV_SELFTEST);

static const struct spdm_asym_alg *spdm_asym_find(u32 base_asym_alg)
{
	int i;

	if (!(base_asym_alg & spdm_asym_mask))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(spdm_asym_algs); i++)
		if (spdm_asym_algs[i].bit == base_asym_alg)
			return &spdm_asym_algs[i];
	return NULL;
}

/**
 * spdm_env_verify() - verify an SPDM signature with a certificate's key
 * @cert: the leaf certificate
 * @base_asym_alg: one BaseAsymAlgo bit
 * @base_hash_alg: one BaseHashAlgo bit, the hash applied to @msg
 * @msg: the signed message
 * @msg_len: its length
 * @sig: the signature as SPDM carries it (r‖s for ECDSA)
 * @sig_len: its length
 *
 * Context: process context, may sleep.
 * Return: 0; -EKEYREJECTED when the signature does not verify, has the wrong
 * length, or the key is not of @base_asym_alg; -EPROTONOSUPPORT for an
 * algorithm this kernel lacks; -ENOMEM.
 */
int spdm_env_verify(const struct spdm_env_cert *cert, u32 base_asym_alg,
		    u32 base_hash_alg, const u8 *msg, size_t msg_len,
		    const u8 *sig, size_t sig_len)
{
	const struct spdm_asym_alg *alg = spdm_asym_find(base_asym_alg);
	const char *hash_name = spdm_env_hash_name(base_hash_alg);
	const struct public_key *key = spdm_env_cert_key(cert);
	u8 digest[HASH_MAX_DIGESTSIZE];
	u8 der[SPDM_ECDSA_DER_MAX];
	struct public_key_signature pks = {
		.digest = digest,
		.digest_size = spdm_env_hash_size(base_hash_alg),
		.hash_algo = hash_name,
	};
	int ret;

	if (!alg || !hash_name)
		return -EPROTONOSUPPORT;
	if (strcmp(key->pkey_algo, alg->pkey_algo) || sig_len != alg->sig_len)
		return -EKEYREJECTED;

	ret = spdm_env_hash_oneshot(base_hash_alg, msg, msg_len, digest);
	if (ret)
		return ret;

	pks.encoding = alg->encoding;
	if (!strcmp(alg->encoding, "x962")) {
		ret = spdm_der_ecdsa_sig(sig, sig_len, der, sizeof(der));
		if (ret < 0)
			return -EKEYREJECTED;
		pks.s = der;
		pks.s_size = ret;
	} else {
		/* only read, never written, by the verifier */
		pks.s = (u8 *)sig;
		pks.s_size = sig_len;
	}

	ret = public_key_verify_signature(key, &pks);
	if (ret == 0 || ret == -ENOMEM)
		return ret;
	pr_debug("signature check failed: %d\n", ret);
	return -EKEYREJECTED;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_verify, SPDM_ENV_SELFTEST);
