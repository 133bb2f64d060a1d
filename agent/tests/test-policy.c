// SPDX-License-Identifier: GPL-2.0
/* Policy lexer and parser: what parses, and every error path with its position. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "unit.h"

static void expect_parse_error(const char *text, size_t len,
			       const char *expected)
{
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN] = "";
	int ret;

	ret = agent_policy_parse("t.rules", text, len, NULL, &pol,
				 err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_null(pol);
	assert_string_equal(err, expected);
}

#define PARSE_ERROR(name, text, expected)				\
	static void name(void **state)					\
	{								\
		(void)state;						\
		expect_parse_error(text, sizeof(text) - 1, expected);	\
	}

PARSE_ERROR(lexer_rejects_bad_character, "default deny\nallow vendor 1b36 ;\n",
	    "t.rules:2:19: unexpected character ';'")
PARSE_ERROR(lexer_rejects_control_byte, "default deny\nallow \x01\n",
	    "t.rules:2:7: unexpected byte 0x01")
PARSE_ERROR(lexer_rejects_nul_byte_in_string,
	    "default deny\nallow label \"a\0b\"\n",
	    "t.rules:2:15: unexpected byte 0x00 inside a string")
/* regression: NUL counted as a word character, so "deny" was dropped */
PARSE_ERROR(lexer_rejects_nul_byte_after_word, "default allow\0deny\n",
	    "t.rules:1:14: unexpected byte 0x00")
PARSE_ERROR(lexer_rejects_nul_byte_in_comment, "default deny # a\0b\n",
	    "t.rules:1:17: unexpected byte 0x00 in a comment")
PARSE_ERROR(lexer_rejects_escape_byte_in_label,
	    "default deny\nallow label \"a\x1b[2Jb\"\n",
	    "t.rules:2:15: unexpected byte 0x1b inside a string")
PARSE_ERROR(lexer_rejects_delete_byte, "default deny\nallow\x7f\n",
	    "t.rules:2:6: unexpected byte 0x7f")
PARSE_ERROR(lexer_rejects_unterminated_string,
	    "default deny\nallow label \"QEMU\n",
	    "t.rules:2:13: unterminated string")
PARSE_ERROR(lexer_rejects_unterminated_string_at_eof,
	    "default deny\nallow label \"QEMU",
	    "t.rules:2:13: unterminated string")
PARSE_ERROR(lexer_rejects_unknown_escape, "default deny\nallow label \"a\\q\"\n",
	    "t.rules:2:13: unknown escape in string (use \\\" \\\\ \\n \\t)")
PARSE_ERROR(parser_rejects_unknown_attribute, "default deny\nallow colour red\n",
	    "t.rules:2:7: unknown attribute 'colour'")
PARSE_ERROR(parser_rejects_unknown_statement, "default deny\npermit vendor 1b36\n",
	    "t.rules:2:1: unknown statement 'permit' (expected allow, deny, default, include, reference-values, revocation, time-check or trust-store)")
PARSE_ERROR(parser_rejects_missing_default, "allow vendor 1b36\n",
	    "t.rules:2:1: no 'default allow' or 'default deny' in the main policy file")
PARSE_ERROR(parser_rejects_second_default, "default deny\n\ndefault allow\n",
	    "t.rules:3:1: second 'default' (the first is on line 1)")
PARSE_ERROR(parser_rejects_bad_default, "default maybe\n",
	    "t.rules:1:9: expected 'allow' or 'deny' after 'default'")
PARSE_ERROR(parser_rejects_text_after_default, "default deny now\n",
	    "t.rules:1:14: unexpected text at end of statement")
PARSE_ERROR(parser_rejects_bad_time_check, "default deny\ntime-check sometimes\n",
	    "t.rules:2:12: expected ignore, warn or enforce after 'time-check'")
PARSE_ERROR(parser_rejects_unquoted_include, "default deny\ninclude a.rules\n",
	    "t.rules:2:9: expected a quoted path after 'include'")
PARSE_ERROR(parser_rejects_missing_value, "default deny\nallow vendor\n",
	    "t.rules:2:13: expected a value after 'vendor'")
PARSE_ERROR(parser_rejects_bad_vendor, "default deny\nallow vendor 1b36x\n",
	    "t.rules:2:14: invalid vendor '1b36x': expected a 16-bit hex ID such as 1b36")
PARSE_ERROR(parser_rejects_long_vendor, "default deny\nallow vendor 12345\n",
	    "t.rules:2:14: invalid vendor '12345': expected a 16-bit hex ID such as 1b36")
