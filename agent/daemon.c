// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's event loop: one thread, poll() over the netlink monitor
 * socket and a signalfd.
 *
 * Start-up resynchronizes: subscribe first, then dump every device with its
 * evidence and decide each one still waiting, then follow notifications. A
 * lost notification (ENOBUFS) triggers a new dump, so nothing is missed; a
 * dump that fails is retried with a growing delay, so no device is left to
 * the gate's timeout.
 * SIGHUP builds a new policy, trust store and validator and swaps them in
 * only if all loaded; SIGTERM and SIGINT end the loop cleanly.
 *
 * Each decision is made by decide.c: audited durably, then sent.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include <linux/spdm.h>

#include "agent.h"

struct agent_daemon {
	const struct agent_config *cfg;
	struct agent_rules *rules;
	struct agent_audit au;
	struct agent_nl nl;
	int sigfd;
	struct agent_decider decider;
	char (*todo)[64];		/* devices to look at after a read */
	size_t ntodo;
	bool resync;
	struct agent_retries retries;	/* examinations that failed */
};

static uint64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Say that messages not sent by the kernel were ignored, once per batch. */
static void agent_daemon_say_ignored(struct agent_daemon *d)
{
	if (!d->nl.ignored)
		return;
	agent_warning("ignored %lu netlink message%s not from the kernel",
		      d->nl.ignored, d->nl.ignored == 1 ? "" : "s");
	d->nl.ignored = 0;
}

/*
 * Dump (one device or all) with evidence and decide what waits. A dump that
 * fails is retried later (retry.c), never given up: the device would wait
 * for the gate's timeout instead of the policy.
 */
static int agent_daemon_examine(struct agent_daemon *d, const char *name)
{
	const char *key = name ? name : AGENT_RETRY_ALL;
	struct agent_dump dump;
	char err[AGENT_ERR_LEN];
	int ret;

	ret = agent_nl_dump(&d->nl, name, true, &dump, err, sizeof(err));
	agent_daemon_say_ignored(d);
	if (ret == -ENODEV && name) {	/* removed meanwhile */
		agent_retry_clear(&d->retries, key);
		return 0;
	}
	if (ret) {
		agent_warning("dump%s%s failed, will retry: %s",
			      name ? " of " : "", name ? name : "", err);
		if (agent_retry_schedule(&d->retries, key, agent_now_ms()))
			d->resync = true;
		return ret;
	}
	agent_retry_clear(&d->retries, key);
	agent_debug("dump%s%s: %zu device%s", name ? " of " : "",
		    name ? name : "", dump.ndevs, dump.ndevs == 1 ? "" : "s");
	if (dump.rejected)
		agent_warning("dump%s%s: %zu malformed message%s skipped",
			      name ? " of " : "", name ? name : "", dump.rejected,
			      dump.rejected == 1 ? "" : "s");
	for (size_t i = 0; i < dump.ndevs; i++)
		if (dump.devs[i].evidence_error[0])
			agent_warning("%s: %s", dump.devs[i].name,
				      dump.devs[i].evidence_error);
	ret = agent_decider_decide_all(&d->decider, d->rules->pol, d->rules->val,
				       dump.devs, dump.ndevs, d->cfg->workers);
	agent_dump_free(&dump);
	return ret;
}

static int agent_daemon_send(void *ctx, const struct agent_evidence *ev,
			     bool allow, const char *reason, char *err,
			     size_t errlen)
{
	return agent_nl_verdict(ctx, ev, allow, reason,
				SPDM_VERDICT_SOURCE_AGENT, err, errlen);
}

