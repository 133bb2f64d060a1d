// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for what a device controls in its evidence: the SPDM
 * certificate chain (split, leaf rules, CMA identity), the measurement
 * record, and every string that reaches the JSON audit encoder.
 *
 * Input: byte 0 selects the hash algorithm (bits 0-1) and the SPDM version
 * (bits 2-3); the rest is used as a chain, as a measurement record, and as
 * the L1/L2 transcript of signed measurements.
 */
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include <linux/spdm.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t hashes[] = {
		AGENT_HASH_SHA256, AGENT_HASH_SHA384, AGENT_HASH_SHA512, 1u << 7,
	};
	struct agent_evidence ev = { 0 };
	struct agent_cma_identity id;
	STACK_OF(X509) *certs = NULL;
	struct agent_json js;
	char err[160], text[128];
	const uint8_t *v;
	size_t n;

	if (!size)
		return 0;
	if (!agent_chain_split(data + 1, size - 1, hashes[data[0] & 3], &certs,
			       err, sizeof(err))) {
		X509 *leaf = sk_X509_value(certs, sk_X509_num(certs) - 1);

		agent_leaf_check(leaf, SPDM_CERT_MODEL_DEVICE, err, sizeof(err));
		agent_leaf_check(leaf, SPDM_CERT_MODEL_ALIAS, err, sizeof(err));
		if (!agent_identity_from_cert(leaf, text, sizeof(text)))
			agent_identity_parse(text, &id);
		sk_X509_pop_free(certs, X509_free);
	}
	ev.meas = (uint8_t *)data + 1;
	ev.meas_len = size - 1;
	for (unsigned int i = 1; i < 4; i++)
		if (!agent_evidence_measurement_find(&ev, i, &v, &n) &&
		    (v < data || v + n > data + size))
			abort();

	/* L1/L2: the record found must lie inside it, whatever its fields say */
	ev.version = 0x10 + ((data[0] >> 2) & 3);
	ev.meas_transcript = (uint8_t *)data + 1;
	ev.meas_transcript_len = size - 1;
	if (!agent_meas_record_locate(&ev, &v, &n, err, sizeof(err)) &&
	    (v < data + 1 || n > size - 1 || v + n > data + size))
		abort();

	/* whatever the bytes, the encoder must produce one valid JSON line */
	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_json_stringn(&js, "s", (const char *)data, size);
	agent_json_close(&js);
	if (!js.oom) {
		struct json_object *obj = json_tokener_parse(js.buf);

		if (!obj || memchr(js.buf, '\n', js.len))
			abort();
		json_object_put(obj);
	}
	agent_json_free(&js);

	/* and the identity parser takes any string */
	n = size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1;
	memcpy(text, data + 1, n);
	text[n] = '\0';
	agent_identity_parse(text, &id);
	return 0;
}
