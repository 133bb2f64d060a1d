// SPDX-License-Identifier: GPL-2.0
/*
 * GET_VERSION / VERSION (DSP0274 1.3.0 §10.3): pick the highest version
 * both sides speak, no lower than the configured minimum.
 */

#include "spdm-internal.h"

/* VersionNumberEntry: major 15:12, minor 11:8, update 7:4, alpha 3:0 */
static u8 spdm_entry_version(u16 entry)
{
	return entry >> 8;
}

/**
 * spdm_parse_version() - validate VERSION and select the version
 * @st: requester state; @st->version is set
 * @rsp: response
 * @len: bytes received
 * @ctx: unused
 *
 * Return: message length, or -EIO / -EPROTO / -EPROTONOSUPPORT / -EMSGSIZE.
 */
ssize_t spdm_parse_version(struct spdm_state *st, const u8 *rsp, size_t len,
			   void *ctx)
{
	const struct spdm_version_rsp *v = (const void *)rsp;
	u8 min = st->cfg.min_version ? st->cfg.min_version : SPDM_VER_MIN;
	u8 best = 0, ver;
	size_t msg_len;
	unsigned int i;

	if (len < sizeof(*v)) {
		spdm_err(st, "Truncated VERSION (%zu bytes)\n", len);
		return -EIO;
	}
	if (!v->entry_count) {
		spdm_err(st, "VERSION without entries\n");
		return -EPROTO;
	}
	msg_len = struct_size(v, entries, v->entry_count);
	if (msg_len > len) {
		spdm_err(st, "VERSION lists %u entries in %zu bytes\n",
			 v->entry_count, len);
		return -EIO;
	}
	for (i = 0; i < v->entry_count; i++) {
		ver = spdm_entry_version(get_unaligned_le16(&v->entries[i]));
		if (ver >= min && ver <= SPDM_VER_MAX && ver > best)
			best = ver;
	}
	if (!best) {
		spdm_err(st, "No common version at or above %#x\n", min);
		return -EPROTONOSUPPORT;
	}
	st->version = best;
	return spdm_check_tail(st, msg_len, len);
}

/**
 * spdm_get_version() - GET_VERSION exchange, starting a new transcript
 * @st: requester state
 *
 * Return: 0 or a negative errno.
 */
int spdm_get_version(struct spdm_state *st)
{
	struct spdm_xfer x = {
		.req_len = sizeof(struct spdm_header),
		.rsp_code = SPDM_VERSION,
		.parse = spdm_parse_version,
		.log = &st->transcript,
	};

	/* DSP0274 1.3.0 §10.3: GET_VERSION is always sent as version 1.0 */
	spdm_header_init(st, SPDM_VER_10, SPDM_GET_VERSION, 0, 0);
	st->version = 0;
	spdm_transcript_reset(&st->transcript);
	return spdm_exchange(st, &x);
}
