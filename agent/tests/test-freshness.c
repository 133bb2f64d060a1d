// SPDX-License-Identifier: GPL-2.0
/*
 * Freshness: the nonce the kernel reports must be the one CHALLENGE and the
 * signed GET_MEASUREMENTS carry, and the one a caller chose when it asks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

struct fresh {
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_evidence ev;
	struct agent_validation val;
};

static int fresh_setup(void **state)
{
	struct fresh *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(pki_measured_device(&f->trust, &f->v, &f->ev, 0x13, 4, 3), 0);
	*state = f;
	return 0;
}

static int fresh_teardown(void **state)
{
	struct fresh *f = *state;

	agent_evidence_free(&f->ev);
	agent_validator_free(f->v);
	agent_trust_free(f->trust);
	free(f);
	return 0;
}

static void freshness_nonce_in_challenge_and_measurements(void **state)
{
	struct fresh *f = *state;

	agent_validator_validate(f->v, &f->ev, &f->val);
	assert_int_equal(f->val.fresh_result, 0);
	assert_int_equal(f->val.meas_result, 0);
	assert_true(f->val.verified);
}

static void freshness_challenge_with_another_nonce_fails(void **state)
{
	struct fresh *f = *state;

	f->ev.nonce[7] ^= 0x10;		/* the kernel used another nonce */
	agent_validator_validate(f->v, &f->ev, &f->val);
	assert_int_equal(f->val.fresh_result, -ESTALE);
	assert_string_equal(f->val.fresh_error,
			    "CHALLENGE carries another nonce than the attempt's");
	assert_false(f->val.verified);
}

static void freshness_measurements_with_another_nonce_fail(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fresh *f = *state;
	static const uint8_t record[] = { 1, 0x01, 4, 0, 0x81, 1, 0, 0x42 };

	/* signed L1/L2 whose GET_MEASUREMENTS nonce is not the attempt's */
	f->ev.has_nonce = false;
	pki_measurements_fill(&f->ev, w->leaf_key, record, sizeof(record));
	f->ev.has_nonce = true;
	agent_validator_validate(f->v, &f->ev, &f->val);
	assert_int_equal(f->val.meas_result, 0);	/* the signature is fine */
	assert_int_equal(f->val.fresh_result, -ESTALE);
	assert_string_equal(f->val.fresh_error,
			    "GET_MEASUREMENTS carries another nonce than the attempt's");
	assert_false(f->val.verified);
}

static void freshness_caller_nonce(void **state)
{
	struct fresh *f = *state;
	uint8_t mine[AGENT_NONCE_LEN];
	char err[160];

	memcpy(mine, f->ev.nonce, sizeof(mine));
	assert_int_equal(agent_freshness_check(&f->ev, mine, err, sizeof(err)),
			 0);
	mine[31] ^= 1;
	assert_int_equal(agent_freshness_check(&f->ev, mine, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "the attempt used another nonce than the caller's");
}

static void freshness_without_nonce_is_not_judged(void **state)
{
	struct fresh *f = *state;

	f->ev.has_nonce = false;
	agent_validator_validate(f->v, &f->ev, &f->val);
	assert_int_equal(f->val.fresh_result, -ENODATA);
	assert_true(f->val.verified);
}

static void freshness_nonce_offset_outside_transcript(void **state)
{
	struct fresh *f = *state;
	char err[160];

	f->ev.req_nonce_off = f->ev.transcript_len - AGENT_NONCE_LEN + 1;
	assert_int_equal(agent_freshness_check(&f->ev, NULL, err, sizeof(err)),
			 -EIO);
	f->ev.req_nonce_off = SIZE_MAX;
	assert_int_equal(agent_freshness_check(&f->ev, NULL, err, sizeof(err)),
			 -EIO);
	assert_string_equal(err, "no CHALLENGE nonce in the transcript");
}

#define FRESH_TEST(fn) cmocka_unit_test_setup_teardown(fn, fresh_setup, fresh_teardown)

static const struct CMUnitTest freshness_tests[] = {
	FRESH_TEST(freshness_nonce_in_challenge_and_measurements),
	FRESH_TEST(freshness_challenge_with_another_nonce_fails),
	FRESH_TEST(freshness_measurements_with_another_nonce_fail),
	FRESH_TEST(freshness_caller_nonce),
	FRESH_TEST(freshness_without_nonce_is_not_judged),
	FRESH_TEST(freshness_nonce_offset_outside_transcript),
};

UNIT_SUITE(freshness_suite, freshness_tests);
