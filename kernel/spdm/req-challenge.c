// SPDX-License-Identifier: GPL-2.0
/*
 * CHALLENGE / CHALLENGE_AUTH (DSP0274 1.3.0 §10.8): the responder proves
 * possession of the leaf key by signing the transcript of everything
 * exchanged since GET_VERSION together with the requester's nonce.
 */

#include "spdm-internal.h"

/**
 * spdm_parse_signed_tail() - validate the signed tail of a response
 * @st: requester state
 * @rsp: response
 * @len: bytes received
 * @off: offset of the responder nonce
 * @c: parse context; its nonce and signature offsets are set
 *
 * CHALLENGE_AUTH and MEASUREMENTS end alike: Nonce, OpaqueDataLength,
 * OpaqueData, 1.3 RequesterContext, Signature.
 *
 * Return: message length, or -EIO / -EPROTO / -EMSGSIZE.
 */
ssize_t spdm_parse_signed_tail(struct spdm_state *st, const u8 *rsp,
			       size_t len, size_t off,
			       struct spdm_signed_ctx *c)
{
	size_t opaque, msg_len, ctx_len;

	ctx_len = st->version >= SPDM_VER_13 ? SPDM_REQ_CONTEXT_SIZE : 0;
	if (len < off || len - off < SPDM_NONCE_SIZE + sizeof(__le16)) {
		spdm_err(st, "Response %#x truncated before OpaqueDataLength\n",
			 rsp[1]);
		return -EIO;
	}
	c->nonce_off = off;
	opaque = get_unaligned_le16(rsp + off + SPDM_NONCE_SIZE);
	if (opaque > SPDM_MAX_OPAQUE) {
		spdm_err(st, "Response %#x with %zu bytes of opaque data\n",
			 rsp[1], opaque);
		return -EPROTO;
	}
	msg_len = off + SPDM_NONCE_SIZE + sizeof(__le16) + opaque + ctx_len +
		  st->sig_len;
	if (msg_len > len) {
		spdm_err(st, "Response %#x of %zu bytes, fields need %zu\n",
			 rsp[1], len, msg_len);
		return -EIO;
	}
	c->sig_off = msg_len - st->sig_len;
	if (ctx_len && memcmp(rsp + c->sig_off - ctx_len, st->context, ctx_len)) {
		spdm_err(st, "Response %#x does not echo RequesterContext\n", rsp[1]);
		return -EPROTO;
	}
	return spdm_check_tail(st, msg_len, len);
}

/**
 * spdm_parse_challenge_auth() - validate the layout of CHALLENGE_AUTH
 * @st: requester state
 * @rsp: response
 * @len: bytes received
 * @ctx: struct spdm_signed_ctx; offsets are set
 *
 * The CertChainHash and the signature are checked by the caller, once the
 * response is in the transcript.
 *
 * Return: message length, or -EIO / -EPROTO / -EMSGSIZE.
 */
ssize_t spdm_parse_challenge_auth(struct spdm_state *st, const u8 *rsp,
				  size_t len, void *ctx)
{
	const struct spdm_header *hdr = (const void *)rsp;
	struct spdm_signed_ctx *c = ctx;

	if (len < sizeof(*hdr))
		return -EIO;
	/* Param1 bits 3:0 SlotID; Param2 SlotMask */
	if ((hdr->param1 & 0xf) != c->slot || !(hdr->param2 & BIT(c->slot))) {
		spdm_err(st, "CHALLENGE_AUTH for slot %u (mask %#x), challenged %u\n",
			 hdr->param1 & 0xf, hdr->param2, c->slot);
		return -EPROTO;
	}
	c->data_off = sizeof(*hdr);
	c->data_len = st->hash_len;
	/* No MeasurementSummaryHash: CHALLENGE asked for none. */
	return spdm_parse_signed_tail(st, rsp, len, sizeof(*hdr) + st->hash_len, c);
}

/**
 * spdm_challenge() - CHALLENGE exchange and signature check for @slot
 * @st: requester state; the evidence's transcript fields are set
 * @slot: slot whose chain was fetched and validated
 *
 * Return: 0 or a negative errno.
 */
int spdm_challenge(struct spdm_state *st, u8 slot)
{
	struct spdm_challenge_req *req = (void *)st->req;
	struct spdm_signed_ctx c = { .slot = slot };
	struct spdm_xfer x = {
		.req_len = st->version >= SPDM_VER_13 ? sizeof(*req) :
			   offsetofend(struct spdm_challenge_req, nonce),
		.rsp_code = SPDM_CHALLENGE_AUTH,
		.parse = spdm_parse_challenge_auth,
		.ctx = &c,
		.log = &st->transcript,
		.unsigned_tail = st->sig_len,
	};
	struct spdm_evidence *ev = &st->evidence;
	struct spdm_slot *s = &st->slots[slot];
	size_t nonce_off = st->transcript.len + offsetof(typeof(*req), nonce);
	int rc;

	/* Param2 0: no measurement summary hash requested */
	spdm_header_init(st, st->version, SPDM_CHALLENGE, slot, 0);
	memcpy(req->nonce, st->nonce, SPDM_NONCE_SIZE);
	memcpy(req->context, st->context, SPDM_REQ_CONTEXT_SIZE);
	rc = spdm_exchange(st, &x);
	if (rc)
		return rc;

	memcpy(st->signature, st->rsp + c.sig_off, st->sig_len);
	ev->transcript = st->transcript.data;
	ev->transcript_len = st->transcript.len;
	ev->signature = st->signature;
	ev->signature_len = st->sig_len;
	ev->req_nonce_off = nonce_off;
	ev->rsp_nonce_off = x.rsp_off + c.nonce_off;
	ev->slot = slot;

	if (memcmp(st->rsp + c.data_off, s->chain_digest, st->hash_len)) {
		spdm_err(st, "CertChainHash does not match slot %u chain\n", slot);
		return -EKEYREJECTED;
	}
	rc = spdm_verify_transcript(s->leaf, st->version, st->base_asym,
				    st->base_hash, SPDM_CONTEXT_CHALLENGE_AUTH,
				    sizeof(SPDM_CONTEXT_CHALLENGE_AUTH) - 1,
				    st->transcript.data, st->transcript.len,
				    st->signature, st->sig_len);
	if (rc)
		spdm_err(st, "CHALLENGE_AUTH signature does not verify (%d)\n", rc);
	return rc;
}
