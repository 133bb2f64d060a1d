// SPDX-License-Identifier: GPL-2.0
/*
 * The decision sequence with the kernel mocked out: the audit line is on
 * disk before the verdict leaves, no audit means deny, each
 * (device, generation) is decided once, dry runs send nothing, and a
 * restarted agent re-sends what it decided without a second audit line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/spdm.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

struct sent {
	int count;
	bool allow;
	char reason[256];
	int lines_at_send;		/* audit decision lines when sent */
	const char *audit;
	int ret;			/* what the "kernel" answers */
};

static int count_decisions(const char *path)
{
	char line[16384];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "\"event\":\"decision\"") != NULL;
	fclose(f);
	return n;
}

static int mock_send(void *ctx, const struct agent_evidence *ev, bool allow,
		     const char *reason, char *err, size_t errlen)
{
	struct sent *s = ctx;

	(void)ev;
	s->count++;
	s->allow = allow;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	s->lines_at_send = count_decisions(s->audit);
	snprintf(err, errlen, "stale generation");
	return s->ret;
}

struct world {
	char *dir;
	char audit[512];
	struct agent_trust *trust;
	struct agent_validator *val;
	struct agent_policy *pol;
	struct agent_audit au;
	struct agent_decider d;
	struct sent sent;
	struct agent_evidence ev;
};

static void world_policy(struct world *w, const char *text)
{
	char err[AGENT_ERR_LEN];

	agent_policy_free(w->pol);
	if (agent_policy_parse("p.rules", text, strlen(text), NULL, &w->pol,
			       err, sizeof(err)))
		fail_msg("%s", err);
}

/* A fresh agent process: audit file opened, decider empty. */
static void world_start(struct world *w, bool dry_run)
{
	assert_int_equal(agent_audit_open(&w->au, w->audit, false, false), 0);
	memset(&w->d, 0, sizeof(w->d));
	w->d.au = &w->au;
	w->d.dry_run = dry_run;
	w->d.send = mock_send;
	w->d.send_ctx = &w->sent;
	memset(&w->sent, 0, sizeof(w->sent));
	w->sent.audit = w->audit;
}

static void world_stop(struct world *w)
{
	agent_decider_free(&w->d);
	agent_audit_close(&w->au);
}

