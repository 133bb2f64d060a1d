// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence file: one device's evidence as one self-contained JSON
 * document (docs/evidence-format.md), for a verifier on another machine
 * (`spdmctl evidence` writes it, `spdmctl verify` appraises it).
 *
 * The file is as hostile as a device: the parser takes only what the format
 * names, every value of its type and range, every blob strict base64 within
 * AGENT_BLOB_MAX, and says which field is wrong and how. Whatever the
 * signatures cover (chains, transcripts, signatures, measurements) is checked
 * by the validator, exactly as for evidence from the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <openssl/evp.h>

#include <json.h>

#include <linux/spdm.h>

#include "agent.h"

/* ---- writing ---- */

static struct json_object *agent_evfile_b64(const uint8_t *b, size_t n)
{
	struct json_object *o;
	char *s;

	if (n > AGENT_BLOB_MAX)
		return NULL;
	s = malloc(4 * ((n + 2) / 3) + 1);
	if (!s)
		return NULL;
	EVP_EncodeBlock((unsigned char *)s, b, (int)n);
	o = json_object_new_string(s);
	free(s);
	return o;
}

/* Add @val to @obj under @key; false when either failed. */
static bool agent_evfile_add(struct json_object *obj, const char *key,
			     struct json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return false;
	}
	return true;
}

static const char *agent_evfile_verdict_name(uint32_t v)
{
	return v == SPDM_VERDICT_ALLOW ? "allow" :
	       v == SPDM_VERDICT_DENY ? "deny" : "none";
}

static bool agent_evfile_producer(struct json_object *root)
{
	struct json_object *p = json_object_new_object();
	struct utsname u;
	struct timespec ts;
	struct tm tm;
	char now[32];
	bool ok;

	if (!p)
		return false;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	ok = agent_evfile_add(p, "program", json_object_new_string(
			program_invocation_short_name)) &&
	     agent_evfile_add(p, "version", json_object_new_string(PACKAGE_VERSION)) &&
	     agent_evfile_add(p, "kernel_release", agent_json_text_new(u.release)) &&
	     agent_evfile_add(p, "boot_id", agent_json_text_new(agent_audit_boot_id())) &&
	     agent_evfile_add(p, "time", json_object_new_string(now));
	if (!ok) {
		json_object_put(p);
		return false;
	}
	return agent_evfile_add(root, "producer", p);
}

static bool agent_evfile_device(struct json_object *root,
				const struct agent_evidence *ev)
{
	struct json_object *o = json_object_new_object();
	bool ok;

	ok = o && agent_evfile_add(o, "address", agent_json_text_new(ev->name)) &&
	     agent_evfile_add(o, "key", json_object_new_int64(ev->key)) &&
	     agent_evfile_add(o, "vendor", json_object_new_int(ev->ids.vendor)) &&
	     agent_evfile_add(o, "device", json_object_new_int(ev->ids.device)) &&
	     agent_evfile_add(o, "class", json_object_new_int64(ev->ids.class)) &&
	     agent_evfile_add(o, "revision", json_object_new_int(ev->ids.revision)) &&
	     agent_evfile_add(o, "subsystem_vendor",
			      json_object_new_int(ev->ids.subsys_vendor)) &&
	     agent_evfile_add(o, "subsystem_device",
			      json_object_new_int(ev->ids.subsys_device));
	if (!ok) {
		json_object_put(o);
		return false;
	}
	return agent_evfile_add(root, "device", o);
}

static bool agent_evfile_kernel(struct json_object *root,
				const struct agent_evidence *ev)
{
	struct json_object *o = json_object_new_object();
	bool ok;

	ok = o && agent_evfile_add(o, "state", json_object_new_string(
			agent_evidence_state_name(ev->state))) &&
	     agent_evfile_add(o, "result", json_object_new_int(ev->result)) &&
	     agent_evfile_add(o, "generation", json_object_new_int64(ev->generation)) &&
	     agent_evfile_add(o, "verdict", json_object_new_string(
			agent_evfile_verdict_name(ev->verdict))) &&
	     agent_evfile_add(o, "gated", json_object_new_boolean(ev->gated)) &&
	     (!ev->evidence_error[0] ||
	      agent_evfile_add(o, "evidence_error",
			       agent_json_text_new(ev->evidence_error)));
	if (!ok) {
		json_object_put(o);
		return false;
	}
	return agent_evfile_add(root, "kernel", o);
}