PARSE_ERROR(parser_rejects_bad_id, "default deny\nallow id 1b36\n",
	    "t.rules:2:10: invalid id '1b36': expected VENDOR:DEVICE in hex, either may be *")
PARSE_ERROR(parser_rejects_odd_class, "default deny\nallow class 010\n",
	    "t.rules:2:13: invalid class '010': expected 2, 4 or 6 hex digits (base class, subclass, prog-if)")
PARSE_ERROR(parser_rejects_bad_state, "default deny\nallow state trusted\n",
	    "t.rules:2:13: invalid state 'trusted': expected authenticated, failed, unsupported or pending")
PARSE_ERROR(parser_rejects_short_fingerprint,
	    "default deny\nallow leaf-fingerprint sha256:abcd\n",
	    "t.rules:2:24: invalid leaf-fingerprint 'sha256:abcd': expected sha256:<64 hex digits>")
PARSE_ERROR(parser_rejects_bad_version, "default deny\nallow min-version 2.0\n",
	    "t.rules:2:19: invalid min-version '2.0': expected an SPDM version 1.0 to 1.4")
PARSE_ERROR(parser_rejects_zero_strength, "default deny\nallow min-strength 0\n",
	    "t.rules:2:20: invalid min-strength '0': expected a security strength in bits (e.g. 128)")
PARSE_ERROR(parser_rejects_set_for_single_value,
	    "default deny\nallow min-version { 1.2 1.3 }\n",
	    "t.rules:2:19: 'min-version' takes a single value, not a set")
PARSE_ERROR(parser_rejects_unterminated_set, "default deny\nallow vendor { 1b36 8086\n",
	    "t.rules:2:25: unterminated set: expected a value or '}'")
PARSE_ERROR(parser_rejects_empty_set, "default deny\nallow vendor { }\n",
	    "t.rules:2:16: empty set")
PARSE_ERROR(parser_rejects_two_labels, "default deny\nallow label \"a\" label \"b\"\n",
	    "t.rules:2:17: rule has two labels")
/* issue 13 item 13: a label goes to dmesg and sysfs as the verdict's reason */
PARSE_ERROR(parser_rejects_newline_in_label,
	    "default deny\nallow label \"ok\\n[ 0.0] spdm: forged\"\n",
	    "t.rules:2:13: a label is one line of text: no \\n or \\t")
PARSE_ERROR(parser_rejects_label_without_text, "default deny\nallow label {\n",
	    "t.rules:2:13: expected a quoted label after 'label'")
PARSE_ERROR(parser_rejects_bad_measurement_index,
	    "default deny\nallow measurement 0 abcd\n",
	    "t.rules:2:19: invalid measurement index '0': expected 1-254")
PARSE_ERROR(parser_rejects_bad_measurement_value,
	    "default deny\nallow measurement 1 abc\n",
	    "t.rules:2:21: invalid measurement 'abc': expected a measurement value in hex")
PARSE_ERROR(parser_rejects_brace_as_statement, "default deny\n{\n",
	    "t.rules:2:1: expected a statement (allow, deny, default, include, reference-values, revocation, time-check, trust-store)")

static void parser_reads_rules_in_order_with_locations(void **state)
{
	static const char text[] =
		"# comment line\n"
		"default deny\n"
		"time-check enforce\n"
		"\n"
		"allow id 1b36:0010 class 0108 state authenticated \\\n"
		"      anchor \"demo root\" label \"QEMU NVMe\"   # trailing\n"
		"deny vendor { 1b36 0x8086 } label \"vendors\"\n"
		"allow\n";
	struct agent_policy *pol;
	char err[AGENT_ERR_LEN];
	const struct agent_rule *r;

	(void)state;
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	assert_int_equal(pol->def, AGENT_DENY);
	assert_int_equal(pol->def_line, 2);
	assert_int_equal(pol->time, AGENT_TIME_ENFORCE);
	assert_int_equal(pol->nrules, 3);
	r = &pol->rules[0];
	assert_int_equal(r->verdict, AGENT_ALLOW);
	assert_int_equal(r->line, 5);
	assert_string_equal(r->file, "t.rules");
	assert_string_equal(r->label, "QEMU NVMe");
	assert_int_equal(r->nconds, 4);
	assert_int_equal(r->conds[0].attr, AGENT_ATTR_ID);
	assert_int_equal(r->conds[0].values[0].num, 0x1b360010);
	assert_int_equal(r->conds[1].values[0].num, 0x010800);
	assert_int_equal(r->conds[1].values[0].mask, 0xffff00);
	assert_string_equal(r->conds[3].values[0].str, "demo root");
	r = &pol->rules[1];
	assert_int_equal(r->verdict, AGENT_DENY);
	assert_int_equal(r->line, 7);
	assert_int_equal(r->conds[0].nvalues, 2);
	assert_int_equal(r->conds[0].values[1].num, 0x8086);
	r = &pol->rules[2];
	assert_int_equal(r->nconds, 0);
	assert_null(r->label);
	agent_policy_free(pol);
}

