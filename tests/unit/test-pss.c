// SPDX-License-Identifier: GPL-2.0
/*
 * RSASSA-PSS as SPDM uses it (salt length = hash size, MGF1 with the same
 * hash), on vectors made here with OpenSSL in the manner of Wycheproof:
 * a valid signature, RFC-valid signatures with other salt lengths, and
 * encoded messages broken one way each (trailer, padding octet, the bit
 * above emBits), re-signed with the raw private operation so that only
 * the encoding is wrong. Each vector goes through both verifiers: the
 * user-space environment (spdm_env_verify(), OpenSSL) and the kernel
 * environment's EMSA-PSS-VERIFY (kernel/spdm/linux/emsa-pss.c) on the
 * encoded message the raw public operation recovers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "env-linux.h"
#include "env-openssl.h"

#define RSAPSS_2048 (1u << 1)
#define RSASSA_2048 (1u << 0)
#define SHA_256 (1u << 0)
#define SHA_384 (1u << 1)
#define SHA_512 (1u << 2)
#define K 256			/* RSA-2048 signature and EM size */

static EVP_PKEY *key;
static struct spdm_env_cert *cert;
static const u8 msg[] = "SPDM CHALLENGE_AUTH transcript stand-in";

static const EVP_MD *md_of(u32 hash)
{
	return hash == SHA_256 ? EVP_sha256() : hash == SHA_384 ? EVP_sha384() : EVP_sha512();
}

static int setup(void **state)
{
	X509 *x = X509_new();
	X509_NAME *name;
	u8 *der = NULL;
	int len;

	key = EVP_RSA_gen(2048);
	assert_non_null(key);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const u8 *)"pss", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	len = i2d_X509(x, &der);
	assert_true(len > 0);
	assert_int_equal(spdm_env_cert_parse(der, len, &cert), 0);
	OPENSSL_free(der);
	X509_free(x);
	return 0;
}

static int teardown(void **state)
{
	spdm_env_cert_free(cert);
	EVP_PKEY_free(key);
	return 0;
}

/* RSASSA-PSS signature over msg with @salt bytes of salt (-1: hash size). */
static void sign_pss(u32 hash, int salt, u8 *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	size_t len = K;

	assert_true(EVP_DigestSignInit(ctx, &pctx, md_of(hash), NULL, key) == 1);
	assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
	assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) == 1);
	assert_true(EVP_DigestSign(ctx, sig, &len, msg, sizeof(msg)) == 1);
	assert_int_equal(len, K);
	EVP_MD_CTX_free(ctx);
}

/* RSAVP1 / RSASP1 without padding: 1 on success, 0 when the input is >= n. */
static int raw_rsa(bool private, const u8 *in, u8 *out)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(key, NULL);
	size_t len = K;
	int ok;

	if (private)
		ok = EVP_PKEY_decrypt_init(pctx) == 1 &&
		     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_NO_PADDING) == 1 &&
		     EVP_PKEY_decrypt(pctx, out, &len, in, K) == 1;
	else
		ok = EVP_PKEY_verify_recover_init(pctx) == 1 &&
		     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_NO_PADDING) == 1 &&
		     EVP_PKEY_verify_recover(pctx, out, &len, in, K) == 1;
	EVP_PKEY_CTX_free(pctx);
	return ok && len == K;
}

/* Both verifiers on @sig: the environment and the kernel's EMSA-PSS-VERIFY. */
static void expect(u32 hash, const u8 *sig, int want)
{
	u8 em[K], m_hash[64];
	unsigned int h_len;

	assert_int_equal(spdm_env_verify(cert, RSAPSS_2048, hash, msg, sizeof(msg), sig, K),
			 want);
	assert_true(raw_rsa(false, sig, em));
	assert_true(EVP_Digest(msg, sizeof(msg), m_hash, &h_len, md_of(hash), NULL) == 1);
	assert_int_equal(spdm_emsa_pss_verify(hash, m_hash, em, K, 8 * K - 1), want);
}

static void valid_signature_verifies(void **state)
{
	static const u32 hashes[] = { SHA_256, SHA_384, SHA_512 };
	u8 sig[K];

	for (size_t i = 0; i < 3; i++) {
		sign_pss(hashes[i], RSA_PSS_SALTLEN_DIGEST, sig);
		expect(hashes[i], sig, 0);
	}
}

static void other_salt_lengths_are_rejected(void **state)
{
	/* RFC 8017 allows them; SPDM fixes the salt at the hash size */
	static const int salts[] = { 0, 20, 31, 33, 48, RSA_PSS_SALTLEN_MAX };
	u8 sig[K];

	for (size_t i = 0; i < sizeof(salts) / sizeof(salts[0]); i++) {
		sign_pss(SHA_256, salts[i], sig);
		expect(SHA_256, sig, -EKEYREJECTED);
	}
}

static void other_hash_is_rejected(void **state)
{
	u8 sig[K];

	sign_pss(SHA_384, RSA_PSS_SALTLEN_DIGEST, sig);
	expect(SHA_256, sig, -EKEYREJECTED);
}

