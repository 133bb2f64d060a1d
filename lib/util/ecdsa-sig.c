// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM carries an ECDSA signature as r‖s, each big-endian and as long as
 * the curve's field (DSP0274 1.3.0 §15); OpenSSL signs
 * and verifies the X9.62 DER form, SEQUENCE { INTEGER r, INTEGER s }.
 */
#include <errno.h>
#include <limits.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "spdm-util.h"

/**
 * spdm_ecdsa_raw_to_der() - r‖s as OpenSSL verifies it
 * @raw: r‖s, halves of equal length
 * @len: its length (even, not 0)
 * @der: the DER, allocated (OPENSSL_free() it)
 * @der_len: its length
 *
 * Return: 0, -EINVAL for an odd or empty @raw, -ENOMEM.
 */
int spdm_ecdsa_raw_to_der(const uint8_t *raw, size_t len, uint8_t **der,
			  size_t *der_len)
{
	int half = (int)(len / 2), n;
	ECDSA_SIG *sig;
	BIGNUM *r, *s;

	*der = NULL;
	if (!len || len % 2 || len > INT_MAX)
		return -EINVAL;
	sig = ECDSA_SIG_new();
	r = BN_bin2bn(raw, half, NULL);
	s = BN_bin2bn(raw + half, half, NULL);
	if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return -ENOMEM;
	}
	n = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return -ENOMEM;
	*der_len = (size_t)n;
	return 0;
}

/**
 * spdm_ecdsa_der_to_raw() - a DER signature as SPDM sends it
 * @der: X9.62 DER
 * @der_len: its length
 * @raw: where r‖s go, each left-padded with zeros to @len / 2
 * @len: the raw signature's length (twice the field size)
 *
 * Return: 0, -EINVAL when @der is not exactly one signature or r or s does
 * not fit half of @len.
 */
int spdm_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw,
			  size_t len)
{
	const unsigned char *p = der;
	int half = (int)(len / 2), ret = -EINVAL;
	ECDSA_SIG *sig;

	if (!len || len % 2 || len > INT_MAX || der_len > LONG_MAX)
		return -EINVAL;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig)
		return -EINVAL;
	if (p == der + der_len &&
	    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, half) == half &&
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + half, half) == half)
		ret = 0;
	ECDSA_SIG_free(sig);
	return ret;
}