static bool agent_evfile_spdm(struct json_object *root,
			      const struct agent_evidence *ev)
{
	struct json_object *o = json_object_new_object();
	char ver[8];
	bool ok;

	snprintf(ver, sizeof(ver), "%u.%u", ev->version >> 4, ev->version & 0xf);
	ok = o && agent_evfile_add(o, "version", json_object_new_string(ver)) &&
	     agent_evfile_add(o, "base_asym_alg", json_object_new_int64(ev->base_asym_alg)) &&
	     agent_evfile_add(o, "base_hash_alg", json_object_new_int64(ev->base_hash_alg)) &&
	     agent_evfile_add(o, "meas_hash_alg", json_object_new_int64(ev->meas_hash_alg)) &&
	     agent_evfile_add(o, "slot_mask", json_object_new_int(ev->slot_mask)) &&
	     agent_evfile_add(o, "slot", json_object_new_int(ev->slot)) &&
	     agent_evfile_add(o, "cert_model", json_object_new_int64(ev->cert_model)) &&
	     agent_evfile_add(o, "multi_key", json_object_new_boolean(ev->multi_key)) &&
	     agent_evfile_add(o, "key_pair_id", json_object_new_int(ev->key_pair_id)) &&
	     agent_evfile_add(o, "key_usage", json_object_new_int64(ev->key_usage));
	if (!ok) {
		json_object_put(o);
		return false;
	}
	return agent_evfile_add(root, "spdm", o);
}

static bool agent_evfile_chains(struct json_object *root,
				const struct agent_evidence *ev)
{
	struct json_object *a = json_object_new_array();

	if (!a)
		return false;
	for (int s = 0; s < AGENT_MAX_SLOTS; s++) {
		struct json_object *c;

		if (!ev->chain[s])
			continue;
		c = json_object_new_object();
		if (!c || json_object_array_add(a, c)) {
			json_object_put(c);
			json_object_put(a);
			return false;
		}
		if (!agent_evfile_add(c, "slot", json_object_new_int(s)) ||
		    !agent_evfile_add(c, "chain", agent_evfile_b64(ev->chain[s],
								   ev->chain_len[s]))) {
			json_object_put(a);
			return false;
		}
	}
	return agent_evfile_add(root, "chains", a);
}

/* An object of the blobs that are present; absent blobs are left out. */
static bool agent_evfile_blobs(struct json_object *root, const char *key,
			       const char *const names[],
			       const uint8_t *const bufs[], const size_t lens[],
			       size_t n)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (bufs[i] && !agent_evfile_add(o, names[i],
						 agent_evfile_b64(bufs[i], lens[i]))) {
			json_object_put(o);
			return false;
		}
	}
	return agent_evfile_add(root, key, o);
}

/**
 * agent_evfile_write() - one device's evidence as an evidence file
 * @ev: the evidence, as the kernel reported it
 * @out: the document, NUL-terminated, ending in a newline (free() it)
 * @len: its length
 *
 * Return: 0, -ENOMEM, or -E2BIG when a blob exceeds AGENT_BLOB_MAX.
 */
