// SPDX-License-Identifier: GPL-2.0
/*
 * CPU cost of one full authentication per algorithm, compared with the
 * crypto floor: what OpenSSL alone needs for the verifications the
 * requester must do (two certificate signatures, the CHALLENGE_AUTH and
 * the MEASUREMENTS signature), measured in the same run.
 *
 * The responder's work is kept out: one authentication against the fake
 * responder is recorded with a fixed nonce, then replayed (SPDM 1.2 has
 * no requester-chosen randomness besides the nonce).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "spdm-internal.h"
#include "env-openssl.h"
#include "fake-responder.h"
#include "spdm-util.h"

#define MAX_RSP 64

struct tape {
	struct fake_responder *f;
	u8 *rsp[MAX_RSP];
	size_t len[MAX_RSP];
	unsigned int n, pos;
	bool replay;
};

static ssize_t tape_transport(void *priv, const void *req, size_t req_sz,
			      void *rsp, size_t rsp_sz)
{
	struct tape *t = priv;
	ssize_t n;

	if (t->replay) {
		if (t->pos == t->n)
			return -ECONNRESET;
		memcpy(rsp, t->rsp[t->pos], t->len[t->pos]);
		return t->len[t->pos++];
	}
	n = fake_transport(t->f, req, req_sz, rsp, rsp_sz);
	if (n > 0 && t->n < MAX_RSP) {
		t->rsp[t->n] = malloc(n);
		memcpy(t->rsp[t->n], rsp, n);
		t->len[t->n++] = n;
	}
	return n;
}

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static const u8 nonce[32] = { 7 };

static int authenticate(struct tape *t)
{
	struct spdm_config cfg = { .name = "bench", .transport = tape_transport,
				   .transport_priv = t, .max_msg_size = 4096 };
	struct spdm_state *st = spdm_create(&cfg);
	int rc = spdm_authenticate(st, nonce);

	spdm_destroy(st);
	return rc;
}

static const EVP_MD *md_of(u32 hash)
{
	return hash == H_SHA256 ? EVP_sha256() : hash == H_SHA384 ? EVP_sha384() :
	       EVP_sha512();
}

/* One OpenSSL verification of @sig (raw as SPDM sends it) over @msg. */
static int floor_verify(EVP_PKEY *key, u32 asym, u32 hash, const u8 *msg,
			size_t len, const u8 *der_sig, size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	int ok;

	EVP_DigestVerifyInit(ctx, &pctx, md_of(hash), NULL, key);
	if (asym & (A_RSAPSS_2048 | A_RSAPSS_3072 | A_RSAPSS_4096)) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	}
	ok = EVP_DigestVerify(ctx, der_sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The signed messages of the evidence and the signatures in OpenSSL's form. */
struct floor_input {
	u8 msg[2][SPDM_PREFIX_LEN + SPDM_MAX_HASH];
	size_t msg_len;
	u8 *sig[2];
	size_t sig_len[2];
};

static void to_der(EVP_PKEY *key, const u8 *raw, size_t len, u8 **out, size_t *out_len)
{
	unsigned char *der = NULL;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		*out = malloc(len);
		memcpy(*out, raw, len);
		*out_len = len;
		return;
	}
	if (spdm_ecdsa_raw_to_der(raw, len, &der, out_len))
		abort();
	*out = der;
}

