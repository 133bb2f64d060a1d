// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-agent: decides, for each PCIe device the kernel authenticated over
 * SPDM, whether it may bind to its driver, and audits every decision.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

static void agent_usage(FILE *f)
{
	fprintf(f,
		"usage: spdm-agent --check-policy FILE\n"
		"\n"
		"  --check-policy FILE   parse FILE, its includes and its trust store;\n"
		"                        print a summary, or the first error as\n"
		"                        file:line:col: message; exit 0 or 1\n"
		"  -h, --help            this text\n");
}

/**
 * agent_check_policy() - validate a policy file and its trust store
 * @path: the policy file
 *
 * Return: 0 when both load, 1 otherwise (the error is printed).
 */
static int agent_check_policy(const char *path)
{
	struct agent_policy *pol;
	struct agent_trust *trust = NULL;
	char err[AGENT_ERR_LEN];
	static const char *const times[] = { "ignore", "warn", "enforce" };

	if (agent_policy_load(path, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (pol->trust_store &&
	    agent_trust_load(pol->trust_store, &trust, err, sizeof(err))) {
		fprintf(stderr, "%s: trust store: %s\n", path, err);
		agent_policy_free(pol);
		return 1;
	}
	printf("%s: %zu rule%s from %zu file%s, default %s (%s:%u), time-check %s",
	       path, pol->nrules, pol->nrules == 1 ? "" : "s", pol->nfiles,
	       pol->nfiles == 1 ? "" : "s",
	       pol->def == AGENT_ALLOW ? "allow" : "deny", pol->def_file,
	       pol->def_line, times[pol->time]);
	if (trust)
		printf(", %zu trust anchor%s in %s", trust->nanchors,
		       trust->nanchors == 1 ? "" : "s", trust->dir);
	printf("\n");
	agent_trust_free(trust);
	agent_policy_free(pol);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check-policy", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *check = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = optarg;
			break;
		case 'h':
			agent_usage(stdout);
			return 0;
		default:
			agent_usage(stderr);
			return 2;
		}
	}
	if (!check || optind != argc) {
		agent_usage(stderr);
		return 2;
	}
	return agent_check_policy(check);
}
