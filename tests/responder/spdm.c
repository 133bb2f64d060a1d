// SPDX-License-Identifier: GPL-2.0
/*
 * The SPDM responder state machine of one connection: VERSION, CAPABILITIES,
 * ALGORITHMS, DIGESTS, CERTIFICATE, CHALLENGE_AUTH, MEASUREMENTS,
 * RESPOND_IF_READY and ERROR, SPDM 1.0-1.3 (DSP0274), with the transcripts
 * the signatures cover and the hooks where faults.c damages responses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/rand.h>

#include "faults.h"

#define HDR 4				/* SPDMVersion, code, Param1, Param2 */
#define MAX_HASH 64
#define MAX_SIG 512
#define FAULT_OPAQUE_LEN 1000		/* under the 1.2 limit of 1024, past any end */
#define CHAIN_EXTRA 16			/* bytes served beyond the chain header's Length */

enum state { ST_START, ST_VERSION, ST_CAPS, ST_ALGS };

struct session {
	int id;
	enum state state;
	u8 version;			/* negotiated, 0 before GET_CAPABILITIES */
	u32 req_transfer;		/* requester's DataTransferSize, 1.2+ */
	const struct asym_alg *asym;	/* NULL when nothing in common */
	const struct hash_alg *hash;
	bool meas_hash;			/* a measurement hash was selected */
	u8 slot_mask;			/* provisioned slots of the selected algorithm */
	bool multi_key;			/* 1.3 multi-key connection (MULTI_KEY_CONN) */
	struct buf chain[NSLOTS];	/* SPDM cert chains as served (header + DER) */
	struct buf vca;			/* message A, DSP0274 1.3.0 §10.8.1 */
	struct buf b;			/* message B: DIGESTS and CERTIFICATE exchanges */
	struct buf m;			/* L1/L2 measurement exchanges */
	u8 prev_nonce[NONCE_SIZE];	/* requester nonce of the previous CHALLENGE */
	bool have_prev_nonce;
	u32 prev_remainder;		/* RemainderLength of the previous CERTIFICATE */
	u8 busy_done[32];		/* request codes that got their one Busy */
	u8 ready_done[32];		/* ... their one ResponseNotReady */
	struct buf pending;		/* request parked behind ResponseNotReady */
	u8 pending_code;
	u8 token;
	bool pending_forever;
	EVP_PKEY *other_key;
	int versions_seen;		/* GET_VERSION requests, for --switch-identity */
};

struct session *session_new(int id)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->id = id;
	return s;
}

void session_free(struct session *s)
{
	for (int i = 0; i < NSLOTS; i++)
		buf_free(&s->chain[i]);
	buf_free(&s->vca);
	buf_free(&s->b);
	buf_free(&s->m);
	buf_free(&s->pending);
	EVP_PKEY_free(s->other_key);
	free(s);
}

static u16 le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void put_hdr(struct buf *rsp, u8 version, u8 code, u8 p1, u8 p2)
{
	u8 h[HDR] = { version, code, p1, p2 };

	buf_put(rsp, h, HDR);
}

static void error_rsp(struct session *s, struct buf *rsp, u8 err, u8 data)
{
	buf_reset(rsp);
	put_hdr(rsp, s->version ? s->version : 0x10, SPDM_ERROR, err, data);
}

static void not_ready_rsp(struct session *s, struct buf *rsp, u8 code, u8 exponent)
{
	error_rsp(s, rsp, SPDM_ERR_RESPONSE_NOT_READY, 0);
	/* DSP0274 1.3.0 §10.12.1: RDTExponent, RequestCode, Token, RDTM */
	buf_put8(rsp, exponent);
	buf_put8(rsp, code);
	buf_put8(rsp, s->token);
	buf_put8(rsp, 2);
}

static bool offered_version(u8 v)
{
	for (int i = 0; i < cfg.nversions; i++)
		if (cfg.versions[i] == v)
			return true;
	return false;
}

/* Length of the DER element at @p (tag + length + contents), 0 if malformed. */
static size_t der_len(const u8 *p, size_t avail, size_t *hdr)
{
	size_t len = 0, n;

	if (avail < 2)
		return 0;
	if (p[1] < 0x80) {
		*hdr = 2;
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n < 1 || n > 3 || avail < 2 + n)
			return 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		*hdr = 2 + n;
	}
	return *hdr + len <= avail ? *hdr + len : 0;
}

