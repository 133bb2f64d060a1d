// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's event loop: one thread, poll() over the netlink monitor
 * socket and a signalfd.
 *
 * Start-up resynchronizes: subscribe first, then dump every device with its
 * evidence and decide each one still waiting, then follow notifications. A
 * lost notification (ENOBUFS) triggers a new dump, so nothing is missed.
 * SIGHUP builds a new policy, trust store and validator and swaps them in
 * only if all loaded; SIGTERM and SIGINT end the loop cleanly.
 *
 * Each decision is audited (and fsync'ed) before its verdict is sent. A
 * restarted agent reads back the decisions of this boot from the audit
 * file: a device decided before the restart gets the same verdict again
 * without a second audit line, unless the policy now decides otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include <linux/spdm.h>

#include "agent.h"

#define AGENT_CACHE_SLOTS	1024

struct agent_rules {
	struct agent_policy *pol;
	struct agent_trust *trust;
	struct agent_validator *val;
};

/* A (device, generation) already decided, and how. */
struct agent_decided {
	char name[64];
	uint32_t generation;
	enum agent_verdict verdict;
	bool audited_before_start;	/* read back from the audit file */
};

struct agent_daemon {
	const struct agent_config *cfg;
	struct agent_rules *rules;
	struct agent_audit au;
	struct agent_nl nl;
	int sigfd;
	struct agent_decided *decided;
	size_t ndecided;
	char (*todo)[64];		/* devices to look at after a read */
	size_t ntodo;
	bool resync;
};

static void agent_rules_free(struct agent_rules *r)
{
	if (!r)
		return;
	agent_validator_free(r->val);
	agent_trust_free(r->trust);
	agent_policy_free(r->pol);
	free(r);
}

/**
 * agent_rules_load() - policy, trust store and validator, all or nothing
 * @cfg: paths
 * @out: the loaded set
 * @err: "file:line:col: message" or the trust store's error
 * @errlen: size of @err
 *
 * Return: 0 or a negative errno.
 */
static int agent_rules_load(const struct agent_config *cfg,
			    struct agent_rules **out, char *err, size_t errlen)
{
	struct agent_rules *r = calloc(1, sizeof(*r));
	const char *dir;
	int ret;

	if (!r)
		return -ENOMEM;
	ret = agent_policy_load(cfg->policy, &r->pol, err, errlen);
	if (ret)
		goto out_free;
	dir = cfg->trust_store ? cfg->trust_store : r->pol->trust_store;
	if (!dir)
		fprintf(stderr, "spdm-agent: %s has no trust-store: no chain can verify\n",
			cfg->policy);
	ret = agent_trust_load(dir, &r->trust, err, errlen);
	if (ret)
		goto out_free;
	ret = agent_validator_new(r->trust, r->pol->time, AGENT_CACHE_SLOTS,
				  &r->val);
	if (ret)
		goto out_free;
	*out = r;
	return 0;

out_free:
	agent_rules_free(r);
	return ret;
}

static struct agent_decided *agent_decided_find(struct agent_daemon *d,
						const char *name,
						uint32_t generation)
{
	for (size_t i = 0; i < d->ndecided; i++)
		if (d->decided[i].generation == generation &&
		    !strcmp(d->decided[i].name, name))
			return &d->decided[i];
	return NULL;
}

static int agent_decided_add(struct agent_daemon *d, const char *name,
			     uint32_t generation, enum agent_verdict verdict,
			     bool before)
{
	struct agent_decided *e = agent_decided_find(d, name, generation);

	if (!e) {
		e = realloc(d->decided, (d->ndecided + 1) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		d->decided = e;
		e = &d->decided[d->ndecided++];
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->generation = generation;
	}
	e->verdict = verdict;
	e->audited_before_start = before;
	return 0;
}

/* Forget a device that went away (its next appearance starts afresh). */
static void agent_decided_forget(struct agent_daemon *d, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < d->ndecided; i++)
		if (strcmp(d->decided[i].name, name))
			d->decided[j++] = d->decided[i];
	d->ndecided = j;
}

static void agent_daemon_recalled(const char *name, uint32_t generation,
				  enum agent_verdict verdict, void *ctx)
{
	agent_decided_add(ctx, name, generation, verdict, true);
}

static bool agent_needs_verdict(const struct agent_evidence *ev)
{
	return ev->verdict == SPDM_VERDICT_NONE &&
	       (ev->state == AGENT_AUTH_AUTHENTICATED ||
		ev->state == AGENT_AUTH_FAILED ||
		ev->state == AGENT_AUTH_UNSUPPORTED);
}

static void agent_reason(const struct agent_decision *dec, char *buf,
			 size_t len)
{
	if (!dec->rule)
		snprintf(buf, len, "default");
	else if (dec->rule->label)
		snprintf(buf, len, "%s", dec->rule->label);
	else
		snprintf(buf, len, "%s:%u", dec->rule->file, dec->rule->line);
}

/* Validate, decide, audit durably, then send: the order matters. */
static void agent_daemon_decide(struct agent_daemon *d,
				const struct agent_evidence *ev)
{
	struct agent_rules *r = d->rules;
	struct agent_decided *prev;
	struct agent_validation val;
	struct agent_decision dec;
	char reason[256], err[AGENT_ERR_LEN];
	int ret;

	if (!agent_needs_verdict(ev))
		return;
	prev = agent_decided_find(d, ev->name, ev->generation);
	if (prev && !prev->audited_before_start)
		return;		/* decided by this process already */
	agent_validator_validate(r->val, ev, &val);
	agent_policy_decide(r->pol, ev, &val, &dec);
	agent_reason(&dec, reason, sizeof(reason));
	if (!prev || prev->verdict != dec.verdict) {
		ret = agent_audit_decision(&d->au, ev, &val, &dec,
					   d->cfg->dry_run);
		if (ret) {
			fprintf(stderr, "spdm-agent: %s: audit failed (%s), verdict withheld\n",
				ev->name, strerror(-ret));
			return;
		}
	}
	agent_decided_add(d, ev->name, ev->generation, dec.verdict, false);
	fprintf(stderr, "spdm-agent: %s generation %u: %s by %s%s\n", ev->name,
		ev->generation, dec.verdict == AGENT_ALLOW ? "allow" : "deny",
		reason, d->cfg->dry_run ? " (dry run)" : "");
	if (d->cfg->dry_run)
		return;
	ret = agent_nl_verdict(&d->nl, ev, dec.verdict == AGENT_ALLOW, reason,
			       err, sizeof(err));
	if (ret)
		fprintf(stderr, "spdm-agent: %s: verdict not taken: %s\n",
			ev->name, err);
}

/* Dump (one device or all) with evidence and decide what waits. */
static int agent_daemon_examine(struct agent_daemon *d, const char *name)
{
	struct agent_dump dump;
	char err[AGENT_ERR_LEN];
	int ret;

	ret = agent_nl_dump(&d->nl, name, true, &dump, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "spdm-agent: dump%s%s failed: %s\n",
			name ? " of " : "", name ? name : "", err);
		return ret;
	}
	for (size_t i = 0; i < dump.ndevs; i++) {
		if (dump.devs[i].evidence_error[0])
			fprintf(stderr, "spdm-agent: %s: %s\n", dump.devs[i].name,
				dump.devs[i].evidence_error);
		agent_daemon_decide(d, &dump.devs[i]);
	}
	agent_dump_free(&dump);
	return 0;
}

