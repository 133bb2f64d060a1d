// SPDX-License-Identifier: GPL-2.0
/*
 * spdmstat: counts of SPDM authentications by device, result, negotiated
 * version and algorithms, and of driver-binding verdicts by source.
 */
#include <argp.h>
#include <stdio.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/spdm.h>

#include "spdm_util.h"
#include "spdmstat.h"
#include "spdmstat.skel.h"

static struct spdmstat_env {
	struct spdm_opts opts;
	bool timestamp;
	long interval;
	long count;
} env = {
	.interval = 99999999,
	.count = -1,
};

const char *argp_program_version = "spdmstat " PACKAGE_VERSION;
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
	switch (key) {
	case 't':
		env.timestamp = true;
		break;
	case ARGP_KEY_ARG:
		spdm_parse_interval(arg, state, &env.interval, &env.count);
		break;
	default:
		return spdm_parse_opt(key, arg, state, &env.opts);
	}
	return 0;
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
		char dev[16], ver[8], res[24], asym[SPDM_ALG_NAME_MAX], hash[SPDM_ALG_NAME_MAX];

		snprintf(res, sizeof(res), "%d %s", keys[i].result,
			 spdm_errno_name(keys[i].result));
		spdm_asym_names(keys[i].asym_alg, asym, sizeof(asym));
		spdm_hash_names(keys[i].hash_alg, hash, sizeof(hash));
		printf("%-13s %-20s %-7s %-13s %-8s %8llu\n",
		       spdm_key_str(keys[i].key, dev, sizeof(dev)), res,
		       spdm_version_str(keys[i].version, ver, sizeof(ver)), asym, hash,
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

static int spdmstat_print(void *arg)
{
	struct spdmstat_bpf *obj = arg;

	print_auths(bpf_map__fd(obj->maps.auths));
	printf("\n");
	print_verdicts(bpf_map__fd(obj->maps.verdicts));
	printf("\n");
	fflush(stdout);
	return 0;
}

static void *spdmstat_open(struct bpf_object_skeleton **skel)
{
	struct spdmstat_bpf *obj = spdmstat_bpf__open();

	if (obj) {
		obj->rodata->filter_key = env.opts.filter_key;
		obj->rodata->targ_key = env.opts.key;
		*skel = obj->skeleton;
	}
	return obj;
}

static void spdmstat_destroy(void *obj)
{
	spdmstat_bpf__destroy(obj);
}

static const struct spdm_tool spdmstat_tool = {
	.name = "spdmstat",
	.target = "the spdm tracepoints",
	.classic = "classic tracepoints",
	.open = spdmstat_open,
	.destroy = spdmstat_destroy,
};

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = doc };
	struct spdmstat_bpf *obj;
	bool btf;
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return err;
	obj = spdm_tool_attach(&spdmstat_tool, &env.opts, &btf);
	if (!obj)
		return 1;

	fprintf(stderr, "Counting SPDM authentications and verdicts (%s)... Hit Ctrl-C to end.\n",
		btf ? "tp_btf" : "tracepoint");
	err = spdm_print_intervals(env.interval, env.count, env.timestamp, "", spdmstat_print, obj);
	spdmstat_bpf__destroy(obj);
	return err != 0;
}