/* The chain as served: DSP0274 1.3.0 §10.7.1 header, then the DER. */
static void build_chain(struct session *s, int i)
{
	const struct slot *slot = &cfg.slots[i];
	struct buf *c = &s->chain[i];
	u8 root_hash[MAX_HASH];
	size_t hdr, root = der_len(slot->certs, slot->certs_len, &hdr);
	size_t total = 4 + s->hash->len + slot->certs_len;

	buf_reset(c);
	if (!root)
		root = slot->certs_len;
	digest(s->hash, slot->certs, root, root_hash);
	buf_put16(c, total);
	buf_put16(c, 0);
	buf_put(c, root_hash, s->hash->len);
	buf_put(c, slot->certs, slot->certs_len);

	if (fault_on(F_ROOTHASH_MISMATCH, SPDM_GET_CERTIFICATE))
		c->data[4] ^= 0xff;
	if (fault_on(F_CERT_CHAIN_TOO_LONG, SPDM_GET_CERTIFICATE))
		buf_put(c, NULL, CHAIN_EXTRA);
	if (fault_on(F_CERT_MALFORMED_DER, SPDM_GET_CERTIFICATE) && root < slot->certs_len) {
		u8 *inter = c->data + 4 + s->hash->len + root;
		size_t ih;

		/* The intermediate's TBSCertificate becomes a SET: framing intact, parse fails. */
		if (der_len(inter, slot->certs_len - root, &ih))
			inter[ih] = 0x31;
	}
}

static int handle_version(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	int n = cfg.nversions;

	/*
	 * --switch-identity: the process serves one connection, one device,
	 * so this changes the identity of that device from now on.
	 */
	if (cfg.switch_after && ++s->versions_seen == cfg.switch_after + 1) {
		cfg.slots[0] = cfg.switch_slot;
		vlog("[%d] slot 0 switched to another identity", s->id);
	}
	/* GET_VERSION resets the connection state, DSP0274 1.3.0 §10.3. */
	s->state = ST_START;
	s->version = 0;
	s->asym = NULL;
	buf_reset(&s->vca);
	buf_reset(&s->b);
	buf_reset(&s->m);

	put_hdr(rsp, 0x10, SPDM_VERSION, 0, 0);
	buf_put8(rsp, 0);
	if (fault_on(F_VERSION_ZERO_ENTRIES, SPDM_GET_VERSION))
		n = 0;
	if (fault_on(F_VERSION_NONE_COMMON, SPDM_GET_VERSION)) {
		buf_put8(rsp, 2);
		buf_put16(rsp, 0x1500);
		buf_put16(rsp, 0x2000);
		n = 0;
	} else {
		buf_put8(rsp, fault_on(F_VERSION_COUNT_OVERFLOW, SPDM_GET_VERSION) ? n + 2 : n);
	}
	for (int i = 0; i < n; i++)
		/* VersionNumberEntry: Major[15:12] Minor[11:8] Update[7:4] Alpha[3:0] */
		buf_put16(rsp, cfg.versions[i] << 8);

	buf_put(&s->vca, req, HDR);
	buf_put(&s->vca, rsp->data, rsp->len);
	s->state = ST_VERSION;
	return 0;
}

/* The CAPABILITIES flags sent: the configured ones, unless a fault bends them. */
static u32 reported_caps(void)
{
	const struct fault *f = fault_on(F_CAPS_FORBIDDEN, SPDM_GET_CAPABILITIES);

	if (!f)
		f = fault_on(F_CERT_MODEL, SPDM_GET_CERTIFICATE);
	if (fault_on(F_CAPS_MEAS_RESERVED, SPDM_GET_CAPABILITIES))
		return cfg.caps | CAP_MEAS_MASK;
	if (f)
		return (cfg.caps & ~f->d->caps_clear) | f->d->caps_set;
	return cfg.caps;
}

static int handle_capabilities(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	u8 v = req[0];
	size_t size = v == 0x10 ? HDR : v == 0x11 ? 12 : 20;	/* DSP0274 1.3.0 §10.4 */

	if (s->state != ST_VERSION) {
		error_rsp(s, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0);
		return 0;
	}
	if (!offered_version(v)) {
		error_rsp(s, rsp, SPDM_ERR_VERSION_MISMATCH, 0);
		return 0;
	}
	if (len < size) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	s->version = v;
	s->req_transfer = v >= 0x12 ? le32(req + 12) : 0;

	put_hdr(rsp, v, SPDM_CAPABILITIES, 0, 0);
	buf_put8(rsp, 0);
	buf_put8(rsp, cfg.ct_exponent);
	buf_put16(rsp, 0);
	buf_put32(rsp, reported_caps());
	if (v >= 0x12) {
		/* DataTransferSize, then MaxSPDMmsgSize: the same, no chunking */
		buf_put32(rsp, fault_on(F_CAPS_TRANSFER_TINY, SPDM_GET_CAPABILITIES) ?
			  16 : cfg.transfer_size);
		buf_put32(rsp, cfg.transfer_size);
	}
	buf_put(&s->vca, req, size);
	buf_put(&s->vca, rsp->data, rsp->len);
	s->state = ST_CAPS;
	return 0;
}

static u32 lowest_bit(u32 mask)
{
	return mask & -mask;
}

