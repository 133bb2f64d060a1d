// SPDX-License-Identifier: GPL-2.0
/*
 * Reference values against the test PKI's generated CoRIMs
 * (tests/pki/gen-corim.py): every malformed or unverifiable manifest of
 * rim/bad is refused with the error that names its fault; the good ones
 * load; a device's signed measurements match, mismatch or are unknown to
 * them; the policy's `reference-values` statement and attribute; the audit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

static char *rim_path(const char *sub)
{
	char *p = malloc(512);

	snprintf(p, 512, "%s/rim/%s", pki_set_dir(), sub);
	return p;
}

static struct agent_refvals *load_ok(const char *sub)
{
	struct agent_refvals *rv = NULL;
	char err[AGENT_ERR_LEN];
	char *dir = rim_path(sub), *anchors = rim_path("rim.d");

	if (agent_refvals_load(dir, anchors, &rv, err, sizeof(err)))
		fail_msg("%s", err);
	free(dir);
	free(anchors);
	return rv;
}

static void good_manifests_load_with_their_signers(void **state)
{
	struct agent_refvals *rv = load_ok("good");

	(void)state;
	assert_int_equal(rv->nsigners, 2);
	assert_int_equal(rv->nrims, 1);
	assert_string_equal(rv->rims[0].file, "qemu-nvme.corim");
	assert_string_equal(rv->rims[0].id, "spdm-test-corim");
	assert_string_equal(rv->rims[0].signer, "test-vendor");
	assert_int_equal(agent_refvals_count(rv), 2);
	assert_int_equal(rv->rims[0].values[0].index, 1);
	assert_string_equal(rv->rims[0].values[0].vendor, "1b36");
	assert_string_equal(rv->rims[0].values[0].model, "0010");
	agent_refvals_free(rv);

	rv = load_ok("subject");	/* ES384, a UUID id, a bare public key */
	assert_string_equal(rv->rims[0].signer, "test-vendor-384");
	assert_string_equal(rv->rims[0].id, "000102030405060708090a0b0c0d0e0f");
	assert_int_equal(agent_refvals_count(rv), 3);
	assert_int_equal(rv->rims[0].values[2].alg, 7);
	assert_int_equal(rv->rims[0].values[2].len, 48);
	agent_refvals_free(rv);
}

/* One generated manifest of rim/bad, refused with this errno and text. */
struct bad_case {
	const char *name;
	int err;
	const char *msg;
};

static void bad_manifest_refused(void **state)
{
	const struct bad_case *c = *state;
	struct agent_refvals *rv = NULL;
	char err[AGENT_ERR_LEN], *dir = unit_tmpdir(), *anchors = rim_path("rim.d");
	char src[512], dst[512];
	int ret;

	snprintf(src, sizeof(src), "%s/rim/bad/%s.corim", pki_set_dir(), c->name);
	snprintf(dst, sizeof(dst), "%s/%s.corim", dir, c->name);
	if (symlink(src, dst))
		fail_msg("symlink %s: %m", dst);
	ret = agent_refvals_load(dir, anchors, &rv, err, sizeof(err));
	assert_null(rv);
	if (ret != c->err || !strstr(err, c->msg) || !strstr(err, c->name))
		fail_msg("%s: got %d '%s', want %d '...%s...'", c->name, ret, err,
			 c->err, c->msg);
	unit_tmpdir_free(dir);
	free(anchors);
}

#define BAD(behaviour, file, errno_, text) \
	UNIT_CASE(behaviour, bad_manifest_refused, struct bad_case, file, errno_, text)

/* ---- Appraisal ---- */

/* DSP0274 1.2.1 Table 45/46: one DMTF measurement block, digest or raw. */
static size_t block(uint8_t *out, uint8_t index, uint8_t type,
		    const uint8_t *v, size_t len)
{
	out[0] = index;
	out[1] = 0x01;			/* DMTF */
	out[2] = (uint8_t)(len + 3);
	out[3] = 0;
	out[4] = type;
	out[5] = (uint8_t)len;
	out[6] = 0;
	memcpy(out + 7, v, len);
	return 7 + len;
}

