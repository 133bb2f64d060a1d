// SPDX-License-Identifier: GPL-2.0
/*
 * The audit trail. Every decision becomes one JSON line appended to a file
 * and flushed to disk before the verdict goes to the kernel, so a crash
 * never loses a decision that took effect; the same decision goes to the
 * journal with structured fields and, when asked, to the Linux audit
 * subsystem as AUDIT_USER_DEVICE. Every verdict that took effect, whoever
 * gave it, a verdict the kernel refused, agent start, stop and policy loads
 * are recorded the same way, by agent_audit_record().
 *
 * A record is a whole line or nothing: a write cut short is cut back off the
 * file. A file that cannot be opened is tried again at the next record.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#include <openssl/evp.h>

#include <json.h>
#include <libaudit.h>
#include <systemd/sd-journal.h>

#include <linux/spdm.h>

#include "agent.h"

/* journalctl MESSAGE_ID=… finds every record of one kind */
#define AGENT_MSGID_DECISION	"f40deac209a54769a9afab41defe3e89"
#define AGENT_MSGID_EVENT	"c84f55b308a948c2a317e985d39a893a"
#define AGENT_MSGID_VERDICT	"9b3e5c8f0d1a4e6fb2c7a9d41e8f6a20"

/* fsync the directory holding @path, so a file just created in it stays. */
static int agent_audit_sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int agent_audit_open_file(struct agent_audit *au)
{
	int fd, ret;

	fd = open(au->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC,
		  0600);
	if (fd < 0 && errno == EEXIST) {
		fd = open(au->path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		au->fd = fd;
		return 0;
	}
	if (fd < 0)
		return -errno;
	/* a new file must survive a crash with the records it will hold */
	ret = agent_audit_sync_dir(au->path);
	if (ret) {
		close(fd);
		unlink(au->path);
		return ret;
	}
	au->fd = fd;
	return 0;
}

/**
 * agent_audit_open() - open the audit destinations
 * @au: audit state
 * @path: JSON lines file (appended, created 0600), NULL for none
 * @journal: also log to the systemd journal
 * @linux_audit: also log to the kernel's audit subsystem
 *
 * When @path cannot be opened the state is still usable: each later record
 * tries to open it again and fails until it can.
 *
 * Return: 0, or the negative errno of opening @path. Linux audit being
 * unavailable is not an error: it is reported and skipped.
 */
int agent_audit_open(struct agent_audit *au, const char *path, bool journal,
		     bool linux_audit)
{
	au->fd = -1;
	au->path = path;
	au->torn = false;
	au->journal = journal;
	au->linux_audit_fd = -1;
	if (linux_audit) {
		au->linux_audit_fd = audit_open();
		if (au->linux_audit_fd < 0)
			agent_warning("Linux audit unavailable: %s",
				      strerror(errno));
	}
	return path ? agent_audit_open_file(au) : 0;
}

/** agent_audit_close() - close every destination */
void agent_audit_close(struct agent_audit *au)
{
	if (au->fd >= 0)
		close(au->fd);
	if (au->linux_audit_fd >= 0)
		audit_close(au->linux_audit_fd);
	au->path = NULL;
	au->fd = -1;
	au->linux_audit_fd = -1;
}

static void agent_audit_time(struct agent_json *js)
{
	struct timespec ts;
	struct tm tm;
	char date[32], buf[48];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, sizeof(buf), "%s.%03uZ", date,
		 (unsigned int)(ts.tv_nsec / 1000000) % 1000);
	agent_json_string(js, "time", buf);
}

/** agent_audit_boot_id() - this boot's id, to tell boots apart in the log */
const char *agent_audit_boot_id(void)
{
	static char id[40];
	FILE *f;

	if (id[0])
		return id;
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f || !fgets(id, sizeof(id), f))
		snprintf(id, sizeof(id), "unknown");
	if (f)
		fclose(f);
	id[strcspn(id, "\n")] = '\0';
	return id;
}

static void agent_audit_step(struct agent_json *js, const char *key,
			     int result, const char *error)
{
	char buf[160];

	if (!result)
		agent_json_string(js, key, "ok");
	else {
		snprintf(buf, sizeof(buf), "%s (%s)", error[0] ? error : "failed",
			 strerror(-result));
		agent_json_string(js, key, buf);
	}
}

