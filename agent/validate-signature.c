// SPDX-License-Identifier: GPL-2.0
/*
 * Re-verify a responder's signatures (CHALLENGE_AUTH, and MEASUREMENTS
 * through validate-measurements.c) from the evidence alone, with the leaf
 * key of the verified chain: the agent does not take the kernel's word.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "agent.h"

/*
 * DSP0274 1.2.1 §15: combined SPDM prefix = 4 × "dmtf-spdm-v1.x.*" (64 bytes)
 * and the signing context right-aligned in 36 zero-padded bytes.
 */
#define AGENT_PREFIX_LEN	64
#define AGENT_CONTEXT_LEN	36
#define AGENT_CHALLENGE_CONTEXT	"responder-challenge_auth signing"

/*
 * The message the responder signed over @data: SPDM 1.0 and 1.1 sign @data
 * itself; 1.2 and later sign the combined prefix with @context followed by
 * the hash of @data (DSP0274 1.2.1 §15).
 */
static int agent_signed_message(const struct agent_evidence *ev,
				const char *context, const uint8_t *data,
				size_t data_len, uint8_t **msg, size_t *msg_len)
{
	const struct agent_hash_info *h = agent_algo_hash(ev->base_hash_alg);
	size_t ctx_len = strlen(context);
	uint8_t *m;

	if (ev->version < 0x12) {
		m = malloc(data_len ? data_len : 1);
		if (!m)
			return -ENOMEM;
		memcpy(m, data, data_len);
		*msg = m;
		*msg_len = data_len;
		return 0;
	}
	if (!h || ev->version >> 4 != 1 || (ev->version & 0xf) > 9)
		return -EPROTONOSUPPORT;
	*msg_len = AGENT_PREFIX_LEN + AGENT_CONTEXT_LEN + h->len;
	m = calloc(1, *msg_len);
	if (!m)
		return -ENOMEM;
	for (int i = 0; i < 4; i++) {
		char ver[20];

		snprintf(ver, sizeof(ver), "dmtf-spdm-v%u.%u.*",
			 ev->version >> 4, ev->version & 0xf);
		memcpy(m + 16 * i, ver, 16);
	}
	memcpy(m + AGENT_PREFIX_LEN + AGENT_CONTEXT_LEN - ctx_len, context,
	       ctx_len);
	if (!EVP_Digest(data, data_len, m + AGENT_PREFIX_LEN + AGENT_CONTEXT_LEN,
			NULL, agent_algo_md(h), NULL)) {
		free(m);
		return -ENOMEM;
	}
	*msg = m;
	return 0;
}

/**
 * agent_signature_message() - the message CHALLENGE_AUTH signed
 * @ev: evidence (version, hash algorithm, transcript)
 * @msg: allocated message
 * @msg_len: its length
 *
 * Return: 0, -EPROTONOSUPPORT for an unknown hash, -ENOMEM.
 */
int agent_signature_message(const struct agent_evidence *ev, uint8_t **msg,
			    size_t *msg_len)
{
	return agent_signed_message(ev, AGENT_CHALLENGE_CONTEXT, ev->transcript,
				    ev->transcript_len, msg, msg_len);
}

static bool agent_key_fits(EVP_PKEY *key, const struct agent_asym_info *a)
{
	char group[64];

	if (EVP_PKEY_get_base_id(key) != a->pkey_type)
		return false;
	if (a->pkey_type == EVP_PKEY_RSA)
		return EVP_PKEY_get_bits(key) == (int)a->key_bits;
	if (a->pkey_type == EVP_PKEY_EC)
		return EVP_PKEY_get_utf8_string_param(key,
				OSSL_PKEY_PARAM_GROUP_NAME, group,
				sizeof(group), NULL) &&
		       OBJ_txt2nid(group) == a->curve_nid;
	return true;
}

static bool agent_nonce_inside(size_t off, size_t len)
{
	return off <= len && len - off >= AGENT_NONCE_LEN;
}