static void parser_accepts_policy_without_final_newline(void **state)
{
	static const char text[] = "default allow\ndeny state failed";
	struct agent_policy *pol;
	char err[AGENT_ERR_LEN];

	(void)state;
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	assert_int_equal(pol->def, AGENT_ALLOW);
	assert_int_equal(pol->nrules, 1);
	agent_policy_free(pol);
}

static void lexer_accepts_tabs_and_crlf(void **state)
{
	static const char text[] =
		"default deny\r\n# tab\there\r\n"
		"allow\tsubject \"a\tb\" label \"c\"\r\n";
	struct agent_policy *pol;
	char err[AGENT_ERR_LEN];

	(void)state;
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	assert_int_equal(pol->nrules, 1);
	assert_string_equal(pol->rules[0].conds[0].values[0].str, "a\tb");
	assert_string_equal(pol->rules[0].label, "c");
	agent_policy_free(pol);
}

static void parser_includes_files_in_order_at_the_include(void **state)
{
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	struct agent_policy *pol;

	(void)state;
	snprintf(path, sizeof(path), "%s/policy.d", dir);
	mkdir(path, 0700);
	unit_write(dir, "main.rules",
		   "default deny\nallow label \"first\"\n"
		   "include \"policy.d/*.rules\"\nallow label \"last\"\n");
	unit_write(dir, "policy.d/20-b.rules", "deny label \"b\"\n");
	unit_write(dir, "policy.d/10-a.rules", "\nallow label \"a\"\n");
	unit_write(dir, "policy.d/ignored.conf", "this is not a rule\n");
	snprintf(path, sizeof(path), "%s/main.rules", dir);
	assert_int_equal(agent_policy_load(path, &pol, err, sizeof(err)), 0);
	assert_int_equal(pol->nrules, 4);
	assert_string_equal(pol->rules[0].label, "first");
	assert_string_equal(pol->rules[1].label, "a");
	assert_int_equal(pol->rules[1].line, 2);
	assert_non_null(strstr(pol->rules[1].file, "policy.d/10-a.rules"));
	assert_string_equal(pol->rules[2].label, "b");
	assert_string_equal(pol->rules[3].label, "last");
	agent_policy_free(pol);
	unit_tmpdir_free(dir);
}

static void parser_accepts_empty_include_directory(void **state)
{
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	struct agent_policy *pol;

	(void)state;
	unit_write(dir, "main.rules",
		   "default deny\ninclude \"policy.d/*.rules\"\n");
	snprintf(path, sizeof(path), "%s/main.rules", dir);
	assert_int_equal(agent_policy_load(path, &pol, err, sizeof(err)), 0);
	assert_int_equal(pol->nrules, 0);
	agent_policy_free(pol);
	unit_tmpdir_free(dir);
}

static void expect_load_error(const char *dir, const char *main_rules,
			      const char *part)
{
	struct agent_policy *pol = NULL;
	char path[512], err[AGENT_ERR_LEN];

	snprintf(path, sizeof(path), "%s/%s", dir, main_rules);
	assert_int_not_equal(agent_policy_load(path, &pol, err, sizeof(err)), 0);
	assert_null(pol);
	if (!strstr(err, part))
		fail_msg("error '%s' does not contain '%s'", err, part);
}

static void parser_detects_include_loop(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	unit_write(dir, "main.rules", "default deny\ninclude \"a.rules\"\n");
	unit_write(dir, "a.rules", "allow\ninclude \"b.rules\"\n");
	unit_write(dir, "b.rules", "\n  include \"a.rules\"\n");
	expect_load_error(dir, "main.rules",
			  "/b.rules:2:11: include loop: '");
	unit_tmpdir_free(dir);
}

static void parser_detects_self_include(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	unit_write(dir, "main.rules", "default deny\ninclude \"main.rules\"\n");
	expect_load_error(dir, "main.rules", "is already being read");
	unit_tmpdir_free(dir);
}