static void world_init(struct world *w, bool dry_run)
{
	const struct pki_world *p = pki_world_get();
	char err[AGENT_ERR_LEN];
	uint8_t *chain;
	size_t len;

	memset(w, 0, sizeof(*w));
	w->dir = unit_tmpdir();
	snprintf(w->audit, sizeof(w->audit), "%s/audit.jsonl", w->dir);
	if (agent_trust_load(p->trust_dir, &w->trust, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(agent_validator_new(w->trust, AGENT_TIME_WARN, 16,
					     &w->val), 0);
	world_policy(w, "default deny\nallow verified yes label \"ok\"\n");
	chain = pki_world_chain(p->leaf, AGENT_HASH_SHA256, &len);
	pki_evidence_fill(&w->ev, 0x12, AGENT_ASYM_ECDSA_P256,
			  AGENT_HASH_SHA256, chain, len, p->leaf_key, 1);
	free(chain);
	w->ev.gated = true;	/* held by the binding gate, as the kernel reports */
	world_start(w, dry_run);
}

static void world_fini(struct world *w)
{
	world_stop(w);
	agent_evidence_free(&w->ev);
	agent_policy_free(w->pol);
	agent_validator_free(w->val);
	agent_trust_free(w->trust);
	unit_tmpdir_free(w->dir);
}

static int decide(struct world *w)
{
	return agent_decider_decide(&w->d, w->pol, w->val, &w->ev);
}

#define NDUMP 24

/* What a dump's decisions sent, in order. */
struct sent_order {
	int n;
	char name[NDUMP][64];
	bool allow[NDUMP];
	int lines_at_send[NDUMP];
	const char *audit;
};

static int order_send(void *ctx, const struct agent_evidence *ev, bool allow,
		      const char *reason, char *err, size_t errlen)
{
	struct sent_order *s = ctx;

	(void)reason;
	(void)err;
	(void)errlen;
	assert_true(s->n < NDUMP);
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", ev->name);
	s->allow[s->n] = allow;
	s->lines_at_send[s->n++] = count_decisions(s->audit);
	return 0;
}

/* The names in the audit file's decision lines, in file order. */
static int audit_names(const char *path, char names[][64], int max)
{
	char line[16384];
	FILE *f = fopen(path, "r");
	int n = 0;

	assert_non_null(f);
	while (n < max && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "\"0000:");

		if (!strstr(line, "\"event\":\"decision\"") || !p)
			continue;
		snprintf(names[n++], 13, "%s", p + 1);
	}
	fclose(f);
	return n;
}

/*
 * A dump validated on several threads is decided, audited and sent in the
 * order of the dump, each device exactly as it would be alone: waiting
 * devices only, bad signatures denied, the already decided one skipped.
 */
static void decide_all_keeps_arrival_order(void **state)
{
	const struct pki_world *p = pki_world_get();
	struct agent_evidence devs[NDUMP];
	char names[NDUMP][64];
	struct sent_order so = { 0 };
	struct world w;
	uint8_t *chain;
	size_t len;
	int expect = 0;

	(void)state;
	world_init(&w, false);
	so.audit = w.audit;
	w.d.send = order_send;
	w.d.send_ctx = &so;
	chain = pki_world_chain(p->leaf, AGENT_HASH_SHA256, &len);
	for (int i = 0; i < NDUMP; i++) {
		/* names in descending order: arrival order is not name order */
		pki_evidence_fill(&devs[i], 0x12, AGENT_ASYM_ECDSA_P256,
				  AGENT_HASH_SHA256, chain, len, p->leaf_key,
				  (uint32_t)(NDUMP - i));
		devs[i].gated = true;
		if (i % 3 == 1)
			devs[i].signature[5] ^= 1;
	}
	free(chain);
	devs[4].state = AGENT_AUTH_PENDING;		/* not waiting */
	assert_int_equal(agent_decider_decide(&w.d, w.pol, w.val, &devs[7]), 0);
	so.n = 0;

	assert_int_equal(agent_decider_decide_all(&w.d, w.pol, w.val, devs,
						  NDUMP, 4), 0);
	for (int i = 0; i < NDUMP; i++) {
		if (i == 4 || i == 7)
			continue;
		assert_string_equal(so.name[expect], devs[i].name);
		assert_int_equal(so.allow[expect], i % 3 != 1);
		/* its own audit line (and every earlier one) before its verdict */
		assert_int_equal(so.lines_at_send[expect], expect + 2);
		expect++;
	}
	assert_int_equal(so.n, expect);
	assert_int_equal(audit_names(w.audit, names, NDUMP), expect + 1);
	assert_string_equal(names[0], devs[7].name);
	for (int i = 0, k = 1; i < NDUMP; i++)
		if (i != 4 && i != 7)
			assert_string_equal(names[k++], devs[i].name);
	for (int i = 0; i < NDUMP; i++)
		agent_evidence_free(&devs[i]);
	world_fini(&w);
}

static void decide_audits_before_sending(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 1);
	assert_true(w.sent.allow);
	assert_string_equal(w.sent.reason, "ok");
	assert_int_equal(w.sent.lines_at_send, 1);
	world_fini(&w);
}

static void decide_once_per_generation(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(decide(&w), 1);
	assert_int_equal(w.sent.count, 1);
	w.ev.generation = 2;	/* re-authenticated: a new decision */
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 2);
	assert_int_equal(count_decisions(w.audit), 2);
	world_fini(&w);
}

static void decide_skips_devices_not_waiting(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	w.ev.state = AGENT_AUTH_PENDING;
	assert_int_equal(decide(&w), 1);
	w.ev.state = AGENT_AUTH_AUTHENTICATED;
	w.ev.verdict = SPDM_VERDICT_ALLOW;	/* someone decided already */
	assert_int_equal(decide(&w), 1);
	assert_int_equal(w.sent.count, 0);
	assert_int_equal(count_decisions(w.audit), 0);
	world_fini(&w);
}

/* Regression: verdicts were sent for every PCI function, and refused by the
 * kernel for each one its gate does not hold (bridges, devices without CMA). */
static void decide_observes_devices_outside_the_gate(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	w.ev.gated = false;
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 0);
	assert_int_equal(count_decisions(w.audit), 1);
	assert_int_equal(decide(&w), 1);	/* once per generation */
	world_stop(&w);				/* a restarted agent audits it no more */
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 0);
	assert_int_equal(count_decisions(w.audit), 1);
	world_fini(&w);
}

