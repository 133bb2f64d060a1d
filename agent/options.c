// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-agent's command line: options into a configuration, a log level and
 * the file --check-policy names. Apart from main.c so the unit tests can
 * parse the command lines administrators type.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "agent.h"

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
		"  -v, --verbose           log more: info, then debug (repeatable)\n"
		"  -q, --quiet             log less: warnings, then errors only (repeatable)\n"
		"      --check-policy FILE parse FILE, its includes and its trust store;\n"
		"                          print a summary or the first error as\n"
		"                          file:line:col: message; exit 0 or 1;\n"
		"                          warn about rules admitting unproven devices\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this text\n");
}

/**
 * agent_options_parse() - spdm-agent's command line
 * @argc: argument count
 * @argv: arguments, argv[0] the program
 * @o: the configuration, log level and --check-policy file
 *
 * Errors are reported on standard error, --help and --version on standard
 * output.
 *
 * Return: 0 to run, 1 when --help or --version was answered, -EINVAL on a
 * usage error.
 */
int agent_options_parse(int argc, char **argv, struct agent_options *o)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "trust-store", required_argument, NULL, 't' },
		{ "audit-log", required_argument, NULL, 'a' },
		{ "no-journal", no_argument, NULL, 'J' },
		{ "linux-audit", no_argument, NULL, 'L' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "workers", required_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check-policy", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	unsigned int verbose = 0, quiet = 0;
	char *end;
	long n;
	int c;

	*o = (struct agent_options) {
		.cfg = {
			.audit_log = AGENT_AUDIT_LOG, .journal = true,
			.workers = agent_workers_default(),
		},
		.log_level = AGENT_LOG_DEFAULT,
	};
	optind = 0;	/* glibc: start over, also when called again */
	while ((c = getopt_long(argc, argv, "p:t:a:nw:vqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->cfg.policy = optarg;
			break;
		case 't':
			o->cfg.trust_store = optarg;
			break;
		case 'a':
			o->cfg.audit_log = optarg;
			break;
		case 'J':
			o->cfg.journal = false;
			break;
		case 'L':
			o->cfg.linux_audit = true;
			break;
		case 'n':
			o->cfg.dry_run = true;
			break;
		case 'w':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > AGENT_MAX_WORKERS) {
				agent_err("--workers takes 1..%d",
					  AGENT_MAX_WORKERS);
				return -EINVAL;
			}
			o->cfg.workers = (unsigned int)n;
			break;
		case 'v':
			verbose++;
			break;
		case 'q':
			quiet++;
			break;
		case 'c':
			o->check = optarg;
			break;
		case 'h':
			agent_usage(stdout);
			return 1;
		case 'V':
			printf("spdm-agent %s\n", PACKAGE_VERSION);
			return 1;
		default:
			agent_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc || !o->check == !o->cfg.policy) {
		agent_usage(stderr);
		return -EINVAL;
	}
	o->log_level = agent_log_level_from(verbose, quiet);
	return 0;
}
