// SPDX-License-Identifier: GPL-2.0
/*
 * Revocation against the project's test PKI: its CRLs revoke one leaf
 * (bad/revoked-leaf) and one intermediate (bad/revoked-inter). Each mode
 * (ignore, warn, enforce) on revoked, good, CRL-less and stale cases; the
 * CRL files (PEM, DER, several per file, misnamed, garbage); the policy's
 * `revocation` statement and `revoked` attribute; the audit record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

/* A trust store directory of links into the PKI: "name=pki/relative/path". */
static char *trust_dir_of(const char *const *links, size_t n)
{
	char *dir = unit_tmpdir(), src[512], dst[512];

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(links[i], '=');

		assert_non_null(eq);
		snprintf(dst, sizeof(dst), "%s/%.*s", dir, (int)(eq - links[i]),
			 links[i]);
		snprintf(src, sizeof(src), "%s/%s", pki_set_dir(), eq + 1);
		if (symlink(src, dst))
			fail_msg("symlink %s: %m", dst);
	}
	return dir;
}

/* Validate bad/SUB (or a good alg) under @trust_dir in @mode. */
static void run(const char *trust_dir, const char *sub,
		enum agent_revocation_mode mode, struct agent_validation *val)
{
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_evidence ev;
	char err[AGENT_ERR_LEN];
	EVP_PKEY *key;
	uint8_t *chain;
	size_t len;

