// SPDX-License-Identifier: GPL-2.0
/*
 * Signed measurements re-verified from the evidence: the MEASUREMENTS
 * signature over L1/L2 with the leaf key, and the measurement record the
 * policy matches on found, byte for byte, inside the signed response at the
 * end of L1/L2. A record the device did not sign never counts.
 *
 * L1/L2 (DSP0274 1.2.1 §10.11.2) is, for 1.0 and 1.1, GET_MEASUREMENTS and
 * MEASUREMENTS without its signature; from 1.2 on the same after VCA
 * (GET_VERSION, VERSION, GET_CAPABILITIES, CAPABILITIES,
 * NEGOTIATE_ALGORITHMS, ALGORITHMS). Every length is the device's and is
 * checked before use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

/* DSP0274 1.2.1 §15: signing context of MEASUREMENTS */
#define AGENT_MEAS_CONTEXT	"responder-measurements signing"

/* DSP0274 1.2.1 §10: request and response codes */
#define AGENT_GET_VERSION		0x84
#define AGENT_VERSION			0x04
#define AGENT_GET_CAPABILITIES		0xe1
#define AGENT_CAPABILITIES		0x61
#define AGENT_NEGOTIATE_ALGORITHMS	0xe3
#define AGENT_ALGORITHMS		0x63
#define AGENT_GET_MEASUREMENTS		0xe0
#define AGENT_MEASUREMENTS		0x60

#define AGENT_HDR_LEN		4	/* SPDMVersion, code, Param1, Param2 */
#define AGENT_VERSION_HDR_LEN	6	/* §10.3 Table 9: ..., EntryCount */
#define AGENT_CAPS_LEN_12	20	/* §10.4 Tables 10 and 11 (1.2+) */
#define AGENT_ALGS_LEN_OFF	4	/* §10.5 Tables 13 and 17: Length */
#define AGENT_MEAS_ATTR_SIG	0x01	/* §10.11.1 Table 40: signature requested */
#define AGENT_MEAS_RSP_HDR_LEN	8	/* §10.11.1 Table 45: to MeasurementRecord */
#define AGENT_OPAQUE_LEN_LEN	2
#define AGENT_REQ_CONTEXT_LEN	8	/* DSP0274 1.3.0 §10.11.1: RequesterContext */

static uint16_t agent_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t agent_get_le24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* One message of VCA at @*off: its header, then its length from its fields. */
static int agent_vca_message(const uint8_t *t, size_t len, size_t *off,
			     uint8_t version, uint8_t code, char *err,
			     size_t errlen)
{
	size_t left = len - *off, size;
	const uint8_t *m = t + *off;

	if (left < AGENT_HDR_LEN || m[1] != code || m[0] != version) {
		snprintf(err, errlen, "VCA message 0x%02x missing at offset %zu",
			 code, *off);
		return -EPROTO;
	}
	switch (code) {
	case AGENT_GET_VERSION:
		size = AGENT_HDR_LEN;
		break;
	case AGENT_VERSION:
		size = left < AGENT_VERSION_HDR_LEN ? SIZE_MAX :
		       AGENT_VERSION_HDR_LEN + 2 * (size_t)m[5];
		break;
	case AGENT_GET_CAPABILITIES:
	case AGENT_CAPABILITIES:
		size = AGENT_CAPS_LEN_12;
		break;
	default:	/* NEGOTIATE_ALGORITHMS, ALGORITHMS */
		size = left < AGENT_ALGS_LEN_OFF + 2 ? SIZE_MAX :
		       agent_get_le16(m + AGENT_ALGS_LEN_OFF);
		if (size < AGENT_ALGS_LEN_OFF + 2)
			size = SIZE_MAX;
		break;
	}
	if (size > left) {
		snprintf(err, errlen, "VCA message 0x%02x at offset %zu runs past L2",
			 code, *off);
		return -EIO;
	}
	*off += size;
	return 0;
}

/* DSP0274 1.2.1 §10.11.1 Table 40: GET_MEASUREMENTS with a signature */
static size_t agent_meas_req_len(uint8_t version)
{
	if (version == 0x10)
		return AGENT_HDR_LEN + AGENT_NONCE_LEN;
	if (version < 0x13)
		return AGENT_HDR_LEN + AGENT_NONCE_LEN + 1;	/* SlotIDParam */
	return AGENT_HDR_LEN + AGENT_NONCE_LEN + 1 + AGENT_REQ_CONTEXT_LEN;
}

/**
 * agent_meas_record_locate() - the record inside the signed MEASUREMENTS
 * @ev: evidence with meas_transcript (L1/L2) and version
 * @record: set to the MeasurementRecord inside @ev->meas_transcript
 * @record_len: its length
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Walks L1/L2 (VCA from 1.2 on, GET_MEASUREMENTS, MEASUREMENTS up to its
 * signature) and requires the response to end exactly where L1/L2 does.
 *
 * Return: 0; -ENODATA without L1/L2; -EPROTONOSUPPORT for a version other
 * than 1.0 to 1.3; -EPROTO when a message is not where L1/L2 needs it;
 * -EIO when a length field runs past L1/L2 or leaves bytes over.
 */
