// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the policy lexer and parser, and the evaluator on
 * whatever parses. Inputs naming "include" are skipped: they would make the
 * fuzzer read arbitrary files of the machine. A policy that parses holds no
 * control byte but tab, CR and LF: anything else is reported, never skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_control_byte(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if ((data[i] < 0x20 && !strchr("\t\r\n", data[i] ? data[i] : 'x')) ||
		    data[i] == 0x7f)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val = { .verified = true };
	struct agent_policy *pol;
	struct agent_decision dec;
	char err[AGENT_ERR_LEN];

	if (memmem(data, size, "include", 7))
		return 0;
	if (agent_policy_parse("fuzz.rules", (const char *)data, size, NULL,
			       &pol, err, sizeof(err)))
		return 0;
	if (has_control_byte(data, size))
		abort();	/* the lexer let a control byte through */
	ev.state = AGENT_AUTH_AUTHENTICATED;
	ev.version = 0x12;
	ev.base_asym_alg = AGENT_ASYM_ECDSA_P384;
	ev.base_hash_alg = AGENT_HASH_SHA384;
	agent_policy_decide(pol, &ev, &val, &dec);
	agent_policy_free(pol);
	return 0;
}