int agent_evfile_write(const struct agent_evidence *ev, char **out,
		       size_t *len)
{
	static const char *const challenge[] = { "transcript", "signature" };
	static const char *const meas[] = { "record", "transcript", "signature" };
	const uint8_t *cbufs[] = { ev->transcript, ev->signature };
	const size_t clens[] = { ev->transcript_len, ev->signature_len };
	const uint8_t *mbufs[] = { ev->meas, ev->meas_transcript, ev->meas_signature };
	const size_t mlens[] = { ev->meas_len, ev->meas_transcript_len,
				 ev->meas_signature_len };
	struct json_object *root, *ch;
	const char *text;
	bool ok;

	for (int s = 0; s < AGENT_MAX_SLOTS; s++)
		if (ev->chain_len[s] > AGENT_BLOB_MAX)
			return -E2BIG;
	if (ev->transcript_len > AGENT_BLOB_MAX || ev->signature_len > AGENT_BLOB_MAX ||
	    ev->meas_len > AGENT_BLOB_MAX || ev->meas_transcript_len > AGENT_BLOB_MAX ||
	    ev->meas_signature_len > AGENT_BLOB_MAX)
		return -E2BIG;
	root = json_object_new_object();
	if (!root)
		return -ENOMEM;
	ok = agent_evfile_add(root, "format", json_object_new_string(AGENT_EVFILE_FORMAT)) &&
	     agent_evfile_add(root, "format_version",
			      json_object_new_int(AGENT_EVFILE_VERSION)) &&
	     agent_evfile_producer(root) && agent_evfile_device(root, ev) &&
	     agent_evfile_kernel(root, ev) && agent_evfile_spdm(root, ev) &&
	     agent_evfile_chains(root, ev) &&
	     (!ev->has_nonce ||
	      agent_evfile_add(root, "nonce", agent_evfile_b64(ev->nonce,
							       sizeof(ev->nonce)))) &&
	     agent_evfile_blobs(root, "challenge", challenge, cbufs, clens, 2);
	if (ok && json_object_object_get_ex(root, "challenge", &ch))
		ok = agent_evfile_add(ch, "requester_nonce_offset",
				      json_object_new_int64((int64_t)ev->req_nonce_off)) &&
		     agent_evfile_add(ch, "responder_nonce_offset",
				      json_object_new_int64((int64_t)ev->rsp_nonce_off));
	ok = ok && agent_evfile_blobs(root, "measurements", meas, mbufs, mlens, 3);
	text = ok ? json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED |
						   JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (text && asprintf(out, "%s\n", text) < 0)
		text = NULL;
	json_object_put(root);
	if (!text)
		return -ENOMEM;
	*len = strlen(*out);
	return 0;
}

/* ---- parsing ---- */

struct agent_evfile_ctx {
	char *err;
	size_t errlen;
};

