// SPDX-License-Identifier: GPL-2.0
/*
 * libspdm-util apart from the certificate cache: ECDSA r‖s to DER and back
 * (against a real OpenSSL signature), hex, and the names user space prints.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "spdm-util.h"

/* A P-384 signature by OpenSSL, to raw and back, still verifies. */
static void test_ecdsa_round_trip_verifies(void **state)
{
	static const uint8_t msg[] = "signed by the responder";
	EVP_PKEY *key = EVP_EC_gen("P-384");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t der[160], raw[96], *der2 = NULL;
	size_t der_len = sizeof(der), der2_len = 0;

	assert_non_null(key);
	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, der, &der_len, msg, sizeof(msg)), 1);
	assert_int_equal(spdm_ecdsa_der_to_raw(der, der_len, raw, sizeof(raw)), 0);
	assert_int_equal(spdm_ecdsa_raw_to_der(raw, sizeof(raw), &der2, &der2_len), 0);
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(ctx, der2, der2_len, msg, sizeof(msg)), 1);
	/* the same integers, so the same DER */
	assert_int_equal(der2_len, der_len);
	assert_memory_equal(der2, der, der_len);
	OPENSSL_free(der2);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
}

/* Small integers are left-padded in r‖s and minimal in DER. */
static void test_ecdsa_pads_small_integers(void **state)
{
	/* SEQUENCE { INTEGER 1, INTEGER 0x80 (a leading 00: positive) } */
	static const uint8_t der[] = { 0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80 };
	uint8_t raw[8], *back = NULL;
	size_t back_len;

	assert_int_equal(spdm_ecdsa_der_to_raw(der, sizeof(der), raw, sizeof(raw)), 0);
	assert_memory_equal(raw, ((uint8_t[]){ 0, 0, 0, 1, 0, 0, 0, 0x80 }), 8);
	assert_int_equal(spdm_ecdsa_raw_to_der(raw, sizeof(raw), &back, &back_len), 0);
	assert_int_equal(back_len, sizeof(der));
	assert_memory_equal(back, der, sizeof(der));
	OPENSSL_free(back);
}

static void test_ecdsa_rejects_what_does_not_fit(void **state)
{
	static const uint8_t der[] = { 0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x01, 0x80 };
	uint8_t raw[4], trailing[sizeof(der) + 1], *out = (uint8_t *)1;
	size_t out_len;

	/* s = 0x180 does not fit 1 byte */
	assert_int_equal(spdm_ecdsa_der_to_raw(der, sizeof(der), raw, 2), -EINVAL);
	/* a byte after the SEQUENCE */
	memcpy(trailing, der, sizeof(der));
	trailing[sizeof(der)] = 0;
	assert_int_equal(spdm_ecdsa_der_to_raw(trailing, sizeof(trailing), raw, 4), -EINVAL);
	assert_int_equal(spdm_ecdsa_der_to_raw(der, sizeof(der) - 1, raw, 4), -EINVAL);
	/* an odd or empty raw signature has no halves */
	assert_int_equal(spdm_ecdsa_raw_to_der(raw, 3, &out, &out_len), -EINVAL);
	assert_null(out);
	assert_int_equal(spdm_ecdsa_raw_to_der(raw, 0, &out, &out_len), -EINVAL);
}