static int handle_algorithms(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	u32 asym_offered, hash_offered, asym_sel = 0, hash_sel = 0, meas_hash = 0;
	size_t size, off;
	u8 nstruct, meas_spec = 0, other = 0;

	if (s->state != ST_CAPS) {
		error_rsp(s, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0);
		return 0;
	}
	/* DSP0274 1.3.0 §10.5: 32 fixed bytes, Length covers the whole request. */
	size = len >= 32 ? le16(req + 4) : 0;
	if (size < 32 || size > len) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	if (fault_on(F_ALG_REFUSED, SPDM_NEGOTIATE_ALGORITHMS)) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	asym_offered = le32(req + 8);
	hash_offered = le32(req + 12);
	off = 32 + 4 * (size_t)(req[28] + req[29]);
	nstruct = s->version >= 0x11 ? req[2] : 0;

	s->asym = NULL;
	s->hash = NULL;
	for (int i = 0; i < cfg.nasym && !s->asym; i++)
		for (int j = 0; j < NSLOTS; j++)
			if ((asym_offered & cfg.asym[i]->bit) && cfg.slots[j].present &&
			    cfg.slots[j].alg == cfg.asym[i])
				s->asym = cfg.asym[i];
	for (int i = 0; i < cfg.nhash && !s->hash; i++)
		if (hash_offered & cfg.hash[i]->bit)
			s->hash = cfg.hash[i];
	if (fault_on(F_ALG_NONE_COMMON, SPDM_NEGOTIATE_ALGORITHMS))
		s->asym = NULL;
	if (s->asym)
		asym_sel = s->asym->bit;
	if (s->hash) {
		hash_sel = s->hash->bit;
		if ((cfg.caps & CAP_MEAS_MASK) && (req[6] & 1)) {
			meas_spec = 1;	/* DMTF measurement specification */
			meas_hash = s->hash->meas_bit;
		}
	}
	s->meas_hash = meas_hash;
	if (fault_on(F_ALG_MULTIPLE_HASH, SPDM_NEGOTIATE_ALGORITHMS))
		hash_sel |= lowest_bit(~hash_sel & 0x7) ?: 1u << 3;
	if (fault_on(F_ALG_MULTIPLE_MEAS_HASH, SPDM_NEGOTIATE_ALGORITHMS))
		meas_hash |= meas_hash == 1u << 1 ? 1u << 2 : 1u << 1;
	if (fault_on(F_ALG_MULTIPLE_ASYM, SPDM_NEGOTIATE_ALGORITHMS))
		asym_sel |= lowest_bit(~asym_sel & 0x1ff);
	if (fault_on(F_ALG_NOT_OFFERED, SPDM_NEGOTIATE_ALGORITHMS))
		hash_sel = lowest_bit(~hash_offered & 0x7f) ?: 1u << 7;
	if (s->version >= 0x12 && (req[7] & 0x2))
		other = 0x2;	/* DSP0274 1.2.0 Table 15 OpaqueDataFmt1 */
	/*
	 * DSP0274 1.3.0 §10.5 OtherParamsSupport MULTI_KEY_CONN (bit 5): a
	 * multi-key-only responder refuses a requester that does not ask
	 * for it; a negotiable one follows the request.
	 */
	s->multi_key = false;
	if (s->version >= 0x13 && (cfg.caps & CAP_MULTI_KEY_MASK)) {
		bool asked = req[7] & 0x20;

		if ((cfg.caps & CAP_MULTI_KEY_MASK) == CAP_MULTI_KEY_ONLY && !asked) {
			error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
			return 0;
		}
		s->multi_key = asked;
	}

	put_hdr(rsp, s->version, SPDM_ALGORITHMS, nstruct, 0);
	buf_put16(rsp, 36 + 4 * nstruct +
		  (fault_on(F_ALG_LENGTH_OVERFLOW, SPDM_NEGOTIATE_ALGORITHMS) ? 64 : 0));
	buf_put8(rsp, meas_spec);
	buf_put8(rsp, other);
	buf_put32(rsp, meas_hash);
	buf_put32(rsp, asym_sel);
	buf_put32(rsp, hash_sel);
	buf_put(rsp, NULL, 11);
	/* 1.3 MELspecificationSel; reserved before */
	buf_put8(rsp, s->version >= 0x13 &&
		 fault_on(F_ALG_MEL_NOT_OFFERED, SPDM_NEGOTIATE_ALGORITHMS) ? 1 : 0);
	buf_put8(rsp, 0);	/* ExtAsymSelCount */
	buf_put8(rsp, 0);	/* ExtHashSelCount */
	buf_put16(rsp, 0);
	/* Echo each AlgStruct type with nothing selected: no sessions here. */
	for (int i = 0; i < nstruct; i++) {
		u8 type = off + 2 <= size ? req[off] : 0;

		buf_put8(rsp, type);
		buf_put8(rsp, 0x20);	/* two-byte AlgSupported, no external */
		buf_put16(rsp, 0);
		if (off + 2 <= size)
			off += 4 + 4 * (size_t)(req[off + 1] & 0xf);
	}
	buf_put(&s->vca, req, size);
	buf_put(&s->vca, rsp->data, rsp->len);

	s->slot_mask = 0;
	if (s->asym && s->hash) {
		for (int i = 0; i < NSLOTS; i++)
			if (cfg.slots[i].present && cfg.slots[i].alg == s->asym) {
				s->slot_mask |= 1u << i;
				build_chain(s, i);
			}
		s->state = ST_ALGS;
	}
	return 0;
}

