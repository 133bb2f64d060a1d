// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence validation against a test PKI: chains good and bad, the SPDM
 * leaf rules, certificate lifetimes per time-check mode, the PCIe CMA
 * identity, the transcript signature re-verified, and the chain cache.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/obj_mac.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

struct fixture {
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_evidence ev;
	struct agent_validation val;
};

static void fixture_init(struct fixture *f, const char *trust_dir,
			 enum agent_time_mode time)
{
	char err[AGENT_ERR_LEN];

	memset(f, 0, sizeof(*f));
	if (agent_trust_load(trust_dir, &f->trust, err, sizeof(err)))
		fail_msg("trust store: %s", err);
	assert_int_equal(agent_validator_new(f->trust, time, 64, &f->v), 0);
}

static void fixture_fini(struct fixture *f)
{
	agent_evidence_free(&f->ev);
	agent_validator_free(f->v);
	agent_trust_free(f->trust);
}

/* Evidence from @leaf (signed by @key) under the world's root and inter. */
static void fixture_device(struct fixture *f, X509 *leaf, EVP_PKEY *key,
			   uint8_t version, uint32_t asym, uint32_t hash)
{
	size_t len;
	uint8_t *chain = pki_world_chain(leaf, hash, &len);

	agent_evidence_free(&f->ev);
	pki_evidence_fill(&f->ev, version, asym, hash, chain, len, key, 1);
	free(chain);
}

static void validate(struct fixture *f)
{
	agent_validator_validate(f->v, &f->ev, &f->val);
}

