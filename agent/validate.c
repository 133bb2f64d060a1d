// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of one device's evidence, step by step: chain to an anchor,
 * leaf rules, CMA identity against config space, then the transcript
 * signature. Everything that depends only on the chain is cached by the
 * chain's exact bytes, so a fleet of identical devices costs one chain
 * verification, until a certificate of the chain or the trust store expires
 * or becomes valid; the signature covers a fresh nonce and is always checked.
 * The cache is shared by the threads of agent_validator_validate_many().
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "agent.h"

/* What the cache keeps per chain: the chain-only fields of a validation. */
struct agent_cache_entry {
	uint8_t *chain;			/* the key: chain bytes, NULL if unused */
	size_t chain_len;
	uint32_t hash_alg;		/* part of the chain's meaning (RootHash) */
	uint32_t cert_model;		/* and of the leaf rules */
	struct agent_validation val;
	EVP_PKEY *leaf_key;
	int identity_result;		/* agent_identity_from_cert() */
	time_t checked_at;		/* when the lifetimes were checked */
	time_t recheck_at;		/* the next notBefore/notAfter after that */
};

struct agent_validator {
	struct agent_trust *trust;
	enum agent_time_mode time;
	enum agent_revocation_mode rev;
	bool check_meas;		/* verify the signed measurements */
	const struct agent_refvals *rv;	/* the policy's manifests, or NULL */
	pthread_rwlock_t lock;		/* the cache: hits share it */
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
	v->rev = AGENT_REVOCATION_WARN;
	v->check_meas = true;
	pthread_rwlock_init(&v->lock, NULL);
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
	for (size_t i = 0; i < v->nslots; i++) {
		EVP_PKEY_free(v->cache[i].leaf_key);
		free(v->cache[i].chain);
	}
	free(v->cache);
	pthread_rwlock_destroy(&v->lock);
	free(v);
}

/**
 * agent_validator_check_measurements() - whether to verify signed measurements
 * @v: the validator
 * @check: true (the default) to verify them, false to skip the second
 *	signature check of every decision when no policy rule reads them
 */
void agent_validator_check_measurements(struct agent_validator *v, bool check)
{
	v->check_meas = check;
}

/**
 * agent_validator_set_revocation() - how the trust store's CRLs count
 * @v: the validator, before its first validation (results are cached)
 * @mode: the policy's revocation mode (AGENT_REVOCATION_WARN by default)
 */
void agent_validator_set_revocation(struct agent_validator *v,
				    enum agent_revocation_mode mode)
{
	v->rev = mode;
}

/**
 * agent_validator_set_reference_values() - the manifests to appraise against
 * @v: the validator
 * @rv: the policy's manifests (not owned; outlives @v), NULL for none
 *
 * Each validation then sets refval from the verified measurements, which
 * are checked whatever agent_validator_check_measurements() said.
 */
void agent_validator_set_reference_values(struct agent_validator *v,
					  const struct agent_refvals *rv)
{
	v->rv = rv;
}

/** agent_validator_stats() - cache hits and misses so far */
void agent_validator_stats(const struct agent_validator *v,
			   unsigned long *hits, unsigned long *misses)
{
	*hits = __atomic_load_n(&v->hits, __ATOMIC_RELAXED);
	*misses = __atomic_load_n(&v->misses, __ATOMIC_RELAXED);
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

/* Move @next down to @t when @t lies after @now: a lifetime edge ahead. */
static void agent_time_edge(const ASN1_TIME *t, time_t now, time_t *next)
{
	struct tm tm;
	time_t x;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return;
	x = timegm(&tm);
	if (x > now && x < *next)
		*next = x;
}

static void agent_time_edges(STACK_OF(X509) *certs, time_t now, time_t *next)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);

		agent_time_edge(X509_get0_notBefore(c), now, next);
		agent_time_edge(X509_get0_notAfter(c), now, next);
	}
}

/*
 * How long a chain's result holds: until the first certificate of the chain
 * or of the trust store (an anchor may complete the path) expires or becomes
 * valid. Without a time check it holds for ever. @e->checked_at is set.
 */