static void agent_daemon_ntf(const struct agent_ntf *n, void *ctx)
{
	struct agent_daemon *d = ctx;
	char (*todo)[64];

	switch (n->cmd) {
	case SPDM_CMD_DEVICE_REMOVED_NTF:
		agent_decided_forget(d, n->dev.name);
		return;
	case SPDM_CMD_VERDICT_NTF:
		return;
	case SPDM_CMD_DEVICE_ADDED_NTF:
	case SPDM_CMD_AUTH_DONE_NTF:
		if (n->has_state && n->dev.state == AGENT_AUTH_PENDING)
			return;
		break;
	default:
		return;
	}
	for (size_t i = 0; i < d->ntodo; i++)
		if (!strcmp(d->todo[i], n->dev.name))
			return;
	todo = realloc(d->todo, (d->ntodo + 1) * sizeof(*todo));
	if (!todo) {
		d->resync = true;
		return;
	}
	d->todo = todo;
	snprintf(d->todo[d->ntodo++], sizeof(*todo), "%s", n->dev.name);
}

static void agent_daemon_reload(struct agent_daemon *d)
{
	struct agent_rules *r;
	char err[AGENT_ERR_LEN];
	int ret;

	ret = agent_rules_load(d->cfg, &r, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "spdm-agent: reload failed, keeping the old policy: %s\n",
			err);
		agent_audit_event(&d->au, "policy-reload", err, ret);
		return;
	}
	agent_rules_free(d->rules);
	d->rules = r;
	agent_audit_event(&d->au, "policy-reload", d->cfg->policy, 0);
	fprintf(stderr, "spdm-agent: reloaded %s (%zu rules)\n", d->cfg->policy,
		r->pol->nrules);
}

