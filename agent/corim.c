// SPDX-License-Identifier: GPL-2.0
/*
 * CoRIM: a vendor's signed manifest of reference values, read into the
 * subset an SPDM device needs (docs/reference-values.md says which parts of
 * the draft are implemented).
 *
 *   signed-corim       #6.18(COSE_Sign1)                  RFC 9052 §4.2
 *   protected header   { 1: alg, 3: "application/rim+cbor", ? 2: crit, ... }
 *   payload            #6.501(corim-map)                  CoRIM §4.1
 *   corim-map          { 0: id, 1: [+ #6.506(bstr .cbor concise-mid-tag)] }
 *   concise-mid-tag    { 1: tag-identity, 4: triples-map }     CoRIM §5.1
 *   triples-map        { 0: [+ reference-triple-record] }      CoRIM §5.1.4
 *   reference-triple   [ environment-map, [+ measurement-map] ] §5.1.5
 *   environment-map    { 0: class-map { 1: vendor, 2: model } }
 *   measurement-map    { 0: mkey (the SPDM measurement index), 1: mval }
 *   measurement-values { 2: digests [+ [alg, bytes]] }     CoRIM §5.1.4.1.4
 *
 * "CoRIM" is draft-ietf-rats-corim-11; section numbers are its own.
 * Everything is hostile: the bytes are first walked with libcbor's
 * streaming decoder, which refuses indefinite lengths, nesting deeper than
 * AGENT_CBOR_DEPTH and counts larger than AGENT_CBOR_COUNT_MAX or than the
 * bytes left, before libcbor builds a tree; every map of the subset is
 * checked for duplicate keys, every field for its type. The signature is
 * verified before the payload is interpreted. Errors name what is wrong
 * and where ("corim-map: key 1 (tags) missing").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "agent.h"

#define AGENT_CBOR_DEPTH	16	/* nesting of one decoded item */
#define AGENT_CBOR_COUNT_MAX	4096	/* items of an array, pairs of a map */

/* RFC 9052 §4.2 (COSE_Sign1), IANA COSE header parameters */
#define AGENT_COSE_SIGN1_TAG	18
#define AGENT_CBOR_TAG_HEAD(t)	(0xc0 | (t))	/* major type 6, t < 24 */
#define AGENT_COSE_ALG		1
#define AGENT_COSE_CRIT		2
#define AGENT_COSE_CONTENT_TYPE	3
/* CoRIM §4.2.1: corim-meta in the protected header */
#define AGENT_CORIM_META	8
#define AGENT_CORIM_CONTENT_TYPE "application/rim+cbor"

/* RFC 9053 §2.1, §2.2 and RFC 8230 §2: COSE algorithms */
#define AGENT_COSE_ES256	(-7)
#define AGENT_COSE_ES384	(-35)
#define AGENT_COSE_ES512	(-36)
#define AGENT_COSE_PS256	(-37)
#define AGENT_COSE_PS384	(-38)
#define AGENT_COSE_PS512	(-39)

/* CoRIM §11.2 (IANA CBOR tags) */
#define AGENT_CORIM_TAG_UNSIGNED	501	/* tagged-unsigned-corim-map */
#define AGENT_CORIM_TAG_COSWID		505	/* tagged-concise-swid-tag */
#define AGENT_CORIM_TAG_COMID		506	/* tagged-concise-mid-tag */
#define AGENT_CORIM_TAG_COTL		508	/* tagged-concise-tl-tag */
#define AGENT_CBOR_TAG_UUID		37	/* RFC 9562 via RFC 8949 §3.4 */

/* CoRIM §4.1.1 corim-map */
#define AGENT_CORIM_ID			0
#define AGENT_CORIM_TAGS		1
/* CoRIM §5.1 concise-mid-tag */
#define AGENT_COMID_TAG_IDENTITY	1
#define AGENT_COMID_TRIPLES		4
#define AGENT_TAG_ID			0	/* §5.1.1 tag-identity-map */
/* CoRIM §5.1.4 triples-map */
#define AGENT_TRIPLES_REFERENCE		0
/* CoRIM §5.1.4.1 environment-map, §5.1.4.1.1 class-map */
#define AGENT_ENV_CLASS			0
#define AGENT_ENV_INSTANCE		1
#define AGENT_ENV_GROUP			2
#define AGENT_CLASS_ID			0
#define AGENT_CLASS_VENDOR		1
#define AGENT_CLASS_MODEL		2
#define AGENT_CLASS_LAYER		3
#define AGENT_CLASS_INDEX		4
/* CoRIM §5.1.4.1.4 measurement-map and measurement-values-map */
#define AGENT_MEAS_MKEY			0
#define AGENT_MEAS_MVAL			1
#define AGENT_MEAS_AUTHORIZED_BY	2
#define AGENT_MVAL_DIGESTS		2

/* RFC 6920 §9.4, IANA Named Information Hash Algorithm Registry */
#define AGENT_NI_SHA256		1
#define AGENT_NI_SHA384		7
#define AGENT_NI_SHA512		8

/* DSP0274 1.2.1 §10.11.1: measurement indices 1..0xFE name blocks */
#define AGENT_MEAS_INDEX_MAX	254

