// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate chain: split the SPDM chain a device sent into certificates
 * and verify it against the trust store with OpenSSL.
 */
#include <errno.h>
#include <string.h>

#include <openssl/err.h>

#include "agent.h"

/* DSP0274 1.2.1 §10.6.1 Table 28: Length (2), Reserved (2), RootHash (H) */
#define AGENT_CHAIN_HDR	4

/**
 * agent_fingerprint() - SHA-256 of a certificate's DER encoding
 * @cert: the certificate
 * @out: the fingerprint
 *
 * Return: 0 or -ENOMEM.
 */
int agent_fingerprint(X509 *cert, uint8_t out[AGENT_SHA256_LEN])
{
	unsigned int n = AGENT_SHA256_LEN;

	return X509_digest(cert, EVP_sha256(), out, &n) ? 0 : -ENOMEM;
}

/**
 * agent_chain_split() - parse an SPDM certificate chain
 * @chain: the chain as fetched, SPDM header included
 * @len: its length
 * @hash_alg: negotiated BaseHashAlgo bit (size of RootHash)
 * @certs: the certificates, root first, leaf last
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -EIO when the chain is shorter than its header or its header's
 * Length disagrees with what was fetched; -EBADMSG for a malformed
 * certificate; -EKEYREJECTED when RootHash is not the hash of the first
 * certificate; -EPROTONOSUPPORT for an unknown hash.
 */
int agent_chain_split(const uint8_t *chain, size_t len, uint32_t hash_alg,
		      STACK_OF(X509) **certs, char *err, size_t errlen)
{
	const struct agent_hash_info *h = agent_algo_hash(hash_alg);
	uint8_t md[EVP_MAX_MD_SIZE];
	const uint8_t *p, *first;
	size_t off, first_len = 0;
	int ret;

	if (!h) {
		snprintf(err, errlen, "unknown hash algorithm 0x%x", hash_alg);
		return -EPROTONOSUPPORT;
	}
	if (len < AGENT_CHAIN_HDR + h->len) {
		snprintf(err, errlen, "chain of %zu bytes is shorter than its header",
			 len);
		return -EIO;
	}
	if ((size_t)(chain[0] | chain[1] << 8) != len) {
		snprintf(err, errlen, "chain header says %u bytes, %zu fetched",
			 chain[0] | chain[1] << 8, len);
		return -EIO;
	}
	*certs = sk_X509_new_null();
	if (!*certs)
		return -ENOMEM;
	off = AGENT_CHAIN_HDR + h->len;
	first = chain + off;
	while (off < len) {
		X509 *cert;

		p = chain + off;
		cert = spdm_cert_cache_parse_next(&p, len - off);
		if (!cert) {
			ERR_clear_error();
			snprintf(err, errlen, "malformed certificate at offset %zu",
				 off);
			ret = -EBADMSG;
			goto out_free;
		}
		if (!sk_X509_push(*certs, cert)) {
			X509_free(cert);
			ret = -ENOMEM;
			goto out_free;
		}
		if (!first_len)
			first_len = (size_t)(p - first);
		off = (size_t)(p - chain);
	}
	if (!first_len) {
		snprintf(err, errlen, "chain holds no certificate");
		ret = -EBADMSG;
		goto out_free;
	}
	if (!EVP_Digest(first, first_len, md, NULL,
			agent_algo_md(h), NULL)) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (memcmp(md, chain + AGENT_CHAIN_HDR, h->len)) {
		snprintf(err, errlen, "RootHash does not match the first certificate");
		ret = -EKEYREJECTED;
		goto out_free;
	}
	return 0;

out_free:
	sk_X509_pop_free(*certs, X509_free);
	*certs = NULL;
	return ret;
}

struct agent_time_check {
	enum agent_time_mode mode;
	struct agent_validation *val;
};

static bool agent_is_time_error(int e)
{
	return e == X509_V_ERR_CERT_NOT_YET_VALID ||
	       e == X509_V_ERR_CERT_HAS_EXPIRED ||
	       e == X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD ||
	       e == X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
}

/*
 * In warn mode lifetimes are reported but do not fail the chain; CRL
 * findings go to agent_revocation_verify_cb().
 */