static void agent_cache_lifetime(struct agent_validator *v,
				 STACK_OF(X509) *certs,
				 struct agent_cache_entry *e)
{
	if (v->time == AGENT_TIME_IGNORE)
		return;
	agent_time_edges(certs, e->checked_at, &e->recheck_at);
	for (size_t i = 0; v->trust && i < v->trust->nanchors; i++)
		agent_time_edges(v->trust->anchors[i].certs, e->checked_at,
				 &e->recheck_at);
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
	e->checked_at = time(NULL);
	e->recheck_at = (time_t)INT64_MAX;	/* a malformed chain stays so */
	if (val->chain_result)
		return;
	agent_cache_lifetime(v, certs, e);
	leaf = sk_X509_value(certs, sk_X509_num(certs) - 1);
	val->have_leaf_fp = !agent_fingerprint(leaf, val->leaf_fp);
	agent_name_text(X509_get_subject_name(leaf), val->subject,
			sizeof(val->subject));
	agent_name_text(X509_get_issuer_name(leaf), val->issuer,
			sizeof(val->issuer));
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
				      NID_organizationName, val->subject_org,
				      sizeof(val->subject_org)) < 0)
		val->subject_org[0] = '\0';
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
				      NID_commonName, val->subject_cn,
				      sizeof(val->subject_cn)) < 0)
		val->subject_cn[0] = '\0';
	/* verified root if the chain verifies, else what the device sent */
	if (agent_chain_verify(v->trust, v->time, v->rev, certs, val))
		val->have_root_fp = !agent_fingerprint(sk_X509_value(certs, 0),
						       val->root_fp);
	val->leaf_result = agent_leaf_check(leaf, ev->cert_model, val->leaf_error,
					    sizeof(val->leaf_error));
	e->identity_result = agent_identity_from_cert(leaf, val->identity_text,
						      sizeof(val->identity_text));
	e->leaf_key = X509_get_pubkey(leaf);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

/*
 * Slot of a chain: FNV-1a of its last 64 bytes, which end the leaf's
 * signature (different for every certificate), and of its length. The
 * slot only places the entry; a hit compares every byte.
 */
static size_t agent_cache_slot(const struct agent_validator *v,
			       const uint8_t *chain, size_t len)
{
	size_t n = len < 64 ? len : 64;
	uint64_t h = 0xcbf29ce484222325ULL ^ len;

	for (size_t i = len - n; i < len; i++)
		h = (h ^ chain[i]) * 0x100000001b3ULL;
	return (size_t)(h % v->nslots);
}

/*
 * Whether @e is @ev's chain and its result still holds: no certificate
 * expired or became valid since (and the clock did not go back).
 */
static bool agent_cache_holds(const struct agent_cache_entry *e,
			      const struct agent_evidence *ev, time_t now)
{
	return e->chain && e->chain_len == ev->chain_len[ev->slot] &&
	       e->hash_alg == ev->base_hash_alg && e->cert_model == ev->cert_model &&
	       now >= e->checked_at && now < e->recheck_at &&
	       !memcmp(e->chain, ev->chain[ev->slot], e->chain_len);
}

/*
 * The chain-only results for @ev in @out, from the cache or computed (and
 * kept). @out->leaf_key is the caller's reference. Hits share the lock
 * (readers), an insertion takes it alone; it is not held while a chain is
 * validated, so a miss does not stall the other threads;
 * two threads missing on one chain both validate it, and one copy is kept.
 */
static void agent_validator_lookup(struct agent_validator *v,
				   const struct agent_evidence *ev,
				   struct agent_cache_entry *out, bool *hit)
{
	const uint8_t *chain = ev->chain[ev->slot];
	size_t len = ev->chain_len[ev->slot];
	struct agent_cache_entry *e;
	uint8_t *copy;

	*hit = false;
	if (!v->nslots) {
		agent_validate_chain(v, ev, out);
		return;
	}
	e = &v->cache[agent_cache_slot(v, chain, len)];
	/* hits only read the entry (the key's reference count is atomic) */
	pthread_rwlock_rdlock(&v->lock);
	if (agent_cache_holds(e, ev, time(NULL)) &&
	    (!e->leaf_key || EVP_PKEY_up_ref(e->leaf_key))) {
		*out = *e;
		out->chain = NULL;	/* the key stays the cache's */
		pthread_rwlock_unlock(&v->lock);
		__atomic_fetch_add(&v->hits, 1, __ATOMIC_RELAXED);
		*hit = true;
		return;
	}
	pthread_rwlock_unlock(&v->lock);
	__atomic_fetch_add(&v->misses, 1, __ATOMIC_RELAXED);

	agent_validate_chain(v, ev, out);
	copy = malloc(len);
	if (!copy || (out->leaf_key && !EVP_PKEY_up_ref(out->leaf_key))) {
		free(copy);
		return;
	}
	memcpy(copy, chain, len);
	pthread_rwlock_wrlock(&v->lock);
	EVP_PKEY_free(e->leaf_key);
	free(e->chain);
	*e = *out;
	e->chain = copy;
	e->chain_len = len;
	e->hash_alg = ev->base_hash_alg;
	e->cert_model = ev->cert_model;
	pthread_rwlock_unlock(&v->lock);
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
 * transcript signature verifies with the leaf key, and the signed messages
 * carry the nonce the kernel reported (a kernel that reports none is not
 * held to it: -ENODATA). The signed measurements
 * are checked apart (@out->meas_result): only measurement rules need them.
 */
void agent_validator_validate(struct agent_validator *v,
			      const struct agent_evidence *ev,
			      struct agent_validation *out)
{
	struct agent_cache_entry entry = { 0 }, *e = &entry;
	struct agent_cma_identity id;
	char fresh_error[sizeof(out->fresh_error)];
	int fresh;
	bool hit;

