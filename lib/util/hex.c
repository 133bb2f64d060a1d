// SPDX-License-Identifier: GPL-2.0
/*
 * Hex of fingerprints, nonces and measurement values, on OpenSSL's
 * encoder and decoder. Written lower-case (as sha256sum and openssl
 * x509 -fingerprint -sha256 | tr print them, and as policies are written).
 */
#include <ctype.h>
#include <errno.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "spdm-util.h"

/**
 * spdm_hex() - lower-case hex of @n bytes, NUL-terminated
 * @b: the bytes
 * @n: how many
 * @out: at least 2 * @n + 1 bytes
 * @out_size: its size
 *
 * Return: 0, or -ENOSPC when @out is too small (it holds "" then).
 */
int spdm_hex(const uint8_t *b, size_t n, char *out, size_t out_size)
{
	size_t len;

	if (!out_size)
		return -ENOSPC;
	out[0] = '\0';
	if (!n)
		return 0;
	if (!OPENSSL_buf2hexstr_ex(out, out_size, &len, b, n, '\0')) {
		ERR_clear_error();
		return -ENOSPC;
	}
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

/**
 * spdm_unhex() - decode hex digits, ':' allowed between bytes
 * @s: NUL-terminated text
 * @out: destination
 * @max: its size
 * @len: number of bytes decoded
 *
 * Return: 0, or -EINVAL on a bad digit, an odd count or more than @max bytes.
 */
int spdm_unhex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	if (*s == ':')
		return -EINVAL;
	if (!*s) {
		*len = 0;
		return 0;
	}
	if (!OPENSSL_hexstr2buf_ex(out, max, len, s, ':')) {
		ERR_clear_error();
		return -EINVAL;
	}
	return 0;
}