/**
 * agent_signature_check() - verify a responder's signature over @data
 * @ev: evidence (version and negotiated algorithms)
 * @leaf_key: public key of the leaf certificate of the slot used
 * @context: the 1.2+ signing context (DSP0274 1.2.1 §15)
 * @data: the transcript the signature covers
 * @data_len: its length
 * @sig: the signature as sent (raw r‖s for ECDSA)
 * @sig_len: its length
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -EIO when the signature length does not fit the algorithm;
 * -EPROTONOSUPPORT for an algorithm the agent cannot verify;
 * -EKEYREJECTED when the leaf key is not of the negotiated algorithm or the
 * signature does not verify; -ENOMEM.
 */
int agent_signature_check(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
			  const char *context, const uint8_t *data,
			  size_t data_len, const uint8_t *sig, size_t sig_len,
			  char *err, size_t errlen)
{
	const struct agent_asym_info *a = agent_algo_asym(ev->base_asym_alg);
	const struct agent_hash_info *h = agent_algo_hash(ev->base_hash_alg);
	uint8_t *msg = NULL, *der = NULL;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx;
	size_t msg_len;
	int ret;

	if (!a || !h) {
		snprintf(err, errlen, "cannot verify algorithm asym 0x%x hash 0x%x",
			 ev->base_asym_alg, ev->base_hash_alg);
		return -EPROTONOSUPPORT;
	}
	if (sig_len != a->sig_len) {
		snprintf(err, errlen, "signature of %zu bytes, %s needs %zu",
			 sig_len, a->name, a->sig_len);
		return -EIO;
	}
	if (!leaf_key || !agent_key_fits(leaf_key, a)) {
		snprintf(err, errlen, "leaf key is not %s", a->name);
		return -EKEYREJECTED;
	}
	ret = agent_signed_message(ev, context, data, data_len, &msg, &msg_len);
	if (ret)
		return ret;
	if (a->pkey_type == EVP_PKEY_EC) {
		/* SPDM sends ECDSA as raw r‖s; OpenSSL verifies X9.62 DER. */
		ret = spdm_ecdsa_raw_to_der(sig, sig_len, &der, &sig_len);
		if (ret)
			goto out_free;
		sig = der;
	}
	md = EVP_MD_CTX_new();
	ret = -ENOMEM;
	if (!md)
		goto out_free;
	/* EdDSA signs the message itself (no pre-hash) */
	if (EVP_DigestVerifyInit(md, &pctx,
				 a->pkey_type == EVP_PKEY_ED25519 ||
				 a->pkey_type == EVP_PKEY_ED448 ? NULL :
				 agent_algo_md(h),
				 NULL, leaf_key) != 1)
		goto out_free;
	if (a->pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out_free;
	if (EVP_DigestVerify(md, sig, sig_len, msg, msg_len) == 1) {
		ret = 0;
	} else {
		snprintf(err, errlen, "signature does not verify with the leaf key");
		ret = -EKEYREJECTED;
	}
out_free:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	free(msg);
	return ret;
}

/**
 * agent_signature_verify() - verify CHALLENGE_AUTH's signature
 * @ev: evidence with transcript, signature, version and algorithms
 * @leaf_key: public key of the leaf certificate of the slot used
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -ENODATA without transcript or signature; -EIO when a nonce
 * offset does not fit; otherwise as agent_signature_check().
 */
int agent_signature_verify(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
			   char *err, size_t errlen)
{
	if (!ev->transcript || !ev->signature) {
		snprintf(err, errlen, "no transcript or signature in the evidence");
		return -ENODATA;
	}
	if (!agent_nonce_inside(ev->req_nonce_off, ev->transcript_len) ||
	    !agent_nonce_inside(ev->rsp_nonce_off, ev->transcript_len)) {
		snprintf(err, errlen, "nonce offset outside the transcript");
		return -EIO;
	}
	return agent_signature_check(ev, leaf_key, AGENT_CHALLENGE_CONTEXT,
				     ev->transcript, ev->transcript_len,
				     ev->signature, ev->signature_len, err,
				     errlen);
}
