// SPDX-License-Identifier: GPL-2.0
/*
 * The spdm tracepoints and the functions that fire them. Both functions are
 * noinline so fentry/kprobe programs can attach to them as well.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

#include "cma.h"

/**
 * pci_cma_trace_exchange() - spdm_config.exchange_hook: trace one exchange
 * @priv: the device (struct pci_cma_dev)
 * @info: what the exchange did
 */
noinline void pci_cma_trace_exchange(void *priv, const struct spdm_exchange_info *info)
{
	struct pci_cma_dev *cdev = priv;

	trace_spdm_exchange(cdev->name, cdev->key, info->req_code, info->rsp_code,
			    info->req, min_t(size_t, info->req_len, U32_MAX),
			    info->rsp, min_t(size_t, info->rsp_len, U32_MAX),
			    info->duration_ns, info->result);
}

/**
 * pci_cma_trace_auth() - trace the end of one authentication attempt
 * @cdev: the device
 * @generation: the attempt
 * @evidence: what it saw (negotiated version and algorithms), may be NULL
 * @result: 0 or negative errno
 * @duration_ns: wall time of the attempt
 */
noinline void pci_cma_trace_auth(struct pci_cma_dev *cdev, u32 generation,
			     const struct pci_cma_evidence *evidence, int result,
			     u64 duration_ns)
{
	trace_spdm_auth(cdev->name, cdev->key, generation,
			evidence ? evidence->version : 0,
			evidence ? evidence->base_asym_alg : 0,
			evidence ? evidence->base_hash_alg : 0,
			evidence ? evidence->slot : 0, result, duration_ns);
}
