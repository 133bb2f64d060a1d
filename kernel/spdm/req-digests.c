// SPDX-License-Identifier: GPL-2.0
/*
 * GET_DIGESTS / DIGESTS (DSP0274 1.3.0 §10.6): which slots hold a
 * certificate chain, and the hash of each.
 */

#include "spdm-internal.h"

/**
 * spdm_parse_digests() - validate DIGESTS and store each slot's digest
 * @st: requester state; @slot_mask and the slots' digests are set
 * @rsp: response
 * @len: bytes received
 * @ctx: unused
 *
 * Return: message length, or -EIO / -EPROTO / -ENOKEY.
 */
ssize_t spdm_parse_digests(struct spdm_state *st, const u8 *rsp, size_t len,
			   void *ctx)
{
	const struct spdm_header *hdr = (const void *)rsp;
	/* 1.0–1.2 Param2 SlotMask; 1.3 Param2 ProvisionedSlotMask */
	u8 mask = hdr->param2;
	size_t msg_len, off = sizeof(*hdr);
	unsigned int slot;

	if (len < sizeof(*hdr))
		return -EIO;
	if (!mask) {
		spdm_err(st, "No provisioned certificate slot\n");
		return -ENOKEY;
	}
	msg_len = sizeof(*hdr) + spdm_bit_count(mask) * st->hash_len;
	if (len < msg_len || len - msg_len > SPDM_MAX_PAD) {
		spdm_err(st, "DIGESTS slot mask %#x in %zu bytes\n", mask, len);
		return -EPROTO;
	}
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		if (!(mask & BIT(slot)))
			continue;
		memcpy(st->slots[slot].digest, rsp + off, st->hash_len);
		st->slots[slot].digest_alg = st->base_hash;
		off += st->hash_len;
	}
	st->slot_mask = mask;
	return msg_len;
}

/**
 * spdm_get_digests() - GET_DIGESTS exchange
 * @st: requester state
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_digests(struct spdm_state *st)
{
	struct spdm_xfer x = {
		.req_len = sizeof(struct spdm_header),
		.rsp_code = SPDM_DIGESTS,
		.parse = spdm_parse_digests,
		.log = &st->transcript,
	};

	spdm_header_init(st, st->version, SPDM_GET_DIGESTS, 0, 0);
	st->slot_mask = 0;
	return spdm_exchange(st, &x);
}
