// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the whole authentication: the fuzzer plays the
 * responder. The input is a list of responses, each a little-endian u16
 * length and that many bytes; the transport hands them out in order (cut
 * to the requester's buffer like pci_doe() does) and reports a reset
 * connection when they run out. Authentication runs twice on one state
 * so the chain cache is exercised; after each, every byte the evidence
 * claims is read.
 */

#include <stdlib.h>
#include <string.h>

#include "spdm.h"
#include "env-openssl.h"

struct script {
	const u8 *p;
	size_t left;
};

static ssize_t script_transport(void *priv, const void *req, size_t req_sz,
				void *rsp, size_t rsp_sz)
{
	struct script *s = priv;
	size_t len;

	if (s->left < 2)
		return -ECONNRESET;
	len = s->p[0] | s->p[1] << 8;
	s->p += 2;
	s->left -= 2;
	if (len > s->left)
		len = s->left;
	memcpy(rsp, s->p, len < rsp_sz ? len : rsp_sz);
	s->p += len;
	s->left -= len;
	return len < rsp_sz ? len : rsp_sz;
}

/* Sum every byte a blob of the evidence claims, so ASan sees each one. */
static unsigned int touch(const u8 *p, size_t len)
{
	unsigned int sum = 0;
	size_t i;

	if (len && !p)
		abort();
	for (i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

/*
 * The evidence is handed to user space as it is (netlink in the kernel):
 * every length must stay inside its buffer, the nonce offsets inside the
 * transcript.
 */
static void check_evidence(const struct spdm_evidence *ev)
{
	volatile unsigned int sum = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		sum += touch(ev->chain[i], ev->chain_len[i]);
	sum += touch(ev->transcript, ev->transcript_len);
	sum += touch(ev->signature, ev->signature_len);
	sum += touch(ev->meas, ev->meas_len);
	sum += touch(ev->meas_transcript, ev->meas_transcript_len);
	sum += touch(ev->meas_signature, ev->meas_signature_len);
	if (ev->transcript_len &&
	    (ev->req_nonce_off + 32 > ev->transcript_len ||
	     ev->rsp_nonce_off + 32 > ev->transcript_len))
		abort();
	(void)sum;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	spdm_env_set_log_level(SPDM_LOG_QUIET);
	spdm_env_set_virtual_sleep(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 nonce[32] = { 1, 2, 3 };
	struct script s = { data, size };
	struct spdm_config cfg = {
		.name = "fuzz",
		.transport = script_transport,
		.transport_priv = &s,
		.max_msg_size = 4096,
	};
	struct spdm_state *st = spdm_create(&cfg);

	if (!st)
		return 0;
	spdm_authenticate(st, nonce);
	check_evidence(spdm_get_evidence(st));
	spdm_authenticate(st, nonce);
	check_evidence(spdm_get_evidence(st));
	spdm_destroy(st);
	return 0;
}
