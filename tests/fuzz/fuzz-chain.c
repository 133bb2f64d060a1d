// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for certificate chain validation: the chain header,
 * the bounded DER splitting and the X.509 checks. Byte 0 picks the hash;
 * the digest DIGESTS would have reported is computed over the input so
 * that the fuzzer gets past the binding check into the parsing.
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz-state.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct spdm_env_cert *leaf = NULL;
	u8 *chain;
	size_t len;

	if (size < 1 + sizeof(struct spdm_chain_header) || size > 1 + SPDM_MAX_CHAIN)
		return 0;
	st->base_hash = BIT(data[0] % 3);
	st->hash_len = spdm_env_hash_size(st->base_hash);
	len = size - 1;
	chain = malloc(len);
	memcpy(chain, data + 1, len);
	spdm_env_hash_oneshot(st->base_hash, chain, len, st->slots[0].digest);
	st->slots[0].digest_alg = st->base_hash;
	if (!spdm_chain_validate(st, 0, chain, len, &leaf))
		spdm_env_cert_free(leaf);
	free(chain);
	return 0;
}
