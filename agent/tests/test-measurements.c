// SPDX-License-Identifier: GPL-2.0
/*
 * Signed measurements: L1/L2 built and signed here with OpenSSL for each
 * SPDM version, then verified by the agent; a measurement rule matches
 * only the record the device signed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

/* Two DMTF blocks: index 1 (a digest), index 2 (a short version string). */
static const uint8_t record[] = {
	0x01, 0x01, 0x0b, 0x00, 0x00, 0x08, 0x00,
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33,
	0x02, 0x01, 0x07, 0x00, 0x81, 0x04, 0x00, 'v', '1', '.', '2',
};

#define GOOD_HEX	"deadbeef00112233"

struct mfix {
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_policy *pol;
	struct agent_evidence ev;
	struct agent_validation val;
};

/* A verified device of @version with signed measurements, and a policy. */
static void mfix_init(struct mfix *f, uint8_t version, bool p384)
{
	static const char policy[] =
		"default deny\n"
		"allow measurement 1 " GOOD_HEX " label \"golden\"\n";
	const struct pki_world *w = pki_world_get();
	uint32_t asym = p384 ? AGENT_ASYM_ECDSA_P384 : AGENT_ASYM_ECDSA_P256;
	uint32_t hash = p384 ? AGENT_HASH_SHA384 : AGENT_HASH_SHA256;
	EVP_PKEY *key = p384 ? w->leaf384_key : w->leaf_key;
	char err[AGENT_ERR_LEN];
	uint8_t *chain;
	size_t len;

	memset(f, 0, sizeof(*f));
	if (agent_trust_load(w->trust_dir, &f->trust, err, sizeof(err)))
		fail_msg("trust store: %s", err);
	assert_int_equal(agent_validator_new(f->trust, AGENT_TIME_ENFORCE, 8,
					     &f->v), 0);
	if (agent_policy_parse("t.rules", policy, strlen(policy), ".", &f->pol,
			       err, sizeof(err)))
		fail_msg("policy: %s", err);
	chain = pki_world_chain(p384 ? w->leaf384 : w->leaf, hash, &len);
	pki_evidence_fill(&f->ev, version, asym, hash, chain, len, key, 3);
	free(chain);
	pki_measurements_fill(&f->ev, key, record, sizeof(record));
}

static void mfix_fini(struct mfix *f)
{
	agent_evidence_free(&f->ev);
	agent_policy_free(f->pol);
	agent_validator_free(f->v);
	agent_trust_free(f->trust);
}

/* Validate and decide: true when the measurement rule allowed the device. */
static bool mfix_allowed(struct mfix *f)
{
	struct agent_decision dec;

	agent_validator_validate(f->v, &f->ev, &f->val);
	agent_policy_decide(f->pol, &f->ev, &f->val, &dec);
	return dec.verdict == AGENT_ALLOW && dec.rule;
}

struct version_case {
	uint8_t version;
	bool p384;
};

static void meas_signed_record_matches(void **state)
{
	const struct version_case *c = *state;
	struct mfix f;

	mfix_init(&f, c->version, c->p384);
	assert_true(mfix_allowed(&f));
	assert_true(f.val.verified);
	assert_int_equal(f.val.meas_result, 0);
	mfix_fini(&f);
}

static void meas_flipped_signature_byte_never_matches(void **state)
{
	const struct version_case *c = *state;
	struct mfix f;

	mfix_init(&f, c->version, c->p384);
	f.ev.meas_signature[f.ev.meas_signature_len / 3] ^= 0x01;
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -EKEYREJECTED);
	assert_non_null(strstr(f.val.meas_error, "does not verify"));
	/* the challenge still verified: only measurement rules lose */
	assert_true(f.val.verified);
	mfix_fini(&f);
}

static void meas_signed_over_other_bytes_never_matches(void **state)
{
	const struct version_case *c = *state;
	struct mfix f;

	mfix_init(&f, c->version, c->p384);
	/* the responder nonce inside L1/L2: same layout, unsigned bytes */
	f.ev.meas_transcript[f.ev.meas_transcript_len - 20] ^= 0x80;
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -EKEYREJECTED);
	mfix_fini(&f);
}

static void meas_record_not_in_transcript_never_matches(void **state)
{
	struct mfix f;

	(void)state;
	mfix_init(&f, 0x12, false);
	f.ev.meas[9] ^= 0xff;		/* the value the rule looks at */
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -EBADMSG);
	assert_non_null(strstr(f.val.meas_error, "not the one MEASUREMENTS signed"));

	/* a prefix of the signed record is not the record either */
	f.ev.meas[9] ^= 0xff;
	f.ev.meas_len = 15;
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -EBADMSG);
	mfix_fini(&f);
}

