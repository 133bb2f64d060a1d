// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of one device's evidence, step by step: chain to an anchor,
 * leaf rules, CMA identity against config space, then the transcript
 * signature. Everything that depends only on the chain is cached by the
 * chain's SHA-256, so a fleet of identical devices costs one chain
 * verification; the signature covers a fresh nonce and is always checked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "agent.h"

/* What the cache keeps per chain: the chain-only fields of a validation. */
struct agent_cache_entry {
	bool used;
	uint8_t key[AGENT_SHA256_LEN];
	struct agent_validation val;
	EVP_PKEY *leaf_key;
	int identity_result;		/* agent_identity_from_cert() */
};

struct agent_validator {
	struct agent_trust *trust;
	enum agent_time_mode time;
	struct agent_cache_entry *cache;	/* direct-mapped */
	size_t nslots;
	unsigned long hits, misses;
};

/**
 * agent_validator_new() - validation context for one trust store
 * @trust: the trust store (not owned)
 * @time: how certificate lifetimes count
 * @cache_slots: number of cached chains, 0 for none
 * @out: the validator
 *
 * A policy reload builds a new validator, which empties the cache.
 *
 * Return: 0 or -ENOMEM.
 */
int agent_validator_new(struct agent_trust *trust, enum agent_time_mode time,
			size_t cache_slots, struct agent_validator **out)
{
	struct agent_validator *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	v->trust = trust;
	v->time = time;
	v->nslots = cache_slots;
	if (cache_slots) {
		v->cache = calloc(cache_slots, sizeof(*v->cache));
		if (!v->cache) {
			free(v);
			return -ENOMEM;
		}
	}
	*out = v;
	return 0;
}

/** agent_validator_free() - release a validator and its cache */
void agent_validator_free(struct agent_validator *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nslots; i++)
		EVP_PKEY_free(v->cache[i].leaf_key);
	free(v->cache);
	free(v);
}

/** agent_validator_stats() - cache hits and misses so far */
void agent_validator_stats(const struct agent_validator *v,
			   unsigned long *hits, unsigned long *misses)
{
	*hits = v->hits;
	*misses = v->misses;
}

static void agent_name_text(const X509_NAME *name, char *out, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n;

	out[0] = '\0';
	if (!bio)
		return;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(bio, out, (int)len - 1);
		out[n > 0 ? n : 0] = '\0';
	}
	BIO_free(bio);
}

/* The chain-only steps, filling @e (a cache entry, possibly not kept). */
static void agent_validate_chain(struct agent_validator *v,
				 const struct agent_evidence *ev,
				 struct agent_cache_entry *e)
{
	struct agent_validation *val = &e->val;
	STACK_OF(X509) *certs = NULL;
	X509 *leaf;

	val->chain_result = agent_chain_split(ev->chain[ev->slot],
					      ev->chain_len[ev->slot],
					      ev->base_hash_alg, &certs,
					      val->chain_error,
					      sizeof(val->chain_error));
	val->leaf_result = -ENODATA;
	e->identity_result = -ENOENT;
	if (val->chain_result)
		return;
	leaf = sk_X509_value(certs, sk_X509_num(certs) - 1);
	val->have_leaf_fp = !agent_fingerprint(leaf, val->leaf_fp);
	agent_name_text(X509_get_subject_name(leaf), val->subject,
			sizeof(val->subject));
	agent_name_text(X509_get_issuer_name(leaf), val->issuer,
			sizeof(val->issuer));
	/* verified root if the chain verifies, else what the device sent */
	if (agent_chain_verify(v->trust, v->time, certs, val))
		val->have_root_fp = !agent_fingerprint(sk_X509_value(certs, 0),
						       val->root_fp);
	val->leaf_result = agent_leaf_check(leaf, val->leaf_error,
					    sizeof(val->leaf_error));
	e->identity_result = agent_identity_from_cert(leaf, val->identity_text,
						      sizeof(val->identity_text));
	e->leaf_key = X509_get_pubkey(leaf);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

static struct agent_cache_entry *
agent_validator_lookup(struct agent_validator *v,
		       const struct agent_evidence *ev,
		       struct agent_cache_entry *scratch, bool *hit)
{
	struct agent_cache_entry *e = scratch;
	uint8_t key[AGENT_SHA256_LEN];
	size_t slot;

	*hit = false;
	if (!v->nslots ||
	    !EVP_Digest(ev->chain[ev->slot], ev->chain_len[ev->slot], key,
			NULL, agent_algo_md(agent_algo_hash(AGENT_HASH_SHA256)),
			NULL)) {
		agent_validate_chain(v, ev, scratch);
		return scratch;
	}
	/* the hash algorithm is part of the chain's meaning (RootHash size) */
	key[0] ^= (uint8_t)ev->base_hash_alg;
	slot = (size_t)(key[1] | key[2] << 8 | key[3] << 16) % v->nslots;
	e = &v->cache[slot];
	if (e->used && !memcmp(e->key, key, sizeof(key))) {
		v->hits++;
		*hit = true;
		return e;
	}
	v->misses++;
	EVP_PKEY_free(e->leaf_key);
	memset(e, 0, sizeof(*e));
	agent_validate_chain(v, ev, e);
	memcpy(e->key, key, sizeof(key));
	e->used = true;
	return e;
}

/**
 * agent_validator_validate() - validate one device's evidence
 * @v: the validator
 * @ev: the evidence
 * @out: every step's result; @out->verified when all passed
 *
 * Verified means: the kernel authenticated the device, the chain of the
 * slot used verifies to an anchor, the leaf obeys the SPDM rules, a CMA
 * identity, if present, is well formed and names this device, and the
 * transcript signature verifies with the leaf key.
 */
void agent_validator_validate(struct agent_validator *v,
			      const struct agent_evidence *ev,
			      struct agent_validation *out)
{
	struct agent_cache_entry scratch = { 0 }, *e;
	struct agent_cma_identity id;
	bool hit;

	memset(out, 0, sizeof(*out));
	out->chain_result = -ENODATA;
	out->leaf_result = -ENODATA;
	out->signature_result = -ENODATA;
	if (ev->slot >= AGENT_MAX_SLOTS || !ev->chain[ev->slot] ||
	    !ev->chain_len[ev->slot]) {
		snprintf(out->chain_error, sizeof(out->chain_error),
			 "no certificate chain for slot %u", ev->slot);
		return;
	}
	e = agent_validator_lookup(v, ev, &scratch, &hit);
	*out = e->val;
	out->have_chain = true;
	out->cached = hit;
	if (!e->identity_result) {
		out->identity = agent_identity_parse(out->identity_text, &id) ?
				AGENT_IDENTITY_MALFORMED :
				agent_identity_matches(&id, &ev->ids) ?
				AGENT_IDENTITY_MATCH : AGENT_IDENTITY_MISMATCH;
	} else {
		out->identity = e->identity_result == -ENOENT ?
				AGENT_IDENTITY_ABSENT : AGENT_IDENTITY_MALFORMED;
	}
	if (!out->chain_result)
		out->signature_result =
			agent_signature_verify(ev, e->leaf_key,
					       out->signature_error,
					       sizeof(out->signature_error));
	else
		snprintf(out->signature_error, sizeof(out->signature_error),
			 "not checked: chain not verified");
	if (e == &scratch)
		EVP_PKEY_free(scratch.leaf_key);
	out->verified = ev->state == AGENT_AUTH_AUTHENTICATED &&
			!out->chain_result && !out->leaf_result &&
			!out->signature_result &&
			(out->identity == AGENT_IDENTITY_MATCH ||
			 out->identity == AGENT_IDENTITY_ABSENT);
}
