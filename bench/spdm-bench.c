// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-bench: what one authentication costs the user-space requester.
 *
 * Connects to a responder speaking spdm-emu's socket protocol (PCI DOE
 * framing, one TCP connection for the whole run) and measures, in rounds
 * interleaved so that a noisy neighbour hurts every figure alike:
 *
 *   first   spdm_create() + spdm_authenticate() + spdm_destroy(): a first
 *           authentication, chains fetched and checked, of a device seen
 *           before: the process-wide certificate cache holds all of its
 *           certificates;
 *   first-model  the same for a new device of a known model: its root and
 *           intermediate are cached, its leaf is not (dropped before each);
 *   first-cold  the same with the certificate cache emptied before each:
 *           every certificate is parsed;
 *   reauth  spdm_authenticate() again on the same state: chains cached;
 *   floor   the signature verifications and hashes the requester performs,
 *           done alone with OpenSSL on the evidence of a real run: chain
 *           digest, RootHash, each certificate against its issuer, the
 *           CHALLENGE_AUTH and MEASUREMENTS signatures over their
 *           transcripts (1.2+: combined prefix ‖ transcript hash);
 *   floor-reauth  the same without the chain (what a re-authentication
 *           needs: two signatures);
 *   floor-parse  floor plus d2i_X509() of each certificate of the chain
 *           (parsing is not crypto, but OpenSSL 3.0 makes it expensive).
 *
 * CPU time (user and system, getrusage) is this process's only; the
 * responder is another process. Output: one "key=value ..." line per figure, the
 * median over the rounds, for bench/bench.py to tabulate.
 *
 * usage: spdm-bench --port N [--rounds R] [--ms MS]
 *        spdm-bench --port N --count N [--what first|first-model|first-cold|reauth|floor|floor-reauth|floor-parse]
 *        (fixed number of operations, no timing: for callgrind)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "spdm.h"
#include "env-openssl.h"
#include "emu-socket.h"
#include "spdm-util.h"

#define MAX_MSG		65536
#define MAX_ROUNDS	31
#define MAX_CERTS	8
#define HDR_LEN		4	/* DSP0274 1.2.1 §10.6.1: Length, Reserved */
#define PREFIX_VER_LEN	16	/* DSP0274 1.2.0 §15: "dmtf-spdm-v1.2.*" */
#define PREFIX_CTX_LEN	36
#define PREFIX_LEN	(4 * PREFIX_VER_LEN + PREFIX_CTX_LEN)

/* BaseAsymAlgo / BaseHashAlgo bits, DSP0274 1.2.1 §10.4 Table 21 */
#define ASYM_RSASSA	(1u << 0 | 1u << 2 | 1u << 5)
#define ASYM_RSAPSS	(1u << 1 | 1u << 3 | 1u << 6)
#define ASYM_ECDSA	(1u << 4 | 1u << 7 | 1u << 8)

/* The transport, counting what crosses it. */
struct counting {
	struct emu_socket sock;
	unsigned long exchanges;
	unsigned long bytes;
};

static ssize_t counting_transport(void *priv, const void *req, size_t req_sz,
				  void *rsp, size_t rsp_sz)
{
	struct counting *c = priv;
	ssize_t n = emu_socket_transport(&c->sock, req, req_sz, rsp, rsp_sz);

	c->exchanges++;
	c->bytes += req_sz + (n > 0 ? (size_t)n : 0);
	return n;
}

/* The crypto floor's inputs, taken from one authentication's evidence. */
struct floor {
	const EVP_MD *md;
	u8 version;
	u32 asym;
	u8 *chain;
	size_t chain_len;
	const u8 *root, *leaf;
	size_t root_len, leaf_len;
	X509 *certs[MAX_CERTS];
	int ncerts;
	EVP_PKEY *leaf_key;
	u8 *tr, *sig, *mtr, *msig;
	size_t tr_len, sig_len, mtr_len, msig_len;
};

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "spdm-bench: %s\n", what);
	exit(1);
}

