// SPDX-License-Identifier: GPL-2.0
/*
 * Validation against the project's test PKI (tests/pki/gen-pki.sh), the
 * same certificates the responder emulator presents: every good algorithm
 * verifies end to end, and every bad variant fails at the right step.
 * The PKI directory comes from AGENT_TEST_PKI (set by the Makefile).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/spdm.h>
#include <openssl/pem.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

static const char *pki_dir(void)
{
	const char *dir = getenv("AGENT_TEST_PKI");

	if (!dir)
		fail_msg("AGENT_TEST_PKI is not set (make check-unit sets it)");
	return dir;
}

/* Read SUB/chain.pem into an SPDM chain and SUB/leaf.key. */
static uint8_t *load_chain(const char *sub, uint32_t hash, size_t *len,
			   EVP_PKEY **key)
{
	X509 *certs[4];
	char path[512];
	uint8_t *chain;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s/chain.pem", pki_dir(), sub);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (n < 4 && (certs[n] = PEM_read_X509(f, NULL, NULL, NULL)))
		n++;
	fclose(f);
	assert_true(n > 0);
	chain = pki_spdm_chain(certs, n, hash, len);
	while (n--)
		X509_free(certs[n]);
	snprintf(path, sizeof(path), "%s/%s/leaf.key", pki_dir(), sub);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	*key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(*key);
	return chain;
}

/* The certificate model the evidence of run() reports (0: none, as old kernels). */
static uint32_t run_cert_model;

