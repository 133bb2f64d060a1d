// SPDX-License-Identifier: GPL-2.0
/*
 * Audit records: JSON that stays valid and on one line whatever the device
 * or certificate puts in its strings, decision lines that say which rule
 * decided, verdicts of every source, and no torn line when a write fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/spdm.h>

#include <json.h>

#include "agent.h"
#include "unit.h"

/* Encode @n bytes, parse the result back with json-c, return the decoded text. */
static char *roundtrip(const char *s, size_t n)
{
	struct agent_json js;
	struct json_object *obj;
	char *out;

	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_json_stringn(&js, "v", s, n);
	agent_json_close(&js);
	assert_false(js.oom);
	assert_null(memchr(js.buf, '\n', js.len));
	obj = json_tokener_parse(js.buf);
	if (!obj)
		fail_msg("not JSON: %s", js.buf);
	out = strdup(json_object_get_string(json_object_object_get(obj, "v")));
	json_object_put(obj);
	agent_json_free(&js);
	return out;
}

#define ROUNDTRIP(in, expected)						\
	do {								\
		char *got = roundtrip(in, sizeof(in) - 1);		\
		assert_string_equal(got, expected);			\
		free(got);						\
	} while (0)

static void json_escapes_quotes_and_backslashes(void **state)
{
	(void)state;
	ROUNDTRIP("a\"b\\c\"}", "a\"b\\c\"}");
}

static void json_escapes_control_characters(void **state)
{
	(void)state;
	ROUNDTRIP("line1\nline2\r\t\x01\x1f\x7f", "line1\nline2\r\t\x01\x1f\x7f");
}

/* Encode one string value, return the document's text. */
static char *encode(const char *s, size_t n)
{
	struct agent_json js;
	char *out;

	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_json_stringn(&js, "v", s, n);
	agent_json_close(&js);
	assert_false(js.oom);
	out = strdup(js.buf);
	agent_json_free(&js);
	return out;
}

static void json_keeps_embedded_nul_escaped(void **state)
{
	char *got = encode("a\0b", 3);

	(void)state;
	assert_string_equal(got, "{\"v\":\"a\\u0000b\"}");
	free(got);
}

static void json_keeps_valid_utf8(void **state)
{
	(void)state;
	ROUNDTRIP("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92");
}

static void json_replaces_invalid_utf8(void **state)
{
	(void)state;
	ROUNDTRIP("a\x80z", "a\xef\xbf\xbdz");			/* lone continuation */
	ROUNDTRIP("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '/' */
	ROUNDTRIP("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ROUNDTRIP("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	ROUNDTRIP("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ROUNDTRIP("\xff", "\xef\xbf\xbd");
	ROUNDTRIP("end\xe2\x82", "end\xef\xbf\xbd\xef\xbf\xbd");	/* truncated */
}

/* U+2028/2029 end lines for some readers (Python's splitlines()): replaced. */
static void json_replaces_line_separators(void **state)
{
	char *text = encode("a\xe2\x80\xa8" "b\xe2\x80\xa9", 8);

	(void)state;
	assert_string_equal(text, "{\"v\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"}");
	free(text);
	ROUNDTRIP("a\xe2\x80\xa8", "a\xef\xbf\xbd");
}

static void json_encodes_nested_objects_and_types(void **state)
{
	struct agent_json js;
	static const uint8_t b[] = { 0x00, 0xab, 0xff };

	(void)state;
	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_json_int(&js, "n", -5);
	agent_json_open(&js, "o");
	agent_json_bool(&js, "t", true);
	agent_json_string(&js, "z", NULL);
	agent_json_close(&js);
	agent_json_hex(&js, "h", b, sizeof(b));
	agent_json_close(&js);
	assert_string_equal(js.buf,
			    "{\"n\":-5,\"o\":{\"t\":true,\"z\":null},\"h\":\"00abff\"}");
	agent_json_free(&js);
}

/* json-c's plain form: no whitespace, "/" as it is, one document only. */
static void json_is_plain_and_one_document(void **state)
{
	struct agent_json js;

	(void)state;
	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_json_string(&js, "path", "/etc/spdm/policy");
	agent_json_close(&js);
	assert_false(js.oom);
	assert_string_equal(js.buf, "{\"path\":\"/etc/spdm/policy\"}");
	agent_json_raw(&js, "\n", 1);
	assert_string_equal(js.buf, "{\"path\":\"/etc/spdm/policy\"}\n");
	agent_json_open(&js, NULL);
	assert_true(js.oom);
	agent_json_free(&js);
}

static void hostile_device(struct agent_evidence *ev,
			   struct agent_validation *val)
{
	memset(ev, 0, sizeof(*ev));
	memset(val, 0, sizeof(*val));
	strcpy(ev->name, "0000:01:00.0");
	ev->state = AGENT_AUTH_AUTHENTICATED;
	ev->generation = 7;
	ev->version = 0x12;
	ev->base_asym_alg = AGENT_ASYM_ECDSA_P384;
	ev->base_hash_alg = AGENT_HASH_SHA384;
	val->chain_result = -EKEYREJECTED;
	strcpy(val->chain_error, "depth 1: unable to get local issuer certificate");
	val->leaf_result = 0;
	val->signature_result = -ENODATA;
	strcpy(val->subject, "CN=\"}\n{\"verdict\":\"allow\xff");
	strcpy(val->identity_text, "Vendor=1b36\x01");
	val->identity = AGENT_IDENTITY_MALFORMED;
}

static void audit_line_survives_hostile_subject(void **state)
{
	static const char text[] = "default deny\nallow verified yes label \"ok\"\n";
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_policy *pol;
	struct json_object *obj, *v, *rule;
	struct agent_json js;
	char err[AGENT_ERR_LEN];

	(void)state;
	hostile_device(&ev, &val);
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	agent_policy_decide(pol, &ev, &val, &dec);
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &ev, &val, &dec,
						     false), 0);
	assert_null(strchr(js.buf, '\n'));
	obj = json_tokener_parse(js.buf);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "verdict", &v));
	assert_string_equal(json_object_get_string(v), "deny");
	assert_true(json_object_object_get_ex(obj, "rule", &rule));
	assert_string_equal(json_object_get_string(rule), "default");
	assert_true(json_object_object_get_ex(obj, "validation", &v));
	assert_true(json_object_object_get_ex(v, "subject", &v));
	assert_string_equal(json_object_get_string(v),
			    "CN=\"}\n{\"verdict\":\"allow\xef\xbf\xbd");
	json_object_put(obj);
	agent_json_free(&js);
	agent_policy_free(pol);
}

