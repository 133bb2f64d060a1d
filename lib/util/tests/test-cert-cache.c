// SPDX-License-Identifier: GPL-2.0
/*
 * The process-wide cache of parsed certificates (util/cert-cache.c), also
 * as the OpenSSL environment's spdm_env_cert_parse() uses it: a hit shares
 * the parsed X509 by reference, a different DER misses, the least recently
 * used entry is evicted, a malformed DER is never kept, the next
 * certificate of a chain is found and stepped over, the statistics count
 * what happened, and concurrent parses are safe. Built with ASan, so a
 * reference miscounted shows up as a use after free or a leak.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "spdm-env.h"
#include "env-openssl.h"
#include "spdm-util.h"

#define NCERTS		(SPDM_CERT_CACHE_SLOTS + 6)	/* more than the cache holds */
#define NTHREADS	4

struct der {
	unsigned char *buf;
	size_t len;
};

static struct der ders[NCERTS];
static EVP_PKEY *key;

/*
 * A self-signed P-256 CA certificate whose serial is @serial, as DER (a CA,
 * so that it may verify as its own issuer).
 */
static struct der make_der(long serial)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	X509 *x = X509_new();
	struct der d = { 0 };
	int n;

	assert_non_null(x);
	assert_non_null(bc);
	bc->ca = 1;
	assert_int_equal(X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1,
					   X509V3_ADD_DEFAULT), 1);
	BASIC_CONSTRAINTS_free(bc);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), serial), 1);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"cache test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	n = i2d_X509(x, &d.buf);
	assert_true(n > 0);
	d.len = (size_t)n;
	X509_free(x);
	return d;
}

static int setup(void **state)
{
	key = EVP_EC_gen("P-256");
	if (!key)
		return -1;
	for (int i = 0; i < NCERTS; i++)
		ders[i] = make_der(i + 1);
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < NCERTS; i++)
		OPENSSL_free(ders[i].buf);
	EVP_PKEY_free(key);
	spdm_cert_cache_clear();
	return 0;
}

static int empty_cache(void **state)
{
	spdm_cert_cache_clear();
	return 0;
}

static struct spdm_env_cert *parse(int i)
{
	struct spdm_env_cert *c = NULL;

	assert_int_equal(spdm_env_cert_parse(ders[i].buf, ders[i].len, &c), 0);
	assert_non_null(c);
	return c;
}

/* Lookups so far that parsed (misses) or found the certificate (hits). */
static void stats(unsigned long *hits, unsigned long *misses)
{
	struct spdm_cert_cache_stats st;

	spdm_cert_cache_stats(&st);
	*hits = st.hits;
	*misses = st.misses;
}

static void test_hit_shares_the_certificate(void **state)
{
	struct spdm_env_cert *a, *b;
	unsigned long h0, m0, h, m;

	stats(&h0, &m0);
	a = parse(0);
	b = parse(0);
	stats(&h, &m);
	assert_int_equal(m - m0, 1);
	assert_int_equal(h - h0, 1);
	assert_ptr_equal(spdm_env_cert_x509(a), spdm_env_cert_x509(b));
	/* each holder has its own reference: the others outlive a free */
	spdm_env_cert_free(a);
	spdm_cert_cache_clear();
	assert_non_null(X509_get0_pubkey(spdm_env_cert_x509(b)));
	assert_int_equal(spdm_env_cert_verify_issued_by(b, b), 0);
	spdm_env_cert_free(b);
}

static void test_other_der_misses(void **state)
{
	struct spdm_env_cert *a, *b;
	unsigned long h0, m0, h, m;

	stats(&h0, &m0);
	a = parse(0);
	b = parse(1);
	stats(&h, &m);
	assert_int_equal(m - m0, 2);
	assert_int_equal(h - h0, 0);
	assert_ptr_not_equal(spdm_env_cert_x509(a), spdm_env_cert_x509(b));
	spdm_env_cert_free(a);
	spdm_env_cert_free(b);
}

