// SPDX-License-Identifier: GPL-2.0
/*
 * One decision, in the order that makes it safe: validate the evidence,
 * apply the policy, write the audit line and flush it to disk, and only then
 * send the verdict. If the audit line cannot be written the device is denied
 * (fail closed: nothing is allowed unaudited, and a withheld verdict would
 * leave it to the gate's timeout default, which may be allow); the denial
 * goes to the log, the journal and Linux audit. A verdict the kernel refuses
 * is recorded as such.
 *
 * Each attempt (device, generation, digest of what the kernel reported) is
 * decided once per process. A restarted agent first reads back this boot's decisions from the
 * audit file: the same attempt, still waiting, gets the verdict again
 * without a second audit line, unless the policy now decides otherwise.
 * Another attempt at the same address and generation (a module reload
 * restarts generations; a device swapped while the agent was down) has
 * another digest and is audited afresh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/spdm.h>

#include "agent.h"

/* A record read back from the file must name the attempt to count. */
static struct agent_decided *agent_decided_find(struct agent_decider *d,
						const char *name,
						uint32_t generation,
						const char *attempt)
{
	for (size_t i = 0; i < d->ndecided; i++) {
		struct agent_decided *e = &d->decided[i];

		if (e->generation == generation && !strcmp(e->name, name) &&
		    !strcmp(e->attempt, attempt) &&
		    (!e->recalled || attempt[0]))
			return e;
	}
	return NULL;
}

static int agent_decided_add(struct agent_decider *d, const char *name,
			     uint32_t generation, const char *attempt,
			     enum agent_verdict verdict, bool recalled)
{
	struct agent_decided *e = agent_decided_find(d, name, generation,
						     attempt);

	if (!e) {
		e = realloc(d->decided, (d->ndecided + 1) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		d->decided = e;
		e = &d->decided[d->ndecided++];
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->attempt, sizeof(e->attempt), "%s", attempt);
		e->generation = generation;
	}
	e->verdict = verdict;
	e->recalled = recalled;
	return 0;
}

static void agent_decider_recalled(const char *name, uint32_t generation,
				   const char *attempt,
				   enum agent_verdict verdict, void *ctx)
{
	agent_decided_add(ctx, name, generation, attempt, verdict, true);
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

/**
 * agent_decision_reason() - the reason the kernel keeps with a verdict
 * @dec: the decision
 * @buf: the rule's label, its "file:line", or "default"
 * @len: size of @buf
 */
void agent_decision_reason(const struct agent_decision *dec, char *buf,
			   size_t len)
{
	if (!dec->rule)
		snprintf(buf, len, "default");
	else if (dec->rule->label)
		snprintf(buf, len, "%s", dec->rule->label);
	else
		snprintf(buf, len, "%s:%u", dec->rule->file, dec->rule->line);
}

/**
 * agent_appraise() - the agent's appraisal of one device's evidence
 * @r: policy, trust store and validator (agent_rules_load())
 * @ev: the evidence, from the kernel or from an evidence file
 * @val: the validation
 * @dec: the policy's decision on it
 *
 * What the daemon does for each device before it audits and sends the
 * verdict; `spdmctl verify` does exactly this offline.
 */
void agent_appraise(const struct agent_rules *r,
		    const struct agent_evidence *ev,
		    struct agent_validation *val, struct agent_decision *dec)
{
	agent_validator_validate(r->val, ev, val);
	agent_policy_decide(r->pol, ev, val, dec);
}

/* Does @ev wait for a decision we have not made yet? */
static bool agent_decider_wants(struct agent_decider *d,
				const struct agent_evidence *ev)
{
	char attempt[AGENT_ATTEMPT_LEN];
	struct agent_decided *prev;

	if (!agent_needs_verdict(ev)) {
		agent_debug("%s generation %u: %s, no verdict wanted", ev->name,
			    ev->generation, agent_evidence_state_name(ev->state));
		return false;
	}
	agent_evidence_attempt(ev, attempt);
	prev = agent_decided_find(d, ev->name, ev->generation, attempt);
	if (prev && !prev->recalled) {
		agent_debug("%s generation %u: already decided", ev->name,
			    ev->generation);
		return false;
	}
	return true;
}

/* Send @allow for @ev; a refusal is audited. */
static int agent_decider_send(struct agent_decider *d,
			      const struct agent_evidence *ev, bool allow,
			      const char *reason)
{
	char err[AGENT_ERR_LEN];
	int ret;

	ret = d->send(d->send_ctx, ev, allow, reason, err, sizeof(err));
	if (!ret)
		return 0;
	/* without the gate every verdict is refused alike: say so once */
	if (ret != -EOPNOTSUPP || !d->gate_off_said) {
		agent_err("%s: verdict not taken: %s", ev->name, err);
		agent_audit_refused(d->au, ev, allow, ret, err);
	}
	if (ret == -EOPNOTSUPP)
		d->gate_off_said = true;
	return ret;
}

/* The audit line could not be written: deny, and say so everywhere else. */
static int agent_decider_unaudited(struct agent_decider *d,
				   const struct agent_evidence *ev,
				   const char *attempt, const char *verdict,
				   bool observe, int error)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "%s generation %u: policy said %s; %s",
		 ev->name, ev->generation, verdict,
		 observe ? "nothing sent" : "denied");
	agent_err("audit log unwritable (%s): %s", strerror(-error), detail);
	agent_audit_event(d->au, "audit-unwritable", detail, error);
	if (observe)
		return error;
	agent_decided_add(d, ev->name, ev->generation, attempt, AGENT_DENY,
			  false);
	agent_decider_send(d, ev, false, "audit log unwritable");
	return error;
}

