// SPDX-License-Identifier: GPL-2.0
/*
 * NEGOTIATE_ALGORITHMS / ALGORITHMS (DSP0274 1.3.0 §10.5): offer what the
 * crypto backend can verify, accept exactly one of each back.
 */

#include "spdm-internal.h"

/* Check a selection: one bit of what was offered. */
static int spdm_check_selection(struct spdm_state *st, const char *what,
				u32 sel, u32 offered,
				void (*names)(u32 mask, char *buf, size_t size))
{
	char buf[160];

	if (!sel) {
		names(offered, buf, sizeof(buf));
		spdm_err(st, "No common %s algorithm: offered %#x (%s), the device selected none\n",
			 what, offered, buf);
		return -EPROTONOSUPPORT;
	}
	if (!spdm_one_bit(sel) || (sel & ~offered)) {
		spdm_err(st, "%s selection %#x, offered %#x\n", what, sel, offered);
		return -EPROTO;
	}
	return 0;
}

/*
 * 1.1+ RespAlgStructs: walk them within @len and check that nothing was
 * selected, since the request offered no DHE, AEAD, ReqBaseAsymAlg or
 * KeySchedule algorithm.
 */
static int spdm_check_alg_structs(struct spdm_state *st, const u8 *p,
				  size_t avail, unsigned int count, size_t *used)
{
	const struct spdm_alg_struct *s;
	size_t off = 0, fixed, ext, need;
	unsigned int i, b;

	for (i = 0; i < count; i++) {
		if (avail - off < sizeof(*s))
			return -EIO;
		s = (const void *)(p + off);
		fixed = s->count >> 4;
		ext = s->count & 0xf;
		need = sizeof(*s) + fixed + 4 * ext;
		if (avail - off < need)
			return -EIO;
		if (ext) {
			spdm_err(st, "Extended algorithm selected in struct %u\n", i);
			return -EPROTO;
		}
		for (b = 0; b < fixed; b++) {
			if (p[off + sizeof(*s) + b]) {
				spdm_err(st, "Algorithm type %u selected, never offered\n",
					 s->type);
				return -EPROTO;
			}
		}
		off += need;
	}
	*used = off;
	return 0;
}

/**
 * spdm_parse_algorithms() - validate ALGORITHMS and record the selection
 * @st: requester state; algorithms, @hash_len and @sig_len are set
 * @rsp: response
 * @len: bytes received
 * @ctx: unused
 *
 * Return: message length, or -EIO / -EPROTO / -EPROTONOSUPPORT / -EMSGSIZE.
 */
ssize_t spdm_parse_algorithms(struct spdm_state *st, const u8 *rsp, size_t len,
			      void *ctx)
{
	const struct spdm_algs_rsp *a = (const void *)rsp;
	size_t msg_len = sizeof(*a), structs_len = 0;
	u32 asym, hash, meas_hash;
	int rc;

	if (len < sizeof(*a)) {
		spdm_err(st, "Truncated ALGORITHMS (%zu bytes)\n", len);
		return -EIO;
	}
	/* Nothing extended was offered, so nothing extended may be selected. */
	if (a->ext_asym_sel_count || a->ext_hash_sel_count) {
		spdm_err(st, "Extended algorithms selected, none offered\n");
		return -EPROTO;
	}
	if (st->version >= SPDM_VER_11) {
		rc = spdm_check_alg_structs(st, rsp + sizeof(*a), len - sizeof(*a),
					    a->hdr.param1, &structs_len);
		if (rc == -EIO)
			spdm_err(st, "ALGORITHMS structs exceed %zu bytes\n", len);
		if (rc)
			return rc;
		msg_len += structs_len;
	} else if (a->hdr.param1) {
		spdm_err(st, "1.0 ALGORITHMS with algorithm structs\n");
		return -EPROTO;
	}
	if (le16_to_cpu(a->length) != msg_len) {
		spdm_err(st, "ALGORITHMS Length %u, fields describe %zu\n",
			 le16_to_cpu(a->length), msg_len);
		return le16_to_cpu(a->length) > len ? -EIO : -EPROTO;
	}

	asym = le32_to_cpu(a->base_asym_sel);
	hash = le32_to_cpu(a->base_hash_sel);
	rc = spdm_check_selection(st, "asymmetric", asym, spdm_env_asym_algos(),
				  spdm_asym_names);
	if (!rc)
		rc = spdm_check_selection(st, "hash", hash, spdm_env_hash_algos(),
					  spdm_hash_names);
	if (rc)
		return rc;
	if (st->version >= SPDM_VER_12 && (a->other_params_sel & ~SPDM_OPAQUE_FMT1)) {
		spdm_err(st, "OtherParamsSelection %#x never offered\n",
			 a->other_params_sel);
		return -EPROTO;
	}
	/* DSP0274 1.3.0 §10.5: the request offered no MEL specification */
	if (st->version >= SPDM_VER_13 && a->mel_spec_sel) {
		spdm_err(st, "MELspecificationSel %#x never offered\n",
			 a->mel_spec_sel);
		return -EPROTO;
	}

	meas_hash = le32_to_cpu(a->meas_hash_algo);
	if (st->rsp_caps & SPDM_CAP_MEAS_MASK) {
		if (a->meas_spec_sel != SPDM_MEAS_SPEC_DMTF ||
		    !spdm_one_bit(meas_hash) || (meas_hash & ~SPDM_MEAS_HASH_KNOWN)) {
			spdm_err(st, "Measurement spec %#x hash %#x\n",
				 a->meas_spec_sel, meas_hash);
			return -EPROTO;
		}
	} else {
		/* Without MEAS_CAP the measurement fields carry no meaning. */
		meas_hash = 0;
	}

	st->base_asym = asym;
	st->base_hash = hash;
	st->meas_hash = meas_hash;
	st->hash_len = spdm_env_hash_size(hash);
	st->sig_len = spdm_asym_sig_len(asym);
	if (!st->hash_len || st->hash_len > SPDM_MAX_HASH || !st->sig_len)
		return -EPROTONOSUPPORT;
	return spdm_check_tail(st, msg_len, len);
}

