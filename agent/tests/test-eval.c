// SPDX-License-Identifier: GPL-2.0
/*
 * The decision table: which rule decides for which device, first match
 * wins, the default otherwise, and every attribute both matching and not.
 */
#include <errno.h>
#include <string.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

/* A verified QEMU NVMe under "demo-root", as validation would report it. */
static void device(struct agent_evidence *ev, struct agent_validation *val)
{
	memset(ev, 0, sizeof(*ev));
	memset(val, 0, sizeof(*val));
	strcpy(ev->name, "0000:01:00.0");
	pki_qemu_nvme_ids(&ev->ids);
	ev->state = AGENT_AUTH_AUTHENTICATED;
	ev->generation = 4;
	ev->version = 0x12;
	ev->base_asym_alg = AGENT_ASYM_ECDSA_P384;
	ev->base_hash_alg = AGENT_HASH_SHA384;
	val->have_chain = true;
	strcpy(val->anchor, "demo-root");
	val->have_leaf_fp = val->have_root_fp = true;
	memset(val->leaf_fp, 0xab, sizeof(val->leaf_fp));
	memset(val->root_fp, 0xcd, sizeof(val->root_fp));
	strcpy(val->subject, "CN=Demo NVMe Device,O=SPDM Test");
	strcpy(val->issuer, "CN=Demo Intermediate CA,O=SPDM Test");
	val->identity = AGENT_IDENTITY_MATCH;
	val->verified = true;
}

/* Decide with a one-rule policy; return "allow", "deny" or "default". */
static const char *decide(const char *rule, const struct agent_evidence *ev,
			  const struct agent_validation *val)
{
	char text[1024], err[AGENT_ERR_LEN];
	struct agent_policy *pol;
	struct agent_decision dec;
	const char *res;

	snprintf(text, sizeof(text), "default deny\n%s\n", rule);
	if (agent_policy_parse("t.rules", text, strlen(text), NULL, &pol, err,
			       sizeof(err)))
		fail_msg("policy '%s': %s", rule, err);
	agent_policy_decide(pol, ev, val, &dec);
	res = !dec.rule ? "default" :
	      dec.verdict == AGENT_ALLOW ? "allow" : "deny";
	agent_policy_free(pol);
	return res;
}

#define ALLOWS(rule)	assert_string_equal(decide(rule, &ev, &val), "allow")
#define MISSES(rule)	assert_string_equal(decide(rule, &ev, &val), "default")

static void eval_first_match_wins(void **state)
{
	static const char text[] =
		"default allow\n"
		"deny vendor 8086 label \"intel\"\n"
		"allow vendor 1b36 label \"qemu\"\n"
		"deny label \"everything\"\n";
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_policy *pol;
	struct agent_decision dec;
	char err[AGENT_ERR_LEN];

	(void)state;
	device(&ev, &val);
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_string_equal(dec.rule->label, "qemu");
	assert_int_equal(dec.rule->line, 3);
	ev.ids.vendor = 0x8086;
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_DENY);
	assert_string_equal(dec.rule->label, "intel");
	ev.ids.vendor = 0x144d;
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_string_equal(dec.rule->label, "everything");
	agent_policy_free(pol);
}

static void eval_default_decides_when_nothing_matches(void **state)
{
	static const char text[] = "default allow\ndeny vendor 8086\n";
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_policy *pol;
	struct agent_decision dec;
	char err[AGENT_ERR_LEN];

	(void)state;
	device(&ev, &val);
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_null(dec.rule);
	agent_policy_free(pol);
}

static void eval_all_conditions_must_hold(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow vendor 1b36 device 0010");
	MISSES("allow vendor 1b36 device 0011");
}

static void eval_matches_pci_ids(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow id 1b36:0010");
	ALLOWS("allow id 1b36:*");
	ALLOWS("allow id *:0010");
	MISSES("allow id 1b36:0011");
	ALLOWS("allow subsystem 1af4:1100");
	MISSES("allow subsystem 1af4:1101");
	ALLOWS("allow vendor { 8086 1b36 }");
	MISSES("allow vendor { 8086 144d }");
	ALLOWS("allow address \"0000:01:*\"");
	MISSES("allow address 0000:02:00.0");
}

static void eval_matches_class_prefixes(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow class 01");
	ALLOWS("allow class 0108");
	ALLOWS("allow class 010802");
	MISSES("allow class 02");
	MISSES("allow class 0106");
	MISSES("allow class 010801");
}

static void eval_matches_authentication_state(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow state authenticated");
	MISSES("allow state failed");
	ev.state = AGENT_AUTH_UNSUPPORTED;
	ALLOWS("allow state { failed unsupported }");
	MISSES("allow state authenticated");
}

static void eval_matches_agent_verification(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow verified yes");
	MISSES("allow verified no");
	val.verified = false;
	ALLOWS("allow verified no");
}

static void eval_anchor_needs_a_verified_chain(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow anchor demo-root");
	ALLOWS("allow anchor { other demo-root }");
	MISSES("allow anchor other");
	val.anchor[0] = '\0';	/* chain did not verify */
	MISSES("allow anchor demo-root");
}

static void eval_matches_fingerprints(void **state)
{
	char rule[200], hex[65];
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	agent_hex(val.leaf_fp, 32, hex);
	snprintf(rule, sizeof(rule), "allow leaf-fingerprint sha256:%s", hex);
	ALLOWS(rule);
	snprintf(rule, sizeof(rule), "allow root-fingerprint %s", hex);
	MISSES(rule);
	agent_hex(val.root_fp, 32, hex);
	snprintf(rule, sizeof(rule), "allow root-fingerprint %s", hex);
	ALLOWS(rule);
	val.have_root_fp = false;
	MISSES(rule);
}

