// SPDX-License-Identifier: GPL-2.0
/*
 * GET_CAPABILITIES / CAPABILITIES (DSP0274 1.3.0 §10.4): learn what the
 * responder can do and, from 1.2 on, how large its messages may be.
 */

#include "spdm-internal.h"

/* Message size by version: 1.0 request is the bare header. */
static size_t spdm_caps_req_len(u8 version)
{
	if (version == SPDM_VER_10)
		return sizeof(struct spdm_header);
	if (version == SPDM_VER_11)
		return offsetofend(struct spdm_capabilities, flags);
	return sizeof(struct spdm_capabilities);
}

static size_t spdm_caps_rsp_len(u8 version)
{
	if (version < SPDM_VER_12)
		return offsetofend(struct spdm_capabilities, flags);
	return sizeof(struct spdm_capabilities);
}

/**
 * spdm_parse_capabilities() - validate CAPABILITIES
 * @st: requester state; @st->rsp_caps and @st->rsp_transfer_size are set
 * @rsp: response
 * @len: bytes received
 * @ctx: unused
 *
 * Return: message length, or -EIO / -EPROTO / -EPROTONOSUPPORT / -EMSGSIZE.
 */
ssize_t spdm_parse_capabilities(struct spdm_state *st, const u8 *rsp,
				size_t len, void *ctx)
{
	const struct spdm_capabilities *c = (const void *)rsp;
	size_t msg_len = spdm_caps_rsp_len(st->version);
	u32 flags, dts, max;

	if (len < msg_len) {
		spdm_err(st, "Truncated CAPABILITIES (%zu bytes)\n", len);
		return -EIO;
	}
	flags = le32_to_cpu(c->flags);
	if ((flags & SPDM_CAP_MEAS_MASK) == SPDM_CAP_MEAS_MASK) {
		spdm_err(st, "CAPABILITIES with reserved MEAS_CAP value\n");
		return -EPROTO;
	}
	if (!(flags & SPDM_CAP_CERT) || !(flags & SPDM_CAP_CHAL)) {
		spdm_err(st, "Responder cannot be challenged (flags %#x)\n", flags);
		return -EPROTONOSUPPORT;
	}
	if (st->version >= SPDM_VER_12) {
		dts = le32_to_cpu(c->data_transfer_size);
		max = le32_to_cpu(c->max_spdm_msg_size);
		/* DSP0274 1.2.0 §10.4: MinDataTransferSize, Max >= DataTransfer */
		if (dts < SPDM_MIN_TRANSFER_12 || max < dts) {
			spdm_err(st, "DataTransferSize %u, MaxSPDMmsgSize %u\n",
				 dts, max);
			return -EPROTO;
		}
		st->rsp_transfer_size = dts;
	}
	st->rsp_caps = flags;
	return spdm_check_tail(st, msg_len, len);
}

/**
 * spdm_get_capabilities() - GET_CAPABILITIES exchange
 * @st: requester state
 *
 * The requester announces no capability flags of its own: it only
 * authenticates the responder. Its DataTransferSize is the receive
 * buffer minus the transport padding, so no legal response fills it.
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_capabilities(struct spdm_state *st)
{
	struct spdm_capabilities *c = (void *)st->req;
	struct spdm_xfer x = {
		.req_len = spdm_caps_req_len(st->version),
		.rsp_code = SPDM_CAPABILITIES,
		.parse = spdm_parse_capabilities,
		.log = &st->transcript,
	};

	memset(st->req, 0, sizeof(st->req));
	spdm_header_init(st, st->version, SPDM_GET_CAPABILITIES, 0, 0);
	if (st->version >= SPDM_VER_12) {
		c->data_transfer_size = cpu_to_le32(st->rsp_cap - SPDM_MAX_PAD - 1);
		c->max_spdm_msg_size = c->data_transfer_size;
	}
	st->rsp_transfer_size = 0;
	return spdm_exchange(st, &x);
}
