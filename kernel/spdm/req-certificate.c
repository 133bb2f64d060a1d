// SPDX-License-Identifier: GPL-2.0
/*
 * GET_CERTIFICATE / CERTIFICATE (DSP0274 1.3.0 §10.7): fetch one slot's
 * chain in portions no larger than either side can carry.
 */

#include "spdm-internal.h"

/**
 * spdm_parse_certificate() - validate one CERTIFICATE portion
 * @st: requester state
 * @rsp: response
 * @len: bytes received
 * @ctx: struct spdm_cert_ctx of the request; @total is learnt from the
 *       first portion and must stay the same after it, @portion is set
 *
 * Return: message length, or -EIO / -EPROTO / -EMSGSIZE.
 */
ssize_t spdm_parse_certificate(struct spdm_state *st, const u8 *rsp, size_t len,
			       void *ctx)
{
	const struct spdm_certificate_rsp *c = (const void *)rsp;
	struct spdm_cert_ctx *cc = ctx;
	size_t portion, remainder, total, msg_len;

	if (len < sizeof(*c)) {
		spdm_err(st, "Truncated CERTIFICATE (%zu bytes)\n", len);
		return -EIO;
	}
	if ((c->hdr.param1 & 0xf) != cc->slot) {
		spdm_err(st, "CERTIFICATE for slot %u, asked for %u\n",
			 c->hdr.param1 & 0xf, cc->slot);
		return -EPROTO;
	}
	portion = le16_to_cpu(c->portion_length);
	remainder = le16_to_cpu(c->remainder_length);
	msg_len = sizeof(*c) + portion;
	if (msg_len > len) {
		spdm_err(st, "CERTIFICATE portion %zu in %zu bytes\n", portion, len);
		return -EIO;
	}
	if (!portion || portion > cc->length) {
		spdm_err(st, "CERTIFICATE portion %zu, asked for %u\n",
			 portion, cc->length);
		return -EPROTO;
	}
	/* u16 + u16 + u16: no overflow in size_t */
	total = cc->offset + portion + remainder;
	if (!cc->total) {
		if (total > SPDM_MAX_CHAIN ||
		    total < sizeof(struct spdm_chain_header) + st->hash_len) {
			spdm_err(st, "Certificate chain of %zu bytes\n", total);
			return -EPROTO;
		}
		cc->total = total;
	} else if (total != cc->total) {
		spdm_err(st, "CERTIFICATE remainder %zu at offset %u, chain %zu\n",
			 remainder, cc->offset, cc->total);
		return -EPROTO;
	}
	cc->portion = portion;
	return spdm_check_tail(st, msg_len, len);
}

/* Largest portion to ask for: what our buffer and the responder carry. */
static size_t spdm_cert_chunk(struct spdm_state *st)
{
	size_t hdr = sizeof(struct spdm_certificate_rsp);
	size_t chunk = st->rsp_cap - hdr - SPDM_MAX_PAD - 1;

	if (st->version >= SPDM_VER_12)
		chunk = min_t(size_t, chunk, st->rsp_transfer_size - hdr);
	else
		chunk = min_t(size_t, chunk, SPDM_CERT_CHUNK_PRE_12);
	return min_t(size_t, chunk, SPDM_MAX_CHAIN);
}

/**
 * spdm_get_certificate() - fetch and validate the chain of @slot
 * @st: requester state; on success the slot holds the chain and its leaf
 * @slot: provisioned slot
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_certificate(struct spdm_state *st, u8 slot)
{
	struct spdm_get_certificate_req *req = (void *)st->req;
	struct spdm_cert_ctx cc = { .slot = slot };
	struct spdm_xfer x = {
		.req_len = sizeof(*req),
		.rsp_code = SPDM_CERTIFICATE,
		.parse = spdm_parse_certificate,
		.ctx = &cc,
		.log = &st->transcript,
	};
	struct spdm_slot *s = &st->slots[slot];
	struct spdm_env_cert *leaf = NULL;
	size_t chunk = spdm_cert_chunk(st), want;
	u8 *chain = NULL;
	int rc;

	do {
		want = cc.total ? min(chunk, cc.total - cc.offset) : chunk;
		spdm_header_init(st, st->version, SPDM_GET_CERTIFICATE, slot, 0);
		req->offset = cpu_to_le16(cc.offset);
		req->length = cpu_to_le16(want);
		cc.length = want;
		rc = spdm_exchange(st, &x);
		if (rc)
			goto err;
		if (!chain) {
			chain = spdm_env_zalloc(cc.total);
			if (!chain) {
				rc = -ENOMEM;
				goto err;
			}
		}
		/* The parser keeps offset + portion + remainder == total. */
		memcpy(chain + cc.offset,
		       st->rsp + sizeof(struct spdm_certificate_rsp), cc.portion);
		cc.offset += cc.portion;
	} while (cc.offset < cc.total);

	rc = spdm_chain_validate(st, slot, chain, cc.total, &leaf);
	if (rc)
		goto err;
	s->chain = chain;
	s->chain_len = cc.total;
	s->leaf = leaf;
	return 0;

err:
	spdm_env_free(chain);
	return rc;
}
