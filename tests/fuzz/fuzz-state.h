/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The requester state the single-parser harnesses feed: created once, no
 * transport (parsers never send), quiet.
 */
#ifndef _FUZZ_STATE_H_
#define _FUZZ_STATE_H_

#include "spdm-internal.h"
#include "env-openssl.h"

static ssize_t fuzz_no_transport(void *priv, const void *req, size_t req_sz,
				 void *rsp, size_t rsp_sz)
{
	return -EIO;
}

static struct spdm_state *st;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct spdm_config cfg = { .name = "fuzz", .transport = fuzz_no_transport };

	spdm_env_set_log_level(SPDM_LOG_QUIET);
	st = spdm_create(&cfg);
	return st ? 0 : 1;
}

#endif /* _FUZZ_STATE_H_ */
