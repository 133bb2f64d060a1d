// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for one response parser of the SPDM requester, chosen
 * at build time with -DPARSER=<name>. The first four input bytes set up
 * the connection (version, hash, slot, request details), the rest is the
 * response as received, in a buffer of exactly its size so that any read
 * past it trips ASan. An accepted response must also describe itself
 * consistently (check_accepted()).
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz-state.h"

#define SETUP 4

static const u32 hashes[] = { BIT(0), BIT(1), BIT(2) };
/* ECDSA, RSASSA, then RSASSA-PSS (DSP0274 1.3.0 Table 15 bits) */
static const u32 asyms[] = { BIT(4), BIT(7), BIT(8), BIT(0), BIT(2), BIT(5), BIT(1), BIT(3), BIT(6) };

/*
 * What an accepted response promises its caller, so that the fuzzer finds
 * lengths that are wrong but stay inside the buffer, not only overruns.
 */
static void check_accepted(ssize_t msg_len, size_t len,
			   const struct spdm_cert_ctx *cc,
			   const struct spdm_signed_ctx *sc)
{
	size_t end = msg_len;

	if (end < sizeof(struct spdm_header) || end > len || len - end > SPDM_MAX_PAD)
		abort();
	if ((const void *)PARSER_CTX == (const void *)cc &&
	    (!cc->portion || cc->portion > cc->length || cc->total > SPDM_MAX_CHAIN ||
	     cc->offset + cc->portion > cc->total ||
	     sizeof(struct spdm_certificate_rsp) + cc->portion != end))
		abort();
	if ((const void *)PARSER_CTX == (const void *)sc &&
	    (sc->sig_off + st->sig_len != end ||
	     sc->nonce_off + SPDM_NONCE_SIZE + sizeof(__le16) > sc->sig_off ||
	     sc->data_off + sc->data_len > sc->nonce_off))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct spdm_cert_ctx cc = {};
	struct spdm_signed_ctx sc = {};
	ssize_t rc;
	u8 *rsp;
	size_t len;

	if (size < SETUP + sizeof(struct spdm_header))
		return 0;
	st->version = SPDM_VER_10 + (data[0] & 3);
	st->base_hash = hashes[data[1] % 3];
	st->base_asym = asyms[(data[1] >> 2) % ARRAY_SIZE(asyms)];
	st->hash_len = spdm_env_hash_size(st->base_hash);
	st->sig_len = spdm_asym_sig_len(st->base_asym);
	st->rsp_caps = data[0] & 0x80 ? SPDM_CAP_MEAS_SIG : 0;
	cc.slot = sc.slot = data[2] & 7;
	cc.offset = data[3] & 0x80 ? 1024 : 0;
	cc.total = cc.offset ? 4096 : 0;
	cc.length = 1024;

	len = size - SETUP;
	rsp = malloc(len);
	memcpy(rsp, data + SETUP, len);
	rc = PARSER(st, rsp, len, PARSER_CTX);
	free(rsp);
	if (rc >= 0)
		check_accepted(rc, len, &cc, &sc);
	return 0;
}