static __printf(3, 4) int agent_evfile_fail(struct agent_evfile_ctx *c,
					    const char *field, const char *fmt,
					    ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(c->err, c->errlen, "%s%s", field ? field : "",
			     field ? ": " : "");
	if (n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *agent_evfile_type(const struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fraction";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

/* "PATH.KEY", or "KEY" at the top level. */
static void agent_evfile_field(char *buf, size_t len, const char *path,
			       const char *key)
{
	snprintf(buf, len, "%s%s%s", path ? path : "", path ? "." : "", key);
}

/* Every member of @obj must be one of @known (NULL-terminated). */
static int agent_evfile_known(struct agent_evfile_ctx *c, const char *path,
			      struct json_object *obj,
			      const char *const known[])
{
	json_object_object_foreach(obj, key, val) {
		size_t i;

		(void)val;
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			return agent_evfile_fail(c, path, "unknown field \"%.64s\"",
						 key);
	}
	return 0;
}

/* Member @key of @obj of @type; NULL (and no error) when absent and !@need. */
static int agent_evfile_get(struct agent_evfile_ctx *c, const char *path,
			    struct json_object *obj, const char *key,
			    enum json_type type, bool need,
			    struct json_object **out)
{
	char field[64];

	agent_evfile_field(field, sizeof(field), path, key);
	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out)) {
		*out = NULL;
		return need ? agent_evfile_fail(c, field, "missing") : 0;
	}
	if (!json_object_is_type(*out, type)) {
		const char *want = type == json_type_int ? "an integer" :
				   type == json_type_string ? "a string" :
				   type == json_type_boolean ? "a boolean" :
				   type == json_type_array ? "an array" :
				   "an object";

		return agent_evfile_fail(c, field, "%s, not %s", want,
					 agent_evfile_type(*out));
	}
	return 0;
}

static int agent_evfile_int(struct agent_evfile_ctx *c, const char *path,
			    struct json_object *obj, const char *key,
			    int64_t min, int64_t max, int64_t *out)
{
	struct json_object *o;
	char field[64];
	int ret;

	ret = agent_evfile_get(c, path, obj, key, json_type_int, true, &o);
	if (ret)
		return ret;
	/* json-c clamps what does not fit in 64 bits: so does the range */
	*out = json_object_get_int64(o);
	if (*out < min || *out > max) {
		agent_evfile_field(field, sizeof(field), path, key);
		return agent_evfile_fail(c, field, "%lld out of range %lld..%lld",
					 (long long)*out, (long long)min,
					 (long long)max);
	}
	return 0;
}

static int agent_evfile_bool(struct agent_evfile_ctx *c, const char *path,
			     struct json_object *obj, const char *key,
			     bool *out)
{
	struct json_object *o;
	int ret;

	ret = agent_evfile_get(c, path, obj, key, json_type_boolean, true, &o);
	if (!ret)
		*out = json_object_get_boolean(o);
	return ret;
}

/*
 * A non-empty string that fits @len with its NUL, of text as the writer
 * makes it (agent_json_text_new(): UTF-8, no control character).
 */
static int agent_evfile_str(struct agent_evfile_ctx *c, const char *path,
			    struct json_object *obj, const char *key, bool need,
			    char *out, size_t len)
{
	struct json_object *o;
	const char *s;
	char field[64];
	size_t n, bad;
	int ret;

	ret = agent_evfile_get(c, path, obj, key, json_type_string, need, &o);
	if (ret || !o)
		return ret;
	agent_evfile_field(field, sizeof(field), path, key);
	s = json_object_get_string(o);
	n = (size_t)json_object_get_string_len(o);
	if (!n)
		return agent_evfile_fail(c, field, "empty");
	if (n >= len)
		return agent_evfile_fail(c, field, "%zu characters, at most %zu",
					 n, len - 1);
	bad = agent_json_text_bad(s, n);
	if (bad < n)
		return agent_evfile_fail(c, field, "character %zu is not UTF-8 text (0x%02x)",
					 bad, (unsigned char)s[bad]);
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int agent_b64_value(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/*
 * Strict base64 (RFC 4648 §4): the standard alphabet, padded to a multiple
 * of four, no white space, no bits left over in the last symbol.
 */
static int agent_evfile_unb64(struct agent_evfile_ctx *c, const char *field,
			      const char *s, size_t n, uint8_t **out,
			      size_t *outlen)
{
	size_t pad = 0, len, o = 0;
	uint8_t *b;

	if (n % 4)
		return agent_evfile_fail(c, field,
					 "base64 of %zu characters, not a multiple of 4",
					 n);
	if (n > 4 * ((AGENT_BLOB_MAX + 2) / 3))
		return agent_evfile_fail(c, field, "more than %u bytes",
					 AGENT_BLOB_MAX);
	if (!n)
		return agent_evfile_fail(c, field, "empty");
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	len = n / 4 * 3 - pad;
	b = malloc(len);
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		uint32_t w = 0;

		for (int k = 0; k < 4; k++) {
			bool padding = i + k >= n - pad;

			v[k] = padding ? 0 : agent_b64_value(s[i + k]);
			if (!padding && v[k] < 0) {
				free(b);
				return agent_evfile_fail(c, field,
							 "character %zu is not base64 (0x%02x)",
							 i + k, (unsigned char)s[i + k]);
			}
			w = w << 6 | (uint32_t)v[k];
		}
		if ((pad == 1 && i + 4 == n && (w & 0xff)) ||
		    (pad == 2 && i + 4 == n && (w & 0xffff))) {
			free(b);
			return agent_evfile_fail(c, field,
						 "base64 with bits set after the last byte");
		}
		for (int k = 0; k < 3 && o < len; k++)
			b[o++] = (uint8_t)(w >> (16 - 8 * k));
	}
	*out = b;
	*outlen = len;
	return 0;
}

static int agent_evfile_blob(struct agent_evfile_ctx *c, const char *path,
			     struct json_object *obj, const char *key,
			     bool need, uint8_t **out, size_t *len)
{
	struct json_object *o;
	char field[64];
	int ret;

	ret = agent_evfile_get(c, path, obj, key, json_type_string, need, &o);
	if (ret || !o)
		return ret;
	agent_evfile_field(field, sizeof(field), path, key);
	return agent_evfile_unb64(c, field, json_object_get_string(o),
				  (size_t)json_object_get_string_len(o), out,
				  len);
}

static int agent_evfile_parse_device(struct agent_evfile_ctx *c,
				     struct json_object *root,
				     struct agent_evidence *ev)
{
	static const char *const known[] = {
		"address", "key", "vendor", "device", "class", "revision",
		"subsystem_vendor", "subsystem_device", NULL
	};
	struct json_object *o;
	int64_t v[7];
	int ret;

	ret = agent_evfile_get(c, NULL, root, "device", json_type_object, true, &o);
	if (ret || (ret = agent_evfile_str(c, "device", o, "address", true, ev->name,
				    sizeof(ev->name))) ||
	    (ret = agent_evfile_int(c, "device", o, "key", 0, UINT32_MAX, &v[0])) ||
	    (ret = agent_evfile_int(c, "device", o, "vendor", 0, 0xffff, &v[1])) ||
	    (ret = agent_evfile_int(c, "device", o, "device", 0, 0xffff, &v[2])) ||
	    (ret = agent_evfile_int(c, "device", o, "class", 0, 0xffffff, &v[3])) ||
	    (ret = agent_evfile_int(c, "device", o, "revision", 0, 0xff, &v[4])) ||
	    (ret = agent_evfile_int(c, "device", o, "subsystem_vendor", 0,
				    0xffff, &v[5])) ||
	    (ret = agent_evfile_int(c, "device", o, "subsystem_device", 0,
				    0xffff, &v[6])) ||
	    (ret = agent_evfile_known(c, "device", o, known)))
		return ret;
	ev->key = (uint32_t)v[0];
	ev->ids.vendor = (uint16_t)v[1];
	ev->ids.device = (uint16_t)v[2];
	ev->ids.class = (uint32_t)v[3];
	ev->ids.revision = (uint8_t)v[4];
	ev->ids.subsys_vendor = (uint16_t)v[5];
	ev->ids.subsys_device = (uint16_t)v[6];
	return 0;
}

static int agent_evfile_parse_kernel(struct agent_evfile_ctx *c,
				     struct json_object *root,
				     struct agent_evidence *ev)
{
	static const char *const known[] = {
		"state", "result", "generation", "verdict", "gated",
		"evidence_error", NULL
	};
	static const enum agent_auth_state states[] = {
		AGENT_AUTH_PENDING, AGENT_AUTH_AUTHENTICATED, AGENT_AUTH_FAILED,
		AGENT_AUTH_UNSUPPORTED,
	};
	struct json_object *o;
	char state[32], verdict[8];
	int64_t result, gen;
	size_t i;
	int ret;

	ret = agent_evfile_get(c, NULL, root, "kernel", json_type_object, true, &o);
	if (ret || (ret = agent_evfile_str(c, "kernel", o, "state", true, state,
				    sizeof(state))) ||
	    (ret = agent_evfile_int(c, "kernel", o, "result", -4095, 0, &result)) ||
	    (ret = agent_evfile_int(c, "kernel", o, "generation", 0, UINT32_MAX,
				    &gen)) ||
	    (ret = agent_evfile_str(c, "kernel", o, "verdict", true, verdict,
				    sizeof(verdict))) ||
	    (ret = agent_evfile_bool(c, "kernel", o, "gated", &ev->gated)) ||
	    (ret = agent_evfile_str(c, "kernel", o, "evidence_error", false,
				    ev->evidence_error,
				    sizeof(ev->evidence_error))) ||
	    (ret = agent_evfile_known(c, "kernel", o, known)))
		return ret;
	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (!strcmp(state, agent_evidence_state_name(states[i])))
			break;
	if (i == ARRAY_SIZE(states))
		return agent_evfile_fail(c, "kernel.state",
					 "\"%s\" is none of pending, authenticated, failed, unsupported",
					 state);
	ev->state = states[i];
	ev->result = (int)result;
	ev->generation = (uint32_t)gen;
	for (i = SPDM_VERDICT_NONE; i <= SPDM_VERDICT_DENY; i++)
		if (!strcmp(verdict, agent_evfile_verdict_name((uint32_t)i)))
			break;
	if (i > SPDM_VERDICT_DENY)
		return agent_evfile_fail(c, "kernel.verdict",
					 "\"%s\" is none of none, allow, deny",
					 verdict);
	ev->verdict = (uint32_t)i;
	return 0;
}

/* "M.m", each a number 0..15: the SPDMVersion byte. */
static int agent_evfile_version(struct agent_evfile_ctx *c, const char *s,
				uint8_t *out)
{
	unsigned int v[2] = { 0, 0 };
	const char *p = s;

	for (int k = 0; k < 2; k++) {
		const char *start = p;

		while (*p >= '0' && *p <= '9' && p - start < 2)
			v[k] = v[k] * 10 + (unsigned int)(*p++ - '0');
		if (p == start || v[k] > 15 || *p != (k ? '\0' : '.'))
			return agent_evfile_fail(c, "spdm.version",
						 "\"%s\" is not MAJOR.MINOR (e.g. \"1.2\")",
						 s);
		p++;
	}
	*out = (uint8_t)(v[0] << 4 | v[1]);
	return 0;
}

static int agent_evfile_parse_spdm(struct agent_evfile_ctx *c,
				   struct json_object *root,
				   struct agent_evidence *ev)
{
	static const char *const known[] = {
		"version", "base_asym_alg", "base_hash_alg", "meas_hash_alg",
		"slot_mask", "slot", "cert_model", "multi_key", "key_pair_id",
		"key_usage", NULL
	};
	struct json_object *o;
	char version[8];
	int64_t v[8];
	int ret;

	ret = agent_evfile_get(c, NULL, root, "spdm", json_type_object, true, &o);
	if (ret || (ret = agent_evfile_str(c, "spdm", o, "version", true, version,
				    sizeof(version))) ||
	    (ret = agent_evfile_version(c, version, &ev->version)) ||
	    (ret = agent_evfile_int(c, "spdm", o, "base_asym_alg", 0, UINT32_MAX,
				    &v[0])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "base_hash_alg", 0, UINT32_MAX,
				    &v[1])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "meas_hash_alg", 0, UINT32_MAX,
				    &v[2])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "slot_mask", 0, 0xff, &v[3])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "slot", 0, AGENT_MAX_SLOTS - 1,
				    &v[4])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "cert_model", 0, UINT32_MAX,
				    &v[5])) ||
	    (ret = agent_evfile_bool(c, "spdm", o, "multi_key", &ev->multi_key)) ||
	    (ret = agent_evfile_int(c, "spdm", o, "key_pair_id", 0, 0xff, &v[6])) ||
	    (ret = agent_evfile_int(c, "spdm", o, "key_usage", 0, UINT32_MAX,
				    &v[7])) ||
	    (ret = agent_evfile_known(c, "spdm", o, known)))
		return ret;
	ev->key_usage = (uint32_t)v[7];
	ev->base_asym_alg = (uint32_t)v[0];
	ev->base_hash_alg = (uint32_t)v[1];
	ev->meas_hash_alg = (uint32_t)v[2];
	ev->slot_mask = (uint8_t)v[3];
	ev->slot = (uint8_t)v[4];
	ev->cert_model = (uint32_t)v[5];
	ev->key_pair_id = (uint8_t)v[6];
	return 0;
}