/* Re-sign the valid EM with @em[@off] changed by @op(@val). */
static int resign(u8 *sig, size_t off, u8 or_val, u8 xor_val)
{
	u8 em[K];

	sign_pss(SHA_256, RSA_PSS_SALTLEN_DIGEST, sig);
	assert_true(raw_rsa(false, sig, em));
	em[off] = (em[off] | or_val) ^ xor_val;
	return raw_rsa(true, em, sig);
}

static void bad_trailer_is_rejected(void **state)
{
	u8 sig[K];

	assert_true(resign(sig, K - 1, 0, 0xbc ^ 0xbd));
	expect(SHA_256, sig, -EKEYREJECTED);
	assert_true(resign(sig, K - 1, 0, 0xbc));	/* trailer 0x00 */
	expect(SHA_256, sig, -EKEYREJECTED);
}

static void nonzero_padding_octet_is_rejected(void **state)
{
	u8 sig[K];

	/* DB = PS (zeros) ‖ 0x01 ‖ salt: octets 1 and 189 are PS, 190 the 0x01 */
	assert_true(resign(sig, 1, 0, 0x01));
	expect(SHA_256, sig, -EKEYREJECTED);
	assert_true(resign(sig, K - 32 - 32 - 3, 0, 0x80));
	expect(SHA_256, sig, -EKEYREJECTED);
	assert_true(resign(sig, K - 32 - 32 - 2, 0, 0x01));	/* 0x01 becomes 0x00 */
	expect(SHA_256, sig, -EKEYREJECTED);
}

static void bit_above_em_bits_is_rejected(void **state)
{
	u8 sig[K];
	int tries = 0;

	/* the bit set may put EM above n; a fresh salt gives a fresh octet */
	while (!resign(sig, 0, 0x80, 0))
		assert_true(++tries < 64);
	expect(SHA_256, sig, -EKEYREJECTED);
}

static void truncated_signature_and_em_are_rejected(void **state)
{
	u8 sig[K + 1], em[K], m_hash[32];
	unsigned int h_len;

	sign_pss(SHA_256, RSA_PSS_SALTLEN_DIGEST, sig);
	assert_int_equal(spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg, sizeof(msg), sig,
					 K - 1), -EKEYREJECTED);
	sig[K] = 0;
	assert_int_equal(spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg, sizeof(msg), sig,
					 K + 1), -EKEYREJECTED);

	assert_true(raw_rsa(false, sig, em));
	assert_true(EVP_Digest(msg, sizeof(msg), m_hash, &h_len, EVP_sha256(), NULL) == 1);
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em, K, 8 * K - 1), 0);
	/* emLen not what emBits calls for, either way */
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em, K - 1, 8 * K - 1),
			 -EKEYREJECTED);
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em, K, 8 * K + 7),
			 -EKEYREJECTED);
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em, K, 0), -EKEYREJECTED);
	/* the front cut off: every field shifts */
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em + 1, K - 1, 8 * K - 9),
			 -EKEYREJECTED);
	/* shorter than hash, salt and two fixed octets (66 for SHA-256) */
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em + K - 65, 65, 519),
			 -EKEYREJECTED);
	/* larger than any SPDM modulus */
	assert_int_equal(spdm_emsa_pss_verify(SHA_256, m_hash, em, 513, 4103),
			 -EKEYREJECTED);
	assert_int_equal(spdm_emsa_pss_verify(1u << 3, m_hash, em, K, 8 * K - 1),
			 -EPROTONOSUPPORT);
}

static void signature_out_of_range_is_rejected(void **state)
{
	u8 sig[K];

	memset(sig, 0, K);
	assert_int_equal(spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg, sizeof(msg), sig, K),
			 -EKEYREJECTED);
	memset(sig, 0xff, K);
	assert_int_equal(spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg, sizeof(msg), sig, K),
			 -EKEYREJECTED);
}

static void pss_and_pkcs1_do_not_mix(void **state)
{
	u8 sig[K];

	sign_pss(SHA_256, RSA_PSS_SALTLEN_DIGEST, sig);
	assert_int_equal(spdm_env_verify(cert, RSASSA_2048, SHA_256, msg, sizeof(msg), sig, K),
			 -EKEYREJECTED);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_signature_verifies),
		cmocka_unit_test(other_salt_lengths_are_rejected),
		cmocka_unit_test(other_hash_is_rejected),
		cmocka_unit_test(bad_trailer_is_rejected),
		cmocka_unit_test(nonzero_padding_octet_is_rejected),
		cmocka_unit_test(bit_above_em_bits_is_rejected),
		cmocka_unit_test(truncated_signature_and_em_are_rejected),
		cmocka_unit_test(signature_out_of_range_is_rejected),
		cmocka_unit_test(pss_and_pkcs1_do_not_mix),
	};

	spdm_env_set_log_level(SPDM_LOG_QUIET);
	return cmocka_run_group_tests_name("pss", tests, setup, teardown);
}
