// SPDX-License-Identifier: GPL-2.0
/*
 * The decision table: which rule decides for which device, first match
 * wins, the default otherwise, and every attribute both matching and not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

struct device {
	struct agent_evidence ev;
	struct agent_validation val;
};

/* cmocka setup: a verified QEMU NVMe under "demo-root", as validation reports it. */
static int device_new(void **state)
{
	struct device *d = calloc(1, sizeof(*d));
	struct agent_evidence *ev = &d->ev;
	struct agent_validation *val = &d->val;

	assert_non_null(d);
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
	*state = d;
	return 0;
}

static int device_free(void **state)
{
	free(*state);
	return 0;
}

/* Parse a whole policy that must be valid. */
static struct agent_policy *parse(const char *text)
{
	char err[AGENT_ERR_LEN];
	struct agent_policy *pol;

	if (agent_policy_parse("t.rules", text, strlen(text), NULL, &pol, err,
			       sizeof(err)))
		fail_msg("policy '%s': %s", text, err);
	return pol;
}

/* Decide with a one-rule policy; return "allow", "deny" or "default". */
static const char *decide(const char *rule, const struct agent_evidence *ev,
			  const struct agent_validation *val)
{
	struct agent_policy *pol;
	struct agent_decision dec;
	const char *res;
	char text[1024];

	snprintf(text, sizeof(text), "default deny\n%s\n", rule);
	pol = parse(text);
	agent_policy_decide(pol, ev, val, &dec);
	res = !dec.rule ? "default" :
	      dec.verdict == AGENT_ALLOW ? "allow" : "deny";
	agent_policy_free(pol);
	return res;
}

#define ALLOWS(rule)	assert_string_equal(decide(rule, &d->ev, &d->val), "allow")
#define MISSES(rule)	assert_string_equal(decide(rule, &d->ev, &d->val), "default")