static double bench_floor(struct tape *t, u32 asym, u32 hash, unsigned int iters)
{
	struct spdm_config cfg = { .name = "bench", .transport = tape_transport,
				   .transport_priv = t, .max_msg_size = 4096 };
	struct spdm_state *st = spdm_create(&cfg);
	const struct spdm_evidence *ev;
	struct floor_input in;
	EVP_PKEY *leaf_key = pki->leaf_key[asym_index(asym)];
	size_t hl = spdm_env_hash_size(hash);
	unsigned int i;
	double start, us;

	t->pos = 0;
	if (spdm_authenticate(st, nonce))
		abort();
	ev = spdm_get_evidence(st);
	spdm_build_prefix(0x12, SPDM_CONTEXT_CHALLENGE_AUTH,
			  strlen(SPDM_CONTEXT_CHALLENGE_AUTH), in.msg[0]);
	spdm_build_prefix(0x12, SPDM_CONTEXT_MEASUREMENTS,
			  strlen(SPDM_CONTEXT_MEASUREMENTS), in.msg[1]);
	in.msg_len = SPDM_PREFIX_LEN + hl;
	to_der(leaf_key, ev->signature, ev->signature_len, &in.sig[0], &in.sig_len[0]);
	to_der(leaf_key, ev->meas_signature, ev->meas_signature_len, &in.sig[1],
	       &in.sig_len[1]);

	start = cpu_us();
	for (i = 0; i < iters; i++) {
		/* the hashes of both transcripts are part of the floor too */
		spdm_env_hash_oneshot(hash, ev->transcript, ev->transcript_len,
				      in.msg[0] + SPDM_PREFIX_LEN);
		spdm_env_hash_oneshot(hash, ev->meas_transcript, ev->meas_transcript_len,
				      in.msg[1] + SPDM_PREFIX_LEN);
		if (X509_verify(pki->inter, pki->root_key) != 1 ||
		    X509_verify(pki->leaf[asym_index(asym)], pki->inter_key) != 1 ||
		    !floor_verify(leaf_key, asym, hash, in.msg[0], in.msg_len,
				  in.sig[0], in.sig_len[0]) ||
		    !floor_verify(leaf_key, asym, hash, in.msg[1], in.msg_len,
				  in.sig[1], in.sig_len[1]))
			abort();
	}
	us = (cpu_us() - start) / iters;
	free(in.sig[0]);
	free(in.sig[1]);
	spdm_destroy(st);
	return us;
}

int main(void)
{
	static const struct { u32 asym; u32 hash; const char *name; } algs[] = {
		{ A_ECDSA_P256, H_SHA256, "ECDSA P-256 / SHA-256" },
		{ A_ECDSA_P384, H_SHA384, "ECDSA P-384 / SHA-384" },
		{ A_ECDSA_P521, H_SHA512, "ECDSA P-521 / SHA-512" },
		{ A_RSASSA_2048, H_SHA256, "RSASSA-2048 / SHA-256" },
		{ A_RSASSA_3072, H_SHA384, "RSASSA-3072 / SHA-384" },
		{ A_RSASSA_4096, H_SHA512, "RSASSA-4096 / SHA-512" },
		{ A_RSAPSS_3072, H_SHA384, "RSAPSS-3072 / SHA-384" },
	};
	unsigned int a, i, iters;
	double start, auth_us, floor_us;

	spdm_env_set_log_level(SPDM_LOG_ERR);
	fake_pki_init(true);
	printf("%-24s %12s %12s %7s\n", "algorithm", "auth us/cpu", "floor us", "ratio");
	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		struct tape t = { .f = fake_new(0x12, algs[a].asym, algs[a].hash) };

		if (authenticate(&t))
			abort();
		t.replay = true;
		/* calibrate to ~0.3 s of CPU per measurement */
		t.pos = 0;
		start = cpu_us();
		if (authenticate(&t))
			abort();
		iters = 300000 / (cpu_us() - start + 1) + 1;
		start = cpu_us();
		for (i = 0; i < iters; i++) {
			t.pos = 0;
			if (authenticate(&t))
				abort();
		}
		auth_us = (cpu_us() - start) / iters;
		floor_us = bench_floor(&t, algs[a].asym, algs[a].hash, iters);
		printf("%-24s %12.1f %12.1f %7.2f\n", algs[a].name, auth_us, floor_us,
		       auth_us / floor_us);
		for (i = 0; i < t.n; i++)
			free(t.rsp[i]);
		fake_free(t.f);
	}
	fake_pki_free();
	return 0;
}