static void agent_daemon_ntf(const struct agent_ntf *n, void *ctx)
{
	struct agent_daemon *d = ctx;
	char (*todo)[64];

	agent_debug("%s: notification %u (netlink command)", n->dev.name,
		    n->cmd);
	switch (n->cmd) {
	case SPDM_CMD_DEVICE_REMOVED_NTF:
		agent_decider_forget(&d->decider, n->dev.name);
		agent_retry_clear(&d->retries, n->dev.name);
		return;
	case SPDM_CMD_VERDICT_NTF:
		/* every verdict that took effect, whoever gave it */
		agent_audit_verdict(&d->au, n);
		return;
	case SPDM_CMD_IDENTITY_CHANGED_NTF:
		/* a new device behind the function; its auth-done-ntf follows */
		agent_audit_identity_changed(&d->au, n);
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

	ret = agent_rules_load(d->cfg->policy, d->cfg->trust_store, &r, err, sizeof(err));
	if (ret) {
		agent_err("reload failed, keeping the old policy: %s", err);
		agent_audit_event(&d->au, "policy-reload", err, ret);
		return;
	}
	agent_rules_free(d->rules);
	d->rules = r;
	agent_audit_event(&d->au, "policy-reload", d->cfg->policy, 0);
	agent_notice("reloaded %s (%zu rules)", d->cfg->policy,
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
	char name[64];
	int ret;

	while (!stop) {
		if (poll(fds, 2, agent_retry_timeout(&d->retries,
						     agent_now_ms())) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[1].revents & POLLIN)
			agent_daemon_signals(d, &stop);
		while (!stop && agent_retry_take(&d->retries, agent_now_ms(), name))
			agent_daemon_examine(d, name[0] ? name : NULL);
		/* an overrun shows as POLLERR: reading reports the ENOBUFS */
		if (!(fds[0].revents & (POLLIN | POLLERR)))
			continue;
		ret = agent_nl_monitor_read(&d->nl, agent_daemon_ntf, d);
		agent_daemon_say_ignored(d);
		if (ret == -ENOBUFS || d->resync) {
			agent_warning("notifications lost, resynchronizing");
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

	ret = agent_rules_load(cfg->policy, cfg->trust_store, &d.rules, err, sizeof(err));
	if (ret) {
		agent_err("%s", err);
		return 1;
	}
	ret = agent_audit_open(&d.au, cfg->audit_log, cfg->journal,
			       cfg->linux_audit);
	d.decider.au = &d.au;
	d.decider.dry_run = cfg->dry_run;
	d.decider.send = agent_daemon_send;
	d.decider.send_ctx = &d.nl;
	/* fail closed, not absent: deny every device until it can be written */
	if (ret)
		agent_err("audit log %s: %s: every device is denied until it can be written",
			  cfg->audit_log, strerror(-ret));
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	/* subscribe before the dump, so no change falls between them */
	ret = d.sigfd < 0 ? -errno : agent_nl_open(&d.nl, true, err, sizeof(err));
	if (ret) {
		if (d.sigfd < 0)
			snprintf(err, sizeof(err), "signalfd: %s", strerror(-ret));
		/* devices stay held until the gate's timeout: say so everywhere */
		agent_err("cannot start: %s", err);
		agent_audit_event(&d.au, "start", err, ret);
		goto out;
	}
	if (cfg->audit_log)
		agent_decider_recall(&d.decider, cfg->audit_log);
	agent_audit_event(&d.au, cfg->dry_run ? "start (dry run)" : "start",
			  cfg->policy, 0);
	agent_info("started%s: %s, %zu rules, default %s; trust store %s, %zu anchors, %zu CRLs; %u workers",
		   cfg->dry_run ? " (dry run)" : "", cfg->policy,
		   d.rules->pol->nrules,
		   d.rules->pol->def == AGENT_ALLOW ? "allow" : "deny",
		   d.rules->trust->dir, d.rules->trust->nanchors,
		   d.rules->trust->ncrls, cfg->workers);
	ret = agent_daemon_examine(&d, NULL);
	/* interrupted on every try (devices busy re-authenticating): later */
	if (ret == -EINTR)
		ret = 0;
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
	agent_decider_free(&d.decider);
	agent_retry_free(&d.retries);
	free(d.todo);
	return ret ? 1 : 0;
}
