/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the spdm tools share in user space (beside libspdm-util): message
 * and version strings as printed, PCI device keys, the common options, attaching to
 * the tracepoints with the tp_btf-then-tracepoint fallback, the interval
 * loop and log2 histograms.
 */
#ifndef SPDM_UTIL_H
#define SPDM_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "spdm-util.h"

struct argp_state;
struct bpf_object_skeleton;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Message, algorithm and errno names are libspdm-util's (spdm-util.h):
 * spdm_req_name(), spdm_rsp_name(), spdm_parse_message(), spdm_asym_names(),
 * spdm_hash_names(), spdm_errno_name().
 */

/* A message name as printed: the name, or the code in hex when unknown. */
const char *spdm_msg_str(const char *name, __u8 code, char *buf, size_t sz);

/* "1.3" for 0x13, "-" for 0. */
const char *spdm_version_str(__u8 version, char *buf, size_t sz);

/* The device key (domain << 16 | bus << 8 | devfn, VMD folded) as a PCI address. */
const char *spdm_key_str(__u32 key, char *buf, size_t sz);
/* Parse "0000:01:00.0" or "01:00.0" into a device key. */
int spdm_parse_bdf(const char *s, __u32 *key);

/* The options every tool has. */
struct spdm_opts {
	bool filter_key;	/* -d BDF: only this device */
	__u32 key;
	bool classic;		/* -T: classic tracepoints even where tp_btf works */
	bool verbose;		/* -v: libbpf debug output */
};

/*
 * argp parser of the options every tool has (-d, -T, -v, -h), refusing
 * positional arguments; ARGP_ERR_UNKNOWN for other keys.
 */
int spdm_parse_opt(int key, char *arg, struct argp_state *state, struct spdm_opts *opts);
/* The positional [interval] [count], positive ints; argp_error() otherwise. */
void spdm_parse_interval(const char *arg, struct argp_state *state, long *interval, long *count);

/* Print one log2 histogram in the classic "usecs : count distribution" layout. */
void spdm_print_log2_hist(FILE *f, const __u32 *slots, int nslots, const char *unit);

/*
 * A tool's own skeleton, seen through callbacks: each tool's skeleton is a
 * type of its own, but opening, loading and attaching work the same way.
 */
struct spdm_tool {
	const char *name;	/* prefixes every message: "spdmsnoop" */
	const char *target;	/* what it attaches to: "spdm:spdm_exchange" */
	const char *classic;	/* "classic tracepoint" or "classic tracepoints" */
	/* Open the skeleton and set its read-only data; NULL on failure. */
	void *(*open)(struct bpf_object_skeleton **skel);
	void (*destroy)(void *obj);
};

/* Set by SIGINT and SIGTERM once spdm_tool_attach() returned. */
extern volatile sig_atomic_t spdm_exiting;

/*
 * What every tool does before it traces: libbpf output per -v, the "load
 * the spdm module first" check, the tp_btf programs unless -T (falling back
 * to the classic tracepoint ones), and SIGINT/SIGTERM setting spdm_exiting.
 * Returns the tool's skeleton object and in *@btf which kind attached, or
 * NULL after saying why.
 */
void *spdm_tool_attach(const struct spdm_tool *tool, const struct spdm_opts *opts, bool *btf);

/*
 * The [interval] [count] loop: sleep @interval seconds, print the time
 * (after @time_sep) when @timestamp, then @print(@obj); @count times, or
 * until a signal when @count is negative. A signal ends the sleep early:
 * that last interval is still printed. Returns @print's error, if any.
 */
int spdm_print_intervals(long interval, long count, bool timestamp, const char *time_sep,
			 int (*print)(void *obj), void *obj);

#endif /* SPDM_UTIL_H */
