// SPDX-License-Identifier: GPL-2.0
/*
 * Policy evaluation: rules in file order, the first whose every condition
 * holds decides; when none does, the default decides. A condition holds
 * when any of its values matches. Conditions on the certificate chain only
 * match facts the agent established itself (struct agent_validation), never
 * what the device merely claims.
 */
#include <fnmatch.h>
#include <string.h>

#include "agent.h"

static bool agent_match_num(const struct agent_value *v, uint32_t x)
{
	return (x & v->mask) == (v->num & v->mask);
}

static bool agent_match_bytes(const struct agent_value *v, const uint8_t *b,
			      size_t len)
{
	return v->len == len && !memcmp(v->bytes, b, len);
}

static bool agent_match_pattern(const struct agent_value *v, const char *s)
{
	return s[0] && !fnmatch(v->str, s, 0);
}

static bool agent_value_matches(const struct agent_cond *c,
				const struct agent_value *v,
				const struct agent_evidence *ev,
				const struct agent_validation *val)
{
	const struct agent_pci_ids *ids = &ev->ids;
	const uint8_t *meas;
	size_t meas_len;

	switch (c->attr) {
	case AGENT_ATTR_VENDOR:
		return agent_match_num(v, ids->vendor);
	case AGENT_ATTR_DEVICE:
		return agent_match_num(v, ids->device);
	case AGENT_ATTR_ID:
		return agent_match_num(v, (uint32_t)ids->vendor << 16 |
					  ids->device);
	case AGENT_ATTR_SUBSYSTEM:
		return agent_match_num(v, (uint32_t)ids->subsys_vendor << 16 |
					  ids->subsys_device);
	case AGENT_ATTR_CLASS:
		return agent_match_num(v, ids->class);
	case AGENT_ATTR_ADDRESS:
		return agent_match_pattern(v, ev->name);
	case AGENT_ATTR_STATE:
		return v->num == (uint32_t)ev->state;
	case AGENT_ATTR_VERIFIED:
		return v->num == (uint32_t)val->verified;
	case AGENT_ATTR_ANCHOR:
		/* only a chain the agent verified has an anchor */
		return val->anchor[0] && !strcmp(v->str, val->anchor);
	case AGENT_ATTR_LEAF_FP:
		return val->have_leaf_fp &&
		       agent_match_bytes(v, val->leaf_fp, AGENT_SHA256_LEN);
	case AGENT_ATTR_ROOT_FP:
		return val->have_root_fp &&
		       agent_match_bytes(v, val->root_fp, AGENT_SHA256_LEN);
	case AGENT_ATTR_SUBJECT:
		return agent_match_pattern(v, val->subject);
	case AGENT_ATTR_ISSUER:
		return agent_match_pattern(v, val->issuer);
	case AGENT_ATTR_CMA_IDENTITY:
		return v->num == (uint32_t)val->identity;
	case AGENT_ATTR_REVOKED:
		return v->num == (uint32_t)val->revoked;
	case AGENT_ATTR_REFERENCE_VALUES:
		return v->num == (uint32_t)val->refval;
	case AGENT_ATTR_MIN_VERSION:
		return ev->state == AGENT_AUTH_AUTHENTICATED &&
		       ev->version >= v->num;
	case AGENT_ATTR_MIN_STRENGTH:
		return ev->state == AGENT_AUTH_AUTHENTICATED &&
		       agent_algo_strength(ev->base_asym_alg,
					   ev->base_hash_alg) >= v->num;
	case AGENT_ATTR_MEASUREMENT:
		/* measurements count only when their signature verified */
		if (!val->verified || val->meas_result ||
		    agent_evidence_measurement_find(ev, c->index, &meas,
						    &meas_len))
			return false;
		return agent_match_bytes(v, meas, meas_len);
	}
	return false;
}

/** agent_rule_matches() - whether every condition of @rule holds */
bool agent_rule_matches(const struct agent_rule *rule,
			const struct agent_evidence *ev,
			const struct agent_validation *val)
{
	for (size_t i = 0; i < rule->nconds; i++) {
		const struct agent_cond *c = &rule->conds[i];
		bool any = false;

		for (size_t j = 0; j < c->nvalues && !any; j++)
			any = agent_value_matches(c, &c->values[j], ev, val);
		if (!any)
			return false;
	}
	return true;
}

/**
 * agent_policy_uses() - whether any rule has a condition on an attribute
 * @pol: the policy
 * @attr: the attribute
 *
 * Return: true when some rule reads @attr.
 */
bool agent_policy_uses(const struct agent_policy *pol, enum agent_attr attr)
{
	for (size_t r = 0; r < pol->nrules; r++)
		for (size_t c = 0; c < pol->rules[r].nconds; c++)
			if (pol->rules[r].conds[c].attr == attr)
				return true;
	return false;
}

/**
 * agent_policy_decide() - apply the policy to one device
 * @pol: the policy in force
 * @ev: the device's evidence
 * @val: the agent's own validation of @ev
 * @out: the verdict and the rule that gave it (NULL rule: the default)
 */
void agent_policy_decide(const struct agent_policy *pol,
			 const struct agent_evidence *ev,
			 const struct agent_validation *val,
			 struct agent_decision *out)
{
	for (size_t i = 0; i < pol->nrules; i++) {
		if (agent_rule_matches(&pol->rules[i], ev, val)) {
			out->verdict = pol->rules[i].verdict;
			out->rule = &pol->rules[i];
			return;
		}
	}
	out->verdict = pol->def;
	out->rule = NULL;
}
