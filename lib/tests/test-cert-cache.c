// SPDX-License-Identifier: GPL-2.0
/*
 * The process-wide cache of parsed certificates in env-openssl.c: a hit
 * shares the parsed X509 by reference, a different DER misses, the least
 * recently used entry is evicted, a malformed DER is never kept, and
 * concurrent parses are safe. Built with ASan, so a reference miscounted
 * shows up as a use after free or a leak.
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

#define NCERTS		70	/* more than the cache holds (64) */
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
	spdm_env_cert_cache_clear();
	return 0;
}

static int empty_cache(void **state)
{
	spdm_env_cert_cache_clear();
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
	spdm_env_cert_cache_stats(hits, misses);
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
	spdm_env_cert_cache_clear();
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
	spdm_env_cert_cache_forget(ders[0].buf, ders[0].len);
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
		cmocka_unit_test_setup(test_concurrent_parses, empty_cache),
	};

	return cmocka_run_group_tests_name("lib-cert-cache", tests, setup, teardown);
}
