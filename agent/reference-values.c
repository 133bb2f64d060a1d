// SPDX-License-Identifier: GPL-2.0
/*
 * Reference values: the policy's `reference-values "DIR"`, every file of
 * DIR a vendor's signed CoRIM (corim.c), each verified with a key of the
 * manifest anchors (rim.d: NAME.pem, a certificate or a public key; kept
 * apart from the device trust store, whose anchors vouch for devices, not
 * for firmware), and the appraisal of one device's signed measurements
 * against them: the rule attribute `reference-values`.
 *
 * A reference triple names a device by its environment class:
 *   - vendor and model both four hex digits ("1b36", "0x0010"): the PCI
 *     vendor and device IDs of its configuration space;
 *   - otherwise: the organizationName (O) and commonName (CN) of the
 *     subject of its leaf certificate, when the chain verified.
 * Every triple naming the device, of every manifest, adds its digests to
 * the acceptable ones of its index. The device matches when each index
 * named has a signed measurement block, a digest (not a raw bit stream),
 * equal to one of them in the negotiated measurement hash, and the device
 * itself is verified; otherwise it mismatches; with no triple naming it, it
 * is unknown.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "agent.h"

/* DSP0274 1.2.1 §10.5 Table 15: MeasurementHashAlgo */
#define AGENT_MEAS_HASH_SHA256	(1u << 1)
#define AGENT_MEAS_HASH_SHA384	(1u << 2)
#define AGENT_MEAS_HASH_SHA512	(1u << 3)
/* DSP0274 1.2.1 §10.11.1.1 Table 46: DMTFSpecMeasurementValueType bit 7 */
#define AGENT_MEAS_TYPE_RAW	0x80

static const char *const agent_refval_names[] = {
	[AGENT_REFVAL_UNKNOWN] = "unknown",
	[AGENT_REFVAL_MATCH] = "match",
	[AGENT_REFVAL_MISMATCH] = "mismatch",
};

/** agent_refval_name() - the policy keyword of an appraisal result */
const char *agent_refval_name(enum agent_refval r)
{
	return (unsigned int)r < ARRAY_SIZE(agent_refval_names) ?
	       agent_refval_names[r] : "?";
}

/** agent_rim_clear() - release what one manifest owns */
void agent_rim_clear(struct agent_rim *rim)
{
	free(rim->file);
	free(rim->values);
	memset(rim, 0, sizeof(*rim));
}

/** agent_refvals_free() - release manifests and their anchors */
void agent_refvals_free(struct agent_refvals *rv)
{
	if (!rv)
		return;
	for (size_t i = 0; i < rv->nrims; i++)
		agent_rim_clear(&rv->rims[i]);
	for (size_t i = 0; i < rv->nsigners; i++) {
		free(rv->signers[i].name);
		EVP_PKEY_free(rv->signers[i].key);
	}
	free(rv->rims);
	free(rv->signers);
	free(rv->dir);
	free(rv->anchors);
	free(rv);
}

/** agent_refvals_count() - reference digests loaded, for --check-policy */
size_t agent_refvals_count(const struct agent_refvals *rv)
{
	size_t n = 0;

	for (size_t i = 0; rv && i < rv->nrims; i++)
		n += rv->rims[i].nvalues;
	return n;
}

static int agent_visible_file(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int agent_pem_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       !strcmp(d->d_name + n - 4, ".pem");
}

/* rim.d/NAME.pem: a certificate (its key is used) or a public key. */
static int agent_signer_load(struct agent_refvals *rv, const char *name,
			     char *err, size_t errlen)
{
	struct agent_rim_signer *s = &rv->signers[rv->nsigners];
	char path[PATH_MAX];
	X509 *cert;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", rv->anchors, name);
	f = agent_fopen_regular(path, &ret, err, errlen);
	if (!f)
		return ret;
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	if (cert) {
		s->key = X509_get_pubkey(cert);
		X509_free(cert);
	} else {
		rewind(f);
		s->key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	}
	fclose(f);
	ERR_clear_error();
	if (!s->key) {
		snprintf(err, errlen, "%s: no PEM certificate or public key", path);
		return -EINVAL;
	}
	s->name = strndup(name, strlen(name) - 4);
	if (!s->name) {
		EVP_PKEY_free(s->key);
		return -ENOMEM;
	}
	rv->nsigners++;
	return 0;
}

static int agent_read_all(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd, ret = 0;

	fd = agent_open_regular(path);	/* a FIFO must not block the agent */
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	if ((uint64_t)st.st_size > AGENT_CORIM_MAX) {
		ret = -EFBIG;
		goto out;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;
			free(*buf);
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
out:
	close(fd);
	return ret;
}

static int agent_rim_load(struct agent_refvals *rv, const char *name,
			  char *err, size_t errlen)
{
	struct agent_rim *rim = &rv->rims[rv->nrims];
	char path[PATH_MAX], why[AGENT_ERR_LEN];
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", rv->dir, name);
	ret = agent_read_all(path, &buf, &len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path,
			 ret == -EFBIG ? "larger than 1 MiB" :
			 agent_open_strerror(ret));
		return ret;
	}
	memset(rim, 0, sizeof(*rim));
	ret = agent_corim_parse(buf, len, rv->signers, rv->nsigners, rim, why,
				sizeof(why));
	free(buf);
	if (!ret) {
		rim->file = strdup(name);
		ret = rim->file ? 0 : -ENOMEM;
	}
	if (ret) {
		if (ret != -ENOMEM)
			snprintf(err, errlen, "%s: %s", path, why);
		agent_rim_clear(rim);
		return ret;
	}
	rv->nrims++;
	return 0;
}