/* Validate SUB's chain, signed with its own leaf key, under OUTDIR/trust. */
static void run(const char *sub, uint8_t version, uint32_t asym, uint32_t hash,
		enum agent_time_mode time, struct agent_validation *val)
{
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_evidence ev;
	char dir[512], err[AGENT_ERR_LEN];
	EVP_PKEY *key;
	uint8_t *chain;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/trust", pki_dir());
	if (agent_trust_load(dir, &trust, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(agent_validator_new(trust, time, 0, &v), 0);
	chain = load_chain(sub, hash, &len, &key);
	pki_evidence_fill(&ev, version, asym, hash, chain, len, key, 9);
	ev.cert_model = run_cert_model;
	agent_validator_validate(v, &ev, val);
	agent_evidence_free(&ev);
	free(chain);
	EVP_PKEY_free(key);
	agent_validator_free(v);
	agent_trust_free(trust);
}

static void good_case(const char *alg, uint8_t version, uint32_t asym,
		      uint32_t hash)
{
	struct agent_validation val;

	run(alg, version, asym, hash, AGENT_TIME_ENFORCE, &val);
	if (!val.verified)
		fail_msg("%s: chain %d '%s' leaf %d '%s' signature %d '%s' identity %d",
			 alg, val.chain_result, val.chain_error, val.leaf_result,
			 val.leaf_error, val.signature_result,
			 val.signature_error, val.identity);
	assert_string_equal(val.anchor, alg);
	assert_int_equal(val.identity, AGENT_IDENTITY_MATCH);
}

static void pki_ecp256_verifies(void **state)
{
	(void)state;
	good_case("ecp256", 0x12, AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256);
}

static void pki_ecp384_verifies(void **state)
{
	(void)state;
	good_case("ecp384", 0x13, AGENT_ASYM_ECDSA_P384, AGENT_HASH_SHA384);
}

static void pki_ecp521_verifies(void **state)
{
	(void)state;
	good_case("ecp521", 0x12, AGENT_ASYM_ECDSA_P521, AGENT_HASH_SHA512);
}

static void pki_rsa2048_verifies(void **state)
{
	(void)state;
	good_case("rsa2048", 0x11, AGENT_ASYM_RSASSA_2048, AGENT_HASH_SHA256);
}

static void pki_rsa3072_verifies(void **state)
{
	(void)state;
	good_case("rsa3072", 0x12, AGENT_ASYM_RSAPSS_3072, AGENT_HASH_SHA384);
}

static void pki_rsa4096_verifies(void **state)
{
	(void)state;
	good_case("rsa4096", 0x13, AGENT_ASYM_RSASSA_4096, AGENT_HASH_SHA512);
}

static void bad(const char *variant, enum agent_time_mode time,
		struct agent_validation *val)
{
	char sub[64];

	snprintf(sub, sizeof(sub), "bad/%s", variant);
	run(sub, 0x12, AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256, time, val);
}

static void pki_bad_unknown_root_is_rejected(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("unknown-root", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	assert_string_equal(val.anchor, "");
	assert_false(val.verified);
}

static void pki_bad_expired_depends_on_time_check(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("expired", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	assert_false(val.verified);
	bad("expired", AGENT_TIME_WARN, &val);
	assert_true(val.verified);
	assert_true(val.time_warning);
	bad("expired", AGENT_TIME_IGNORE, &val);
	assert_true(val.verified);
	assert_false(val.time_warning);
}

static void pki_bad_not_yet_valid_depends_on_time_check(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("not-yet-valid", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	bad("not-yet-valid", AGENT_TIME_WARN, &val);
	assert_true(val.verified);
	assert_string_equal(val.time_error,
			    "depth 0: certificate is not yet valid");
}

static void pki_bad_wrong_identity_mismatches(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("wrong-identity", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, 0);
	assert_int_equal(val.identity, AGENT_IDENTITY_MISMATCH);
	assert_false(val.verified);
}

static void pki_bad_leaf_ca_breaks_leaf_rules(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("leaf-ca", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.leaf_result, -EKEYREJECTED);
	assert_false(val.verified);
}

static void pki_bad_no_digitalsignature_breaks_leaf_rules(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("no-digitalsignature", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.leaf_result, -EKEYREJECTED);
	assert_string_equal(val.leaf_error, "leaf keyUsage lacks digitalSignature");
	assert_false(val.verified);
}

/* bad/hw-identity: legal in the DeviceCert model only (DSP0274 1.3.0 §10.7.1) */
static void pki_bad_hw_identity_by_model(void **state)
{
	static const struct {
		uint32_t model;
		int leaf_result;
	} cases[] = {
		{ SPDM_CERT_MODEL_DEVICE, 0 },
		{ SPDM_CERT_MODEL_NONE, 0 },
		{ SPDM_CERT_MODEL_ALIAS, -EKEYREJECTED },
		{ SPDM_CERT_MODEL_GENERIC, -EKEYREJECTED },
	};
	struct agent_validation val;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_cert_model = cases[i].model;
		bad("hw-identity", AGENT_TIME_ENFORCE, &val);
		run_cert_model = 0;
		assert_int_equal(val.leaf_result, cases[i].leaf_result);
		assert_int_equal(val.verified, cases[i].leaf_result == 0);
	}
	assert_string_equal(val.leaf_error,
			    "generic-model leaf carries the hardware-identity OID");
}

static void pki_bad_requester_eku_breaks_leaf_rules(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("requester-eku", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.leaf_result, -EKEYREJECTED);
	assert_string_equal(val.leaf_error, "leaf EKU allows requester use only");
}

static void pki_bad_out_of_order_is_rejected(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("out-of-order", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	assert_string_equal(val.chain_error,
			    "chain out of order at certificate 2 (root is 1)");
	assert_false(val.verified);
}

static void pki_bad_self_signed_is_rejected(void **state)
{
	struct agent_validation val;

	(void)state;
	bad("self-signed", AGENT_TIME_ENFORCE, &val);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	assert_false(val.verified);
}

static const struct CMUnitTest pki_set_tests[] = {
	cmocka_unit_test(pki_ecp256_verifies),
	cmocka_unit_test(pki_ecp384_verifies),
	cmocka_unit_test(pki_ecp521_verifies),
	cmocka_unit_test(pki_rsa2048_verifies),
	cmocka_unit_test(pki_rsa3072_verifies),
	cmocka_unit_test(pki_rsa4096_verifies),
	cmocka_unit_test(pki_bad_unknown_root_is_rejected),
	cmocka_unit_test(pki_bad_expired_depends_on_time_check),
	cmocka_unit_test(pki_bad_not_yet_valid_depends_on_time_check),
	cmocka_unit_test(pki_bad_wrong_identity_mismatches),
	cmocka_unit_test(pki_bad_leaf_ca_breaks_leaf_rules),
	cmocka_unit_test(pki_bad_no_digitalsignature_breaks_leaf_rules),
	cmocka_unit_test(pki_bad_hw_identity_by_model),
	cmocka_unit_test(pki_bad_requester_eku_breaks_leaf_rules),
	cmocka_unit_test(pki_bad_out_of_order_is_rejected),
	cmocka_unit_test(pki_bad_self_signed_is_rejected),
};

UNIT_SUITE(pki_set_suite, pki_set_tests);
