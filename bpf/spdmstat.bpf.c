// SPDX-License-Identifier: GPL-2.0
/*
 * spdmstat: count authentications by device, result, version and algorithms,
 * and verdicts by device, verdict and source.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "spdm_tp.bpf.h"
#include "spdmstat.h"

const volatile bool filter_key;
const volatile __u32 targ_key;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SPDMSTAT_MAX_ENTRIES);
	__type(key, struct spdmstat_auth_key);
	__type(value, __u64);
} auths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SPDMSTAT_MAX_ENTRIES);
	__type(key, struct spdmstat_verdict_key);
	__type(value, __u64);
} verdicts SEC(".maps");

static __always_inline void count(void *map, const void *key)
{
	static const __u64 one = 1;
	__u64 *n;

	n = bpf_map_lookup_elem(map, key);
	if (!n) {
		if (!bpf_map_update_elem(map, key, &one, BPF_NOEXIST))
			return;
		/* Another CPU created it first. */
		n = bpf_map_lookup_elem(map, key);
		if (!n)
			return;
	}
	__sync_fetch_and_add(n, 1);
}

static __always_inline int on_auth(const struct spdm_auth_args *a, const char *dev)
{
	struct spdmstat_auth_key k = {
		.key = a->key, .result = a->result, .asym_alg = a->asym_alg,
		.hash_alg = a->hash_alg, .version = a->version,
	};

	if (filter_key && a->key != targ_key)
		return 0;
	count(&auths, &k);
	return 0;
}

static __always_inline int on_verdict(const struct spdm_verdict_args *a, const char *dev)
{
	struct spdmstat_verdict_key k = {
		.key = a->key, .verdict = a->verdict, .source = a->source,
	};

	if (filter_key && a->key != targ_key)
		return 0;
	count(&verdicts, &k);
	return 0;
}

SPDM_ON_AUTH(on_auth)
SPDM_ON_VERDICT(on_verdict)

char LICENSE[] SEC("license") = "GPL";