/* Every entry of @dir that @filter keeps, loaded by @load, sorted by name. */
static int agent_load_dir(struct agent_refvals *rv, const char *dir,
			  int (*filter)(const struct dirent *),
			  int (*load)(struct agent_refvals *, const char *,
				      char *, size_t),
			  void **arr, size_t size, char *err, size_t errlen)
{
	struct dirent **names;
	int n, ret = 0;

	n = scandir(dir, &names, filter, alphasort);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (n > AGENT_RIM_FILES_MAX) {
		snprintf(err, errlen, "%s: more than %u files", dir,
			 AGENT_RIM_FILES_MAX);
		ret = -EFBIG;
	} else if (n) {
		*arr = calloc((size_t)n, size);
		if (!*arr)
			ret = -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		if (!ret)
			ret = load(rv, names[i]->d_name, err, errlen);
		free(names[i]);
	}
	free(names);
	return ret;
}

/**
 * agent_refvals_load() - the manifests of a directory, verified
 * @dir: CoRIM files (every file not starting with '.')
 * @anchors: the keys allowed to sign them (NAME.pem)
 * @out: the loaded set
 * @err: "path: what is wrong"
 * @errlen: size of @err
 *
 * All or nothing: one manifest that does not parse or verify fails the
 * load (a policy reload then keeps the previous set).
 *
 * Return: 0 or a negative errno.
 */
int agent_refvals_load(const char *dir, const char *anchors,
		       struct agent_refvals **out, char *err, size_t errlen)
{
	struct agent_refvals *rv = calloc(1, sizeof(*rv));
	int ret;

	if (!rv)
		return -ENOMEM;
	rv->dir = strdup(dir);
	rv->anchors = strdup(anchors);
	if (!rv->dir || !rv->anchors) {
		ret = -ENOMEM;
		goto out_err;
	}
	ret = agent_load_dir(rv, anchors, agent_pem_file, agent_signer_load,
			     (void **)&rv->signers, sizeof(*rv->signers), err,
			     errlen);
	if (!ret && !rv->nsigners) {
		snprintf(err, errlen, "%s: no manifest anchor (NAME.pem)", anchors);
		ret = -ENOKEY;
	}
	if (!ret)
		ret = agent_load_dir(rv, dir, agent_visible_file, agent_rim_load,
				     (void **)&rv->rims, sizeof(*rv->rims), err,
				     errlen);
	if (ret)
		goto out_err;
	*out = rv;
	return 0;

out_err:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	agent_refvals_free(rv);
	return ret;
}

/* "1b36" or "0x1b36": a PCI ID in an environment class. */
static bool agent_pci_id(const char *s, uint16_t *id)
{
	unsigned int v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char ch = s[i];

		if (ch >= '0' && ch <= '9')
			v = v << 4 | (unsigned int)(ch - '0');
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			v = v << 4 | (unsigned int)((ch | 0x20) - 'a' + 10);
		else
			return false;
	}
	*id = (uint16_t)v;
	return true;
}

static bool agent_names_device(const struct agent_rim_value *r,
			       const struct agent_evidence *ev,
			       const struct agent_validation *val)
{
	uint16_t vendor, device;

	if (agent_pci_id(r->vendor, &vendor) && agent_pci_id(r->model, &device))
		return vendor == ev->ids.vendor && device == ev->ids.device;
	/* a subject counts only when the chain to it verified */
	return val->have_chain && !val->chain_result &&
	       !strcmp(r->vendor, val->subject_org) &&
	       !strcmp(r->model, val->subject_cn);
}

/* The RFC 6920 id of the negotiated measurement hash, 0 for none. */
static unsigned int agent_meas_hash_ni(uint32_t meas_hash_alg)
{
	switch (meas_hash_alg) {
	case AGENT_MEAS_HASH_SHA256:
		return 1;
	case AGENT_MEAS_HASH_SHA384:
		return 7;
	case AGENT_MEAS_HASH_SHA512:
		return 8;
	}
	return 0;
}

static __printf(3, 4) void agent_refval_set(struct agent_validation *val,
					    enum agent_refval r,
					    const char *fmt, ...)
{
	va_list ap;

	val->refval = r;
	va_start(ap, fmt);
	vsnprintf(val->refval_reason, sizeof(val->refval_reason), fmt, ap);
	va_end(ap);
}