static void parser_reports_missing_include(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	unit_write(dir, "main.rules", "default deny\ninclude \"gone.rules\"\n");
	expect_load_error(dir, "main.rules",
			  "/gone.rules': No such file or directory");
	unit_tmpdir_free(dir);
}

static void parser_reports_unreadable_include(void **state)
{
	char *dir = unit_tmpdir(), path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/sub.rules", dir);
	mkdir(path, 0700);	/* unreadable as a file, even for root */
	unit_write(dir, "main.rules", "default deny\ninclude \"sub.rules\"\n");
	expect_load_error(dir, "main.rules", "/sub.rules': Is a directory");
	unit_tmpdir_free(dir);
}

static void parser_reports_error_inside_include(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	unit_write(dir, "main.rules", "default deny\ninclude \"x.rules\"\n");
	unit_write(dir, "x.rules", "allow\nallow vendor zz\n");
	expect_load_error(dir, "main.rules",
			  "/x.rules:2:14: invalid vendor 'zz': expected a 16-bit hex ID such as 1b36");
	unit_tmpdir_free(dir);
}

/* A FIFO nobody writes to: opening it for reading blocks without O_NONBLOCK. */
static void make_fifo(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkfifo(path, 0600), 0);
}

/* regression: open() of a FIFO blocked the agent, at start and at SIGHUP */
static void parser_refuses_fifo_include(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	alarm(20);	/* a regression kills the run instead of hanging it */
	make_fifo(dir, "fifo.rules");
	unit_write(dir, "main.rules", "default deny\ninclude \"fifo.rules\"\n");
	expect_load_error(dir, "main.rules",
			  "main.rules:2:9: cannot read include '");
	expect_load_error(dir, "main.rules",
			  "/fifo.rules': not a regular file");
	unit_write(dir, "glob.rules", "default deny\ninclude \"*o.rules\"\n");
	expect_load_error(dir, "glob.rules",
			  "/fifo.rules': not a regular file");
	alarm(0);
	unit_tmpdir_free(dir);
}

static void parser_refuses_fifo_main_file(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	alarm(20);
	make_fifo(dir, "main.rules");
	expect_load_error(dir, "main.rules",
			  "/main.rules: cannot read: not a regular file");
	alarm(0);
	unit_tmpdir_free(dir);
}

/*
 * regression: depth was bounded, the total was not. Sixteen levels of four
 * files, each including the next level's four, would read 4^16 files.
 */
static void parser_caps_include_fan_out(void **state)
{
	char *dir = unit_tmpdir(), path[512], name[64];

	(void)state;
	alarm(60);
	for (int level = 0; level < 15; level++) {
		char text[64];

		snprintf(path, sizeof(path), "%s/l%02d", dir, level);
		assert_int_equal(mkdir(path, 0700), 0);
		snprintf(text, sizeof(text), "include \"../l%02d/*.rules\"\n",
			 level + 1);
		for (int i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "l%02d/%d.rules", level, i);
			unit_write(dir, name, level == 14 ? "allow\n" : text);
		}
	}
	unit_write(dir, "main.rules", "default deny\ninclude \"l00/*.rules\"\n");
	expect_load_error(dir, "main.rules",
			  "more than 1024 policy files read (include fan-out)");
	alarm(0);
	unit_tmpdir_free(dir);
}

static void parser_caps_rules(void **state)
{
	size_t n = 65537, len = strlen("default deny\n") + n * 6;
	char *text = malloc(len + 1), *p = text;
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN];

	(void)state;
	p += sprintf(p, "default deny\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "allow\n");
	assert_int_equal(agent_policy_parse("t.rules", text, len, NULL, &pol,
					    err, sizeof(err)), -EINVAL);
	assert_null(pol);
	assert_string_equal(err, "t.rules:65538:1: more than 65536 rules");
	free(text);
}

static void parser_keeps_default_in_main_file(void **state)
{
	char *dir = unit_tmpdir();

	(void)state;
	unit_write(dir, "main.rules", "default deny\ninclude \"x.rules\"\n");
	unit_write(dir, "x.rules", "default allow\n");
	expect_load_error(dir, "main.rules",
			  "/x.rules:1:1: 'default' belongs in the main policy file, not an included one");
	unit_tmpdir_free(dir);
}

