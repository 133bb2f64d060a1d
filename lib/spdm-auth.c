// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-auth: authenticate an SPDM responder reachable over the socket
 * protocol of DMTF spdm-emu, print what was negotiated and the result.
 *
 * Exit status: 0 authenticated, 1 authentication failed (last line
 * "result: -71 (EPROTO)"), 2 usage or connection set-up error.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spdm.h"
#include "env-openssl.h"
#include "emu-socket.h"
#include "spdm-util.h"

#define AUTH_MAX_MSG 65536

static void usage(FILE *f)
{
	fprintf(f,
		"usage: spdm-auth [--host 127.0.0.1] --port N [--transport doe|mctp|none]\n"
		"                 [--min-version 1.0..1.3] [--nonce HEX64] [--timeout-ms N]\n"
		"                 [--deadline-ms N] [--json] [-v]\n"
		"       spdm-auth --version | --help\n");
}

static int parse_version(const char *s, uint8_t *v)
{
	if (strlen(s) != 3 || s[0] != '1' || s[1] != '.' || s[2] < '0' || s[2] > '3')
		return -1;
	*v = 0x10 | (s[2] - '0');
	return 0;
}

/* 64 hex digits, the 32 bytes of the nonce. */
static int parse_nonce(const char *s, uint8_t *nonce)
{
	size_t len;

	if (strlen(s) != 64 || spdm_unhex(s, nonce, 32, &len) || len != 32)
		return -1;
	return 0;
}

static void trace_exchange(void *priv, const struct spdm_exchange_info *info)
{
	const char *req = spdm_code_name(info->req_code);
	const char *rsp = info->rsp_len ? spdm_code_name(info->rsp_code) : "-";

	fprintf(stderr, "  %-20s %4zu B -> %-14s %5zu B %8.3f ms  %d\n",
		req ? req : "?", info->req_len, rsp ? rsp : "?", info->rsp_len,
		info->duration_ns / 1e6, info->result);
}

static const char *cert_model_name(u8 model)
{
	static const char *const names[] = { "none", "device", "alias", "generic" };

	return model < 4 ? names[model] : "?";
}

/* The negotiated algorithms' names, "none" where nothing was negotiated. */
struct alg_names {
	char asym[SPDM_ALG_NAME_MAX], hash[SPDM_ALG_NAME_MAX], meas_hash[SPDM_ALG_NAME_MAX];
};

static void alg_names(const struct spdm_evidence *ev, struct alg_names *n)
{
	spdm_asym_names(ev->base_asym_alg, n->asym, sizeof(n->asym));
	spdm_hash_names(ev->base_hash_alg, n->hash, sizeof(n->hash));
	spdm_meas_hash_names(ev->meas_hash_alg, n->meas_hash, sizeof(n->meas_hash));
}

/* "OK" for 0, else the errno's name. */
static const char *result_name(int rc)
{
	return rc ? spdm_errno_name(rc) : "OK";
}

static void print_text(const struct spdm_evidence *ev)
{
	struct alg_names n;
	unsigned int slot;

	alg_names(ev, &n);

	printf("version: %u.%u\n", ev->version >> 4, ev->version & 0xf);
	printf("asym: %s\n", n.asym);
	printf("hash: %s\n", n.hash);
	printf("meas_hash: %s\n", n.meas_hash);
	printf("slot_mask: 0x%02x\n", ev->slot_mask);
	printf("slot: %u\n", ev->slot);
	printf("cert_model: %s\n", cert_model_name(ev->cert_model[ev->slot % 8]));
	if (ev->multi_key)
		printf("multi_key: key pair %u of %u, usage 0x%04x, measurements slot %u\n",
		       ev->key_pair_id, ev->total_key_pairs, ev->key_usage, ev->meas_slot);
	for (slot = 0; slot < 8; slot++)
		if (ev->chain_len[slot])
			printf("chain[%u]: %zu bytes\n", slot, ev->chain_len[slot]);
	printf("transcript: %zu bytes\n", ev->transcript_len);
	printf("measurements: %zu bytes\n", ev->meas_len);
}