static bool ready(struct session *s, struct buf *rsp, u32 cap)
{
	if (s->state != ST_ALGS) {
		error_rsp(s, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0);
		return false;
	}
	if (!(cfg.caps & cap)) {
		error_rsp(s, rsp, SPDM_ERR_UNSUPPORTED_REQUEST, 0);
		return false;
	}
	return true;
}

/* Key pair i+1 sits behind slot i. */
static u8 key_pair_id(int slot)
{
	return slot + 1;
}

static u16 slot_key_usage(int slot)
{
	return cfg.key_usage[slot] ?: KEY_USAGE_CHALLENGE | KEY_USAGE_MEASUREMENT;
}

static int handle_digests(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	u8 mask = s->slot_mask, d[MAX_HASH];
	bool first = true;

	if (!ready(s, rsp, CAP_CERT))
		return 0;
	if (fault_on(F_DIGESTS_NO_SLOTS, SPDM_GET_DIGESTS))
		mask = 0;
	/* 1.3 puts SupportedSlotMask in Param1, DSP0274 1.3.0 §10.6 */
	put_hdr(rsp, s->version, SPDM_DIGESTS, s->version >= 0x13 ? mask : 0, mask);
	for (int i = 0; i < NSLOTS; i++) {
		if (!(mask & 1u << i))
			continue;
		digest(s->hash, s->chain[i].data, s->chain[i].len, d);
		if (first && fault_on(F_DIGEST_MISMATCH, SPDM_GET_DIGESTS))
			d[0] ^= 0xff;
		buf_put(rsp, d, s->hash->len);
		if (first && fault_on(F_DIGESTS_MASK_MISMATCH, SPDM_GET_DIGESTS))
			buf_put(rsp, d, s->hash->len);
		first = false;
	}
	/* 1.3 multi-key: KeyPairID[n], CertificateInfo[n], KeyUsageMask[n] */
	for (int field = 0; s->multi_key && field < 3; field++) {
		for (int i = 0; i < NSLOTS; i++) {
			if (!(mask & 1u << i))
				continue;
			if (field == 0)
				buf_put8(rsp, key_pair_id(i));
			else if (field == 1)
				buf_put8(rsp, cfg.cert_model[i] ?: 1);
			else
				buf_put16(rsp, slot_key_usage(i));
		}
	}
	buf_put(&s->b, req, HDR);
	buf_put(&s->b, rsp->data, rsp->len);
	return 0;
}

/* GET_KEY_PAIR_INFO (DSP0274 1.3.0): not part of any transcript. */
static int handle_key_pair_info(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	int slot;

	if (!s->multi_key || s->state != ST_ALGS) {
		error_rsp(s, rsp, s->multi_key ? SPDM_ERR_UNEXPECTED_REQUEST :
			  SPDM_ERR_UNSUPPORTED_REQUEST, SPDM_GET_KEY_PAIR_INFO);
		return 0;
	}
	slot = len >= HDR + 1 ? req[HDR] - 1 : -1;
	if (slot < 0 || slot >= NSLOTS || !(s->slot_mask & 1u << slot)) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	put_hdr(rsp, s->version, SPDM_KEY_PAIR_INFO, 0, 0);
	buf_put8(rsp, __builtin_popcount(s->slot_mask));	/* TotalKeyPairs */
	buf_put8(rsp, key_pair_id(slot));
	buf_put16(rsp, 0);			/* Capabilities: nothing to change */
	buf_put16(rsp, KEY_USAGE_ALL);		/* KeyUsageCapabilities */
	buf_put16(rsp, slot_key_usage(slot));	/* CurrentKeyUsage */
	buf_put32(rsp, 0);			/* AsymAlgoCapabilities */
	buf_put32(rsp, 0);			/* CurrentAsymAlgo */
	buf_put16(rsp, 0);			/* PublicKeyInfoLen */
	buf_put8(rsp, 1u << slot);		/* AssocCertSlotMask */
	return 0;
}

static bool cert_fault_chunked(void)
{
	return fault_on(F_CERT_REMAINDER_INCONSISTENT, SPDM_GET_CERTIFICATE) ||
	       fault_on(F_CERT_REMAINDER_GROWING, SPDM_GET_CERTIFICATE);
}