static void parser_reports_unreadable_main_file(void **state)
{
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN];

	(void)state;
	assert_int_equal(agent_policy_load("/nonexistent/p.rules", &pol, err,
					   sizeof(err)), -ENOENT);
	assert_string_equal(err,
			    "/nonexistent/p.rules: cannot read: No such file or directory");
}

static void parser_resolves_trust_store_relative_to_policy(void **state)
{
	char *dir = unit_tmpdir(), path[512], want[600], err[AGENT_ERR_LEN];
	struct agent_policy *pol;

	(void)state;
	unit_write(dir, "main.rules", "default deny\ntrust-store \"trust.d\"\n");
	snprintf(path, sizeof(path), "%s/main.rules", dir);
	assert_int_equal(agent_policy_load(path, &pol, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/trust.d", dir);
	assert_string_equal(pol->trust_store, want);
	agent_policy_free(pol);
	unit_tmpdir_free(dir);
}

static const struct CMUnitTest policy_tests[] = {
	cmocka_unit_test(lexer_rejects_bad_character),
	cmocka_unit_test(lexer_rejects_control_byte),
	cmocka_unit_test(lexer_rejects_nul_byte_in_string),
	cmocka_unit_test(lexer_rejects_nul_byte_after_word),
	cmocka_unit_test(lexer_rejects_nul_byte_in_comment),
	cmocka_unit_test(lexer_rejects_escape_byte_in_label),
	cmocka_unit_test(lexer_rejects_delete_byte),
	cmocka_unit_test(lexer_rejects_unterminated_string),
	cmocka_unit_test(lexer_rejects_unterminated_string_at_eof),
	cmocka_unit_test(lexer_rejects_unknown_escape),
	cmocka_unit_test(parser_rejects_unknown_attribute),
	cmocka_unit_test(parser_rejects_unknown_statement),
	cmocka_unit_test(parser_rejects_missing_default),
	cmocka_unit_test(parser_rejects_second_default),
	cmocka_unit_test(parser_rejects_bad_default),
	cmocka_unit_test(parser_rejects_text_after_default),
	cmocka_unit_test(parser_rejects_bad_time_check),
	cmocka_unit_test(parser_rejects_unquoted_include),
	cmocka_unit_test(parser_rejects_missing_value),
	cmocka_unit_test(parser_rejects_bad_vendor),
	cmocka_unit_test(parser_rejects_long_vendor),
	cmocka_unit_test(parser_rejects_bad_id),
	cmocka_unit_test(parser_rejects_odd_class),
	cmocka_unit_test(parser_rejects_bad_state),
	cmocka_unit_test(parser_rejects_short_fingerprint),
	cmocka_unit_test(parser_rejects_bad_version),
	cmocka_unit_test(parser_rejects_zero_strength),
	cmocka_unit_test(parser_rejects_set_for_single_value),
	cmocka_unit_test(parser_rejects_unterminated_set),
	cmocka_unit_test(parser_rejects_empty_set),
	cmocka_unit_test(parser_rejects_two_labels),
	cmocka_unit_test(parser_rejects_newline_in_label),
	cmocka_unit_test(parser_rejects_label_without_text),
	cmocka_unit_test(parser_rejects_bad_measurement_index),
	cmocka_unit_test(parser_rejects_bad_measurement_value),
	cmocka_unit_test(parser_rejects_brace_as_statement),
	cmocka_unit_test(parser_reads_rules_in_order_with_locations),
	cmocka_unit_test(parser_accepts_policy_without_final_newline),
	cmocka_unit_test(lexer_accepts_tabs_and_crlf),
	cmocka_unit_test(parser_includes_files_in_order_at_the_include),
	cmocka_unit_test(parser_accepts_empty_include_directory),
	cmocka_unit_test(parser_detects_include_loop),
	cmocka_unit_test(parser_detects_self_include),
	cmocka_unit_test(parser_reports_missing_include),
	cmocka_unit_test(parser_reports_unreadable_include),
	cmocka_unit_test(parser_reports_error_inside_include),
	cmocka_unit_test(parser_refuses_fifo_include),
	cmocka_unit_test(parser_refuses_fifo_main_file),
	cmocka_unit_test(parser_caps_include_fan_out),
	cmocka_unit_test(parser_caps_rules),
	cmocka_unit_test(parser_keeps_default_in_main_file),
	cmocka_unit_test(parser_reports_unreadable_main_file),
	cmocka_unit_test(parser_resolves_trust_store_relative_to_policy),
};

UNIT_SUITE(policy_suite, policy_tests);