static void print_json(const struct spdm_evidence *ev, int rc)
{
	const char *sep = "";
	struct alg_names n;
	unsigned int slot;

	alg_names(ev, &n);

	printf("{\"result\":%d,\"errno\":\"%s\",\"version\":\"%u.%u\",", rc,
	       result_name(rc),
	       ev->version >> 4, ev->version & 0xf);
	printf("\"asym\":\"%s\",\"hash\":\"%s\",\"meas_hash\":\"%s\",",
	       n.asym, n.hash, n.meas_hash);
	printf("\"slot_mask\":%u,\"slot\":%u,\"cert_model\":\"%s\",", ev->slot_mask, ev->slot,
	       cert_model_name(ev->cert_model[ev->slot % 8]));
	if (ev->multi_key)
		printf("\"key_pair_id\":%u,\"total_key_pairs\":%u,\"key_usage\":%u,\"meas_slot\":%u,",
		       ev->key_pair_id, ev->total_key_pairs, ev->key_usage, ev->meas_slot);
	printf("\"chains\":{");
	for (slot = 0; slot < 8; slot++) {
		if (!ev->chain_len[slot])
			continue;
		printf("%s\"%u\":%zu", sep, slot, ev->chain_len[slot]);
		sep = ",";
	}
	printf("},\"transcript_len\":%zu,\"measurements_len\":%zu}\n",
	       ev->transcript_len, ev->meas_len);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "transport", required_argument, NULL, 't' },
		{ "min-version", required_argument, NULL, 'm' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "deadline-ms", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *host = "127.0.0.1";
	uint32_t transport = EMU_TRANSPORT_PCI_DOE;
	long port = -1, timeout_ms = 5000, deadline_ms = 0;
	uint8_t nonce[32], min_version = 0x10;
	bool have_nonce = false, json = false, verbose = false;
	struct spdm_config cfg = {};
	struct emu_socket sock;
	struct spdm_state *st;
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, "vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			host = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port <= 0 || port > 65535)
				goto bad_usage;
			break;
		case 't':
			if (!strcmp(optarg, "doe"))
				transport = EMU_TRANSPORT_PCI_DOE;
			else if (!strcmp(optarg, "mctp"))
				transport = EMU_TRANSPORT_MCTP;
			else if (!strcmp(optarg, "none"))
				transport = EMU_TRANSPORT_NONE;
			else
				goto bad_usage;
			break;
		case 'm':
			if (parse_version(optarg, &min_version))
				goto bad_usage;
			break;
		case 'n':
			if (parse_nonce(optarg, nonce))
				goto bad_usage;
			have_nonce = true;
			break;
		case 'T':
			timeout_ms = strtol(optarg, &end, 10);
			if (*end || timeout_ms <= 0 || timeout_ms > 3600000)
				goto bad_usage;
			break;
		case 'D':
			deadline_ms = strtol(optarg, &end, 10);
			if (*end || deadline_ms <= 0 || deadline_ms > 3600000)
				goto bad_usage;
			break;
		case 'j':
			json = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("spdm-auth %s\n", PACKAGE_VERSION);
			return 0;
		default:
			goto bad_usage;
		}
	}
	if (port < 0 || optind != argc)
		goto bad_usage;

	spdm_env_set_log_level(verbose ? SPDM_LOG_DEBUG : SPDM_LOG_ERR);
	rc = emu_socket_connect(&sock, host, port, transport, timeout_ms);
	if (rc) {
		fprintf(stderr, "spdm-auth: cannot connect to %s:%ld: %s\n", host,
			port, strerror(-rc));
		return 2;
	}
	cfg.name = "spdm-auth";
	cfg.transport = emu_socket_transport;
	cfg.transport_priv = &sock;
	cfg.max_msg_size = AUTH_MAX_MSG;
	cfg.min_version = min_version;
	cfg.auth_timeout_ms = deadline_ms;
	if (verbose)
		cfg.exchange_hook = trace_exchange;
	st = spdm_create(&cfg);
	if (!st) {
		emu_socket_close(&sock);
		fprintf(stderr, "spdm-auth: out of memory\n");
		return 2;
	}

	rc = spdm_authenticate(st, have_nonce ? nonce : NULL);
	if (json)
		print_json(spdm_get_evidence(st), rc);
	else if (!rc)
		print_text(spdm_get_evidence(st));
	printf("result: %d (%s)\n", rc, result_name(rc));

	spdm_destroy(st);
	emu_socket_close(&sock);
	return rc ? 1 : 0;

bad_usage:
	usage(stderr);
	return 2;
}