/* Parse certificate @i and free it: true if the cache had it. */
static bool was_cached(int i)
{
	unsigned long h0, m0, h, m;

	stats(&h0, &m0);
	spdm_env_cert_free(parse(i));
	stats(&h, &m);
	return h > h0;
}

static void test_least_recently_used_is_evicted(void **state)
{
	/* fill the 64 slots with certificates 0..63 */
	for (int i = 0; i < 64; i++)
		assert_false(was_cached(i));
	/* 0 is used again, so 1 is now the oldest */
	assert_true(was_cached(0));
	assert_false(was_cached(64));
	assert_false(was_cached(1));	/* evicted by 64; takes 2's place */
	assert_true(was_cached(0));
	assert_true(was_cached(64));
	assert_false(was_cached(2));	/* takes 3's place */
	for (int i = 4; i < 64; i++)
		assert_true(was_cached(i));
}

static void test_forget_drops_one(void **state)
{
	assert_false(was_cached(0));
	assert_false(was_cached(1));
	spdm_cert_cache_forget(ders[0].buf, ders[0].len);
	assert_true(was_cached(1));
	assert_false(was_cached(0));
	assert_true(was_cached(0));
}

static void test_malformed_der_never_cached(void **state)
{
	unsigned char *longer = malloc(ders[0].len + 1);
	struct spdm_env_cert *c = NULL;
	unsigned long h0, m0, h, m;

	assert_non_null(longer);
	memcpy(longer, ders[0].buf, ders[0].len);
	longer[ders[0].len] = 0;
	stats(&h0, &m0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(spdm_env_cert_parse(ders[0].buf, ders[0].len - 1, &c),
				 -EBADMSG);
		assert_int_equal(spdm_env_cert_parse(longer, ders[0].len + 1, &c),
				 -EBADMSG);
		assert_int_equal(spdm_env_cert_parse(ders[0].buf, 1, &c), -EBADMSG);
	}
	stats(&h, &m);
	assert_int_equal(h - h0, 0);
	assert_int_equal(m - m0, 6);
	assert_null(c);
	/* the well-formed prefix of the longer buffer is still a miss */
	assert_false(was_cached(0));
	/* a valid certificate cached, then the same bytes one longer: rejected */
	assert_int_equal(spdm_env_cert_parse(longer, ders[0].len + 1, &c), -EBADMSG);
	free(longer);
}

/* Entries and evictions: a full cache evicts one per new certificate. */
static void test_stats_count_entries_and_evictions(void **state)
{
	struct spdm_cert_cache_stats st0, st;

	spdm_cert_cache_stats(&st0);
	assert_int_equal(st0.entries, 0);
	for (int i = 0; i < SPDM_CERT_CACHE_SLOTS; i++)
		assert_false(was_cached(i));
	spdm_cert_cache_stats(&st);
	assert_int_equal(st.entries, SPDM_CERT_CACHE_SLOTS);
	assert_int_equal(st.evictions - st0.evictions, 0);
	assert_int_equal(st.misses - st0.misses, SPDM_CERT_CACHE_SLOTS);
	assert_int_equal(st.hits - st0.hits, 0);
	for (int i = SPDM_CERT_CACHE_SLOTS; i < NCERTS; i++)
		assert_false(was_cached(i));
	assert_true(was_cached(NCERTS - 1));
	spdm_cert_cache_stats(&st);
	assert_int_equal(st.entries, SPDM_CERT_CACHE_SLOTS);
	assert_int_equal(st.evictions - st0.evictions, NCERTS - SPDM_CERT_CACHE_SLOTS);
	assert_int_equal(st.misses - st0.misses, NCERTS);
	assert_int_equal(st.hits - st0.hits, 1);
	/* forgetting and clearing empty entries without counting evictions */
	spdm_cert_cache_forget(ders[NCERTS - 1].buf, ders[NCERTS - 1].len);
	spdm_cert_cache_stats(&st);
	assert_int_equal(st.entries, SPDM_CERT_CACHE_SLOTS - 1);
	spdm_cert_cache_clear();
	spdm_cert_cache_stats(&st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.evictions - st0.evictions, NCERTS - SPDM_CERT_CACHE_SLOTS);
}

