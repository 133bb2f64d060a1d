// SPDX-License-Identifier: GPL-2.0
/*
 * What a decision is made with: the policy, the trust store it names (or
 * the one given instead) and a validator configured by the policy's
 * statements, loaded all or nothing. The daemon loads them at start and on
 * SIGHUP; `spdmctl verify` loads them the same way, so an offline appraisal
 * is the daemon's.
 */
#include <errno.h>
#include <stdlib.h>

#include "agent.h"

#define AGENT_CACHE_SLOTS	1024

/** agent_rules_free() - release a set loaded by agent_rules_load() */
void agent_rules_free(struct agent_rules *r)
{
	if (!r)
		return;
	agent_validator_free(r->val);
	agent_trust_free(r->trust);
	agent_policy_free(r->pol);
	free(r);
}

static void agent_rules_warn(const char *msg, void *ctx)
{
	(void)ctx;
	agent_warning("%s", msg);
}

/**
 * agent_rules_load() - policy, trust store and validator, all or nothing
 * @policy: the policy file
 * @trust_store: trust anchors overriding the policy's trust-store, or NULL
 * @out: the loaded set
 * @err: "file:line:col: message" or the trust store's error
 * @errlen: size of @err
 *
 * The policy's warnings (agent_policy_check()) go to the log.
 *
 * Return: 0 or a negative errno.
 */
int agent_rules_load(const char *policy, const char *trust_store,
		     struct agent_rules **out, char *err, size_t errlen)
{
	struct agent_rules *r = calloc(1, sizeof(*r));
	const char *dir;
	int ret;

	if (!r)
		return -ENOMEM;
	ret = agent_policy_load(policy, &r->pol, err, errlen);
	if (ret)
		goto out_free;
	agent_policy_check(r->pol, agent_rules_warn, NULL);
	dir = trust_store ? trust_store : r->pol->trust_store;
	if (!dir)
		agent_warning("%s has no trust-store: no chain can verify",
			      policy);
	ret = agent_trust_load(dir, &r->trust, err, errlen);
	if (ret)
		goto out_free;
	ret = agent_validator_new(r->trust, r->pol->time, AGENT_CACHE_SLOTS,
				  &r->val);
	if (ret)
		goto out_free;
	agent_validator_set_revocation(r->val, r->pol->revocation);
	agent_validator_check_measurements(r->val,
		agent_policy_uses(r->pol, AGENT_ATTR_MEASUREMENT));
	*out = r;
	return 0;

out_free:
	agent_rules_free(r);
	return ret;
}