static const char *const agent_identity_names[] = {
	[AGENT_IDENTITY_ABSENT] = "absent",
	[AGENT_IDENTITY_MATCH] = "match",
	[AGENT_IDENTITY_MISMATCH] = "mismatch",
	[AGENT_IDENTITY_MALFORMED] = "malformed",
};

/**
 * agent_audit_format_decision() - one decision as a JSON object
 * @js: JSON writer (at the start of a line)
 * @ev: the device's evidence
 * @val: the agent's validation
 * @dec: the decision, or NULL for a validation report without one
 * @dry_run: the verdict is not sent
 *
 * Return: 0 or -ENOMEM.
 */
int agent_audit_format_decision(struct agent_json *js,
				const struct agent_evidence *ev,
				const struct agent_validation *val,
				const struct agent_decision *dec, bool dry_run)
{
	const struct agent_asym_info *a = agent_algo_asym(ev->base_asym_alg);
	const struct agent_hash_info *h = agent_algo_hash(ev->base_hash_alg);
	char buf[64], attempt[AGENT_ATTEMPT_LEN];

	agent_json_open(js, NULL);
	agent_audit_time(js);
	agent_json_string(js, "event", dec ? "decision" : "validation");
	agent_json_string(js, "device", ev->name);
	agent_json_int(js, "generation", ev->generation);
	agent_json_string(js, "boot_id", agent_audit_boot_id());
	if (!agent_evidence_attempt(ev, attempt))
		agent_json_string(js, "attempt", attempt);
	snprintf(buf, sizeof(buf), "%04x:%04x", ev->ids.vendor, ev->ids.device);
	agent_json_string(js, "id", buf);
	snprintf(buf, sizeof(buf), "%06x", ev->ids.class);
	agent_json_string(js, "class", buf);
	snprintf(buf, sizeof(buf), "%02x", ev->ids.revision);
	agent_json_string(js, "revision", buf);
	snprintf(buf, sizeof(buf), "%04x:%04x", ev->ids.subsys_vendor,
		 ev->ids.subsys_device);
	agent_json_string(js, "subsystem", buf);
	agent_json_string(js, "state", agent_evidence_state_name(ev->state));
	agent_json_int(js, "kernel_result", ev->result);
	if (ev->evidence_error[0])
		agent_json_string(js, "evidence_error", ev->evidence_error);
	if (ev->state == AGENT_AUTH_AUTHENTICATED) {
		snprintf(buf, sizeof(buf), "%u.%u", ev->version >> 4,
			 ev->version & 0xf);
		agent_json_string(js, "version", buf);
		agent_json_string(js, "asym", a ? a->name : "unknown");
		agent_json_string(js, "hash", h ? h->name : "unknown");
		agent_json_int(js, "slot", ev->slot);
		agent_json_string(js, "cert_model", agent_cert_model_name(ev->cert_model));
		if (ev->multi_key) {
			agent_json_int(js, "key_pair_id", ev->key_pair_id);
			agent_json_int(js, "key_usage", ev->key_usage);
		}
	}
	agent_json_open(js, "validation");
	agent_json_bool(js, "verified", val->verified);
	agent_audit_step(js, "chain", val->chain_result, val->chain_error);
	agent_json_string(js, "anchor", val->anchor[0] ? val->anchor : NULL);
	agent_json_bool(js, "cached", val->cached);
	if (val->time_warning)
		agent_json_string(js, "time_warning", val->time_error);
	agent_revocation_audit(js, val);
	agent_audit_step(js, "leaf", val->leaf_result, val->leaf_error);
	agent_audit_step(js, "signature", val->signature_result,
			 val->signature_error);
	agent_audit_step(js, "freshness", val->fresh_result, val->fresh_error);
	agent_audit_step(js, "measurements", val->meas_result,
			 val->meas_error);
	agent_refvals_audit(js, val);
	agent_json_string(js, "cma_identity",
			  agent_identity_names[val->identity]);
	if (val->identity_text[0])
		agent_json_string(js, "identity", val->identity_text);
	if (val->have_leaf_fp)
		agent_json_hex(js, "leaf_sha256", val->leaf_fp,
			       AGENT_SHA256_LEN);
	if (val->have_root_fp)
		agent_json_hex(js, "root_sha256", val->root_fp,
			       AGENT_SHA256_LEN);
	if (val->subject[0])
		agent_json_string(js, "subject", val->subject);
	if (val->issuer[0])
		agent_json_string(js, "issuer", val->issuer);
	agent_json_close(js);
	if (!dec) {		/* a validation report, no decision */
		agent_json_close(js);
		return js->oom ? -ENOMEM : 0;
	}
	agent_json_string(js, "verdict",
			  dec->verdict == AGENT_ALLOW ? "allow" : "deny");
	if (dec->rule) {
		agent_json_open(js, "rule");
		agent_json_string(js, "label", dec->rule->label);
		agent_json_string(js, "file", dec->rule->file);
		agent_json_int(js, "line", dec->rule->line);
		agent_json_close(js);
	} else {
		agent_json_string(js, "rule", "default");
	}
	agent_json_bool(js, "dry_run", dry_run);
	/* false: the gate does not hold the device, the verdict is not sent */
	agent_json_bool(js, "gated", ev->gated);
	agent_json_close(js);
	return js->oom ? -ENOMEM : 0;
}