/* A malformed DER is counted as a miss, never as an entry. */
static void test_stats_malformed_is_a_miss_not_an_entry(void **state)
{
	struct spdm_cert_cache_stats st0, st;

	spdm_cert_cache_stats(&st0);
	assert_null(spdm_cert_cache_parse(ders[0].buf, ders[0].len - 1));
	assert_null(spdm_cert_cache_parse(ders[0].buf, 0));
	spdm_cert_cache_stats(&st);
	assert_int_equal(st.misses - st0.misses, 1);	/* length 0: not looked up */
	assert_int_equal(st.entries, 0);
}

/* A chain is walked certificate by certificate; each is the cached one. */
static void test_parse_next_walks_a_chain(void **state)
{
	size_t len = ders[0].len + ders[1].len;
	uint8_t *chain = malloc(len);
	const uint8_t *p = chain;
	X509 *a, *b, *again;

	assert_non_null(chain);
	memcpy(chain, ders[0].buf, ders[0].len);
	memcpy(chain + ders[0].len, ders[1].buf, ders[1].len);
	a = spdm_cert_cache_parse_next(&p, len);
	assert_non_null(a);
	assert_ptr_equal(p, chain + ders[0].len);
	b = spdm_cert_cache_parse_next(&p, len - ders[0].len);
	assert_non_null(b);
	assert_ptr_equal(p, chain + len);
	again = spdm_cert_cache_parse(ders[1].buf, ders[1].len);
	assert_ptr_equal(again, b);
	/* cut short: no certificate, and the position stays */
	p = chain;
	assert_null(spdm_cert_cache_parse_next(&p, ders[0].len - 1));
	assert_ptr_equal(p, chain);
	/* other bytes in the signature: another certificate */
	chain[ders[0].len - 1] ^= 1;
	p = chain;
	X509_free(again);
	again = spdm_cert_cache_parse_next(&p, len);
	assert_non_null(again);
	assert_ptr_not_equal(again, a);
	X509_free(again);
	X509_free(a);
	X509_free(b);
	free(chain);
}

static void *parse_many(void *arg)
{
	uintptr_t seed = (uintptr_t)arg;

	for (int n = 0; n < 200; n++) {
		int i = (int)((seed * 7 + (uintptr_t)n * 13) % NCERTS);
		struct spdm_env_cert *c = NULL;

		if (spdm_env_cert_parse(ders[i].buf, ders[i].len, &c) ||
		    !X509_get0_pubkey(spdm_env_cert_x509(c)))
			return (void *)1;
		spdm_env_cert_free(c);
	}
	return NULL;
}

static void test_concurrent_parses(void **state)
{
	pthread_t t[NTHREADS];
	void *ret;

	for (uintptr_t i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_many, (void *)i), 0);
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hit_shares_the_certificate, empty_cache),
		cmocka_unit_test_setup(test_other_der_misses, empty_cache),
		cmocka_unit_test_setup(test_least_recently_used_is_evicted, empty_cache),
		cmocka_unit_test_setup(test_forget_drops_one, empty_cache),
		cmocka_unit_test_setup(test_malformed_der_never_cached, empty_cache),
		cmocka_unit_test_setup(test_stats_count_entries_and_evictions, empty_cache),
		cmocka_unit_test_setup(test_stats_malformed_is_a_miss_not_an_entry, empty_cache),
		cmocka_unit_test_setup(test_parse_next_walks_a_chain, empty_cache),
		cmocka_unit_test_setup(test_concurrent_parses, empty_cache),
	};

	return cmocka_run_group_tests_name("lib-cert-cache", tests, setup, teardown);
}