/* The audit record names the certificate model and, multi-key, the key pair. */
static void audit_records_cert_model_and_key_pair(void **state)
{
	static const char text[] = "default deny\n";
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_policy *pol;
	struct json_object *obj, *v;
	struct agent_json js;
	char err[AGENT_ERR_LEN];

	(void)state;
	hostile_device(&ev, &val);
	assert_int_equal(agent_policy_parse("t.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	for (int multi = 0; multi < 2; multi++) {
		ev.cert_model = multi ? 2 : 1;	/* alias, device */
		ev.multi_key = multi;
		ev.key_pair_id = 3;
		ev.key_usage = 0x6;
		agent_policy_decide(pol, &ev, &val, &dec);
		agent_json_init(&js);
		assert_int_equal(agent_audit_format_decision(&js, &ev, &val, &dec,
							     false), 0);
		obj = json_tokener_parse(js.buf);
		assert_non_null(obj);
		assert_true(json_object_object_get_ex(obj, "cert_model", &v));
		assert_string_equal(json_object_get_string(v), multi ? "alias" : "device");
		assert_int_equal(json_object_object_get_ex(obj, "key_pair_id", &v), multi);
		if (multi) {
			assert_int_equal(json_object_get_int(v), 3);
			assert_true(json_object_object_get_ex(obj, "key_usage", &v));
			assert_int_equal(json_object_get_int(v), 6);
		}
		json_object_put(obj);
		agent_json_free(&js);
	}
	agent_policy_free(pol);
}

static struct json_object *read_line(const char *path, int index)
{
	char line[8192];
	FILE *f = fopen(path, "r");
	struct json_object *obj = NULL;

	assert_non_null(f);
	for (int i = 0; i <= index; i++)
		if (!fgets(line, sizeof(line), f))
			fail_msg("line %d missing in %s", index, path);
	fclose(f);
	assert_non_null(strchr(line, '\n'));
	obj = json_tokener_parse(line);
	assert_non_null(obj);
	return obj;
}

static const char *field(struct json_object *obj, const char *a, const char *b)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

static void audit_appends_decision_with_rule_location(void **state)
{
	static const char text[] =
		"default deny\n\nallow state authenticated label \"QEMU \\\"NVMe\\\"\"\n";
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_policy *pol;
	struct agent_audit au;
	struct json_object *obj;

	(void)state;
	hostile_device(&ev, &val);
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	assert_int_equal(agent_audit_open(&au, path, false, false), 0);
	assert_int_equal(agent_policy_parse("main.rules", text, sizeof(text) - 1,
					    NULL, &pol, err, sizeof(err)), 0);
	assert_int_equal(agent_audit_event(&au, "start", "policy main.rules", 0),
			 0);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(agent_audit_decision(&au, &ev, &val, &dec, true), 0);
	agent_audit_close(&au);

	obj = read_line(path, 0);
	assert_string_equal(field(obj, "event", NULL), "start");
	assert_string_equal(field(obj, "detail", NULL), "policy main.rules");
	json_object_put(obj);
	obj = read_line(path, 1);
	assert_string_equal(field(obj, "event", NULL), "decision");
	assert_string_equal(field(obj, "device", NULL), "0000:01:00.0");
	assert_string_equal(field(obj, "generation", NULL), "7");
	assert_string_equal(field(obj, "verdict", NULL), "allow");
	assert_string_equal(field(obj, "rule", "label"), "QEMU \"NVMe\"");
	assert_string_equal(field(obj, "rule", "file"), "main.rules");
	assert_string_equal(field(obj, "rule", "line"), "3");
	assert_string_equal(field(obj, "dry_run", NULL), "true");
	assert_string_equal(field(obj, "version", NULL), "1.2");
	assert_string_equal(field(obj, "asym", NULL), "ECDSA_P384");
	assert_string_equal(field(obj, "validation", "chain"),
			    "depth 1: unable to get local issuer certificate (Key was rejected by service)");
	assert_string_equal(field(obj, "validation", "cma_identity"),
			    "malformed");
	json_object_put(obj);
	agent_policy_free(pol);
	unit_tmpdir_free(dir);
}

struct recalled {
	char names[8][64];
	uint32_t gens[8];
	enum agent_verdict verdicts[8];
	int n;
};

static void recall_cb(const char *name, uint32_t generation,
		      const char *attempt, enum agent_verdict verdict, void *ctx)
{
	struct recalled *r = ctx;

	(void)attempt;
	assert_true(r->n < 8);
	snprintf(r->names[r->n], sizeof(r->names[0]), "%s", name);
	r->gens[r->n] = generation;
	r->verdicts[r->n++] = verdict;
}

static void audit_recall_reads_back_this_boots_sent_verdicts(void **state)
{
	char *dir = unit_tmpdir(), path[512];
	struct recalled r = { 0 };

	(void)state;
	unit_write(dir, "audit.jsonl",
		"{\"event\":\"start\",\"detail\":\"p\",\"result\":0}\n"
		"{\"event\":\"decision\",\"device\":\"0000:01:00.0\",\"generation\":3,"
		"\"boot_id\":\"B1\",\"verdict\":\"allow\",\"dry_run\":false}\n"
		"{\"event\":\"decision\",\"device\":\"0000:02:00.0\",\"generation\":1,"
		"\"boot_id\":\"B1\",\"verdict\":\"allow\",\"dry_run\":true}\n"
		"{\"event\":\"decision\",\"device\":\"0000:03:00.0\",\"generation\":1,"
		"\"boot_id\":\"B0\",\"verdict\":\"allow\",\"dry_run\":false}\n"
		"{\"event\":\"decision\",\"device\":\"0000:04:00\n"
		"{\"event\":\"decision\",\"device\":\"0000:05:00.0\",\"generation\":2,"
		"\"boot_id\":\"B1\",\"verdict\":\"deny\",\"dry_run\":false}\n");
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	assert_int_equal(agent_audit_recall(path, "B1", recall_cb, &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.names[0], "0000:01:00.0");
	assert_int_equal(r.gens[0], 3);
	assert_int_equal(r.verdicts[0], AGENT_ALLOW);
	assert_string_equal(r.names[1], "0000:05:00.0");
	assert_int_equal(r.verdicts[1], AGENT_DENY);
	unit_tmpdir_free(dir);
}

static void audit_recall_finds_what_decision_wrote(void **state)
{
	static const char text[] = "default allow\n";
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_policy *pol;
	struct agent_audit au;
	struct recalled r = { 0 };

	(void)state;
	hostile_device(&ev, &val);
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	assert_int_equal(agent_audit_open(&au, path, false, false), 0);
	assert_int_equal(agent_policy_parse("p", text, sizeof(text) - 1, NULL,
					    &pol, err, sizeof(err)), 0);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(agent_audit_decision(&au, &ev, &val, &dec, false), 0);
	assert_int_equal(agent_audit_decision(&au, &ev, &val, &dec, true), 0);
	agent_audit_close(&au);
	assert_int_equal(agent_audit_recall(path, agent_audit_boot_id(),
					    recall_cb, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.gens[0], 7);
	assert_int_equal(r.verdicts[0], AGENT_ALLOW);
	agent_policy_free(pol);
	unit_tmpdir_free(dir);
}

static void audit_recall_without_file_is_enoent(void **state)
{
	struct recalled r = { 0 };

	(void)state;
	assert_int_equal(agent_audit_recall("/nonexistent/audit.jsonl", "B",
					    recall_cb, &r), -ENOENT);
	assert_int_equal(r.n, 0);
}

static void audit_validation_report_has_no_verdict(void **state)
{
	struct agent_evidence ev;
	struct agent_validation val;
	struct json_object *obj, *v;
	struct agent_json js;

	(void)state;
	hostile_device(&ev, &val);
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &ev, &val, NULL,
						     false), 0);
	obj = json_tokener_parse(js.buf);
	assert_non_null(obj);
	assert_string_equal(field(obj, "event", NULL), "validation");
	assert_false(json_object_object_get_ex(obj, "verdict", &v));
	assert_false(json_object_object_get_ex(obj, "rule", &v));
	assert_true(json_object_object_get_ex(obj, "validation", &v));
	json_object_put(obj);
	agent_json_free(&js);
}

static void audit_open_fails_on_unwritable_path(void **state)
{
	struct agent_audit au;

	(void)state;
	assert_int_equal(agent_audit_open(&au, "/nonexistent/dir/audit.jsonl",
					  false, false), -ENOENT);
}

/* Every line of @path is a complete JSON object; returns how many. */
static int whole_lines(const char *path)
{
	char line[16384];
	FILE *f = fopen(path, "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line);

		if (!strchr(line, '\n') || !o)
			fail_msg("line %d is torn: %s", n + 1, line);
		json_object_put(o);
		n++;
	}
	fclose(f);
	return n;
}

/*
 * A write cut short (here by RLIMIT_FSIZE, as ENOSPC would on a full disk)
 * leaves nothing of the record behind: the next record starts a line.
 */
static void audit_short_write_leaves_no_partial_line(void **state)
{
	char *dir = unit_tmpdir(), path[512];
	struct agent_evidence ev;
	struct agent_validation val;
	struct agent_decision dec = { .verdict = AGENT_ALLOW };
	struct agent_audit au;
	struct rlimit old, lim;
	struct stat st;

	(void)state;
	hostile_device(&ev, &val);
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	assert_int_equal(agent_audit_open(&au, path, false, false), 0);
	assert_int_equal(agent_audit_event(&au, "start", "p", 0), 0);
	assert_int_equal(stat(path, &st), 0);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)st.st_size + 40;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(agent_audit_decision(&au, &ev, &val, &dec, false),
			 -EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(whole_lines(path), 1);
	assert_int_equal(agent_audit_event(&au, "stop", NULL, 0), 0);
	agent_audit_close(&au);
	assert_int_equal(whole_lines(path), 2);
	unit_tmpdir_free(dir);
}

/* A verdict the agent did not make (timeout, admin, bypass) is audited too. */
static void audit_records_verdicts_of_every_source(void **state)
{
	static const struct {
		uint32_t source, verdict;
		const char *name, *verdict_name;
	} cases[] = {
		{ SPDM_VERDICT_SOURCE_TIMEOUT, SPDM_VERDICT_DENY, "timeout", "deny" },
		{ SPDM_VERDICT_SOURCE_ADMIN, SPDM_VERDICT_ALLOW, "admin", "allow" },
		{ SPDM_VERDICT_SOURCE_BYPASS, SPDM_VERDICT_ALLOW, "bypass", "allow" },
		{ SPDM_VERDICT_SOURCE_AGENT, SPDM_VERDICT_DENY, "agent", "deny" },
	};
	char *dir = unit_tmpdir(), path[512];
	struct agent_audit au;

	(void)state;
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	assert_int_equal(agent_audit_open(&au, path, false, false), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct agent_ntf n = { .cmd = SPDM_CMD_VERDICT_NTF };

		snprintf(n.dev.name, sizeof(n.dev.name), "0000:0%zu:00.0", i);
		n.dev.key = 40 + i;
		n.dev.generation = 3;
		n.dev.verdict = cases[i].verdict;
		n.verdict_source = cases[i].source;
		snprintf(n.reason, sizeof(n.reason), "why \"%zu\"", i);
		assert_int_equal(agent_audit_verdict(&au, &n), 0);
	}
	agent_audit_close(&au);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct json_object *obj = read_line(path, i);
		char reason[16];

		snprintf(reason, sizeof(reason), "why \"%zu\"", i);
		assert_string_equal(field(obj, "event", NULL), "verdict");
		assert_string_equal(field(obj, "source", NULL), cases[i].name);
		assert_string_equal(field(obj, "verdict", NULL),
				    cases[i].verdict_name);
		assert_string_equal(field(obj, "generation", NULL), "3");
		assert_string_equal(field(obj, "reason", NULL), reason);
		assert_non_null(field(obj, "boot_id", NULL));
		json_object_put(obj);
	}
	unit_tmpdir_free(dir);
}