static int handle_certificate(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	u8 slot = req[2] & 0xf;
	size_t total, offset, portion, remainder, cap = cfg.cert_portion;
	u32 portion_field, remainder_field;

	if (!ready(s, rsp, CAP_CERT))
		return 0;
	if (len < 8 || slot >= NSLOTS || !(s->slot_mask & 1u << slot)) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	total = s->chain[slot].len;
	offset = le16(req + 4);
	if (s->version >= 0x13 && (req[3] & 1)) {
		/* SlotSizeRequested, DSP0274 1.3.0 §10.7: only the size. */
		offset = 0;
		portion = 0;
	} else {
		if (offset >= total) {
			error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
			return 0;
		}
		if (s->version >= 0x12) {
			size_t t = cfg.transfer_size;

			if (s->req_transfer && s->req_transfer < t)
				t = s->req_transfer;
			if (t - 8 < cap)
				cap = t - 8;
		}
		if (cert_fault_chunked() && cap > total / 3)
			cap = total / 3;
		if (fault_on(F_CERT_PORTION_ONE, SPDM_GET_CERTIFICATE))
			cap = 1;
		portion = le16(req + 6);
		if (portion > total - offset)
			portion = total - offset;
		if (portion > cap)
			portion = cap;
	}
	remainder = total - offset - portion;
	portion_field = portion;
	remainder_field = remainder;

	if (fault_on(F_CERT_PORTION_ZERO, SPDM_GET_CERTIFICATE)) {
		portion = portion_field = 0;
		remainder_field = total - offset;
	}
	if (fault_on(F_CERT_PORTION_PAST_END, SPDM_GET_CERTIFICATE))
		portion_field += 64;
	if (offset && fault_on(F_CERT_REMAINDER_INCONSISTENT, SPDM_GET_CERTIFICATE))
		remainder_field += 7;
	if (offset && fault_on(F_CERT_REMAINDER_GROWING, SPDM_GET_CERTIFICATE))
		remainder_field = s->prev_remainder + 64;
	s->prev_remainder = remainder_field;

	put_hdr(rsp, s->version, SPDM_CERTIFICATE,
		fault_on(F_CERT_WRONG_SLOT, SPDM_GET_CERTIFICATE) ? (slot + 1) % NSLOTS : slot, 0);
	buf_put16(rsp, portion_field);
	buf_put16(rsp, remainder_field);
	buf_put(rsp, s->chain[slot].data + offset, portion);
	buf_put(&s->b, req, 8);
	buf_put(&s->b, rsp->data, rsp->len);
	return 0;
}

/* The signing key, or another key of the same kind for sig-other-key. */
static EVP_PKEY *signing_key(struct session *s, int slot, u8 code)
{
	EVP_PKEY *key = cfg.slots[slot].key;

	if (!fault_on(F_SIG_OTHER_KEY, code))
		return key;
	if (!s->other_key) {
		if (EVP_PKEY_is_a(key, "RSA"))
			s->other_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
							 (size_t)EVP_PKEY_get_bits(key));
		else if (s->asym->bit == asym_by_name("ecp256")->bit)
			s->other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		else if (s->asym->bit == asym_by_name("ecp384")->bit)
			s->other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		else
			s->other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	}
	return s->other_key ? s->other_key : key;
}

/*
 * Sign transcript @t: 1.0/1.1 sign the transcript itself; 1.2+ sign the
 * combined prefix "dmtf-spdm-v1.x.*" x4, zero pad, context, then the
 * transcript hash (DSP0274 1.2.0 §15).
 */
static int sign_transcript(struct session *s, int slot, u8 code, const struct buf *t,
			   const char *context, u8 *sig)
{
	struct buf m = { 0 };
	u8 h[MAX_HASH];
	char prefix[17];
	int ret;

	if (s->version >= 0x12) {
		snprintf(prefix, sizeof(prefix), "dmtf-spdm-v1.%c.*", '0' + (s->version & 0xf));
		for (int i = 0; i < 4; i++)
			buf_put(&m, prefix, 16);
		buf_put(&m, NULL, 36 - strlen(context));
		buf_put(&m, context, strlen(context));
		digest(s->hash, t->data, t->len, h);
		buf_put(&m, h, s->hash->len);
	} else {
		buf_put(&m, t->data, t->len);
	}
	ret = sign_message(signing_key(s, slot, code), s->asym, s->hash, m.data, m.len, sig);
	buf_free(&m);
	if (!ret && fault_on(F_SIG_CORRUPT, code))
		sig[s->asym->sig_len / 2] ^= 0x5a;
	return ret;
}

