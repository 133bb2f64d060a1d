// SPDX-License-Identifier: GPL-2.0
/*
 * Policy warnings: what parses but lets a device in without proof.
 *
 * A device chooses everything it reports about itself (IDs, class, whether
 * it has a CMA mailbox at all), and anyone can copy a genuine device's
 * certificate chain. Only a signature made with the leaf's key proves the
 * device is the one the chain names: the agent's own check ('verified yes',
 * which 'measurement' implies) or the kernel's ('state authenticated').
 * Warnings never fail a load: a site may allow unproven devices on purpose,
 * but should say so knowingly.
 */
#include <stdio.h>

#include "agent.h"

#define AGENT_WARN_NO_PROOF \
	"this allow rule matches devices that proved nothing " \
	"(no 'verified yes', 'anchor', fingerprint, 'measurement' or 'reference-values match' condition)"
#define AGENT_WARN_NO_KEY \
	"this allow rule trusts a certificate chain without proof that the " \
	"device holds its key (add 'verified yes' or 'state authenticated')"

/* What the conditions of one rule demand of a device. */
struct agent_rule_proof {
	bool identity;			/* anchor, fingerprint or verified yes */
	bool possession;		/* a signature checked: verified yes, measurement, state authenticated */
};

static bool agent_cond_only(const struct agent_cond *c, uint32_t num)
{
	for (size_t i = 0; i < c->nvalues; i++)
		if (c->values[i].num != num)
			return false;
	return c->nvalues;
}

static struct agent_rule_proof agent_rule_proof(const struct agent_rule *r)
{
	struct agent_rule_proof p = { 0 };

	for (size_t i = 0; i < r->nconds; i++) {
		const struct agent_cond *c = &r->conds[i];

		switch (c->attr) {
		case AGENT_ATTR_VERIFIED:
			if (agent_cond_only(c, 1))
				p.identity = p.possession = true;
			break;
		case AGENT_ATTR_MEASUREMENT:	/* matches verified devices only */
			p.identity = p.possession = true;
			break;
		case AGENT_ATTR_REFERENCE_VALUES:	/* match: verified only */
			if (agent_cond_only(c, AGENT_REFVAL_MATCH))
				p.identity = p.possession = true;
			break;
		case AGENT_ATTR_ANCHOR:
		case AGENT_ATTR_LEAF_FP:
		case AGENT_ATTR_ROOT_FP:
			p.identity = true;
			break;
		case AGENT_ATTR_STATE:
			if (agent_cond_only(c, AGENT_AUTH_AUTHENTICATED))
				p.possession = true;
			break;
		default:
			break;
		}
	}
	return p;
}

static void agent_policy_warn(agent_warn_fn fn, void *ctx, const char *file,
			      unsigned int line, unsigned int col,
			      const char *what)
{
	char msg[AGENT_ERR_LEN];

	snprintf(msg, sizeof(msg), "%s:%u:%u: warning: %s", file, line, col,
		 what);
	fn(msg, ctx);
}

/**
 * agent_policy_check() - warn about what lets devices in without proof
 * @pol: a policy that parsed
 * @fn: called with each warning, "file:line:col: warning: ..."
 * @ctx: passed to @fn
 *
 * Warns on 'default allow', on allow rules with no condition on proof at
 * all, and on allow rules that name a chain (anchor, fingerprint) without
 * asking for a signature made with its key.
 *
 * Return: the number of warnings.
 */
size_t agent_policy_check(const struct agent_policy *pol, agent_warn_fn fn,
			  void *ctx)
{
	size_t n = 0;

	if (pol->def == AGENT_ALLOW && pol->def_file) {
		agent_policy_warn(fn, ctx, pol->def_file, pol->def_line,
				  pol->def_col,
				  "'default allow' admits every device no rule denies, proof or not");
		n++;
	}
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct agent_rule *r = &pol->rules[i];
		struct agent_rule_proof p;

		if (r->verdict != AGENT_ALLOW)
			continue;
		p = agent_rule_proof(r);
		if (!p.identity)
			agent_policy_warn(fn, ctx, r->file, r->line, r->col,
					  AGENT_WARN_NO_PROOF);
		else if (!p.possession)
			agent_policy_warn(fn, ctx, r->file, r->line, r->col,
					  AGENT_WARN_NO_KEY);
		else
			continue;
		n++;
	}
	return n;
}