static int agent_evfile_parse_chains(struct agent_evfile_ctx *c,
				     struct json_object *root,
				     struct agent_evidence *ev)
{
	static const char *const known[] = { "slot", "chain", NULL };
	struct json_object *a;
	size_t n;
	int ret;

	ret = agent_evfile_get(c, NULL, root, "chains", json_type_array, true, &a);
	if (ret)
		return ret;
	n = json_object_array_length(a);
	if (n > AGENT_MAX_SLOTS)
		return agent_evfile_fail(c, "chains", "%zu chains, at most %d", n,
					 AGENT_MAX_SLOTS);
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		char path[32];
		int64_t slot;

		snprintf(path, sizeof(path), "chains[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return agent_evfile_fail(c, path, "an object, not %s",
						 agent_evfile_type(o));
		ret = agent_evfile_int(c, path, o, "slot", 0,
				       AGENT_MAX_SLOTS - 1, &slot);
		if (ret)
			return ret;
		if (ev->chain[slot]) {
			strcat(path, ".slot");
			return agent_evfile_fail(c, path, "slot %lld given twice",
						 (long long)slot);
		}
		ret = agent_evfile_blob(c, path, o, "chain", true,
					&ev->chain[slot], &ev->chain_len[slot]);
		if (!ret)
			ret = agent_evfile_known(c, path, o, known);
		if (ret)
			return ret;
	}
	return 0;
}

