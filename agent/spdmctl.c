// SPDX-License-Identifier: GPL-2.0
/*
 * spdmctl: the administrator's view of SPDM device authentication.
 *
 *   spdmctl [--json] list
 *   spdmctl [--json] show DEVICE [--trust-store DIR]
 *   spdmctl evidence DEVICE --out DIR
 *   spdmctl authenticate DEVICE [--nonce HEX]
 *   spdmctl allow|deny DEVICE [--reason TEXT]
 *   spdmctl generate-policy [--trust-store DIR]
 *   spdmctl [--json] watch
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <linux/spdm.h>

#include "agent.h"

struct ctl {
	bool json;
	const char *trust_store;
	const char *out;
	const char *nonce;
	const char *reason;
	struct agent_nl nl;
};

static void ctl_usage(FILE *f)
{
	fprintf(f,
		"usage: spdmctl [--json] COMMAND [ARGS]\n"
		"\n"
		"  list                          devices, state, generation, verdict\n"
		"  show DEVICE [--trust-store DIR]\n"
		"                                negotiated parameters, chains as PEM,\n"
		"                                and the agent's validation against DIR\n"
		"  evidence DEVICE --out DIR [--nonce HEX]\n"
		"                                write chains, transcript, signature,\n"
		"                                measurements and nonce to DIR for offline\n"
		"                                checks; with --nonce only if the attempt\n"
		"                                used and signed that nonce\n"
		"  authenticate DEVICE [--nonce HEX]\n"
		"                                authenticate again (64 hex digit nonce)\n"
		"  allow|deny DEVICE [--reason TEXT]\n"
		"                                verdict by hand for the current generation\n"
		"  generate-policy [--trust-store DIR]\n"
		"                                a policy allowing exactly the devices present\n"
		"  watch                         print notifications as they come\n"
		"\n"
		"  -j, --json                    JSON output (list, show, watch)\n"
		"  -V, --version                 print the version and exit\n");
}

static const char *ctl_verdict_name(uint32_t v)
{
	return v == SPDM_VERDICT_ALLOW ? "allow" :
	       v == SPDM_VERDICT_DENY ? "deny" : "none";
}

static int ctl_fail(const char *what, const char *dev, int ret,
		    const char *err)
{
	fprintf(stderr, "spdmctl: %s%s%s: %s", what, dev ? " " : "",
		dev ? dev : "", err[0] ? err : strerror(-ret));
	if (ret == -EPERM && !strstr(err, "CAP_SYS_ADMIN"))
		fprintf(stderr, " (needs CAP_SYS_ADMIN)");
	fprintf(stderr, "\n");
	return 1;
}

static void ctl_json_device(struct agent_json *js, const struct agent_evidence *ev)
{
	char buf[32];

	agent_json_string(js, "device", ev->name);
	agent_json_int(js, "key", ev->key);
	snprintf(buf, sizeof(buf), "%04x:%04x", ev->ids.vendor, ev->ids.device);
	agent_json_string(js, "id", buf);
	snprintf(buf, sizeof(buf), "%06x", ev->ids.class);
	agent_json_string(js, "class", buf);
	agent_json_string(js, "state", agent_evidence_state_name(ev->state));
	agent_json_int(js, "generation", ev->generation);
	agent_json_int(js, "error", ev->result);
	agent_json_string(js, "verdict", ctl_verdict_name(ev->verdict));
}

static void ctl_json_print(struct agent_json *js)
{
	if (js->oom) {
		fprintf(stderr, "spdmctl: out of memory\n");
		return;
	}
	printf("%s\n", js->buf);
}

static int ctl_dump(struct ctl *c, const char *name, bool evidence,
		    struct agent_dump *d)
{
	char err[AGENT_ERR_LEN];
	int ret = agent_nl_dump(&c->nl, name, evidence, d, err, sizeof(err));

	if (ret)
		return ctl_fail("device-get", name, ret, err);
	if (name && !d->ndevs) {
		fprintf(stderr, "spdmctl: no device %s\n", name);
		agent_dump_free(d);
		return 1;
	}
	return 0;
}

static int ctl_list(struct ctl *c)
{
	struct agent_dump d;
	struct agent_json js;

	if (ctl_dump(c, NULL, false, &d))
		return 1;
	if (!c->json)
		printf("%-14s %-9s %-6s %-13s %4s %-7s %s\n", "DEVICE", "ID",
		       "CLASS", "STATE", "GEN", "VERDICT", "ERROR");
	for (size_t i = 0; i < d.ndevs; i++) {
		const struct agent_evidence *ev = &d.devs[i];

		if (c->json) {
			agent_json_init(&js);
			agent_json_open(&js, NULL);
			ctl_json_device(&js, ev);
			agent_json_close(&js);
			ctl_json_print(&js);
			agent_json_free(&js);
			continue;
		}
		printf("%-14s %04x:%04x %06x %-13s %4u %-7s %s\n", ev->name,
		       ev->ids.vendor, ev->ids.device, ev->ids.class,
		       agent_evidence_state_name(ev->state), ev->generation,
		       ctl_verdict_name(ev->verdict),
		       ev->result ? strerror(-ev->result) : "-");
	}
	agent_dump_free(&d);
	return 0;
}

/* The agent's validation of @ev against --trust-store, if one was given. */
static bool ctl_validate(struct ctl *c, const struct agent_evidence *ev,
			 struct agent_trust **trust,
			 struct agent_validation *val)
{
	struct agent_validator *v;
	char err[AGENT_ERR_LEN];

