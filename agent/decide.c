// SPDX-License-Identifier: GPL-2.0
/*
 * One decision, in the order that makes it safe: validate the evidence,
 * apply the policy, write the audit line and flush it to disk, and only then
 * send the verdict. If the audit line cannot be written the verdict is not
 * sent (the kernel's timeout default applies).
 *
 * Each (device, generation) is decided once per process. A restarted agent
 * first reads back this boot's decisions from the audit file: a device it
 * decided before the restart and that still waits gets the verdict again
 * without a second audit line, unless the policy now decides otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/spdm.h>

#include "agent.h"

static struct agent_decided *agent_decided_find(struct agent_decider *d,
						const char *name,
						uint32_t generation)
{
	for (size_t i = 0; i < d->ndecided; i++)
		if (d->decided[i].generation == generation &&
		    !strcmp(d->decided[i].name, name))
			return &d->decided[i];
	return NULL;
}

static int agent_decided_add(struct agent_decider *d, const char *name,
			     uint32_t generation, enum agent_verdict verdict,
			     bool recalled)
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
	e->recalled = recalled;
	return 0;
}

static void agent_decider_recalled(const char *name, uint32_t generation,
				   enum agent_verdict verdict, void *ctx)
{
	agent_decided_add(ctx, name, generation, verdict, true);
}

/**
 * agent_decider_recall() - remember this boot's decisions from the audit file
 * @d: the decider
 * @audit_log: the audit file (missing is fine: nothing decided yet)
 */
void agent_decider_recall(struct agent_decider *d, const char *audit_log)
{
	agent_audit_recall(audit_log, agent_audit_boot_id(),
			   agent_decider_recalled, d);
}

/** agent_decider_forget() - a device went away: its next appearance is new */
void agent_decider_forget(struct agent_decider *d, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < d->ndecided; i++)
		if (strcmp(d->decided[i].name, name))
			d->decided[j++] = d->decided[i];
	d->ndecided = j;
}

/** agent_decider_free() - release what the decider remembers */
void agent_decider_free(struct agent_decider *d)
{
	free(d->decided);
	d->decided = NULL;
	d->ndecided = 0;
}

/* Only a finished attempt without a verdict waits for one. */
static bool agent_needs_verdict(const struct agent_evidence *ev)
{
	return ev->verdict == SPDM_VERDICT_NONE &&
	       (ev->state == AGENT_AUTH_AUTHENTICATED ||
		ev->state == AGENT_AUTH_FAILED ||
		ev->state == AGENT_AUTH_UNSUPPORTED);
}

/* The reason the kernel keeps with the verdict: the rule's label. */
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

/* Does @ev wait for a decision we have not made yet? */
static bool agent_decider_wants(struct agent_decider *d,
				const struct agent_evidence *ev)
{
	struct agent_decided *prev;

	if (!agent_needs_verdict(ev))
		return false;
	prev = agent_decided_find(d, ev->name, ev->generation);
	return !prev || prev->recalled;
}

/* Decide @ev on its validation @v: policy, audit, remember, send. */
static int agent_decider_finish(struct agent_decider *d,
				const struct agent_policy *pol,
				const struct agent_evidence *ev,
				const struct agent_validation *v)
{
	struct agent_decided *prev = agent_decided_find(d, ev->name, ev->generation);
	const char *verdict;
	struct agent_decision dec;
	char reason[256], err[AGENT_ERR_LEN];
	bool observe;
	int ret;

	agent_policy_decide(pol, ev, v, &dec);
	agent_reason(&dec, reason, sizeof(reason));
	verdict = dec.verdict == AGENT_ALLOW ? "allow" : "deny";
	/*
	 * A device outside the gate's scope (gate off, or a function without a
	 * CMA mailbox in mode cma) binds whatever we say: decide and audit it
	 * as an observation, and send nothing the kernel would refuse.
	 */
	observe = d->dry_run || !ev->gated;
	if (!prev || prev->verdict != dec.verdict) {
		ret = agent_audit_decision(d->au, ev, v, &dec, d->dry_run);
		if (ret) {
			fprintf(stderr, "spdm-agent: %s: audit failed (%s), verdict withheld\n",
				ev->name, strerror(-ret));
			return ret;
		}
	}
	ret = agent_decided_add(d, ev->name, ev->generation, dec.verdict, false);
	if (ret)
		return ret;
	fprintf(stderr, "spdm-agent: %s generation %u: %s by %s%s\n", ev->name,
		ev->generation, verdict, reason,
		d->dry_run ? " (dry run)" : !ev->gated ? " (not gated: observed only)" : "");
	if (observe)
		return 0;
	ret = d->send(d->send_ctx, ev, dec.verdict == AGENT_ALLOW, reason, err,
		      sizeof(err));
	/* without the gate every verdict is refused alike: say so once */
	if (ret && (ret != -EOPNOTSUPP || !d->gate_off_said))
		fprintf(stderr, "spdm-agent: %s: verdict not taken: %s\n",
			ev->name, err);
	if (ret == -EOPNOTSUPP)
		d->gate_off_said = true;
	return ret;
}

/**
 * agent_decider_decide() - decide one device if it waits for a verdict
 * @d: the decider (audit, dry run, how to send)
 * @pol: the policy in force
 * @val: the validator of the trust store in force
 * @ev: the device and its evidence
 *
 * Return: 1 when the device needed no decision (or had one already), 0
 * when it was decided (and, unless dry run, the verdict sent), or a
 * negative errno: the audit failed (nothing sent) or the kernel refused the
 * verdict (a stale generation: a newer attempt follows).
 */
int agent_decider_decide(struct agent_decider *d,
			 const struct agent_policy *pol,
			 struct agent_validator *val,
			 const struct agent_evidence *ev)
{
	struct agent_validation v;

	if (!agent_decider_wants(d, ev))
		return 1;
	agent_validator_validate(val, ev, &v);
	return agent_decider_finish(d, pol, ev, &v);
}

/**
 * agent_decider_decide_all() - decide every device of a dump that waits
 * @d: the decider
 * @pol: the policy in force
 * @val: the validator of the trust store in force
 * @evs: the devices, in the order they arrived
 * @n: how many
 * @workers: threads validating the evidence (agent_validator_validate_many())
 *
 * The evidence is validated concurrently; the decisions, audit records and
 * verdicts follow in arrival order, in the calling thread, exactly as
 * agent_decider_decide() on each device in turn would make them.
 *
 * Return: 0, or -ENOMEM (then nothing was decided).
 */
int agent_decider_decide_all(struct agent_decider *d,
			     const struct agent_policy *pol,
			     struct agent_validator *val,
			     const struct agent_evidence *evs, size_t n,
			     unsigned int workers)
{
	const struct agent_evidence **want = calloc(n ? n : 1, sizeof(*want));
	struct agent_validation *v = calloc(n ? n : 1, sizeof(*v));
	size_t nwant = 0;

	if (!want || !v) {
		free(want);
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (agent_decider_wants(d, &evs[i]))
			want[nwant++] = &evs[i];
	agent_validator_validate_many(val, want, nwant, v, workers);
	for (size_t i = 0; i < nwant; i++)
		agent_decider_finish(d, pol, want[i], &v[i]);
	free(want);
	free(v);
	return 0;
}