/*
 * Append one line and make it durable before anything acts on it. On any
 * failure the file is cut back to where the line began, so no partial line
 * is left for the next record to join; if even that fails, the next record
 * first ends the broken line.
 */
static int agent_audit_append(struct agent_audit *au, struct agent_json *js)
{
	size_t off = 0;
	off_t start;
	int ret = 0;

	if (!au->path)
		return 0;
	agent_json_raw(js, "\n", 1);
	if (js->oom)
		return -ENOMEM;
	if (au->fd < 0) {
		ret = agent_audit_open_file(au);
		if (ret)
			return ret;
	}
	if (au->torn) {
		ssize_t n = write(au->fd, "\n", 1);

		if (n != 1)
			return n < 0 ? -errno : -EIO;
		au->torn = false;
	}
	start = lseek(au->fd, 0, SEEK_END);
	if (start < 0)
		return -errno;
	while (off < js->len) {
		ssize_t n = write(au->fd, js->buf + off, js->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	if (!ret && fsync(au->fd))
		ret = -errno;
	if (ret && ftruncate(au->fd, start))
		au->torn = true;
	return ret;
}

static void agent_audit_kernel(struct agent_audit *au, const char *op,
			       const char *device, const char *detail,
			       int result)
{
	char *dev = NULL, *det = NULL, msg[1024];

	if (au->linux_audit_fd < 0)
		return;
	dev = audit_encode_nv_string("device", device ? device : "-", 0);
	det = audit_encode_nv_string("reason", detail ? detail : "-", 0);
	if (dev && det) {
		snprintf(msg, sizeof(msg), "op=%s %s %s", op, dev, det);
		audit_log_user_message(au->linux_audit_fd, AUDIT_USER_DEVICE,
				       msg, NULL, NULL, NULL, result);
	}
	free(dev);
	free(det);
}

/* What a record says besides its JSON line: the journal's and Linux audit's. */
struct agent_audit_rec {
	const char *msgid;		/* journal MESSAGE_ID */
	int priority;
	const char *message;		/* journal MESSAGE, after "DEV generation N: " */
	const struct agent_evidence *dev; /* SPDM_DEVICE, SPDM_GENERATION; or NULL */
	const char *const *fields;	/* more KEY, value pairs, NULL-ended, or NULL */
	const char *op;			/* Linux audit operation */
	const char *detail;		/* and its reason */
	int success;
	bool line_first;		/* nothing else unless the line is written */
};

#define AGENT_AUDIT_FIELDS	16

static bool agent_audit_field(char **f, int *n, const char *key, const char *value)
{
	if (*n >= AGENT_AUDIT_FIELDS ||
	    asprintf(&f[*n], "%s=%s", key, value ? value : "") < 0)
		return false;
	(*n)++;
	return true;
}

static void agent_audit_journal(const struct agent_audit_rec *r)
{
	struct iovec iov[AGENT_AUDIT_FIELDS];
	char *f[AGENT_AUDIT_FIELDS], num[16];
	int n = 0;
	bool ok;

	snprintf(num, sizeof(num), "%d", r->priority);
	if (r->dev)
		ok = asprintf(&f[n], "MESSAGE=%s generation %u: %s", r->dev->name,
			      r->dev->generation, r->message) >= 0;
	else
		ok = asprintf(&f[n], "MESSAGE=%s", r->message) >= 0;
	n += ok;
	ok = ok && agent_audit_field(f, &n, "MESSAGE_ID", r->msgid) &&
	     agent_audit_field(f, &n, "PRIORITY", num);
	if (ok && r->dev) {
		snprintf(num, sizeof(num), "%u", r->dev->generation);
		ok = agent_audit_field(f, &n, "SPDM_DEVICE", r->dev->name) &&
		     agent_audit_field(f, &n, "SPDM_GENERATION", num);
	}
	for (const char *const *kv = r->fields; ok && kv && kv[0]; kv += 2)
		ok = agent_audit_field(f, &n, kv[0], kv[1]);
	if (ok) {
		for (int i = 0; i < n; i++)
			iov[i] = (struct iovec){ .iov_base = f[i], .iov_len = strlen(f[i]) };
		sd_journal_sendv(iov, n);
	} else {
		agent_err("a journal record lost (out of memory): %s", r->message);
	}
	for (int i = 0; i < n; i++)
		free(f[i]);
}

/*
 * One record everywhere: end its JSON document and append it durably (an
 * allocation that failed while it was made is -ENOMEM, and nothing is
 * written), then the journal and Linux audit.
 */
static int agent_audit_record(struct agent_audit *au, struct agent_json *js,
			      const struct agent_audit_rec *r)
{
	int ret;

	agent_json_close(js);
	ret = js->oom ? -ENOMEM : agent_audit_append(au, js);
	agent_json_free(js);
	if (ret && r->line_first)
		return ret;
	if (au->journal)
		agent_audit_journal(r);
	agent_audit_kernel(au, r->op, r->dev ? r->dev->name : NULL, r->detail,
			   r->success);
	return ret;
}

/**
 * agent_audit_decision() - record a decision everywhere, durably
 * @au: audit state
 * @ev: the device's evidence
 * @val: the agent's validation
 * @dec: the decision
 * @dry_run: the verdict will not be sent
 *
 * The journal's record of the decision is the agent's log line of it: the
 * caller does not log the decision again when the log is the journal
 * (agent_log_to_journal()) and @au writes to it.
 *
 * Return: 0, or a negative errno when the file could not be written; the
 * caller must then not send the verdict (and nothing went to the journal
 * or Linux audit).
 */
int agent_audit_decision(struct agent_audit *au,
			 const struct agent_evidence *ev,
			 const struct agent_validation *val,
			 const struct agent_decision *dec, bool dry_run)
{
	const char *verdict = dec->verdict == AGENT_ALLOW ? "allow" : "deny";
	const struct agent_rule *r = dec->rule;
	char why[512], msg[600];
	struct agent_json js;

	if (r)
		snprintf(why, sizeof(why), "rule '%s' (%s:%u)",
			 r->label ? r->label : "", r->file, r->line);
	else
		snprintf(why, sizeof(why), "default");
	snprintf(msg, sizeof(msg), "%s by %s%s", verdict, why,
		 dry_run ? " (dry run)" :
		 !ev->gated ? " (not gated: observed only)" : "");
	agent_json_init(&js);
	agent_audit_format_decision(&js, ev, val, dec, dry_run);
	return agent_audit_record(au, &js, &(const struct agent_audit_rec){
		.msgid = AGENT_MSGID_DECISION,
		.priority = dec->verdict == AGENT_ALLOW ? LOG_INFO : LOG_NOTICE,
		.message = msg,
		.dev = ev,
		.fields = (const char *const[]){
			"SPDM_STATE", agent_evidence_state_name(ev->state),
			"SPDM_VERDICT", verdict,
			"SPDM_RULE", why,
			"SPDM_VERIFIED", val->verified ? "1" : "0",
			"SPDM_ANCHOR", val->anchor,
			"SPDM_DRY_RUN", dry_run ? "1" : "0",
			NULL },
		.op = dec->verdict == AGENT_ALLOW ? "spdm-allow" : "spdm-deny",
		.detail = why,
		.success = dec->verdict == AGENT_ALLOW,
		.line_first = true,
	});
}

/**
 * agent_audit_event() - record an agent event (start, stop, policy-load)
 * @au: audit state
 * @event: what happened
 * @detail: e.g. the policy file, or the error
 * @result: 0 or a negative errno
 *
 * Return: 0 or a negative errno from writing the file.
 */
int agent_audit_event(struct agent_audit *au, const char *event,
		      const char *detail, int result)
{
	struct agent_json js;
	char msg[700];

	snprintf(msg, sizeof(msg), "spdm-agent %s: %s%s%s", event,
		 detail ? detail : "", result ? ": " : "",
		 result ? strerror(-result) : "");
	agent_json_init(&js);
	agent_json_open(&js, NULL);
	agent_audit_time(&js);
	agent_json_string(&js, "event", event);
	agent_json_string(&js, "detail", detail);
	agent_json_int(&js, "result", result);
	return agent_audit_record(au, &js, &(const struct agent_audit_rec){
		.msgid = AGENT_MSGID_EVENT,
		.priority = result ? LOG_ERR : LOG_INFO,
		.message = msg,
		.fields = (const char *const[]){ "SPDM_EVENT", event, NULL },
		.op = event,
		.detail = detail,
		.success = !result,
	});
}

static const char *const agent_source_names[] = {
	[SPDM_VERDICT_SOURCE_NONE] = "none",
	[SPDM_VERDICT_SOURCE_AGENT] = "agent",
	[SPDM_VERDICT_SOURCE_TIMEOUT] = "timeout",
	[SPDM_VERDICT_SOURCE_ADMIN] = "admin",
	[SPDM_VERDICT_SOURCE_BYPASS] = "bypass",
};

static const char *agent_verdict_name(uint32_t verdict)
{
	return verdict == SPDM_VERDICT_ALLOW ? "allow" :
	       verdict == SPDM_VERDICT_DENY ? "deny" : "none";
}

/* The start of a record about one device's verdict. */
static void agent_audit_verdict_head(struct agent_json *js, const char *event,
				     const struct agent_evidence *dev,
				     const char *verdict)
{
	agent_json_open(js, NULL);
	agent_audit_time(js);
	agent_json_string(js, "event", event);
	agent_json_string(js, "device", dev->name);
	agent_json_int(js, "key", dev->key);
	agent_json_int(js, "generation", dev->generation);
	agent_json_string(js, "boot_id", agent_audit_boot_id());
	agent_json_string(js, "verdict", verdict);
}

/**
 * agent_audit_verdict() - record a verdict that took effect
 * @au: audit state
 * @n: the kernel's verdict-ntf (device, generation, verdict, source, reason)
 *
 * Whoever gave it: the agent, an administrator, the gate's timeout, or a
 * driver that bound without one (bypass).
 *
 * Return: 0 or a negative errno from making or writing the record.
 */
int agent_audit_verdict(struct agent_audit *au, const struct agent_ntf *n)
{
	const char *verdict = agent_verdict_name(n->dev.verdict);
	const char *source = n->verdict_source < ARRAY_SIZE(agent_source_names) ?
			     agent_source_names[n->verdict_source] : "unknown";
	char why[512], msg[600];
	struct agent_json js;

	snprintf(why, sizeof(why), "%s by %s: %s", verdict, source, n->reason);
	snprintf(msg, sizeof(msg), "verdict %s", why);
	agent_json_init(&js);
	agent_audit_verdict_head(&js, "verdict", &n->dev, verdict);
	agent_json_string(&js, "source", source);
	agent_json_string(&js, "reason", n->reason);
	return agent_audit_record(au, &js, &(const struct agent_audit_rec){
		.msgid = AGENT_MSGID_VERDICT,
		.priority = LOG_INFO,
		.message = msg,
		.dev = &n->dev,
		.fields = (const char *const[]){
			"SPDM_VERDICT", verdict,
			"SPDM_VERDICT_SOURCE", source,
			NULL },
		.op = "spdm-verdict",
		.detail = why,
		.success = n->dev.verdict == SPDM_VERDICT_ALLOW,
	});
}

/**
 * agent_audit_identity_changed() - record that a device is another device now
 * @au: audit state
 * @n: the kernel's identity-changed-ntf
 *
 * The kernel's same-device check found an allowed function presenting
 * another certificate chain than its allow accepted; it unbound and holds
 * it. The record names both identities (SHA-256 of the chains).
 *
 * Return: 0, -EINVAL for a notification without both identities, or a
 * negative errno from making or writing the record.
 */
int agent_audit_identity_changed(struct agent_audit *au, const struct agent_ntf *n)
{
	char id[2 * AGENT_SHA256_LEN + 1], allowed[2 * AGENT_SHA256_LEN + 1];
	char why[512];
	struct agent_json js;

	if (!n->has_identity)
		return -EINVAL;
	spdm_hex(n->identity, AGENT_SHA256_LEN, id, sizeof(id));
	spdm_hex(n->allowed_identity, AGENT_SHA256_LEN, allowed, sizeof(allowed));
	snprintf(why, sizeof(why), "identity %s, allowed was %s: held as a new device",
		 id, allowed);
	agent_json_init(&js);
	agent_audit_verdict_head(&js, "identity-changed", &n->dev, "none");
	agent_json_string(&js, "identity", id);
	agent_json_string(&js, "allowed_identity", allowed);
	return agent_audit_record(au, &js, &(const struct agent_audit_rec){
		.msgid = AGENT_MSGID_VERDICT,
		.priority = LOG_WARNING,
		.message = why,
		.dev = &n->dev,
		.fields = (const char *const[]){
			"SPDM_IDENTITY", id,
			"SPDM_ALLOWED_IDENTITY", allowed,
			NULL },
		.op = "spdm-identity-changed",
		.detail = why,
	});
}

/**
 * agent_audit_refused() - record a verdict the kernel did not take
 * @au: audit state
 * @ev: the device
 * @allow: the verdict that was sent
 * @error: the kernel's negative errno (-ESTALE, -EALREADY, -EPERM, ...)
 * @detail: the kernel's extended-ack message
 *
 * Return: 0 or a negative errno from making or writing the record.
 */
int agent_audit_refused(struct agent_audit *au, const struct agent_evidence *ev,
			bool allow, int error, const char *detail)
{
	const char *name = strerrorname_np(-error);
	char why[600], msg[700];
	struct agent_json js;

	snprintf(why, sizeof(why), "%s refused: %s (%s)", allow ? "allow" : "deny",
		 name ? name : "unknown", detail);
	snprintf(msg, sizeof(msg), "verdict %s", why);
	agent_json_init(&js);
	agent_audit_verdict_head(&js, "verdict-refused", ev,
				 allow ? "allow" : "deny");
	agent_json_string(&js, "error", name ? name : "unknown");
	agent_json_int(&js, "result", error);
	agent_json_string(&js, "detail", detail);
	return agent_audit_record(au, &js, &(const struct agent_audit_rec){
		.msgid = AGENT_MSGID_VERDICT,
		.priority = LOG_ERR,
		.message = msg,
		.dev = ev,
		.op = "spdm-verdict-refused",
		.detail = why,
	});
}

static const char *agent_json_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/**
 * agent_audit_recall() - the decisions of one boot, read back from the file
 * @path: the audit file
 * @boot_id: only decisions recorded during this boot count
 * @fn: called per decision that sent a verdict (not dry runs), in order,
 *      with the record's attempt digest ("" when it has none)
 * @ctx: passed to @fn
 *
 * Lines that do not parse (a crash mid-write cannot produce one, but a
 * hand-edited file can) are skipped.
 *
 * Return: 0, or the negative errno of opening @path (-ENOENT: no file yet).
 */
int agent_audit_recall(const char *path, const char *boot_id,
		       agent_recall_fn fn, void *ctx)
{
	char line[16384];
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line), *gen;
		const char *event, *dry, *boot, *name, *verdict, *attempt;

		if (!o)
			continue;
		event = agent_json_get(o, "event");
		dry = agent_json_get(o, "dry_run");
		boot = agent_json_get(o, "boot_id");
		name = agent_json_get(o, "device");
		verdict = agent_json_get(o, "verdict");
		attempt = agent_json_get(o, "attempt");
		if (event && !strcmp(event, "decision") && dry &&
		    !strcmp(dry, "false") && boot && !strcmp(boot, boot_id) &&
		    name && verdict &&
		    json_object_object_get_ex(o, "generation", &gen))
			fn(name, (uint32_t)json_object_get_int64(gen),
			   attempt ? attempt : "",
			   strcmp(verdict, "allow") ? AGENT_DENY : AGENT_ALLOW,
			   ctx);
		json_object_put(o);
	}
	fclose(f);
	return 0;
}