	if (agent_trust_load(trust_dir, &trust, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(agent_validator_new(trust, AGENT_TIME_ENFORCE, 4, &v),
			 0);
	agent_validator_set_revocation(v, mode);
	chain = pki_set_load_chain(sub, AGENT_HASH_SHA256, &len, &key);
	pki_evidence_fill(&ev, 0x12, AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256,
			  chain, len, key, 5);
	agent_validator_validate(v, &ev, val);
	agent_evidence_free(&ev);
	free(chain);
	EVP_PKEY_free(key);
	agent_validator_free(v);
	agent_trust_free(trust);
}

static void run_pki_trust(const char *sub, enum agent_revocation_mode mode,
			  struct agent_validation *val)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/trust", pki_set_dir());
	run(dir, sub, mode, val);
}

static void revocation_good_chain_is_not_revoked(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("ecp256", AGENT_REVOCATION_ENFORCE, &val);
	assert_true(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_NO);
	assert_string_equal(val.revocation_error, "");
}

static void revocation_enforce_denies_revoked_leaf(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("bad/revoked-leaf", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.chain_result, -EKEYREJECTED);
	assert_int_equal(val.revoked, AGENT_REVOKED_YES);
	assert_non_null(strstr(val.revocation_error, "depth 0"));
	assert_non_null(strstr(val.revocation_error, "revoked-leaf"));
	assert_non_null(strstr(val.revocation_error, "certificate revoked"));
	assert_non_null(strstr(val.chain_error, "revoked"));
}

static void revocation_enforce_denies_revoked_intermediate(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("bad/revoked-inter", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_YES);
	assert_non_null(strstr(val.revocation_error, "depth 1"));
	assert_non_null(strstr(val.revocation_error,
			       "Intermediate CA (revoked)"));
}

static void revocation_warn_reports_revoked_leaf(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("bad/revoked-leaf", AGENT_REVOCATION_WARN, &val);
	assert_true(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_YES);
	assert_non_null(strstr(val.revocation_error, "certificate revoked"));
}

static void revocation_ignore_reads_no_crl(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("bad/revoked-leaf", AGENT_REVOCATION_IGNORE, &val);
	assert_true(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_string_equal(val.revocation_error,
			    "not checked: revocation ignore");
}

/* The root's CRL only: the leaf's issuer published none. */
static void revocation_missing_crl_is_unknown(void **state)
{
	static const char *const links[] = {
		"ecp256.pem=ecp256/root.pem", "ecp256.crl=ecp256/root.crl",
	};
	char *dir = trust_dir_of(links, ARRAY_SIZE(links));
	struct agent_validation val;

	(void)state;
	run(dir, "ecp256", AGENT_REVOCATION_WARN, &val);
	assert_true(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_non_null(strstr(val.revocation_error, "depth 0"));
	assert_non_null(strstr(val.revocation_error, "no CRL"));
	run(dir, "ecp256", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_non_null(strstr(val.revocation_error, "no CRL"));
	unit_tmpdir_free(dir);
}

static void revocation_stale_crl_is_unknown(void **state)
{
	static const char *const links[] = {
		"ecp256.pem=ecp256/root.pem", "ecp256.crl=ecp256/root.crl",
		"ecp256.inter.crl=ecp256/inter-stale.crl",
	};
	char *dir = trust_dir_of(links, ARRAY_SIZE(links));
	struct agent_validation val;

	(void)state;
	run(dir, "ecp256", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_non_null(strstr(val.revocation_error, "CRL stale"));
	run(dir, "ecp256", AGENT_REVOCATION_WARN, &val);
	assert_true(val.verified);
	assert_non_null(strstr(val.revocation_error, "CRL stale"));
	unit_tmpdir_free(dir);
}

/* The root published no CRL: its intermediate's status is unknown. */
static void revocation_missing_root_crl_leaves_intermediate_unknown(void **state)
{
	static const char *const links[] = {
		"ecp256.pem=ecp256/root.pem",
		"ecp256.inter.crl=ecp256/inter.crl.der",
	};
	char *dir = trust_dir_of(links, ARRAY_SIZE(links));
	struct agent_validation val;

	(void)state;
	run(dir, "ecp256", AGENT_REVOCATION_ENFORCE, &val);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_non_null(strstr(val.revocation_error, "depth 1"));
	assert_non_null(strstr(val.revocation_error, "no CRL"));
	unit_tmpdir_free(dir);
}

/*
 * A pinned intermediate is the anchor: it needs no CRL (its issuer's is
 * not even in the store), the leaf under it does.
 */
static void revocation_pinned_intermediate_needs_no_crl(void **state)
{
	static const char *const links[] = {
		"pinned.pem=ecp256/inter.pem", "pinned.crl=ecp256/inter.crl",
	};
	char *dir = trust_dir_of(links, ARRAY_SIZE(links));
	struct agent_validation val;

	(void)state;
	run(dir, "ecp256", AGENT_REVOCATION_ENFORCE, &val);
	assert_true(val.verified);
	assert_string_equal(val.anchor, "pinned");
	assert_int_equal(val.revoked, AGENT_REVOKED_NO);
	run(dir, "bad/revoked-leaf", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_YES);
	unit_tmpdir_free(dir);
}

/* A chain that does not verify was maybe never looked up in a CRL. */
static void revocation_unverified_chain_is_unknown(void **state)
{
	struct agent_validation val;

	(void)state;
	run_pki_trust("bad/unknown-root", AGENT_REVOCATION_ENFORCE, &val);
	assert_false(val.verified);
	assert_int_equal(val.revoked, AGENT_REVOKED_UNKNOWN);
	assert_string_equal(val.revocation_error,
			    "not checked: chain not verified");
}

static void crl_files_pem_der_and_several_per_file(void **state)
{
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	static const char *const parts[] = { "ecp256/root.crl",
					     "ecp256/inter.crl" };
	struct agent_trust *trust;
	FILE *out;

	(void)state;
	/* one PEM file holding both CRLs, one DER file */
	snprintf(path, sizeof(path), "%s/ecp256.both.crl", dir);
	out = fopen(path, "w");
	assert_non_null(out);
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		char src[512], buf[4096];
		size_t n;
		FILE *in;

		snprintf(src, sizeof(src), "%s/%s", pki_set_dir(), parts[i]);
		in = fopen(src, "r");
		assert_non_null(in);
		while ((n = fread(buf, 1, sizeof(buf), in)))
			fwrite(buf, 1, n, out);
		fclose(in);
	}
	fclose(out);
	snprintf(path, sizeof(path), "%s/ecp256/root.pem", pki_set_dir());
	snprintf(err, sizeof(err), "%s/ecp256.pem", dir);
	assert_int_equal(symlink(path, err), 0);
	snprintf(path, sizeof(path), "%s/ecp384/inter.crl.der", pki_set_dir());
	snprintf(err, sizeof(err), "%s/ecp256.der.crl", dir);
	assert_int_equal(symlink(path, err), 0);
	assert_int_equal(agent_trust_load(dir, &trust, err, sizeof(err)), 0);
	assert_int_equal(trust->ncrls, 3);
	agent_trust_free(trust);
	unit_tmpdir_free(dir);
}

static void crl_file_without_anchor_is_an_error(void **state)
{
	static const char *const links[] = {
		"ecp256.pem=ecp256/root.pem", "ecp265.crl=ecp256/root.crl",
	};
	char *dir = trust_dir_of(links, ARRAY_SIZE(links)), err[AGENT_ERR_LEN];
	struct agent_trust *trust = NULL;

	(void)state;
	assert_int_equal(agent_trust_load(dir, &trust, err, sizeof(err)),
			 -EINVAL);
	assert_null(trust);
	assert_non_null(strstr(err, "ecp265.crl: no anchor for this CRL"));
	unit_tmpdir_free(dir);
}

static void crl_file_of_garbage_is_an_error(void **state)
{
	static const char *const links[] = { "ecp256.pem=ecp256/root.pem" };
	char *dir = trust_dir_of(links, ARRAY_SIZE(links)), err[AGENT_ERR_LEN];
	struct agent_trust *trust = NULL;

	(void)state;
	unit_write(dir, "ecp256.crl", "-----BEGIN X509 CRL-----\nAAAA\n");
	assert_int_equal(agent_trust_load(dir, &trust, err, sizeof(err)),
			 -EINVAL);
	assert_null(trust);
	assert_non_null(strstr(err, "ecp256.crl: no CRL in the file (PEM or DER)"));
	unit_tmpdir_free(dir);
}

/* A FIFO named like a CRL is refused at once, not waited on. */
static void crl_file_fifo_is_an_error(void **state)
{
	static const char *const links[] = { "ecp256.pem=ecp256/root.pem" };
	char *dir = trust_dir_of(links, ARRAY_SIZE(links)), err[AGENT_ERR_LEN];
	struct agent_trust *trust = NULL;
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/ecp256.crl", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(agent_trust_load(dir, &trust, err, sizeof(err)) < 0);
	assert_null(trust);
	assert_non_null(strstr(err, "ecp256.crl: "));
	unit_tmpdir_free(dir);
}

static struct agent_policy *parse(const char *text)
{
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN];

	if (agent_policy_parse("t.rules", text, strlen(text), NULL, &pol, err,
			       sizeof(err)))
		fail_msg("%s", err);
	return pol;
}

static void parse_fails(const char *text, const char *expected)
{
	struct agent_policy *pol = NULL;
	char err[AGENT_ERR_LEN];

	assert_int_equal(agent_policy_parse("t.rules", text, strlen(text),
					    NULL, &pol, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, expected);
}

static void policy_revocation_statement_and_attribute(void **state)
{
	struct agent_validation val = { .verified = true };
	struct agent_evidence ev = { .state = AGENT_AUTH_AUTHENTICATED };
	struct agent_decision dec;
	struct agent_policy *pol;

	(void)state;
	pol = parse("default deny\n");
	assert_int_equal(pol->revocation, AGENT_REVOCATION_WARN);
	agent_policy_free(pol);
	pol = parse("default allow\nrevocation enforce\n"
		    "deny revoked yes label \"revoked\"\n"
		    "deny revoked unknown\nallow revoked no\n");
	assert_int_equal(pol->revocation, AGENT_REVOCATION_ENFORCE);
	val.revoked = AGENT_REVOKED_YES;
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_DENY);
	assert_int_equal(dec.rule->line, 3);
	val.revoked = AGENT_REVOKED_UNKNOWN;
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.rule->line, 4);
	val.revoked = AGENT_REVOKED_NO;
	agent_policy_decide(pol, &ev, &val, &dec);
	assert_int_equal(dec.verdict, AGENT_ALLOW);
	assert_int_equal(dec.rule->line, 5);
	agent_policy_free(pol);
	parse_fails("default deny\nrevocation strict\n",
		    "t.rules:2:12: expected ignore, warn or enforce after 'revocation'");
	parse_fails("default deny\nallow revoked maybe\n",
		    "t.rules:2:15: invalid revoked 'maybe': expected unknown, no or yes");
}

static void audit_names_the_revoked_certificate(void **state)
{
	struct agent_evidence ev = { .name = "0000:01:00.0" };
	struct agent_validation val;
	struct agent_json js;

	(void)state;
	run_pki_trust("bad/revoked-leaf", AGENT_REVOCATION_ENFORCE, &val);
	agent_json_init(&js);
	assert_int_equal(agent_audit_format_decision(&js, &ev, &val, NULL,
						     false), 0);
	assert_non_null(strstr(js.buf, "\"revoked\":\"yes\""));
	assert_non_null(strstr(js.buf, "\"revocation\":\"depth 0 ("));
	assert_non_null(strstr(js.buf, "(revoked-leaf)): certificate revoked\""));
	agent_json_free(&js);
}

static const struct CMUnitTest revocation_tests[] = {
	cmocka_unit_test(revocation_good_chain_is_not_revoked),
	cmocka_unit_test(revocation_enforce_denies_revoked_leaf),
	cmocka_unit_test(revocation_enforce_denies_revoked_intermediate),
	cmocka_unit_test(revocation_warn_reports_revoked_leaf),
	cmocka_unit_test(revocation_ignore_reads_no_crl),
	cmocka_unit_test(revocation_missing_crl_is_unknown),
	cmocka_unit_test(revocation_stale_crl_is_unknown),
	cmocka_unit_test(revocation_missing_root_crl_leaves_intermediate_unknown),
	cmocka_unit_test(revocation_pinned_intermediate_needs_no_crl),
	cmocka_unit_test(revocation_unverified_chain_is_unknown),
	cmocka_unit_test(crl_files_pem_der_and_several_per_file),
	cmocka_unit_test(crl_file_without_anchor_is_an_error),
	cmocka_unit_test(crl_file_of_garbage_is_an_error),
	cmocka_unit_test(crl_file_fifo_is_an_error),
	cmocka_unit_test(policy_revocation_statement_and_attribute),
	cmocka_unit_test(audit_names_the_revoked_certificate),
};

UNIT_SUITE(revocation_suite, revocation_tests);