/* Every truncation of L1/L2 is refused with a reason, never read past. */
static void meas_truncated_transcript_is_refused(void **state)
{
	const struct version_case *c = *state;
	struct mfix f;
	size_t full;

	mfix_init(&f, c->version, c->p384);
	full = f.ev.meas_transcript_len;
	for (size_t n = full; n-- > 0;) {	/* each copy shorter than the last */
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, f.ev.meas_transcript, n);
		free(f.ev.meas_transcript);
		f.ev.meas_transcript = copy;	/* exactly n bytes for ASan */
		f.ev.meas_transcript_len = n;
		assert_false(mfix_allowed(&f));
		assert_int_not_equal(f.val.meas_result, 0);
		assert_true(f.val.meas_error[0] != '\0');
	}
	mfix_fini(&f);
}

/* L1/L2 of 1.2 with the offset of one field to corrupt and the result. */
struct field_case {
	size_t off;			/* from the start of L2 */
	uint8_t value;
	int result;
	const char *reason;
};

/* VCA of pki_measurements_fill(): 4 + 10 + 20 + 20 + 32 + 36 = 122 bytes */
#define VCA_LEN		122
#define MEAS_RSP	(VCA_LEN + 37)

static void meas_hostile_length_field_is_refused(void **state)
{
	const struct field_case *c = *state;
	struct mfix f;

	mfix_init(&f, 0x12, false);
	f.ev.meas_transcript[c->off] = c->value;
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, c->result);
	assert_non_null(strstr(f.val.meas_error, c->reason));
	mfix_fini(&f);
}

static void meas_absent_keeps_other_rules_working(void **state)
{
	static const char policy[] =
		"default deny\n"
		"allow measurement 1 " GOOD_HEX "\n"
		"allow verified yes label \"any verified\"\n";
	struct agent_decision dec;
	char err[AGENT_ERR_LEN];
	struct agent_json js;
	struct mfix f;

	(void)state;
	mfix_init(&f, 0x12, false);
	agent_policy_free(f.pol);
	assert_int_equal(agent_policy_parse("t.rules", policy, strlen(policy),
					    ".", &f.pol, err, sizeof(err)), 0);
	free(f.ev.meas);
	free(f.ev.meas_transcript);
	free(f.ev.meas_signature);
	f.ev.meas = f.ev.meas_transcript = f.ev.meas_signature = NULL;
	f.ev.meas_len = f.ev.meas_transcript_len = f.ev.meas_signature_len = 0;
	agent_validator_validate(f.v, &f.ev, &f.val);
	agent_policy_decide(f.pol, &f.ev, &f.val, &dec);
	assert_true(f.val.verified);
	assert_int_equal(f.val.meas_result, -ENODATA);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_non_null(dec.rule);
	assert_string_equal(dec.rule->label, "any verified");

	/* the audit record says why measurements were not verified */
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &f.ev, &f.val, &dec,
						     false), 0);
	assert_non_null(strstr(js.buf,
			       "\"measurements\":\"the device sent no signed measurements"));
	agent_json_free(&js);
	mfix_fini(&f);
}

static void meas_verified_is_audited(void **state)
{
	struct agent_decision dec;
	struct agent_json js;
	struct mfix f;

	(void)state;
	mfix_init(&f, 0x13, false);
	assert_true(mfix_allowed(&f));
	agent_policy_decide(f.pol, &f.ev, &f.val, &dec);
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &f.ev, &f.val, &dec,
						     false), 0);
	assert_non_null(strstr(js.buf, "\"measurements\":\"ok\""));
	agent_json_free(&js);
	mfix_fini(&f);
}

static void meas_challenge_context_signature_never_matches(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct mfix f;

	(void)state;
	mfix_init(&f, 0x12, false);
	free(f.ev.meas_signature);
	pki_sign_transcript(w->leaf_key, 0x12, f.ev.base_asym_alg,
			    f.ev.base_hash_alg, "responder-challenge_auth signing",
			    f.ev.meas_transcript, f.ev.meas_transcript_len,
			    &f.ev.meas_signature, &f.ev.meas_signature_len);
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -EKEYREJECTED);
	mfix_fini(&f);
}

/*
 * The daemon verifies signed measurements only when a rule reads them: a
 * policy without one skips that signature check and says so in the audit.
 */