static int agent_verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct agent_time_check *tc = X509_STORE_CTX_get_app_data(ctx);
	int e = X509_STORE_CTX_get_error(ctx);
	int crl = agent_revocation_verify_cb(ok, ctx, tc->val);

	if (crl >= 0)
		return crl;
	if (ok || tc->mode != AGENT_TIME_WARN || !agent_is_time_error(e))
		return ok;
	if (!tc->val->time_warning)
		snprintf(tc->val->time_error, sizeof(tc->val->time_error),
			 "depth %d: %s", X509_STORE_CTX_get_error_depth(ctx),
			 X509_verify_cert_error_string(e));
	tc->val->time_warning = true;
	return 1;
}

/**
 * agent_chain_verify() - verify certificates against the trust store
 * @trust: the trust store
 * @time: how certificate lifetimes count (and CRL lifetimes)
 * @rev: whether CRLs are checked and how their findings count
 * @certs: root first, leaf last (as agent_chain_split() gives them)
 * @val: chain_result, chain_error, anchor, time_*, revoked,
 *	revocation_error and root_fp are set
 *
 * Return: 0 or -EKEYREJECTED.
 */
int agent_chain_verify(struct agent_trust *trust, enum agent_time_mode time,
		       enum agent_revocation_mode rev, STACK_OF(X509) *certs,
		       struct agent_validation *val)
{
	struct agent_time_check tc = { .mode = time, .val = val };
	X509 *leaf = sk_X509_value(certs, sk_X509_num(certs) - 1);
	STACK_OF(X509) *untrusted, *verified;
	X509_STORE_CTX *ctx;
	const char *anchor;
	X509 *top;
	int ret = -EKEYREJECTED;

	untrusted = sk_X509_dup(certs);
	ctx = X509_STORE_CTX_new();
	if (!untrusted || !ctx ||
	    !X509_STORE_CTX_init(ctx, trust->store, leaf, untrusted)) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (time == AGENT_TIME_IGNORE)
		X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
					    X509_V_FLAG_NO_CHECK_TIME);
	if (agent_revocation_verify_flags(rev))
		X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
					    agent_revocation_verify_flags(rev));
	agent_revocation_start(rev, val);
	X509_STORE_CTX_set_app_data(ctx, &tc);
	X509_STORE_CTX_set_verify_cb(ctx, agent_verify_cb);
	if (X509_verify_cert(ctx) != 1) {
		int e = X509_STORE_CTX_get_error(ctx);

		snprintf(val->chain_error, sizeof(val->chain_error),
			 "depth %d: %s", X509_STORE_CTX_get_error_depth(ctx),
			 X509_verify_cert_error_string(e));
		ERR_clear_error();
		goto out_free;
	}
	if (agent_revocation_fails(rev, val)) {
		snprintf(val->chain_error, sizeof(val->chain_error),
			 "revocation enforce: %s", val->revocation_error);
		goto out_free;
	}
	verified = X509_STORE_CTX_get0_chain(ctx);
	/*
	 * DSP0274 1.2.1 §10.6.1: each certificate is signed by the one before
	 * it. OpenSSL builds a path from the pool in any order, so check the
	 * path it verified is the chain as presented, leaf upwards.
	 */
	for (int j = 0; j < sk_X509_num(verified) && j < sk_X509_num(certs); j++) {
		if (X509_cmp(sk_X509_value(verified, j),
			     sk_X509_value(certs, sk_X509_num(certs) - 1 - j))) {
			snprintf(val->chain_error, sizeof(val->chain_error),
				 "chain out of order at certificate %d (root is 1)",
				 sk_X509_num(certs) - j);
			goto out_free;
		}
	}
	top = sk_X509_value(verified, sk_X509_num(verified) - 1);
	anchor = agent_trust_anchor_of(trust, top);
	if (!anchor) {
		snprintf(val->chain_error, sizeof(val->chain_error),
			 "chain ends outside the trust store");
		goto out_free;
	}
	snprintf(val->anchor, sizeof(val->anchor), "%s", anchor);
	val->have_root_fp = !agent_fingerprint(top, val->root_fp);
	ret = 0;
out_free:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	agent_revocation_finish(rev, !ret, val);
	val->chain_result = ret;
	return ret;
}
