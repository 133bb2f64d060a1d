// SPDX-License-Identifier: GPL-2.0
/*
 * spdmctl: the administrator's view of SPDM device authentication.
 *
 * Subcommands and the options each takes are one table (ctl_cmds): a bad
 * subcommand, option or argument is a usage error (exit 2) before any
 * netlink socket is opened, and `verify` never opens one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <stdarg.h>
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
	const char *policy;
	struct agent_nl nl;
};

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

/* @none: the command table's argument, NULL: this command takes none */
static int ctl_list(struct ctl *c, const char *none)
{
	struct agent_dump d;
	struct agent_json js;

	(void)none;

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

static int ctl_write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Create --out FILE: only a new name, never through a planted link, in a
 * directory that is the caller's own (created when missing).
 */
static int ctl_create_out(const char *path)
{
	char *dcopy = strdup(path), *bcopy = strdup(path);
	const char *dir, *base;
	int dirfd, fd = -ENOMEM;

	if (!dcopy || !bcopy)
		goto out;
	dir = dirname(dcopy);
	base = basename(bcopy);
	if (!base[0] || !strcmp(base, "/") || !strcmp(base, ".") ||
	    !strcmp(base, "..")) {
		fprintf(stderr, "spdmctl: %s: name a file\n", path);
		fd = -EINVAL;
		goto out;
	}
	dirfd = agent_dir_open_private(dir);
	if (dirfd < 0) {
		fprintf(stderr, "spdmctl: %s: %s\n", dir, dirfd == -EPERM ?
			"not yours, or writable by others: give a directory of your own" :
			dirfd == -ELOOP ?
			"a symbolic link: give the directory itself" :
			strerror(-dirfd));
		fd = dirfd;
		goto out;
	}
	fd = agent_create_at(dirfd, base, 0644);
	close(dirfd);
	if (fd < 0)
		fprintf(stderr, "spdmctl: %s: %s\n", path, fd == -EEXIST ?
			"exists (evidence never replaces a file: give a new name)" :
			strerror(-fd));
out:
	free(dcopy);
	free(bcopy);
	return fd;
}

static int ctl_evidence(struct ctl *c, const char *name)
{
	const struct agent_evidence *ev;
	struct agent_dump d;
	char *text = NULL;
	size_t len;
	int fd, ret;

	if (ctl_dump(c, name, true, &d))
		return 1;
	ev = &d.devs[0];
	if (c->nonce && ctl_fresh_for_caller(c, ev)) {
		agent_dump_free(&d);
		return 1;
	}
	ret = agent_evfile_write(ev, &text, &len);
	agent_dump_free(&d);
	if (ret) {
		fprintf(stderr, "spdmctl: %s: %s\n", name, strerror(-ret));
		return 1;
	}
	fd = c->out && strcmp(c->out, "-") ? ctl_create_out(c->out) :
	     STDOUT_FILENO;
	if (fd < 0) {
		free(text);
		return 1;
	}
	ret = ctl_write_all(fd, text, len);
	if (fd != STDOUT_FILENO && close(fd) && !ret)
		ret = -errno;
	free(text);
	if (ret) {
		fprintf(stderr, "spdmctl: %s: %s\n", c->out ? c->out : "stdout",
			strerror(-ret));
		return 1;
	}
	return 0;
}

/* Exit statuses of verify (spdmctl(8)). */
enum {
	CTL_VERIFY_ALLOW = 0,
	CTL_VERIFY_DENY = 1,
	CTL_VERIFY_ERROR = 3,
};

/* --trust-store without --policy: the validation alone, no decision. */
static int ctl_verify_validation(struct ctl *c, const struct agent_evidence *ev)
{
	struct agent_trust *trust = NULL;
	struct agent_validator *v;
	struct agent_validation val;
	char err[AGENT_ERR_LEN];
	struct agent_json js;
	int ret;

	if (agent_trust_load(c->trust_store, &trust, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s\n", err);
		return CTL_VERIFY_ERROR;
	}
	if (agent_validator_new(trust, AGENT_TIME_WARN, 0, &v)) {
		agent_trust_free(trust);
		return CTL_VERIFY_ERROR;
	}
	agent_validator_check_measurements(v, ev->meas != NULL);
	agent_validator_validate(v, ev, &val);
	agent_json_init(&js);
	ret = agent_audit_format_decision(&js, ev, &val, NULL, false);
	if (!ret) {
		if (!c->json)
			printf("%s generation %u: %s\n", ev->name, ev->generation,
			       val.verified ? "verified" : "NOT verified");
		printf("%s\n", js.buf);
	}
	agent_json_free(&js);
	agent_validator_free(v);
	agent_trust_free(trust);
	if (ret)
		return CTL_VERIFY_ERROR;
	return val.verified ? CTL_VERIFY_ALLOW : CTL_VERIFY_DENY;
}

/*
 * The daemon's appraisal of an evidence file, offline: its rules loader, its
 * validator and policy (agent_appraise()), and the audit record it writes.
 */
static int ctl_verify(struct ctl *c, const char *file)
{
	struct agent_rules *r = NULL;
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_evidence ev;
	char err[AGENT_ERR_LEN], reason[256];
	struct agent_json js;
	int ret;

	if (agent_evfile_read(file, &ev, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s\n", err);
		return CTL_VERIFY_ERROR;
	}
	if (!c->policy) {
		ret = ctl_verify_validation(c, &ev);
		agent_evidence_free(&ev);
		return ret;
	}
	if (agent_rules_load(c->policy, c->trust_store, &r, err, sizeof(err))) {
		fprintf(stderr, "spdmctl: %s\n", err);
		agent_evidence_free(&ev);
		return CTL_VERIFY_ERROR;
	}
	agent_appraise(r, &ev, &val, &dec);
	agent_decision_reason(&dec, reason, sizeof(reason));
	agent_json_init(&js);
	ret = agent_audit_format_decision(&js, &ev, &val, &dec, false);
	if (!ret) {
		if (!c->json)
			printf("%s generation %u: %s by %s\n", ev.name,
			       ev.generation,
			       dec.verdict == AGENT_ALLOW ? "allow" : "deny",
			       reason);
		printf("%s\n", js.buf);
	}
	agent_json_free(&js);
	agent_rules_free(r);
	agent_evidence_free(&ev);
	if (ret)
		return CTL_VERIFY_ERROR;
	return dec.verdict == AGENT_ALLOW ? CTL_VERIFY_ALLOW : CTL_VERIFY_DENY;
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

/* @none: the command table's argument, NULL: this command takes none */
static int ctl_generate_policy(struct ctl *c, const char *none)
{
	struct agent_trust *trust = NULL;
	struct agent_validator *v = NULL;
	struct agent_dump d;
	char hex[65], label[128], err[AGENT_ERR_LEN];

	(void)none;

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

/* @none: the command table's argument, NULL: this command takes none */
static int ctl_watch(struct ctl *c, const char *none)
{
	struct pollfd pfd = { .fd = agent_nl_monitor_fd(&c->nl), .events = POLLIN };
	int ret;

	(void)none;

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

static int ctl_allow(struct ctl *c, const char *dev)
{
	return ctl_verdict(c, dev, true);
}

static int ctl_deny(struct ctl *c, const char *dev)
{
	return ctl_verdict(c, dev, false);
}

/* The options; a subcommand names those it takes. */
enum {
	CTL_OPT_JSON = 1 << 0,
	CTL_OPT_TRUST_STORE = 1 << 1,
	CTL_OPT_OUT = 1 << 2,
	CTL_OPT_NONCE = 1 << 3,
	CTL_OPT_REASON = 1 << 4,
	CTL_OPT_POLICY = 1 << 5,
};

static const struct ctl_opt {
	unsigned int bit;
	struct option lo;
	const char *usage;
} ctl_opts[] = {
	{ CTL_OPT_JSON, { "json", no_argument, NULL, 'j' }, "-j, --json" },
	{ CTL_OPT_TRUST_STORE, { "trust-store", required_argument, NULL, 't' },
	  "-t, --trust-store DIR" },
	{ CTL_OPT_OUT, { "out", required_argument, NULL, 'o' }, "-o, --out FILE" },
	{ CTL_OPT_NONCE, { "nonce", required_argument, NULL, 'N' }, "-N, --nonce HEX" },
	{ CTL_OPT_REASON, { "reason", required_argument, NULL, 'r' },
	  "-r, --reason TEXT" },
	{ CTL_OPT_POLICY, { "policy", required_argument, NULL, 'p' },
	  "-p, --policy FILE" },
};

enum ctl_arg {
	CTL_ARG_NONE,
	CTL_ARG_DEVICE,
	CTL_ARG_FILE,
};

enum ctl_nl {
	CTL_NL_NONE,		/* offline: no socket at all */
	CTL_NL_REQUESTS,
	CTL_NL_MONITOR,		/* requests and the monitor group */
};

static const struct ctl_cmd {
	const char *name;
	enum ctl_arg arg;
	unsigned int opts;
	enum ctl_nl nl;
	int (*run)(struct ctl *c, const char *arg);
	const char *help;
} ctl_cmds[] = {
	{ "list", CTL_ARG_NONE, CTL_OPT_JSON, CTL_NL_REQUESTS, ctl_list,
	  "devices, state, generation, verdict" },
	{ "show", CTL_ARG_DEVICE, CTL_OPT_JSON | CTL_OPT_TRUST_STORE,
	  CTL_NL_REQUESTS, ctl_show,
	  "negotiated parameters, chains as PEM, and the agent's validation\n"
	  "against --trust-store" },
	{ "evidence", CTL_ARG_DEVICE, CTL_OPT_OUT | CTL_OPT_NONCE,
	  CTL_NL_REQUESTS, ctl_evidence,
	  "the device's evidence as one file (docs/evidence-format.md) to\n"
	  "--out FILE (a new name) or stdout; with --nonce only if the\n"
	  "attempt used and signed that nonce" },
	{ "verify", CTL_ARG_FILE, CTL_OPT_JSON | CTL_OPT_POLICY | CTL_OPT_TRUST_STORE,
	  CTL_NL_NONE, ctl_verify,
	  "appraise an evidence file offline as spdm-agent would: decision\n"
	  "and audit record; exit 0 allow, 1 deny, 3 error" },
	{ "authenticate", CTL_ARG_DEVICE, CTL_OPT_NONCE, CTL_NL_REQUESTS,
	  ctl_authenticate, "authenticate again (64 hex digit nonce)" },
	{ "allow", CTL_ARG_DEVICE, CTL_OPT_REASON, CTL_NL_REQUESTS, ctl_allow,
	  "verdict by hand for the current generation" },
	{ "deny", CTL_ARG_DEVICE, CTL_OPT_REASON, CTL_NL_REQUESTS, ctl_deny,
	  "verdict by hand for the current generation" },
	{ "generate-policy", CTL_ARG_NONE, CTL_OPT_TRUST_STORE, CTL_NL_REQUESTS,
	  ctl_generate_policy, "a policy allowing exactly the devices present" },
	{ "watch", CTL_ARG_NONE, CTL_OPT_JSON, CTL_NL_MONITOR, ctl_watch,
	  "print notifications as they come" },
};

static void ctl_usage(FILE *f)
{
	static const char *const args[] = { "", " DEVICE", " FILE" };

	fprintf(f, "usage: spdmctl COMMAND [ARGS] [OPTIONS]\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(ctl_cmds); i++) {
		const struct ctl_cmd *cmd = &ctl_cmds[i];
		const char *h = cmd->help;

		fprintf(f, "  %s%s", cmd->name, args[cmd->arg]);
		for (size_t k = 0; k < ARRAY_SIZE(ctl_opts); k++)
			if (cmd->opts & ctl_opts[k].bit)
				fprintf(f, " [%s]", strchr(ctl_opts[k].usage, ' ') + 1);
		fprintf(f, "\n");
		while (*h) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "      %.*s\n", (int)n, h);
			h += n + !!h[n];
		}
	}
	fprintf(f, "\n  -h, --help                    this text\n"
		   "  -V, --version                 print the version and exit\n");
}

static __printf(1, 2) int ctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "spdmctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	ctl_usage(stderr);
	return 2;
}

/*
 * A reason the kernel would record otherwise than typed is refused: it turns
 * each control byte into '?' (spdm.yaml) and keeps SPDM_REASON_MAX_LEN bytes.
 * The byte is named as the agent's log escapes one.
 */
static int ctl_reason_check(const char *reason)
{
	size_t len = strlen(reason);

	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)reason[i];

		if (b < 0x20 || b == 0x7f)
			return ctl_usage_error("--reason has a control byte \\x%02x at offset %zu",
					       b, i);
	}
	if (len > SPDM_REASON_MAX_LEN)
		return ctl_usage_error("--reason is %zu bytes, at most %d", len,
				       SPDM_REASON_MAX_LEN);
	return 0;
}

static const struct ctl_cmd *ctl_cmd_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		if (!strcmp(ctl_cmds[i].name, name))
			return &ctl_cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct option opts[ARRAY_SIZE(ctl_opts) + 3] = {
		[ARRAY_SIZE(ctl_opts)] = { "help", no_argument, NULL, 'h' },
		[ARRAY_SIZE(ctl_opts) + 1] = { "version", no_argument, NULL, 'V' },
	};
	const char **dest[128] = { 0 };
	const struct ctl_cmd *cmd;
	struct ctl c = { 0 };
	char err[AGENT_ERR_LEN];
	const char *json = NULL, *arg;
	unsigned int seen = 0;
	int opt, ret;

	for (size_t k = 0; k < ARRAY_SIZE(ctl_opts); k++)
		opts[k] = ctl_opts[k].lo;
	dest['j'] = &json;
	dest['t'] = &c.trust_store;
	dest['o'] = &c.out;
	dest['N'] = &c.nonce;
	dest['r'] = &c.reason;
	dest['p'] = &c.policy;
	while ((opt = getopt_long(argc, argv, "jt:o:N:r:p:hV", opts, NULL)) != -1) {
		size_t k;

		if (opt == 'h') {
			ctl_usage(stdout);
			return 0;
		}
		if (opt == 'V') {
			printf("spdmctl %s\n", PACKAGE_VERSION);
			return 0;
		}
		for (k = 0; k < ARRAY_SIZE(ctl_opts); k++)
			if (ctl_opts[k].lo.val == opt)
				break;
		if (k == ARRAY_SIZE(ctl_opts)) {
			ctl_usage(stderr);
			return 2;
		}
		*dest[opt] = optarg ? optarg : "";
		seen |= ctl_opts[k].bit;
	}
	c.json = json;
	if (optind >= argc)
		return ctl_usage_error("no command given");
	cmd = ctl_cmd_find(argv[optind]);
	if (!cmd)
		return ctl_usage_error("unknown command \"%s\"", argv[optind]);
	optind++;
	for (size_t k = 0; k < ARRAY_SIZE(ctl_opts); k++) {
		if ((seen & ctl_opts[k].bit) && !(cmd->opts & ctl_opts[k].bit)) {
			fprintf(stderr, "spdmctl: %s does not take --%s\n",
				cmd->name, ctl_opts[k].lo.name);
			ctl_usage(stderr);
			return 2;
		}
	}
	arg = optind < argc ? argv[optind++] : NULL;
	if (optind != argc)
		return ctl_usage_error("extra argument \"%s\"", argv[optind]);
	if (!arg != (cmd->arg == CTL_ARG_NONE))
		return ctl_usage_error("%s %s", cmd->name, arg ? "takes no argument" :
				       cmd->arg == CTL_ARG_DEVICE ? "needs a DEVICE" :
				       "needs a FILE");
	if (c.reason && ctl_reason_check(c.reason))
		return 2;
	if (cmd->run == ctl_verify && !c.policy && !c.trust_store)
		return ctl_usage_error("%s needs --policy FILE or --trust-store DIR",
				       cmd->name);
	if (cmd->nl == CTL_NL_NONE)
		return cmd->run(&c, arg);
	ret = agent_nl_open(&c.nl, cmd->nl == CTL_NL_MONITOR, err, sizeof(err));
	if (ret)
		return ctl_fail("connect", NULL, ret, err);
	ret = cmd->run(&c, arg);
	agent_nl_close(&c.nl);
	return ret;
}