/* Decide @ev on its validation @v: policy, audit, remember, send. */
static int agent_decider_finish(struct agent_decider *d,
				const struct agent_policy *pol,
				const struct agent_evidence *ev,
				const struct agent_validation *v)
{
	char reason[256], attempt[AGENT_ATTEMPT_LEN];
	struct agent_decided *prev;
	const char *verdict;
	struct agent_decision dec;
	bool observe, journaled = false;
	int ret;

	agent_evidence_attempt(ev, attempt);
	prev = agent_decided_find(d, ev->name, ev->generation, attempt);
	agent_policy_decide(pol, ev, v, &dec);
	agent_decision_reason(&dec, reason, sizeof(reason));
	verdict = dec.verdict == AGENT_ALLOW ? "allow" : "deny";
	/*
	 * A device outside the gate's scope (gate off, or a function without a
	 * CMA mailbox in mode cma) binds whatever we say: decide and audit it
	 * as an observation, and send nothing the kernel would refuse.
	 */
	observe = d->dry_run || !ev->gated;
	if (!prev || prev->verdict != dec.verdict) {
		ret = agent_audit_decision(d->au, ev, v, &dec, d->dry_run);
		if (ret)
			return agent_decider_unaudited(d, ev, attempt, verdict,
						       observe, ret);
		journaled = d->au->journal;
	}
	ret = agent_decided_add(d, ev->name, ev->generation, attempt,
				dec.verdict, false);
	if (ret)
		return ret;
	/* under systemd the journal's record is the log line: one, not two */
	if (!journaled || !agent_log_to_journal())
		agent_notice("%s generation %u: %s by %s%s", ev->name,
			     ev->generation, verdict, reason,
			     d->dry_run ? " (dry run)" :
			     !ev->gated ? " (not gated: observed only)" : "");
	if (observe)
		return 0;
	return agent_decider_send(d, ev, dec.verdict == AGENT_ALLOW, reason);
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
 * negative errno: the audit failed (the device was denied) or the kernel
 * refused the verdict (a stale generation: a newer attempt follows).
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