static u8 *dup_bytes(const u8 *p, size_t len)
{
	u8 *d = malloc(len ? len : 1);

	if (!d)
		die("out of memory");
	memcpy(d, p, len);
	return d;
}

static const EVP_MD *md_of(u32 base_hash)
{
	switch (base_hash) {
	case 1u << 0:
		return EVP_sha256();
	case 1u << 1:
		return EVP_sha384();
	case 1u << 2:
		return EVP_sha512();
	}
	die("unexpected hash algorithm");
	return NULL;
}

/* One transcript signature as the requester checks it. */
static void floor_verify(const struct floor *f, const char *context,
			 const u8 *tr, size_t tr_len, const u8 *sig,
			 size_t sig_len)
{
	u8 msg[PREFIX_LEN + EVP_MAX_MD_SIZE], *der = NULL;
	const u8 *m = tr, *s = sig;
	size_t m_len = tr_len, s_len = sig_len;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	unsigned int hl;

	if (f->version >= 0x12) {
		size_t clen = strlen(context);

		for (int i = 0; i < 4; i++) {
			memcpy(msg + i * PREFIX_VER_LEN, "dmtf-spdm-v1.x.*",
			       PREFIX_VER_LEN);
			msg[i * PREFIX_VER_LEN + 11] = '0' + (f->version >> 4);
			msg[i * PREFIX_VER_LEN + 13] = '0' + (f->version & 0xf);
		}
		memset(msg + 4 * PREFIX_VER_LEN, 0, PREFIX_CTX_LEN - clen);
		memcpy(msg + PREFIX_LEN - clen, context, clen);
		if (EVP_Digest(tr, tr_len, msg + PREFIX_LEN, &hl, f->md, NULL) != 1)
			die("EVP_Digest");
		m = msg;
		m_len = PREFIX_LEN + hl;
	}
	if (f->asym & ASYM_ECDSA) {
		if (spdm_ecdsa_raw_to_der(sig, sig_len, &der, &s_len))
			die("ECDSA signature");
		s = der;
	}
	if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, f->md, NULL, f->leaf_key) != 1)
		die("EVP_DigestVerifyInit");
	if (f->asym & ASYM_RSAPSS) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	} else if (f->asym & ASYM_RSASSA) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING);
	}
	if (EVP_DigestVerify(ctx, s, s_len, m, m_len) != 1)
		die("floor: signature does not verify");
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
}

/* Parse the chain's certificates as a first authentication must. */
static void floor_parse(const struct floor *f)
{
	size_t hash_len = EVP_MD_get_size(f->md), off;

	for (off = HDR_LEN + hash_len; off < f->chain_len;) {
		const u8 *p = f->chain + off;
		X509 *x = d2i_X509(NULL, &p, f->chain_len - off);

		if (!x)
			die("d2i_X509");
		X509_free(x);
		off = p - f->chain;
	}
}

/* What the requester computes on a first authentication (@chain) or a re-authentication. */
static void floor_once(const struct floor *f, bool chain)
{
	u8 digest[EVP_MAX_MD_SIZE];

	if (chain) {
		if (EVP_Digest(f->chain, f->chain_len, digest, NULL, f->md, NULL) != 1 ||
		    EVP_Digest(f->root, f->root_len, digest, NULL, f->md, NULL) != 1)
			die("EVP_Digest");
		for (int i = 1; i < f->ncerts; i++)
			if (X509_verify(f->certs[i], X509_get0_pubkey(f->certs[i - 1])) != 1)
				die("floor: certificate does not verify");
	}
	floor_verify(f, "responder-challenge_auth signing", f->tr, f->tr_len,
		     f->sig, f->sig_len);
	if (f->msig)
		floor_verify(f, "responder-measurements signing", f->mtr,
			     f->mtr_len, f->msig, f->msig_len);
}