	memset(out, 0, sizeof(*out));
	out->chain_result = -ENODATA;
	out->leaf_result = -ENODATA;
	out->signature_result = -ENODATA;
	out->fresh_result = agent_freshness_check(ev, NULL, out->fresh_error,
						  sizeof(out->fresh_error));
	out->meas_result = -ENODATA;
	snprintf(out->meas_error, sizeof(out->meas_error),
		 "not checked: no certificate chain");
	if (ev->slot >= AGENT_MAX_SLOTS || !ev->chain[ev->slot] ||
	    !ev->chain_len[ev->slot]) {
		snprintf(out->chain_error, sizeof(out->chain_error),
			 "no certificate chain for slot %u", ev->slot);
		if (v->rv)
			agent_refvals_appraise(v->rv, ev, out);
		return;
	}
	agent_validator_lookup(v, ev, e, &hit);
	fresh = out->fresh_result;
	memcpy(fresh_error, out->fresh_error, sizeof(fresh_error));
	*out = e->val;
	out->fresh_result = fresh;
	memcpy(out->fresh_error, fresh_error, sizeof(fresh_error));
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
	if (!out->chain_result) {
		out->signature_result =
			agent_signature_verify(ev, e->leaf_key,
					       out->signature_error,
					       sizeof(out->signature_error));
		if (v->check_meas || v->rv) {
			out->meas_result = agent_meas_verify(ev, e->leaf_key,
							     out->meas_error,
							     sizeof(out->meas_error));
		} else {
			out->meas_result = -ENODATA;
			snprintf(out->meas_error, sizeof(out->meas_error),
				 "not checked: no policy rule reads measurements");
		}
	} else {
		snprintf(out->signature_error, sizeof(out->signature_error),
			 "not checked: chain not verified");
		out->meas_result = -ENODATA;
		snprintf(out->meas_error, sizeof(out->meas_error),
			 "not checked: chain not verified");
	}
	EVP_PKEY_free(e->leaf_key);
	out->verified = ev->state == AGENT_AUTH_AUTHENTICATED &&
			!out->chain_result && !out->leaf_result &&
			!out->signature_result &&
			(!out->fresh_result || out->fresh_result == -ENODATA) &&
			(out->identity == AGENT_IDENTITY_MATCH ||
			 out->identity == AGENT_IDENTITY_ABSENT);
	if (v->rv)
		agent_refvals_appraise(v->rv, ev, out);
}

struct agent_validate_job {
	struct agent_validator *v;
	const struct agent_evidence *const *evs;
	struct agent_validation *out;
	size_t n, next;			/* next index to take, atomically */
};

static void *agent_validate_worker(void *arg)
{
	struct agent_validate_job *job = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED)) < job->n)
		agent_validator_validate(job->v, job->evs[i], &job->out[i]);
	return NULL;
}

/** agent_workers_default() - one validating thread per online CPU */
unsigned int agent_workers_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > AGENT_MAX_WORKERS ? AGENT_MAX_WORKERS : (unsigned int)n;
}

/**
 * agent_validator_validate_many() - validate several devices' evidence
 * @v: the validator
 * @evs: the evidence, @n records
 * @n: how many
 * @out: @n results, @out[i] for @evs[i]
 * @workers: threads to validate on (at most AGENT_MAX_WORKERS); 0 or 1
 *	validates in the calling thread
 *
 * The results are the same as agent_validator_validate() on each record in
 * turn; only the order in which they are computed differs, so a caller
 * that acts on them in index order keeps its records in arrival order.
 * Threads are started for the call and joined before it returns; when one
 * cannot be started, the others (or the caller) do its share.
 */
void agent_validator_validate_many(struct agent_validator *v,
				   const struct agent_evidence *const *evs,
				   size_t n, struct agent_validation *out,
				   unsigned int workers)
{
	struct agent_validate_job job = { v, evs, out, n, 0 };
	pthread_t tid[AGENT_MAX_WORKERS];
	unsigned int started = 0;

	if (workers > AGENT_MAX_WORKERS)
		workers = AGENT_MAX_WORKERS;
	if (workers > n)
		workers = (unsigned int)n;
	/* the calling thread is one of the workers */
	while (started + 1 < workers &&
	       !pthread_create(&tid[started], NULL, agent_validate_worker, &job))
		started++;
	agent_validate_worker(&job);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}