int agent_meas_record_locate(const struct agent_evidence *ev,
			     const uint8_t **record, size_t *record_len,
			     char *err, size_t errlen)
{
	static const uint8_t vca[] = {
		AGENT_GET_VERSION, AGENT_VERSION, AGENT_GET_CAPABILITIES,
		AGENT_CAPABILITIES, AGENT_NEGOTIATE_ALGORITHMS, AGENT_ALGORITHMS,
	};
	const uint8_t *t = ev->meas_transcript, *rsp;
	size_t len = ev->meas_transcript_len, off = 0, req_len, rec_len, tail;
	uint8_t ver = ev->version;
	int ret;

	if (!t || !len) {
		snprintf(err, errlen, "no measurement transcript in the evidence");
		return -ENODATA;
	}
	if (ver < 0x10 || ver > 0x13) {
		snprintf(err, errlen, "measurements of SPDM version 0x%02x", ver);
		return -EPROTONOSUPPORT;
	}
	if (ver >= 0x12) {
		for (size_t i = 0; i < ARRAY_SIZE(vca); i++) {
			/* GET_VERSION and VERSION are always 1.0 messages */
			ret = agent_vca_message(t, len, &off, i < 2 ? 0x10 : ver,
						vca[i], err, errlen);
			if (ret)
				return ret;
		}
	}
	req_len = agent_meas_req_len(ver);
	if (len - off < req_len || t[off] != ver ||
	    t[off + 1] != AGENT_GET_MEASUREMENTS ||
	    !(t[off + 2] & AGENT_MEAS_ATTR_SIG)) {
		snprintf(err, errlen,
			 "no signed GET_MEASUREMENTS at offset %zu of L1/L2", off);
		return -EPROTO;
	}
	off += req_len;
	rsp = t + off;
	if (len - off < AGENT_MEAS_RSP_HDR_LEN || rsp[0] != ver ||
	    rsp[1] != AGENT_MEASUREMENTS) {
		snprintf(err, errlen, "no MEASUREMENTS at offset %zu of L1/L2", off);
		return -EPROTO;
	}
	off += AGENT_MEAS_RSP_HDR_LEN;
	rec_len = agent_get_le24(rsp + 5);
	if (rec_len > len - off) {
		snprintf(err, errlen, "MeasurementRecordLength %zu runs past L1/L2",
			 rec_len);
		return -EIO;
	}
	*record = t + off;
	*record_len = rec_len;
	off += rec_len;
	if (len - off < AGENT_NONCE_LEN + AGENT_OPAQUE_LEN_LEN) {
		snprintf(err, errlen, "MEASUREMENTS truncated before OpaqueDataLength");
		return -EIO;
	}
	off += AGENT_NONCE_LEN;
	tail = agent_get_le16(t + off) + AGENT_OPAQUE_LEN_LEN +
	       (ver >= 0x13 ? AGENT_REQ_CONTEXT_LEN : 0);
	if (tail != len - off) {
		snprintf(err, errlen,
			 "MEASUREMENTS opaque data: %zu bytes left in L1/L2, fields need %zu",
			 len - off, tail);
		return -EIO;
	}
	return 0;
}

/**
 * agent_meas_request_nonce() - the Nonce of the signed GET_MEASUREMENTS
 * @ev: evidence with meas_transcript (L1/L2) and version
 * @nonce: set to the AGENT_NONCE_LEN bytes inside @ev->meas_transcript
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0 or as agent_meas_record_locate().
 */
int agent_meas_request_nonce(const struct agent_evidence *ev,
			     const uint8_t **nonce, char *err, size_t errlen)
{
	const uint8_t *rec;
	size_t rec_len;
	int ret;

	ret = agent_meas_record_locate(ev, &rec, &rec_len, err, errlen);
	if (ret)
		return ret;
	/* the request ends where the response's header begins (walked above) */
	*nonce = rec - AGENT_MEAS_RSP_HDR_LEN - agent_meas_req_len(ev->version) +
		 AGENT_HDR_LEN;
	return 0;
}

/**
 * agent_meas_verify() - verify the signed measurements of the evidence
 * @ev: evidence with meas, meas_transcript, meas_signature
 * @leaf_key: public key of the leaf certificate of the slot used
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0 when the MEASUREMENTS signature verifies and @ev->meas is
 * exactly the record it signed; -ENODATA when the device sent no signed
 * measurements; -EBADMSG when the record is not the signed one; otherwise
 * as agent_meas_record_locate() and agent_signature_check().
 */
int agent_meas_verify(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
		      char *err, size_t errlen)
{
	const uint8_t *rec;
	size_t rec_len;
	int ret;

	if (!ev->meas) {
		snprintf(err, errlen, "the device sent no signed measurements");
		return -ENODATA;
	}
	if (!ev->meas_transcript || !ev->meas_signature) {
		snprintf(err, errlen, "no measurement transcript or signature in the evidence");
		return -ENODATA;
	}
	ret = agent_meas_record_locate(ev, &rec, &rec_len, err, errlen);
	if (ret)
		return ret;
	if (rec_len != ev->meas_len || memcmp(rec, ev->meas, rec_len)) {
		snprintf(err, errlen,
			 "measurement record is not the one MEASUREMENTS signed");
		return -EBADMSG;
	}
	ret = agent_signature_check(ev, leaf_key, AGENT_MEAS_CONTEXT,
				    ev->meas_transcript, ev->meas_transcript_len,
				    ev->meas_signature, ev->meas_signature_len,
				    err, errlen);
	if (ret && ret != -ENOMEM) {
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, " (MEASUREMENTS)");
	}
	return ret;
}