	if (!c->trust_store)
		return false;
	if (!*trust && agent_trust_load(c->trust_store, trust, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s\n", err);
		return false;
	}
	if (agent_validator_new(*trust, AGENT_TIME_WARN, 0, &v))
		return false;
	agent_validator_validate(v, ev, val);
	agent_validator_free(v);
	return true;
}

static void ctl_print_chain(const uint8_t *chain, size_t len, uint32_t hash)
{
	STACK_OF(X509) *certs;
	char err[160];

	if (agent_chain_split(chain, len, hash, &certs, err, sizeof(err))) {
		printf("  (chain not parsable: %s)\n", err);
		return;
	}
	for (int i = 0; i < sk_X509_num(certs); i++)
		PEM_write_X509(stdout, sk_X509_value(certs, i));
	sk_X509_pop_free(certs, X509_free);
}

static int ctl_show(struct ctl *c, const char *name)
{
	struct agent_trust *trust = NULL;
	struct agent_validation val;
	const struct agent_evidence *ev;
	struct agent_dump d;
	struct agent_json js;
	bool have_val;

	if (ctl_dump(c, name, true, &d))
		return 1;
	ev = &d.devs[0];
	have_val = ctl_validate(c, ev, &trust, &val);
	if (c->json) {
		/* the audit record's shape, without a decision */
		agent_json_init(&js);
		if (have_val)
			agent_audit_format_decision(&js, ev, &val, NULL, false);
		else {
			agent_json_open(&js, NULL);
			ctl_json_device(&js, ev);
			agent_json_close(&js);
		}
		ctl_json_print(&js);
		agent_json_free(&js);
	} else {
		const struct agent_asym_info *a = agent_algo_asym(ev->base_asym_alg);
		const struct agent_hash_info *h = agent_algo_hash(ev->base_hash_alg);

		printf("device:     %s (key 0x%x)\n", ev->name, ev->key);
		printf("id:         %04x:%04x class %06x rev %02x subsystem %04x:%04x\n",
		       ev->ids.vendor, ev->ids.device, ev->ids.class,
		       ev->ids.revision, ev->ids.subsys_vendor,
		       ev->ids.subsys_device);
		printf("state:      %s, generation %u%s%s\n",
		       agent_evidence_state_name(ev->state), ev->generation,
		       ev->result ? ", error " : "",
		       ev->result ? strerror(-ev->result) : "");
		printf("verdict:    %s\n", ctl_verdict_name(ev->verdict));
		if (ev->state == AGENT_AUTH_AUTHENTICATED ||
		    ev->state == AGENT_AUTH_FAILED) {
			printf("version:    %u.%u\n", ev->version >> 4,
			       ev->version & 0xf);
			printf("algorithms: %s, %s\n", a ? a->name : "?",
			       h ? h->name : "?");
			printf("slots:      mask 0x%02x, used %u\n", ev->slot_mask,
			       ev->slot);
			printf("cert model: %s\n", agent_cert_model_name(ev->cert_model));
			if (ev->multi_key)
				printf("key pair:   %u, usage 0x%04x\n", ev->key_pair_id,
				       ev->key_usage);
		}
		if (ev->evidence_error[0])
			printf("evidence:   %s\n", ev->evidence_error);
		if (have_val) {
			printf("validation: %s\n", val.verified ? "verified" :
			       "NOT verified");
			printf("  chain:     %s%s%s\n", val.chain_result ?
			       val.chain_error : "ok, anchor ",
			       val.chain_result ? "" : val.anchor,
			       val.time_warning ? " (time warning)" : "");
			printf("  leaf:      %s\n", val.leaf_result ?
			       val.leaf_error : "ok");
			printf("  signature: %s\n", val.signature_result ?
			       val.signature_error : "ok");
			printf("  measurements: %s\n", val.meas_result ?
			       val.meas_error : "ok");
			printf("  identity:  %s\n", val.identity_text[0] ?
			       val.identity_text : "(none)");
		}
		for (int s = 0; s < AGENT_MAX_SLOTS; s++) {
			if (!ev->chain[s])
				continue;
			printf("chain, slot %d (%zu bytes):\n", s, ev->chain_len[s]);
			ctl_print_chain(ev->chain[s], ev->chain_len[s],
					ev->base_hash_alg);
		}
	}
	agent_trust_free(trust);
	agent_dump_free(&d);
	return 0;
}

/* Write a new file in the output directory: never through a planted link. */
static int ctl_write(int dirfd, const char *dir, const char *file,
		     const uint8_t *b, size_t n)
{
	size_t off = 0;
	int fd, err;

	fd = agent_create_at(dirfd, file, 0644);
	if (fd < 0) {
		err = -fd;
		goto out_err;
	}
	while (off < n) {
		ssize_t w = write(fd, b + off, n - off);

		if (w < 0) {
			err = errno;
			close(fd);
			goto out_err;
		}
		off += (size_t)w;
	}
	if (close(fd)) {
		err = errno;
		goto out_err;
	}
	printf("%s/%s\n", dir, file);
	return 0;
out_err:
	fprintf(stderr, "spdmctl: %s/%s: %s\n", dir, file, err == EEXIST ?
		"exists (evidence never replaces a file: give a new directory)" :
		strerror(err));
	return 1;
}

/* --nonce: the evidence must be of an attempt with the caller's nonce. */
static int ctl_fresh_for_caller(const struct ctl *c,
				const struct agent_evidence *ev)
{
	uint8_t nonce[AGENT_NONCE_LEN];
	char err[160];
	size_t n;

	if (spdm_unhex(c->nonce, nonce, sizeof(nonce), &n) ||
	    n != sizeof(nonce)) {
		fprintf(stderr, "spdmctl: --nonce needs %d hex digits\n",
			2 * AGENT_NONCE_LEN);
		return 1;
	}
	if (agent_freshness_check(ev, nonce, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s: evidence not fresh: %s\n",
			ev->name, err);
		return 1;
	}
	return 0;
}

static int ctl_evidence(struct ctl *c, const char *name)
{
	const struct agent_evidence *ev;
	struct agent_dump d;
	struct agent_json js;
	int dirfd, ret = 0;

	if (!c->out) {
		fprintf(stderr, "spdmctl: evidence needs --out DIR\n");
		return 2;
	}
	if (ctl_dump(c, name, true, &d))
		return 1;
	ev = &d.devs[0];
	if (c->nonce && ctl_fresh_for_caller(c, ev)) {
		agent_dump_free(&d);
		return 1;
	}
	dirfd = agent_dir_open_private(c->out);
	if (dirfd < 0) {
		fprintf(stderr, "spdmctl: %s: %s\n", c->out,
			dirfd == -EPERM ?
			"not yours, or writable by others: give a new directory" :
			dirfd == -ELOOP ?
			"a symbolic link: give the directory itself" :
			strerror(-dirfd));
		agent_dump_free(&d);
		return 1;
	}
	for (int s = 0; s < AGENT_MAX_SLOTS; s++) {
		char file[32];

		if (!ev->chain[s])
			continue;
		snprintf(file, sizeof(file), "chain-slot%d.bin", s);
		ret |= ctl_write(dirfd, c->out, file, ev->chain[s],
				 ev->chain_len[s]);
	}
	if (ev->transcript)
		ret |= ctl_write(dirfd, c->out, "transcript.bin", ev->transcript,
				 ev->transcript_len);
	if (ev->signature)
		ret |= ctl_write(dirfd, c->out, "signature.bin", ev->signature,
				 ev->signature_len);
	if (ev->meas)
		ret |= ctl_write(dirfd, c->out, "measurements.bin", ev->meas,
				 ev->meas_len);
	if (ev->meas_transcript)
		ret |= ctl_write(dirfd, c->out, "meas-transcript.bin",
				 ev->meas_transcript, ev->meas_transcript_len);
	if (ev->meas_signature)
		ret |= ctl_write(dirfd, c->out, "meas-signature.bin",
				 ev->meas_signature, ev->meas_signature_len);
	if (ev->has_nonce)
		ret |= ctl_write(dirfd, c->out, "nonce.bin", ev->nonce,
				 sizeof(ev->nonce));
	agent_json_init(&js);
	agent_json_open(&js, NULL);
	ctl_json_device(&js, ev);
	agent_json_int(&js, "version", ev->version);
	agent_json_int(&js, "base_asym_alg", ev->base_asym_alg);
	agent_json_int(&js, "base_hash_alg", ev->base_hash_alg);
	agent_json_int(&js, "slot", ev->slot);
	agent_json_string(&js, "cert_model", agent_cert_model_name(ev->cert_model));
	if (ev->multi_key) {
		agent_json_int(&js, "key_pair_id", ev->key_pair_id);
		agent_json_int(&js, "key_usage", ev->key_usage);
	}
	agent_json_int(&js, "req_nonce_offset", (long long)ev->req_nonce_off);
	agent_json_int(&js, "rsp_nonce_offset", (long long)ev->rsp_nonce_off);
	agent_json_close(&js);
	agent_json_raw(&js, "\n", 1);
	if (!js.oom)
		ret |= ctl_write(dirfd, c->out, "device.json",
				 (uint8_t *)js.buf, js.len);
	agent_json_free(&js);
	agent_dump_free(&d);
	close(dirfd);
	return ret;
}

static int ctl_authenticate(struct ctl *c, const char *name)
{
	uint8_t nonce[AGENT_NONCE_LEN];
	char err[AGENT_ERR_LEN];
	uint32_t gen = 0;
	size_t n;
	int ret;

	if (c->nonce && (spdm_unhex(c->nonce, nonce, sizeof(nonce), &n) ||
			 n != sizeof(nonce))) {
		fprintf(stderr, "spdmctl: --nonce needs %d hex digits\n",
			2 * AGENT_NONCE_LEN);
		return 2;
	}
	ret = agent_nl_authenticate(&c->nl, name, c->nonce ? nonce : NULL, &gen,
				    err, sizeof(err));
	if (ret)
		return ctl_fail("authenticate", name, ret, err);
	printf("%s: authentication queued, generation %u\n", name, gen);
	return 0;
}

static int ctl_verdict(struct ctl *c, const char *name, bool allow)
{
	char err[AGENT_ERR_LEN];
	struct agent_dump d;
	int ret;

	if (ctl_dump(c, name, false, &d))
		return 1;
	ret = agent_nl_verdict(&c->nl, &d.devs[0], allow,
			       c->reason ? c->reason : "spdmctl",
			       SPDM_VERDICT_SOURCE_ADMIN, err, sizeof(err));
	if (!ret)
		printf("%s generation %u: %s\n", name, d.devs[0].generation,
		       allow ? "allowed" : "denied");
	agent_dump_free(&d);
	return ret ? ctl_fail(allow ? "allow" : "deny", name, ret, err) : 0;
}

/* A label that stays a valid quoted string whatever the subject holds. */
static void ctl_label(const struct agent_evidence *ev,
		      const struct agent_validation *val, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s %04x:%04x", ev->name,
				    ev->ids.vendor, ev->ids.device);
	const char *cn = strstr(val->subject, "CN=");