struct agent_corim_ctx {
	char *err;
	size_t errlen;
	struct agent_rim *rim;
};

static __printf(2, 3) int agent_corim_fail(struct agent_corim_ctx *c,
					   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* ---- Well-formedness before a tree is built ---- */

struct agent_cbor_walk {
	size_t pending[AGENT_CBOR_DEPTH + 1];	/* items left per level */
	unsigned int depth;
	size_t left;			/* bytes after the current head */
	const char *error;		/* first problem seen */
};

/* One complete item at the current level; closes finished containers. */
static void agent_walk_item(struct agent_cbor_walk *w)
{
	while (w->depth && !--w->pending[w->depth])
		w->depth--;
}

static void agent_walk_open(struct agent_cbor_walk *w, uint64_t items)
{
	if (w->error)
		return;
	if (!items) {
		agent_walk_item(w);
		return;
	}
	if (w->depth == AGENT_CBOR_DEPTH) {
		w->error = "nested deeper than 16 levels";
		return;
	}
	w->pending[++w->depth] = (size_t)items;
}

static void agent_walk_scalar(void *ctx)
{
	agent_walk_item(ctx);
}

static void agent_walk_u8(void *ctx, uint8_t v)
{
	(void)v;
	agent_walk_item(ctx);
}

static void agent_walk_u16(void *ctx, uint16_t v)
{
	(void)v;
	agent_walk_item(ctx);
}

static void agent_walk_u32(void *ctx, uint32_t v)
{
	(void)v;
	agent_walk_item(ctx);
}

static void agent_walk_u64(void *ctx, uint64_t v)
{
	(void)v;
	agent_walk_item(ctx);
}

static void agent_walk_string(void *ctx, cbor_data d, size_t n)
{
	(void)d;
	(void)n;
	agent_walk_item(ctx);
}

static void agent_walk_float(void *ctx, float f)
{
	(void)f;
	agent_walk_item(ctx);
}

static void agent_walk_double(void *ctx, double f)
{
	(void)f;
	agent_walk_item(ctx);
}

static void agent_walk_bool(void *ctx, bool b)
{
	(void)b;
	agent_walk_item(ctx);
}

static void agent_walk_indefinite(void *ctx)
{
	struct agent_cbor_walk *w = ctx;

	if (!w->error)
		w->error = "indefinite length (only definite lengths are allowed)";
}

/* Each item takes at least one byte: a count beyond the bytes left lies. */
static void agent_walk_array(void *ctx, size_t n)
{
	struct agent_cbor_walk *w = ctx;

	if (w->error)
		return;
	if (n > AGENT_CBOR_COUNT_MAX || n > w->left)
		w->error = "array count larger than the data or than 4096";
	else
		agent_walk_open(w, n);
}

static void agent_walk_map(void *ctx, size_t n)
{
	struct agent_cbor_walk *w = ctx;

	if (w->error)
		return;
	if (n > AGENT_CBOR_COUNT_MAX || n > w->left / 2)
		w->error = "map count larger than the data or than 4096";
	else
		agent_walk_open(w, 2 * (uint64_t)n);
}

static void agent_walk_tag(void *ctx, uint64_t tag)
{
	(void)tag;
	agent_walk_open(ctx, 1);	/* a tag wraps exactly one item */
}

static const struct cbor_callbacks agent_walk_callbacks = {
	.uint8 = agent_walk_u8,
	.uint16 = agent_walk_u16,
	.uint32 = agent_walk_u32,
	.uint64 = agent_walk_u64,
	.negint8 = agent_walk_u8,
	.negint16 = agent_walk_u16,
	.negint32 = agent_walk_u32,
	.negint64 = agent_walk_u64,
	.byte_string_start = agent_walk_indefinite,
	.byte_string = agent_walk_string,
	.string_start = agent_walk_indefinite,
	.string = agent_walk_string,
	.indef_array_start = agent_walk_indefinite,
	.array_start = agent_walk_array,
	.indef_map_start = agent_walk_indefinite,
	.map_start = agent_walk_map,
	.tag = agent_walk_tag,
	.float2 = agent_walk_float,
	.float4 = agent_walk_float,
	.float8 = agent_walk_double,
	.undefined = agent_walk_scalar,
	.null = agent_walk_scalar,
	.boolean = agent_walk_bool,
	.indef_break = agent_walk_indefinite,
};

/*
 * Decode exactly one well-formed item filling @len bytes. libcbor builds
 * (and frees, recursively) only what passed the walk.
 */
static int agent_cbor_decode(struct agent_corim_ctx *c, const uint8_t *buf,
			     size_t len, const char *what, cbor_item_t **out)
{
	struct agent_cbor_walk w = { 0 };
	struct cbor_load_result res;
	size_t off = 0;

	if (!len)
		return agent_corim_fail(c, "%s: empty", what);
	do {
		struct cbor_decoder_result r;

		w.left = len - off;
		r = cbor_stream_decode(buf + off, len - off,
				       &agent_walk_callbacks, &w);
		if (r.status == CBOR_DECODER_NEDATA)
			return agent_corim_fail(c, "%s: truncated at offset %zu of %zu",
						what, off, len);
		if (r.status != CBOR_DECODER_FINISHED || !r.read)
			return agent_corim_fail(c, "%s: malformed CBOR at offset %zu",
						what, off);
		off += r.read;
		w.left = len - off;
		if (w.error)
			return agent_corim_fail(c, "%s: %s (offset %zu)", what,
						w.error, off);
	} while (w.depth);
	if (off != len)
		return agent_corim_fail(c, "%s: %zu trailing bytes after the item",
					what, len - off);
	*out = cbor_load(buf, len, &res);
	if (!*out)
		return res.error.code == CBOR_ERR_MEMERROR ? -ENOMEM :
		       agent_corim_fail(c, "%s: malformed CBOR at offset %zu",
					what, res.error.position);
	return 0;
}

/* ---- Typed access to a decoded tree ---- */

/* The item a tag wraps, borrowed; NULL unless @item is tag @tag. */
static cbor_item_t *agent_cbor_untag(cbor_item_t *item, uint64_t tag)
{
	cbor_item_t *inner;

	if (!cbor_isa_tag(item) || cbor_tag_value(item) != tag)
		return NULL;
	inner = cbor_tag_item(item);	/* a new reference ... */
	cbor_decref(&(cbor_item_t *){ inner });	/* ... the tag keeps its own */
	return inner;
}

/* An integer key or value in int64 range. */
static bool agent_cbor_int(const cbor_item_t *item, int64_t *v)
{
	uint64_t u;

	if (!cbor_isa_uint(item) && !cbor_isa_negint(item))
		return false;
	u = cbor_get_int(item);
	if (u > INT64_MAX)
		return false;
	*v = cbor_isa_uint(item) ? (int64_t)u : -1 - (int64_t)u;
	return true;
}

/*
 * Look up integer key @key in map @map; refuse a map that holds it twice.
 * Return: 1 found (*out borrowed), 0 absent, negative on error.
 */
static int agent_map_get(struct agent_corim_ctx *c, cbor_item_t *map,
			 int64_t key, const char *what, cbor_item_t **out)
{
	struct cbor_pair *p = cbor_map_handle(map);
	size_t n = cbor_map_size(map);
	int found = 0;
	int64_t k;

	for (size_t i = 0; i < n; i++) {
		if (!agent_cbor_int(p[i].key, &k) || k != key)
			continue;
		if (found)
			return agent_corim_fail(c, "%s: duplicate key %lld",
						what, (long long)key);
		*out = p[i].value;
		found = 1;
	}
	return found;
}

/* The map @what itself must not repeat any integer or text key. */
static int agent_map_check(struct agent_corim_ctx *c, cbor_item_t *map,
			   const char *what)
{
	struct cbor_pair *p;
	size_t n;

	if (!cbor_isa_map(map))
		return agent_corim_fail(c, "%s: not a map", what);
	p = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (size_t i = 0; i < n; i++) {
		int64_t a, b;

		if (!agent_cbor_int(p[i].key, &a))
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (agent_cbor_int(p[j].key, &b) && a == b)
				return agent_corim_fail(c, "%s: duplicate key %lld",
							what, (long long)a);
	}
	return 0;
}

/* A required key: 0 and *out, or an error naming the field. */
static int agent_map_need(struct agent_corim_ctx *c, cbor_item_t *map,
			  int64_t key, const char *name, const char *what,
			  cbor_item_t **out)
{
	int ret = agent_map_get(c, map, key, what, out);

	if (ret < 0)
		return ret;
	if (!ret)
		return agent_corim_fail(c, "%s: key %lld (%s) missing", what,
					(long long)key, name);
	return 0;
}

/* A non-empty array (definite, and bounded by the walk). */
static int agent_array_check(struct agent_corim_ctx *c, cbor_item_t *a,
			     const char *what)
{
	if (!cbor_isa_array(a))
		return agent_corim_fail(c, "%s: not an array", what);
	if (!cbor_array_size(a))
		return agent_corim_fail(c, "%s: empty array", what);
	return 0;
}

static int agent_text_copy(struct agent_corim_ctx *c, cbor_item_t *item,
			   char *out, size_t outlen, const char *what)
{
	size_t n;

	if (!cbor_isa_string(item))
		return agent_corim_fail(c, "%s: not a text string", what);
	n = cbor_string_length(item);
	if (!n || n >= outlen)
		return agent_corim_fail(c, "%s: text of %zu bytes (1 to %zu allowed)",
					what, n, outlen - 1);
	memcpy(out, cbor_string_handle(item), n);
	out[n] = '\0';
	if (strlen(out) != n)
		return agent_corim_fail(c, "%s: text holds a NUL byte", what);
	return 0;
}

/* ---- The CoRIM payload ---- */

/* RFC 6920 §9.4 ids (or their names) and their digest lengths. */
static int agent_digest_alg(struct agent_corim_ctx *c, cbor_item_t *item,
			    const char *what, unsigned int *alg, size_t *len)
{
	static const struct {
		int64_t id;
		const char *name;
		size_t len;
	} algs[] = {
		{ AGENT_NI_SHA256, "sha-256", 32 },
		{ AGENT_NI_SHA384, "sha-384", 48 },
		{ AGENT_NI_SHA512, "sha-512", 64 },
	};
	int64_t id = 0;
	char name[16] = "";

	if (cbor_isa_string(item)) {
		if (agent_text_copy(c, item, name, sizeof(name), what))
			return agent_corim_fail(c, "%s: unsupported digest algorithm",
						what);
	} else if (!agent_cbor_int(item, &id)) {
		return agent_corim_fail(c, "%s: algorithm is neither an integer nor text",
					what);
	}
	for (size_t i = 0; i < ARRAY_SIZE(algs); i++) {
		if (name[0] ? !strcmp(name, algs[i].name) : id == algs[i].id) {
			*alg = (unsigned int)algs[i].id;
			*len = algs[i].len;
			return 0;
		}
	}
	if (name[0])
		return agent_corim_fail(c, "%s: unsupported digest algorithm '%s' (sha-256, sha-384, sha-512)",
					what, name);
	return agent_corim_fail(c, "%s: unsupported digest algorithm %lld (1, 7 or 8: sha-256, sha-384, sha-512)",
				what, (long long)id);
}

static int agent_rim_add(struct agent_corim_ctx *c,
			 const struct agent_rim_value *v)
{
	struct agent_rim *rim = c->rim;
	struct agent_rim_value *vals;

	if (rim->nvalues == AGENT_RIM_VALUES_MAX)
		return agent_corim_fail(c, "more than %u reference digests",
					AGENT_RIM_VALUES_MAX);
	vals = realloc(rim->values, (rim->nvalues + 1) * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	rim->values = vals;
	vals[rim->nvalues++] = *v;
	return 0;
}

/* [ alg, bytes ]: one acceptable digest of one measurement index. */
static int agent_corim_digest(struct agent_corim_ctx *c, cbor_item_t *d,
			      struct agent_rim_value *v, const char *what)
{
	cbor_item_t **it;
	size_t len = 0;
	int ret;

	if (!cbor_isa_array(d) || cbor_array_size(d) != 2)
		return agent_corim_fail(c, "%s: not a [alg, value] pair", what);
	it = cbor_array_handle(d);
	ret = agent_digest_alg(c, it[0], what, &v->alg, &len);
	if (ret)
		return ret;
	if (!cbor_isa_bytestring(it[1]))
		return agent_corim_fail(c, "%s: value is not a byte string", what);
	if (cbor_bytestring_length(it[1]) != len)
		return agent_corim_fail(c, "%s: digest of %zu bytes, algorithm %u needs %zu",
					what, cbor_bytestring_length(it[1]),
					v->alg, len);
	memcpy(v->digest, cbor_bytestring_handle(it[1]), len);
	v->len = len;
	return agent_rim_add(c, v);
}

/*
 * measurement-map: mkey is the SPDM measurement index; mval holds digests
 * and nothing else (a value this subset cannot compare is refused rather
 * than passed over: a "match" must mean everything the vendor listed).
 */
static int agent_corim_measurement(struct agent_corim_ctx *c, cbor_item_t *m,
				   struct agent_rim_value *v, const char *where)
{
	char what[192];
	cbor_item_t *mkey, *mval, *digests, **it;
	struct cbor_pair *p;
	int64_t idx;
	int ret;

	snprintf(what, sizeof(what), "%s measurement-map", where);
	ret = agent_map_check(c, m, what);
	if (ret)
		return ret;
	ret = agent_map_need(c, m, AGENT_MEAS_MKEY,
			     "mkey, the SPDM measurement index", what, &mkey);
	if (ret)
		return ret;
	if (!cbor_isa_uint(mkey) || !agent_cbor_int(mkey, &idx) || idx < 1 ||
	    idx > AGENT_MEAS_INDEX_MAX)
		return agent_corim_fail(c, "%s: mkey is not an SPDM measurement index (unsigned 1-254)",
					what);
	v->index = (unsigned int)idx;
	ret = agent_map_get(c, m, AGENT_MEAS_AUTHORIZED_BY, what, &mval);
	if (ret)
		return ret < 0 ? ret :
		       agent_corim_fail(c, "%s: authorized-by is not supported", what);
	ret = agent_map_need(c, m, AGENT_MEAS_MVAL, "mval", what, &mval);
	if (ret)
		return ret;
	snprintf(what, sizeof(what), "%s measurement %u mval", where, v->index);
	ret = agent_map_check(c, mval, what);
	if (ret)
		return ret;
	p = cbor_map_handle(mval);
	for (size_t i = 0; i < cbor_map_size(mval); i++) {
		int64_t k;

		if (!agent_cbor_int(p[i].key, &k))
			return agent_corim_fail(c, "%s: only digests (key 2) are supported, not a key of another type",
						what);
		if (k != AGENT_MVAL_DIGESTS)
			return agent_corim_fail(c, "%s: only digests (key 2) are supported, not key %lld",
						what, (long long)k);
	}
	ret = agent_map_need(c, mval, AGENT_MVAL_DIGESTS, "digests", what,
			     &digests);
	if (ret)
		return ret;
	snprintf(what, sizeof(what), "%s measurement %u digests", where,
		 v->index);
	ret = agent_array_check(c, digests, what);
	if (ret)
		return ret;
	it = cbor_array_handle(digests);
	for (size_t i = 0; i < cbor_array_size(digests); i++) {
		char dwhat[224];

		snprintf(dwhat, sizeof(dwhat), "%s #%zu", what, i);
		ret = agent_corim_digest(c, it[i], v, dwhat);
		if (ret)
			return ret;
	}
	return 0;
}

/* environment-map: a class with vendor and model, nothing narrower. */
static int agent_corim_environment(struct agent_corim_ctx *c, cbor_item_t *env,
				   struct agent_rim_value *v, const char *where)
{
	static const struct {
		int64_t key;
		const char *name;
	} unsupported[] = {
		{ AGENT_CLASS_ID, "class-id" },
		{ AGENT_CLASS_LAYER, "layer" },
		{ AGENT_CLASS_INDEX, "index" },
	};
	char what[160];
	cbor_item_t *cls, *x;
	int ret;

	snprintf(what, sizeof(what), "%s environment-map", where);
	ret = agent_map_check(c, env, what);
	if (ret)
		return ret;
	if (agent_map_get(c, env, AGENT_ENV_INSTANCE, what, &x) ||
	    agent_map_get(c, env, AGENT_ENV_GROUP, what, &x))
		return agent_corim_fail(c, "%s: instance and group environments are not supported",
					what);
	ret = agent_map_need(c, env, AGENT_ENV_CLASS, "class", what, &cls);
	if (ret)
		return ret;
	snprintf(what, sizeof(what), "%s class-map", where);
	ret = agent_map_check(c, cls, what);
	if (ret)
		return ret;
	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (agent_map_get(c, cls, unsupported[i].key, what, &x))
			return agent_corim_fail(c, "%s: %s is not supported (vendor and model name the device)",
						what, unsupported[i].name);
	ret = agent_map_need(c, cls, AGENT_CLASS_VENDOR, "vendor", what, &x);
	if (!ret)
		ret = agent_text_copy(c, x, v->vendor, sizeof(v->vendor), what);
	if (ret)
		return ret;
	ret = agent_map_need(c, cls, AGENT_CLASS_MODEL, "model", what, &x);
	if (!ret)
		ret = agent_text_copy(c, x, v->model, sizeof(v->model), what);
	return ret;
}

/* reference-triple-record: [ environment-map, [+ measurement-map] ] */
static int agent_corim_triple(struct agent_corim_ctx *c, cbor_item_t *t,
			      const char *where)
{
	struct agent_rim_value v = { 0 };
	cbor_item_t **it, **m;
	int ret;

	if (!cbor_isa_array(t) || cbor_array_size(t) != 2)
		return agent_corim_fail(c, "%s: not an [environment, measurements] pair",
					where);
	it = cbor_array_handle(t);
	ret = agent_corim_environment(c, it[0], &v, where);
	if (ret)
		return ret;
	ret = agent_array_check(c, it[1], where);
	if (ret)
		return agent_corim_fail(c, "%s: measurements: %s", where,
					cbor_isa_array(it[1]) ? "empty array" :
					"not an array");
	m = cbor_array_handle(it[1]);
	for (size_t i = 0; i < cbor_array_size(it[1]); i++) {
		ret = agent_corim_measurement(c, m[i], &v, where);
		if (ret)
			return ret;
	}
	return 0;
}

/* concise-mid-tag, itself CBOR inside the tag's byte string. */
static int agent_corim_comid(struct agent_corim_ctx *c, cbor_item_t *bstr,
			     size_t n)
{
	char what[64], where[128];
	cbor_item_t *comid = NULL, *ident, *x, *triples, *refs, **it;
	int ret;

	snprintf(what, sizeof(what), "concise-mid-tag #%zu", n);
	if (!cbor_isa_bytestring(bstr))
		return agent_corim_fail(c, "%s: tag 506 does not wrap a byte string",
					what);
	ret = agent_cbor_decode(c, cbor_bytestring_handle(bstr),
				cbor_bytestring_length(bstr), what, &comid);
	if (ret)
		return ret;
	ret = agent_map_check(c, comid, what);
	if (!ret)
		ret = agent_map_need(c, comid, AGENT_COMID_TAG_IDENTITY,
				     "tag-identity", what, &ident);
	if (!ret)
		ret = agent_map_check(c, ident, "tag-identity-map");
	if (!ret)
		ret = agent_map_need(c, ident, AGENT_TAG_ID, "tag-id",
				     "tag-identity-map", &x);
	if (!ret && !cbor_isa_string(x) && !cbor_isa_bytestring(x))
		ret = agent_corim_fail(c, "tag-identity-map: tag-id is neither text nor a UUID");
	if (!ret)
		ret = agent_map_need(c, comid, AGENT_COMID_TRIPLES, "triples",
				     what, &triples);
	if (!ret) {
		snprintf(where, sizeof(where), "%s triples-map", what);
		ret = agent_map_check(c, triples, where);
	}
	if (!ret)
		ret = agent_map_get(c, triples, AGENT_TRIPLES_REFERENCE, where,
				    &refs);
	if (ret <= 0)		/* no reference triples: nothing for us here */
		goto out;
	ret = agent_array_check(c, refs, "reference-triples");
	for (size_t i = 0; !ret && i < cbor_array_size(refs); i++) {
		it = cbor_array_handle(refs);
		snprintf(where, sizeof(where), "%s reference-triple #%zu", what, i);
		ret = agent_corim_triple(c, it[i], where);
	}
out:
	cbor_decref(&comid);
	return ret;
}

/**
 * agent_corim_parse_payload() - the unsigned CoRIM a COSE_Sign1 carries
 * @buf: tagged-unsigned-corim-map (tag 501), CBOR
 * @len: its length
 * @rim: the manifest to fill (values appended, id set)
 * @err: what is wrong and where
 * @errlen: size of @err
 *
 * Return: 0, -EBADMSG on a malformed or unsupported manifest, -ENOMEM.
 */
int agent_corim_parse_payload(const uint8_t *buf, size_t len,
			      struct agent_rim *rim, char *err, size_t errlen)
{
	struct agent_corim_ctx ctx = { err, errlen, rim }, *c = &ctx;
	cbor_item_t *top = NULL, *map, *id, *tags, *uuid;
	size_t before = rim->nvalues;
	int ret;

	ret = agent_cbor_decode(c, buf, len, "payload", &top);
	if (ret)
		return ret;
	map = agent_cbor_untag(top, AGENT_CORIM_TAG_UNSIGNED);
	if (!map) {
		ret = agent_corim_fail(c, "payload: not a tagged-unsigned-corim-map (CBOR tag 501)");
		goto out;
	}
	ret = agent_map_check(c, map, "corim-map");
	if (!ret)
		ret = agent_map_need(c, map, AGENT_CORIM_ID, "id", "corim-map",
				     &id);
	if (ret)
		goto out;
	uuid = agent_cbor_untag(id, AGENT_CBOR_TAG_UUID);
	if (cbor_isa_string(id))
		ret = agent_text_copy(c, id, rim->id, sizeof(rim->id),
				      "corim-map id");
	else if (uuid && cbor_isa_bytestring(uuid) &&
		 cbor_bytestring_length(uuid) == 16)
		spdm_hex(cbor_bytestring_handle(uuid), 16, rim->id, sizeof(rim->id));
	else
		ret = agent_corim_fail(c, "corim-map id: neither text nor a tagged UUID (CBOR tag 37, 16 bytes)");
	if (!ret)
		ret = agent_map_need(c, map, AGENT_CORIM_TAGS, "tags",
				     "corim-map", &tags);
	if (!ret)
		ret = agent_array_check(c, tags, "corim-map tags");
	for (size_t i = 0; !ret && i < cbor_array_size(tags); i++) {
		cbor_item_t *tag = cbor_array_handle(tags)[i], *comid;

		if (cbor_isa_tag(tag) &&
		    (cbor_tag_value(tag) == AGENT_CORIM_TAG_COSWID ||
		     cbor_tag_value(tag) == AGENT_CORIM_TAG_COTL))
			continue;	/* CoSWID, CoTL: not for SPDM devices */
		comid = agent_cbor_untag(tag, AGENT_CORIM_TAG_COMID);
		ret = comid ? agent_corim_comid(c, comid, i) :
		      agent_corim_fail(c, "corim-map tags #%zu: not a concise-mid-tag (CBOR tag 506)",
				       i);
	}
	if (!ret && rim->nvalues == before)
		ret = agent_corim_fail(c, "no reference-triple: the manifest names no device");
out:
	cbor_decref(&top);
	return ret;
}

/* ---- COSE_Sign1 ---- */

struct agent_cose_alg {
	int64_t id;
	const char *name;
	int pkey_type;
	const char *group;		/* EC curve */
	const char *md;
	size_t sig_len;			/* ECDSA: r‖s */
};

static const struct agent_cose_alg agent_cose_algs[] = {
	{ AGENT_COSE_ES256, "ES256", EVP_PKEY_EC, "prime256v1", "SHA256", 64 },
	{ AGENT_COSE_ES384, "ES384", EVP_PKEY_EC, "secp384r1", "SHA384", 96 },
	{ AGENT_COSE_ES512, "ES512", EVP_PKEY_EC, "secp521r1", "SHA512", 132 },
	{ AGENT_COSE_PS256, "PS256", EVP_PKEY_RSA, NULL, "SHA256", 0 },
	{ AGENT_COSE_PS384, "PS384", EVP_PKEY_RSA, NULL, "SHA384", 0 },
	{ AGENT_COSE_PS512, "PS512", EVP_PKEY_RSA, NULL, "SHA512", 0 },
};

/* The protected header: alg, content type, crit naming only what we know. */
static int agent_cose_protected(struct agent_corim_ctx *c, cbor_item_t *bstr,
				const struct agent_cose_alg **alg)
{
	const char *what = "COSE_Sign1 protected header";
	cbor_item_t *hdr = NULL, *x;
	char ctype[32];
	int64_t id;
	int ret;

	if (!cbor_isa_bytestring(bstr))
		return agent_corim_fail(c, "%s: not a byte string", what);
	ret = agent_cbor_decode(c, cbor_bytestring_handle(bstr),
				cbor_bytestring_length(bstr), what, &hdr);
	if (ret)
		return ret;
	ret = agent_map_check(c, hdr, what);
	if (!ret)
		ret = agent_map_need(c, hdr, AGENT_COSE_ALG, "alg", what, &x);
	if (ret)
		goto out;
	if (!agent_cbor_int(x, &id)) {
		ret = agent_corim_fail(c, "%s: alg is not an integer", what);
		goto out;
	}
	*alg = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(agent_cose_algs); i++)
		if (agent_cose_algs[i].id == id)
			*alg = &agent_cose_algs[i];
	if (!*alg) {
		ret = agent_corim_fail(c, "%s: unsupported alg %lld (ES256, ES384, ES512, PS256, PS384, PS512)",
				       what, (long long)id);
		goto out;
	}
	ret = agent_map_need(c, hdr, AGENT_COSE_CONTENT_TYPE, "content type",
			     what, &x);
	if (!ret && (agent_text_copy(c, x, ctype, sizeof(ctype), what) ||
		     strcmp(ctype, AGENT_CORIM_CONTENT_TYPE)))
		ret = agent_corim_fail(c, "%s: content type is not \"%s\"", what,
				       AGENT_CORIM_CONTENT_TYPE);
	if (ret)
		goto out;
	ret = agent_map_get(c, hdr, AGENT_COSE_CRIT, what, &x);
	if (ret < 0)
		goto out;
	if (ret) {	/* RFC 9052 §3.1: every listed label must be understood */
		cbor_item_t **it;

		ret = agent_array_check(c, x, "COSE crit");
		if (ret)
			goto out;
		it = cbor_array_handle(x);
		for (size_t i = 0; !ret && i < cbor_array_size(x); i++) {
			cbor_item_t *y;

			if (!agent_cbor_int(it[i], &id))
				ret = agent_corim_fail(c, "COSE crit: unknown critical header parameter (not an integer label)");
			else if (id != AGENT_COSE_CONTENT_TYPE && id != AGENT_CORIM_META)
				ret = agent_corim_fail(c, "COSE crit: unknown critical header parameter %lld",
						       (long long)id);
			else if (agent_map_get(c, hdr, id, what, &y) != 1)
				ret = agent_corim_fail(c, "COSE crit: critical header parameter %lld absent",
						       (long long)id);
		}
	}
out:
	cbor_decref(&hdr);
	return ret;
}

/* RFC 9052 §4.4: Sig_structure = ["Signature1", protected, h'', payload] */
static void agent_cbor_head(uint8_t *out, size_t *off, uint8_t major,
			    uint64_t n)
{
	int bytes = n < 24 ? 0 : n <= 0xff ? 1 : n <= 0xffff ? 2 :
		    n <= 0xffffffffu ? 4 : 8;

	out[(*off)++] = (uint8_t)(major << 5 |
		(bytes == 0 ? n : bytes == 1 ? 24 : bytes == 2 ? 25 :
		 bytes == 4 ? 26 : 27));
	for (int i = bytes - 1; i >= 0; i--)
		out[(*off)++] = (uint8_t)(n >> (8 * i));
}

static uint8_t *agent_sig_structure(const uint8_t *prot, size_t prot_len,
				    const uint8_t *payload, size_t payload_len,
				    size_t *len)
{
	static const char context[] = "Signature1";
	size_t off = 0, max = 4 * 9 + sizeof(context) + prot_len + payload_len;
	uint8_t *m = malloc(max);

	if (!m)
		return NULL;
	agent_cbor_head(m, &off, 4, 4);			/* array(4) */
	agent_cbor_head(m, &off, 3, sizeof(context) - 1);	/* text */
	memcpy(m + off, context, sizeof(context) - 1);
	off += sizeof(context) - 1;
	agent_cbor_head(m, &off, 2, prot_len);		/* body_protected */
	memcpy(m + off, prot, prot_len);
	off += prot_len;
	agent_cbor_head(m, &off, 2, 0);			/* external_aad */
	agent_cbor_head(m, &off, 2, payload_len);	/* payload */
	memcpy(m + off, payload, payload_len);
	off += payload_len;
	*len = off;
	return m;
}

static bool agent_cose_key_fits(EVP_PKEY *key, const struct agent_cose_alg *a)
{
	char group[32];

	if (EVP_PKEY_get_base_id(key) != a->pkey_type)
		return false;
	if (a->pkey_type != EVP_PKEY_EC)
		return EVP_PKEY_get_bits(key) >= 2048;
	return EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					      group, sizeof(group), NULL) &&
	       !strcmp(group, a->group);
}