static void digest_of(const char *text, uint8_t out[32])
{
	SHA256((const uint8_t *)text, strlen(text), out);
}

/* A QEMU NVMe whose block 1 is the digest of @fw (NULL: no block 1). */
static void appraise(const struct agent_refvals *rv, const char *fw,
		     uint8_t type, int meas_result, uint16_t device,
		     struct agent_validation *val)
{
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	uint8_t rec[128], d[32];
	size_t n = 0;

	pki_qemu_nvme_ids(&ev.ids);
	ev.ids.device = device;
	ev.meas_hash_alg = 1u << 1;	/* TPM_ALG_SHA_256 */
	digest_of("unrelated", d);
	n += block(rec + n, 3, 0x00, d, 32);
	if (fw) {
		digest_of(fw, d);
		n += block(rec + n, 1, type, d, 32);
	}
	ev.meas = rec;
	ev.meas_len = n;
	memset(val, 0, sizeof(*val));
	val->verified = true;
	val->meas_result = meas_result;
	snprintf(val->meas_error, sizeof(val->meas_error), "%s",
		 meas_result ? "signature does not verify" : "");
	agent_refvals_appraise(rv, &ev, val);
}

static void current_firmware_matches(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-1.0", 0, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MATCH);
	assert_true(val.refval_checked);
	assert_string_equal(val.refval_reason,
		"measurement 1 as qemu-nvme.corim (id spdm-test-corim, signed by test-vendor) lists");
	agent_refvals_free(rv);
}

static void previous_firmware_still_matches(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-0.9", 0, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MATCH);
	agent_refvals_free(rv);
}

static void unlisted_firmware_mismatches_naming_index_and_manifest(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "other-firmware-9.9", 0, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_non_null(strstr(val.refval_reason,
			       "measurement 1 ("));
	assert_non_null(strstr(val.refval_reason,
			       "is none of the 2 digests qemu-nvme.corim lists"));
	agent_refvals_free(rv);
}

static void missing_index_mismatches(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, NULL, 0, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_string_equal(val.refval_reason,
		"measurement 1, named by qemu-nvme.corim, is not among the signed measurements");
	agent_refvals_free(rv);
}

static void raw_bit_stream_mismatches(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-1.0", 0x80, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_non_null(strstr(val.refval_reason, "raw bit stream"));
	agent_refvals_free(rv);
}

static void unverified_measurements_mismatch(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-1.0", 0, -EKEYREJECTED, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_non_null(strstr(val.refval_reason, "signature does not verify"));
	agent_refvals_free(rv);
}

