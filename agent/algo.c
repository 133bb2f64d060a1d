// SPDX-License-Identifier: GPL-2.0
/*
 * The SPDM algorithms the agent can re-verify, with their wire sizes and
 * security strengths (NIST SP 800-57 Part 1 Rev. 5 Table 2).
 */
#include <pthread.h>

#include <openssl/obj_mac.h>

#include "agent.h"

/* DSP0274 1.2.1 §10.4 Table 15: BaseAsymAlgo; signature sizes Table 16 */
static const struct agent_asym_info agent_asym_algos[] = {
	{ AGENT_ASYM_RSASSA_2048, "RSASSA_2048", EVP_PKEY_RSA, 0, NID_undef, 2048, 256, 112 },
	{ AGENT_ASYM_RSAPSS_2048, "RSAPSS_2048", EVP_PKEY_RSA, 1, NID_undef, 2048, 256, 112 },
	{ AGENT_ASYM_RSASSA_3072, "RSASSA_3072", EVP_PKEY_RSA, 0, NID_undef, 3072, 384, 128 },
	{ AGENT_ASYM_RSAPSS_3072, "RSAPSS_3072", EVP_PKEY_RSA, 1, NID_undef, 3072, 384, 128 },
	{ AGENT_ASYM_ECDSA_P256, "ECDSA_P256", EVP_PKEY_EC, 0, NID_X9_62_prime256v1, 256, 64, 128 },
	{ AGENT_ASYM_RSASSA_4096, "RSASSA_4096", EVP_PKEY_RSA, 0, NID_undef, 4096, 512, 152 },
	{ AGENT_ASYM_RSAPSS_4096, "RSAPSS_4096", EVP_PKEY_RSA, 1, NID_undef, 4096, 512, 152 },
	{ AGENT_ASYM_ECDSA_P384, "ECDSA_P384", EVP_PKEY_EC, 0, NID_secp384r1, 384, 96, 192 },
	{ AGENT_ASYM_ECDSA_P521, "ECDSA_P521", EVP_PKEY_EC, 0, NID_secp521r1, 521, 132, 256 },
	{ AGENT_ASYM_EDDSA_25519, "EDDSA_25519", EVP_PKEY_ED25519, 0, NID_undef, 255, 64, 128 },
	{ AGENT_ASYM_EDDSA_448, "EDDSA_448", EVP_PKEY_ED448, 0, NID_undef, 448, 114, 224 },
};

/* DSP0274 1.2.1 §10.4 Table 15: BaseHashAlgo */
static const struct agent_hash_info agent_hash_algos[] = {
	{ AGENT_HASH_SHA256, "SHA_256", "SHA256", 32, 128 },
	{ AGENT_HASH_SHA384, "SHA_384", "SHA384", 48, 192 },
	{ AGENT_HASH_SHA512, "SHA_512", "SHA512", 64, 256 },
	{ AGENT_HASH_SHA3_256, "SHA3_256", "SHA3-256", 32, 128 },
	{ AGENT_HASH_SHA3_384, "SHA3_384", "SHA3-384", 48, 192 },
	{ AGENT_HASH_SHA3_512, "SHA3_512", "SHA3-512", 64, 256 },
};

/** agent_algo_asym() - the signature algorithm of one BaseAsymAlgo bit */
const struct agent_asym_info *agent_algo_asym(uint32_t bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_asym_algos); i++)
		if (agent_asym_algos[i].bit == bit)
			return &agent_asym_algos[i];
	return NULL;
}

/** agent_algo_hash() - the hash algorithm of one BaseHashAlgo bit */
const struct agent_hash_info *agent_algo_hash(uint32_t bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_hash_algos); i++)
		if (agent_hash_algos[i].bit == bit)
			return &agent_hash_algos[i];
	return NULL;
}

/**
 * agent_algo_strength() - security strength of a negotiated pair in bits
 *
 * The weaker of signature and hash; 0 when either is unknown.
 */
unsigned int agent_algo_strength(uint32_t asym_bit, uint32_t hash_bit)
{
	const struct agent_asym_info *a = agent_algo_asym(asym_bit);
	const struct agent_hash_info *h = agent_algo_hash(hash_bit);

	if (!a || !h)
		return 0;
	return a->strength < h->strength ? a->strength : h->strength;
}

/**
 * agent_algo_md() - the OpenSSL digest of a hash algorithm, fetched once
 *
 * OpenSSL 3 looks a digest up by name on every implicit use; fetching it
 * once keeps that out of every decision. All are fetched at the first call,
 * once, so the validating threads may call this concurrently.
 */
static EVP_MD *agent_mds[ARRAY_SIZE(agent_hash_algos)];

static void agent_algo_md_fetch(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_hash_algos); i++)
		agent_mds[i] = EVP_MD_fetch(NULL, agent_hash_algos[i].ossl_name, NULL);
}

const EVP_MD *agent_algo_md(const struct agent_hash_info *h)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i = (size_t)(h - agent_hash_algos);

	if (i >= ARRAY_SIZE(agent_hash_algos))
		return NULL;
	pthread_once(&once, agent_algo_md_fetch);
	return agent_mds[i];
}
