// SPDX-License-Identifier: GPL-2.0
/*
 * spdmstat: counts of SPDM authentications by device, result, negotiated
 * version and algorithms, and of driver-binding verdicts by source.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/spdm.h>

#include "spdm_util.h"
#include "spdmstat.h"
#include "spdmstat.skel.h"

static struct spdmstat_env {
	bool filter_key;
	__u32 key;
	bool timestamp;
	bool classic;
	bool verbose;
	long interval;
	long count;
} env = {
	.interval = 99999999,
	.count = -1,
};

static volatile sig_atomic_t exiting;

const char *argp_program_version = "spdmstat 1.0";
static const char doc[] =
"Count SPDM authentications by result, version and algorithms, and verdicts\n"
"by source.\n"
"\n"
"USAGE: spdmstat [-d BDF] [-t] [-T] [-v] [interval] [count]\n"
"\n"
"EXAMPLES:\n"
"    spdmstat                # count until Ctrl-C, then print\n"
"    spdmstat 10             # print (and reset) every 10 seconds\n"
"    spdmstat -d 01:00.0     # only this PCI function\n";

static const struct argp_option opts[] = {
	{ "device", 'd', "BDF", 0, "Only this PCI function (0000:01:00.0 or 01:00.0)" },
	{ "timestamp", 't', NULL, 0, "Print a timestamp before each interval" },
	{ "classic", 'T', NULL, 0, "Use the classic tracepoints even where tp_btf works" },
	{ "verbose", 'v', NULL, 0, "Print libbpf debug output" },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help" },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	static int pos_args;

	switch (key) {
	case 'd':
		if (spdm_parse_bdf(arg, &env.key))
			argp_error(state, "not a PCI address: %s", arg);
		env.filter_key = true;
		break;
	case 't':
		env.timestamp = true;
		break;
	case 'T':
		env.classic = true;
		break;
	case 'v':
		env.verbose = true;
		break;
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		if (pos_args == 0)
			env.interval = spdm_parse_positive(arg, state, "interval");
		else if (pos_args == 1)
			env.count = spdm_parse_positive(arg, state, "count");
		else
			argp_usage(state);
		pos_args++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void sig_handler(int sig)
{
	exiting = 1;
}

static const char *const verdict_names[] = {
	[SPDM_VERDICT_NONE] = "none",
	[SPDM_VERDICT_ALLOW] = "allow",
	[SPDM_VERDICT_DENY] = "deny",
};

static const char *const source_names[] = {
	[SPDM_VERDICT_SOURCE_NONE] = "none",
	[SPDM_VERDICT_SOURCE_AGENT] = "agent",
	[SPDM_VERDICT_SOURCE_TIMEOUT] = "timeout",
	[SPDM_VERDICT_SOURCE_ADMIN] = "admin",
	[SPDM_VERDICT_SOURCE_BYPASS] = "bypass",
};

static const char *enum_name(const char *const *names, size_t n, __u32 v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/*
 * Read every entry of a counting map into @keys/@counts (at most @max) and
 * delete it, so the next interval starts at zero. Returns the number read.
 */
static size_t drain(int fd, void *keys, size_t key_sz, __u64 *counts, size_t max)
{
	char *k = keys;
	void *prev = NULL;
	size_t n = 0, i;

	while (n < max && !bpf_map_get_next_key(fd, prev, k + n * key_sz)) {
		prev = k + n * key_sz;
		n++;
	}
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, k + i * key_sz, &counts[i]))
			counts[i] = 0;
		bpf_map_delete_elem(fd, k + i * key_sz);
	}
	return n;
}