static void floor_init(struct floor *f, const struct spdm_evidence *ev)
{
	size_t hash_len, off;
	const u8 *p;

	memset(f, 0, sizeof(*f));
	f->md = md_of(ev->base_hash_alg);
	hash_len = EVP_MD_get_size(f->md);
	f->version = ev->version;
	f->asym = ev->base_asym_alg;
	f->chain_len = ev->chain_len[ev->slot];
	f->chain = dup_bytes(ev->chain[ev->slot], f->chain_len);
	for (off = HDR_LEN + hash_len; off < f->chain_len; f->ncerts++) {
		if (f->ncerts == MAX_CERTS)
			die("chain too long");
		p = f->chain + off;
		f->certs[f->ncerts] = d2i_X509(NULL, &p, f->chain_len - off);
		if (!f->certs[f->ncerts])
			die("d2i_X509");
		if (!f->ncerts) {
			f->root = f->chain + off;
			f->root_len = p - f->root;
		}
		f->leaf = f->chain + off;
		f->leaf_len = p - f->leaf;
		off = p - f->chain;
	}
	f->leaf_key = X509_get0_pubkey(f->certs[f->ncerts - 1]);
	f->tr = dup_bytes(ev->transcript, ev->transcript_len);
	f->tr_len = ev->transcript_len;
	f->sig = dup_bytes(ev->signature, ev->signature_len);
	f->sig_len = ev->signature_len;
	if (ev->meas_signature_len) {
		f->mtr = dup_bytes(ev->meas_transcript, ev->meas_transcript_len);
		f->mtr_len = ev->meas_transcript_len;
		f->msig = dup_bytes(ev->meas_signature, ev->meas_signature_len);
		f->msig_len = ev->meas_signature_len;
	}
}

static void floor_free(struct floor *f)
{
	for (int i = 0; i < f->ncerts; i++)
		X509_free(f->certs[i]);
	free(f->chain);
	free(f->tr);
	free(f->sig);
	free(f->mtr);
	free(f->msig);
}

enum what {
	FIRST, FIRST_MODEL, FIRST_COLD, REAUTH, FLOOR, FLOOR_REAUTH, FLOOR_PARSE,
	NR_WHAT
};

static const char *const what_name[NR_WHAT] = {
	"first", "first-model", "first-cold", "reauth", "floor", "floor-reauth",
	"floor-parse",
};

struct bench {
	struct counting tr;
	struct spdm_config cfg;
	struct spdm_state *warm;	/* chains cached, for REAUTH */
	struct floor floor;
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "spdm-bench: %s: %d (%s)\n", what, rc, strerror(-rc));
		exit(1);
	}
}

/* One operation of kind @w. */
static void run_once(struct bench *b, enum what w)
{
	struct spdm_state *st;

	if (w == FIRST_COLD)
		spdm_cert_cache_clear();
	else if (w == FIRST_MODEL)
		spdm_cert_cache_forget(b->floor.leaf, b->floor.leaf_len);
	switch (w) {
	case FIRST:
	case FIRST_MODEL:
	case FIRST_COLD:
		st = spdm_create(&b->cfg);
		if (!st)
			die("spdm_create");
		check(spdm_authenticate(st, NULL), "first authentication");
		spdm_destroy(st);
		break;
	case REAUTH:
		check(spdm_authenticate(b->warm, NULL), "re-authentication");
		break;
	case FLOOR_PARSE:
		floor_parse(&b->floor);
		/* fall through */
	case FLOOR:
	case FLOOR_REAUTH:
		floor_once(&b->floor, w != FLOOR_REAUTH);
		break;
	default:
		break;
	}
}

struct sample {
	double usr_us, sys_us, wall_us, bytes, exchanges;
};

