/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of SPDM device authentication, system "spdm".
 *
 * Every field is a scalar or a bounded array so bpftrace reads it as
 * args->field; the pointer arguments are typed (const u8 *, const char *)
 * because tp_btf programs cannot dereference const void *. @key is the
 * device key of the netlink family (domain << 16 | bus << 8 | devfn).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM spdm

#if !defined(_SPDM_CMA_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _SPDM_CMA_TRACE_H_

#include <linux/minmax.h>
#include <linux/tracepoint.h>
#include "uapi/linux/spdm.h"

/*
 * The verdict fields hold uapi enum values. TRACE_DEFINE_ENUM() puts the
 * enumerators' values into the event format, so that the names in
 * __print_symbolic() resolve for trace-cmd, perf and other tools that read
 * the format files, not only in the kernel's own trace output.
 */
TRACE_DEFINE_ENUM(SPDM_VERDICT_NONE);
TRACE_DEFINE_ENUM(SPDM_VERDICT_ALLOW);
TRACE_DEFINE_ENUM(SPDM_VERDICT_DENY);
TRACE_DEFINE_ENUM(SPDM_VERDICT_SOURCE_NONE);
TRACE_DEFINE_ENUM(SPDM_VERDICT_SOURCE_AGENT);
TRACE_DEFINE_ENUM(SPDM_VERDICT_SOURCE_TIMEOUT);
TRACE_DEFINE_ENUM(SPDM_VERDICT_SOURCE_ADMIN);
TRACE_DEFINE_ENUM(SPDM_VERDICT_SOURCE_BYPASS);

/* Bytes of each message recorded; ftrace drops records over ~4 KiB. */
#define SPDM_TRACE_REQ_BYTES	64
#define SPDM_TRACE_RSP_BYTES	256

/**
 * spdm_exchange - one SPDM request/response exchange finished
 * @dev: device name
 * @key: device key
 * @req_code: request code (e.g. 0x84 GET_VERSION)
 * @rsp_code: response code, 0 when no response arrived
 * @req: request bytes; the first SPDM_TRACE_REQ_BYTES are recorded
 * @req_len: request length
 * @rsp: response bytes, NULL when none; the first SPDM_TRACE_RSP_BYTES are
 *	recorded
 * @rsp_len: response length as the transport returned it
 * @duration_ns: wall time of the exchange
 * @result: 0 or the negative errno the exchange ended with
 */
TRACE_EVENT(spdm_exchange,
	TP_PROTO(const char *dev, u32 key, u8 req_code, u8 rsp_code,
		 const u8 *req, u32 req_len, const u8 *rsp, u32 rsp_len,
		 u64 duration_ns, int result),
	TP_ARGS(dev, key, req_code, rsp_code, req, req_len, rsp, rsp_len,
		duration_ns, result),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, key)
		__field(u8, req_code)
		__field(u8, rsp_code)
		__field(u32, req_len)
		__field(u32, rsp_len)
		__field(u64, duration_ns)
		__field(int, result)
		__dynamic_array(u8, req, min_t(u32, req_len, SPDM_TRACE_REQ_BYTES))
		__dynamic_array(u8, rsp, rsp ? min_t(u32, rsp_len, SPDM_TRACE_RSP_BYTES) : 0)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->key = key;
		__entry->req_code = req_code;
		__entry->rsp_code = rsp_code;
		__entry->req_len = req_len;
		__entry->rsp_len = rsp_len;
		__entry->duration_ns = duration_ns;
		__entry->result = result;
		memcpy(__get_dynamic_array(req), req, __get_dynamic_array_len(req));
		if (rsp)
			memcpy(__get_dynamic_array(rsp), rsp, __get_dynamic_array_len(rsp));
	),

	TP_printk("dev=%s key=%#x req=%#04x rsp=%#04x req_len=%u rsp_len=%u duration_ns=%llu result=%d",
		  __get_str(dev), __entry->key, __entry->req_code, __entry->rsp_code,
		  __entry->req_len, __entry->rsp_len, __entry->duration_ns,
		  __entry->result)
);

/**
 * spdm_auth - one authentication attempt finished
 * @dev: device name
 * @key: device key
 * @generation: attempt number
 * @version: negotiated SPDM version, 0 if negotiation did not finish
 * @asym_alg: negotiated BaseAsymAlgo bit, 0 if none
 * @hash_alg: negotiated BaseHashAlgo bit, 0 if none
 * @slot: certificate slot challenged
 * @result: 0 or the negative errno the attempt ended with
 * @duration_ns: wall time of the attempt
 */
