// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate chain checks (DSP0274 1.3.0 §10.7.1): the chain header
 * matches what was fetched, the chain matches its DIGESTS entry, RootHash
 * matches the first certificate, every certificate is signed by its
 * predecessor and the leaf obeys the SPDM leaf rules and those of the
 * slot's certificate model (cert-model.c). Trust anchoring is
 * not done here: the chain is kept for whoever decides trust.
 */

#include "spdm-internal.h"

#define DER_SEQUENCE 0x30

/**
 * spdm_der_cert_len() - length of the DER SEQUENCE at the start of @der
 * @der: bytes of the chain from one certificate on
 * @avail: bytes available at @der
 * @cert_len: the certificate's length, header included (out)
 *
 * Only definite lengths in up to three bytes are accepted (no certificate
 * of a 65535-byte chain needs more), in minimal form as DER demands.
 *
 * Return: 0, or -EBADMSG when no well-formed SEQUENCE fits in @avail.
 */
int spdm_der_cert_len(const u8 *der, size_t avail, size_t *cert_len)
{
	size_t hdr, body = 0, i, n;

	if (avail < 2 || der[0] != DER_SEQUENCE)
		return -EBADMSG;
	if (der[1] < 0x80) {
		hdr = 2;
		body = der[1];
	} else {
		n = der[1] & 0x7f;
		if (n < 1 || n > 3 || avail < 2 + n || !der[2])
			return -EBADMSG;
		for (i = 0; i < n; i++)
			body = body << 8 | der[2 + i];
		if (n == 1 && body < 0x80)
			return -EBADMSG;
		hdr = 2 + n;
	}
	if (body > avail - hdr)
		return -EBADMSG;
	*cert_len = hdr + body;
	return 0;
}

/* Split the certificates, check each against its predecessor. */
static int spdm_chain_walk(struct spdm_state *st, u8 slot, const u8 *chain,
			   size_t len, struct spdm_env_cert **leaf)
{
	size_t off = sizeof(struct spdm_chain_header) + st->hash_len, cert_len;
	size_t leaf_off = 0, leaf_len = 0;
	struct spdm_env_cert *prev = NULL, *cert = NULL;
	u8 digest[SPDM_MAX_HASH];
	unsigned int n = 0;
	int rc;

	if (off >= len) {
		spdm_err(st, "Slot %u chain holds no certificate\n", slot);
		return -EBADMSG;
	}
	for (; off < len; off += cert_len, n++) {
		rc = -EBADMSG;
		if (n == SPDM_MAX_CERTS ||
		    spdm_der_cert_len(chain + off, len - off, &cert_len) ||
		    spdm_env_cert_parse(chain + off, cert_len, &cert)) {
			spdm_err(st, "Malformed certificate at slot %u offset %zu\n",
				 slot, off);
			goto out;
		}
		if (!prev) {
			rc = spdm_env_hash_oneshot(st->base_hash, chain + off,
						   cert_len, digest);
			if (rc)
				goto out;
			if (memcmp(digest, chain + sizeof(struct spdm_chain_header),
				   st->hash_len)) {
				spdm_err(st, "Slot %u RootHash does not match\n", slot);
				rc = -EKEYREJECTED;
				goto out;
			}
		} else {
			rc = spdm_env_cert_verify_issued_by(cert, prev);
			if (rc) {
				spdm_err(st, "Slot %u certificate %u not issued by its predecessor (signature, or a predecessor that is no CA)\n",
					 slot, n);
				goto out;
			}
		}
		spdm_env_cert_free(prev);
		prev = cert;
		cert = NULL;
		leaf_off = off;
		leaf_len = cert_len;
	}
	rc = spdm_env_cert_check_leaf(prev);
	if (rc) {
		spdm_err(st, "Slot %u leaf certificate violates SPDM rules\n", slot);
		goto out;
	}
	rc = spdm_cert_model_check(st, slot, st->slots[slot].cert_model,
				   chain + leaf_off, leaf_len);
	if (rc)
		goto out;
	*leaf = prev;
	return 0;

out:
	spdm_env_cert_free(cert);
	spdm_env_cert_free(prev);
	return rc;
}

/**
 * spdm_chain_validate() - check a fetched chain of @slot
 * @st: requester state; on success the slot's chain digest is recorded
 * @slot: slot the chain came from
 * @chain: the chain, header included
 * @len: its length as fetched
 * @leaf: parsed leaf certificate (out), for the signature checks
 *
 * Return: 0, -EPROTO (header length), -EBADMSG (DER), -EKEYREJECTED.
 */
int spdm_chain_validate(struct spdm_state *st, u8 slot, const u8 *chain,
			size_t len, struct spdm_env_cert **leaf)
{
	const struct spdm_chain_header *hdr = (const void *)chain;
	struct spdm_slot *s = &st->slots[slot];
	u8 digest[SPDM_MAX_HASH];
	int rc;

	if (le16_to_cpu(hdr->length) != len) {
		spdm_err(st, "Slot %u chain header says %u bytes, fetched %zu\n",
			 slot, le16_to_cpu(hdr->length), len);
		return -EPROTO;
	}
	rc = spdm_env_hash_oneshot(st->base_hash, chain, len, digest);
	if (rc)
		return rc;
	if (s->digest_alg != st->base_hash ||
	    memcmp(digest, s->digest, st->hash_len)) {
		spdm_err(st, "Slot %u chain does not match its digest\n", slot);
		return -EKEYREJECTED;
	}
	rc = spdm_chain_walk(st, slot, chain, len, leaf);
	if (rc)
		return rc;
	memcpy(s->chain_digest, digest, st->hash_len);
	s->chain_alg = st->base_hash;
	s->chain_model = s->cert_model;
	return 0;
}
