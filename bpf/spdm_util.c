// SPDX-License-Identifier: GPL-2.0
/* User-space helpers shared by spdmsnoop, spdmlat and spdmstat. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "spdm_util.h"

const char *spdm_msg_str(const char *name, __u8 code, char *buf, size_t sz)
{
	if (name)
		return name;
	snprintf(buf, sz, "0x%02x", code);
	return buf;
}

const char *spdm_version_str(__u8 version, char *buf, size_t sz)
{
	/* DSP0274 1.3.0 §9: major version in bits 7:4, minor in 3:0 */
	if (!version)
		return "-";
	snprintf(buf, sz, "%u.%u", version >> 4, version & 0xf);
	return buf;
}

/*
 * The key's 16-bit domain field holds VMD's domains 0x10000 and up as
 * 0x8000 + (domain - 0x10000) (spdm_cma's pci_cma_dev_key()).
 */
#define KEY_VMD_BIT	0x8000u
#define KEY_VMD_FIRST	0x10000u
#define KEY_VMD_LAST	(KEY_VMD_FIRST + 0x7ffe)

const char *spdm_key_str(__u32 key, char *buf, size_t sz)
{
	unsigned int domain = key >> 16;

	if (domain & KEY_VMD_BIT)
		domain = KEY_VMD_FIRST + (domain & ~KEY_VMD_BIT);
	snprintf(buf, sz, "%04x:%02x:%02x.%x", domain, (key >> 8) & 0xff,
		 (key >> 3) & 0x1f, key & 0x7);
	return buf;
}

int spdm_parse_bdf(const char *s, __u32 *key)
{
	unsigned int domain = 0, bus, dev, fn;
	char tail;

	if (sscanf(s, "%x:%x:%x.%x%c", &domain, &bus, &dev, &fn, &tail) != 4) {
		domain = 0;
		if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (domain >= KEY_VMD_FIRST && domain <= KEY_VMD_LAST)
		domain = KEY_VMD_BIT | (domain - KEY_VMD_FIRST);
	else if (domain >= KEY_VMD_BIT)
		return -EINVAL;
	if (bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	*key = domain << 16 | bus << 8 | dev << 3 | fn;
	return 0;
}

static long spdm_parse_positive(const char *arg, struct argp_state *state, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0 || v > INT_MAX)
		argp_error(state, "invalid %s: %s", what, arg);
	return v;
}

void spdm_parse_interval(const char *arg, struct argp_state *state, long *interval, long *count)
{
	if (state->arg_num == 0)
		*interval = spdm_parse_positive(arg, state, "interval");
	else if (state->arg_num == 1)
		*count = spdm_parse_positive(arg, state, "count");
	else
		argp_usage(state);
}

int spdm_parse_opt(int key, char *arg, struct argp_state *state, struct spdm_opts *opts)
{
	switch (key) {
	case 'd':
		if (spdm_parse_bdf(arg, &opts->key))
			argp_error(state, "not a PCI address: %s", arg);
		opts->filter_key = true;
		break;
	case 'T':
		opts->classic = true;
		break;
	case 'v':
		opts->verbose = true;
		break;
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Are the spdm tracepoints there (module loaded)? */
static bool spdm_tracepoints_present(void)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/events/spdm/spdm_exchange",
		"/sys/kernel/debug/tracing/events/spdm/spdm_exchange",
		"/sys/kernel/btf/spdm_cma",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (!access(paths[i], F_OK))
			return true;
	return false;
}

/*
 * Keep only the programs of one kind for loading and attaching: the
 * "tp_btf/" sections when @btf, the "tracepoint/" sections otherwise.
 */
static void spdm_select_progs(struct bpf_object *obj, bool btf)
{
	const char *want = btf ? "tp_btf/" : "tracepoint/";
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strncmp(bpf_program__section_name(prog),
							 want, strlen(want)));
}

static bool spdm_verbose;
volatile sig_atomic_t spdm_exiting;

static int spdm_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !spdm_verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* Print libbpf's debug output only when @verbose. */
static void spdm_libbpf_verbose(bool verbose)
{
	spdm_verbose = verbose;
	libbpf_set_print(spdm_libbpf_print);
}

static void spdm_sig_handler(int sig)
{
	spdm_exiting = 1;
}

/* Load and attach one kind of program; the tool's object, NULL on failure. */
static void *spdm_tool_start(const struct spdm_tool *tool, bool btf)
{
	struct bpf_object_skeleton *skel;
	void *obj;
	int err;

	obj = tool->open(&skel);
	if (!obj)
		return NULL;
	spdm_select_progs(*skel->obj, btf);
	err = bpf_object__load_skeleton(skel);
	if (!err)
		err = bpf_object__attach_skeleton(skel);
	if (err) {
		tool->destroy(obj);
		return NULL;
	}
	return obj;
}

void *spdm_tool_attach(const struct spdm_tool *tool, const struct spdm_opts *opts, bool *btf)
{
	void *obj = NULL;

	spdm_libbpf_verbose(opts->verbose);
	*btf = false;
	if (!spdm_tracepoints_present()) {
		fprintf(stderr, "%s: no spdm tracepoints: load the spdm module first (spdm_cma.ko)\n",
			tool->name);
		return NULL;
	}
	if (!opts->classic) {
		obj = spdm_tool_start(tool, true);
		*btf = obj;
		if (!obj && opts->verbose)
			fprintf(stderr, "%s: tp_btf failed, using the %s\n", tool->name,
				tool->classic);
	}
	if (!obj)
		obj = spdm_tool_start(tool, false);
	if (!obj) {
		fprintf(stderr, "%s: cannot attach to %s (-v says why)\n", tool->name,
			tool->target);
		return NULL;
	}
	if (signal(SIGINT, spdm_sig_handler) == SIG_ERR ||
	    signal(SIGTERM, spdm_sig_handler) == SIG_ERR) {
		fprintf(stderr, "%s: signal: %s\n", tool->name, strerror(errno));
		tool->destroy(obj);
		return NULL;
	}
	return obj;
}

int spdm_print_intervals(long interval, long count, bool timestamp, const char *time_sep,
			 int (*print)(void *obj), void *obj)
{
	int err = 0;

	while (count) {
		/* sleep() returns early on a signal: print what we have, then exit. */
		sleep(interval);
		if (timestamp) {
			char ts[32];
			time_t t = time(NULL);

			strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
			printf("%s%-8s\n", time_sep, ts);
		}
		err = print(obj);
		if (err || spdm_exiting)
			break;
		if (count > 0)
			count--;
	}
	return err;
}

static void spdm_print_stars(FILE *f, __u32 val, __u32 max, int width)
{
	int n = max ? (int)((__u64)val * width / max) : 0;
	int i;

	for (i = 0; i < width; i++)
		fputc(i < n ? '*' : ' ', f);
}

void spdm_print_log2_hist(FILE *f, const __u32 *slots, int nslots, const char *unit)
{
	int last = -1, i;
	__u32 max = 0;

	for (i = 0; i < nslots; i++) {
		if (!slots[i])
			continue;
		last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (last < 0)
		return;
	fprintf(f, "%*s%-*s : count    distribution\n", 5, "", 19, unit);
	for (i = 0; i <= last; i++) {
		unsigned long long low = i ? 1ULL << i : 0;
		unsigned long long high = (1ULL << (i + 1)) - 1;

		fprintf(f, "%10llu -> %-10llu : %-8u |", low, high, slots[i]);
		spdm_print_stars(f, slots[i], max, 40);
		fprintf(f, "|\n");
	}
}
