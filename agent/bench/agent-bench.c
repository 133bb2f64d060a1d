// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions per second of the agent on replayed evidence: the same chain on
 * every device (chain cache hits) and a different chain on every device
 * (all misses), validated on one thread and on WORKERS threads (argument;
 * default: online CPUs), each beside a baseline measured in the same run: one
 * P-256 signature verification (the floor of a cached decision, which
 * still re-verifies the transcript signature), OpenSSL's X509_verify_cert
 * on the same chains, and the `openssl verify` command on them. Revocation:
 * the same passes under a trust store with the root's and the
 * intermediate's CRLs (CRL_REVOKED_SERIALS entries), `revocation enforce`
 * beside `revocation ignore` on that store. Reference values: devices with
 * signed measurements appraised against manifests of RIM_MODELS models
 * (`reference-values match`), beside the same devices with their signed
 * measurements verified but no manifests, and beside no measurement check.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include "agent.h"
#include "tests/pki.h"

#define NDEV		256	/* devices per pass */
#define MIN_SECONDS	1.0
#define CLI_RUNS	20
#define ROUNDS		3
#define CRL_REVOKED_SERIALS	1000	/* a vendor's intermediate CRL */
#define RIM_MODELS		32	/* device models the manifests name */

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static const char policy_text[] =
	"default deny\n"
	"allow class 0108 verified yes cma-identity match min-version 1.2 "
	"min-strength 128 label \"nvme\"\n"
	"deny state { failed unsupported } label \"unauthenticated\"\n"
	"deny verified no label \"unverified\"\n";

/* The same, firmware appraised against the manifests. */
static const char rv_policy_text[] =
	"default deny\n"
	"allow class 0108 verified yes cma-identity match min-version 1.2 "
	"min-strength 128 reference-values match label \"nvme\"\n"
	"deny reference-values mismatch label \"unpublished firmware\"\n";

/* The policy and audit line of one validated device, as the daemon makes them. */
static bool decide(const struct agent_policy *pol, const struct agent_evidence *ev,
		   const struct agent_validation *val)
{
	struct agent_decision dec;
	struct agent_json js;

	agent_policy_decide(pol, ev, val, &dec);
	agent_json_init(&js);
	agent_audit_format_decision(&js, ev, val, &dec, false);
	agent_json_free(&js);
	return val->verified && dec.verdict == AGENT_ALLOW;
}

/*
 * Passes over @devs with a fresh validator each, as the daemon decides a
 * dump: the evidence validated on @workers threads, then each device's
 * decision and audit line in order. Decisions per second.
 */
/* What a pass validates with, beyond the trust store. */
struct bench_opts {
	enum agent_revocation_mode rev;
	bool check_meas;			/* verify signed measurements */
	const struct agent_refvals *rv;		/* reference-values, or NULL */
};

