// SPDX-License-Identifier: GPL-2.0
/*
 * Names of SPDM messages and errnos, for whatever user space prints. The
 * names of algorithm bits are the kernel's own (kernel/spdm/alg-names.c,
 * built into this library), so a log line of the kernel and one of user
 * space name an algorithm alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spdm-util.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct spdm_code_name {
	uint8_t code;
	const char *name;
};

/* DSP0274 1.3.0 Table 4 "SPDM request codes" */
static const struct spdm_code_name spdm_requests[] = {
	{ 0x81, "GET_DIGESTS" },
	{ 0x82, "GET_CERTIFICATE" },
	{ 0x83, "CHALLENGE" },
	{ 0x84, "GET_VERSION" },
	{ 0x85, "CHUNK_SEND" },
	{ 0x86, "CHUNK_GET" },
	{ 0x87, "GET_ENDPOINT_INFO" },
	{ 0xe0, "GET_MEASUREMENTS" },
	{ 0xe1, "GET_CAPABILITIES" },
	{ 0xe2, "GET_SUPPORTED_EVENT_TYPES" },
	{ 0xe3, "NEGOTIATE_ALGORITHMS" },
	{ 0xe4, "KEY_EXCHANGE" },
	{ 0xe5, "FINISH" },
	{ 0xe6, "PSK_EXCHANGE" },
	{ 0xe7, "PSK_FINISH" },
	{ 0xe8, "HEARTBEAT" },
	{ 0xe9, "KEY_UPDATE" },
	{ 0xea, "GET_ENCAPSULATED_REQUEST" },
	{ 0xeb, "DELIVER_ENCAPSULATED_RESPONSE" },
	{ 0xec, "END_SESSION" },
	{ 0xed, "GET_CSR" },
	{ 0xee, "SET_CERTIFICATE" },
	{ 0xef, "GET_MEASUREMENT_EXTENSION_LOG" },
	{ 0xf0, "SUBSCRIBE_EVENT_TYPES" },
	{ 0xf1, "SEND_EVENT" },
	{ 0xfc, "GET_KEY_PAIR_INFO" },
	{ 0xfd, "SET_KEY_PAIR_INFO" },
	{ 0xfe, "VENDOR_DEFINED_REQUEST" },
	{ 0xff, "RESPOND_IF_READY" },
};

/* DSP0274 1.3.0 Table 5 "SPDM response codes" */
static const struct spdm_code_name spdm_responses[] = {
	{ 0x01, "DIGESTS" },
	{ 0x02, "CERTIFICATE" },
	{ 0x03, "CHALLENGE_AUTH" },
	{ 0x04, "VERSION" },
	{ 0x05, "CHUNK_SEND_ACK" },
	{ 0x06, "CHUNK_RESPONSE" },
	{ 0x07, "ENDPOINT_INFO" },
	{ 0x60, "MEASUREMENTS" },
	{ 0x61, "CAPABILITIES" },
	{ 0x62, "SUPPORTED_EVENT_TYPES" },
	{ 0x63, "ALGORITHMS" },
	{ 0x64, "KEY_EXCHANGE_RSP" },
	{ 0x65, "FINISH_RSP" },
	{ 0x66, "PSK_EXCHANGE_RSP" },
	{ 0x67, "PSK_FINISH_RSP" },
	{ 0x68, "HEARTBEAT_ACK" },
	{ 0x69, "KEY_UPDATE_ACK" },
	{ 0x6a, "ENCAPSULATED_REQUEST" },
	{ 0x6b, "ENCAPSULATED_RESPONSE_ACK" },
	{ 0x6c, "END_SESSION_ACK" },
	{ 0x6d, "CSR" },
	{ 0x6e, "SET_CERTIFICATE_RSP" },
	{ 0x6f, "MEASUREMENT_EXTENSION_LOG" },
	{ 0x70, "SUBSCRIBE_EVENT_TYPES_ACK" },
	{ 0x71, "EVENT_ACK" },
	{ 0x7c, "KEY_PAIR_INFO" },
	{ 0x7d, "SET_KEY_PAIR_INFO_ACK" },
	{ 0x7e, "VENDOR_DEFINED_RESPONSE" },
	{ 0x7f, "ERROR" },
};

static const char *spdm_code_lookup(const struct spdm_code_name *t, size_t n,
				    uint8_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

/** spdm_req_name() - "GET_VERSION" for 0x84, NULL when unknown */
const char *spdm_req_name(uint8_t code)
{
	return spdm_code_lookup(spdm_requests, ARRAY_LEN(spdm_requests), code);
}

/** spdm_rsp_name() - "VERSION" for 0x04, "-" for 0 (none), NULL when unknown */
const char *spdm_rsp_name(uint8_t code)
{
	if (!code)
		return "-";
	return spdm_code_lookup(spdm_responses, ARRAY_LEN(spdm_responses), code);
}

/** spdm_code_name() - the request or response name of any code, NULL when unknown */
const char *spdm_code_name(uint8_t code)
{
	/* DSP0274 1.3.0 §10: request codes have bit 7 set, responses not */
	return code & 0x80 ? spdm_req_name(code) : code ? spdm_rsp_name(code) : NULL;
}

/**
 * spdm_parse_message() - a request code from a name or a number
 * @s: "GET_VERSION", "version" (a response names its request) or "0x84"
 * @req_code: the request code
 *
 * Return: 0, or -EINVAL when @s names no request.
 */
int spdm_parse_message(const char *s, uint8_t *req_code)
{
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < ARRAY_LEN(spdm_requests); i++) {
		if (!strcasecmp(s, spdm_requests[i].name)) {
			*req_code = spdm_requests[i].code;
			return 0;
		}
	}
	/* A response names its request: same code with bit 7 set (DSP0274 §10). */
	for (i = 0; i < ARRAY_LEN(spdm_responses); i++) {
		if (!strcasecmp(s, spdm_responses[i].name) &&
		    spdm_responses[i].code != 0x7f) {
			*req_code = spdm_responses[i].code | 0x80;
			return 0;
		}
	}
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < 0x80 || v > 0xff)
		return -EINVAL;
	*req_code = (uint8_t)v;
	return 0;
}

/**
 * spdm_meas_hash_names() - names of a MeasurementHashAlgo mask
 * @mask: DSP0274 1.3.0 Table 15 MeasurementHashAlgo: bit 0 raw bit stream,
 *	  bits 1.. the hashes of BaseHashAlgo bits 0..
 * @buf: where the names go, always terminated
 * @size: its size, at least 1
 */
void spdm_meas_hash_names(uint32_t mask, char *buf, size_t size)
{
	size_t used;

	if (!(mask & 1)) {
		spdm_hash_names(mask >> 1, buf, size);
		return;
	}
	snprintf(buf, size, "RAW_BIT");
	used = strlen(buf);
	if (mask >> 1 && used + 1 < size) {
		buf[used++] = '|';
		spdm_hash_names(mask >> 1, buf + used, size - used);
	}
}

/** spdm_errno_name() - "EKEYREJECTED" for -129 or 129, "" for 0, "?" if unnamed */
const char *spdm_errno_name(int err)
{
	const char *name;

	if (!err)
		return "";
	name = strerrorname_np(err < 0 ? -err : err);
	return name ? name : "?";
}
