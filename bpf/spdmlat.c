// SPDX-License-Identifier: GPL-2.0
/*
 * spdmlat: log2 latency histograms of SPDM exchanges per device and request
 * code, and of whole authentications per device, printed every interval and
 * then cleared.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "spdm_util.h"
#include "spdmlat.h"
#include "spdmlat.skel.h"

static struct spdmlat_env {
	struct spdm_opts opts;
	bool filter_req;
	__u8 req;
	bool auth_only;
	bool milliseconds;
	bool timestamp;
	long interval;
	long count;
} env = {
	.interval = 99999999,
	.count = -1,
};

const char *argp_program_version = "spdmlat " PACKAGE_VERSION;
static const char doc[] =
"Summarize SPDM exchange and authentication latency as histograms.\n"
"\n"
"USAGE: spdmlat [-d BDF] [-m MESSAGE] [-a] [-M] [-t] [-T] [-v] [interval] [count]\n"
"\n"
"EXAMPLES:\n"
"    spdmlat                 # histograms until Ctrl-C\n"
"    spdmlat 1 10            # print every second, 10 times\n"
"    spdmlat -d 01:00.0 5    # one device, every 5 seconds\n"
"    spdmlat -m GET_CERTIFICATE  # only that request\n"
"    spdmlat -a -M           # whole authentications only, in milliseconds\n";

static const struct argp_option opts[] = {
	{ "device", 'd', "BDF", 0, "Only this PCI function (0000:01:00.0 or 01:00.0)" },
	{ "message", 'm', "MESSAGE", 0,
	  "Only this request (no authentication histograms): name or code" },
	{ "auth", 'a', NULL, 0, "Only whole authentications" },
	{ "milliseconds", 'M', NULL, 0, "Histograms in milliseconds" },
	{ "timestamp", 't', NULL, 0, "Print a timestamp before each interval" },
	{ "classic", 'T', NULL, 0, "Use the classic tracepoints even where tp_btf works" },
	{ "verbose", 'v', NULL, 0, "Print libbpf debug output" },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help" },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'm':
		if (spdm_parse_message(arg, &env.req))
			argp_error(state, "not an SPDM request: %s", arg);
		env.filter_req = true;
		break;
	case 'a':
		env.auth_only = true;
		break;
	case 'M':
		env.milliseconds = true;
		break;
	case 't':
		env.timestamp = true;
		break;
	case ARGP_KEY_ARG:
		spdm_parse_interval(arg, state, &env.interval, &env.count);
		break;
	case ARGP_KEY_END:
		if (env.auth_only && env.filter_req)
			argp_error(state, "-a and -m exclude each other");
		break;
	default:
		return spdm_parse_opt(key, arg, state, &env.opts);
	}
	return 0;
}

struct spdmlat_entry {
	struct spdmlat_key k;
	struct spdmlat_hist h;
};

/* By device, then whole authentications first, then by request code. */
static int entry_cmp(const void *a, const void *b)
{
	const struct spdmlat_key *x = &((const struct spdmlat_entry *)a)->k;
	const struct spdmlat_key *y = &((const struct spdmlat_entry *)b)->k;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (int)x->req_code - (int)y->req_code;
}

/* Print every histogram, then delete it, so each interval starts empty. */
static int print_hists(int fd)
{
	static struct spdmlat_entry entries[SPDMLAT_MAX_HISTS];
	struct spdmlat_key next, *prev = NULL;
	const char *unit = env.milliseconds ? "msecs" : "usecs";
	size_t n = 0, i;
	int err;

	while (n < SPDMLAT_MAX_HISTS && !bpf_map_get_next_key(fd, prev, &next)) {
		entries[n].k = next;
		prev = &entries[n].k;
		n++;
	}
	for (i = 0; i < n; i++) {
		err = bpf_map_lookup_elem(fd, &entries[i].k, &entries[i].h);
		if (err) {
			fprintf(stderr, "spdmlat: reading a histogram: %s\n", strerror(errno));
			return -errno;
		}
	}
	qsort(entries, n, sizeof(entries[0]), entry_cmp);
	for (i = 0; i < n; i++) {
		const struct spdmlat_key *k = &entries[i].k;
		char dev[16], code[8];

		spdm_key_str(k->key, dev, sizeof(dev));
		if (k->req_code == SPDMLAT_AUTH)
			printf("\ndevice %s, authentication\n", dev);
		else
			printf("\ndevice %s, %s\n", dev,
			       spdm_msg_str(spdm_req_name(k->req_code), k->req_code, code,
					    sizeof(code)));
		spdm_print_log2_hist(stdout, entries[i].h.slots, SPDMLAT_MAX_SLOTS, unit);
	}
	for (i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &entries[i].k);
	fflush(stdout);
	return 0;
}

static int spdmlat_print(void *obj)
{
	return print_hists(bpf_map__fd(((struct spdmlat_bpf *)obj)->maps.hists));
}

static void *spdmlat_open(struct bpf_object_skeleton **skel)
{
	struct spdmlat_bpf *obj = spdmlat_bpf__open();

	if (obj) {
		obj->rodata->filter_key = env.opts.filter_key;
		obj->rodata->targ_key = env.opts.key;
		obj->rodata->filter_req = env.filter_req;
		obj->rodata->targ_req = env.req;
		obj->rodata->auth_only = env.auth_only;
		obj->rodata->milliseconds = env.milliseconds;
		*skel = obj->skeleton;
	}
	return obj;
}

static void spdmlat_destroy(void *obj)
{
	spdmlat_bpf__destroy(obj);
}

static const struct spdm_tool spdmlat_tool = {
	.name = "spdmlat",
	.target = "the spdm tracepoints",
	.classic = "classic tracepoints",
	.open = spdmlat_open,
	.destroy = spdmlat_destroy,
};

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = doc };
	struct spdmlat_bpf *obj;
	bool btf;
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return err;
	obj = spdm_tool_attach(&spdmlat_tool, &env.opts, &btf);
	if (!obj)
		return 1;

	fprintf(stderr, "Tracing SPDM latency (%s)... Hit Ctrl-C to end.\n",
		btf ? "tp_btf" : "tracepoint");
	err = spdm_print_intervals(env.interval, env.count, env.timestamp, "\n", spdmlat_print,
				   obj);
	spdmlat_bpf__destroy(obj);
	return err != 0;
}