/* One record of each kind a notification or a refusal makes. */
static int audit_device_record(struct agent_audit *au, int kind)
{
	struct agent_ntf n = { .cmd = SPDM_CMD_VERDICT_NTF };

	snprintf(n.dev.name, sizeof(n.dev.name), "0000:01:00.0");
	n.dev.generation = 3;
	n.dev.verdict = SPDM_VERDICT_DENY;
	n.verdict_source = SPDM_VERDICT_SOURCE_ADMIN;
	snprintf(n.reason, sizeof(n.reason), "by hand");
	n.has_identity = true;
	memset(n.identity, 0x11, sizeof(n.identity));
	memset(n.allowed_identity, 0x22, sizeof(n.allowed_identity));
	switch (kind) {
	case 0:
		return agent_audit_verdict(au, &n);
	case 1:
		return agent_audit_identity_changed(au, &n);
	default:
		return agent_audit_refused(au, &n.dev, true, -ESTALE,
					   "stale generation 3");
	}
}

/*
 * Out of memory while a record is made, at every allocation of a string it
 * makes: -ENOMEM, with an audit file or without, and the file holds no
 * record, whole or cut; with memory, the record is written.
 */
static void audit_records_out_of_memory_write_nothing(void **state)
{
	char *dir = unit_tmpdir(), path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	for (int kind = 0; kind < 3; kind++) {
		for (int file = 0; file < 2; file++) {
			struct agent_audit au;
			long k;
			int ret;

			unlink(path);
			assert_int_equal(agent_audit_open(&au, file ? path : NULL,
							  false, false), 0);
			for (k = 0; k < 64; k++) {
				struct stat st;

				unit_fail_strings_after(k);
				ret = audit_device_record(&au, kind);
				unit_fail_strings_after(-1);
				if (!ret)
					break;
				assert_int_equal(ret, -ENOMEM);
				if (file) {
					assert_int_equal(stat(path, &st), 0);
					assert_int_equal(st.st_size, 0);
				}
			}
			assert_true(k > 0 && k < 64);	/* it failed, then it did not */
			if (file)
				assert_int_equal(whole_lines(path), 1);
			agent_audit_close(&au);
		}
	}
	free(unit_journal_take());
	unit_tmpdir_free(dir);
}