static int agent_daemon_signals(struct agent_daemon *d, bool *stop)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			agent_daemon_reload(d);
		else
			*stop = true;
	}
	return 0;
}

static int agent_daemon_loop(struct agent_daemon *d)
{
	struct pollfd fds[2] = {
		{ .fd = agent_nl_monitor_fd(&d->nl), .events = POLLIN },
		{ .fd = d->sigfd, .events = POLLIN },
	};
	bool stop = false;
	int ret;

	while (!stop) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[1].revents & POLLIN)
			agent_daemon_signals(d, &stop);
		if (!(fds[0].revents & POLLIN))
			continue;
		ret = agent_nl_monitor_read(&d->nl, agent_daemon_ntf, d);
		if (ret == -ENOBUFS || d->resync) {
			fprintf(stderr, "spdm-agent: notifications lost, resynchronizing\n");
			d->resync = false;
			d->ntodo = 0;
			agent_daemon_examine(d, NULL);
			continue;
		}
		if (ret)
			return ret;
		for (size_t i = 0; i < d->ntodo; i++)
			agent_daemon_examine(d, d->todo[i]);
		d->ntodo = 0;
	}
	return 0;
}

/**
 * agent_daemon_run() - run the agent until SIGTERM
 * @cfg: configuration
 *
 * Return: process exit status.
 */
int agent_daemon_run(const struct agent_config *cfg)
{
	struct agent_daemon d = { .cfg = cfg, .sigfd = -1 };
	char err[AGENT_ERR_LEN];
	sigset_t mask;
	int ret;

	ret = agent_rules_load(cfg, &d.rules, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "spdm-agent: %s\n", err);
		return 1;
	}
	ret = agent_audit_open(&d.au, cfg->audit_log, cfg->journal,
			       cfg->linux_audit);
	if (ret) {
		fprintf(stderr, "spdm-agent: %s: %s\n", cfg->audit_log,
			strerror(-ret));
		agent_rules_free(d.rules);
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	/* subscribe before the dump, so no change falls between them */
	ret = d.sigfd < 0 ? -errno : agent_nl_open(&d.nl, true, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "spdm-agent: %s\n", d.sigfd < 0 ?
			strerror(-ret) : err);
		goto out;
	}
	if (cfg->audit_log)
		agent_audit_recall(cfg->audit_log, agent_audit_boot_id(),
				   agent_daemon_recalled, &d);
	agent_audit_event(&d.au, cfg->dry_run ? "start (dry run)" : "start",
			  cfg->policy, 0);
	ret = agent_daemon_examine(&d, NULL);
	if (!ret) {
		sd_notify(0, "READY=1");
		ret = agent_daemon_loop(&d);
	}
	agent_audit_event(&d.au, "stop", ret ? strerror(-ret) : NULL, ret);
	agent_nl_close(&d.nl);
out:
	if (d.sigfd >= 0)
		close(d.sigfd);
	agent_audit_close(&d.au);
	agent_rules_free(d.rules);
	free(d.decided);
	free(d.todo);
	return ret ? 1 : 0;
}
