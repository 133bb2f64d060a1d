// SPDX-License-Identifier: GPL-2.0
/*
 * The authentication sequence (DSP0274 1.3.0 §10, Figure "Requester flow"):
 * VERSION, CAPABILITIES, ALGORITHMS, DIGESTS, CERTIFICATE for every
 * provisioned slot whose chain is not cached, CHALLENGE, and signed
 * MEASUREMENTS when the responder offers them. Also the state's life cycle
 * and the evidence it keeps.
 */

#include "spdm-internal.h"

static void spdm_slot_forget(struct spdm_slot *s)
{
	spdm_env_cert_free(s->leaf);
	spdm_env_free(s->chain);
	s->leaf = NULL;
	s->chain = NULL;
	s->chain_len = 0;
	s->chain_alg = 0;
}

/*
 * Without a 1.3 multi-key connection DIGESTS names no model: every slot
 * uses the AliasCert model when the responder advertises ALIAS_CERT_CAP
 * (DSP0274 1.2.0 Table 11), else the DeviceCert model.
 */
static void spdm_set_cert_models(struct spdm_state *st)
{
	u8 model = st->rsp_caps & SPDM_CAP_ALIAS_CERT ? SPDM_CERT_INFO_MODEL_ALIAS :
						       SPDM_CERT_INFO_MODEL_DEVICE;
	unsigned int slot;

	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		st->slots[slot].cert_model = model;
		st->slots[slot].key_pair_id = 0;
		st->slots[slot].key_usage = 0;
	}
}

/*
 * The lowest provisioned slot whose key may be used for @usage: in a
 * multi-key connection DIGESTS says which (KeyUsageMask), otherwise every
 * slot's key may sign anything. SPDM_MAX_SLOTS when none may.
 */
static u8 spdm_pick_slot(const struct spdm_state *st, u16 usage)
{
	u8 slot;

	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++)
		if ((st->slot_mask & BIT(slot)) &&
		    (!st->multi_key || (st->slots[slot].key_usage & usage)))
			break;
	return slot;
}

/*
 * Fetch the chain of every provisioned slot, unless the chain cached from
 * an earlier authentication still has the digest DIGESTS just reported.
 * @confirmed gets the slots whose chain this run fetched or matched.
 */
static int spdm_fetch_chains(struct spdm_state *st, u8 *confirmed)
{
	struct spdm_slot *s;
	unsigned int slot;
	int rc;

	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		s = &st->slots[slot];
		if (!(st->slot_mask & BIT(slot))) {
			spdm_slot_forget(s);
			continue;
		}
		if (s->chain && s->chain_alg == st->base_hash &&
		    s->chain_model == s->cert_model &&
		    !memcmp(s->chain_digest, s->digest, st->hash_len)) {
			spdm_dbg(st, "Slot %u chain unchanged, not fetched\n", slot);
			*confirmed |= BIT(slot);
			continue;
		}
		spdm_slot_forget(s);
		rc = spdm_get_certificate(st, slot);
		if (rc)
			return rc;
		*confirmed |= BIT(slot);
	}
	return 0;
}

/*
 * Only chains this run's DIGESTS confirmed are evidence: after a failed
 * fetch, the cached chains of later slots may be stale.
 */
static void spdm_publish_chains(struct spdm_state *st, u8 confirmed)
{
	unsigned int slot;

	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		if (!(confirmed & BIT(slot)))
			continue;
		st->evidence.chain[slot] = st->slots[slot].chain;
		st->evidence.chain_len[slot] = st->slots[slot].chain_len;
		st->evidence.cert_model[slot] = st->slots[slot].cert_model;
	}
}

static int spdm_run(struct spdm_state *st)
{
	struct spdm_evidence *ev = &st->evidence;
	u8 slot, confirmed = 0;
	int rc;

	rc = spdm_get_version(st);
	if (!rc)
		rc = spdm_get_capabilities(st);
	if (!rc)
		rc = spdm_negotiate_algorithms(st);
	if (rc)
		return rc;
	ev->version = st->version;
	ev->base_asym_alg = st->base_asym;
	ev->base_hash_alg = st->base_hash;
	ev->meas_hash_alg = st->meas_hash;

	rc = spdm_get_digests(st);
	if (rc)
		return rc;
	ev->slot_mask = st->slot_mask;
	ev->multi_key = st->multi_key;
	if (!st->multi_key)
		spdm_set_cert_models(st);
	rc = spdm_fetch_chains(st, &confirmed);
	spdm_publish_chains(st, confirmed);
	if (rc)
		return rc;

	/* The lowest provisioned slot whose key may sign challenges. */
	slot = spdm_pick_slot(st, SPDM_KEY_USAGE_CHALLENGE);
	if (slot == SPDM_MAX_SLOTS) {
		spdm_err(st, "No slot's key may sign challenges (slots %#x)\n",
			 st->slot_mask);
		return -ENOKEY;
	}
	ev->slot = slot;
	ev->key_pair_id = st->slots[slot].key_pair_id;
	ev->key_usage = st->slots[slot].key_usage;
	if (st->multi_key) {
		rc = spdm_get_key_pair_info(st, slot);
		if (rc)
			return rc;
	}
	rc = spdm_challenge(st, slot);
	if (rc || !(st->rsp_caps & SPDM_CAP_MEAS_SIG))
		return rc;
	/* Measurements are signed by a key that may sign them, if any. */
	slot = spdm_pick_slot(st, SPDM_KEY_USAGE_MEASUREMENT);
	if (slot == SPDM_MAX_SLOTS) {
		spdm_dbg(st, "No slot's key may sign measurements, none asked for\n");
		return 0;
	}
	ev->meas_slot = slot;
	return spdm_get_measurements(st, slot);
}