/*
 * ERROR InvalidRequest to this well-formed offer is how a responder that
 * can select nothing from it answers (DMTF libspdm's responder does): no
 * algorithm in common, -EPROTONOSUPPORT of the taxonomy, not -EINVAL.
 */
static int spdm_refused_offer(struct spdm_state *st)
{
	char asym[160], hash[64];

	spdm_asym_names(spdm_env_asym_algos(), asym, sizeof(asym));
	spdm_hash_names(spdm_env_hash_algos(), hash, sizeof(hash));
	spdm_err(st, "No common algorithm: the device answered InvalidRequest to BaseAsymAlgo %#x (%s), BaseHashAlgo %#x (%s)\n",
		 spdm_env_asym_algos(), asym, spdm_env_hash_algos(), hash);
	return -EPROTONOSUPPORT;
}

/**
 * spdm_negotiate_algorithms() - NEGOTIATE_ALGORITHMS exchange
 * @st: requester state
 *
 * Offers exactly spdm_env_asym_algos() and spdm_env_hash_algos(), the DMTF
 * measurement specification, and from 1.2 on opaque data format 1. No
 * algorithm structs: the requester sets up no sessions. Which of several
 * common algorithms is used is the responder's choice (DSP0274 1.3.0
 * §10.5); the requester offers every one it verifies.
 *
 * Return: 0 or a negative errno; -EPROTONOSUPPORT when nothing is in
 * common, whether the responder selects nothing or refuses the offer.
 */
int spdm_negotiate_algorithms(struct spdm_state *st)
{
	struct spdm_negotiate_algs_req *req = (void *)st->req;
	struct spdm_xfer x = {
		.req_len = sizeof(*req),
		.rsp_code = SPDM_ALGORITHMS,
		.parse = spdm_parse_algorithms,
		.log = &st->transcript,
	};
	int rc;

	memset(st->req, 0, sizeof(st->req));
	spdm_header_init(st, st->version, SPDM_NEGOTIATE_ALGORITHMS, 0, 0);
	req->length = cpu_to_le16(sizeof(*req));
	req->meas_spec = SPDM_MEAS_SPEC_DMTF;
	if (st->version >= SPDM_VER_12)
		req->other_params = SPDM_OPAQUE_FMT1;
	/*
	 * DSP0274 1.3.0 §10.5: MULTI_KEY_CONN asks for a multi-key
	 * connection with the responder. A responder supporting only
	 * multi-key (MULTI_KEY_CAP 01b) requires it; one that offers it (10b)
	 * follows the request. This requester takes multi-key whenever
	 * offered, so the key usages of DIGESTS choose the slots.
	 */
	st->multi_key = st->version >= SPDM_VER_13 &&
			(st->rsp_caps & SPDM_CAP_MULTI_KEY_MASK);
	if (st->multi_key)
		req->other_params |= SPDM_MULTI_KEY_CONN;
	req->base_asym = cpu_to_le32(spdm_env_asym_algos());
	req->base_hash = cpu_to_le32(spdm_env_hash_algos());

	rc = spdm_exchange(st, &x);
	if (rc == -EINVAL && st->rsp[1] == SPDM_ERROR &&
	    st->rsp[2] == SPDM_ERR_INVALID_REQUEST)
		rc = spdm_refused_offer(st);
	if (!rc)
		st->vca_len = st->transcript.len;
	return rc;
}