static void cpu_now(double *usr, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*usr = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Repeat @w for at least @ms of wall time; per-operation averages. */
static struct sample run_timed(struct bench *b, enum what w, double ms)
{
	unsigned long n = 0, x0 = b->tr.exchanges, b0 = b->tr.bytes;
	double u0, s0, u1, s1, t0 = wall_now(), t;
	struct sample s;

	cpu_now(&u0, &s0);
	do {
		run_once(b, w);
		n++;
		t = wall_now() - t0;
	} while (t * 1e3 < ms || n < 3);
	cpu_now(&u1, &s1);
	s.usr_us = (u1 - u0) * 1e6 / n;
	s.sys_us = (s1 - s0) * 1e6 / n;
	s.wall_us = t * 1e6 / n;
	s.bytes = (double)(b->tr.bytes - b0) / n;
	s.exchanges = (double)(b->tr.exchanges - x0) / n;
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(void)
{
	fprintf(stderr, "usage: spdm-bench --port N [--rounds R] [--ms MS]\n"
		"       spdm-bench --port N --count N --what first|first-model|first-cold|reauth|floor|floor-reauth|floor-parse\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ "what", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	static double v[NR_WHAT][5][MAX_ROUNDS];
	int port = 0, rounds = 5, count = -1, o;
	enum what only = FIRST;
	double ms = 300;
	struct bench b = { 0 };
	const struct spdm_evidence *ev;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'm':
			ms = atof(optarg);
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'w':
			for (only = 0; only < NR_WHAT; only++)
				if (!strcmp(optarg, what_name[only]))
					break;
			if (only == NR_WHAT)
				usage();
			break;
		default:
			usage();
		}
	}
	if (port <= 0 || port > 65535 || rounds < 1 || rounds > MAX_ROUNDS)
		usage();

	spdm_env_set_log_level(SPDM_LOG_ERR);
	check(emu_socket_connect(&b.tr.sock, "127.0.0.1", port,
				 EMU_TRANSPORT_PCI_DOE, 10000), "connect");
	b.cfg = (struct spdm_config){
		.name = "bench", .transport = counting_transport,
		.transport_priv = &b.tr, .max_msg_size = MAX_MSG,
		.min_version = 0x10,
	};
	b.warm = spdm_create(&b.cfg);
	if (!b.warm)
		die("spdm_create");
	check(spdm_authenticate(b.warm, NULL), "authentication");
	ev = spdm_get_evidence(b.warm);
	floor_init(&b.floor, ev);

	if (count >= 0) {
		/* callgrind: the caller subtracts a run with --count 0 */
		for (int i = 0; i < count; i++)
			run_once(&b, only);
	} else {
		char alg[SPDM_ALG_NAME_MAX];
		struct spdm_cert_cache_stats cs;

		spdm_asym_names(ev->base_asym_alg, alg, sizeof(alg));
		printf("alg=%s version=%x.%x certs=%d chain=%zu transcript=%zu meas=%zu\n",
		       alg, ev->version >> 4,
		       ev->version & 0xf, b.floor.ncerts, b.floor.chain_len,
		       b.floor.tr_len, ev->meas_len);
		for (int r = 0; r < rounds; r++) {
			for (enum what w = 0; w < NR_WHAT; w++) {
				struct sample s = run_timed(&b, w, ms);

				v[w][0][r] = s.usr_us;
				v[w][1][r] = s.sys_us;
				v[w][2][r] = s.wall_us;
				v[w][3][r] = s.bytes;
				v[w][4][r] = s.exchanges;
			}
		}
		for (enum what w = 0; w < NR_WHAT; w++)
			printf("%s usr_us=%.1f sys_us=%.1f wall_us=%.1f bytes=%.0f exchanges=%.1f\n",
			       what_name[w], median(v[w][0], rounds),
			       median(v[w][1], rounds), median(v[w][2], rounds),
			       median(v[w][3], rounds), median(v[w][4], rounds));
		spdm_cert_cache_stats(&cs);
		printf("cert-cache hits=%lu misses=%lu evictions=%lu entries=%lu\n",
		       cs.hits, cs.misses, cs.evictions, cs.entries);
	}
	floor_free(&b.floor);
	spdm_destroy(b.warm);
	emu_socket_close(&b.tr.sock);
	return 0;
}
