// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithms, keys and signatures (OpenSSL 3): the BaseAsymAlgo and
 * BaseHashAlgo bits we offer, loading a slot's chain and key, and producing
 * SPDM-format signatures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "responder.h"

/* DSP0274 1.3.0 Table 15 BaseAsymAlgo bits. */
static const struct asym_alg asyms[] = {
	{ "rsa2048", "rsa2048", 1u << 0, false, 256 },
	{ "rsapss2048", "rsa2048", 1u << 1, true, 256 },
	{ "rsa3072", "rsa3072", 1u << 2, false, 384 },
	{ "rsapss3072", "rsa3072", 1u << 3, true, 384 },
	{ "ecp256", "ecp256", 1u << 4, false, 64 },
	{ "rsa4096", "rsa4096", 1u << 5, false, 512 },
	{ "rsapss4096", "rsa4096", 1u << 6, true, 512 },
	{ "ecp384", "ecp384", 1u << 7, false, 96 },
	{ "ecp521", "ecp521", 1u << 8, false, 132 },
};

/* DSP0274 1.3.0 Table 15 BaseHashAlgo, Table 16 MeasurementHashAlgo. */
static const struct hash_alg hashes[] = {
	{ "sha256", 1u << 0, 1u << 1, "SHA256", 32 },
	{ "sha384", 1u << 1, 1u << 2, "SHA384", 48 },
	{ "sha512", 1u << 2, 1u << 3, "SHA512", 64 },
};

const struct asym_alg *asym_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(asyms); i++)
		if (!strcmp(asyms[i].name, name))
			return &asyms[i];
	return NULL;
}

const struct hash_alg *hash_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(hashes); i++)
		if (!strcmp(hashes[i].name, name))
			return &hashes[i];
	return NULL;
}

/* The algorithm a key signs with (RSA keys serve both RSASSA and RSAPSS). */
const struct asym_alg *asym_by_key(EVP_PKEY *key, bool pss)
{
	char group[32] = "";
	char name[16];

	if (EVP_PKEY_is_a(key, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), NULL))
			return NULL;
		if (!strcmp(group, "prime256v1"))
			return asym_by_name("ecp256");
		if (!strcmp(group, "secp384r1"))
			return asym_by_name("ecp384");
		if (!strcmp(group, "secp521r1"))
			return asym_by_name("ecp521");
		return NULL;
	}
	if (EVP_PKEY_is_a(key, "RSA")) {
		snprintf(name, sizeof(name), "%s%d", pss ? "rsapss" : "rsa", EVP_PKEY_get_bits(key));
		return asym_by_name(name);
	}
	return NULL;
}

int digest(const struct hash_alg *hash, const u8 *data, size_t len, u8 *out)
{
	unsigned int n;

	return EVP_Digest(data, len, out, &n, EVP_get_digestbyname(hash->md), NULL) ? 0 : -EINVAL;
}

/*
 * Sign @msg (hashed with @hash by the signature scheme) into @sig, which gets
 * alg->sig_len bytes: ECDSA as raw r || s (DSP0274 1.3.0 Table 15),
 * RSASSA-PKCS1-v1_5, or RSASSA-PSS with a salt as long as the digest.
 */
int sign_message(EVP_PKEY *key, const struct asym_alg *alg, const struct hash_alg *hash,
		 const u8 *msg, size_t len, u8 *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	u8 der[256];
	size_t der_len = sizeof(der);
	size_t sig_len = alg->sig_len;
	int ret = -EINVAL;

	if (!ctx || !EVP_DigestSignInit_ex(ctx, &pctx, hash->md, NULL, NULL, key, NULL))
		goto out;
	if (EVP_PKEY_is_a(key, "RSA")) {
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, alg->pss ? RSA_PKCS1_PSS_PADDING :
						 RSA_PKCS1_PADDING) <= 0)
			goto out;
		if (alg->pss && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)
			goto out;
		if (!EVP_DigestSign(ctx, sig, &sig_len, msg, len) || sig_len != alg->sig_len)
			goto out;
		ret = 0;
	} else {
		if (!EVP_DigestSign(ctx, der, &der_len, msg, len))
			goto out;
		/* SPDM's raw r‖s */
		if (!spdm_ecdsa_der_to_raw(der, der_len, sig, alg->sig_len))
			ret = 0;
	}
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END))
		goto out;
	n = ftell(f);
	if (n <= 0 || fseek(f, 0, SEEK_SET))
		goto out;
	data = malloc(n);
	if (data && fread(data, 1, n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	*len = n;
out:
	fclose(f);
	return data;
}

/* Load DIR/chain.der and DIR/leaf.key (layout: tests/pki/README.md). */
int load_slot(struct slot *slot, const char *dir, bool pss)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/chain.der", dir);
	slot->certs = read_file(path, &slot->certs_len);
	if (!slot->certs) {
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/leaf.key", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	slot->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!slot->key) {
		fprintf(stderr, "%s: not a private key\n", path);
		return -1;
	}
	slot->alg = asym_by_key(slot->key, pss);
	if (!slot->alg) {
		fprintf(stderr, "%s: unsupported key type\n", path);
		return -1;
	}
	slot->present = true;
	return 0;
}
