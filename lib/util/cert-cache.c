// SPDX-License-Identifier: GPL-2.0
/*
 * Parsed certificates, shared by the whole process. OpenSSL 3.0's
 * d2i_X509() builds a provider decoder chain for every public key it meets
 * (about 1.2-1.45 M instructions a certificate, more than a P-256
 * verification), and devices of one model present the same root and
 * intermediate, so a new device of a known model parses only its leaf.
 *
 * Entries are keyed by the SHA-256 of the DER; a hit takes a reference on
 * the shared X509, which nobody modifies after parsing (the extension
 * flags OpenSSL computes lazily are set under the X509's own lock). Only
 * certificates that parsed are kept, so a malformed DER is rejected every
 * time. The mutex guards the table and the counters, never a parse.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "spdm-util.h"

struct cert_cache_entry {
	uint8_t id[SHA256_DIGEST_LENGTH];
	X509 *x509;			/* NULL: free slot */
	uint64_t last_use;		/* least recently used is evicted */
};

static struct {
	pthread_mutex_t lock;
	struct cert_cache_entry e[SPDM_CERT_CACHE_SLOTS];
	uint64_t clock;
	struct spdm_cert_cache_stats st;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static EVP_MD *cert_id_md;

static void cert_cache_exit(void)
{
	spdm_cert_cache_clear();
	EVP_MD_free(cert_id_md);
	cert_id_md = NULL;
}

/*
 * The fetch initialises OpenSSL, which registers its own exit handler
 * first: ours runs before OpenSSL cleans up. Without it nothing is cached.
 */
static void cert_id_md_fetch(void)
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);

	if (md && atexit(cert_cache_exit)) {
		EVP_MD_free(md);
		md = NULL;
	}
	cert_id_md = md;
}

/* SHA-256 of the DER; a digest fetched once (not per call, as EVP_sha256()). */
static int cert_id(const uint8_t *der, size_t len, uint8_t *id)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, cert_id_md_fetch);
	if (!cert_id_md || EVP_Digest(der, len, id, NULL, cert_id_md, NULL) != 1)
		return -EIO;
	return 0;
}

static void cert_cache_drop(struct cert_cache_entry *e)
{
	X509_free(e->x509);
	e->x509 = NULL;
	cache.st.entries--;
}

/** spdm_cert_cache_clear() - drop every cached certificate (also done at exit) */
void spdm_cert_cache_clear(void)
{
	pthread_mutex_lock(&cache.lock);
	for (int i = 0; i < SPDM_CERT_CACHE_SLOTS; i++)
		if (cache.e[i].x509)
			cert_cache_drop(&cache.e[i]);
	pthread_mutex_unlock(&cache.lock);
}

/** spdm_cert_cache_stats() - the counters since the process started */
void spdm_cert_cache_stats(struct spdm_cert_cache_stats *st)
{
	pthread_mutex_lock(&cache.lock);
	*st = cache.st;
	pthread_mutex_unlock(&cache.lock);
}

static struct cert_cache_entry *cert_cache_find(const uint8_t *id)
{
	for (int i = 0; i < SPDM_CERT_CACHE_SLOTS; i++) {
		struct cert_cache_entry *e = &cache.e[i];

		if (e->x509 && !memcmp(e->id, id, sizeof(e->id)))
			return e;
	}
	return NULL;
}

/** spdm_cert_cache_forget() - drop the certificate of this DER, if cached */
void spdm_cert_cache_forget(const uint8_t *der, size_t len)
{
	struct cert_cache_entry *e;
	uint8_t id[SHA256_DIGEST_LENGTH];

	if (cert_id(der, len, id))
		return;
	pthread_mutex_lock(&cache.lock);
	e = cert_cache_find(id);
	if (e)
		cert_cache_drop(e);
	pthread_mutex_unlock(&cache.lock);
}

/* A new reference on the cached certificate @id, or NULL. */
static X509 *cert_cache_get(const uint8_t *id)
{
	struct cert_cache_entry *e;
	X509 *x509 = NULL;

	pthread_mutex_lock(&cache.lock);
	e = cert_cache_find(id);
	if (e && X509_up_ref(e->x509)) {
		e->last_use = ++cache.clock;
		x509 = e->x509;
		cache.st.hits++;
	} else {
		cache.st.misses++;
	}
	pthread_mutex_unlock(&cache.lock);
	return x509;
}

/* Keep a reference on @x509 as @id, evicting the least recently used. */
static void cert_cache_put(const uint8_t *id, X509 *x509)
{
	struct cert_cache_entry *e, *victim = &cache.e[0];

	pthread_mutex_lock(&cache.lock);
	if (cert_cache_find(id) || !X509_up_ref(x509))
		goto out;
	for (e = cache.e; e < cache.e + SPDM_CERT_CACHE_SLOTS; e++) {
		if (!e->x509) {
			victim = e;
			break;
		}
		if (e->last_use < victim->last_use)
			victim = e;
	}
	if (victim->x509) {
		cert_cache_drop(victim);
		cache.st.evictions++;
	}
	memcpy(victim->id, id, sizeof(victim->id));
	victim->x509 = x509;
	victim->last_use = ++cache.clock;
	cache.st.entries++;
out:
	pthread_mutex_unlock(&cache.lock);
}

/**
 * spdm_cert_cache_parse() - d2i_X509() of exactly @len bytes, through the cache
 * @der: one DER certificate, nothing before or after it
 * @len: its length
 *
 * Return: a reference on the certificate (X509_free() it; do not modify
 * it: it is shared), or NULL when @der is not exactly one certificate
 * with a public key OpenSSL can read (nothing is cached then).
 */
X509 *spdm_cert_cache_parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	uint8_t id[SHA256_DIGEST_LENGTH];
	bool cacheable;
	X509 *x509;

	if (!len || len > LONG_MAX)
		return NULL;
	cacheable = !cert_id(der, len, id);
	x509 = cacheable ? cert_cache_get(id) : NULL;
	if (x509)
		return x509;
	x509 = d2i_X509(NULL, &p, (long)len);
	if (!x509 || p != der + len || !X509_get0_pubkey(x509)) {
		X509_free(x509);
		ERR_clear_error();
		return NULL;
	}
	if (cacheable)
		cert_cache_put(id, x509);
	return x509;
}

/* Length of the DER element at @der (definite length only), 0 if none. */
static size_t der_element_len(const uint8_t *der, size_t max)
{
	const unsigned char *p = der;
	long body;
	int tag, class, ret;

	if (max > LONG_MAX)
		max = LONG_MAX;
	ret = ASN1_get_object(&p, &body, &tag, &class, (long)max);
	if (ret & 0x80 || ret & 0x01) {
		ERR_clear_error();
		return 0;
	}
	return (size_t)(p - der) + (size_t)body;
}

/**
 * spdm_cert_cache_parse_next() - the certificate at the start of a chain
 * @in: the DER, advanced past the certificate on success
 * @max: bytes available at @in
 *
 * Return: as spdm_cert_cache_parse() for the first DER element at @in.
 */
X509 *spdm_cert_cache_parse_next(const uint8_t **in, size_t max)
{
	size_t len = der_element_len(*in, max);
	X509 *x509 = len && len <= max ? spdm_cert_cache_parse(*in, len) : NULL;

	if (x509)
		*in += len;
	return x509;
}