static void test_hex_is_lower_case(void **state)
{
	static const uint8_t b[] = { 0x00, 0xab, 0xcd, 0xef, 0x19 };
	char out[11];

	assert_int_equal(spdm_hex(b, sizeof(b), out, sizeof(out)), 0);
	assert_string_equal(out, "00abcdef19");
	assert_int_equal(spdm_hex(b, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* no room for the terminator */
	assert_int_equal(spdm_hex(b, sizeof(b), out, sizeof(out) - 1), -ENOSPC);
	assert_string_equal(out, "");
}

static void test_unhex_takes_either_case_and_colons(void **state)
{
	uint8_t out[4];
	size_t len;

	assert_int_equal(spdm_unhex("00aBcD", out, sizeof(out), &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(out, ((uint8_t[]){ 0x00, 0xab, 0xcd }), 3);
	assert_int_equal(spdm_unhex("de:ad:BE:EF", out, sizeof(out), &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(out, ((uint8_t[]){ 0xde, 0xad, 0xbe, 0xef }), 4);
	assert_int_equal(spdm_unhex("", out, sizeof(out), &len), 0);
	assert_int_equal(len, 0);
}

static void test_unhex_rejects_bad_text(void **state)
{
	uint8_t out[4];
	size_t len;

	assert_int_equal(spdm_unhex("abc", out, sizeof(out), &len), -EINVAL);
	assert_int_equal(spdm_unhex("zz", out, sizeof(out), &len), -EINVAL);
	assert_int_equal(spdm_unhex("a:b", out, sizeof(out), &len), -EINVAL);
	assert_int_equal(spdm_unhex(":ab", out, sizeof(out), &len), -EINVAL);
	assert_int_equal(spdm_unhex("0102030405", out, sizeof(out), &len), -EINVAL);
}

/* The kernel's names (kernel/spdm/alg-names.c), as user space prints them. */
static void test_algorithm_names_are_the_kernels(void **state)
{
	char buf[SPDM_ALG_NAME_MAX];

	spdm_asym_names(1u << 4, buf, sizeof(buf));
	assert_string_equal(buf, "ECDSA_P256");
	spdm_asym_names(1u << 3 | 1u << 8, buf, sizeof(buf));
	assert_string_equal(buf, "RSAPSS_3072|ECDSA_P521");
	spdm_asym_names(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	spdm_hash_names(1u << 1, buf, sizeof(buf));
	assert_string_equal(buf, "SHA_384");
	spdm_meas_hash_names(1u << 0, buf, sizeof(buf));
	assert_string_equal(buf, "RAW_BIT");
	spdm_meas_hash_names(1u << 3, buf, sizeof(buf));
	assert_string_equal(buf, "SHA_512");
	spdm_meas_hash_names(1u << 0 | 1u << 1, buf, sizeof(buf));
	assert_string_equal(buf, "RAW_BIT|SHA_256");
	spdm_meas_hash_names(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
}

static void test_message_names(void **state)
{
	uint8_t code;

	assert_string_equal(spdm_req_name(0x84), "GET_VERSION");
	assert_null(spdm_req_name(0x04));
	assert_string_equal(spdm_rsp_name(0x03), "CHALLENGE_AUTH");
	assert_string_equal(spdm_rsp_name(0), "-");
	assert_string_equal(spdm_code_name(0xe3), "NEGOTIATE_ALGORITHMS");
	assert_string_equal(spdm_code_name(0x7f), "ERROR");
	assert_null(spdm_code_name(0));
	assert_null(spdm_code_name(0x99));
	assert_int_equal(spdm_parse_message("get_version", &code), 0);
	assert_int_equal(code, 0x84);
	assert_int_equal(spdm_parse_message("MEASUREMENTS", &code), 0);
	assert_int_equal(code, 0xe0);
	assert_int_equal(spdm_parse_message("0xe1", &code), 0);
	assert_int_equal(code, 0xe1);
	assert_int_equal(spdm_parse_message("ERROR", &code), -EINVAL);
	assert_int_equal(spdm_parse_message("0x04", &code), -EINVAL);
}

static void test_errno_names_are_glibcs(void **state)
{
	assert_string_equal(spdm_errno_name(-EKEYREJECTED), "EKEYREJECTED");
	assert_string_equal(spdm_errno_name(EPROTO), "EPROTO");
	assert_string_equal(spdm_errno_name(0), "");
	assert_string_equal(spdm_errno_name(-100000), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecdsa_round_trip_verifies),
		cmocka_unit_test(test_ecdsa_pads_small_integers),
		cmocka_unit_test(test_ecdsa_rejects_what_does_not_fit),
		cmocka_unit_test(test_hex_is_lower_case),
		cmocka_unit_test(test_unhex_takes_either_case_and_colons),
		cmocka_unit_test(test_unhex_rejects_bad_text),
		cmocka_unit_test(test_algorithm_names_are_the_kernels),
		cmocka_unit_test(test_message_names),
		cmocka_unit_test(test_errno_names_are_glibcs),
	};

	return cmocka_run_group_tests_name("lib-util", tests, NULL, NULL);
}