/* cmocka setup: the demo root's validator and a good SPDM 1.2 P-256 device. */
static int good_device(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture *f = malloc(sizeof(*f));

	assert_non_null(f);
	fixture_init(f, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_device(f, w->leaf, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	*state = f;
	return 0;
}

static int fixture_free(void **state)
{
	fixture_fini(*state);
	free(*state);
	return 0;
}

static void validate_accepts_good_chain_spdm_1_2(void **state)
{
	struct fixture *f = *state;

	validate(f);
	assert_int_equal(f->val.chain_result, 0);
	assert_string_equal(f->val.anchor, "demo-root");
	assert_int_equal(f->val.leaf_result, 0);
	assert_int_equal(f->val.signature_result, 0);
	assert_int_equal(f->val.identity, AGENT_IDENTITY_MATCH);
	assert_false(f->val.time_warning);
	assert_true(f->val.verified);
	assert_string_equal(f->val.subject, "CN=Demo NVMe Device,O=SPDM Test");
	assert_string_equal(f->val.issuer,
			    "CN=Demo Intermediate CA,O=SPDM Test");
}

static void validate_fingerprints_are_leaf_and_anchor(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture *f = *state;
	uint8_t leaf_fp[32], root_fp[32];

	validate(f);
	agent_fingerprint(w->leaf, leaf_fp);
	agent_fingerprint(w->root, root_fp);
	assert_memory_equal(f->val.leaf_fp, leaf_fp, 32);
	assert_memory_equal(f->val.root_fp, root_fp, 32);
}

static void validate_verifies_spdm_1_1_signature_over_transcript(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture *f = *state;

	fixture_device(f, w->leaf, w->leaf_key, 0x11, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(f);
	assert_int_equal(f->val.signature_result, 0);
	assert_true(f->val.verified);
}

static void validate_verifies_spdm_1_3_with_p384(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture *f = *state;

	fixture_device(f, w->leaf384, w->leaf384_key, 0x13,
		       AGENT_ASYM_ECDSA_P384, AGENT_HASH_SHA384);
	validate(f);
	assert_int_equal(f->val.chain_result, 0);
	assert_int_equal(f->val.signature_result, 0);
	assert_true(f->val.verified);
}

static void validate_verifies_rsa_pss(void **state)
{
	const struct pki_world *w = pki_world_get();
	EVP_PKEY *key = pki_key_rsa(2048);
	X509 *leaf = pki_cert(&(struct pki_spec){
		.cn = "RSA Device", .key = key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature", .from_days = -1, .to_days = 30 });
	struct fixture f;

	(void)state;
	fixture_init(&f, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_device(&f, leaf, key, 0x12, AGENT_ASYM_RSAPSS_2048,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.signature_result, 0);
	assert_int_equal(f.val.identity, AGENT_IDENTITY_ABSENT);
	assert_true(f.val.verified);
	/* the same key read as PKCS#1 v1.5 must not verify */
	f.ev.base_asym_alg = AGENT_ASYM_RSASSA_2048;
	validate(&f);
	assert_int_equal(f.val.signature_result, -EKEYREJECTED);
	fixture_fini(&f);
	X509_free(leaf);
	EVP_PKEY_free(key);
}

static void validate_rejects_unknown_root(void **state)
{
	const struct pki_world *w = pki_world_get();
	X509 *certs[2] = { w->other_root, w->other_leaf };
	uint8_t root_fp[32], *chain;
	struct fixture f;
	size_t len;

	(void)state;
	fixture_init(&f, w->trust_dir, AGENT_TIME_ENFORCE);
	chain = pki_spdm_chain(certs, 2, AGENT_HASH_SHA256, &len);
	pki_evidence_fill(&f.ev, 0x12, AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256,
			  chain, len, w->leaf_key, 2);
	free(chain);
	validate(&f);
	assert_int_equal(f.val.chain_result, -EKEYREJECTED);
	assert_string_equal(f.val.chain_error,
			    "depth 1: self-signed certificate in certificate chain");
	assert_string_equal(f.val.anchor, "");
	assert_false(f.val.verified);
	/* the root fingerprint is still reported: the one presented */
	agent_fingerprint(w->other_root, root_fp);
	assert_true(f.val.have_root_fp);
	assert_memory_equal(f.val.root_fp, root_fp, 32);
	fixture_fini(&f);
}

static void validate_accepts_partial_chain_to_pinned_intermediate(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture f;

	(void)state;
	fixture_init(&f, w->pinned_dir, AGENT_TIME_ENFORCE);
	fixture_device(&f, w->leaf, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.chain_result, 0);
	assert_string_equal(f.val.anchor, "pinned-inter");
	assert_true(f.val.verified);
	fixture_fini(&f);
}

struct leaf_case {
	const char *basic, *ku, *eku;	/* the leaf's extensions, NULL: none */
	int expected;			/* leaf_result */
	const char *reason;		/* leaf_error */
};

/* A leaf under the world's intermediate with the case's extensions. */
static void leaf_rule_case(void **state)
{
	const struct leaf_case *c = *state;
	const struct pki_world *w = pki_world_get();
	X509 *leaf = pki_cert(&(struct pki_spec){
		.cn = "Leaf Case", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = c->basic, .ku = c->ku,
		.eku = c->eku, .from_days = -1, .to_days = 30 });
	struct fixture f;

	fixture_init(&f, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_device(&f, leaf, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.leaf_result, c->expected);
	assert_string_equal(f.val.leaf_error, c->reason);
	assert_int_equal(f.val.verified, c->expected == 0);
	fixture_fini(&f);
	X509_free(leaf);
}

struct expired_case {
	enum agent_time_mode mode;
	int chain_result;
	bool warning;
};

/* An expired leaf under one time-check mode. */
static void expired_case(void **state)
{
	const struct expired_case *c = *state;
	const struct pki_world *w = pki_world_get();
	X509 *leaf = pki_cert(&(struct pki_spec){
		.cn = "Expired Device", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature", .from_days = -30, .to_days = -1 });
	struct fixture f;

	fixture_init(&f, w->trust_dir, c->mode);
	fixture_device(&f, leaf, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.chain_result, c->chain_result);
	assert_int_equal(f.val.time_warning, c->warning);
	if (c->warning)
		assert_string_equal(f.val.time_error,
				    "depth 0: certificate has expired");
	fixture_fini(&f);
	X509_free(leaf);
}

/*
 * regression: the chain cache kept a chain's result past the moment one of
 * its certificates expired (or became valid), so under time-check enforce an
 * expired chain went on verifying until the next reload.
 */
static void time_enforce_cache_follows_certificate_lifetimes(void **state)
{
	const struct pki_world *w = pki_world_get();
	X509 *expiring = pki_cert(&(struct pki_spec){
		.cn = "Expiring Device", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature", .from_days = -1, .to_seconds = 2 });
	X509 *future = pki_cert(&(struct pki_spec){
		.cn = "Future Device", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature", .from_seconds = 2, .to_days = 30 });
	struct fixture f, g;

	(void)state;
	fixture_init(&f, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_init(&g, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_device(&f, expiring, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	fixture_device(&g, future, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.chain_result, 0);
	validate(&g);
	assert_int_equal(g.val.chain_result, -EKEYREJECTED);
	assert_string_equal(g.val.chain_error,
			    "depth 0: certificate is not yet valid");
	validate(&f);
	assert_true(f.val.cached);	/* nothing changed yet: a hit */
	sleep(4);
	validate(&f);
	assert_false(f.val.cached);
	assert_int_equal(f.val.chain_result, -EKEYREJECTED);
	assert_string_equal(f.val.chain_error, "depth 0: certificate has expired");
	assert_false(f.val.verified);
	validate(&g);
	assert_false(g.val.cached);
	assert_int_equal(g.val.chain_result, 0);
	assert_true(g.val.verified);
	fixture_fini(&f);
	fixture_fini(&g);
	X509_free(expiring);
	X509_free(future);
}

static void identity_mismatch_fails_verification(void **state)
{
	struct fixture *f = *state;

	f->ev.ids.device = 0x0011;	/* config space says another device */
	validate(f);
	assert_int_equal(f->val.identity, AGENT_IDENTITY_MISMATCH);
	assert_string_equal(f->val.identity_text,
			    "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100");
	assert_int_equal(f->val.signature_result, 0);
	assert_false(f->val.verified);
}

static void identity_malformed_in_certificate(void **state)
{
	const struct pki_world *w = pki_world_get();
	X509 *leaf = pki_cert(&(struct pki_spec){
		.cn = "Bad Identity", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature",
		.san = "otherName:2.23.147;UTF8:Vendor=1b36:Device=0010",
		.from_days = -1, .to_days = 30 });
	struct fixture f;

	(void)state;
	fixture_init(&f, w->trust_dir, AGENT_TIME_ENFORCE);
	fixture_device(&f, leaf, w->leaf_key, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(&f);
	assert_int_equal(f.val.identity, AGENT_IDENTITY_MALFORMED);
	assert_false(f.val.verified);
	fixture_fini(&f);
	X509_free(leaf);
}

static void identity_not_a_string_is_malformed(void **state)
{
	const struct pki_world *w = pki_world_get();
	X509 *leaf = pki_cert(&(struct pki_spec){
		.cn = "Int Identity", .key = w->leaf_key, .issuer = w->inter,
		.issuer_key = w->inter_key, .basic = "CA:FALSE",
		.ku = "digitalSignature", .san = "otherName:2.23.147;INT:42",
		.from_days = -1, .to_days = 30 });
	char text[128];

	(void)state;
	assert_int_equal(agent_identity_from_cert(leaf, text, sizeof(text)),
			 -EBADMSG);
	X509_free(leaf);
}

static void identity_parse_table(void **state)
{
	static const struct {
		const char *text;
		int ret;
	} cases[] = {
		{ "Vendor=1b36:Device=0010:CC=010802:REV=02", 0 },
		{ "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100", 0 },
		{ "REV=02:CC=010802:Device=0010:Vendor=1B36", 0 },
		{ "Vendor=1b36:Device=0010:CC=010802", -EINVAL },
		{ "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4", -EINVAL },
		{ "Vendor=1b36:Vendor=1b36:Device=0010:CC=010802:REV=02", -EINVAL },
		{ "Vendor=1b3:Device=0010:CC=010802:REV=02", -EINVAL },
		{ "Vendor=1b36:Device=0010:CC=0108:REV=02", -EINVAL },
		{ "Vendor=1b36:Device=00g0:CC=010802:REV=02", -EINVAL },
		{ "Vendor=1b36:Device=0010:CC=010802:REV=02:", -EINVAL },
		{ "Vendor=1b36:Device=0010:CC=010802:REV=02:Foo=1", -EINVAL },
		{ "Vendor1b36:Device=0010:CC=010802:REV=02", -EINVAL },
		{ "", -EINVAL },
	};
	struct agent_cma_identity id;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (agent_identity_parse(cases[i].text, &id) != cases[i].ret)
			fail_msg("'%s' should give %d", cases[i].text,
				 cases[i].ret);
	assert_int_equal(agent_identity_parse(cases[1].text, &id), 0);
	assert_int_equal(id.vendor, 0x1b36);
	assert_int_equal(id.class, 0x010802);
	assert_true(id.has_subsys);
	assert_int_equal(id.subsys_device, 0x1100);
}

static void identity_without_subsystem_ignores_it(void **state)
{
	struct agent_cma_identity id;
	struct agent_pci_ids ids;

	(void)state;
	pki_qemu_nvme_ids(&ids);
	assert_int_equal(agent_identity_parse(
		"Vendor=1b36:Device=0010:CC=010802:REV=02", &id), 0);
	assert_true(agent_identity_matches(&id, &ids));
	ids.revision = 3;
	assert_false(agent_identity_matches(&id, &ids));
}

static void signature_rejects_corruption(void **state)
{
	struct fixture *f = *state;

	f->ev.signature[5] ^= 1;
	validate(f);
	assert_int_equal(f->val.chain_result, 0);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
	assert_string_equal(f->val.signature_error,
			    "signature does not verify with the leaf key");
	assert_false(f->val.verified);
}

static void signature_rejects_changed_transcript(void **state)
{
	struct fixture *f = *state;

	f->ev.transcript[f->ev.req_nonce_off] ^= 0x80;	/* another nonce */
	validate(f);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
}

static void signature_rejects_other_key(void **state)
{
	const struct pki_world *w = pki_world_get();
	EVP_PKEY *other = pki_key_ec(NID_X9_62_prime256v1);
	struct fixture *f = *state;

	fixture_device(f, w->leaf, other, 0x12, AGENT_ASYM_ECDSA_P256,
		       AGENT_HASH_SHA256);
	validate(f);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
	EVP_PKEY_free(other);
}

static void signature_rejects_wrong_version_prefix(void **state)
{
	struct fixture *f = *state;

	f->ev.version = 0x13;	/* signed as 1.2, claimed 1.3 */
	validate(f);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
}

static void signature_rejects_wrong_length(void **state)
{
	struct fixture *f = *state;

	f->ev.signature_len--;
	validate(f);
	assert_int_equal(f->val.signature_result, -EIO);
	assert_string_equal(f->val.signature_error,
			    "signature of 63 bytes, ECDSA_P256 needs 64");
}

static void signature_rejects_key_of_other_algorithm(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct fixture *f = *state;

	/* a P-384 leaf while P-256 was negotiated */
	fixture_device(f, w->leaf384, w->leaf_key, 0x12,
		       AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256);
	validate(f);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
	assert_string_equal(f->val.signature_error, "leaf key is not ECDSA_P256");
}

static void signature_rejects_nonce_outside_transcript(void **state)
{
	struct fixture *f = *state;

	f->ev.rsp_nonce_off = f->ev.transcript_len - 31;
	validate(f);
	assert_int_equal(f->val.signature_result, -EIO);
	f->ev.rsp_nonce_off = SIZE_MAX;	/* overflow must not wrap */
	validate(f);
	assert_int_equal(f->val.signature_result, -EIO);
}

static void signature_message_has_combined_prefix(void **state)
{
	struct agent_evidence ev = {
		.version = 0x12, .base_hash_alg = AGENT_HASH_SHA256,
		.transcript = (uint8_t *)"abc", .transcript_len = 3,
	};
	static const uint8_t sha256_abc[4] = { 0xba, 0x78, 0x16, 0xbf };
	uint8_t *msg;
	size_t len;

	(void)state;
	assert_int_equal(agent_signature_message(&ev, &msg, &len), 0);
	assert_int_equal(len, 100 + 32);
	assert_memory_equal(msg, "dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*", 32);
	assert_memory_equal(msg + 48, "dmtf-spdm-v1.2.*", 16);
	assert_memory_equal(msg + 64, "\0\0\0\0responder-challenge_auth signing",
			    36);
	assert_memory_equal(msg + 100, sha256_abc, 4);
	free(msg);
}

static void signature_needs_transcript(void **state)
{
	struct fixture *f = *state;

	free(f->ev.transcript);
	f->ev.transcript = NULL;
	validate(f);
	assert_int_equal(f->val.signature_result, -ENODATA);
	assert_false(f->val.verified);
}

struct chain_split_case {
	size_t cut;		/* bytes cut off the end, the header fixed up */
	int byte;		/* the byte to flip bits of, -1: none */
	uint8_t xor_val;
	int expected;
};

/* SPDM chain parsing: one malformed shape of the world's chain, its errno. */
static void chain_split_case(void **state)
{
	const struct chain_split_case *c = *state;
	const struct pki_world *w = pki_world_get();
	STACK_OF(X509) *certs = NULL;
	char err[160];
	uint8_t *chain;
	size_t len;

	chain = pki_world_chain(w->leaf, AGENT_HASH_SHA256, &len);
	if (c->cut) {
		len -= c->cut;
		chain[0] = (uint8_t)len;
		chain[1] = (uint8_t)(len >> 8);
	}
	if (c->byte >= 0)
		chain[c->byte] ^= c->xor_val;
	assert_int_equal(agent_chain_split(chain, len, AGENT_HASH_SHA256,
					   &certs, err, sizeof(err)), c->expected);
	if (!c->expected)
		assert_int_equal(sk_X509_num(certs), 3);
	sk_X509_pop_free(certs, X509_free);
	free(chain);
}

static void chain_split_rejects_short_header(void **state)
{
	STACK_OF(X509) *certs = NULL;
	uint8_t chain[20] = { 20, 0 };
	char err[160];

	(void)state;
	assert_int_equal(agent_chain_split(chain, sizeof(chain),
					   AGENT_HASH_SHA256, &certs, err,
					   sizeof(err)), -EIO);
	assert_string_equal(err, "chain of 20 bytes is shorter than its header");
}

static void chain_split_rejects_header_only(void **state)
{
	STACK_OF(X509) *certs = NULL;
	uint8_t chain[36] = { 36, 0 };
	char err[160];

	(void)state;
	assert_int_equal(agent_chain_split(chain, sizeof(chain),
					   AGENT_HASH_SHA256, &certs, err,
					   sizeof(err)), -EBADMSG);
}

static void validate_reports_missing_chain(void **state)
{
	struct fixture *f = *state;

	agent_evidence_free(&f->ev);	/* the kernel sent no evidence */
	f->ev.state = AGENT_AUTH_UNSUPPORTED;
	f->ev.slot = 3;
	validate(f);
	assert_int_equal(f->val.chain_result, -ENODATA);
	assert_string_equal(f->val.chain_error, "no certificate chain for slot 3");
	assert_false(f->val.verified);
}

static void validate_requires_kernel_authentication(void **state)
{
	struct fixture *f = *state;

	f->ev.state = AGENT_AUTH_FAILED;
	validate(f);
	assert_int_equal(f->val.signature_result, 0);
	assert_false(f->val.verified);
}

static void cache_hits_identical_chain_but_checks_each_signature(void **state)
{
	struct fixture *f = *state;
	unsigned long hits, misses;

	validate(f);
	assert_false(f->val.cached);
	assert_true(f->val.verified);
	validate(f);
	assert_true(f->val.cached);
	assert_true(f->val.verified);
	assert_string_equal(f->val.anchor, "demo-root");
	/* same chain, bad signature: the cache must not hide it */
	f->ev.signature[0] ^= 1;
	validate(f);
	assert_true(f->val.cached);
	assert_int_equal(f->val.signature_result, -EKEYREJECTED);
	assert_false(f->val.verified);
	agent_validator_stats(f->v, &hits, &misses);
	assert_int_equal(hits, 2);
	assert_int_equal(misses, 1);
}

/* The SIGUSR1 line counts both caches: certificates parsed, chain results. */
static void stats_count_certificates_and_chain_results(void **state)
{
	struct fixture *f = *state;
	struct spdm_cert_cache_stats st;
	char line[256], want[128];

	spdm_cert_cache_clear();
	validate(f);
	spdm_cert_cache_stats(&st);
	assert_true(st.entries >= 2);		/* the chain's leaf and above */
	assert_true(st.misses >= st.entries);
	validate(f);
	agent_stats_format(f->v, line, sizeof(line));
	snprintf(want, sizeof(want), "%lu evictions, %lu entries; chain results: 1 hits, 1 misses",
		 st.evictions, st.entries);
	assert_non_null(strstr(line, want));
	assert_non_null(strstr(line, "certificate cache: "));
	agent_stats_format(NULL, line, sizeof(line));
	assert_non_null(strstr(line, "chain results: 0 hits, 0 misses"));
}

static void cache_keeps_per_device_identity(void **state)
{
	struct fixture *f = *state;

	validate(f);
	assert_int_equal(f->val.identity, AGENT_IDENTITY_MATCH);
	f->ev.ids.vendor = 0x8086;	/* same chain on another device */
	validate(f);
	assert_true(f->val.cached);
	assert_int_equal(f->val.identity, AGENT_IDENTITY_MISMATCH);
}

/*
 * Validation on several threads sharing one cache gives each record what a
 * one-by-one validation gives it: good and corrupted signatures on one
 * chain, a chain from an unknown root, a leaf of the wrong algorithm.
 */
static void validate_many_matches_one_by_one(void **state)
{
	const struct pki_world *w = pki_world_get();
	enum { N = 40 };
	const struct agent_evidence *evs[N];
	struct agent_evidence devs[N];
	struct agent_validation par[N], seq;
	struct agent_validator *v1, *vn;
	struct agent_trust *trust;
	char err[AGENT_ERR_LEN];
	uint8_t *good, *other, *p384;
	size_t good_len, other_len, p384_len;
	unsigned long hits, misses;

	(void)state;
	assert_int_equal(agent_trust_load(w->trust_dir, &trust, err,
					  sizeof(err)), 0);
	assert_int_equal(agent_validator_new(trust, AGENT_TIME_ENFORCE, 256, &v1), 0);
	assert_int_equal(agent_validator_new(trust, AGENT_TIME_ENFORCE, 256, &vn), 0);
	good = pki_world_chain(w->leaf, AGENT_HASH_SHA256, &good_len);
	other = pki_world_chain(w->other_leaf, AGENT_HASH_SHA256, &other_len);
	p384 = pki_world_chain(w->leaf384, AGENT_HASH_SHA256, &p384_len);
	for (int i = 0; i < N; i++) {
		if (i % 5 == 3)
			pki_evidence_fill(&devs[i], 0x12, AGENT_ASYM_ECDSA_P256,
					  AGENT_HASH_SHA256, other, other_len,
					  w->other_key, (uint32_t)i);
		else if (i % 5 == 4)
			pki_evidence_fill(&devs[i], 0x12, AGENT_ASYM_ECDSA_P256,
					  AGENT_HASH_SHA256, p384, p384_len,
					  w->leaf_key, (uint32_t)i);
		else
			pki_evidence_fill(&devs[i], 0x12, AGENT_ASYM_ECDSA_P256,
					  AGENT_HASH_SHA256, good, good_len,
					  w->leaf_key, (uint32_t)i);
		if (i % 5 == 1)
			devs[i].signature[3] ^= 1;
		evs[i] = &devs[i];
	}
	agent_validator_validate_many(vn, evs, N, par, 4);
	for (int i = 0; i < N; i++) {
		agent_validator_validate(v1, &devs[i], &seq);
		assert_int_equal(par[i].verified, seq.verified);
		assert_int_equal(par[i].chain_result, seq.chain_result);
		assert_int_equal(par[i].leaf_result, seq.leaf_result);
		assert_int_equal(par[i].signature_result, seq.signature_result);
		assert_int_equal(par[i].identity, seq.identity);
		assert_string_equal(par[i].chain_error, seq.chain_error);
		assert_memory_equal(par[i].leaf_fp, seq.leaf_fp, AGENT_SHA256_LEN);
		assert_int_equal(par[i].verified, i % 5 == 0 || i % 5 == 2);
	}
	/*
	 * Three chains: each missed at least once (more when threads race on
	 * a chain or two chains share a slot); most records hit.
	 */
	agent_validator_stats(vn, &hits, &misses);
	assert_int_equal(hits + misses, N);
	assert_true(misses >= 3);
	assert_true(hits >= N / 4);
	for (int i = 0; i < N; i++)
		agent_evidence_free(&devs[i]);
	free(good);
	free(other);
	free(p384);
	agent_validator_free(v1);
	agent_validator_free(vn);
	agent_trust_free(trust);
}

static void trust_store_rejects_file_without_certificate(void **state)
{
	char *dir = unit_tmpdir(), err[AGENT_ERR_LEN];
	struct agent_trust *trust = NULL;

	(void)state;
	unit_write(dir, "empty.pem", "not a certificate\n");
	assert_int_equal(agent_trust_load(dir, &trust, err, sizeof(err)),
			 -EINVAL);
	assert_null(trust);
	assert_non_null(strstr(err, "empty.pem: no PEM certificate in the file"));
	unit_tmpdir_free(dir);
}

/* regression: fopen() of a FIFO anchor blocked the agent's start and SIGHUP */
static void trust_store_refuses_fifo_anchor(void **state)
{
	char *dir = unit_tmpdir(), path[512], err[AGENT_ERR_LEN];
	struct agent_trust *trust = NULL;

	(void)state;
	alarm(20);	/* a regression kills the run instead of hanging it */
	snprintf(path, sizeof(path), "%s/fifo.pem", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(agent_trust_load(dir, &trust, err, sizeof(err)),
			 -EINVAL);
	assert_null(trust);
	assert_non_null(strstr(err, "fifo.pem: not a regular file"));
	alarm(0);
	unit_tmpdir_free(dir);
}

static void trust_store_names_anchors_by_file(void **state)
{
	const struct pki_world *w = pki_world_get();
	struct agent_trust *trust;
	char err[AGENT_ERR_LEN];

	(void)state;
	assert_int_equal(agent_trust_load(w->trust_dir, &trust, err,
					  sizeof(err)), 0);
	assert_int_equal(trust->nanchors, 1);
	assert_string_equal(trust->anchors[0].name, "demo-root");
	assert_string_equal(agent_trust_anchor_of(trust, w->root), "demo-root");
	assert_null(agent_trust_anchor_of(trust, w->inter));
	agent_trust_free(trust);
}

/* A test on a fresh good_device() fixture of its own. */
#define GOOD_DEVICE_TEST(f) cmocka_unit_test_setup_teardown(f, good_device, fixture_free)

static const struct CMUnitTest validate_tests[] = {
	GOOD_DEVICE_TEST(validate_accepts_good_chain_spdm_1_2),
	cmocka_unit_test(validate_many_matches_one_by_one),
	GOOD_DEVICE_TEST(validate_fingerprints_are_leaf_and_anchor),
	GOOD_DEVICE_TEST(validate_verifies_spdm_1_1_signature_over_transcript),
	GOOD_DEVICE_TEST(validate_verifies_spdm_1_3_with_p384),
	cmocka_unit_test(validate_verifies_rsa_pss),
	cmocka_unit_test(validate_rejects_unknown_root),
	cmocka_unit_test(validate_accepts_partial_chain_to_pinned_intermediate),
	UNIT_CASE(leaf_rejects_ca, leaf_rule_case, struct leaf_case,
		  "critical,CA:TRUE", "digitalSignature,keyCertSign", NULL,
		  -EKEYREJECTED, "leaf is a CA (basicConstraints cA)"),
	UNIT_CASE(leaf_rejects_missing_digital_signature, leaf_rule_case,
		  struct leaf_case, "CA:FALSE", "keyEncipherment", NULL,
		  -EKEYREJECTED, "leaf keyUsage lacks digitalSignature"),
	UNIT_CASE(leaf_rejects_missing_key_usage, leaf_rule_case,
		  struct leaf_case, "CA:FALSE", NULL, NULL, -EKEYREJECTED,
		  "leaf keyUsage lacks digitalSignature"),
	UNIT_CASE(leaf_rejects_requester_only_eku, leaf_rule_case,
		  struct leaf_case, "CA:FALSE", "digitalSignature",
		  "1.3.6.1.4.1.412.274.4", -EKEYREJECTED,
		  "leaf EKU allows requester use only"),
	UNIT_CASE(leaf_accepts_responder_and_requester_eku, leaf_rule_case,
		  struct leaf_case, "CA:FALSE", "digitalSignature",
		  "1.3.6.1.4.1.412.274.3,1.3.6.1.4.1.412.274.4", 0, ""),
	UNIT_CASE(leaf_accepts_other_eku, leaf_rule_case, struct leaf_case,
		  "CA:FALSE", "digitalSignature", "serverAuth", 0, ""),
	UNIT_CASE(time_ignore_accepts_expired_leaf_silently, expired_case,
		  struct expired_case, AGENT_TIME_IGNORE, 0, false),
	UNIT_CASE(time_warn_accepts_expired_leaf_with_warning, expired_case,
		  struct expired_case, AGENT_TIME_WARN, 0, true),
	UNIT_CASE(time_enforce_rejects_expired_leaf, expired_case,
		  struct expired_case, AGENT_TIME_ENFORCE, -EKEYREJECTED, false),
	cmocka_unit_test(time_enforce_cache_follows_certificate_lifetimes),
	GOOD_DEVICE_TEST(identity_mismatch_fails_verification),
	cmocka_unit_test(identity_malformed_in_certificate),
	cmocka_unit_test(identity_not_a_string_is_malformed),
	cmocka_unit_test(identity_parse_table),
	cmocka_unit_test(identity_without_subsystem_ignores_it),
	GOOD_DEVICE_TEST(signature_rejects_corruption),
	GOOD_DEVICE_TEST(signature_rejects_changed_transcript),
	GOOD_DEVICE_TEST(signature_rejects_other_key),
	GOOD_DEVICE_TEST(signature_rejects_wrong_version_prefix),
	GOOD_DEVICE_TEST(signature_rejects_wrong_length),
	GOOD_DEVICE_TEST(signature_rejects_key_of_other_algorithm),
	GOOD_DEVICE_TEST(signature_rejects_nonce_outside_transcript),
	cmocka_unit_test(signature_message_has_combined_prefix),
	GOOD_DEVICE_TEST(signature_needs_transcript),
	UNIT_CASE(chain_split_accepts_good_chain, chain_split_case,
		  struct chain_split_case, 0, -1, 0, 0),
	UNIT_CASE(chain_split_rejects_length_mismatch, chain_split_case,
		  struct chain_split_case, 0, 0, 1, -EIO),
	UNIT_CASE(chain_split_rejects_truncated_certificate, chain_split_case,
		  struct chain_split_case, 10, -1, 0, -EBADMSG),
	UNIT_CASE(chain_split_rejects_root_hash_mismatch, chain_split_case,
		  struct chain_split_case, 0, 4, 0xff, -EKEYREJECTED),
	/* 4 + 32: the first certificate's first tag byte */
	UNIT_CASE(chain_split_rejects_garbage_der, chain_split_case,
		  struct chain_split_case, 0, 4 + 32, 0xff, -EBADMSG),
	cmocka_unit_test(chain_split_rejects_short_header),
	cmocka_unit_test(chain_split_rejects_header_only),
	GOOD_DEVICE_TEST(validate_reports_missing_chain),
	GOOD_DEVICE_TEST(validate_requires_kernel_authentication),
	GOOD_DEVICE_TEST(cache_hits_identical_chain_but_checks_each_signature),
	GOOD_DEVICE_TEST(cache_keeps_per_device_identity),
	GOOD_DEVICE_TEST(stats_count_certificates_and_chain_results),
	cmocka_unit_test(trust_store_rejects_file_without_certificate),
	cmocka_unit_test(trust_store_refuses_fifo_anchor),
	cmocka_unit_test(trust_store_names_anchors_by_file),
};

UNIT_SUITE(validate_suite, validate_tests);
