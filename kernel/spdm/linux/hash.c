// SPDX-License-Identifier: GPL-2.0
/*
 * Hashing for the SPDM library through crypto_shash. One transform per
 * algorithm is allocated at module load and shared: a shash transform
 * without a key is safe to use from many descriptors at once.
 */
#include <crypto/hash.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/slab.h>

#include "env-linux.h"

struct spdm_hash_alg {
	u32 bit;		/* BaseHashAlgo, DSP0274 1.3 §10.4 */
	const char *name;	/* crypto API name */
	struct crypto_shash *tfm;
};

static struct spdm_hash_alg spdm_hash_algs[] = {
	{ .bit = BIT(0), .name = "sha256" },	/* TPM_ALG_SHA_256 */
	{ .bit = BIT(1), .name = "sha384" },	/* TPM_ALG_SHA_384 */
	{ .bit = BIT(2), .name = "sha512" },	/* TPM_ALG_SHA_512 */
};

static u32 spdm_hash_mask;

struct spdm_env_hash {
	struct shash_desc desc;	/* last: its context follows */
};

static const struct spdm_hash_alg *spdm_hash_find(u32 base_hash_alg)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(spdm_hash_algs); i++)
		if (spdm_hash_algs[i].bit == base_hash_alg &&
		    spdm_hash_algs[i].tfm)
			return &spdm_hash_algs[i];
	return NULL;
}

/**
 * spdm_env_hash_init() - allocate a transform for every hash this kernel has
 *
 * Context: module load.
 * Return: 0, or -ENOMEM.
 */
int spdm_env_hash_init(void)
{
	struct crypto_shash *tfm;
	int i;

	for (i = 0; i < ARRAY_SIZE(spdm_hash_algs); i++) {
		tfm = crypto_alloc_shash(spdm_hash_algs[i].name, 0, 0);
		if (IS_ERR(tfm)) {
			if (PTR_ERR(tfm) == -ENOMEM) {
				spdm_env_hash_exit();
				return -ENOMEM;
			}
			continue;
		}
		spdm_hash_algs[i].tfm = tfm;
		spdm_hash_mask |= spdm_hash_algs[i].bit;
	}
	return 0;
}

/**
 * spdm_env_hash_exit() - free the transforms of spdm_env_hash_init()
 */
void spdm_env_hash_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(spdm_hash_algs); i++) {
		crypto_free_shash(spdm_hash_algs[i].tfm);
		spdm_hash_algs[i].tfm = NULL;
	}
	spdm_hash_mask = 0;
}

/**
 * spdm_env_hash_name() - crypto API name of a BaseHashAlgo bit
 * @base_hash_alg: one BaseHashAlgo bit
 *
 * Return: the name, or NULL when this kernel cannot compute that hash.
 */
const char *spdm_env_hash_name(u32 base_hash_alg)
{
	const struct spdm_hash_alg *alg = spdm_hash_find(base_hash_alg);

	return alg ? alg->name : NULL;
}

/**
 * spdm_env_hash_algos() - the hashes this kernel computes
 *
 * Return: a BaseHashAlgo bit mask.
 */
u32 spdm_env_hash_algos(void)
{
	return spdm_hash_mask;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_algos, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_size() - digest size of a hash
 * @base_hash_alg: one BaseHashAlgo bit
 *
 * Return: the size in bytes, 0 for an unknown or unavailable hash.
 */
size_t spdm_env_hash_size(u32 base_hash_alg)
{
	const struct spdm_hash_alg *alg = spdm_hash_find(base_hash_alg);

	return alg ? crypto_shash_digestsize(alg->tfm) : 0;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_size, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_new() - start an incremental hash
 * @base_hash_alg: one BaseHashAlgo bit
 *
 * Context: process context, may sleep.
 * Return: the hash state, or NULL (unknown hash or no memory).
 */
struct spdm_env_hash *spdm_env_hash_new(u32 base_hash_alg)
{
	const struct spdm_hash_alg *alg = spdm_hash_find(base_hash_alg);
	struct spdm_env_hash *h;

	if (!alg)
		return NULL;
	h = kzalloc(struct_size(h, desc.__ctx,
				crypto_shash_descsize(alg->tfm)), GFP_KERNEL);
	if (!h)
		return NULL;
	h->desc.tfm = alg->tfm;
	if (crypto_shash_init(&h->desc)) {
		kfree(h);
		return NULL;
	}
	return h;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_new, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_update() - hash more data
 * @h: hash state from spdm_env_hash_new()
 * @data: the data
 * @len: its length
 *
 * Return: 0, -EOVERFLOW beyond what the crypto API takes in one call, or the
 * crypto API's error.
 */
int spdm_env_hash_update(struct spdm_env_hash *h, const u8 *data, size_t len)
{
	if (len > UINT_MAX)
		return -EOVERFLOW;
	return crypto_shash_update(&h->desc, data, len);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_update, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_final() - finish a hash
 * @h: hash state from spdm_env_hash_new()
 * @out: digest, spdm_env_hash_size() bytes
 *
 * Return: 0 or the crypto API's error. @h must still be freed.
 */
int spdm_env_hash_final(struct spdm_env_hash *h, u8 *out)
{
	return crypto_shash_final(&h->desc, out);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_final, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_free() - free a hash state
 * @h: hash state from spdm_env_hash_new(), or NULL
 */
void spdm_env_hash_free(struct spdm_env_hash *h)
{
	kfree_sensitive(h);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_free, SPDM_ENV_SELFTEST);

/**
 * spdm_env_hash_oneshot() - hash a buffer
 * @base_hash_alg: one BaseHashAlgo bit
 * @data: the data
 * @len: its length
 * @out: digest, spdm_env_hash_size() bytes
 *
 * Return: 0, -EPROTONOSUPPORT for an unavailable hash, -EOVERFLOW beyond what
 * the crypto API takes in one call, or the crypto API's error.
 */
int spdm_env_hash_oneshot(u32 base_hash_alg, const u8 *data, size_t len,
			  u8 *out)
{
	const struct spdm_hash_alg *alg = spdm_hash_find(base_hash_alg);

	if (!alg)
		return -EPROTONOSUPPORT;
	if (len > UINT_MAX)
		return -EOVERFLOW;
	return crypto_shash_tfm_digest(alg->tfm, data, len, out);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_hash_oneshot, SPDM_ENV_SELFTEST);
