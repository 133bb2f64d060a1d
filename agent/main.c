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

#define AGENT_AUDIT_LOG	"/var/log/spdm-agent/audit.jsonl"

static void agent_usage(FILE *f)
{
	fprintf(f,
		"usage: spdm-agent --policy FILE [options]\n"
		"       spdm-agent --check-policy FILE\n"
		"\n"
		"  -p, --policy FILE       policy to enforce (spdm-policy(5))\n"
		"  -t, --trust-store DIR   trust anchors, overriding the policy's trust-store\n"
		"  -a, --audit-log FILE    JSON lines audit file (default " AGENT_AUDIT_LOG ")\n"
		"      --no-journal        do not log decisions to the systemd journal\n"
		"      --linux-audit       also log to the Linux audit subsystem\n"
		"  -n, --dry-run           decide and audit, but send no verdicts\n"
		"  -w, --workers N         threads verifying evidence (default: online CPUs)\n"
		"      --check-policy FILE parse FILE, its includes and its trust store;\n"
		"                          print a summary or the first error as\n"
		"                          file:line:col: message; exit 0 or 1;\n"
		"                          warn about rules admitting unproven devices\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this text\n");
}

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
	struct agent_refvals *rv = NULL;
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
	if (pol->refval_dir &&
	    agent_refvals_load(pol->refval_dir, pol->refval_anchors, &rv, err,
			       sizeof(err))) {
		fprintf(stderr, "%s: reference values: %s\n", path, err);
		agent_trust_free(trust);
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
	if (rv)
		printf(", %zu reference digest%s in %zu manifest%s (%zu anchor%s)",
		       agent_refvals_count(rv),
		       agent_refvals_count(rv) == 1 ? "" : "s", rv->nrims,
		       rv->nrims == 1 ? "" : "s", rv->nsigners,
		       rv->nsigners == 1 ? "" : "s");
	printf(", %zu warning%s\n", warnings, warnings == 1 ? "" : "s");
	agent_refvals_free(rv);
	agent_trust_free(trust);
	agent_policy_free(pol);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "trust-store", required_argument, NULL, 't' },
		{ "audit-log", required_argument, NULL, 'a' },
		{ "no-journal", no_argument, NULL, 'J' },
		{ "linux-audit", no_argument, NULL, 'L' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "workers", required_argument, NULL, 'w' },
		{ "check-policy", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct agent_config cfg = {
		.audit_log = AGENT_AUDIT_LOG, .journal = true,
		.workers = agent_workers_default(),
	};
	char *end;
	long n;
	const char *check = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "p:t:a:nw:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cfg.policy = optarg;
			break;
		case 't':
			cfg.trust_store = optarg;
			break;
		case 'a':
			cfg.audit_log = optarg;
			break;
		case 'J':
			cfg.journal = false;
			break;
		case 'L':
			cfg.linux_audit = true;
			break;
		case 'n':
			cfg.dry_run = true;
			break;
		case 'w':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > AGENT_MAX_WORKERS) {
				fprintf(stderr, "spdm-agent: --workers takes 1..%d\n",
					AGENT_MAX_WORKERS);
				return 2;
			}
			cfg.workers = (unsigned int)n;
			break;
		case 'c':
			check = optarg;
			break;
		case 'h':
			agent_usage(stdout);
			return 0;
		case 'V':
			printf("spdm-agent %s\n", PACKAGE_VERSION);
			return 0;
		default:
			agent_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !check == !cfg.policy) {
		agent_usage(stderr);
		return 2;
	}
	if (check)
		return agent_check_policy(check);
	setvbuf(stderr, NULL, _IOLBF, 0);
	return agent_daemon_run(&cfg);
}