static int agent_evfile_parse_challenge(struct agent_evfile_ctx *c,
					struct json_object *root,
					struct agent_evidence *ev)
{
	static const char *const known[] = {
		"transcript", "signature", "requester_nonce_offset",
		"responder_nonce_offset", NULL
	};
	struct json_object *o;
	int64_t req, rsp;
	int ret;

	ret = agent_evfile_get(c, NULL, root, "challenge", json_type_object, true,
			       &o);
	if (ret || (ret = agent_evfile_blob(c, "challenge", o, "transcript", false,
				     &ev->transcript, &ev->transcript_len)) ||
	    (ret = agent_evfile_blob(c, "challenge", o, "signature", false,
				     &ev->signature, &ev->signature_len)) ||
	    (ret = agent_evfile_int(c, "challenge", o, "requester_nonce_offset",
				    0, AGENT_BLOB_MAX, &req)) ||
	    (ret = agent_evfile_int(c, "challenge", o, "responder_nonce_offset",
				    0, AGENT_BLOB_MAX, &rsp)) ||
	    (ret = agent_evfile_known(c, "challenge", o, known)))
		return ret;
	ev->req_nonce_off = (size_t)req;
	ev->rsp_nonce_off = (size_t)rsp;
	return 0;
}

static int agent_evfile_parse_meas(struct agent_evfile_ctx *c,
				   struct json_object *root,
				   struct agent_evidence *ev)
{
	static const char *const known[] = {
		"record", "transcript", "signature", NULL
	};
	struct json_object *o;
	int ret;

