// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's retry schedule: a device whose dump failed (interrupted on
 * every try) is looked at again later, with a doubling delay, and never
 * dropped; a success forgets it. Regression for issue 13 item 12: a
 * one-device dump gave up after five interruptions and the device was never
 * looked at again.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "unit.h"

static void retry_backs_off_and_never_gives_up(void **state)
{
	struct agent_retries r = { 0 };
	char name[64];
	uint64_t now = 1000;
	unsigned int delay = AGENT_RETRY_MIN_MS;

	(void)state;
	assert_int_equal(agent_retry_timeout(&r, now), -1);
	assert_int_equal(agent_retry_schedule(&r, "0000:01:00.0", now), 0);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(agent_retry_timeout(&r, now), delay);
		assert_false(agent_retry_take(&r, now + delay - 1, name));
		now += delay;
		assert_true(agent_retry_take(&r, now, name));
		assert_string_equal(name, "0000:01:00.0");
		/* taken: not due again until the next failure */
		assert_int_equal(agent_retry_timeout(&r, now), -1);
		assert_int_equal(agent_retry_schedule(&r, name, now), 0);
		delay = delay * 2 > AGENT_RETRY_MAX_MS ? AGENT_RETRY_MAX_MS :
							 delay * 2;
	}
	assert_int_equal(delay, AGENT_RETRY_MAX_MS);
	assert_int_equal(r.n, 1);
	agent_retry_clear(&r, "0000:01:00.0");
	assert_int_equal(agent_retry_timeout(&r, now), -1);
	agent_retry_free(&r);
}

static void retry_takes_each_due_device_once(void **state)
{
	struct agent_retries r = { 0 };
	char name[64];

	(void)state;
	agent_retry_schedule(&r, "0000:01:00.0", 0);
	agent_retry_schedule(&r, "0000:02:00.0", 0);
	agent_retry_schedule(&r, "0000:01:00.0", 0);	/* again: one entry */
	assert_int_equal(r.n, 2);
	assert_true(agent_retry_take(&r, 60000, name));
	assert_true(agent_retry_take(&r, 60000, name));
	assert_false(agent_retry_take(&r, 60000, name));
	agent_retry_free(&r);
}

static void retry_of_everything_covers_every_device(void **state)
{
	struct agent_retries r = { 0 };

	(void)state;
	agent_retry_schedule(&r, "0000:01:00.0", 0);
	agent_retry_schedule(&r, AGENT_RETRY_ALL, 0);
	/* a full dump that succeeded looked at every device */
	agent_retry_clear(&r, AGENT_RETRY_ALL);
	assert_int_equal(r.n, 0);
	assert_int_equal(agent_retry_timeout(&r, 0), -1);
	agent_retry_free(&r);
}

static const struct CMUnitTest retry_tests[] = {
	cmocka_unit_test(retry_backs_off_and_never_gives_up),
	cmocka_unit_test(retry_takes_each_due_device_once),
	cmocka_unit_test(retry_of_everything_covers_every_device),
};

UNIT_SUITE(retry_suite, retry_tests);