/* DMTF-format measurement blocks (DSP0274 1.3.0 §10.11.1): digests of the configured texts. */
static void meas_blocks(struct session *s, int index, struct buf *out, int *count)
{
	static const char *const defaults[] = { "rom 1.0", "firmware 2.3.4", "hw-config A" };
	int n = cfg.nmeas ? cfg.nmeas : 3;
	u8 h[MAX_HASH];

	*count = 0;
	for (int i = 0; i < n; i++) {
		const char *text = cfg.nmeas ? cfg.meas[i] : defaults[i];

		if (index != 0xff && index != i + 1)
			continue;
		digest(s->hash, (const u8 *)text, strlen(text), h);
		buf_put8(out, i + 1);			/* Index */
		buf_put8(out, 1);			/* MeasurementSpecification: DMTF */
		buf_put16(out, 3 + s->hash->len);	/* MeasurementSize */
		buf_put8(out, i < 4 ? i : 4);		/* value type: ROM, firmware, hw/fw config */
		buf_put16(out, s->hash->len);
		buf_put(out, h, s->hash->len);
		(*count)++;
	}
}

/* Echo the 1.3 RequesterContext (DSP0274 1.3.0 §10.8.2), or not for context-mismatch. */
static void put_context(struct buf *rsp, const u8 *ctx, u8 code)
{
	buf_put(rsp, ctx, REQ_CONTEXT_SIZE);
	if (fault_on(F_CONTEXT_MISMATCH, code))
		rsp->data[rsp->len - 1] ^= 0xff;
}

