/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fuzz-pss and its seed generator share: the meaning of the input's
 * first two bytes and an RSA key that only has a modulus of the right size
 * (all that RSA_verify_PKCS1_PSS_mgf1 and RSA_padding_add_PKCS1_PSS_mgf1
 * read of it).
 */
#ifndef _FUZZ_PSS_H_
#define _FUZZ_PSS_H_

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

/* hash choice, modulus choice, 64 bytes of mHash; the EM follows */
#define PSS_SEED_HEADER (2 + 64)

struct pss_choice {
	unsigned int bits;
	unsigned int spdm_hash;		/* BaseHashAlgo bit */
	const EVP_MD *(*md)(void);
};

static inline const struct pss_choice *pss_choice(unsigned char hash, unsigned char size)
{
	static struct pss_choice c;
	static const unsigned int bits[] = { 2048, 3072, 4096 };
	static const EVP_MD *(*const mds[])(void) = { EVP_sha256, EVP_sha384, EVP_sha512 };

	c.bits = bits[size % 3];
	c.spdm_hash = 1u << (hash % 3);
	c.md = mds[hash % 3];
	return &c;
}

/* n = 2^(bits-1) + 1, e = 65537: the modulus size is what counts here. */
static inline RSA *pss_modulus_only(unsigned int bits)
{
	RSA *rsa = RSA_new();
	BIGNUM *n = BN_new(), *e = BN_new();

	if (!rsa || !n || !e || !BN_set_bit(n, bits - 1) || !BN_add_word(n, 1) ||
	    !BN_set_word(e, 65537) || !RSA_set0_key(rsa, n, e, NULL))
		abort();
	return rsa;
}

#endif /* _FUZZ_PSS_H_ */
