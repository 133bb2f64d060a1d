// SPDX-License-Identifier: GPL-2.0
/*
 * GET_DIGESTS / DIGESTS (DSP0274 1.3.0 §10.6): which slots hold a
 * certificate chain, and the hash of each.
 */

#include "spdm-internal.h"

/*
 * DSP0274 1.3.0 §10.6 DIGESTS in a multi-key connection: after the
 * digests, KeyPairID[n], CertificateInfo[n] and KeyUsageMask[n] (le16)
 * of the n provisioned slots in slot order.
 */
#define SPDM_DIGESTS_MULTI_KEY_EXTRA (1 + 1 + 2)

static int spdm_parse_multi_key_fields(struct spdm_state *st, const u8 *p,
				       u8 mask, unsigned int n)
{
	unsigned int slot, i = 0;
	u8 info, model;

	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		struct spdm_slot *s = &st->slots[slot];

		if (!(mask & BIT(slot)))
			continue;
		info = p[n + i];
		model = info & SPDM_CERT_INFO_MODEL_MASK;
		/* a provisioned slot names its model; 4-7 and bits 7:3 reserved */
		if (model == SPDM_CERT_INFO_MODEL_NONE ||
		    model > SPDM_CERT_INFO_MODEL_GENERIC ||
		    (info & ~SPDM_CERT_INFO_MODEL_MASK)) {
			spdm_err(st, "Slot %u CertificateInfo %#x\n", slot, info);
			return -EPROTO;
		}
		s->key_pair_id = p[i];
		s->cert_model = model;
		s->key_usage = get_unaligned_le16(p + 2 * n + 2 * i);
		i++;
	}
	return 0;
}

/**
 * spdm_parse_digests() - validate DIGESTS and store each slot's digest
 * @st: requester state; @slot_mask and the slots' digests are set, and in
 *      a 1.3 multi-key connection their key pair, model and key usage
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
	size_t msg_len, off = sizeof(*hdr), per_slot = st->hash_len;
	unsigned int slot, n;
	int rc;

	if (len < sizeof(*hdr))
		return -EIO;
	if (!mask) {
		spdm_err(st, "No provisioned certificate slot\n");
		return -ENOKEY;
	}
	n = spdm_bit_count(mask);
	if (st->multi_key)
		per_slot += SPDM_DIGESTS_MULTI_KEY_EXTRA;
	msg_len = sizeof(*hdr) + n * per_slot;
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
	if (st->multi_key) {
		rc = spdm_parse_multi_key_fields(st, rsp + off, mask, n);
		if (rc)
			return rc;
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