	if (cn && n + 3 < len) {
		buf[n++] = ' ';
		for (cn += 3; *cn && *cn != ',' && n + 1 < len; cn++)
			buf[n++] = (*cn >= 0x20 && *cn < 0x7f && *cn != '"' &&
				    *cn != '\\') ? *cn : '?';
		buf[n] = '\0';
	}
}

static int ctl_generate_policy(struct ctl *c)
{
	struct agent_trust *trust = NULL;
	struct agent_validator *v = NULL;
	struct agent_dump d;
	char hex[65], label[128], err[AGENT_ERR_LEN];

	if (ctl_dump(c, NULL, true, &d))
		return 1;
	if (c->trust_store &&
	    agent_trust_load(c->trust_store, &trust, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s\n", err);
		agent_dump_free(&d);
		return 1;
	}
	printf("# Generated by spdmctl generate-policy from the %zu device%s present.\n"
	       "# Review before installing: every rule pins what the device presented.\n"
	       "default deny\n"
	       "time-check warn\n", d.ndevs, d.ndevs == 1 ? "" : "s");
	if (c->trust_store)
		printf("trust-store \"%s\"\n", c->trust_store);
	printf("\n");
	for (size_t i = 0; i < d.ndevs; i++) {
		const struct agent_evidence *ev = &d.devs[i];
		struct agent_validation val = { 0 };

		if (!v && agent_validator_new(trust, AGENT_TIME_WARN, 0, &v))
			break;
		if (trust)
			agent_validator_validate(v, ev, &val);
		else if (ev->chain[ev->slot % AGENT_MAX_SLOTS]) {
			STACK_OF(X509) *certs;

			/* no trust store: pin the leaf the kernel verified */
			if (!agent_chain_split(ev->chain[ev->slot % AGENT_MAX_SLOTS],
					       ev->chain_len[ev->slot % AGENT_MAX_SLOTS],
					       ev->base_hash_alg, &certs,
					       err, sizeof(err))) {
				val.have_leaf_fp = !agent_fingerprint(
					sk_X509_value(certs, sk_X509_num(certs) - 1),
					val.leaf_fp);
				sk_X509_pop_free(certs, X509_free);
			}
		}
		if (ev->state == AGENT_AUTH_UNSUPPORTED) {
			/* nothing to prove: pin where it is and what it says it is */
			printf("# cannot authenticate: whatever sits at %s and says so gets in\n"
			       "# (--check-policy warns; drop it to hold such devices under gate_mode=all)\n",
			       ev->name);
			printf("allow address %s id %04x:%04x class %06x state unsupported \\\n"
			       "\tlabel \"%s %04x:%04x (no SPDM)\"\n\n", ev->name,
			       ev->ids.vendor, ev->ids.device, ev->ids.class,
			       ev->name, ev->ids.vendor, ev->ids.device);
			continue;
		}
		if (ev->state != AGENT_AUTH_AUTHENTICATED || !val.have_leaf_fp) {
			printf("# %s %04x:%04x: %s%s%s: denied by default\n\n",
			       ev->name, ev->ids.vendor, ev->ids.device,
			       agent_evidence_state_name(ev->state),
			       ev->result ? ", " : "",
			       ev->result ? strerror(-ev->result) : "");
			continue;
		}
		spdm_hex(val.leaf_fp, AGENT_SHA256_LEN, hex, sizeof(hex));
		ctl_label(ev, &val, label, sizeof(label));
		if (val.verified) {
			printf("allow id %04x:%04x subsystem %04x:%04x verified yes \\\n"
			       "\tanchor \"%s\" leaf-fingerprint sha256:%s \\\n"
			       "\tlabel \"%s\"\n\n", ev->ids.vendor, ev->ids.device,
			       ev->ids.subsys_vendor, ev->ids.subsys_device,
			       val.anchor, hex, label);
		} else {
			printf("# %s: %s; pinned to its leaf as the kernel authenticated it\n"
			       "allow id %04x:%04x subsystem %04x:%04x state authenticated \\\n"
			       "\tleaf-fingerprint sha256:%s \\\n\tlabel \"%s\"\n\n",
			       ev->name, trust ? (val.chain_result ? val.chain_error :
			       "not verified") : "no trust store given",
			       ev->ids.vendor, ev->ids.device,
			       ev->ids.subsys_vendor, ev->ids.subsys_device, hex,
			       label);
		}
	}
	agent_validator_free(v);
	agent_trust_free(trust);
	agent_dump_free(&d);
	return 0;
}

static const char *ctl_ntf_name(uint8_t cmd)
{
	switch (cmd) {
	case SPDM_CMD_DEVICE_ADDED_NTF:
		return "added";
	case SPDM_CMD_AUTH_DONE_NTF:
		return "auth-done";
	case SPDM_CMD_VERDICT_NTF:
		return "verdict";
	case SPDM_CMD_DEVICE_REMOVED_NTF:
		return "removed";
	case SPDM_CMD_IDENTITY_CHANGED_NTF:
		return "identity-changed";
	}
	return "unknown";
}

static void ctl_watch_ntf(const struct agent_ntf *n, void *ctx)
{
	const struct ctl *c = ctx;
	const struct agent_evidence *ev = &n->dev;
	struct agent_json js;

	if (c->json) {
		agent_json_init(&js);
		agent_json_open(&js, NULL);
		agent_json_string(&js, "event", ctl_ntf_name(n->cmd));
		ctl_json_device(&js, ev);
		agent_json_close(&js);
		ctl_json_print(&js);
		agent_json_free(&js);
	} else {
		printf("%-9s %s generation %u", ctl_ntf_name(n->cmd), ev->name,
		       ev->generation);
		if (n->has_state)
			printf(" %s", agent_evidence_state_name(ev->state));
		if (ev->result)
			printf(" (%s)", strerror(-ev->result));
		if (n->cmd == SPDM_CMD_VERDICT_NTF)
			printf(" %s", ctl_verdict_name(ev->verdict));
		if (n->has_identity) {
			char id[2 * AGENT_SHA256_LEN + 1], allowed[2 * AGENT_SHA256_LEN + 1];

			spdm_hex(n->identity, AGENT_SHA256_LEN, id, sizeof(id));
			spdm_hex(n->allowed_identity, AGENT_SHA256_LEN, allowed, sizeof(allowed));
			printf(" identity %s allowed %s", id, allowed);
		}
		printf("\n");
	}
	fflush(stdout);
}

static int ctl_watch(struct ctl *c)
{
	struct pollfd pfd = { .fd = agent_nl_monitor_fd(&c->nl), .events = POLLIN };
	int ret;

	for (;;) {
		if (poll(&pfd, 1, -1) < 0)
			return errno == EINTR ? 0 : 1;
		if (!(pfd.revents & (POLLIN | POLLERR)))
			continue;
		ret = agent_nl_monitor_read(&c->nl, ctl_watch_ntf, c);
		if (ret == -ENOBUFS)
			fprintf(stderr, "spdmctl: notifications lost\n");
		else if (ret)
			return ctl_fail("watch", NULL, ret, "");
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trust-store", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "nonce", required_argument, NULL, 'N' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct ctl c = { 0 };
	char err[AGENT_ERR_LEN];
	const char *cmd, *dev;
	bool needs_dev;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "jt:o:N:r:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 't':
			c.trust_store = optarg;
			break;
		case 'o':
			c.out = optarg;
			break;
		case 'N':
			c.nonce = optarg;
			break;
		case 'r':
			c.reason = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return 0;
		case 'V':
			printf("spdmctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		ctl_usage(stderr);
		return 2;
	}
	cmd = argv[optind++];
	needs_dev = strcmp(cmd, "list") && strcmp(cmd, "watch") &&
		    strcmp(cmd, "generate-policy");
	dev = optind < argc ? argv[optind++] : NULL;
	if (optind != argc || needs_dev != !!dev) {
		ctl_usage(stderr);
		return 2;
	}
	ret = agent_nl_open(&c.nl, !strcmp(cmd, "watch"), err, sizeof(err));
	if (ret)
		return ctl_fail("connect", NULL, ret, err);
	if (!strcmp(cmd, "list"))
		ret = ctl_list(&c);
	else if (!strcmp(cmd, "show"))
		ret = ctl_show(&c, dev);
	else if (!strcmp(cmd, "evidence"))
		ret = ctl_evidence(&c, dev);
	else if (!strcmp(cmd, "authenticate"))
		ret = ctl_authenticate(&c, dev);
	else if (!strcmp(cmd, "allow") || !strcmp(cmd, "deny"))
		ret = ctl_verdict(&c, dev, !strcmp(cmd, "allow"));
	else if (!strcmp(cmd, "generate-policy"))
		ret = ctl_generate_policy(&c);
	else if (!strcmp(cmd, "watch"))
		ret = ctl_watch(&c);
	else {
		ctl_usage(stderr);
		ret = 2;
	}
	agent_nl_close(&c.nl);
	return ret;
}
