// SPDX-License-Identifier: GPL-2.0
/* spdmsnoop: send every SPDM exchange that passes the filters to user space. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "spdm_tp.bpf.h"
#include "spdmsnoop.h"

/* Filters, set by user space before load. */
const volatile bool filter_key;
const volatile __u32 targ_key;
const volatile bool filter_req;
const volatile __u8 targ_req;
const volatile bool failed_only;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Exchanges lost because the ring buffer was full; user space reports them. */
__u64 lost;

static __always_inline int on_exchange(const struct spdm_exchange_args *a, const char *dev)
{
	struct spdmsnoop_event *e;

	if (filter_key && a->key != targ_key)
		return 0;
	if (filter_req && a->req_code != targ_req)
		return 0;
	if (failed_only && !a->result)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->duration_ns = a->duration_ns;
	e->key = a->key;
	e->req_len = a->req_len;
	e->rsp_len = a->rsp_len;
	e->result = a->result;
	e->req_code = a->req_code;
	e->rsp_code = a->rsp_code;
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), dev);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SPDM_ON_EXCHANGE(on_exchange)

char LICENSE[] SEC("license") = "GPL";