static int handle_challenge(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	size_t size = s->version >= 0x13 ? 44 : 36;	/* DSP0274 1.3.0 §10.8 */
	u8 slot = req[2], nonce[NONCE_SIZE], sig[MAX_SIG], h[MAX_HASH];
	struct buf t = { 0 };
	size_t c_start;

	if (!ready(s, rsp, CAP_CHAL))
		return 0;
	if (len < size || slot >= NSLOTS || !(s->slot_mask & 1u << slot) ||
	    (s->multi_key && !(slot_key_usage(slot) & KEY_USAGE_CHALLENGE))) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	put_hdr(rsp, s->version, SPDM_CHALLENGE_AUTH,
		fault_on(F_CHALLENGE_WRONG_SLOT, SPDM_CHALLENGE) ? (slot + 1) % NSLOTS : slot,
		1u << slot);
	digest(s->hash, s->chain[slot].data, s->chain[slot].len, h);
	buf_put(rsp, h, s->hash->len);			/* CertChainHash */
	RAND_bytes(nonce, sizeof(nonce));
	buf_put(rsp, nonce, sizeof(nonce));
	if (req[3]) {					/* MeasurementSummaryHash */
		struct buf blocks = { 0 };
		int n;

		meas_blocks(s, 0xff, &blocks, &n);
		digest(s->hash, blocks.data, blocks.len, h);
		buf_put(rsp, h, s->hash->len);
		buf_free(&blocks);
	}
	buf_put16(rsp, fault_on(F_OPAQUE_OVERFLOW, SPDM_CHALLENGE) ? FAULT_OPAQUE_LEN : 0);
	if (s->version >= 0x13)
		put_context(rsp, req + 36, SPDM_CHALLENGE);

	/* M2 = A || B || C, DSP0274 1.3.0 §10.8.1; C excludes the signature. */
	buf_put(&t, s->vca.data, s->vca.len);
	buf_put(&t, s->b.data, s->b.len);
	c_start = t.len;
	buf_put(&t, req, size);
	buf_put(&t, rsp->data, rsp->len);
	if (fault_on(F_STALE_NONCE, SPDM_CHALLENGE)) {
		/* Replay: what we would have signed for the previous challenge's nonce. */
		if (s->have_prev_nonce)
			memcpy(t.data + c_start + HDR, s->prev_nonce, NONCE_SIZE);
		else
			t.data[c_start + HDR] ^= 0xff;
	}
	if (sign_transcript(s, slot, SPDM_CHALLENGE, &t, "responder-challenge_auth signing",
			    sig)) {
		buf_free(&t);
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	buf_put(rsp, sig, s->asym->sig_len);
	buf_free(&t);
	memcpy(s->prev_nonce, req + HDR, NONCE_SIZE);
	s->have_prev_nonce = true;
	buf_reset(&s->b);
	return 0;
}

static int handle_measurements(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	bool sign = req[2] & 1;
	size_t size = sign ? (s->version == 0x10 ? 36 : 37) : HDR;	/* DSP0274 1.3.0 §10.11 */
	u8 op = req[3], slot = 0, nonce[NONCE_SIZE], sig[MAX_SIG];
	struct buf blocks = { 0 }, t = { 0 };
	size_t rec_len;
	int n = 0;

	if (!ready(s, rsp, CAP_MEAS_MASK))
		return 0;
	if (s->version >= 0x13)
		size += REQ_CONTEXT_SIZE;
	if (len < size) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	if (sign && s->version >= 0x11)
		slot = req[36] & 0xf;
	else if (s->slot_mask)
		/* 1.0 has no SlotIDParam: sign with the first slot of the negotiated algorithm. */
		slot = __builtin_ctz(s->slot_mask);
	if (sign && (!(cfg.caps & CAP_MEAS_SIG) || slot >= NSLOTS ||
		     !(s->slot_mask & 1u << slot) ||
		     (s->multi_key && !(slot_key_usage(slot) & KEY_USAGE_MEASUREMENT)))) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	if (op)
		meas_blocks(s, op, &blocks, &n);
	if (op && !n) {
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	if (n && fault_on(F_MEAS_BLOCK_OVERFLOW, SPDM_GET_MEASUREMENTS)) {
		/* MeasurementSize of the last block (blocks are equal-sized) */
		size_t last = blocks.len - blocks.len / n;

		blocks.data[last + 2] += 64;
	}
	/* First block: Index 0, MeasurementSpecification 1, DMTF value size 5 */
	if (n && fault_on(F_MEAS_BLOCK_SPEC, SPDM_GET_MEASUREMENTS))
		blocks.data[1] = 0x02;
	if (n && fault_on(F_MEAS_VALUE_SIZE, SPDM_GET_MEASUREMENTS))
		blocks.data[5]--;
	put_hdr(rsp, s->version, SPDM_MEASUREMENTS, op ? 0 : (cfg.nmeas ? cfg.nmeas : 3),
		!sign || s->version < 0x11 ? 0 :
		fault_on(F_MEAS_WRONG_SLOT, SPDM_GET_MEASUREMENTS) ? (slot + 1) % NSLOTS : slot);
	buf_put8(rsp, fault_on(F_MEAS_COUNT_MISMATCH, SPDM_GET_MEASUREMENTS) ? n + 1 : n);
	rec_len = fault_on(F_MEAS_RECORD_OVERFLOW, SPDM_GET_MEASUREMENTS) ? 0xffffff : blocks.len;
	buf_put8(rsp, rec_len);
	buf_put8(rsp, rec_len >> 8);
	buf_put8(rsp, rec_len >> 16);
	buf_put(rsp, blocks.data, blocks.len);
	RAND_bytes(nonce, sizeof(nonce));
	buf_put(rsp, nonce, sizeof(nonce));
	buf_put16(rsp, fault_on(F_OPAQUE_OVERFLOW, SPDM_GET_MEASUREMENTS) ? FAULT_OPAQUE_LEN : 0);
	if (s->version >= 0x13)
		put_context(rsp, req + size - REQ_CONTEXT_SIZE, SPDM_GET_MEASUREMENTS);
	buf_free(&blocks);

	buf_put(&s->m, req, size);
	buf_put(&s->m, rsp->data, rsp->len);
	if (!sign)
		return 0;
	/* L1 (1.0/1.1) is the measurement exchanges; L2 (1.2+) prefixes message A. */
	if (s->version >= 0x12)
		buf_put(&t, s->vca.data, s->vca.len);
	buf_put(&t, s->m.data, s->m.len);
	buf_reset(&s->m);
	if (sign_transcript(s, slot, SPDM_GET_MEASUREMENTS, &t, "responder-measurements signing",
			    sig)) {
		buf_free(&t);
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	buf_free(&t);
	buf_put(rsp, sig, s->asym->sig_len);
	return 0;
}

static int dispatch(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	u8 code = req[1];

	if (code != SPDM_GET_VERSION && s->version && req[0] != s->version &&
	    code != SPDM_GET_CAPABILITIES) {
		error_rsp(s, rsp, SPDM_ERR_VERSION_MISMATCH, 0);
		return 0;
	}
	/* Any other request ends a run of measurement exchanges (L1/L2). */
	if (code != SPDM_GET_MEASUREMENTS)
		buf_reset(&s->m);
	switch (code) {
	case SPDM_GET_VERSION:
		return handle_version(s, req, len, rsp);
	case SPDM_GET_CAPABILITIES:
		return handle_capabilities(s, req, len, rsp);
	case SPDM_NEGOTIATE_ALGORITHMS:
		return handle_algorithms(s, req, len, rsp);
	case SPDM_GET_DIGESTS:
		return handle_digests(s, req, len, rsp);
	case SPDM_GET_CERTIFICATE:
		return handle_certificate(s, req, len, rsp);
	case SPDM_CHALLENGE:
		return handle_challenge(s, req, len, rsp);
	case SPDM_GET_MEASUREMENTS:
		return handle_measurements(s, req, len, rsp);
	case SPDM_GET_KEY_PAIR_INFO:
		return handle_key_pair_info(s, req, len, rsp);
	default:
		error_rsp(s, rsp, SPDM_ERR_UNSUPPORTED_REQUEST, code);
		return 0;
	}
}

/* Faults that replace the whole answer before the request is looked at. */
static int pre_faults(struct session *s, u8 code, bool replay, struct buf *rsp, bool *done)
{
	const struct fault *f;

	*done = true;
	if (fault_on(F_CLOSE, code))
		return 2;
	if (fault_on(F_HANG, code))
		return 1;
	if (!replay) {
		if (fault_on(F_BUSY, code)) {
			error_rsp(s, rsp, SPDM_ERR_BUSY, 0);
			return 0;
		}
		if (fault_on(F_BUSY_ONCE, code) && !(s->busy_done[code / 8] & 1u << code % 8)) {
			s->busy_done[code / 8] |= 1u << code % 8;
			error_rsp(s, rsp, SPDM_ERR_BUSY, 0);
			return 0;
		}
		if (fault_on(F_UNSUPPORTED, code)) {
			error_rsp(s, rsp, SPDM_ERR_UNSUPPORTED_REQUEST, code);
			return 0;
		}
		f = fault_on(F_ERROR_CODE, code);
		if (f) {
			error_rsp(s, rsp, f->d->err, 0);
			return 0;
		}
		if (fault_on(F_NOT_READY, code) || fault_on(F_NOT_READY_ABSURD, code))
			return -1;
		if (fault_on(F_NOT_READY_ONCE, code) && !(s->ready_done[code / 8] & 1u << code % 8)) {
			s->ready_done[code / 8] |= 1u << code % 8;
			return -1;
		}
	}
	*done = false;
	return 0;
}

static void post_faults(struct session *s, u8 code, struct buf *rsp)
{
	const struct fault *f;

	if (rsp->len < HDR || rsp->data[1] == SPDM_ERROR)
		return;
	if (fault_on(F_WRONG_CODE, code))
		rsp->data[1] = rsp->data[1] == SPDM_DIGESTS ? SPDM_CERTIFICATE : SPDM_DIGESTS;
	if (fault_on(F_WRONG_VERSION, code))
		rsp->data[0] = rsp->data[0] == 0x13 ? 0x12 : rsp->data[0] + 1;
	f = fault_on(F_TRUNCATE, code);
	if (f)
		rsp->len = f->arg >= 0 && (size_t)f->arg < rsp->len ? (size_t)f->arg : rsp->len / 2;
	if (fault_on(F_GARBAGE, code)) {
		buf_reset(rsp);
		buf_put(rsp, NULL, 64);
		RAND_bytes(rsp->data, 64);
		rsp->data[0] |= 0x80;	/* never a version byte */
	}
	f = fault_on(F_OVERSIZE, code);
	if (f) {
		size_t to = f->arg >= 0 ? (size_t)f->arg : 65536;

		if (to > rsp->len)
			buf_put(rsp, NULL, to - rsp->len);
	}
}

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int session_handle(struct session *s, const u8 *req, size_t len, struct buf *rsp)
{
	double t0 = cpu_us();
	bool replay = false, done;
	u8 code;
	int ret;

	if (len < HDR) {
		vlog("conn %d: runt request of %zu bytes", s->id, len);
		error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
		return 0;
	}
	code = req[1];
	vlog("conn %d: <- %s v%x.%x %zu bytes", s->id, code_name(code), req[0] >> 4, req[0] & 0xf,
	     len);

	if (code == SPDM_RESPOND_IF_READY) {
		if (!s->pending.len) {
			error_rsp(s, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0);
			goto out;
		}
		if (req[2] != s->pending_code || req[3] != s->token) {
			error_rsp(s, rsp, SPDM_ERR_INVALID_REQUEST, 0);
			goto out;
		}
		if (s->pending_forever) {
			not_ready_rsp(s, rsp, s->pending_code, 10);
			goto out;
		}
		/* Answer the parked request; its bytes, not RESPOND_IF_READY's, enter the transcript. */
		buf_reset(rsp);
		req = s->pending.data;
		len = s->pending.len;
		code = s->pending_code;
		replay = true;
	}

	if (code == SPDM_GET_VERSION)
		s->version = 0;		/* even an ERROR to GET_VERSION speaks 1.0 */
	ret = pre_faults(s, code, replay, rsp, &done);
	if (ret < 0) {
		bool absurd = fault_on(F_NOT_READY_ABSURD, code);

		s->token++;
		buf_reset(&s->pending);
		buf_put(&s->pending, req, len);
		s->pending_code = code;
		s->pending_forever = !fault_on(F_NOT_READY_ONCE, code);
		not_ready_rsp(s, rsp, code, absurd ? 31 : 10);
		goto out;
	}
	if (done) {
		if (ret)
			return ret;
		goto out;
	}
	dispatch(s, req, len, rsp);
	if (replay)
		buf_reset(&s->pending);
	post_faults(s, code, rsp);
out:
	vlog("conn %d: -> %s %zu bytes (cpu %.0f us)", s->id,
	     rsp->len >= HDR ? code_name(rsp->data[1]) : "(short)", rsp->len, cpu_us() - t0);
	return 0;
}
