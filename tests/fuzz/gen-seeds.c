// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpora for the fuzz harnesses, recorded from authentications
 * against the fake responder of the unit tests: whole sequences for
 * fuzz-sequence, single responses (with the harness's setup bytes) for
 * each parser harness, chains for fuzz-chain, encoded messages that
 * verify for fuzz-pss.
 *
 * usage: gen-seeds OUTDIR
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA_padding_add_PKCS1_PSS_mgf1 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spdm.h"
#include "env-openssl.h"
#include "fake-responder.h"
#include "fuzz-pss.h"

struct recorder {
	struct fake_responder *f;
	const char *dir;
	unsigned int id;
	u8 setup[4];
	FILE *seq;
};

static const char *parser_of(u8 code)
{
	switch (code) {
	case 0x04: return "version";
	case 0x61: return "capabilities";
	case 0x63: return "algorithms";
	case 0x01: return "digests";
	case 0x02: return "certificate";
	case 0x03: return "challenge_auth";
	case 0x60: return "measurements";
	default: return NULL;
	}
}

static void write_file(const char *dir, const char *sub, unsigned int id,
		       const void *a, size_t alen, const void *b, size_t blen)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/seed-%04u", dir, sub, id);
	fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		exit(1);
	}
	fwrite(a, 1, alen, fp);
	fwrite(b, 1, blen, fp);
	fclose(fp);
}

static ssize_t record(void *priv, const void *req, size_t req_sz, void *rsp,
		      size_t rsp_sz)
{
	struct recorder *r = priv;
	ssize_t n = fake_transport(r->f, req, req_sz, rsp, rsp_sz);
	const char *parser;
	u8 len[2];

	if (n < 0)
		return n;
	len[0] = n & 0xff;
	len[1] = n >> 8;
	fwrite(len, 1, 2, r->seq);
	fwrite(rsp, 1, n, r->seq);
	parser = n >= 2 ? parser_of(((u8 *)rsp)[1]) : NULL;
	if (parser)
		write_file(r->dir, parser, r->id++, r->setup, 4, rsp, n);
	return n;
}

static void one(const char *dir, u8 version, u32 asym, u32 hash,
		unsigned int hash_idx, unsigned int asym_idx,
		const struct error_inject *err)
{
	static unsigned int seq_id;
	struct fake_responder *f = fake_new(version, asym, hash);
	struct recorder r = { .f = f, .dir = dir, .id = seq_id * 100 };
	struct spdm_config cfg = {
		.name = "seed", .transport = record, .transport_priv = &r,
		.max_msg_size = 4096,
	};
	static const u8 nonce[32] = { 1, 2, 3 };
	struct spdm_state *st;
	char path[512];
	size_t slot;

	if (err)
		f->err = *err;
	r.setup[0] = (version - 0x10) | 0x80;
	r.setup[1] = hash_idx | asym_idx << 2;
	snprintf(path, sizeof(path), "%s/sequence", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sequence/seed-%04u", dir, seq_id++);
	r.seq = fopen(path, "wb");
	if (!r.seq) {
		perror(path);
		exit(1);
	}
	st = spdm_create(&cfg);
	if (spdm_authenticate(st, nonce) && !err)
		fprintf(stderr, "gen-seeds: authentication %#x failed\n", version);
	fclose(r.seq);
	for (slot = 0; slot < 8; slot++) {
		u8 h = hash_idx;

		if (f->chain[slot])
			write_file(dir, "chain", seq_id * 8 + slot, &h, 1,
				   f->chain[slot], f->chain_len[slot]);
	}
	spdm_destroy(st);
	fake_free(f);
}

/* Certificates of the fake PKI, and a raw P-256 signature, for fuzz-der. */
static void der_seeds(const char *dir)
{
	X509 *certs[] = { pki->root, pki->inter, pki->leaf[4], pki->leaf_ca,
			  pki->leaf_no_digsig };
	u8 raw[64];
	unsigned char *der;
	unsigned int i;
	int len;

	for (i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		der = NULL;
		len = i2d_X509(certs[i], &der);
		if (len > 0)
			write_file(dir, "der", i, der, len, NULL, 0);
		OPENSSL_free(der);
	}
	memset(raw, 0x80, sizeof(raw));
	write_file(dir, "der", i++, raw, sizeof(raw), NULL, 0);
	/* an RSAPublicKey, for spdm_der_rsa_modulus_bits() */
	der = NULL;
	len = i2d_PublicKey(pki->leaf_key[asym_index(A_RSAPSS_2048)], &der);
	if (len > 0)
		write_file(dir, "der", i, der, len, NULL, 0);
	OPENSSL_free(der);
}

/* A valid EMSA-PSS encoding per hash and modulus size, for fuzz-pss. */
static void pss_seeds(const char *dir)
{
	u8 in[PSS_SEED_HEADER + 512];
	const struct pss_choice *c;
	unsigned int h, m, id = 0;
	RSA *rsa;

	for (m = 0; m < 3; m++) {
		for (h = 0; h < 3; h++) {
			c = pss_choice(h, m);
			rsa = pss_modulus_only(c->bits);
			in[0] = h;
			in[1] = m;
			memset(in + 2, 0x5a + h, 64);
			if (RSA_padding_add_PKCS1_PSS_mgf1(rsa, in + PSS_SEED_HEADER, in + 2,
							   c->md(), c->md(),
							   RSA_PSS_SALTLEN_DIGEST) != 1)
				exit(1);
			write_file(dir, "pss", id++, in, PSS_SEED_HEADER + c->bits / 8, NULL, 0);
			RSA_free(rsa);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct { u32 asym; unsigned int idx; } asyms[] = {
		{ A_ECDSA_P256, 0 }, { A_ECDSA_P384, 1 }, { A_ECDSA_P521, 2 },
	};
	struct error_inject busy = { .req_code = 0x81, .error = 0x03, .count = 1 };
	struct error_inject not_ready = { .req_code = 0x83, .error = 0x42, .count = 1 };
	struct error_inject resynch = { .req_code = 0x82, .error = 0x43, .count = 1 };
	unsigned int v, a;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-seeds OUTDIR\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	spdm_env_set_log_level(SPDM_LOG_QUIET);
	spdm_env_set_virtual_sleep(true);
	fake_pki_init(true);	/* RSA too, for the RSASSA-PSS sequence */
	for (v = 0; v < 4; v++)
		for (a = 0; a < 3; a++)
			one(argv[1], 0x10 + v, asyms[a].asym, 1u << a, a, asyms[a].idx, NULL);
	one(argv[1], 0x12, A_ECDSA_P256, H_SHA256, 0, 0, &busy);
	one(argv[1], 0x12, A_ECDSA_P256, H_SHA256, 0, 0, &not_ready);
	one(argv[1], 0x12, A_ECDSA_P256, H_SHA256, 0, 0, &resynch);
	one(argv[1], 0x12, A_RSAPSS_2048, H_SHA256, 0, 6, NULL);
	der_seeds(argv[1]);
	pss_seeds(argv[1]);
	fake_pki_free();
	return 0;
}
