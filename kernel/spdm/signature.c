// SPDX-License-Identifier: GPL-2.0
/*
 * What a responder signs and how it is checked: signature sizes per
 * BaseAsymAlgo, the SPDM 1.0/1.1 rule (the transcript itself) and the
 * SPDM 1.2+ combined prefix (DSP0274 1.2.0 §15 "Signature generation").
 */

#include "spdm-internal.h"

/**
 * spdm_asym_sig_len() - size of a signature sent with @base_asym
 * @base_asym: one BaseAsymAlgo bit
 *
 * DSP0274 1.3.0 Table 15: RSA signatures are the modulus size, ECDSA
 * signatures are r || s, each the size of the curve's field.
 *
 * Return: bytes, 0 for an unknown algorithm.
 */
size_t spdm_asym_sig_len(u32 base_asym)
{
	switch (base_asym) {
	case SPDM_ASYM_RSASSA_2048:
	case SPDM_ASYM_RSAPSS_2048:
		return 256;
	case SPDM_ASYM_RSASSA_3072:
	case SPDM_ASYM_RSAPSS_3072:
		return 384;
	case SPDM_ASYM_RSASSA_4096:
	case SPDM_ASYM_RSAPSS_4096:
		return 512;
	case SPDM_ASYM_ECDSA_P256:
		return 2 * 32;
	case SPDM_ASYM_ECDSA_P384:
		return 2 * 48;
	case SPDM_ASYM_ECDSA_P521:
		return 2 * 66;
	default:
		return 0;
	}
}

/**
 * spdm_build_prefix() - the combined SPDM prefix of a 1.2+ signature
 * @version: negotiated version, 0x12 or later
 * @context: signing context string, e.g. SPDM_CONTEXT_CHALLENGE_AUTH
 * @context_len: its length, at most SPDM_PREFIX_CONTEXT_LEN
 * @prefix: SPDM_PREFIX_LEN bytes out
 *
 * DSP0274 1.2.0 §15: "dmtf-spdm-v1.2.*" four times, then zero bytes,
 * then the context string, 100 bytes in all.
 *
 * Return: 0, or -EINVAL for a context string that does not fit.
 */
int spdm_build_prefix(u8 version, const char *context, size_t context_len,
		      u8 *prefix)
{
	static const char tmpl[SPDM_PREFIX_VERSION_LEN + 1] = "dmtf-spdm-v1.x.*";
	size_t pad;
	int i;

	if (context_len > SPDM_PREFIX_CONTEXT_LEN)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		u8 *p = prefix + i * SPDM_PREFIX_VERSION_LEN;

		memcpy(p, tmpl, SPDM_PREFIX_VERSION_LEN);
		p[11] = '0' + (version >> 4);
		p[13] = '0' + (version & 0xf);
	}
	pad = SPDM_PREFIX_CONTEXT_LEN - context_len;
	memset(prefix + 4 * SPDM_PREFIX_VERSION_LEN, 0, pad);
	memcpy(prefix + 4 * SPDM_PREFIX_VERSION_LEN + pad, context, context_len);
	return 0;
}

/**
 * spdm_verify_transcript() - check a responder's signature over a transcript
 * @leaf: leaf certificate holding the responder's public key
 * @version: negotiated version
 * @base_asym: negotiated BaseAsymAlgo
 * @base_hash: negotiated BaseHashAlgo
 * @context: 1.2+ signing context string
 * @context_len: its length
 * @transcript: M1/M2 or L1/L2, without the signature
 * @len: its length
 * @sig: the signature as sent
 * @sig_len: its length
 *
 * Before 1.2 the signature covers the transcript itself; from 1.2 on it
 * covers the combined prefix followed by the transcript's hash.
 *
 * Return: 0, -EKEYREJECTED, or an environment errno.
 */
int spdm_verify_transcript(const struct spdm_env_cert *leaf, u8 version,
			   u32 base_asym, u32 base_hash, const char *context,
			   size_t context_len, const u8 *transcript, size_t len,
			   const u8 *sig, size_t sig_len)
{
	u8 msg[SPDM_PREFIX_LEN + SPDM_MAX_HASH];
	size_t hash_len = spdm_env_hash_size(base_hash);
	int rc;

	if (version < SPDM_VER_12)
		return spdm_env_verify(leaf, base_asym, base_hash, transcript,
				       len, sig, sig_len);

	if (!hash_len || hash_len > SPDM_MAX_HASH)
		return -EPROTONOSUPPORT;
	rc = spdm_build_prefix(version, context, context_len, msg);
	if (rc)
		return rc;
	rc = spdm_env_hash_oneshot(base_hash, transcript, len,
				   msg + SPDM_PREFIX_LEN);
	if (rc)
		return rc;
	return spdm_env_verify(leaf, base_asym, base_hash, msg,
			       SPDM_PREFIX_LEN + hash_len, sig, sig_len);
}