static void print_auths(int fd)
{
	static struct spdmstat_auth_key keys[SPDMSTAT_MAX_ENTRIES];
	static __u64 counts[SPDMSTAT_MAX_ENTRIES];
	size_t n = drain(fd, keys, sizeof(keys[0]), counts, SPDMSTAT_MAX_ENTRIES), i;

	printf("%-13s %-20s %-7s %-13s %-8s %8s\n", "DEVICE", "RESULT", "VERSION", "ASYM",
	       "HASH", "COUNT");
	for (i = 0; i < n; i++) {
		char dev[16], ver[8], res[24];

		snprintf(res, sizeof(res), "%d %s", keys[i].result,
			 spdm_errno_name(keys[i].result));
		printf("%-13s %-20s %-7s %-13s %-8s %8llu\n",
		       spdm_key_str(keys[i].key, dev, sizeof(dev)), res,
		       spdm_version_str(keys[i].version, ver, sizeof(ver)),
		       spdm_asym_name(keys[i].asym_alg), spdm_hash_name(keys[i].hash_alg),
		       (unsigned long long)counts[i]);
	}
}

static void print_verdicts(int fd)
{
	static struct spdmstat_verdict_key keys[SPDMSTAT_MAX_ENTRIES];
	static __u64 counts[SPDMSTAT_MAX_ENTRIES];
	size_t n = drain(fd, keys, sizeof(keys[0]), counts, SPDMSTAT_MAX_ENTRIES), i;

	printf("%-13s %-8s %-8s %8s\n", "DEVICE", "VERDICT", "SOURCE", "COUNT");
	for (i = 0; i < n; i++) {
		char dev[16];

		printf("%-13s %-8s %-8s %8llu\n", spdm_key_str(keys[i].key, dev, sizeof(dev)),
		       enum_name(verdict_names, ARRAY_SIZE(verdict_names), keys[i].verdict),
		       enum_name(source_names, ARRAY_SIZE(source_names), keys[i].source),
		       (unsigned long long)counts[i]);
	}
}

static struct spdmstat_bpf *spdmstat_start(bool btf)
{
	struct spdmstat_bpf *obj;
	int err;

	obj = spdmstat_bpf__open();
	if (!obj)
		return NULL;
	obj->rodata->filter_key = env.filter_key;
	obj->rodata->targ_key = env.key;
	spdm_select_progs(obj->obj, btf);
	err = spdmstat_bpf__load(obj);
	if (!err)
		err = spdmstat_bpf__attach(obj);
	if (err) {
		spdmstat_bpf__destroy(obj);
		return NULL;
	}
	return obj;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = doc };
	struct spdmstat_bpf *obj = NULL;
	bool btf = false;
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return err;
	spdm_libbpf_verbose(env.verbose);

	if (!spdm_tracepoints_present()) {
		fprintf(stderr, "spdmstat: " SPDM_LOAD_FIRST "\n");
		return 1;
	}
	if (!env.classic) {
		obj = spdmstat_start(true);
		btf = obj;
		if (!obj && env.verbose)
			fprintf(stderr, "spdmstat: tp_btf failed, using the classic tracepoints\n");
	}
	if (!obj)
		obj = spdmstat_start(false);
	if (!obj) {
		fprintf(stderr, "spdmstat: cannot attach to the spdm tracepoints (-v says why)\n");
		return 1;
	}
	if (signal(SIGINT, sig_handler) == SIG_ERR || signal(SIGTERM, sig_handler) == SIG_ERR) {
		fprintf(stderr, "spdmstat: signal: %s\n", strerror(errno));
		err = 1;
		goto cleanup;
	}

	fprintf(stderr, "Counting SPDM authentications and verdicts (%s)... Hit Ctrl-C to end.\n",
		btf ? "tp_btf" : "tracepoint");
	while (env.count) {
		/* sleep() returns early on a signal: print what we have, then exit. */
		sleep(env.interval);
		if (env.timestamp) {
			char ts[32];
			time_t t = time(NULL);

			strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
			printf("%-8s\n", ts);
		}
		print_auths(bpf_map__fd(obj->maps.auths));
		printf("\n");
		print_verdicts(bpf_map__fd(obj->maps.verdicts));
		printf("\n");
		fflush(stdout);
		if (exiting)
			break;
		if (env.count > 0)
			env.count--;
	}

cleanup:
	spdmstat_bpf__destroy(obj);
	return err != 0;
}
