// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-agent: decides, for each PCIe device the kernel authenticated over
 * SPDM, whether it may bind to its driver, and audits every decision.
 */
#include <unistd.h>

#include "agent.h"

static void agent_print_warning(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

/**
 * agent_check_policy() - validate a policy file and its trust store
 * @path: the policy file
 *
 * Warnings (rules that admit devices without proof) are printed as
 * file:line:col: warning: ... and do not change the exit status.
 *
 * Return: 0 when both load, 1 otherwise (the error is printed).
 */
static int agent_check_policy(const char *path)
{
	struct agent_policy *pol;
	struct agent_trust *trust = NULL;
	char err[AGENT_ERR_LEN];
	static const char *const times[] = { "ignore", "warn", "enforce" };
	size_t warnings;

	if (agent_policy_load(path, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	warnings = agent_policy_check(pol, agent_print_warning, NULL);
	if (agent_trust_load(pol->trust_store, &trust, err, sizeof(err))) {
		fprintf(stderr, "%s: trust store: %s\n", path, err);
		agent_policy_free(pol);
		return 1;
	}
	printf("%s: %zu rule%s from %zu file%s, default %s (%s:%u), time-check %s",
	       path, pol->nrules, pol->nrules == 1 ? "" : "s", pol->nfiles,
	       pol->nfiles == 1 ? "" : "s",
	       pol->def == AGENT_ALLOW ? "allow" : "deny", pol->def_file,
	       pol->def_line, times[pol->time]);
	printf(", revocation %s", times[pol->revocation]);
	printf(", %zu trust anchor%s and %zu CRL%s in %s", trust->nanchors,
	       trust->nanchors == 1 ? "" : "s", trust->ncrls,
	       trust->ncrls == 1 ? "" : "s", trust->dir);
	printf(", %zu warning%s\n", warnings, warnings == 1 ? "" : "s");
	agent_trust_free(trust);
	agent_policy_free(pol);
	return 0;
}

int main(int argc, char **argv)
{
	struct agent_options o;
	int ret;

	/* usage errors go to the journal too when systemd starts us */
	agent_log_open("spdm-agent", STDERR_FILENO, AGENT_LOG_DEFAULT);
	ret = agent_options_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? 2 : 0;
	if (o.check)
		return agent_check_policy(o.check);
	agent_log_open("spdm-agent", STDERR_FILENO, o.log_level);
	return agent_daemon_run(&o.cfg);
}