/* Lines of the audit file holding @what. */
static int count_lines_with(const char *path, const char *what)
{
	char line[16384];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/*
 * Fail closed: a decision that cannot be audited is never an allow; the
 * agent denies at once (a withheld verdict would leave it to the gate's
 * timeout default, which may be allow).
 */
static void decide_denies_when_audit_fails(void **state)
{
	struct world w;
	int fd;

	(void)state;
	world_init(&w, false);
	fd = open("/dev/null", O_RDONLY);	/* every write fails */
	close(w.au.fd);
	w.au.fd = fd;
	assert_true(decide(&w) < 0);
	assert_int_equal(w.sent.count, 1);
	assert_false(w.sent.allow);
	assert_string_equal(w.sent.reason, "audit log unwritable");
	world_fini(&w);
}

/* The same for a bound device whose re-authentication failed. */
static void decide_denies_failed_reauth_when_audit_fails(void **state)
{
	struct world w;
	int fd;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	w.ev.generation = 2;
	w.ev.state = AGENT_AUTH_FAILED;
	w.ev.result = -EBADMSG;
	fd = open("/dev/null", O_RDONLY);
	close(w.au.fd);
	w.au.fd = fd;
	assert_true(decide(&w) < 0);
	assert_int_equal(w.sent.count, 2);
	assert_false(w.sent.allow);
	world_fini(&w);
}

/*
 * An audit file that cannot be opened (at start, or after it went away) is
 * tried again at each decision; until then every device is denied.
 */
static void decide_denies_until_audit_file_opens(void **state)
{
	char missing[600], path[700];
	struct world w;

	(void)state;
	world_init(&w, false);
	agent_audit_close(&w.au);
	snprintf(missing, sizeof(missing), "%s/later", w.dir);
	snprintf(path, sizeof(path), "%s/audit.jsonl", missing);
	assert_int_equal(agent_audit_open(&w.au, path, false, false), -ENOENT);
	assert_true(decide(&w) < 0);
	assert_int_equal(w.sent.count, 1);
	assert_false(w.sent.allow);
	assert_int_equal(mkdir(missing, 0700), 0);
	snprintf(w.ev.name, sizeof(w.ev.name), "0000:09:00.0");
	w.sent.audit = path;
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 2);
	assert_true(w.sent.allow);
	assert_int_equal(w.sent.lines_at_send, 1);
	world_fini(&w);
}

static void decide_dry_run_sends_nothing(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, true);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 0);
	assert_int_equal(count_decisions(w.audit), 1);
	world_fini(&w);
}

static void decide_reports_refused_verdict(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	w.sent.ret = -ESTALE;
	assert_int_equal(decide(&w), -ESTALE);
	assert_int_equal(count_decisions(w.audit), 1);
	/* the refusal is an outcome of its own in the audit file */
	assert_int_equal(count_lines_with(w.audit, "\"event\":\"verdict-refused\""), 1);
	assert_int_equal(count_lines_with(w.audit, "\"error\":\"ESTALE\""), 1);
	world_fini(&w);
}

static void restart_resends_without_second_audit_line(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	world_stop(&w);		/* killed before the kernel took the verdict */
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 1);
	assert_true(w.sent.allow);
	assert_int_equal(count_decisions(w.audit), 1);
	assert_int_equal(decide(&w), 1);	/* and only once */
	world_fini(&w);
}

/*
 * Another device, or another attempt, at the same address and generation
 * (the module reloaded and counts from 1 again; a device was swapped while
 * the agent was down) is not the one the audit file recorded: it gets its
 * own audit line.
 */
static void restart_audits_another_attempt_at_the_same_address(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	world_policy(&w, "default allow\n");	/* both allowed alike */
	assert_int_equal(decide(&w), 0);
	world_stop(&w);
	w.ev.transcript[w.ev.req_nonce_off] ^= 1;	/* another nonce */
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 1);
	assert_int_equal(w.sent.lines_at_send, 2);
	world_fini(&w);
}

/*
 * Without a transcript (a function without SPDM, under gate_mode=all) the
 * attempt is what the kernel reported of the device: the same device is
 * recalled, another one at its address (other IDs) is audited afresh.
 */