static double bench_decisions_opts(struct agent_trust *trust,
				   const struct bench_opts *o,
				   const struct agent_policy *pol,
				   struct agent_evidence *devs, size_t n,
				   unsigned int workers, double *cpu_us)
{
	const struct agent_evidence *evs[NDEV];
	static struct agent_validation val[NDEV];
	double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = now(), t;
	unsigned long count = 0;

	for (size_t i = 0; i < n; i++)
		evs[i] = &devs[i];
	do {
		struct agent_validator *v;

		if (agent_validator_new(trust, AGENT_TIME_WARN, 1024, &v))
			exit(1);
		agent_validator_set_revocation(v, o->rev);
		agent_validator_check_measurements(v, o->check_meas);
		agent_validator_set_reference_values(v, o->rv);
		agent_validator_validate_many(v, evs, n, val, workers);
		for (size_t i = 0; i < n; i++) {
			if (!decide(pol, &devs[i], &val[i]) ||
			    (o->check_meas && val[i].meas_result)) {
				fprintf(stderr, "agent-bench: device %zu not allowed: %s\n",
					i, val[i].refval_reason);
				exit(1);
			}
		}
		count += n;
		agent_validator_free(v);
		t = now() - t0;
	} while (t < MIN_SECONDS);
	/* CPU of all threads per decision: what parallelism costs, whatever the load */
	*cpu_us = fmin(*cpu_us, (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e6 / count);
	return (double)count / t;
}

static double bench_decisions_rev(struct agent_trust *trust,
				  enum agent_revocation_mode rev,
				  const struct agent_policy *pol,
				  struct agent_evidence *devs, size_t n,
				  unsigned int workers, double *cpu_us)
{
	const struct bench_opts o = { .rev = rev };

	return bench_decisions_opts(trust, &o, pol, devs, n, workers, cpu_us);
}

static double bench_decisions(struct agent_trust *trust,
			      const struct agent_policy *pol,
			      struct agent_evidence *devs, size_t n,
			      unsigned int workers, double *cpu_us)
{
	return bench_decisions_rev(trust, AGENT_REVOCATION_IGNORE, pol, devs,
				   n, workers, cpu_us);
}

/*
 * Manifests as loaded: RIM_MODELS models of vendor 1b36 (QEMU's NVMe,
 * 0010, among them), each with two acceptable digests of index 1; the
 * devices' block 1 is the first digest of 0010.
 */
static struct agent_refvals *bench_refvals(const uint8_t digest[32])
{
	struct agent_refvals *rv = calloc(1, sizeof(*rv));
	struct agent_rim *rim = calloc(1, sizeof(*rim));

	if (!rv || !rim)
		exit(1);
	rv->rims = rim;
	rv->nrims = 1;
	rim->file = strdup("bench.corim");
	snprintf(rim->id, sizeof(rim->id), "bench");
	rim->values = calloc(2 * RIM_MODELS, sizeof(*rim->values));
	if (!rim->file || !rim->values)
		exit(1);
	for (unsigned int m = 0; m < RIM_MODELS; m++) {
		for (unsigned int d = 0; d < 2; d++) {
			struct agent_rim_value *v = &rim->values[rim->nvalues++];

			snprintf(v->vendor, sizeof(v->vendor), "1b36");
			snprintf(v->model, sizeof(v->model), "%04x", m);
			v->index = 1;
			v->alg = 1;		/* sha-256 */
			v->len = 32;
			memcpy(v->digest, digest, 32);
			v->digest[0] ^= (uint8_t)(m != 0x10 || d);
		}
	}
	return rv;
}

/* Signed measurements on every device: block 1, a SHA-256 digest. */
static void bench_measurements(struct agent_evidence *devs, size_t n,
			       EVP_PKEY *key, const uint8_t digest[32])
{
	uint8_t rec[4 + 3 + 32] = { 1, 0x01, 35, 0, 0x00, 32, 0 };

	memcpy(rec + 7, digest, 32);
	for (size_t i = 0; i < n; i++) {
		devs[i].meas_hash_alg = 1u << 1;	/* TPM_ALG_SHA_256 */
		pki_measurements_fill(&devs[i], key, rec, sizeof(rec));
	}
}

/* The world's root with its CRL and its intermediate's, in a store. */
static struct agent_trust *crl_trust(const struct pki_world *w)
{
	static long serials[CRL_REVOKED_SERIALS];
	char dir[160], path[200], err[AGENT_ERR_LEN];
	struct agent_trust *trust;
	X509_CRL *crl;

	for (size_t i = 0; i < CRL_REVOKED_SERIALS; i++)
		serials[i] = 1000000 + (long)i * 7;
	snprintf(dir, sizeof(dir), "%s/crl-trust", w->dir);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/demo-root.pem", dir);
	if (pki_write_pem(path, &w->root, 1))
		exit(1);
	crl = pki_crl(w->root, w->root_key, serials, 10, -1, 30);
	snprintf(path, sizeof(path), "%s/demo-root.crl", dir);
	if (pki_write_crl(path, crl))
		exit(1);
	X509_CRL_free(crl);
	crl = pki_crl(w->inter, w->inter_key, serials, CRL_REVOKED_SERIALS, -1, 30);
	snprintf(path, sizeof(path), "%s/demo-root.inter.crl", dir);
	if (pki_write_crl(path, crl))
		exit(1);
	X509_CRL_free(crl);
	if (agent_trust_load(dir, &trust, err, sizeof(err))) {
		fprintf(stderr, "agent-bench: %s\n", err);
		exit(1);
	}
	return trust;
}

/* X509_verify_cert on each chain: what `openssl verify` does inside. */
static double bench_x509(struct agent_trust *trust, struct agent_evidence *devs,
			 size_t n)
{
	double t0 = now(), t;
	unsigned long count = 0;

	do {
		for (size_t i = 0; i < n; i++) {
			STACK_OF(X509) *certs;
			X509_STORE_CTX *ctx = X509_STORE_CTX_new();
			char err[160];

			if (agent_chain_split(devs[i].chain[0], devs[i].chain_len[0],
					      devs[i].base_hash_alg, &certs, err,
					      sizeof(err)))
				exit(1);
			X509_STORE_CTX_init(ctx, trust->store,
					    sk_X509_value(certs, 2), certs);
			if (X509_verify_cert(ctx) != 1)
				exit(1);
			X509_STORE_CTX_free(ctx);
			sk_X509_pop_free(certs, X509_free);
		}
		count += n;
		t = now() - t0;
	} while (t < MIN_SECONDS);
	return (double)count / t;
}

/* The crypto floor of a cached decision: one P-256 ECDSA verification. */
static double bench_p256(EVP_PKEY *key)
{
	static const uint8_t msg[132] = "floor";
	uint8_t sig[256];
	size_t sig_len = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	double t0, t;
	unsigned long count = 0;

	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key);
	EVP_DigestSign(md, sig, &sig_len, msg, sizeof(msg));
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key);
			if (EVP_DigestVerify(md, sig, sig_len, msg, sizeof(msg)) != 1)
				exit(1);
		}
		count += 256;
		t = now() - t0;
	} while (t < MIN_SECONDS);
	EVP_MD_CTX_free(md);
	return (double)count / t;
}