static void eval_matches_subject_and_issuer_patterns(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow subject \"CN=Demo NVMe*\"");
	MISSES("allow subject \"CN=Other*\"");
	ALLOWS("allow issuer \"*O=SPDM Test\"");
	MISSES("allow issuer \"CN=Demo Root CA*\"");
	val.subject[0] = '\0';
	MISSES("allow subject \"*\"");
}

static void eval_matches_cma_identity(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow cma-identity match");
	MISSES("allow cma-identity mismatch");
	val.identity = AGENT_IDENTITY_ABSENT;
	ALLOWS("allow cma-identity { match absent }");
	MISSES("allow cma-identity match");
}

static void eval_matches_version_and_strength(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ALLOWS("allow min-version 1.2");
	MISSES("allow min-version 1.3");
	ALLOWS("allow min-strength 192");
	MISSES("allow min-strength 193");
	ev.base_hash_alg = AGENT_HASH_SHA256;	/* weakest part counts */
	MISSES("allow min-strength 192");
	ALLOWS("allow min-strength 128");
	ev.state = AGENT_AUTH_FAILED;	/* nothing was negotiated */
	MISSES("allow min-version 1.0");
	MISSES("allow min-strength 1");
}

static void eval_matches_measurements_only_when_verified(void **state)
{
	/* block 1: DMTF, 4-byte value; block 2: DMTF, 2-byte value */
	static const uint8_t record[] = {
		1, 1, 7, 0,  0x00, 4, 0,  0xde, 0xad, 0xbe, 0xef,
		2, 1, 5, 0,  0x01, 2, 0,  0x12, 0x34,
	};
	struct agent_evidence ev;
	struct agent_validation val;

	(void)state;
	device(&ev, &val);
	ev.meas = (uint8_t *)record;
	ev.meas_len = sizeof(record);
	ALLOWS("allow measurement 1 deadbeef");
	ALLOWS("allow measurement 2 { abcd 1234 }");
	MISSES("allow measurement 1 deadbe");
	MISSES("allow measurement 3 deadbeef");
	val.verified = false;
	MISSES("allow measurement 1 deadbeef");
}

static void evidence_rejects_truncated_measurement_block(void **state)
{
	static const uint8_t record[] = { 1, 1, 9, 0, 0x00, 6, 0, 1, 2 };
	struct agent_evidence ev = {
		.meas = (uint8_t *)record, .meas_len = sizeof(record)
	};
	const uint8_t *v;
	size_t n;

	(void)state;
	assert_int_equal(agent_evidence_measurement_find(&ev, 1, &v, &n), -EIO);
	ev.meas_len = 3;	/* not even a block header */
	assert_int_equal(agent_evidence_measurement_find(&ev, 1, &v, &n), -EIO);
}

static void evidence_rejects_inconsistent_dmtf_value_size(void **state)
{
	static const uint8_t record[] = { 1, 1, 5, 0, 0x00, 9, 0, 1, 2 };
	static const uint8_t raw[] = { 1, 0, 2, 0, 1, 2 };
	struct agent_evidence ev = {
		.meas = (uint8_t *)record, .meas_len = sizeof(record)
	};
	const uint8_t *v;
	size_t n;

	(void)state;
	assert_int_equal(agent_evidence_measurement_find(&ev, 1, &v, &n), -EIO);
	ev.meas = (uint8_t *)raw;	/* not in DMTF format */
	ev.meas_len = sizeof(raw);
	assert_int_equal(agent_evidence_measurement_find(&ev, 1, &v, &n),
			 -EPROTO);
}

static void algo_strength_is_the_weaker_part(void **state)
{
	(void)state;
	assert_int_equal(agent_algo_strength(AGENT_ASYM_ECDSA_P256,
					     AGENT_HASH_SHA384), 128);
	assert_int_equal(agent_algo_strength(AGENT_ASYM_ECDSA_P521,
					     AGENT_HASH_SHA384), 192);
	assert_int_equal(agent_algo_strength(AGENT_ASYM_RSASSA_2048,
					     AGENT_HASH_SHA256), 112);
	assert_int_equal(agent_algo_strength(1u << 9, AGENT_HASH_SHA256), 0);
}

static const struct CMUnitTest eval_tests[] = {
	cmocka_unit_test(eval_first_match_wins),
	cmocka_unit_test(eval_default_decides_when_nothing_matches),
	cmocka_unit_test(eval_all_conditions_must_hold),
	cmocka_unit_test(eval_matches_pci_ids),
	cmocka_unit_test(eval_matches_class_prefixes),
	cmocka_unit_test(eval_matches_authentication_state),
	cmocka_unit_test(eval_matches_agent_verification),
	cmocka_unit_test(eval_anchor_needs_a_verified_chain),
	cmocka_unit_test(eval_matches_fingerprints),
	cmocka_unit_test(eval_matches_subject_and_issuer_patterns),
	cmocka_unit_test(eval_matches_cma_identity),
	cmocka_unit_test(eval_matches_version_and_strength),
	cmocka_unit_test(eval_matches_measurements_only_when_verified),
	cmocka_unit_test(evidence_rejects_truncated_measurement_block),
	cmocka_unit_test(evidence_rejects_inconsistent_dmtf_value_size),
	cmocka_unit_test(algo_strength_is_the_weaker_part),
};

UNIT_SUITE(eval_suite, eval_tests);
