// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the CoRIM reader: each input as a signed CoRIM
 * (COSE_Sign1 checked against one P-256 manifest anchor made here, so the
 * envelope and the protected header are what gets exercised) and as the
 * unsigned payload (corim-map, CoMIDs, reference triples). Seeds are the
 * test PKI's generated manifests and payloads (tests/pki/gen-corim.py).
 * Every refusal must say why; every value read must be within the subset.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ret, const struct agent_rim *rim, const char *err)
{
	if (ret && !err[0])
		abort();	/* a refusal without a reason */
	for (size_t i = 0; !ret && i < rim->nvalues; i++) {
		const struct agent_rim_value *v = &rim->values[i];

		if (v->index < 1 || v->index > 254 || !v->vendor[0] ||
		    !v->model[0] || (v->len != 32 && v->len != 48 && v->len != 64))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct agent_rim_signer signer = { .name = "fuzz" };
	struct agent_rim rim = { 0 };
	char err[AGENT_ERR_LEN];
	int ret;

	if (!signer.key)
		signer.key = EVP_EC_gen("P-256");
	err[0] = '\0';
	ret = agent_corim_parse(data, size, &signer, 1, &rim, err, sizeof(err));
	check(ret, &rim, err);
	agent_rim_clear(&rim);
	err[0] = '\0';
	ret = agent_corim_parse_payload(data, size, &rim, err, sizeof(err));
	check(ret, &rim, err);
	agent_rim_clear(&rim);
	return 0;
}
