// SPDX-License-Identifier: GPL-2.0
/*
 * GET_KEY_PAIR_INFO / KEY_PAIR_INFO (DSP0274 1.3.0, multi-key): what the
 * responder says of the key pair behind a slot. It must agree with
 * DIGESTS: the key pair is associated with the slot and its current key
 * usage is the slot's KeyUsageMask. Not part of any signed transcript.
 */

#include "spdm-internal.h"

/**
 * spdm_parse_key_pair_info() - validate KEY_PAIR_INFO against DIGESTS
 * @st: requester state
 * @rsp: response
 * @len: bytes received
 * @ctx: the slot asked about (u8 *)
 *
 * Return: message length, or -EIO / -EPROTO / -EMSGSIZE.
 */
ssize_t spdm_parse_key_pair_info(struct spdm_state *st, const u8 *rsp,
				 size_t len, void *ctx)
{
	const struct spdm_key_pair_info_rsp *k = (const void *)rsp;
	u8 slot = *(u8 *)ctx;
	const struct spdm_slot *s = &st->slots[slot];
	u16 usage, usage_caps;
	size_t msg_len;

	if (len < sizeof(*k)) {
		spdm_err(st, "Truncated KEY_PAIR_INFO (%zu bytes)\n", len);
		return -EIO;
	}
	msg_len = sizeof(*k) + le16_to_cpu(k->public_key_info_len);
	if (msg_len > len) {
		spdm_err(st, "KEY_PAIR_INFO PublicKeyInfoLen %u past the end\n",
			 le16_to_cpu(k->public_key_info_len));
		return -EIO;
	}
	usage = le16_to_cpu(k->current_key_usage);
	usage_caps = le16_to_cpu(k->key_usage_capabilities);
	if (k->key_pair_id != s->key_pair_id || !k->key_pair_id ||
	    k->key_pair_id > k->total_key_pairs) {
		spdm_err(st, "KEY_PAIR_INFO KeyPairID %u of %u, asked for %u\n",
			 k->key_pair_id, k->total_key_pairs, s->key_pair_id);
		return -EPROTO;
	}
	if (!(k->assoc_cert_slot_mask & BIT(slot)) || usage != s->key_usage ||
	    (usage & ~usage_caps)) {
		spdm_err(st, "KEY_PAIR_INFO of key pair %u disagrees with DIGESTS slot %u (slots %#x, usage %#x of %#x, DIGESTS %#x)\n",
			 k->key_pair_id, slot, k->assoc_cert_slot_mask, usage,
			 usage_caps, s->key_usage);
		return -EPROTO;
	}
	st->evidence.total_key_pairs = k->total_key_pairs;
	return spdm_check_tail(st, msg_len, len);
}

/**
 * spdm_get_key_pair_info() - GET_KEY_PAIR_INFO for the key pair of a slot
 * @st: requester state, in a multi-key connection
 * @slot: the slot whose KeyPairID DIGESTS reported
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_key_pair_info(struct spdm_state *st, u8 slot)
{
	struct spdm_get_key_pair_info_req *req = (void *)st->req;
	struct spdm_xfer x = {
		.req_len = sizeof(*req),
		.rsp_code = SPDM_KEY_PAIR_INFO,
		.parse = spdm_parse_key_pair_info,
		.ctx = &slot,
	};

	memset(st->req, 0, sizeof(st->req));
	spdm_header_init(st, st->version, SPDM_GET_KEY_PAIR_INFO, 0, 0);
	req->key_pair_id = st->slots[slot].key_pair_id;
	return spdm_exchange(st, &x);
}