TRACE_EVENT(spdm_auth,
	TP_PROTO(const char *dev, u32 key, u32 generation, u8 version,
		 u32 asym_alg, u32 hash_alg, u8 slot, int result, u64 duration_ns),
	TP_ARGS(dev, key, generation, version, asym_alg, hash_alg, slot, result,
		duration_ns),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, key)
		__field(u32, generation)
		__field(u8, version)
		__field(u8, slot)
		__field(u32, asym_alg)
		__field(u32, hash_alg)
		__field(int, result)
		__field(u64, duration_ns)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->key = key;
		__entry->generation = generation;
		__entry->version = version;
		__entry->slot = slot;
		__entry->asym_alg = asym_alg;
		__entry->hash_alg = hash_alg;
		__entry->result = result;
		__entry->duration_ns = duration_ns;
	),

	TP_printk("dev=%s key=%#x generation=%u version=%#04x asym=%#x hash=%#x slot=%u result=%d duration_ns=%llu",
		  __get_str(dev), __entry->key, __entry->generation, __entry->version,
		  __entry->asym_alg, __entry->hash_alg, __entry->slot, __entry->result,
		  __entry->duration_ns)
);

/**
 * spdm_verdict - a verdict took effect on a device (binding gate)
 * @dev: device name
 * @key: device key
 * @generation: authentication generation the verdict applies to
 * @verdict: enum spdm_verdict (SPDM_VERDICT_ALLOW or SPDM_VERDICT_DENY, or
 *	SPDM_VERDICT_NONE for a bypass)
 * @source: enum spdm_verdict_source
 * @reason: free text reason, "" if none
 */
TRACE_EVENT(spdm_verdict,
	TP_PROTO(const char *dev, u32 key, u32 generation, u32 verdict,
		 u32 source, const char *reason),
	TP_ARGS(dev, key, generation, verdict, source, reason),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, key)
		__field(u32, generation)
		__field(u32, verdict)
		__field(u32, source)
		__string(reason, reason)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->key = key;
		__entry->generation = generation;
		__entry->verdict = verdict;
		__entry->source = source;
		__assign_str(reason);
	),

	TP_printk("dev=%s key=%#x generation=%u verdict=%s source=%s reason=%s",
		  __get_str(dev), __entry->key, __entry->generation,
		  __print_symbolic(__entry->verdict,
				   { SPDM_VERDICT_NONE, "none" },
				   { SPDM_VERDICT_ALLOW, "allow" },
				   { SPDM_VERDICT_DENY, "deny" }),
		  __print_symbolic(__entry->source,
				   { SPDM_VERDICT_SOURCE_NONE, "none" },
				   { SPDM_VERDICT_SOURCE_AGENT, "agent" },
				   { SPDM_VERDICT_SOURCE_TIMEOUT, "timeout" },
				   { SPDM_VERDICT_SOURCE_ADMIN, "admin" },
				   { SPDM_VERDICT_SOURCE_BYPASS, "bypass" }),
		  __get_str(reason))
);

/**
 * spdm_identity_changed - same-device check: a device authenticated with
 * another identity than the last allow verdict accepted (binding gate)
 * @dev: device name
 * @key: device key
 * @generation: the authentication generation that presented @identity
 * @identity: SHA-256 of the certificate chain it used
 * @allowed: the identity the last allow accepted
 */
TRACE_EVENT(spdm_identity_changed,
	TP_PROTO(const char *dev, u32 key, u32 generation, const u8 *identity,
		 const u8 *allowed),
	TP_ARGS(dev, key, generation, identity, allowed),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, key)
		__field(u32, generation)
		__array(u8, identity, SPDM_IDENTITY_LEN)
		__array(u8, allowed, SPDM_IDENTITY_LEN)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->key = key;
		__entry->generation = generation;
		memcpy(__entry->identity, identity, SPDM_IDENTITY_LEN);
		memcpy(__entry->allowed, allowed, SPDM_IDENTITY_LEN);
	),

	TP_printk("dev=%s key=%#x generation=%u identity=%s allowed=%s",
		  __get_str(dev), __entry->key, __entry->generation,
		  __print_hex_str(__entry->identity, SPDM_IDENTITY_LEN),
		  __print_hex_str(__entry->allowed, SPDM_IDENTITY_LEN))
);

#endif /* _SPDM_CMA_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
