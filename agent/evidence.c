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

/**
 * agent_evidence_attempt() - the identity of the attempt that produced @ev
 * @ev: the evidence
 * @out: the SHA-256 of its transcript, in hex
 *
 * Return: 0; -ENODATA without a transcript (nothing identifies the attempt);
 * -ENOMEM.
 */
int agent_evidence_attempt(const struct agent_evidence *ev,
			   char out[AGENT_ATTEMPT_LEN])
{
	uint8_t md[AGENT_SHA256_LEN];

	out[0] = '\0';
	if (!ev->transcript || !ev->transcript_len)
		return -ENODATA;
	if (!EVP_Digest(ev->transcript, ev->transcript_len, md, NULL,
			EVP_sha256(), NULL))
		return -ENOMEM;
	agent_hex(md, sizeof(md), out);
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
 * agent_evidence_measurement_find() - the DMTF value of one measurement block
 * @ev: evidence holding the measurement record (blocks back to back)
 * @index: measurement index (1..254)
 * @value: set to the value inside @ev->meas
 * @value_len: its length
 *
 * Return: 0, -ENOENT when no block has @index, -EIO when a block's length
 * runs past the record, -EPROTO when the block is not in DMTF format.
 */
int agent_evidence_measurement_find(const struct agent_evidence *ev,
				    unsigned int index, const uint8_t **value,
				    size_t *value_len)
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
		*value = blk + AGENT_MEAS_BLOCK_HDR + AGENT_MEAS_DMTF_HDR;
		*value_len = vsize;
		return 0;
	}
	return -ENOENT;
}