	ret = agent_evfile_get(c, NULL, root, "measurements", json_type_object,
			       true, &o);
	if (ret || (ret = agent_evfile_blob(c, "measurements", o, "record", false,
				     &ev->meas, &ev->meas_len)) ||
	    (ret = agent_evfile_blob(c, "measurements", o, "transcript", false,
				     &ev->meas_transcript,
				     &ev->meas_transcript_len)) ||
	    (ret = agent_evfile_blob(c, "measurements", o, "signature", false,
				     &ev->meas_signature,
				     &ev->meas_signature_len)))
		return ret;
	return agent_evfile_known(c, "measurements", o, known);
}

/* The producer is informative: checked for shape, not used. */
static int agent_evfile_parse_producer(struct agent_evfile_ctx *c,
				       struct json_object *root)
{
	static const char *const known[] = {
		"program", "version", "kernel_release", "boot_id", "time", NULL
	};
	struct json_object *o;
	char s[128];
	int ret;

	ret = agent_evfile_get(c, NULL, root, "producer", json_type_object,
			       false, &o);
	if (ret || !o)
		return ret;
	for (size_t i = 0; !ret && known[i]; i++)
		ret = agent_evfile_str(c, "producer", o, known[i], false, s,
				       sizeof(s));
	return ret ? ret : agent_evfile_known(c, "producer", o, known);
}

static int agent_evfile_parse_root(struct agent_evfile_ctx *c,
				   struct json_object *root,
				   struct agent_evidence *ev)
{
	static const char *const known[] = {
		"format", "format_version", "producer", "device", "kernel",
		"spdm", "chains", "nonce", "challenge", "measurements", NULL
	};
	char format[32];
	uint8_t *nonce = NULL;
	size_t nonce_len;
	int64_t version;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return agent_evfile_fail(c, NULL, "the document is %s, not an object",
					 agent_evfile_type(root));
	ret = agent_evfile_str(c, NULL, root, "format", true, format,
			       sizeof(format));
	if (ret)
		return ret;
	if (strcmp(format, AGENT_EVFILE_FORMAT))
		return agent_evfile_fail(c, "format", "\"%s\", not \"%s\"", format,
					 AGENT_EVFILE_FORMAT);
	ret = agent_evfile_int(c, NULL, root, "format_version", 0, INT32_MAX,
			       &version);
	if (ret)
		return ret;
	if (version != AGENT_EVFILE_VERSION)
		return agent_evfile_fail(c, "format_version",
					 "%lld, this program reads version %d",
					 (long long)version, AGENT_EVFILE_VERSION);
	if ((ret = agent_evfile_parse_producer(c, root)) ||
	    (ret = agent_evfile_parse_device(c, root, ev)) ||
	    (ret = agent_evfile_parse_kernel(c, root, ev)) ||
	    (ret = agent_evfile_parse_spdm(c, root, ev)) ||
	    (ret = agent_evfile_parse_chains(c, root, ev)) ||
	    (ret = agent_evfile_blob(c, NULL, root, "nonce", false, &nonce,
				     &nonce_len)) ||
	    (ret = agent_evfile_parse_challenge(c, root, ev)) ||
	    (ret = agent_evfile_parse_meas(c, root, ev)) ||
	    (ret = agent_evfile_known(c, NULL, root, known)))
		goto out;
	if (nonce && nonce_len != AGENT_NONCE_LEN) {
		ret = agent_evfile_fail(c, "nonce", "%zu bytes, not %d", nonce_len,
					AGENT_NONCE_LEN);
		goto out;
	}
	if (nonce) {
		memcpy(ev->nonce, nonce, AGENT_NONCE_LEN);
		ev->has_nonce = true;
	}
out:
	free(nonce);
	return ret;
}

