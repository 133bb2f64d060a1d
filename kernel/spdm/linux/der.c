// SPDX-License-Identifier: GPL-2.0
/*
 * The little DER the kernel environment needs itself: encoding an SPDM raw
 * ECDSA signature (r‖s) as the X9.62 structure the kernel verifies, and
 * finding out whether a certificate carries keyUsage, which the kernel's
 * parser does not report. Input is hostile: every length is checked against
 * what is left before use.
 */
#include <linux/asn1.h>
#include <linux/export.h>
#include <linux/limits.h>

#include "env-linux.h"

/* id-ce-keyUsage, 2.5.29.15 (RFC 5280 §4.2.1.3), OID content octets */
static const u8 oid_key_usage[] = { 0x55, 0x1d, 0x0f };

/* INTEGER from an unsigned big-endian value; @out has room for n + 3. */
static size_t der_put_uint(u8 *out, const u8 *be, size_t n)
{
	size_t pad;

	while (n > 1 && be[0] == 0) {
		be++;
		n--;
	}
	pad = be[0] & 0x80 ? 1 : 0;	/* keep it non-negative */
	out[0] = ASN1_INT;
	out[1] = n + pad;
	out[2] = 0;
	memcpy(out + 2 + pad, be, n);
	return 2 + pad + n;
}

/**
 * spdm_der_ecdsa_sig() - encode a raw ECDSA signature as X9.62 DER
 * @raw: r‖s, both big-endian and of equal length (DSP0274 §15 signatures)
 * @raw_len: length of @raw
 * @out: Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279)
 * @out_size: size of @out, SPDM_ECDSA_DER_MAX suffices for every curve
 *
 * Return: the DER length, or -EINVAL for a @raw_len no curve has or an
 * @out too small.
 */
int spdm_der_ecdsa_sig(const u8 *raw, size_t raw_len, u8 *out, size_t out_size)
{
	u8 body[2 * (3 + SPDM_ECDSA_MAX_COORD)];
	size_t half = raw_len / 2, body_len, hdr_len;

	if (!raw_len || raw_len % 2 || half > SPDM_ECDSA_MAX_COORD)
		return -EINVAL;

	body_len = der_put_uint(body, raw, half);
	body_len += der_put_uint(body + body_len, raw + half, half);
	hdr_len = body_len < 0x80 ? 2 : 3;
	if (out_size < hdr_len + body_len)
		return -EINVAL;

	out[0] = ASN1_CONS_BIT | ASN1_SEQ;
	if (hdr_len == 2) {
		out[1] = body_len;
	} else {
		out[1] = 0x81;
		out[2] = body_len;
	}
	memcpy(out + hdr_len, body, body_len);
	return hdr_len + body_len;
}
EXPORT_SYMBOL_NS_GPL(spdm_der_ecdsa_sig, SPDM_ENV_SELFTEST);

struct der_cursor {
	const u8 *p;
	const u8 *end;
};

/*
 * Take the next element (low tag numbers, definite lengths up to four
 * octets) from @c into @val; @c moves past it.
 */
static int der_next(struct der_cursor *c, u8 *tag, struct der_cursor *val)
{
	size_t left = c->end - c->p, len, n, i;
	const u8 *p = c->p;

	if (left < 2 || (p[0] & 0x1f) == 0x1f)
		return -EBADMSG;
	*tag = p[0];
	len = p[1];
	p += 2;
	left -= 2;
	if (len & 0x80) {
		n = len & 0x7f;
		if (!n || n > 4 || n > left)
			return -EBADMSG;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[i];
		p += n;
		left -= n;
	}
	if (len > left)
		return -EBADMSG;
	val->p = p;
	val->end = p + len;
	c->p = val->end;
	return 0;
}

static int der_enter(struct der_cursor *c, u8 want, struct der_cursor *val)
{
	u8 tag;
	int ret = der_next(c, &tag, val);

	if (ret)
		return ret;
	return tag == want ? 0 : -EBADMSG;
}

/* Scan Extensions ::= SEQUENCE OF Extension (RFC 5280 §4.1) for keyUsage. */
static int der_scan_extensions(struct der_cursor exts, bool *has_key_usage)
{
	struct der_cursor list, ext, oid;
	int ret;

	ret = der_enter(&exts, ASN1_CONS_BIT | ASN1_SEQ, &list);
	if (ret)
		return ret;
	while (list.p < list.end) {
		ret = der_enter(&list, ASN1_CONS_BIT | ASN1_SEQ, &ext);
		if (ret)
			return ret;
		ret = der_enter(&ext, ASN1_OID, &oid);
		if (ret)
			return ret;
		if (oid.end - oid.p == sizeof(oid_key_usage) &&
		    !memcmp(oid.p, oid_key_usage, sizeof(oid_key_usage)))
			*has_key_usage = true;
	}
	return 0;
}

/**
 * spdm_der_cert_scan() - check a certificate's outer framing, find keyUsage
 * @der: the certificate
 * @len: its length, which must be exactly that of the outer SEQUENCE
 * @has_key_usage: set when the keyUsage extension is present
 *
 * The kernel's X.509 parser does the real parsing; this only adds what it
 * does not tell: trailing bytes after the certificate and whether keyUsage
 * is present at all (its absence allows every usage, RFC 5280 §4.2.1.3).
 *
 * Return: 0, or -EBADMSG.
 */
int spdm_der_cert_scan(const u8 *der, size_t len, bool *has_key_usage)
{
	struct der_cursor all = { der, der + len }, cert, tbs, field;
	u8 tag;
	int ret;

	*has_key_usage = false;
	ret = der_enter(&all, ASN1_CONS_BIT | ASN1_SEQ, &cert);
	if (ret || all.p != all.end)
		return -EBADMSG;
	ret = der_enter(&cert, ASN1_CONS_BIT | ASN1_SEQ, &tbs);
	if (ret)
		return ret;
	while (tbs.p < tbs.end) {
		ret = der_next(&tbs, &tag, &field);
		if (ret)
			return ret;
		/* extensions [3] EXPLICIT, RFC 5280 §4.1 */
		if (tag == (ASN1_CONT << 6 | ASN1_CONS_BIT | 3))
			return der_scan_extensions(field, has_key_usage);
	}
	return 0;
}

/**
 * spdm_der_rsa_modulus_bits() - size of an RSA public key's modulus
 * @key: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
 *       (RFC 8017 §A.1.1), as the kernel's X.509 parser keeps an RSA key
 * @len: its length
 *
 * RSASSA-PSS needs the exact bit length (emBits = modBits − 1), which the
 * "rsa" akcipher does not report (its maxsize is in bytes).
 *
 * Return: the number of bits, or -EBADMSG for a malformed or negative
 * modulus.
 */
int spdm_der_rsa_modulus_bits(const u8 *key, size_t len)
{
	struct der_cursor all = { key, key + len }, seq, n;
	int ret, top;

	ret = der_enter(&all, ASN1_CONS_BIT | ASN1_SEQ, &seq);
	if (ret)
		return ret;
	ret = der_enter(&seq, ASN1_INT, &n);
	if (ret || n.p == n.end || (n.p[0] & 0x80))
		return -EBADMSG;
	/* a positive INTEGER's one sign octet */
	while (n.p < n.end && !n.p[0])
		n.p++;
	if (n.p == n.end || n.end - n.p > 2048)
		return -EBADMSG;
	for (top = 0; n.p[0] >> top; top++)
		;
	return (int)(8 * (n.end - n.p - 1)) + top;
}
EXPORT_SYMBOL_NS_GPL(spdm_der_rsa_modulus_bits, SPDM_ENV_SELFTEST);
