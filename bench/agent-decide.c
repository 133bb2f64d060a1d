// SPDX-License-Identifier: GPL-2.0
/*
 * agent-decide: a fixed number of agent decisions on real evidence, for
 * callgrind (agent/bench/agent-bench.c measures decisions per second; its
 * fixed-time loops are far too long under valgrind).
 *
 * Authenticates once against a responder with the user-space core, turns the
 * evidence into what the kernel would hand the agent (QEMU NVMe identity),
 * then makes N decisions as the daemon does: validate (trust store
 * $(BUILD)/pki/trust), decide, format the audit line.
 *
 * usage: agent-decide --port N --trust DIR --count N --what cached|fresh|fresh-cold
 *   cached  one validator: every decision after the first hits the chain cache
 *   fresh   a new validator per decision: every decision validates the chain
 *           (its certificates, parsed once, come from the certificate cache)
 *   fresh-cold  the same with the certificate cache emptied before each:
 *           every decision parses the three certificates
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "spdm.h"
#include "env-openssl.h"
#include "emu-socket.h"

static const char policy_text[] =
	"default deny\n"
	"allow class 0108 verified yes cma-identity match min-version 1.2 "
	"min-strength 128 label \"nvme\"\n";

static uint8_t *dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *d = malloc(len ? len : 1);

	if (!d)
		exit(1);
	memcpy(d, p, len);
	return d;
}

/* The evidence as the kernel reports it for QEMU's NVMe function. */
static void evidence_from(struct agent_evidence *ev, const struct spdm_evidence *s)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "0000:01:00.0");
	ev->ids = (struct agent_pci_ids){ 0x1b36, 0x0010, 0x010802, 0x02, 0x1af4, 0x1100 };
	ev->state = AGENT_AUTH_AUTHENTICATED;
	ev->generation = 1;
	ev->version = s->version;
	ev->base_asym_alg = s->base_asym_alg;
	ev->base_hash_alg = s->base_hash_alg;
	ev->meas_hash_alg = s->meas_hash_alg;
	ev->slot_mask = s->slot_mask;
	ev->slot = s->slot;
	for (int i = 0; i < AGENT_MAX_SLOTS; i++) {
		if (!s->chain_len[i])
			continue;
		ev->chain[i] = dup_bytes(s->chain[i], s->chain_len[i]);
		ev->chain_len[i] = s->chain_len[i];
	}
	ev->transcript = dup_bytes(s->transcript, s->transcript_len);
	ev->transcript_len = s->transcript_len;
	ev->signature = dup_bytes(s->signature, s->signature_len);
	ev->signature_len = s->signature_len;
	ev->req_nonce_off = s->req_nonce_off;
	ev->rsp_nonce_off = s->rsp_nonce_off;
	ev->meas = dup_bytes(s->meas, s->meas_len);
	ev->meas_len = s->meas_len;
}

static void usage(void)
{
	fprintf(stderr, "usage: agent-decide --port N --trust DIR --count N --what cached|fresh|fresh-cold\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "trust", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "what", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *trust_dir = NULL, *what = "cached";
	int port = 0, count = 0, o;
	struct agent_validator *v = NULL;
	struct agent_policy *pol;
	struct agent_trust *trust;
	struct agent_evidence ev;
	struct emu_socket sock;
	struct spdm_state *st;
	char err[AGENT_ERR_LEN];
	bool fresh, cold;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			trust_dir = optarg;
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'w':
			what = optarg;
			break;
		default:
			usage();
		}
	}
	cold = !strcmp(what, "fresh-cold");
	fresh = cold || !strcmp(what, "fresh");
	if (port <= 0 || !trust_dir || count < 0 || (!fresh && strcmp(what, "cached")))
		usage();

	if (emu_socket_connect(&sock, "127.0.0.1", port, EMU_TRANSPORT_PCI_DOE, 10000))
		return 1;
	st = spdm_create(&(struct spdm_config){
		.name = "bench", .transport = emu_socket_transport,
		.transport_priv = &sock, .max_msg_size = 65536, .min_version = 0x10 });
	if (!st || spdm_authenticate(st, NULL))
		return 1;
	evidence_from(&ev, spdm_get_evidence(st));
	spdm_destroy(st);
	emu_socket_close(&sock);

	if (agent_policy_parse("bench.rules", policy_text, sizeof(policy_text) - 1,
			       NULL, &pol, err, sizeof(err)) ||
	    agent_trust_load(trust_dir, &trust, err, sizeof(err))) {
		fprintf(stderr, "agent-decide: %s\n", err);
		return 1;
	}
	for (int i = 0; i < count; i++) {
		struct agent_validation val;
		struct agent_decision dec;
		struct agent_json js;

		if (cold)
			spdm_cert_cache_clear();
		if (!v || fresh) {
			agent_validator_free(v);
			if (agent_validator_new(trust, AGENT_TIME_WARN, 1024, &v))
				return 1;
		}
		agent_validator_validate(v, &ev, &val);
		agent_policy_decide(pol, &ev, &val, &dec);
		agent_json_init(&js);
		agent_audit_format_decision(&js, &ev, &val, &dec, false);
		agent_json_free(&js);
		if (!val.verified || dec.verdict != AGENT_ALLOW) {
			fprintf(stderr, "agent-decide: not allowed: %s %s %s\n", val.chain_error,
				val.leaf_error, val.signature_error);
			return 1;
		}
	}
	agent_validator_free(v);
	agent_evidence_free(&ev);
	agent_trust_free(trust);
	agent_policy_free(pol);
	return 0;
}
