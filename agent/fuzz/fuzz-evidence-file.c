// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the evidence file (`spdmctl verify` reads it from
 * anywhere): the parser must refuse what is malformed with an error and
 * never crash, leak or read out of bounds; what it accepts writes back to a
 * file that parses to the same evidence (the attempt digest covers every
 * field the kernel reported).
 *
 * Input: the file's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[AGENT_ERR_LEN], a[AGENT_ATTEMPT_LEN], b[AGENT_ATTEMPT_LEN];
	struct agent_evidence ev, again;
	char *text;
	size_t len;

	if (agent_evfile_parse((const char *)data, size, &ev, err, sizeof(err))) {
		if (!err[0])
			abort();	/* every refusal says why */
		return 0;
	}
	if (agent_evfile_write(&ev, &text, &len))
		abort();
	if (agent_evfile_parse(text, len, &again, err, sizeof(err)))
		abort();
	if (agent_evidence_attempt(&ev, a) || agent_evidence_attempt(&again, b) ||
	    strcmp(a, b) || strcmp(ev.name, again.name) ||
	    ev.has_nonce != again.has_nonce)
		abort();
	free(text);
	agent_evidence_free(&again);
	agent_evidence_free(&ev);
	return 0;
}