/* Whether a digest listed for @index by a triple naming the device is @v. */
static bool agent_refval_listed(const struct agent_refvals *rv,
				const struct agent_evidence *ev,
				const struct agent_validation *val,
				unsigned int index, unsigned int alg,
				const uint8_t *v, size_t len, size_t *ndigests)
{
	*ndigests = 0;
	for (size_t i = 0; i < rv->nrims; i++) {
		for (size_t j = 0; j < rv->rims[i].nvalues; j++) {
			const struct agent_rim_value *r = &rv->rims[i].values[j];

			if (r->index != index || !agent_names_device(r, ev, val))
				continue;
			++*ndigests;
			if (r->alg == alg && r->len == len &&
			    !memcmp(r->digest, v, len))
				return true;
		}
	}
	return false;
}

/* Check one named index; false (and the reason set) when it mismatches. */
static bool agent_refval_index(const struct agent_refvals *rv,
			       const struct agent_evidence *ev,
			       struct agent_validation *val, unsigned int index,
			       const struct agent_rim *rim)
{
	char hex[2 * 64 + 1];
	const uint8_t *v;
	size_t len, ndigests;
	uint8_t type;

	if (agent_evidence_measurement_get(ev, index, &type, &v, &len)) {
		agent_refval_set(val, AGENT_REFVAL_MISMATCH,
				 "measurement %u, named by %s, is not among the signed measurements",
				 index, rim->file);
		return false;
	}
	if (type & AGENT_MEAS_TYPE_RAW) {
		agent_refval_set(val, AGENT_REFVAL_MISMATCH,
				 "measurement %u is a raw bit stream, %s lists digests",
				 index, rim->file);
		return false;
	}
	if (agent_refval_listed(rv, ev, val, index,
				agent_meas_hash_ni(ev->meas_hash_alg), v, len,
				&ndigests))
		return true;
	spdm_hex(v, len > 64 ? 64 : len, hex, sizeof(hex));
	agent_refval_set(val, AGENT_REFVAL_MISMATCH,
			 "measurement %u (%.16s...) is none of the %zu digests %s lists",
			 index, hex, ndigests, rim->file);
	return false;
}

/**
 * agent_refvals_appraise() - the device's signed measurements against the manifests
 * @rv: the manifests, NULL when the policy names none
 * @ev: the evidence
 * @val: its validation so far (chain, measurements); refval is set
 *
 * Only a device the agent verified (@val->verified), and only measurements
 * whose signature it verified, count: a device some manifest names that
 * fails either mismatches. So `reference-values match` implies `verified
 * yes`, as `measurement` does.
 */
void agent_refvals_appraise(const struct agent_refvals *rv,
			    const struct agent_evidence *ev,
			    struct agent_validation *val)
{
	const struct agent_rim *named[AGENT_MEAS_INDEX_COUNT] = { 0 };
	const struct agent_rim *first = NULL;
	char list[64] = "";
	unsigned int n = 0;
	size_t off = 0;

	val->refval_checked = rv != NULL;
	if (!rv) {
		agent_refval_set(val, AGENT_REFVAL_UNKNOWN,
				 "no reference-values in the policy");
		return;
	}
	for (size_t i = 0; i < rv->nrims; i++) {
		for (size_t j = 0; j < rv->rims[i].nvalues; j++) {
			const struct agent_rim_value *r = &rv->rims[i].values[j];

			if (named[r->index] || !agent_names_device(r, ev, val))
				continue;
			named[r->index] = &rv->rims[i];
			first = first ? first : &rv->rims[i];
			n++;
		}
	}
	if (!first) {
		agent_refval_set(val, AGENT_REFVAL_UNKNOWN,
				 "no manifest names %04x:%04x or O=%s, CN=%s",
				 ev->ids.vendor, ev->ids.device,
				 val->subject_org, val->subject_cn);
		return;
	}
	if (!val->verified) {
		agent_refval_set(val, AGENT_REFVAL_MISMATCH,
				 "%s names this device, which the agent did not verify",
				 first->file);
		return;
	}
	if (val->meas_result) {
		agent_refval_set(val, AGENT_REFVAL_MISMATCH,
				 "%s names this device; its signed measurements: %s",
				 first->file, val->meas_error);
		return;
	}
	for (unsigned int i = 1; i < AGENT_MEAS_INDEX_COUNT; i++) {
		if (!named[i])
			continue;
		if (!agent_refval_index(rv, ev, val, i, named[i]))
			return;
		off += snprintf(list + off, sizeof(list) - off, "%s%u",
				off ? ", " : "", i);
		if (off >= sizeof(list))
			off = sizeof(list) - 1;
	}
	agent_refval_set(val, AGENT_REFVAL_MATCH,
			 "measurement%s %s as %s (id %s, signed by %s) lists",
			 n == 1 ? "" : "s", list, first->file, first->id,
			 first->signer);
}

/**
 * agent_refvals_audit() - the reference-value fields of an audit record
 * @js: the record, inside its "validation" object
 * @val: the validation
 */
void agent_refvals_audit(struct agent_json *js,
			 const struct agent_validation *val)
{
	if (!val->refval_checked)
		return;
	agent_json_string(js, "reference_values", agent_refval_name(val->refval));
	agent_json_string(js, "reference_values_reason", val->refval_reason);
}