static void restart_without_transcript_keys_on_the_device(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	world_policy(&w, "default allow\n");
	free(w.ev.transcript);
	w.ev.transcript = NULL;
	w.ev.transcript_len = 0;
	w.ev.state = AGENT_AUTH_UNSUPPORTED;
	assert_int_equal(decide(&w), 0);
	world_stop(&w);
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.lines_at_send, 1);	/* recalled: same device */
	world_stop(&w);
	w.ev.ids.device ^= 1;				/* another device there */
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.lines_at_send, 2);
	world_fini(&w);
}

static void restart_with_other_verdict_audits_again(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	world_stop(&w);
	world_policy(&w, "default deny\n");
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_false(w.sent.allow);
	assert_string_equal(w.sent.reason, "default");
	assert_int_equal(count_decisions(w.audit), 2);
	world_fini(&w);
}

static void dry_run_decisions_are_not_recalled(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, true);
	assert_int_equal(decide(&w), 0);
	world_stop(&w);
	world_start(&w, false);
	agent_decider_recall(&w.d, w.audit);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 1);
	assert_int_equal(count_decisions(w.audit), 2);
	world_fini(&w);
}

static void forgotten_device_is_decided_again(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, false);
	assert_int_equal(decide(&w), 0);
	agent_decider_forget(&w.d, w.ev.name);
	assert_int_equal(decide(&w), 0);
	assert_int_equal(w.sent.count, 2);
	world_fini(&w);
}

/*
 * One record per decision in the journal: under systemd (standard error is
 * the journal stream JOURNAL_STREAM names) the structured record is the
 * decision's log line; otherwise the log line is written as well, and with
 * --no-journal it is the only one.
 */
static void decision_once_in_the_journal(void **state)
{
	static const struct {
		bool journal, stream;
		size_t lines, records;
	} rows[] = {
		{ true, true, 0, 1 },
		{ true, false, 1, 1 },
		{ false, true, 1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		int fd = unit_log_to_memfd(AGENT_LOG_NOTICE);
		char env[64], *log, *journal;
		struct world w;
		struct stat st;

		assert_int_equal(fstat(fd, &st), 0);
		world_init(&w, false);
		agent_audit_close(&w.au);
		assert_int_equal(agent_audit_open(&w.au, w.audit, rows[i].journal,
						  false), 0);
		snprintf(env, sizeof(env), "%llu:%llu",
			 (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino);
		if (rows[i].stream)
			setenv("JOURNAL_STREAM", env, 1);
		agent_log_open("spdm-agent", fd, AGENT_LOG_NOTICE);
		unsetenv("JOURNAL_STREAM");
		free(unit_journal_take());
		assert_int_equal(decide(&w), 0);
		log = unit_log_text(fd);
		journal = unit_journal_take();
		assert_int_equal(unit_count(log, " generation 1: allow by "),
				 rows[i].lines);
		assert_int_equal(unit_count(journal, "MESSAGE_ID=f40deac209a54769a9afab41defe3e89\n"),
				 rows[i].records);
		assert_int_equal(unit_count(journal, " generation 1: allow by rule 'ok' (p.rules:2)\n"),
				 rows[i].records);
		free(log);
		free(journal);
		world_fini(&w);
	}
}

static const struct CMUnitTest decide_tests[] = {
	cmocka_unit_test(decide_audits_before_sending),
	cmocka_unit_test(decide_all_keeps_arrival_order),
	cmocka_unit_test(decide_once_per_generation),
	cmocka_unit_test(decide_skips_devices_not_waiting),
	cmocka_unit_test(decide_observes_devices_outside_the_gate),
	cmocka_unit_test(decide_denies_when_audit_fails),
	cmocka_unit_test(decide_denies_failed_reauth_when_audit_fails),
	cmocka_unit_test(decide_denies_until_audit_file_opens),
	cmocka_unit_test(decide_dry_run_sends_nothing),
	cmocka_unit_test(decide_reports_refused_verdict),
	cmocka_unit_test(restart_resends_without_second_audit_line),
	cmocka_unit_test(restart_audits_another_attempt_at_the_same_address),
	cmocka_unit_test(restart_without_transcript_keys_on_the_device),
	cmocka_unit_test(restart_with_other_verdict_audits_again),
	cmocka_unit_test(dry_run_decisions_are_not_recalled),
	cmocka_unit_test(forgotten_device_is_decided_again),
	cmocka_unit_test(decision_once_in_the_journal),
};

UNIT_SUITE(decide_suite, decide_tests);