static void eval_first_match_wins(void **state)
{
	static const char text[] =
		"default allow\n"
		"deny vendor 8086 label \"intel\"\n"
		"allow vendor 1b36 label \"qemu\"\n"
		"deny label \"everything\"\n";
	struct device *d = *state;
	struct agent_policy *pol = parse(text);
	struct agent_decision dec;

	agent_policy_decide(pol, &d->ev, &d->val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_string_equal(dec.rule->label, "qemu");
	assert_int_equal(dec.rule->line, 3);
	d->ev.ids.vendor = 0x8086;
	agent_policy_decide(pol, &d->ev, &d->val, &dec);
	assert_int_equal(dec.verdict, AGENT_DENY);
	assert_string_equal(dec.rule->label, "intel");
	d->ev.ids.vendor = 0x144d;
	agent_policy_decide(pol, &d->ev, &d->val, &dec);
	assert_string_equal(dec.rule->label, "everything");
	agent_policy_free(pol);
}

static void eval_default_decides_when_nothing_matches(void **state)
{
	static const char text[] = "default allow\ndeny vendor 8086\n";
	struct device *d = *state;
	struct agent_policy *pol = parse(text);
	struct agent_decision dec;

	agent_policy_decide(pol, &d->ev, &d->val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_null(dec.rule);
	agent_policy_free(pol);
}

static void eval_all_conditions_must_hold(void **state)
{
	struct device *d = *state;

	ALLOWS("allow vendor 1b36 device 0010");
	MISSES("allow vendor 1b36 device 0011");
}

static void eval_matches_pci_ids(void **state)
{
	struct device *d = *state;

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
	struct device *d = *state;

	ALLOWS("allow class 01");
	ALLOWS("allow class 0108");
	ALLOWS("allow class 010802");
	MISSES("allow class 02");
	MISSES("allow class 0106");
	MISSES("allow class 010801");
}

static void eval_matches_authentication_state(void **state)
{
	struct device *d = *state;

	ALLOWS("allow state authenticated");
	MISSES("allow state failed");
	d->ev.state = AGENT_AUTH_UNSUPPORTED;
	ALLOWS("allow state { failed unsupported }");
	MISSES("allow state authenticated");
}

static void eval_matches_agent_verification(void **state)
{
	struct device *d = *state;

	ALLOWS("allow verified yes");
	MISSES("allow verified no");
	d->val.verified = false;
	ALLOWS("allow verified no");
}

static void eval_anchor_needs_a_verified_chain(void **state)
{
	struct device *d = *state;

	ALLOWS("allow anchor demo-root");
	ALLOWS("allow anchor { other demo-root }");
	MISSES("allow anchor other");
	d->val.anchor[0] = '\0';	/* chain did not verify */
	MISSES("allow anchor demo-root");
}

static void eval_matches_fingerprints(void **state)
{
	char rule[200], hex[65];
	struct device *d = *state;

	spdm_hex(d->val.leaf_fp, 32, hex, sizeof(hex));
	snprintf(rule, sizeof(rule), "allow leaf-fingerprint sha256:%s", hex);
	ALLOWS(rule);
	snprintf(rule, sizeof(rule), "allow root-fingerprint %s", hex);
	MISSES(rule);
	spdm_hex(d->val.root_fp, 32, hex, sizeof(hex));
	snprintf(rule, sizeof(rule), "allow root-fingerprint %s", hex);
	ALLOWS(rule);
	d->val.have_root_fp = false;
	MISSES(rule);
}

static void eval_matches_subject_and_issuer_patterns(void **state)
{
	struct device *d = *state;

	ALLOWS("allow subject \"CN=Demo NVMe*\"");
	MISSES("allow subject \"CN=Other*\"");
	ALLOWS("allow issuer \"*O=SPDM Test\"");
	MISSES("allow issuer \"CN=Demo Root CA*\"");
	d->val.subject[0] = '\0';
	MISSES("allow subject \"*\"");
}

static void eval_matches_cma_identity(void **state)
{
	struct device *d = *state;

	ALLOWS("allow cma-identity match");
	MISSES("allow cma-identity mismatch");
	d->val.identity = AGENT_IDENTITY_ABSENT;
	ALLOWS("allow cma-identity { match absent }");
	MISSES("allow cma-identity match");
}

static void eval_matches_version_and_strength(void **state)
{
	struct device *d = *state;

	ALLOWS("allow min-version 1.2");
	MISSES("allow min-version 1.3");
	ALLOWS("allow min-strength 192");
	MISSES("allow min-strength 193");
	d->ev.base_hash_alg = AGENT_HASH_SHA256;	/* weakest part counts */
	MISSES("allow min-strength 192");
	ALLOWS("allow min-strength 128");
	d->ev.state = AGENT_AUTH_FAILED;	/* nothing was negotiated */
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
	struct device *d = *state;

	d->ev.meas = (uint8_t *)record;
	d->ev.meas_len = sizeof(record);
	ALLOWS("allow measurement 1 deadbeef");
	ALLOWS("allow measurement 2 { abcd 1234 }");
	MISSES("allow measurement 1 deadbe");
	MISSES("allow measurement 3 deadbeef");
	d->val.meas_result = -EKEYREJECTED;	/* the record is not signed */
	MISSES("allow measurement 1 deadbeef");
	d->val.meas_result = 0;
	d->val.verified = false;
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

/*
 * Why spdm-agent --check-policy warns on "allow anchor" alone: a device that
 * replays a genuine chain without its key fails authentication, yet its
 * chain still verifies to the anchor and its leaf still has the pinned
 * fingerprint. Only 'verified yes' or 'state authenticated' tells them apart.
 */
static void eval_anchor_alone_matches_a_replayed_chain(void **state)
{
	struct device *d = *state;

	d->ev.state = AGENT_AUTH_FAILED;
	d->val.signature_result = -EKEYREJECTED;
	d->val.verified = false;
	ALLOWS("allow anchor \"demo-root\"");
	ALLOWS("allow leaf-fingerprint sha256:abababababababababababababababababababababababababababababababab");
	MISSES("allow anchor \"demo-root\" verified yes");
	MISSES("allow anchor \"demo-root\" state authenticated");
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

/* A test on a fresh device() of its own. */
#define DEVICE_TEST(f) cmocka_unit_test_setup_teardown(f, device_new, device_free)

static const struct CMUnitTest eval_tests[] = {
	DEVICE_TEST(eval_first_match_wins),
	DEVICE_TEST(eval_default_decides_when_nothing_matches),
	DEVICE_TEST(eval_all_conditions_must_hold),
	DEVICE_TEST(eval_matches_pci_ids),
	DEVICE_TEST(eval_matches_class_prefixes),
	DEVICE_TEST(eval_matches_authentication_state),
	DEVICE_TEST(eval_matches_agent_verification),
	DEVICE_TEST(eval_anchor_needs_a_verified_chain),
	DEVICE_TEST(eval_matches_fingerprints),
	DEVICE_TEST(eval_anchor_alone_matches_a_replayed_chain),
	DEVICE_TEST(eval_matches_subject_and_issuer_patterns),
	DEVICE_TEST(eval_matches_cma_identity),
	DEVICE_TEST(eval_matches_version_and_strength),
	DEVICE_TEST(eval_matches_measurements_only_when_verified),
	cmocka_unit_test(evidence_rejects_truncated_measurement_block),
	cmocka_unit_test(evidence_rejects_inconsistent_dmtf_value_size),
	cmocka_unit_test(algo_strength_is_the_weaker_part),
};

UNIT_SUITE(eval_suite, eval_tests);
