// SPDX-License-Identifier: GPL-2.0
/*
 * Parsed certificates, shared by the whole process. OpenSSL 3.0's d2i_X509()
 * builds a provider decoder chain for every public key it meets (about
 * 1.2 M instructions a certificate, more than a P-256 verification), and
 * devices of one model present the same root and intermediate, so a new
 * chain of a known model costs one parse instead of three. Entries are
 * keyed by the certificate's exact DER; a hit takes a reference on the
 * shared X509, which nobody modifies after parsing (the extension flags
 * OpenSSL computes lazily are set under the X509's own lock). The mutex
 * guards the table, never a parse: the validating threads share it.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>

#include "agent.h"

#define CERT_CACHE_SLOTS	32

struct cert_cache_entry {
	uint8_t *der;			/* NULL: free slot */
	size_t len;
	X509 *x509;
	uint64_t last_use;		/* least recently used is evicted */
};

static struct {
	pthread_mutex_t lock;
	struct cert_cache_entry e[CERT_CACHE_SLOTS];
	uint64_t clock;
	bool exit_registered;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/** agent_cert_cache_clear() - drop every cached certificate */
void agent_cert_cache_clear(void)
{
	pthread_mutex_lock(&cache.lock);
	for (int i = 0; i < CERT_CACHE_SLOTS; i++) {
		X509_free(cache.e[i].x509);
		free(cache.e[i].der);
		cache.e[i].x509 = NULL;
		cache.e[i].der = NULL;
	}
	pthread_mutex_unlock(&cache.lock);
}

static struct cert_cache_entry *cert_cache_find(const uint8_t *der, size_t len)
{
	for (int i = 0; i < CERT_CACHE_SLOTS; i++) {
		struct cert_cache_entry *e = &cache.e[i];

		if (e->der && e->len == len && !memcmp(e->der, der, len))
			return e;
	}
	return NULL;
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
	if (ret & 0x80 || ret & 0x01)
		return 0;
	return (size_t)(p - der) + (size_t)body;
}

static X509 *cert_cache_get(const uint8_t *der, size_t len)
{
	struct cert_cache_entry *e;
	X509 *x509 = NULL;

	pthread_mutex_lock(&cache.lock);
	e = cert_cache_find(der, len);
	if (e && X509_up_ref(e->x509)) {
		e->last_use = ++cache.clock;
		x509 = e->x509;
	}
	pthread_mutex_unlock(&cache.lock);
	return x509;
}

static void cert_cache_put(const uint8_t *der, size_t len, X509 *x509)
{
	struct cert_cache_entry *e, *victim = &cache.e[0];
	uint8_t *copy = malloc(len);

	if (!copy)
		return;
	memcpy(copy, der, len);
	pthread_mutex_lock(&cache.lock);
	/* after OpenSSL's own exit handler (d2i_X509() initialised it): runs first */
	if (!cache.exit_registered)
		cache.exit_registered = !atexit(agent_cert_cache_clear);
	if (!cache.exit_registered || cert_cache_find(der, len) ||
	    !X509_up_ref(x509)) {
		pthread_mutex_unlock(&cache.lock);
		free(copy);
		return;
	}
	for (e = cache.e; e < cache.e + CERT_CACHE_SLOTS; e++) {
		if (!e->der) {
			victim = e;
			break;
		}
		if (e->last_use < victim->last_use)
			victim = e;
	}
	X509_free(victim->x509);
	free(victim->der);
	*victim = (struct cert_cache_entry){ copy, len, x509, ++cache.clock };
	pthread_mutex_unlock(&cache.lock);
}

/**
 * agent_cert_parse() - d2i_X509() through the process-wide cache
 * @in: the DER, advanced past the certificate on success
 * @max: bytes available at @in
 *
 * Return: a reference on the certificate (X509_free() it), or NULL when
 * @in does not start with a certificate (nothing is cached then).
 */
X509 *agent_cert_parse(const uint8_t **in, size_t max)
{
	size_t len = der_element_len(*in, max);
	const uint8_t *start = *in;
	X509 *x509 = len && len <= max ? cert_cache_get(*in, len) : NULL;

	if (x509) {
		*in += len;
		return x509;
	}
	x509 = d2i_X509(NULL, in, (long)(max > LONG_MAX ? LONG_MAX : max));
	if (x509)
		cert_cache_put(start, (size_t)(*in - start), x509);
	return x509;
}