/* `openssl verify` on CLI_RUNS of the unique chains, one process each. */
static double bench_cli(const struct pki_world *w, X509 **leaves)
{
	char root[160], inter[160], leaf[160], cmd[640];
	double t0, t;

	snprintf(root, sizeof(root), "%s/root.pem", w->dir);
	snprintf(inter, sizeof(inter), "%s/inter.pem", w->dir);
	if (pki_write_pem(root, &w->root, 1) || pki_write_pem(inter, &w->inter, 1))
		return 0;
	for (int i = 0; i < CLI_RUNS; i++) {
		snprintf(leaf, sizeof(leaf), "%s/leaf%d.pem", w->dir, i);
		if (pki_write_pem(leaf, &leaves[i], 1))
			return 0;
	}
	t0 = now();
	for (int i = 0; i < CLI_RUNS; i++) {
		snprintf(cmd, sizeof(cmd),
			 "openssl verify -CAfile %s -untrusted %s %s/leaf%d.pem >/dev/null",
			 root, inter, w->dir, i);
		if (system(cmd))
			return 0;
	}
	t = now() - t0;
	return CLI_RUNS / t;
}

int main(int argc, char **argv)
{
	const struct pki_world *w = pki_world_get();
	struct agent_evidence *same, *unique;
	struct agent_policy *pol;
	struct agent_trust *trust;
	X509 *leaves[NDEV];
	EVP_PKEY *keys[NDEV];
	char err[AGENT_ERR_LEN];
	unsigned int workers = agent_workers_default();
	double cached, cached_n, fresh, fresh_n, x509, p256, cli;
	double cpu1 = INFINITY, cpun = INFINITY, cpu_f1 = INFINITY, cpu_fn = INFINITY;
	double crl_hit = 0, crl_miss = 0, nocrl_hit = 0, nocrl_miss = 0;
	double cpu_ch = INFINITY, cpu_cm = INFINITY, cpu_nh = INFINITY, cpu_nm = INFINITY;
	struct agent_trust *crls;
	struct agent_policy *rv_pol;
	struct agent_refvals *rv;
	uint8_t *chain, golden[32];
	double rv_hit = 0, meas_hit = 0, nomeas_hit = 0;
	double cpu_rv = INFINITY, cpu_meas = INFINITY, cpu_nomeas = INFINITY;
	size_t len;

	if (agent_policy_parse("bench.rules", policy_text, sizeof(policy_text) - 1,
			       NULL, &pol, err, sizeof(err)) ||
	    agent_policy_parse("rv.rules", rv_policy_text,
			       sizeof(rv_policy_text) - 1, NULL, &rv_pol, err,
			       sizeof(err)) ||
	    agent_trust_load(w->trust_dir, &trust, err, sizeof(err))) {
		fprintf(stderr, "agent-bench: %s\n", err);
		return 1;
	}
	same = calloc(NDEV, sizeof(*same));
	unique = calloc(NDEV, sizeof(*unique));
	chain = pki_world_chain(w->leaf, AGENT_HASH_SHA256, &len);
	for (int i = 0; i < NDEV; i++) {
		pki_evidence_fill(&same[i], 0x12, AGENT_ASYM_ECDSA_P256,
				  AGENT_HASH_SHA256, chain, len, w->leaf_key,
				  (uint32_t)i);
	}
	free(chain);
	SHA256((const uint8_t *)"golden-firmware-1.0", 19, golden);
	bench_measurements(same, NDEV, w->leaf_key, golden);
	rv = bench_refvals(golden);
	for (int i = 0; i < NDEV; i++) {
		keys[i] = pki_key_ec(NID_X9_62_prime256v1);
		leaves[i] = pki_cert(&(struct pki_spec){
			.cn = "Bench Device", .key = keys[i], .issuer = w->inter,
			.issuer_key = w->inter_key, .basic = "critical,CA:FALSE",
			.ku = "critical,digitalSignature", .san = PKI_CMA_SAN,
			.from_days = -1, .to_days = 30 });
		chain = pki_world_chain(leaves[i], AGENT_HASH_SHA256, &len);
		pki_evidence_fill(&unique[i], 0x12, AGENT_ASYM_ECDSA_P256,
				  AGENT_HASH_SHA256, chain, len, keys[i],
				  (uint32_t)i);
		free(chain);
	}

	/* interleaved rounds, best of each: the machine is shared */
	if (argc > 1)
		workers = (unsigned int)atoi(argv[1]);
	if (workers < 1 || workers > AGENT_MAX_WORKERS) {
		fprintf(stderr, "usage: agent-bench [WORKERS]\n");
		return 2;
	}
	p256 = cached = cached_n = x509 = fresh = fresh_n = 0;
	crls = crl_trust(w);
	for (int r = 0; r < ROUNDS; r++) {
		nocrl_hit = fmax(nocrl_hit, bench_decisions_rev(crls,
				 AGENT_REVOCATION_IGNORE, pol, same, NDEV, 1, &cpu_nh));
		crl_hit = fmax(crl_hit, bench_decisions_rev(crls,
			       AGENT_REVOCATION_ENFORCE, pol, same, NDEV, 1, &cpu_ch));
		nocrl_miss = fmax(nocrl_miss, bench_decisions_rev(crls,
				  AGENT_REVOCATION_IGNORE, pol, unique, NDEV, 1, &cpu_nm));
		crl_miss = fmax(crl_miss, bench_decisions_rev(crls,
				AGENT_REVOCATION_ENFORCE, pol, unique, NDEV, 1, &cpu_cm));
		nomeas_hit = fmax(nomeas_hit, bench_decisions_opts(trust,
				  &(struct bench_opts){ .check_meas = false },
				  pol, same, NDEV, 1, &cpu_nomeas));
		meas_hit = fmax(meas_hit, bench_decisions_opts(trust,
				&(struct bench_opts){ .check_meas = true },
				pol, same, NDEV, 1, &cpu_meas));
		rv_hit = fmax(rv_hit, bench_decisions_opts(trust,
			      &(struct bench_opts){ .check_meas = true, .rv = rv },
			      rv_pol, same, NDEV, 1, &cpu_rv));
		p256 = fmax(p256, bench_p256(w->leaf_key));
		cached = fmax(cached, bench_decisions(trust, pol, same, NDEV, 1, &cpu1));
		cached_n = fmax(cached_n, bench_decisions(trust, pol, same, NDEV,
							  workers, &cpun));
		x509 = fmax(x509, bench_x509(trust, unique, NDEV));
		fresh = fmax(fresh, bench_decisions(trust, pol, unique, NDEV, 1, &cpu_f1));
		fresh_n = fmax(fresh_n, bench_decisions(trust, pol, unique, NDEV,
							workers, &cpu_fn));
	}
	cli = bench_cli(w, leaves);

	printf("agent decisions on replayed evidence (P-384 root and intermediate, P-256 leaf, SPDM 1.2):\n");
	printf("  same chain on every device (cache hits): %8.0f decisions/s = %.2fx one P-256 verify (%.0f/s)\n",
	       cached, cached / p256, p256);
	printf("  a new chain on every device (misses):    %8.0f decisions/s = %.2fx X509_verify_cert (%.0f chains/s)\n",
	       fresh, fresh / x509, x509);
	if (cli > 0)
		printf("  openssl verify, one process per chain:   %8.1f chains/s (agent, new chains: %.0fx)\n",
		       cli, fresh / cli);
	printf("  cache speed-up for identical devices:    %8.1fx\n", cached / fresh);
	printf("  with %u worker%s (threads validating a dump; one thread decides and audits in order):\n",
	       workers, workers == 1 ? "" : "s");
	printf("  same chain, %u worker%s:                  %8.0f decisions/s = %.2fx one worker; CPU per decision %.1f us = %.2fx one worker's\n",
	       workers, workers == 1 ? " " : "s", cached_n, cached_n / cached, cpun, cpun / cpu1);
	printf("  new chains, %u worker%s:                  %8.0f decisions/s = %.2fx one worker; CPU per decision %.0f us = %.2fx one worker's\n",
	       workers, workers == 1 ? " " : "s", fresh_n, fresh_n / fresh, cpu_fn, cpu_fn / cpu_f1);
	printf("revocation enforce, root CRL and a %d-entry intermediate CRL, one worker (beside revocation ignore, same store):\n",
	       CRL_REVOKED_SERIALS);
	printf("  same chain (cache hits):  %8.0f decisions/s = %.2fx ignore; CPU per decision %.1f us = %.2fx\n",
	       crl_hit, crl_hit / nocrl_hit, cpu_ch, cpu_ch / cpu_nh);
	printf("  new chains (misses):      %8.0f decisions/s = %.2fx ignore; CPU per decision %.0f us = %.2fx\n",
	       crl_miss, crl_miss / nocrl_miss, cpu_cm, cpu_cm / cpu_nm);

	printf("reference values, %d models x 2 digests of index 1, same chain, one worker:\n",
	       RIM_MODELS);
	printf("  reference-values match:   %8.0f decisions/s; CPU per decision %.1f us\n",
	       rv_hit, cpu_rv);
	printf("    vs measurements verified, no manifest: %.3fx the rate; CPU %.3fx (%.2f us more: the matching)\n",
	       rv_hit / meas_hit, cpu_rv / cpu_meas, cpu_rv - cpu_meas);
	printf("    vs no measurement check:               %.2fx the rate; CPU %.2fx (%.0f us more: the MEASUREMENTS signature and the matching)\n",
	       rv_hit / nomeas_hit, cpu_rv / cpu_nomeas, cpu_rv - cpu_nomeas);

	agent_refvals_free(rv);
	agent_policy_free(rv_pol);
	agent_trust_free(crls);
	for (int i = 0; i < NDEV; i++) {
		agent_evidence_free(&same[i]);
		agent_evidence_free(&unique[i]);
		X509_free(leaves[i]);
		EVP_PKEY_free(keys[i]);
	}
	free(same);
	free(unique);
	agent_trust_free(trust);
	agent_policy_free(pol);
	pki_world_free();
	return 0;
}
