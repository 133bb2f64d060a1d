/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the spdm tools share in user space: names of SPDM messages,
 * algorithms and errnos, PCI device keys, attaching to the tracepoints with
 * the tp_btf-then-tracepoint fallback, and log2 histograms.
 */
#ifndef SPDM_UTIL_H
#define SPDM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

struct argp_state;
struct bpf_object;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Request name for a request code, NULL when unknown. */
const char *spdm_req_name(__u8 code);
/* Response name for a response code, "-" for 0 (no response), NULL when unknown. */
const char *spdm_rsp_name(__u8 code);
/* A message name as printed: the name, or the code in hex when unknown. */
const char *spdm_msg_str(const char *name, __u8 code, char *buf, size_t sz);
/*
 * Parse a message for a filter: a request name (GET_VERSION), a response
 * name (VERSION, meaning its request) or a request code (0x84).
 */
int spdm_parse_message(const char *s, __u8 *req_code);

/* "1.3" for 0x13, "-" for 0. */
const char *spdm_version_str(__u8 version, char *buf, size_t sz);
const char *spdm_asym_name(__u32 bit);
const char *spdm_hash_name(__u32 bit);

/* "EKEYREJECTED" for -129, "" for 0. */
const char *spdm_errno_name(int result);

/* The device key (domain << 16 | bus << 8 | devfn) as a PCI address. */
const char *spdm_key_str(__u32 key, char *buf, size_t sz);
/* Parse "0000:01:00.0" or "01:00.0" into a device key. */
int spdm_parse_bdf(const char *s, __u32 *key);

/* A positive int argument ([interval] [count]); argp_error() otherwise. */
long spdm_parse_positive(const char *arg, struct argp_state *state, const char *what);

/* Are the spdm tracepoints there (module loaded)? */
bool spdm_tracepoints_present(void);
/*
 * Keep only the programs of one kind for loading and attaching: the
 * "tp_btf/" sections when @btf, the "tracepoint/" sections otherwise.
 */
void spdm_select_progs(struct bpf_object *obj, bool btf);

/* libbpf print callback that prints debug output only when @verbose. */
void spdm_libbpf_verbose(bool verbose);

/* Print one log2 histogram in the classic "usecs : count distribution" layout. */
void spdm_print_log2_hist(FILE *f, const __u32 *slots, int nslots, const char *unit);

#define SPDM_LOAD_FIRST \
	"no spdm tracepoints: load the spdm module first (spdm_cma.ko)"

#endif /* SPDM_UTIL_H */