static bool agent_cose_verify(EVP_PKEY *key, const struct agent_cose_alg *a,
			      const uint8_t *msg, size_t msg_len,
			      const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	uint8_t *der = NULL;
	size_t der_len = sig_len;
	bool ok = false;

	if (!md)
		return false;
	if (a->pkey_type == EVP_PKEY_EC &&
	    spdm_ecdsa_raw_to_der(sig, sig_len, &der, &der_len))
		goto out;
	if (EVP_DigestVerifyInit_ex(md, &pctx, a->md, NULL, NULL, key, NULL) != 1)
		goto out;
	/* RFC 8230 §2: PSS with MGF1 of the same hash, salt as long as it */
	if (a->pkey_type == EVP_PKEY_RSA &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out;
	ok = EVP_DigestVerify(md, der ? der : sig, der_len, msg, msg_len) == 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ok;
}

/**
 * agent_corim_parse() - verify and read one signed CoRIM
 * @buf: the file's bytes, #6.18(COSE_Sign1)
 * @len: their number
 * @signers: the keys allowed to sign manifests (rim.d)
 * @nsigners: how many
 * @rim: filled on success (agent_rim_clear() releases it either way)
 * @err: what is wrong and where
 * @errlen: size of @err
 *
 * The signature must verify under one of @signers before the payload is
 * read; @rim->signer names that one.
 *
 * Return: 0, -EBADMSG malformed or unsupported, -EKEYREJECTED no signer's
 * key verifies it, -ENOMEM.
 */
int agent_corim_parse(const uint8_t *buf, size_t len,
		      const struct agent_rim_signer *signers, size_t nsigners,
		      struct agent_rim *rim, char *err, size_t errlen)
{
	struct agent_corim_ctx ctx = { err, errlen, rim }, *c = &ctx;
	const struct agent_cose_alg *alg = NULL;
	cbor_item_t *top = NULL, *sign1, **it;
	const uint8_t *payload, *sig;
	size_t msg_len, payload_len, sig_len;
	bool fits = false;
	uint8_t *msg;
	int ret;

	if (len > AGENT_CORIM_MAX)
		return agent_corim_fail(c, "larger than %u bytes", AGENT_CORIM_MAX);
	/*
	 * libcbor 0.8 (Debian 12) refuses tags 6..20 written in the initial
	 * byte, COSE_Sign1's among them: the tag's one byte (its preferred
	 * encoding, RFC 8949 §4.2.1) is read here, the array by libcbor.
	 */
	if (!len)
		return agent_corim_fail(c, "CoRIM: empty");
	if (buf[0] != AGENT_CBOR_TAG_HEAD(AGENT_COSE_SIGN1_TAG))
		return agent_corim_fail(c, "not a signed CoRIM: COSE_Sign1 (CBOR tag 18) expected");
	ret = agent_cbor_decode(c, buf + 1, len - 1, "COSE_Sign1", &top);
	if (ret)
		return ret;
	sign1 = top;
	if (!cbor_isa_array(sign1) || cbor_array_size(sign1) != 4) {
		ret = agent_corim_fail(c, "COSE_Sign1: not an array of 4 (protected, unprotected, payload, signature)");
		goto out;
	}
	it = cbor_array_handle(sign1);
	ret = agent_cose_protected(c, it[0], &alg);
	if (ret)
		goto out;
	ret = agent_map_check(c, it[1], "COSE_Sign1 unprotected header");
	if (ret)
		goto out;
	if (cbor_is_null(it[2])) {
		ret = agent_corim_fail(c, "COSE_Sign1 payload: detached payloads are not supported");
		goto out;
	}
	if (!cbor_isa_bytestring(it[2]) || !cbor_isa_bytestring(it[3])) {
		ret = agent_corim_fail(c, "COSE_Sign1: %s is not a byte string",
				       cbor_isa_bytestring(it[2]) ? "signature" : "payload");
		goto out;
	}
	payload = cbor_bytestring_handle(it[2]);
	payload_len = cbor_bytestring_length(it[2]);
	sig = cbor_bytestring_handle(it[3]);
	sig_len = cbor_bytestring_length(it[3]);
	if (alg->sig_len && sig_len != alg->sig_len) {
		ret = agent_corim_fail(c, "COSE_Sign1: %s signature of %zu bytes, %zu expected",
				       alg->name, sig_len, alg->sig_len);
		goto out;
	}
	msg = agent_sig_structure(cbor_bytestring_handle(it[0]),
				  cbor_bytestring_length(it[0]), payload,
				  payload_len, &msg_len);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	rim->signer = NULL;
	for (size_t i = 0; i < nsigners && !rim->signer; i++) {
		if (!agent_cose_key_fits(signers[i].key, alg))
			continue;
		fits = true;
		if (agent_cose_verify(signers[i].key, alg, msg, msg_len, sig,
				      sig_len))
			rim->signer = signers[i].name;
	}
	free(msg);
	if (!rim->signer) {
		ret = fits ? agent_corim_fail(c, "%s signature verifies with no key of the manifest anchors",
					      alg->name) :
			     agent_corim_fail(c, "%s: no manifest anchor has a key for this algorithm",
					      alg->name);
		ret = ret == -EBADMSG ? -EKEYREJECTED : ret;
		goto out;
	}
	ret = agent_corim_parse_payload(payload, payload_len, rim, err, errlen);
out:
	cbor_decref(&top);
	return ret;
}
