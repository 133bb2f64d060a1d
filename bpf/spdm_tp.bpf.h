/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The spdm:* tracepoints as BPF programs see them (kernel/cma/trace.h).
 *
 * tp_btf programs get the TP_PROTO arguments and need the module's BTF;
 * classic tracepoint programs get the ring-buffer record instead. The
 * record layouts below mirror TP_STRUCT__entry field by field, so the
 * fallback works even for a module built without BTF, where CO-RE could not
 * relocate anything. Keep them in step with trace.h.
 *
 * Every tool funnels both kinds of program into one handler taking the
 * structs below, so tp_btf and the fallback cannot drift apart.
 */
#ifndef SPDM_TP_BPF_H
#define SPDM_TP_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Record of spdm_exchange (TP_STRUCT__entry order). */
struct spdm_tp_exchange {
	struct trace_entry ent;
	__u32 __data_loc_dev;
	__u32 key;
	__u8 req_code;
	__u8 rsp_code;
	__u32 req_len;
	__u32 rsp_len;
	__u64 duration_ns;
	int result;
	__u32 __data_loc_req;
	__u32 __data_loc_rsp;
};

/* Record of spdm_auth. */
struct spdm_tp_auth {
	struct trace_entry ent;
	__u32 __data_loc_dev;
	__u32 key;
	__u32 generation;
	__u8 version;
	__u8 slot;
	__u32 asym_alg;
	__u32 hash_alg;
	int result;
	__u64 duration_ns;
};

/* Record of spdm_verdict. */
struct spdm_tp_verdict {
	struct trace_entry ent;
	__u32 __data_loc_dev;
	__u32 key;
	__u32 generation;
	__u32 verdict;
	__u32 source;
	__u32 __data_loc_reason;
};

/* A __data_loc field: low 16 bits offset from the record start, high 16 length. */
#define SPDM_TP_DATA(ctx, loc) ((const void *)(ctx) + ((loc) & 0xffff))

/* The scalar part of one exchange, from either kind of program. */
struct spdm_exchange_args {
	__u32 key;
	__u8 req_code;
	__u8 rsp_code;
	__u32 req_len;
	__u32 rsp_len;
	__u64 duration_ns;
	int result;
};

struct spdm_auth_args {
	__u32 key;
	__u32 generation;
	__u8 version;
	__u8 slot;
	__u32 asym_alg;
	__u32 hash_alg;
	int result;
	__u64 duration_ns;
};

struct spdm_verdict_args {
	__u32 key;
	__u32 generation;
	__u32 verdict;
	__u32 source;
};

/*
 * SPDM_ON_EXCHANGE(fn) defines the tp_btf program exchange_btf and the
 * classic program exchange_tp, both calling
 * static int fn(const struct spdm_exchange_args *a, const char *dev).
 * @dev is a kernel pointer: read it with bpf_probe_read_kernel_str().
 */
#define SPDM_ON_EXCHANGE(fn)							\
SEC("tp_btf/spdm_exchange")							\
int BPF_PROG(exchange_btf, const char *dev, __u32 key, __u8 req_code,		\
	     __u8 rsp_code, const __u8 *req, __u32 req_len, const __u8 *rsp,	\
	     __u32 rsp_len, __u64 duration_ns, int result)			\
{										\
	struct spdm_exchange_args a = {						\
		.key = key, .req_code = req_code, .rsp_code = rsp_code,		\
		.req_len = req_len, .rsp_len = rsp_len,				\
		.duration_ns = duration_ns, .result = result,			\
	};									\
	return fn(&a, dev);							\
}										\
SEC("tracepoint/spdm/spdm_exchange")						\
int exchange_tp(struct spdm_tp_exchange *ctx)					\
{										\
	struct spdm_exchange_args a = {						\
		.key = ctx->key, .req_code = ctx->req_code,			\
		.rsp_code = ctx->rsp_code, .req_len = ctx->req_len,		\
		.rsp_len = ctx->rsp_len, .duration_ns = ctx->duration_ns,	\
		.result = ctx->result,						\
	};									\
	return fn(&a, SPDM_TP_DATA(ctx, ctx->__data_loc_dev));			\
}

/* SPDM_ON_AUTH(fn): programs auth_btf and auth_tp, see SPDM_ON_EXCHANGE. */
#define SPDM_ON_AUTH(fn)							\
SEC("tp_btf/spdm_auth")								\
int BPF_PROG(auth_btf, const char *dev, __u32 key, __u32 generation,		\
	     __u8 version, __u32 asym_alg, __u32 hash_alg, __u8 slot,		\
	     int result, __u64 duration_ns)					\
{										\
	struct spdm_auth_args a = {						\
		.key = key, .generation = generation, .version = version,	\
		.slot = slot, .asym_alg = asym_alg, .hash_alg = hash_alg,	\
		.result = result, .duration_ns = duration_ns,			\
	};									\
	return fn(&a, dev);							\
}										\
SEC("tracepoint/spdm/spdm_auth")						\
int auth_tp(struct spdm_tp_auth *ctx)						\
{										\
	struct spdm_auth_args a = {						\
		.key = ctx->key, .generation = ctx->generation,			\
		.version = ctx->version, .slot = ctx->slot,			\
		.asym_alg = ctx->asym_alg, .hash_alg = ctx->hash_alg,		\
		.result = ctx->result, .duration_ns = ctx->duration_ns,		\
	};									\
	return fn(&a, SPDM_TP_DATA(ctx, ctx->__data_loc_dev));			\
}

/* SPDM_ON_VERDICT(fn): programs verdict_btf and verdict_tp. */
#define SPDM_ON_VERDICT(fn)							\
SEC("tp_btf/spdm_verdict")							\
int BPF_PROG(verdict_btf, const char *dev, __u32 key, __u32 generation,	\
	     __u32 verdict, __u32 source, const char *reason)			\
{										\
	struct spdm_verdict_args a = {						\
		.key = key, .generation = generation, .verdict = verdict,	\
		.source = source,						\
	};									\
	return fn(&a, dev);							\
}										\
SEC("tracepoint/spdm/spdm_verdict")						\
int verdict_tp(struct spdm_tp_verdict *ctx)					\
{										\
	struct spdm_verdict_args a = {						\
		.key = ctx->key, .generation = ctx->generation,			\
		.verdict = ctx->verdict, .source = ctx->source,			\
	};									\
	return fn(&a, SPDM_TP_DATA(ctx, ctx->__data_loc_dev));			\
}

/* log2 bucket of a value: 0 for 0 and 1, else floor(log2(v)). */
static __always_inline __u32 spdm_log2(__u64 v)
{
	__u32 r = 0;
	int shift;

	for (shift = 32; shift > 0; shift >>= 1) {
		if (v >> shift) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

#endif /* SPDM_TP_BPF_H */
