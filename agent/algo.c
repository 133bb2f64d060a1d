// SPDX-License-Identifier: GPL-2.0
/*
 * The SPDM algorithms the agent can re-verify, with their wire sizes and
 * security strengths (NIST SP 800-57 Part 1 Rev. 5 Table 2). Their names
 * are the kernel's (libspdm-util), filled in once.
 */
#include <pthread.h>

#include <openssl/obj_mac.h>

#include "agent.h"

/* DSP0274 1.2.1 §10.4 Table 15: BaseAsymAlgo; signature sizes Table 16 */
static struct agent_asym_info agent_asym_algos[] = {
	{ AGENT_ASYM_RSASSA_2048, EVP_PKEY_RSA, 0, NID_undef, 2048, 256, 112 },
	{ AGENT_ASYM_RSAPSS_2048, EVP_PKEY_RSA, 1, NID_undef, 2048, 256, 112 },
	{ AGENT_ASYM_RSASSA_3072, EVP_PKEY_RSA, 0, NID_undef, 3072, 384, 128 },
	{ AGENT_ASYM_RSAPSS_3072, EVP_PKEY_RSA, 1, NID_undef, 3072, 384, 128 },
	{ AGENT_ASYM_ECDSA_P256, EVP_PKEY_EC, 0, NID_X9_62_prime256v1, 256, 64, 128 },
	{ AGENT_ASYM_RSASSA_4096, EVP_PKEY_RSA, 0, NID_undef, 4096, 512, 152 },
	{ AGENT_ASYM_RSAPSS_4096, EVP_PKEY_RSA, 1, NID_undef, 4096, 512, 152 },
	{ AGENT_ASYM_ECDSA_P384, EVP_PKEY_EC, 0, NID_secp384r1, 384, 96, 192 },
	{ AGENT_ASYM_ECDSA_P521, EVP_PKEY_EC, 0, NID_secp521r1, 521, 132, 256 },
	{ AGENT_ASYM_EDDSA_25519, EVP_PKEY_ED25519, 0, NID_undef, 255, 64, 128 },
	{ AGENT_ASYM_EDDSA_448, EVP_PKEY_ED448, 0, NID_undef, 448, 114, 224 },
};

/* DSP0274 1.2.1 §10.4 Table 15: BaseHashAlgo */
static struct agent_hash_info agent_hash_algos[] = {
	{ AGENT_HASH_SHA256, "SHA256", 32, 128 },
	{ AGENT_HASH_SHA384, "SHA384", 48, 192 },
	{ AGENT_HASH_SHA512, "SHA512", 64, 256 },
	{ AGENT_HASH_SHA3_256, "SHA3-256", 32, 128 },
	{ AGENT_HASH_SHA3_384, "SHA3-384", 48, 192 },
	{ AGENT_HASH_SHA3_512, "SHA3-512", 64, 256 },
};

/*
 * Names and OpenSSL digests, once: OpenSSL 3 looks a digest up by name on
 * every implicit use, and fetching it once keeps that out of every
 * decision. Everything is done at the first lookup, once, so the
 * validating threads may look algorithms up concurrently.
 */
static EVP_MD *agent_mds[ARRAY_SIZE(agent_hash_algos)];

static void agent_algo_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_asym_algos); i++)
		spdm_asym_names(agent_asym_algos[i].bit, agent_asym_algos[i].name,
				sizeof(agent_asym_algos[i].name));
	for (size_t i = 0; i < ARRAY_SIZE(agent_hash_algos); i++) {
		spdm_hash_names(agent_hash_algos[i].bit, agent_hash_algos[i].name,
				sizeof(agent_hash_algos[i].name));
		agent_mds[i] = EVP_MD_fetch(NULL, agent_hash_algos[i].ossl_name, NULL);
	}
}

static pthread_once_t agent_algo_once = PTHREAD_ONCE_INIT;

/** agent_algo_asym() - the signature algorithm of one BaseAsymAlgo bit */
const struct agent_asym_info *agent_algo_asym(uint32_t bit)
{
	pthread_once(&agent_algo_once, agent_algo_init);
	for (size_t i = 0; i < ARRAY_SIZE(agent_asym_algos); i++)
		if (agent_asym_algos[i].bit == bit)
			return &agent_asym_algos[i];
	return NULL;
}

/** agent_algo_hash() - the hash algorithm of one BaseHashAlgo bit */
const struct agent_hash_info *agent_algo_hash(uint32_t bit)
{
	pthread_once(&agent_algo_once, agent_algo_init);
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

/** agent_algo_md() - the OpenSSL digest of a hash algorithm, fetched once */
const EVP_MD *agent_algo_md(const struct agent_hash_info *h)
{
	size_t i = (size_t)(h - agent_hash_algos);

	if (i >= ARRAY_SIZE(agent_hash_algos))
		return NULL;
	pthread_once(&agent_algo_once, agent_algo_init);
	return agent_mds[i];
}