/* Line and column of byte @off of @buf, for a syntax error. */
static void agent_evfile_where(const char *buf, size_t off, unsigned int *line,
			       unsigned int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/**
 * agent_evfile_parse() - an evidence file into evidence
 * @buf: the file's bytes (need not be NUL-terminated)
 * @len: their number, at most AGENT_EVFILE_MAX
 * @ev: filled on success (agent_evidence_free() it); zeroed on failure
 * @err: on failure, "line:col: ..." for a syntax error, or "FIELD: what is
 *       wrong" (e.g. "challenge.signature: character 12 is not base64 (0x2a)")
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL (malformed: @err says where), -EFBIG (too large) or
 * -ENOMEM.
 */
int agent_evfile_parse(const char *buf, size_t len, struct agent_evidence *ev,
		       char *err, size_t errlen)
{
	struct agent_evfile_ctx c = { .err = err, .errlen = errlen };
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	unsigned int line, col;
	size_t end;
	int ret;

	memset(ev, 0, sizeof(*ev));
	err[0] = '\0';
	if (len > AGENT_EVFILE_MAX) {
		snprintf(err, errlen, "%zu bytes, at most %u", len, AGENT_EVFILE_MAX);
		return -EFBIG;
	}
	for (size_t i = 0; i < len; i++) {
		if (!buf[i]) {
			agent_evfile_where(buf, i, &line, &col);
			snprintf(err, errlen, "%u:%u: a NUL byte", line, col);
			return -EINVAL;
		}
	}
	tok = json_tokener_new_ex(8);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_ALLOW_TRAILING_CHARS |
			       JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue || (!root && jerr == json_tokener_success)) {
		json_object_put(root);
		agent_evfile_where(buf, len, &line, &col);
		snprintf(err, errlen, "%u:%u: the document ends early", line, col);
		return -EINVAL;
	}
	if (jerr != json_tokener_success) {
		json_object_put(root);
		agent_evfile_where(buf, end, &line, &col);
		snprintf(err, errlen, "%u:%u: %s", line, col,
			 json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	for (; end < len; end++) {
		if (!strchr(" \t\r\n", buf[end])) {
			json_object_put(root);
			agent_evfile_where(buf, end, &line, &col);
			snprintf(err, errlen, "%u:%u: data after the document",
				 line, col);
			return -EINVAL;
		}
	}
	ret = agent_evfile_parse_root(&c, root, ev);
	json_object_put(root);
	if (ret)
		agent_evidence_free(ev);
	return ret;
}

/**
 * agent_evfile_read() - read and parse an evidence file
 * @path: the file ("-": standard input)
 * @ev: filled on success (agent_evidence_free() it)
 * @err: "PATH: ..." on failure
 * @errlen: size of @err
 *
 * Return: 0 or a negative errno (-EINVAL: malformed, @err says where).
 */
int agent_evfile_read(const char *path, struct agent_evidence *ev, char *err,
		      size_t errlen)
{
	char msg[AGENT_ERR_LEN];
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;
	int ret = 0;

	memset(ev, 0, sizeof(*ev));
	if (!strcmp(path, "-"))
		f = stdin;
	else
		f = agent_fopen_regular(path, &ret, err, errlen);
	if (!f)
		return ret ? ret : -EIO;
	for (;;) {
		size_t n;

		if (len > AGENT_EVFILE_MAX) {
			ret = -EFBIG;
			snprintf(err, errlen, "%s: more than %u bytes", path,
				 AGENT_EVFILE_MAX);
			goto out;
		}
		if (len == cap) {
			char *nb;

			/* one byte past the cap tells a file too large */
			cap = cap ? 2 * cap : 65536;
			if (cap > AGENT_EVFILE_MAX + 1)
				cap = AGENT_EVFILE_MAX + 1;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				snprintf(err, errlen, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n)
			continue;
		if (ferror(f)) {
			ret = -EIO;
			snprintf(err, errlen, "%s: read error", path);
			goto out;
		}
		break;
	}
	ret = agent_evfile_parse(buf ? buf : "", len, ev, msg, sizeof(msg));
	if (ret)
		snprintf(err, errlen, "%s: %s", path, msg);
out:
	if (f != stdin)
		fclose(f);
	free(buf);
	return ret;
}