static void unverified_device_mismatches(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-1.0", 0, 0, 0x0010, &val);
	val.verified = false;
	agent_refvals_appraise(rv, &ev, &val);
	/* PCI IDs zero: no manifest names it, so unknown */
	assert_int_equal(val.refval, AGENT_REFVAL_UNKNOWN);
	pki_qemu_nvme_ids(&ev.ids);
	agent_refvals_appraise(rv, &ev, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_string_equal(val.refval_reason,
		"qemu-nvme.corim names this device, which the agent did not verify");
	agent_refvals_free(rv);
}

static void device_no_manifest_names_is_unknown(void **state)
{
	struct agent_refvals *rv = load_ok("good");
	struct agent_validation val;

	(void)state;
	appraise(rv, "golden-firmware-1.0", 0, 0, 0x0011, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_UNKNOWN);
	assert_non_null(strstr(val.refval_reason, "no manifest names 1b36:0011"));
	agent_refvals_free(rv);
	appraise(NULL, "golden-firmware-1.0", 0, 0, 0x0010, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_UNKNOWN);
	assert_false(val.refval_checked);
}

/* Subject environments: only a verified chain's O and CN count. */
static void subject_environment_needs_verified_chain(void **state)
{
	struct agent_refvals *rv = load_ok("subject");
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val;
	uint8_t rec[128], d[48];
	size_t n = 0;

	(void)state;
	digest_of("golden-firmware-1.0", d);
	n += block(rec + n, 1, 0, d, 32);
	ev.meas = rec;
	ev.meas_len = n;
	ev.meas_hash_alg = 1u << 1;
	memset(&val, 0, sizeof(val));
	val.verified = true;
	strcpy(val.subject_org, "SPDM Test");
	strcpy(val.subject_cn, "SPDM Test Device ecp256");
	val.have_chain = true;
	val.chain_result = -EKEYREJECTED;
	agent_refvals_appraise(rv, &ev, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_UNKNOWN);
	val.chain_result = 0;
	agent_refvals_appraise(rv, &ev, &val);
	/* named: index 2 (SHA-384) is absent from this record */
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_non_null(strstr(val.refval_reason, "measurement 2, named by test-device.corim"));
	agent_refvals_free(rv);
}

/* The measurement hash decides which listed digests count. */
static void digest_of_other_hash_does_not_match(void **state)
{
	struct agent_refvals *rv = load_ok("subject");
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val = { .have_chain = true, .verified = true };
	uint8_t rec[160], d[48];
	size_t n = 0;

	(void)state;
	strcpy(val.subject_org, "SPDM Test");
	strcpy(val.subject_cn, "SPDM Test Device ecp256");
	digest_of("golden-firmware-1.0", d);
	n += block(rec + n, 1, 0, d, 32);
	SHA384((const uint8_t *)"b", 1, d);
	n += block(rec + n, 2, 0, d, 48);
	ev.meas = rec;
	ev.meas_len = n;
	ev.meas_hash_alg = 1u << 2;	/* SHA-384: block 1's SHA-256 no longer counts */
	agent_refvals_appraise(rv, &ev, &val);
	assert_int_equal(val.refval, AGENT_REFVAL_MISMATCH);
	assert_non_null(strstr(val.refval_reason, "measurement 1 ("));
	agent_refvals_free(rv);
}

static void manifest_anchors_required(void **state)
{
	struct agent_refvals *rv = NULL;
	char err[AGENT_ERR_LEN], *dir = rim_path("good"), *empty = unit_tmpdir();
	char path[512];

	(void)state;
	assert_int_equal(agent_refvals_load(dir, empty, &rv, err, sizeof(err)),
			 -ENOKEY);
	assert_non_null(strstr(err, "no manifest anchor"));
	unit_write(empty, "junk.pem", "not pem\n");
	assert_int_equal(agent_refvals_load(dir, empty, &rv, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "junk.pem: no PEM certificate or public key"));
	/* the device trust store's roots do not sign manifests */
	snprintf(path, sizeof(path), "%s/trust", pki_set_dir());
	assert_int_equal(agent_refvals_load(dir, path, &rv, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_null(rv);
	unit_tmpdir_free(empty);
	free(dir);
}

/* ---- Policy ---- */

static struct agent_policy *parse_ok(const char *text)
{
	struct agent_policy *pol;
	char err[AGENT_ERR_LEN];

	if (agent_policy_parse("p.rules", text, strlen(text), "/etc/spdm", &pol,
			       err, sizeof(err)))
		fail_msg("%s", err);
	return pol;
}

static void parse_err(const char *text, const char *want)
{
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN];

	assert_int_equal(agent_policy_parse("p.rules", text, strlen(text),
					    "/etc/spdm", &pol, err,
					    sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("got '%s', want '%s'", err, want);
}

static void policy_statement_and_attribute(void **state)
{
	struct agent_policy *pol;

	(void)state;
	pol = parse_ok("default deny\nreference-values \"rims\"\n"
		       "allow reference-values match\n"
		       "deny reference-values { mismatch unknown }");
	assert_string_equal(pol->refval_dir, "/etc/spdm/rims");
	assert_string_equal(pol->refval_anchors, "/etc/spdm/rim.d");
	assert_int_equal(pol->rules[0].conds[0].attr, AGENT_ATTR_REFERENCE_VALUES);
	assert_int_equal(pol->rules[0].conds[0].values[0].num, AGENT_REFVAL_MATCH);
	assert_int_equal(pol->rules[1].conds[0].nvalues, 2);
	assert_true(agent_policy_uses(pol, AGENT_ATTR_REFERENCE_VALUES));
	agent_policy_free(pol);
	pol = parse_ok("default deny\nreference-values \"/srv/rims\" anchors \"/srv/rim.d\"");
	assert_string_equal(pol->refval_dir, "/srv/rims");
	assert_string_equal(pol->refval_anchors, "/srv/rim.d");
	agent_policy_free(pol);
}

static void policy_statement_errors(void **state)
{
	(void)state;
	parse_err("default deny\nreference-values\n",
		  "p.rules:2:17: expected a quoted directory after 'reference-values'");
	parse_err("default deny\nreference-values rims\n", "expected a quoted directory");
	parse_err("default deny\nreference-values \"a\" anchors\n",
		  "expected a quoted directory after 'anchors'");
	parse_err("default deny\nreference-values \"a\" signers \"b\"\n",
		  "expected 'anchors \"DIR\"'");
	parse_err("default deny\nreference-values \"a\" anchors \"b\" x\n",
		  "unexpected text at end of statement");
	parse_err("default deny\nreference-values \"a\"\nreference-values \"b\"\n",
		  "p.rules:3:1: second 'reference-values'");
	parse_err("default deny\nallow reference-values yes\n",
		  "invalid reference-values 'yes': expected match, mismatch or unknown");
}

static void count_warning(const char *msg, void *ctx)
{
	(void)msg;
	++*(size_t *)ctx;
}

/* `reference-values match` implies a verified device; unknown does not. */
static void policy_check_counts_match_as_proof(void **state)
{
	struct agent_policy *pol = parse_ok("default deny\n"
		"allow reference-values match\n"
		"allow reference-values { match unknown }\n"
		"allow reference-values mismatch\n");
	size_t n = 0;

	(void)state;
	assert_int_equal(agent_policy_check(pol, count_warning, &n), 2);
	assert_int_equal(n, 2);
	agent_policy_free(pol);
}

/*
 * The daemon and spdmctl verify load the manifests with the policy, all or
 * nothing: one bad manifest fails the load (SIGHUP keeps the old policy).
 */
static void rules_load_reads_manifests_all_or_nothing(void **state)
{
	char *dir = unit_tmpdir(), text[1024], path[600], err[AGENT_ERR_LEN];
	struct agent_rules *r = NULL;

	(void)state;
	snprintf(text, sizeof(text),
		 "default deny\ntrust-store \"%s/trust\"\n"
		 "reference-values \"%s/rim/good\" anchors \"%s/rim/rim.d\"\n"
		 "allow reference-values match\n",
		 pki_set_dir(), pki_set_dir(), pki_set_dir());
	unit_write(dir, "p.rules", text);
	snprintf(path, sizeof(path), "%s/p.rules", dir);
	if (agent_rules_load(path, NULL, &r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_non_null(r->rv);
	assert_int_equal(r->rv->nrims, 1);
	agent_rules_free(r);
	r = NULL;
	snprintf(text, sizeof(text),
		 "default deny\ntrust-store \"%s/trust\"\n"
		 "reference-values \"%s/rim/bad\" anchors \"%s/rim/rim.d\"\n",
		 pki_set_dir(), pki_set_dir(), pki_set_dir());
	unit_write(dir, "p.rules", text);
	assert_int_equal(agent_rules_load(path, NULL, &r, err, sizeof(err)),
			 -EBADMSG);	/* the first file, alg-text.corim */
	assert_null(r);
	assert_non_null(strstr(err, "/rim/bad/alg-text.corim: COSE_Sign1 protected header: alg is not an integer"));
	unit_tmpdir_free(dir);
}

/* A rule on reference-values decides; the audit says why. */
static void rule_decides_and_audit_says_why(void **state)
{
	struct agent_policy *pol = parse_ok("default deny\n"
		"allow reference-values match label \"published firmware\"\n");
	struct agent_refvals *rv = load_ok("good");
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val;
	struct agent_decision dec;
	struct agent_json js;

	(void)state;
	appraise(rv, "other-firmware-9.9", 0, 0, 0x0010, &val);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_DENY);
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &ev, &val, &dec, false), 0);
	assert_non_null(strstr(js.buf, "\"reference_values\":\"mismatch\""));
	assert_non_null(strstr(js.buf, "\"reference_values_reason\":\"measurement 1 ("));
	agent_json_free(&js);
	appraise(rv, "golden-firmware-1.0", 0, 0, 0x0010, &val);
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_string_equal(dec.rule->label, "published firmware");
	agent_refvals_free(rv);
	agent_policy_free(pol);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(good_manifests_load_with_their_signers),
	cmocka_unit_test(manifest_anchors_required),
	BAD(corim_empty_file_refused, "empty", -EBADMSG, "CoRIM: empty"),
	BAD(corim_truncated_refused, "truncated", -EBADMSG, "COSE_Sign1: truncated at offset"),
	BAD(corim_trailing_bytes_refused, "trailing-bytes", -EBADMSG, "1 trailing bytes"),
	BAD(corim_untagged_sign1_refused, "untagged", -EBADMSG, "COSE_Sign1 (CBOR tag 18) expected"),
	BAD(corim_cose_sign_tag_refused, "wrong-tag", -EBADMSG, "COSE_Sign1 (CBOR tag 18) expected"),
	BAD(corim_unsigned_refused, "unsigned", -EBADMSG, "COSE_Sign1 (CBOR tag 18) expected"),
	BAD(corim_sign1_of_three_refused, "sign1-three-items", -EBADMSG, "not an array of 4"),
	BAD(corim_indefinite_array_refused, "indefinite-array", -EBADMSG, "indefinite length"),
	BAD(corim_indefinite_payload_refused, "indefinite-payload", -EBADMSG, "indefinite length"),
	BAD(corim_huge_array_count_refused, "huge-count", -EBADMSG, "array count larger than the data"),
	BAD(corim_huge_map_count_refused, "huge-map", -EBADMSG, "map count larger than the data"),
	BAD(corim_deep_nesting_refused, "deep-nesting", -EBADMSG, "nested deeper than 16 levels"),
	BAD(corim_oversize_refused, "oversize", -EFBIG, "larger than 1 MiB"),
	BAD(cose_protected_not_bstr_refused, "protected-not-bstr", -EBADMSG, "protected header: not a byte string"),
	BAD(cose_protected_not_map_refused, "protected-not-map", -EBADMSG, "protected header: not a map"),
	BAD(cose_protected_duplicate_alg_refused, "protected-duplicate-alg", -EBADMSG, "protected header: duplicate key 1"),
	BAD(cose_alg_missing_refused, "no-alg", -EBADMSG, "key 1 (alg) missing"),
	BAD(cose_alg_text_refused, "alg-text", -EBADMSG, "alg is not an integer"),
	BAD(cose_alg_eddsa_refused, "alg-unsupported", -EBADMSG, "unsupported alg -8"),
	BAD(cose_alg_wrong_for_key_refused, "alg-wrong-for-key", -EKEYREJECTED, "ES512: no manifest anchor has a key"),
	BAD(cose_signature_wrong_length_refused, "signature-wrong-length", -EBADMSG, "ES256 signature of 63 bytes, 64 expected"),
	BAD(cose_content_type_missing_refused, "no-content-type", -EBADMSG, "key 3 (content type) missing"),
	BAD(cose_content_type_wrong_refused, "wrong-content-type", -EBADMSG, "content type is not \"application/rim+cbor\""),
	BAD(cose_unknown_critical_header_refused, "crit-unknown", -EBADMSG, "unknown critical header parameter 99"),
	BAD(cose_crit_not_array_refused, "crit-not-array", -EBADMSG, "COSE crit: not an array"),
	BAD(cose_absent_critical_header_refused, "crit-absent", -EBADMSG, "critical header parameter 8 absent"),
	BAD(cose_unprotected_not_map_refused, "unprotected-not-map", -EBADMSG, "unprotected header: not a map"),
	BAD(cose_detached_payload_refused, "detached-payload", -EBADMSG, "detached payloads are not supported"),
	BAD(cose_payload_not_bstr_refused, "payload-not-bstr", -EBADMSG, "payload is not a byte string"),
	BAD(cose_bad_signature_refused, "bad-signature", -EKEYREJECTED, "ES256 signature verifies with no key"),
	BAD(cose_unknown_signer_refused, "unknown-signer", -EKEYREJECTED, "ES256 signature verifies with no key"),
	BAD(corim_payload_untagged_refused, "payload-untagged", -EBADMSG, "not a tagged-unsigned-corim-map (CBOR tag 501)"),
	BAD(corim_payload_garbage_refused, "payload-garbage", -EBADMSG, "payload: "),
	BAD(corim_map_not_map_refused, "corim-not-map", -EBADMSG, "corim-map: not a map"),
	BAD(corim_id_missing_refused, "corim-no-id", -EBADMSG, "corim-map: key 0 (id) missing"),
	BAD(corim_id_int_refused, "corim-id-int", -EBADMSG, "corim-map id: neither text nor a tagged UUID"),
	BAD(corim_tags_missing_refused, "corim-no-tags", -EBADMSG, "corim-map: key 1 (tags) missing"),
	BAD(corim_tags_empty_refused, "corim-tags-empty", -EBADMSG, "corim-map tags: empty array"),
	BAD(corim_duplicate_key_refused, "corim-duplicate-key", -EBADMSG, "corim-map: duplicate key 1"),
	BAD(corim_string_keys_refused, "corim-string-keys", -EBADMSG, "corim-map: key 0 (id) missing"),
	BAD(corim_unknown_tag_refused, "tag-not-comid", -EBADMSG, "tags #0: not a concise-mid-tag (CBOR tag 506)"),
	BAD(comid_not_bstr_refused, "comid-not-bstr", -EBADMSG, "tag 506 does not wrap a byte string"),
	BAD(comid_truncated_refused, "comid-truncated", -EBADMSG, "concise-mid-tag #0: truncated"),
	BAD(corim_only_coswid_names_no_device, "only-coswid", -EBADMSG, "the manifest names no device"),
	BAD(comid_tag_identity_missing_refused, "comid-no-tag-identity", -EBADMSG, "key 1 (tag-identity) missing"),
	BAD(comid_triples_missing_refused, "comid-no-triples", -EBADMSG, "key 4 (triples) missing"),
	BAD(comid_without_reference_triples_names_no_device, "comid-no-reference-triples", -EBADMSG, "names no device"),
	BAD(reference_triples_not_array_refused, "reference-triples-not-array", -EBADMSG, "reference-triples: not an array"),
	BAD(triple_of_three_refused, "triple-three-items", -EBADMSG, "not an [environment, measurements] pair"),
	BAD(triple_without_measurements_refused, "triple-no-measurements", -EBADMSG, "measurements: empty array"),
	BAD(environment_without_class_refused, "env-no-class", -EBADMSG, "environment-map: key 0 (class) missing"),
	BAD(environment_instance_refused, "env-instance", -EBADMSG, "instance and group environments are not supported"),
	BAD(class_without_model_refused, "class-no-model", -EBADMSG, "class-map: key 2 (model) missing"),
	BAD(class_vendor_int_refused, "class-vendor-int", -EBADMSG, "class-map: not a text string"),
	BAD(class_id_refused, "class-id", -EBADMSG, "class-id is not supported"),
	BAD(class_vendor_too_long_refused, "vendor-too-long", -EBADMSG, "text of 200 bytes (1 to 63 allowed)"),
	BAD(mkey_missing_refused, "mkey-missing", -EBADMSG, "key 0 (mkey, the SPDM measurement index) missing"),
	BAD(mkey_text_refused, "mkey-text", -EBADMSG, "mkey is not an SPDM measurement index"),
	BAD(mkey_zero_refused, "mkey-zero", -EBADMSG, "mkey is not an SPDM measurement index"),
	BAD(mkey_255_refused, "mkey-255", -EBADMSG, "mkey is not an SPDM measurement index"),
	BAD(mkey_negative_refused, "mkey-negative", -EBADMSG, "mkey is not an SPDM measurement index"),
	BAD(mval_missing_refused, "mval-missing", -EBADMSG, "key 1 (mval) missing"),
	BAD(mval_svn_refused, "mval-svn", -EBADMSG, "only digests (key 2) are supported"),
	BAD(digests_missing_refused, "digests-missing", -EBADMSG, "only digests (key 2) are supported"),
	BAD(digests_empty_refused, "digests-empty", -EBADMSG, "measurement 1 digests: empty array"),
	BAD(digests_not_array_refused, "digests-not-array", -EBADMSG, "measurement 1 digests: not an array"),
	BAD(digest_one_item_refused, "digest-one-item", -EBADMSG, "digests #0: not a [alg, value] pair"),
	BAD(digest_short_refused, "digest-short", -EBADMSG, "digest of 31 bytes, algorithm 1 needs 32"),
	BAD(digest_long_refused, "digest-long", -EBADMSG, "digest of 32 bytes, algorithm 7 needs 48"),
	BAD(digest_value_text_refused, "digest-value-text", -EBADMSG, "value is not a byte string"),
	BAD(digest_unknown_alg_refused, "digest-unknown-alg", -EBADMSG, "unsupported digest algorithm 99"),
	BAD(digest_unknown_alg_name_refused, "digest-unknown-alg-name", -EBADMSG, "unsupported digest algorithm 'md5'"),
	BAD(digest_alg_float_refused, "digest-alg-float", -EBADMSG, "algorithm is neither an integer nor text"),
	BAD(authorized_by_refused, "authorized-by", -EBADMSG, "authorized-by is not supported"),
	cmocka_unit_test(current_firmware_matches),
	cmocka_unit_test(previous_firmware_still_matches),
	cmocka_unit_test(unlisted_firmware_mismatches_naming_index_and_manifest),
	cmocka_unit_test(missing_index_mismatches),
	cmocka_unit_test(raw_bit_stream_mismatches),
	cmocka_unit_test(unverified_measurements_mismatch),
	cmocka_unit_test(unverified_device_mismatches),
	cmocka_unit_test(device_no_manifest_names_is_unknown),
	cmocka_unit_test(subject_environment_needs_verified_chain),
	cmocka_unit_test(digest_of_other_hash_does_not_match),
	cmocka_unit_test(policy_statement_and_attribute),
	cmocka_unit_test(policy_statement_errors),
	cmocka_unit_test(policy_check_counts_match_as_proof),
	cmocka_unit_test(rules_load_reads_manifests_all_or_nothing),
	cmocka_unit_test(rule_decides_and_audit_says_why),
};

UNIT_SUITE(reference_values_suite, tests);
