// SPDX-License-Identifier: GPL-2.0
/*
 * Names of BaseAsymAlgo and BaseHashAlgo bits (DSP0274 1.3.0 Table 15),
 * for messages that say what was offered and what came back.
 */

#include "spdm-internal.h"

static const char * const spdm_asym_bit_names[] = {
	"RSASSA_2048", "RSAPSS_2048", "RSASSA_3072", "RSAPSS_3072",
	"ECDSA_P256", "RSASSA_4096", "RSAPSS_4096", "ECDSA_P384",
	"ECDSA_P521", "SM2_P256", "EdDSA_25519", "EdDSA_448",
};

static const char * const spdm_hash_bit_names[] = {
	"SHA_256", "SHA_384", "SHA_512", "SHA3_256", "SHA3_384", "SHA3_512",
	"SM3_256",
};

static void spdm_mask_names(u32 mask, const char * const *names,
			    unsigned int n_names, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;
	int w;

	buf[0] = '\0';
	for (i = 0; i < 32 && used < size; i++) {
		if (!(mask & BIT(i)))
			continue;
		if (i < n_names)
			w = snprintf(buf + used, size - used, "%s%s",
				     used ? "|" : "", names[i]);
		else
			w = snprintf(buf + used, size - used, "%sbit%u",
				     used ? "|" : "", i);
		if (w < 0)
			break;
		used += w;
	}
	if (!mask)
		snprintf(buf, size, "none");
}

/**
 * spdm_asym_names() - "RSAPSS_3072|ECDSA_P256"-style names of a mask
 * @mask: BaseAsymAlgo bits
 * @buf: where the names go, always terminated (cut when too small)
 * @size: its size, at least 1
 */
void spdm_asym_names(u32 mask, char *buf, size_t size)
{
	spdm_mask_names(mask, spdm_asym_bit_names,
			ARRAY_SIZE(spdm_asym_bit_names), buf, size);
}

/**
 * spdm_hash_names() - "SHA_256|SHA_384"-style names of a mask
 * @mask: BaseHashAlgo bits
 * @buf: where the names go, always terminated (cut when too small)
 * @size: its size, at least 1
 */
void spdm_hash_names(u32 mask, char *buf, size_t size)
{
	spdm_mask_names(mask, spdm_hash_bit_names,
			ARRAY_SIZE(spdm_hash_bit_names), buf, size);
}
