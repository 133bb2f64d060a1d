// SPDX-License-Identifier: GPL-2.0
/*
 * spdmlat: log2 histograms of exchange latency per device and request code,
 * and of whole authentications per device.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "spdm_tp.bpf.h"
#include "spdmlat.h"

const volatile bool filter_key;
const volatile __u32 targ_key;
const volatile bool filter_req;
const volatile __u8 targ_req;
const volatile bool auth_only;
const volatile bool milliseconds;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SPDMLAT_MAX_HISTS);
	__type(key, struct spdmlat_key);
	__type(value, struct spdmlat_hist);
} hists SEC(".maps");

static __always_inline void hist_add(__u32 key, __u8 req_code, __u64 duration_ns)
{
	static const struct spdmlat_hist zero;
	struct spdmlat_key k = { .key = key, .req_code = req_code };
	struct spdmlat_hist *h;
	__u64 v = duration_ns / (milliseconds ? 1000000 : 1000);
	__u32 slot;

	h = bpf_map_lookup_elem(&hists, &k);
	if (!h) {
		bpf_map_update_elem(&hists, &k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &k);
		if (!h)
			return;
	}
	slot = spdm_log2(v);
	if (slot >= SPDMLAT_MAX_SLOTS)
		slot = SPDMLAT_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
}

static __always_inline int on_exchange(const struct spdm_exchange_args *a, const char *dev)
{
	if (auth_only || (filter_key && a->key != targ_key))
		return 0;
	if (filter_req && a->req_code != targ_req)
		return 0;
	hist_add(a->key, a->req_code, a->duration_ns);
	return 0;
}

static __always_inline int on_auth(const struct spdm_auth_args *a, const char *dev)
{
	if (filter_req || (filter_key && a->key != targ_key))
		return 0;
	hist_add(a->key, SPDMLAT_AUTH, a->duration_ns);
	return 0;
}

SPDM_ON_EXCHANGE(on_exchange)
SPDM_ON_AUTH(on_auth)

char LICENSE[] SEC("license") = "GPL";