static void meas_not_checked_without_measurement_rule(void **state)
{
	static const char policy[] = "default deny\nallow verified yes\n";
	struct agent_policy *other;
	char err[AGENT_ERR_LEN];
	struct mfix f;

	(void)state;
	mfix_init(&f, 0x12, false);
	assert_true(agent_policy_uses(f.pol, AGENT_ATTR_MEASUREMENT));
	assert_int_equal(agent_policy_parse("o.rules", policy, strlen(policy), ".",
					    &other, err, sizeof(err)), 0);
	assert_false(agent_policy_uses(other, AGENT_ATTR_MEASUREMENT));
	assert_true(agent_policy_uses(other, AGENT_ATTR_VERIFIED));
	agent_validator_check_measurements(f.v, false);
	assert_false(mfix_allowed(&f));
	assert_int_equal(f.val.meas_result, -ENODATA);
	assert_non_null(strstr(f.val.meas_error, "no policy rule reads"));
	assert_true(f.val.verified);
	agent_policy_free(other);
	mfix_fini(&f);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(meas_not_checked_without_measurement_rule),
	UNIT_CASE(meas_1_0_signed_record_matches, meas_signed_record_matches,
		  struct version_case, 0x10, false),
	UNIT_CASE(meas_1_1_signed_record_matches, meas_signed_record_matches,
		  struct version_case, 0x11, false),
	UNIT_CASE(meas_1_2_signed_record_matches, meas_signed_record_matches,
		  struct version_case, 0x12, false),
	UNIT_CASE(meas_1_3_p384_signed_record_matches, meas_signed_record_matches,
		  struct version_case, 0x13, true),
	UNIT_CASE(meas_1_1_flipped_signature_byte_never_matches,
		  meas_flipped_signature_byte_never_matches,
		  struct version_case, 0x11, false),
	UNIT_CASE(meas_1_2_flipped_signature_byte_never_matches,
		  meas_flipped_signature_byte_never_matches,
		  struct version_case, 0x12, false),
	UNIT_CASE(meas_1_3_flipped_signature_byte_never_matches,
		  meas_flipped_signature_byte_never_matches,
		  struct version_case, 0x13, true),
	UNIT_CASE(meas_1_1_changed_transcript_never_matches,
		  meas_signed_over_other_bytes_never_matches,
		  struct version_case, 0x11, false),
	UNIT_CASE(meas_1_3_changed_transcript_never_matches,
		  meas_signed_over_other_bytes_never_matches,
		  struct version_case, 0x13, false),
	cmocka_unit_test(meas_record_not_in_transcript_never_matches),
	UNIT_CASE(meas_1_1_truncated_transcript_is_refused,
		  meas_truncated_transcript_is_refused,
		  struct version_case, 0x11, false),
	UNIT_CASE(meas_1_3_truncated_transcript_is_refused,
		  meas_truncated_transcript_is_refused,
		  struct version_case, 0x13, false),
	UNIT_CASE(meas_version_entry_count_past_l2_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  4 + 5, 0xff, -EIO, "runs past L2"),
	UNIT_CASE(meas_algorithms_length_past_l2_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  4 + 10 + 20 + 20 + 32 + 5, 0xff, -EIO, "runs past L2"),
	UNIT_CASE(meas_missing_get_measurements_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  VCA_LEN + 1, 0x83, -EPROTO, "no signed GET_MEASUREMENTS"),
	UNIT_CASE(meas_unsigned_get_measurements_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  VCA_LEN + 2, 0x00, -EPROTO, "no signed GET_MEASUREMENTS"),
	UNIT_CASE(meas_record_length_past_l2_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  MEAS_RSP + 7, 0x01, -EIO, "runs past L1/L2"),
	UNIT_CASE(meas_record_length_short_leaves_bytes_over,
		  meas_hostile_length_field_is_refused, struct field_case,
		  MEAS_RSP + 5, 0x10, -EIO, "opaque data"),
	UNIT_CASE(meas_opaque_length_wrong_is_refused,
		  meas_hostile_length_field_is_refused, struct field_case,
		  MEAS_RSP + 8 + sizeof(record) + 32, 0x05, -EIO, "opaque data"),
	cmocka_unit_test(meas_absent_keeps_other_rules_working),
	cmocka_unit_test(meas_verified_is_audited),
	cmocka_unit_test(meas_challenge_context_signature_never_matches),
};

UNIT_SUITE(measurements_suite, tests);