/**
 * spdm_authenticate() - authenticate the responder
 * @st: state from spdm_create()
 * @nonce: 32-byte requester nonce, or NULL for a random one
 *
 * Runs the whole sequence; a RequestResynch restarts it once. The
 * deadline spdm_config.auth_timeout_ms covers the whole call, restart
 * included: no exchange starts after it. The evidence of the run
 * (complete or not) is available afterwards through spdm_get_evidence().
 * Callers serialise calls on one state.
 *
 * Return: 0 when the responder proved possession of the leaf key of a
 * well-formed chain, else a negative errno as documented in core.c.
 */
int spdm_authenticate(struct spdm_state *st, const u8 *nonce)
{
	bool restarted = false;
	int rc;

	/* u32 milliseconds in nanoseconds: far from overflowing a u64 */
	st->deadline_ns = spdm_env_time_ns() + st->cfg.auth_timeout_ms * 1000000ULL;
	st->exchanges = 0;
	for (;;) {
		memset(&st->evidence, 0, sizeof(st->evidence));
		spdm_transcript_reset(&st->meas_transcript);
		st->resynch = false;
		if (nonce) {
			memcpy(st->nonce, nonce, SPDM_NONCE_SIZE);
			rc = 0;
		} else {
			rc = spdm_env_random(st->nonce, SPDM_NONCE_SIZE);
		}
		if (!rc)
			rc = spdm_env_random(st->context, SPDM_REQ_CONTEXT_SIZE);
		if (!rc)
			rc = spdm_run(st);
		if (rc == -EAGAIN && st->resynch && !restarted) {
			restarted = true;
			continue;
		}
		break;
	}
	if (rc)
		spdm_err(st, "Authentication failed: %d\n", rc);
	else
		spdm_dbg(st, "Authenticated: version %#x asym %#x hash %#x slots %#x\n",
			 st->version, st->base_asym, st->base_hash, st->slot_mask);
	return rc;
}

/**
 * spdm_get_evidence() - what the last spdm_authenticate() saw
 * @st: requester state
 *
 * Return: the evidence; pointers in it live until the next
 * spdm_authenticate() or spdm_destroy() on @st.
 */
const struct spdm_evidence *spdm_get_evidence(const struct spdm_state *st)
{
	return &st->evidence;
}

/**
 * spdm_release_evidence() - free what only the evidence still needs
 * @st: requester state
 *
 * Frees the transcripts and the measurement record of the last
 * spdm_authenticate(), so that a device pins no more than its cached chains
 * between authentications; call it once the evidence has been copied.
 * spdm_get_evidence() then has no transcript, signature or measurements.
 */
void spdm_release_evidence(struct spdm_state *st)
{
	memset(&st->evidence, 0, sizeof(st->evidence));
	spdm_transcript_free(&st->transcript);
	spdm_transcript_free(&st->meas_transcript);
	spdm_env_free(st->meas);
	st->meas = NULL;
	st->meas_len = 0;
}

/**
 * spdm_create() - state for talking to one responder
 * @config: transport and limits; copied
 *
 * The receive buffer is @config->max_msg_size (4096 when 0), clamped to
 * a sane range; a response filling it is treated as truncated. An
 * @config->auth_timeout_ms of 0 stands for %SPDM_AUTH_TIMEOUT_DEFAULT_MS.
 *
 * Return: the state, or NULL on invalid config or allocation failure.
 */
struct spdm_state *spdm_create(const struct spdm_config *config)
{
	struct spdm_state *st;
	size_t cap;

	if (!config || !config->transport)
		return NULL;
	if (config->min_version > SPDM_VER_MAX)
		return NULL;
	st = spdm_env_zalloc(sizeof(*st));
	if (!st)
		return NULL;
	st->cfg = *config;
	if (!st->cfg.auth_timeout_ms)
		st->cfg.auth_timeout_ms = SPDM_AUTH_TIMEOUT_DEFAULT_MS;
	cap = config->max_msg_size ? config->max_msg_size : SPDM_DEFAULT_BUF;
	st->rsp_cap = clamp_t(size_t, cap, SPDM_MIN_BUF, SPDM_MAX_BUF);
	st->rsp = spdm_env_zalloc(st->rsp_cap);
	if (!st->rsp) {
		spdm_env_free(st);
		return NULL;
	}
	return st;
}

/**
 * spdm_destroy() - free the state, its cached chains and evidence
 * @st: state, or NULL
 */
void spdm_destroy(struct spdm_state *st)
{
	unsigned int slot;

	if (!st)
		return;
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++)
		spdm_slot_forget(&st->slots[slot]);
	spdm_transcript_free(&st->transcript);
	spdm_transcript_free(&st->meas_transcript);
	spdm_env_free(st->meas);
	spdm_env_free(st->rsp);
	spdm_env_free_sensitive(st, sizeof(*st));
}
