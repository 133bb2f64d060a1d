// SPDX-License-Identifier: GPL-2.0
/*
 * Policy warnings: an allow rule (or the default) that a device can match
 * without proving anything is named with file:line:col, and a policy that
 * asks for proof gets none. Warnings never stop the load.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "unit.h"

struct warnings {
	char text[8][AGENT_ERR_LEN];
	size_t n;
};

static void collect(const char *msg, void *ctx)
{
	struct warnings *w = ctx;

	if (w->n < ARRAY_SIZE(w->text))
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", msg);
	w->n++;
}

static void check(const char *text, struct warnings *w)
{
	struct agent_policy *pol;
	char err[AGENT_ERR_LEN];
	size_t n;

	memset(w, 0, sizeof(*w));
	if (agent_policy_parse("t.rules", text, strlen(text), NULL, &pol, err,
			       sizeof(err)))
		fail_msg("%s", err);
	n = agent_policy_check(pol, collect, w);
	assert_int_equal(n, w->n);
	agent_policy_free(pol);
}

#define NO_PROOF "warning: this allow rule matches devices that proved nothing " \
	"(no 'verified yes', 'anchor', fingerprint, 'measurement' or 'reference-values match' condition)"
#define REPLAY "warning: this allow rule trusts a certificate chain without " \
	"proof that the device holds its key (add 'verified yes' or 'state authenticated')"

/* issue 13 item 4: the example policy ended with this rule */
static void check_warns_on_allow_unsupported(void **state)
{
	struct warnings w;

	(void)state;
	check("default deny\n\n  allow state unsupported label \"no CMA\"\n", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.text[0], "t.rules:3:3: " NO_PROOF);
}

static void check_warns_on_allow_by_ids_only(void **state)
{
	struct warnings w;

	(void)state;
	check("default deny\nallow id 1b36:0010 class 0108 state { authenticated failed }\n"
	      "allow verified no\n", &w);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.text[0], "t.rules:2:1: " NO_PROOF);
	assert_string_equal(w.text[1], "t.rules:3:1: " NO_PROOF);
}

static void check_warns_on_default_allow(void **state)
{
	struct warnings w;

	(void)state;
	check("time-check warn\ndefault allow\n", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.text[0],
		"t.rules:2:1: warning: 'default allow' admits every device no rule denies, proof or not");
}

static void check_warns_on_anchor_without_possession(void **state)
{
	struct warnings w;

	(void)state;
	check("default deny\nallow anchor \"acme\"\n"
	      "allow leaf-fingerprint sha256:"
	      "abababababababababababababababababababababababababababababababab\n",
	      &w);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.text[0], "t.rules:2:1: " REPLAY);
	assert_string_equal(w.text[1], "t.rules:3:1: " REPLAY);
}

static void check_accepts_rules_that_ask_for_proof(void **state)
{
	struct warnings w;

	(void)state;
	check("default deny\n"
	      "allow class 0108 verified yes cma-identity match\n"
	      "allow anchor \"acme\" state authenticated\n"
	      "allow id 1b36:0010 state authenticated leaf-fingerprint "
	      "sha256:abababababababababababababababababababababababababababababababab\n"
	      "allow measurement 1 abcd\n"
	      "deny state unsupported\n"
	      "deny\n", &w);
	assert_int_equal(w.n, 0);
}

/* The shipped examples that claim to be safe must say nothing. */
static void check_shipped_policies_admit_no_unproven_device(void **state)
{
	static const char *const files[] = { "policy.rules", "strict.rules" };
	const char *src = getenv("AGENT_TEST_POLICY_DIR");

	(void)state;
	if (!src)
		fail_msg("AGENT_TEST_POLICY_DIR is not set");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct agent_policy *pol;
		struct warnings w = { 0 };
		char path[512], err[AGENT_ERR_LEN];

		snprintf(path, sizeof(path), "%s/%s", src, files[i]);
		if (agent_policy_load(path, &pol, err, sizeof(err)))
			fail_msg("%s", err);
		agent_policy_check(pol, collect, &w);
		if (w.n)
			fail_msg("%s: %s", files[i], w.text[0]);
		agent_policy_free(pol);
	}
}

static const struct CMUnitTest policy_check_tests[] = {
	cmocka_unit_test(check_warns_on_allow_unsupported),
	cmocka_unit_test(check_warns_on_allow_by_ids_only),
	cmocka_unit_test(check_warns_on_default_allow),
	cmocka_unit_test(check_warns_on_anchor_without_possession),
	cmocka_unit_test(check_accepts_rules_that_ask_for_proof),
	cmocka_unit_test(check_shipped_policies_admit_no_unproven_device),
};

UNIT_SUITE(policy_check_suite, policy_check_tests);
