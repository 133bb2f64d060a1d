// SPDX-License-Identifier: GPL-2.0
/*
 * GET_MEASUREMENTS / MEASUREMENTS (DSP0274 1.3.0 §10.11): all measurement
 * blocks in one signed response, checked against the L1/L2 transcript.
 */

#include "spdm-internal.h"

/*
 * One block's contents: a usable index, the DMTF specification negotiated
 * (the only one offered), and a DMTF value filling the block exactly.
 */
static int spdm_check_block(struct spdm_state *st, const struct spdm_meas_block *b,
			    size_t size)
{
	const struct spdm_meas_dmtf *v = (const void *)(b + 1);

	if (b->index == SPDM_MEAS_INDEX_RESERVED_LOW ||
	    b->index == SPDM_MEAS_INDEX_RESERVED_HIGH ||
	    b->spec != SPDM_MEAS_SPEC_DMTF) {
		spdm_err(st, "Measurement block index %u specification %#x\n",
			 b->index, b->spec);
		return -EPROTO;
	}
	if (size < sizeof(*v) ||
	    le16_to_cpu(v->value_size) != size - sizeof(*v)) {
		spdm_err(st, "Measurement block %u of %zu bytes, DMTF value of %u\n",
			 b->index, size,
			 size < sizeof(*v) ? 0 : le16_to_cpu(v->value_size));
		return -EPROTO;
	}
	return 0;
}

/* Walk the measurement blocks; they must fill the record exactly. */
static int spdm_check_blocks(struct spdm_state *st, const u8 *rec, size_t len,
			     unsigned int count)
{
	const struct spdm_meas_block *b;
	unsigned int n = 0;
	size_t off = 0, size;
	int rc;

	while (off < len) {
		if (len - off < sizeof(*b)) {
			spdm_err(st, "Measurement block %u header truncated\n", n);
			return -EIO;
		}
		b = (const void *)(rec + off);
		size = le16_to_cpu(b->size);
		if (len - off - sizeof(*b) < size) {
			spdm_err(st, "Measurement block %u of %zu bytes past the record\n",
				 n, size);
			return -EIO;
		}
		rc = spdm_check_block(st, b, size);
		if (rc)
			return rc;
		off += sizeof(*b) + size;
		n++;
	}
	if (n != count) {
		spdm_err(st, "MEASUREMENTS announces %u blocks, record holds %u\n",
			 count, n);
		return -EPROTO;
	}
	return 0;
}

/**
 * spdm_parse_measurements() - validate the layout of signed MEASUREMENTS
 * @st: requester state
 * @rsp: response
 * @len: bytes received
 * @ctx: struct spdm_signed_ctx; offsets of record, nonce, signature set
 *
 * Return: message length, or -EIO / -EPROTO / -EMSGSIZE.
 */
ssize_t spdm_parse_measurements(struct spdm_state *st, const u8 *rsp,
				size_t len, void *ctx)
{
	const struct spdm_measurements_rsp *m = (const void *)rsp;
	struct spdm_signed_ctx *c = ctx;
	size_t rec_len;
	int rc;

	if (len < sizeof(*m)) {
		spdm_err(st, "Truncated MEASUREMENTS (%zu bytes)\n", len);
		return -EIO;
	}
	/* 1.2: Param2 bits 3:0 echo the SlotID of the signing key */
	if (st->version >= SPDM_VER_12 && (m->hdr.param2 & 0xf) != c->slot) {
		spdm_err(st, "MEASUREMENTS signed with slot %u, asked for %u\n",
			 m->hdr.param2 & 0xf, c->slot);
		return -EPROTO;
	}
	rec_len = get_unaligned_le24(m->record_length);
	if (rec_len > len - sizeof(*m)) {
		spdm_err(st, "Measurement record of %zu bytes in %zu\n",
			 rec_len, len);
		return -EIO;
	}
	rc = spdm_check_blocks(st, rsp + sizeof(*m), rec_len, m->num_blocks);
	if (rc)
		return rc;
	c->data_off = sizeof(*m);
	c->data_len = rec_len;
	return spdm_parse_signed_tail(st, rsp, len, sizeof(*m) + rec_len, c);
}

static size_t spdm_meas_req_len(u8 version)
{
	if (version == SPDM_VER_10)
		return offsetofend(struct spdm_get_measurements_req, nonce);
	if (version < SPDM_VER_13)
		return offsetofend(struct spdm_get_measurements_req, slot_id);
	return sizeof(struct spdm_get_measurements_req);
}

/**
 * spdm_get_measurements() - signed GET_MEASUREMENTS of all blocks
 * @st: requester state; the evidence's measurement fields are set
 * @slot: slot whose leaf key signs
 *
 * The transcript is L1 (1.0/1.1: request and response) or L2 (1.2+: VCA,
 * then request and response), signature excluded.
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_measurements(struct spdm_state *st, u8 slot)
{
	struct spdm_get_measurements_req *req = (void *)st->req;
	struct spdm_signed_ctx c = { .slot = slot };
	struct spdm_xfer x = {
		.req_len = spdm_meas_req_len(st->version),
		.rsp_code = SPDM_MEASUREMENTS,
		.parse = spdm_parse_measurements,
		.ctx = &c,
		.log = &st->meas_transcript,
		.unsigned_tail = st->sig_len,
	};
	struct spdm_evidence *ev = &st->evidence;
	int rc;

	spdm_transcript_reset(&st->meas_transcript);
	if (st->version >= SPDM_VER_12) {
		rc = spdm_transcript_append(&st->meas_transcript,
					    st->transcript.data, st->vca_len);
		if (rc)
			return rc;
	}
	spdm_header_init(st, st->version, SPDM_GET_MEASUREMENTS,
			 SPDM_MEAS_ATTR_SIGNATURE, SPDM_MEAS_OP_ALL);
	memcpy(req->nonce, st->nonce, SPDM_NONCE_SIZE);
	req->slot_id = slot;
	memcpy(req->context, st->context, SPDM_REQ_CONTEXT_SIZE);
	rc = spdm_exchange(st, &x);
	if (rc)
		return rc;

	spdm_env_free(st->meas);
	st->meas = spdm_env_zalloc(c.data_len ? c.data_len : 1);
	if (!st->meas)
		return -ENOMEM;
	memcpy(st->meas, st->rsp + c.data_off, c.data_len);
	st->meas_len = c.data_len;
	memcpy(st->meas_signature, st->rsp + c.sig_off, st->sig_len);

	ev->meas = st->meas;
	ev->meas_len = st->meas_len;
	ev->meas_transcript = st->meas_transcript.data;
	ev->meas_transcript_len = st->meas_transcript.len;
	ev->meas_signature = st->meas_signature;
	ev->meas_signature_len = st->sig_len;

	rc = spdm_verify_transcript(st->slots[slot].leaf, st->version,
				    st->base_asym, st->base_hash,
				    SPDM_CONTEXT_MEASUREMENTS,
				    sizeof(SPDM_CONTEXT_MEASUREMENTS) - 1,
				    st->meas_transcript.data,
				    st->meas_transcript.len,
				    st->meas_signature, st->sig_len);
	if (rc)
		spdm_err(st, "MEASUREMENTS signature does not verify (%d)\n", rc);
	return rc;
}
