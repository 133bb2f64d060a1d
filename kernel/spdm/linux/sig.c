// SPDX-License-Identifier: GPL-2.0
/*
 * Signature verification for the SPDM library: hash with crypto_shash, then
 * public_key_verify_signature() with the leaf certificate's key. SPDM sends
 * ECDSA signatures raw (r‖s); the kernel wants X9.62 DER, so der.c converts.
 *
 * RSASSA-PSS: public_key_verify_signature() in 6.12 knows only "pkcs1" and
 * "raw" for RSA, so the raw RSA public-key operation of the "rsa" akcipher
 * (RSAVP1, m = s^e mod n) recovers the encoded message and emsa-pss.c
 * checks it. A kernel whose crypto API registers "rsassa-pss" (detected at
 * build time, see Kbuild) verifies it there instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/akcipher.h>
#include <crypto/hash.h>
#include <crypto/public_key.h>
#ifdef SPDM_HAVE_CRYPTO_RSASSA_PSS
#include <crypto/sig.h>
#endif
#include <linux/crypto.h>
#include <linux/export.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "env-linux.h"

struct spdm_asym_alg {
	u32 bit;		/* BaseAsymAlgo, DSP0274 1.3 §10.4 */
	const char *probe;	/* crypto API algorithm that must exist */
	const char *pkey_algo;	/* what the key's certificate must carry */
	const char *encoding;	/* for public_key_verify_signature(), or "pss" */
	size_t sig_len;		/* raw SPDM signature, DSP0274 §15 */
};

#ifdef SPDM_HAVE_CRYPTO_RSASSA_PSS
#define SPDM_PSS_PROBE "rsassa-pss"
#else
#define SPDM_PSS_PROBE "rsa"
#endif

static const struct spdm_asym_alg spdm_asym_algs[] = {
	/* TPM_ALG_RSASSA_2048 */
	{ BIT(0), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 256 },
	/* TPM_ALG_RSAPSS_2048 */
	{ BIT(1), SPDM_PSS_PROBE, "rsa", "pss", 256 },
	/* TPM_ALG_RSASSA_3072 */
	{ BIT(2), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 384 },
	/* TPM_ALG_RSAPSS_3072 */
	{ BIT(3), SPDM_PSS_PROBE, "rsa", "pss", 384 },
	/* TPM_ALG_ECDSA_ECC_NIST_P256 */
	{ BIT(4), "ecdsa-nist-p256", "ecdsa-nist-p256", "x962", 64 },
	/* TPM_ALG_RSASSA_4096 */
	{ BIT(5), "pkcs1pad(rsa,sha256)", "rsa", "pkcs1", 512 },
	/* TPM_ALG_RSAPSS_4096 */
	{ BIT(6), SPDM_PSS_PROBE, "rsa", "pss", 512 },
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

#ifdef SPDM_HAVE_CRYPTO_RSASSA_PSS
/* RSASSA-PSS of the crypto API, with SPDM's parameters (see emsa-pss.c). */
static int spdm_pss_verify(const struct public_key *key, u32 hash_alg,
			   const u8 *digest, const u8 *sig, size_t sig_len)
{
	const char *hash = spdm_env_hash_name(hash_alg);
	size_t h_len = spdm_env_hash_size(hash_alg);
	struct crypto_sig *tfm;
	char info[64];
	int ret;

	snprintf(info, sizeof(info), "sighash=%s pss_mask=mgf1,%s pss_salt=%zu",
		 hash, hash, h_len);
	tfm = crypto_alloc_sig("rsassa-pss", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOMEM ? -ENOMEM : -EPROTONOSUPPORT;
	ret = crypto_sig_set_pubkey(tfm, key->key, key->keylen) ?:
	      crypto_sig_verify(tfm, sig, sig_len, digest, h_len, info);
	crypto_free_sig(tfm);
	return ret;
}
#else
/* RSAVP1 with the "rsa" akcipher, then EMSA-PSS-VERIFY (emsa-pss.c). */
static int spdm_pss_verify(const struct public_key *key, u32 hash_alg,
			   const u8 *digest, const u8 *sig, size_t sig_len)
{
	struct crypto_akcipher *tfm;
	u8 *em;
	int ret;

	tfm = crypto_alloc_akcipher("rsa", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOMEM ? -ENOMEM : -EPROTONOSUPPORT;
	em = kmalloc(sig_len, GFP_KERNEL);
	ret = em ? crypto_akcipher_set_pub_key(tfm, key->key, key->keylen) :
		   -ENOMEM;
	/* RFC 8017 §8.1.2 step 1: the signature is exactly k bytes */
	if (!ret && crypto_akcipher_maxsize(tfm) != sig_len)
		ret = -EKEYREJECTED;
	/* step 2: s outside 1 < s < n − 1 is refused by the akcipher */
	if (!ret)
		ret = crypto_akcipher_sync_encrypt(tfm, sig, sig_len, em,
						   sig_len);
	/* step 3: emBits = modBits − 1, the modulus checked to be 8k bits */
	if (!ret)
		ret = spdm_emsa_pss_verify(hash_alg, digest, em, sig_len,
					   8 * sig_len - 1);
	kfree_sensitive(em);
	crypto_free_akcipher(tfm);
	return ret;
}
#endif

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

	if (!strcmp(alg->encoding, "pss")) {
		/* the modulus exactly as long as the negotiated algorithm's */
		if (spdm_der_rsa_modulus_bits(key->key, key->keylen) != 8 * sig_len)
			return -EKEYREJECTED;
		ret = spdm_pss_verify(key, base_hash_alg, digest, sig, sig_len);
		if (ret == 0 || ret == -ENOMEM || ret == -EPROTONOSUPPORT)
			return ret;
		pr_debug("RSASSA-PSS check failed: %d\n", ret);
		return -EKEYREJECTED;
	}

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
