// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the kernel environment's own DER code
 * (kernel/spdm/linux/der.c), built in user space against the stand-in
 * headers of kshim/. The input is both a certificate for
 * spdm_der_cert_scan(), a raw ECDSA signature for spdm_der_ecdsa_sig(),
 * whose encoding OpenSSL must decode back to the same r and s, and an
 * RSAPublicKey for spdm_der_rsa_modulus_bits(), whose answer must be
 * OpenSSL's wherever both read a modulus.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* d2i_RSAPublicKey, RSA_bits */

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "env-linux.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* The DER OpenSSL decodes must hold the integers r‖s stood for. */
static void check_ecdsa(const u8 *raw, size_t raw_len)
{
	u8 der[SPDM_ECDSA_DER_MAX];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	BIGNUM *want_r, *want_s;
	ECDSA_SIG *sig;
	int len;

	len = spdm_der_ecdsa_sig(raw, raw_len, der, sizeof(der));
	if (len < 0)
		return;
	if ((size_t)len > sizeof(der))
		abort();
	sig = d2i_ECDSA_SIG(NULL, &p, len);
	if (!sig || p != der + len)
		abort();
	ECDSA_SIG_get0(sig, &r, &s);
	want_r = BN_bin2bn(raw, raw_len / 2, NULL);
	want_s = BN_bin2bn(raw + raw_len / 2, raw_len / 2, NULL);
	if (BN_cmp(r, want_r) || BN_cmp(s, want_s))
		abort();
	BN_free(want_r);
	BN_free(want_s);
	ECDSA_SIG_free(sig);
}

/* The modulus size der.c reads must be the one OpenSSL reads. */
static void check_rsa_bits(const u8 *der, size_t len)
{
	const unsigned char *p = der;
	int bits = spdm_der_rsa_modulus_bits(der, len);
	RSA *rsa;

	if (bits <= 0)
		return;
	if ((size_t)bits > 8 * len)
		abort();
	rsa = d2i_RSAPublicKey(NULL, &p, len);
	if (rsa && RSA_bits(rsa) != bits)
		abort();
	RSA_free(rsa);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *copy = malloc(size ? size : 1);
	bool has_key_usage;

	/* an exact-size copy: a read past the end trips ASan */
	memcpy(copy, data, size);
	spdm_der_cert_scan(copy, size, &has_key_usage);
	check_ecdsa(copy, size);
	check_rsa_bits(copy, size);
	free(copy);
	return 0;
}
