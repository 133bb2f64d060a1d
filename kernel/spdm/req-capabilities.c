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

/* Flags the negotiated version defines; the rest are reserved, ignored. */
static u32 spdm_caps_defined(u8 version)
{
	if (version == SPDM_VER_10)
		return SPDM_CAPS_10;
	if (version == SPDM_VER_11)
		return SPDM_CAPS_11;
	if (version == SPDM_VER_12)
		return SPDM_CAPS_12;
	return SPDM_CAPS_13;
}

static bool spdm_caps_all(u32 flags, u32 mask)
{
	return (flags & mask) == mask;
}

/*
 * The flag combinations DSP0274 forbids a responder, by version (1.0.0,
 * 1.1.0, 1.2.0 and 1.3.0 Table 11 "CAPABILITIES Flags" and their
 * notes): a reserved value, or a flag set without the one it depends on.
 * Returns a description of the first rule broken, NULL if none is.
 */
static const char *spdm_caps_forbidden(u8 version, u32 f)
{
	u32 meas = f & SPDM_CAP_MEAS_MASK, psk = f & SPDM_CAP_PSK_MASK;
	bool key = f & (SPDM_CAP_CERT | SPDM_CAP_PUB_KEY_ID);
	bool session = (f & SPDM_CAP_KEY_EX) || psk;

	if (meas == SPDM_CAP_MEAS_MASK)
		return "reserved MEAS_CAP value 11b";
	if ((f & SPDM_CAP_MEAS_FRESH) && !meas)
		return "MEAS_FRESH_CAP without MEAS_CAP";
	if (version == SPDM_VER_10) {
		/* 1.0.0: CERT_CAP and CHAL_CAP go together; signed MEAS needs CERT */
		if (meas != SPDM_CAP_MEAS_SIG &&
		    !(f & SPDM_CAP_CERT) != !(f & SPDM_CAP_CHAL))
			return "CERT_CAP without CHAL_CAP or CHAL_CAP without CERT_CAP";
		if (meas == SPDM_CAP_MEAS_SIG && !(f & SPDM_CAP_CERT))
			return "signed MEAS_CAP without CERT_CAP";
		return NULL;
	}
	if (psk == SPDM_CAP_PSK_MASK)
		return "reserved PSK_CAP value 11b";
	if (session && !(f & (SPDM_CAP_MAC | SPDM_CAP_ENCRYPT)))
		return "KEY_EX_CAP or PSK_CAP without MAC_CAP or ENCRYPT_CAP";
	if (!session && (f & (SPDM_CAP_MAC | SPDM_CAP_ENCRYPT | SPDM_CAP_HBEAT |
			      SPDM_CAP_KEY_UPD | SPDM_CAP_HANDSHAKE_IN_CLEAR |
			      SPDM_CAP_EVENT)))
		return "session capability without KEY_EX_CAP or PSK_CAP";
	if (!(f & SPDM_CAP_KEY_EX) && (f & SPDM_CAP_HANDSHAKE_IN_CLEAR))
		return "HANDSHAKE_IN_THE_CLEAR_CAP without KEY_EX_CAP";
	if (spdm_caps_all(f, SPDM_CAP_CERT | SPDM_CAP_PUB_KEY_ID))
		return "CERT_CAP and PUB_KEY_ID_CAP together";
	if (key && !(f & (SPDM_CAP_CHAL | SPDM_CAP_KEY_EX)) &&
	    meas != SPDM_CAP_MEAS_SIG &&
	    (f & SPDM_CAP_EP_INFO_MASK) != SPDM_CAP_EP_INFO_SIG)
		return "CERT_CAP or PUB_KEY_ID_CAP with no capability that signs";
	if (!key && ((f & (SPDM_CAP_CHAL | SPDM_CAP_KEY_EX | SPDM_CAP_MUT_AUTH)) ||
		     meas == SPDM_CAP_MEAS_SIG ||
		     (f & SPDM_CAP_EP_INFO_MASK) == SPDM_CAP_EP_INFO_SIG))
		return "signing capability without CERT_CAP or PUB_KEY_ID_CAP";
	if ((f & SPDM_CAP_MUT_AUTH) && !(f & (SPDM_CAP_CHAL | SPDM_CAP_KEY_EX)))
		return "MUT_AUTH_CAP without CHAL_CAP or KEY_EX_CAP";
	if (version == SPDM_VER_11 && (f & SPDM_CAP_MUT_AUTH) && !(f & SPDM_CAP_ENCAP))
		return "1.1 MUT_AUTH_CAP without ENCAP_CAP";
	if (version == SPDM_VER_11)
		return NULL;
	if (!(f & SPDM_CAP_CERT) && (f & (SPDM_CAP_ALIAS_CERT | SPDM_CAP_SET_CERT)))
		return "ALIAS_CERT_CAP or SET_CERT_CAP without CERT_CAP";
	if ((f & SPDM_CAP_CSR) && !(f & SPDM_CAP_SET_CERT))
		return "CSR_CAP without SET_CERT_CAP";
	if ((f & SPDM_CAP_CERT_INSTALL_RESET) &&
	    !(f & (SPDM_CAP_CSR | SPDM_CAP_SET_CERT)))
		return "CERT_INSTALL_RESET_CAP without CSR_CAP or SET_CERT_CAP";
	if (version == SPDM_VER_12)
		return NULL;
	if ((f & SPDM_CAP_EP_INFO_MASK) == SPDM_CAP_EP_INFO_MASK)
		return "reserved EP_INFO_CAP value 11b";
	if ((f & SPDM_CAP_MULTI_KEY_MASK) == SPDM_CAP_MULTI_KEY_MASK)
		return "reserved MULTI_KEY_CAP value 11b";
	if ((f & SPDM_CAP_MULTI_KEY_MASK) && !(f & SPDM_CAP_GET_KEY_PAIR_INFO))
		return "MULTI_KEY_CAP without GET_KEY_PAIR_INFO_CAP";
	if ((f & SPDM_CAP_PUB_KEY_ID) &&
	    (f & (SPDM_CAP_MULTI_KEY_MASK | SPDM_CAP_GET_KEY_PAIR_INFO |
		  SPDM_CAP_SET_KEY_PAIR_INFO)))
		return "PUB_KEY_ID_CAP with MULTI_KEY_CAP or a KEY_PAIR_INFO capability";
	return NULL;
}

/**
 * spdm_parse_capabilities() - validate CAPABILITIES
 * @st: requester state; @st->rsp_caps and @st->rsp_transfer_size are set
 * @rsp: response
 * @len: bytes received
 * @ctx: unused
 *
 * Flags the negotiated version does not define are ignored (reserved);
 * a combination the version forbids is -EPROTO, a legal responder that
 * cannot be challenged with a certificate -EPROTONOSUPPORT.
 *
 * Return: message length, or -EIO / -EPROTO / -EPROTONOSUPPORT / -EMSGSIZE.
 */
ssize_t spdm_parse_capabilities(struct spdm_state *st, const u8 *rsp,
				size_t len, void *ctx)
{
	const struct spdm_capabilities *c = (const void *)rsp;
	size_t msg_len = spdm_caps_rsp_len(st->version);
	const char *broken;
	u32 flags, dts, max;

	if (len < msg_len) {
		spdm_err(st, "Truncated CAPABILITIES (%zu bytes)\n", len);
		return -EIO;
	}
	flags = le32_to_cpu(c->flags) & spdm_caps_defined(st->version);
	broken = spdm_caps_forbidden(st->version, flags);
	if (broken) {
		spdm_err(st, "CAPABILITIES flags %#x: %s\n", flags, broken);
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
