// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the netlink evidence decoder: the input is a
 * sequence of device-get message bodies, each prefixed by its 16-bit
 * little-endian length, fed to one dump as the kernel would send them.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_dump d = { 0 };

	while (size >= 2) {
		size_t len = (size_t)(data[0] | data[1] << 8);
		uint8_t *msg;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		/* a copy of exactly the message, so overreads are caught */
		msg = malloc(len ? len : 1);
		memcpy(msg, data, len);
		agent_dump_feed(&d, msg, (int)len);
		free(msg);
		data += len;
		size -= len;
	}
	agent_dump_finish(&d);
	for (size_t i = 0; i < d.ndevs; i++) {
		const struct agent_evidence *ev = &d.devs[i];
		const uint8_t *v;
		uint8_t *m;
		size_t n;

		agent_evidence_measurement_find(ev, 1, &v, &n);
		if (ev->transcript && !agent_signature_message(ev, &m, &n))
			free(m);
	}
	agent_dump_free(&d);
	return 0;
}
