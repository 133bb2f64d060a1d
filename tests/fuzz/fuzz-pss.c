// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the kernel environment's EMSA-PSS-VERIFY
 * (kernel/spdm/linux/emsa-pss.c), built in user space against the stand-in
 * headers of kshim/ and the OpenSSL environment's hashing. Differential:
 * on every encoded message of a full modulus length, its verdict must be
 * OpenSSL's (RSA_verify_PKCS1_PSS_mgf1, salt length = hash size, MGF1 with
 * the same hash); any other length must be refused.
 *
 * Input: hash choice, modulus choice (2048/3072/4096 bits), 64 bytes of
 * mHash (the first hLen used), then the encoded message.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA_verify_PKCS1_PSS_mgf1 */

#include <stdlib.h>
#include <string.h>

#include "env-linux.h"
#include "fuzz-pss.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static RSA *keys[3];
	const struct pss_choice *c;
	size_t em_len, have, bits;
	const u8 *m_hash;
	u8 *em;
	int ours, theirs;

	if (size < PSS_SEED_HEADER)
		return 0;
	c = pss_choice(data[0], data[1]);
	if (!keys[data[1] % 3])
		keys[data[1] % 3] = pss_modulus_only(c->bits);
	m_hash = data + 2;
	em_len = c->bits / 8;
	have = size - PSS_SEED_HEADER;

	/* an exact-size copy: a read past the end trips ASan */
	em = malloc(have ? have : 1);
	memcpy(em, data + PSS_SEED_HEADER, have);
	bits = c->bits - 1;
	ours = spdm_emsa_pss_verify(c->spdm_hash, m_hash, em, have, bits);
	if (have != em_len) {
		if (ours != -EKEYREJECTED)
			abort();
	} else {
		theirs = RSA_verify_PKCS1_PSS_mgf1(keys[data[1] % 3], m_hash, c->md(), c->md(),
						   em, RSA_PSS_SALTLEN_DIGEST);
		if ((ours == 0) != (theirs == 1) || (ours && ours != -EKEYREJECTED))
			abort();
	}
	/* emBits the EM length does not fit: refused, whatever the bytes */
	if (have && spdm_emsa_pss_verify(c->spdm_hash, m_hash, em, have,
					 8 * have + 1 + data[0] % 8) != -EKEYREJECTED)
		abort();
	free(em);
	return 0;
}