static const struct CMUnitTest audit_tests[] = {
	cmocka_unit_test(json_escapes_quotes_and_backslashes),
	cmocka_unit_test(json_escapes_control_characters),
	cmocka_unit_test(json_keeps_embedded_nul_escaped),
	cmocka_unit_test(json_keeps_valid_utf8),
	cmocka_unit_test(json_replaces_invalid_utf8),
	cmocka_unit_test(json_replaces_line_separators),
	cmocka_unit_test(json_is_plain_and_one_document),
	cmocka_unit_test(json_encodes_nested_objects_and_types),
	cmocka_unit_test(audit_line_survives_hostile_subject),
	cmocka_unit_test(audit_records_cert_model_and_key_pair),
	cmocka_unit_test(audit_appends_decision_with_rule_location),
	cmocka_unit_test(audit_recall_reads_back_this_boots_sent_verdicts),
	cmocka_unit_test(audit_recall_finds_what_decision_wrote),
	cmocka_unit_test(audit_recall_without_file_is_enoent),
	cmocka_unit_test(audit_validation_report_has_no_verdict),
	cmocka_unit_test(audit_open_fails_on_unwritable_path),
	cmocka_unit_test(audit_short_write_leaves_no_partial_line),
	cmocka_unit_test(audit_records_verdicts_of_every_source),
	cmocka_unit_test(audit_records_out_of_memory_write_nothing),
};

UNIT_SUITE(audit_suite, audit_tests);
