// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the kernel environment's own DER code
 * (kernel/spdm/linux/der.c), built in user space against the stand-in
 * headers of kshim/. The input is both a certificate for
 * spdm_der_cert_scan() and a raw ECDSA signature for spdm_der_ecdsa_sig(),
 * whose encoding OpenSSL must decode back to the same r and s.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

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

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *copy = malloc(size ? size : 1);
	bool has_key_usage;

	/* an exact-size copy: a read past the end trips ASan */
	memcpy(copy, data, size);
	spdm_der_cert_scan(copy, size, &has_key_usage);
	check_ecdsa(copy, size);
	free(copy);
	return 0;
}
