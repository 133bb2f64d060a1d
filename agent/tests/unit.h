/* SPDX-License-Identifier: GPL-2.0 */
/* The agent's unit test suites, run as one cmocka group (one TAP plan). */
#ifndef AGENT_TEST_UNIT_H
#define AGENT_TEST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

struct unit_suite {
	const struct CMUnitTest *tests;
	size_t count;
};

#define UNIT_SUITE(name, array) \
	const struct unit_suite name = { array, sizeof(array) / sizeof(array[0]) }

/*
 * One row of a table-driven test: @func runs with *state pointing to a
 * @type built from the remaining arguments, and the test is reported as
 * @test, the behaviour that row proves.
 */
#define UNIT_CASE(test, func, type, ...) \
	{ .name = #test, .test_func = (func), \
	  .initial_state = (void *)&(const type){ __VA_ARGS__ } }

extern const struct unit_suite policy_suite, eval_suite, validate_suite,
	pki_set_suite, decode_suite, audit_suite, decide_suite,
	measurements_suite, policy_check_suite, safe_open_suite,
	netlink_suite, retry_suite, revocation_suite, freshness_suite,
	reference_values_suite, evidence_file_suite, log_suite;

/* A fresh temporary directory for one test; removed by unit_tmpdir_free(). */
char *unit_tmpdir(void);
void unit_tmpdir_free(char *dir);
void unit_write(const char *dir, const char *name, const char *text);

/*
 * The agent's log into a memory file at @level; unit_log_text() puts it
 * back on standard error and returns what was written (the caller frees).
 */
int unit_log_to_memfd(int level);
char *unit_log_text(int fd);

/*
 * intercept.c: the journal records sent since the last call (fields one a
 * line, a record ended by an empty line; the caller frees), how often
 * @needle occurs in @text, and json-c string allocations failing after @n
 * more (-1: never).
 */
char *unit_journal_take(void);
size_t unit_count(const char *text, const char *needle);
void unit_fail_strings_after(long n);

#endif /* AGENT_TEST_UNIT_H */
