// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence a device presented: ownership and the decoding of its
 * measurement record. Every length inside comes from the device and is
 * checked before use.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "agent.h"

/** agent_evidence_free() - release the buffers an evidence owns */
void agent_evidence_free(struct agent_evidence *ev)
{
	for (int i = 0; i < AGENT_MAX_SLOTS; i++)
		free(ev->chain[i]);
	free(ev->transcript);
	free(ev->signature);
	free(ev->meas);
	free(ev->meas_transcript);
	free(ev->meas_signature);
	memset(ev, 0, sizeof(*ev));
}

/* One length-prefixed part of the attempt digest. */
static int agent_attempt_part(EVP_MD_CTX *md, const void *p, size_t len)
{
	uint64_t n = len;

	return EVP_DigestUpdate(md, &n, sizeof(n)) &&
	       (!len || EVP_DigestUpdate(md, p, len));
}

/**
 * agent_evidence_attempt() - the identity of the attempt that produced @ev
 * @ev: the evidence
 * @out: SHA-256, in hex, over everything the kernel reported for it: the
 *       device's key and IDs, state, result, algorithms and every blob. With
 *       a transcript (it holds both nonces) that names one attempt; without,
 *       it is everything a policy can see of the device.
 *
 * Return: 0, or -ENOMEM (then @out is "").
 */
int agent_evidence_attempt(const struct agent_evidence *ev,
			   char out[AGENT_ATTEMPT_LEN])
{
	const uint32_t scalars[] = {	/* no padding: every byte is defined */
		ev->key, ev->generation, ev->state, (uint32_t)ev->result,
		ev->base_asym_alg, ev->base_hash_alg, ev->meas_hash_alg,
		ev->version, ev->slot_mask, ev->slot,
		ev->ids.vendor, ev->ids.device, ev->ids.class, ev->ids.revision,
		ev->ids.subsys_vendor, ev->ids.subsys_device,
	};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t digest[AGENT_SHA256_LEN];
	bool ok;

	out[0] = '\0';
	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	     agent_attempt_part(md, &scalars, sizeof(scalars));
	for (int i = 0; ok && i < AGENT_MAX_SLOTS; i++)
		ok = agent_attempt_part(md, ev->chain[i], ev->chain_len[i]);
	ok = ok && agent_attempt_part(md, ev->transcript, ev->transcript_len) &&
	     agent_attempt_part(md, ev->signature, ev->signature_len) &&
	     agent_attempt_part(md, ev->meas, ev->meas_len) &&
	     agent_attempt_part(md, ev->meas_transcript,
				ev->meas_transcript_len) &&
	     agent_attempt_part(md, ev->meas_signature,
				ev->meas_signature_len) &&
	     EVP_DigestFinal_ex(md, digest, NULL);
	EVP_MD_CTX_free(md);
	if (!ok)
		return -ENOMEM;
	spdm_hex(digest, sizeof(digest), out, AGENT_ATTEMPT_LEN);
	return 0;
}

/** agent_evidence_state_name() - policy keyword of an authentication state */
const char *agent_evidence_state_name(enum agent_auth_state state)
{
	switch (state) {
	case AGENT_AUTH_PENDING:
		return "pending";
	case AGENT_AUTH_AUTHENTICATED:
		return "authenticated";
	case AGENT_AUTH_FAILED:
		return "failed";
	case AGENT_AUTH_UNSUPPORTED:
		return "unsupported";
	}
	return "unknown";
}

/* DSP0274 1.2.1 §10.11.1 Table 45: measurement block header */
#define AGENT_MEAS_BLOCK_HDR	4
/* DSP0274 1.2.1 §10.11.1.1 Table 46: DMTF measurement value header */
#define AGENT_MEAS_DMTF_HDR	3
#define AGENT_MEAS_SPEC_DMTF	0x01

static uint16_t agent_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/**
 * agent_evidence_measurement_get() - one DMTF measurement block of the record
 * @ev: evidence holding the measurement record (blocks back to back)
 * @index: measurement index (1..254)
 * @type: set to DMTFSpecMeasurementValueType (bit 7: raw bit stream)
 * @value: set to the value inside @ev->meas
 * @value_len: its length
 *
 * Return: 0, -ENOENT when no block has @index, -EIO when a block's length
 * runs past the record, -EPROTO when the block is not in DMTF format.
 */
int agent_evidence_measurement_get(const struct agent_evidence *ev,
				   unsigned int index, uint8_t *type,
				   const uint8_t **value, size_t *value_len)
{
	const uint8_t *p = ev->meas;
	size_t left = ev->meas_len;

	while (left) {
		size_t size, vsize;
		const uint8_t *blk = p;

		if (left < AGENT_MEAS_BLOCK_HDR)
			return -EIO;
		size = agent_le16(blk + 2);
		if (size > left - AGENT_MEAS_BLOCK_HDR)
			return -EIO;
		p += AGENT_MEAS_BLOCK_HDR + size;
		left -= AGENT_MEAS_BLOCK_HDR + size;
		if (blk[0] != index)
			continue;
		if (!(blk[1] & AGENT_MEAS_SPEC_DMTF) || size < AGENT_MEAS_DMTF_HDR)
			return -EPROTO;
		vsize = agent_le16(blk + AGENT_MEAS_BLOCK_HDR + 1);
		if (vsize != size - AGENT_MEAS_DMTF_HDR)
			return -EIO;
		*type = blk[AGENT_MEAS_BLOCK_HDR];
		*value = blk + AGENT_MEAS_BLOCK_HDR + AGENT_MEAS_DMTF_HDR;
		*value_len = vsize;
		return 0;
	}
	return -ENOENT;
}

/** agent_evidence_measurement_find() - the DMTF value of one measurement block */
int agent_evidence_measurement_find(const struct agent_evidence *ev,
				    unsigned int index, const uint8_t **value,
				    size_t *value_len)
{
	uint8_t type;

	return agent_evidence_measurement_get(ev, index, &type, value,
					      value_len);
}
