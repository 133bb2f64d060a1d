// SPDX-License-Identifier: GPL-2.0
/*
 * In-process SPDM responder for the requester's unit tests and fuzz seed
 * generation. Written from DSP0274 independently of the requester: it
 * builds its transcripts and the 1.2+ signing prefix itself, so a
 * requester that records or hashes the wrong bytes fails to verify.
 */

#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "spdm-env.h"
#include "spdm-util.h"
#include "fake-responder.h"

struct fake_pki *pki;

static void die(const char *what)
{
	fprintf(stderr, "fake responder: %s failed\n", what);
	ERR_print_errors_fp(stderr);
	abort();
}

int asym_index(uint32_t asym)
{
	int i;

	for (i = 0; i < 9; i++)
		if (asym == 1u << i)
			return i;
	return -1;
}

static EVP_PKEY *gen_key(uint32_t asym)
{
	EVP_PKEY *k = NULL;

	switch (asym) {
	case A_ECDSA_P256:
		k = EVP_EC_gen("P-256");
		break;
	case A_ECDSA_P384:
		k = EVP_EC_gen("P-384");
		break;
	case A_ECDSA_P521:
		k = EVP_EC_gen("P-521");
		break;
	case A_RSASSA_2048:
		k = EVP_RSA_gen(2048);
		break;
	case A_RSASSA_3072:
		k = EVP_RSA_gen(3072);
		break;
	case A_RSASSA_4096:
		k = EVP_RSA_gen(4096);
		break;
	}
	if (!k)
		die("key generation");
	return k;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(x, ext, -1))
		die("extension");
	X509_EXTENSION_free(ext);
}

/*
 * DSP0274 1.3.0 SPDM extension (OID 1.3.6.1.4.1.412.274.6) listing
 * id-DMTF-hardware-identity (1.3.6.1.4.1.412.274.2): SEQUENCE OF SEQUENCE { OID }.
 */
static void add_hardware_identity(X509 *x)
{
	static const unsigned char value[] = {
		0x30, 0x0e, 0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01,
		0x83, 0x1c, 0x82, 0x12, 0x02,
	};
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.412.274.6", 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;

	if (!oid || !os || !ASN1_OCTET_STRING_set(os, value, sizeof(value)))
		die("SPDM extension");
	ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, os);
	if (!ext || !X509_add_ext(x, ext, -1))
		die("SPDM extension");
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(oid);
}

enum cert_kind {
	CERT_CA, CERT_LEAF, CERT_LEAF_CA, CERT_LEAF_NO_DIGSIG, CERT_LEAF_BIG,
	CERT_LEAF_HW_ID, CERT_LEAF_EKU_REQUESTER, CERT_LEAF_EKU_BOTH,
};

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
		       EVP_PKEY *issuer_key, enum cert_kind kind)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *name;
	char *big;

	if (!x)
		die("X509_new");
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	switch (kind) {
	case CERT_CA:
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
		break;
	case CERT_LEAF_CA:
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		break;
	case CERT_LEAF_NO_DIGSIG:
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage, "critical,keyEncipherment");
		break;
	case CERT_LEAF_HW_ID:
		add_hardware_identity(x);
		goto leaf;
	case CERT_LEAF_EKU_REQUESTER:	/* id-DMTF-eku-requester-auth only */
		add_ext(x, issuer, NID_ext_key_usage, "1.3.6.1.4.1.412.274.4");
		goto leaf;
	case CERT_LEAF_EKU_BOTH:
		add_ext(x, issuer, NID_ext_key_usage,
			"1.3.6.1.4.1.412.274.4,1.3.6.1.4.1.412.274.3");
		goto leaf;
	case CERT_LEAF_BIG:
		big = malloc(30001);
		memset(big, 'A', 30000);
		big[30000] = 0;
		add_ext(x, issuer, NID_netscape_comment, big);
		free(big);
		/* fall through */
	case CERT_LEAF:
leaf:
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		break;
	}
	if (!X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()))
		die("X509_sign");
	return x;
}

/**
 * fake_pki_init() - generate the test PKI
 * @with_rsa: also generate RSA leaves (slow for 4096 bits)
 *
 * root (P-256) -> intermediate (P-384) -> one leaf per algorithm, plus
 * leaves that break the SPDM rules and an unrelated intermediate.
 */
int fake_pki_init(bool with_rsa)
{
	static const uint32_t algs[] = {
		A_ECDSA_P256, A_ECDSA_P384, A_ECDSA_P521,
		A_RSASSA_2048, A_RSASSA_3072, A_RSASSA_4096,
	};
	unsigned int i;
	int idx;

	pki = calloc(1, sizeof(*pki));
	pki->root_key = gen_key(A_ECDSA_P256);
	pki->inter_key = gen_key(A_ECDSA_P384);
	pki->other_key = gen_key(A_ECDSA_P256);
	pki->root = make_cert(pki->root_key, "test root", NULL, NULL, CERT_CA);
	pki->inter = make_cert(pki->inter_key, "test intermediate", pki->root,
			       pki->root_key, CERT_CA);
	pki->other_inter = make_cert(pki->other_key, "other intermediate",
				     pki->root, pki->root_key, CERT_CA);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (!with_rsa && (algs[i] & (A_RSASSA_2048 | A_RSASSA_3072 | A_RSASSA_4096)))
			continue;
		idx = asym_index(algs[i]);
		pki->leaf_key[idx] = gen_key(algs[i]);
		pki->leaf[idx] = make_cert(pki->leaf_key[idx], "test leaf",
					   pki->inter, pki->inter_key, CERT_LEAF);
	}
	/* PSS variants share the RSASSA keys of the same size. */
	for (i = 0; i < 3; i++) {
		int sa = asym_index(i == 0 ? A_RSASSA_2048 : i == 1 ? A_RSASSA_3072 : A_RSASSA_4096);
		int ps = asym_index(i == 0 ? A_RSAPSS_2048 : i == 1 ? A_RSAPSS_3072 : A_RSAPSS_4096);

		if (!pki->leaf_key[sa])
			continue;
		EVP_PKEY_up_ref(pki->leaf_key[sa]);
		X509_up_ref(pki->leaf[sa]);
		pki->leaf_key[ps] = pki->leaf_key[sa];
		pki->leaf[ps] = pki->leaf[sa];
	}
	idx = asym_index(A_ECDSA_P256);
	pki->leaf_ca = make_cert(pki->leaf_key[idx], "leaf ca", pki->inter,
				 pki->inter_key, CERT_LEAF_CA);
	pki->leaf_no_digsig = make_cert(pki->leaf_key[idx], "leaf no digsig",
					pki->inter, pki->inter_key,
					CERT_LEAF_NO_DIGSIG);
	pki->leaf_big = make_cert(pki->leaf_key[idx], "leaf big", pki->inter,
				  pki->inter_key, CERT_LEAF_BIG);
	pki->leaf_hw_id = make_cert(pki->leaf_key[idx], "leaf hw id", pki->inter,
				    pki->inter_key, CERT_LEAF_HW_ID);
	pki->leaf_eku_requester = make_cert(pki->leaf_key[idx], "leaf eku req",
					    pki->inter, pki->inter_key,
					    CERT_LEAF_EKU_REQUESTER);
	pki->leaf_eku_both = make_cert(pki->leaf_key[idx], "leaf eku both",
				       pki->inter, pki->inter_key, CERT_LEAF_EKU_BOTH);
	pki->leaf_by_other = make_cert(pki->leaf_key[idx], "test leaf",
				       pki->other_inter, pki->other_key, CERT_LEAF);
	pki->leaf_by_leaf = make_cert(pki->leaf_key[idx], "test leaf",
				      pki->leaf[asym_index(A_ECDSA_P384)],
				      pki->leaf_key[asym_index(A_ECDSA_P384)], CERT_LEAF);
	return 0;
}

void fake_pki_free(void)
{
	unsigned int i;

	if (!pki)
		return;
	EVP_PKEY_free(pki->root_key);
	EVP_PKEY_free(pki->inter_key);
	EVP_PKEY_free(pki->other_key);
	X509_free(pki->root);
	X509_free(pki->inter);
	X509_free(pki->other_inter);
	for (i = 0; i < 9; i++) {
		EVP_PKEY_free(pki->leaf_key[i]);
		X509_free(pki->leaf[i]);
	}
	X509_free(pki->leaf_ca);
	X509_free(pki->leaf_no_digsig);
	X509_free(pki->leaf_hw_id);
	X509_free(pki->leaf_eku_requester);
	X509_free(pki->leaf_eku_both);
	X509_free(pki->leaf_big);
	X509_free(pki->leaf_by_other);
	X509_free(pki->leaf_by_leaf);
	free(pki);
	pki = NULL;
}

static const EVP_MD *md_of(uint32_t hash)
{
	return hash == H_SHA256 ? EVP_sha256() : hash == H_SHA384 ? EVP_sha384() :
	       hash == H_SHA512 ? EVP_sha512() : NULL;
}

static size_t hash_len(uint32_t hash)
{
	return EVP_MD_get_size(md_of(hash));
}

static void digest(uint32_t hash, const uint8_t *p, size_t len, uint8_t *out)
{
	if (!EVP_Digest(p, len, out, NULL, md_of(hash), NULL))
		die("EVP_Digest");
}

/* Chain format of DSP0274 §10.7.1: Length, Reserved, RootHash, DER certs. */
uint8_t *fake_build_chain(uint32_t hash, X509 **certs, unsigned int n, size_t *len)
{
	size_t h = hash_len(hash), total = 4 + h, off;
	unsigned char *p;
	uint8_t *chain;
	unsigned int i;
	int l;

	for (i = 0; i < n; i++)
		total += i2d_X509(certs[i], NULL);
	chain = calloc(1, total);
	chain[0] = total & 0xff;
	chain[1] = total >> 8;
	off = 4 + h;
	for (i = 0; i < n; i++) {
		p = chain + off;
		l = i2d_X509(certs[i], &p);
		if (i == 0)
			digest(hash, chain + off, l, chain + 4);
		off += l;
	}
	*len = total;
	return chain;
}

void fake_set_chain(struct fake_responder *f, unsigned int slot, X509 **certs,
		    unsigned int n)
{
	free(f->chain[slot]);
	f->chain[slot] = fake_build_chain(f->hash, certs, n, &f->chain_len[slot]);
}

struct fake_responder *fake_new(uint8_t version, uint32_t asym, uint32_t hash)
{
	struct fake_responder *f = calloc(1, sizeof(*f));
	X509 *certs[3];
	unsigned int i;
	uint8_t v;

	for (v = 0x10; v <= version; v++)
		f->versions[f->n_versions++] = v;
	f->caps = CAP_CERT | CAP_CHAL | CAP_MEAS_SIG;
	for (i = 0; i < 8; i++) {
		f->key_usage[i] = KEY_USAGE_CHALLENGE | KEY_USAGE_MEASUREMENT;
		f->cert_info[i] = 1;	/* DeviceCert model */
	}
	f->asym = asym;
	f->hash = hash;
	f->meas_hash = 1u << 1;	/* SHA-256 */
	f->transfer_size = 1024;
	f->slot_mask = 1;
	f->sign_key = pki->leaf_key[asym_index(asym)];
	certs[0] = pki->root;
	certs[1] = pki->inter;
	certs[2] = pki->leaf[asym_index(asym)];
	fake_set_chain(f, 0, certs, 3);
	return f;
}

void fake_free(struct fake_responder *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < 8; i++) {
		free(f->chain[i]);
		free(f->digest_chain[i]);
	}
	free(f->m);
	free(f);
}

/* A growing response. */
struct msg {
	uint8_t b[70000];
	size_t len;
};

static void put(struct msg *m, const void *p, size_t len)
{
	if (m->len + len > sizeof(m->b))
		die("response size");
	memcpy(m->b + m->len, p, len);
	m->len += len;
}

static void put8(struct msg *m, uint8_t v)
{
	put(m, &v, 1);
}

static void put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };

	put(m, b, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	uint8_t b[4] = { v & 0xff, v >> 8, v >> 16, v >> 24 };

	put(m, b, 4);
}

static void hdr(struct msg *m, uint8_t version, uint8_t code, uint8_t p1, uint8_t p2)
{
	m->len = 0;
	put8(m, version);
	put8(m, code);
	put8(m, p1);
	put8(m, p2);
}

/* Capacity of a log of @len bytes: powers of two, so appends stay cheap. */
static size_t log_cap(size_t len)
{
	size_t cap = 64;

	while (cap < len + 1)
		cap *= 2;
	return cap;
}

static void log_append(uint8_t **t, size_t *len, const void *p, size_t n)
{
	if (!*t || log_cap(*len + n) != log_cap(*len))
		*t = realloc(*t, log_cap(*len + n));
	memcpy(*t + *len, p, n);
	*len += n;
}

/* What the responder signs: the transcript (1.0/1.1) or prefix || H(transcript). */
static void sign(struct fake_responder *f, const char *context,
		 const uint8_t *t, size_t tlen, struct msg *out)
{
	uint8_t *msg, *sig = NULL;
	size_t msg_len, sig_len, half;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	unsigned int i;

	if (f->version < 0x12) {
		msg = malloc(tlen);
		memcpy(msg, t, tlen);
		msg_len = tlen;
	} else {
		msg_len = 100 + hash_len(f->hash);
		msg = calloc(1, msg_len);
		for (i = 0; i < 4; i++) {
			char s[17];

			snprintf(s, sizeof(s), "dmtf-spdm-v%u.%u.*", f->version >> 4,
				 f->version & 0xf);
			memcpy(msg + 16 * i, s, 16);
		}
		memcpy(msg + 100 - strlen(context), context, strlen(context));
		digest(f->hash, t, tlen, msg + 100);
	}
	if (f->corrupt_transcript)
		msg[msg_len - 1] ^= 1;
	if (!EVP_DigestSignInit(ctx, &pctx, md_of(f->hash), NULL, f->sign_key))
		die("EVP_DigestSignInit");
	if (f->asym & (A_RSAPSS_2048 | A_RSAPSS_3072 | A_RSAPSS_4096)) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	}
	if (!EVP_DigestSign(ctx, NULL, &sig_len, msg, msg_len))
		die("EVP_DigestSign");
	sig = malloc(sig_len);
	if (!EVP_DigestSign(ctx, sig, &sig_len, msg, msg_len))
		die("EVP_DigestSign");
	if (EVP_PKEY_get_base_id(f->sign_key) == EVP_PKEY_EC) {
		uint8_t raw[132];

		half = (EVP_PKEY_get_bits(f->sign_key) + 7) / 8;
		if (spdm_ecdsa_der_to_raw(sig, sig_len, raw, 2 * half))
			die("spdm_ecdsa_der_to_raw");
		put(out, raw, 2 * half);
	} else {
		put(out, sig, sig_len);
	}
	free(sig);
	free(msg);
	EVP_MD_CTX_free(ctx);
}

/* ERROR carries the version of the request it answers. */
static void error_rsp(struct msg *r, uint8_t version, uint8_t code, uint8_t data)
{
	hdr(r, version, 0x7f, code, data);
}

/* The chain bytes DIGESTS and CertChainHash describe. */
static void slot_digest(struct fake_responder *f, unsigned int slot, uint8_t *out)
{
	if (f->digest_chain[slot])
		digest(f->hash, f->digest_chain[slot], f->digest_chain_len[slot], out);
	else
		digest(f->hash, f->chain[slot], f->chain_len[slot], out);
}

static void measurement_record(struct msg *r, uint8_t *count)
{
	unsigned int i, j;

	*count = 2;
	for (i = 1; i <= 2; i++) {
		put8(r, i);		/* Index */
		put8(r, 0x01);		/* DMTF */
		put16(r, 3 + 32);	/* MeasurementSize */
		put8(r, i - 1);		/* DMTFSpecMeasurementValueType */
		put16(r, 32);
		for (j = 0; j < 32; j++)
			put8(r, i * 16 + j);
	}
}

/* DSP0274 request sizes by version; 0 for a request the requester never sends. */
static size_t request_len(uint8_t code, uint8_t v)
{
	switch (code) {
	case 0x84: case 0x81: case 0xff:
		return 4;
	case 0xe1:
		return v == 0x10 ? 4 : v == 0x11 ? 12 : 20;
	case 0xe3:
		return 32;
	case 0x82:
		return 8;
	case 0x83:
		return v >= 0x13 ? 44 : 36;
	case 0xe0:
		return v == 0x10 ? 36 : v < 0x13 ? 37 : 45;
	case 0xfc:
		return v >= 0x13 ? 5 : 0;
	default:
		return 0;
	}
}

/* A request of the wrong size or version is a requester bug: InvalidRequest. */
static bool request_ok(struct fake_responder *f, const uint8_t *req, size_t len)
{
	uint8_t want = req[1] == 0x84 ? 0x10 : req[1] == 0xe1 ? req[0] : f->version;
	unsigned int i;
	bool offered = false;

	for (i = 0; i < f->n_versions; i++)
		offered |= f->versions[i] == req[0];
	if (req[1] == 0xe1 && !offered)
		return false;
	if (req[1] == 0xff && f->pending_len)
		want = f->pending[0];
	return req[0] == want && len == request_len(req[1], req[0]);
}

static void respond(struct fake_responder *f, const uint8_t *req, size_t len,
		    struct msg *r)
{
	uint8_t v = req[0], code = req[1], h[64], nonce[32];
	size_t hl = hash_len(f->hash), start, sig_from;
	unsigned int i, slot;

	memset(nonce, 0xa5, sizeof(nonce));
	if (!request_ok(f, req, len)) {
		error_rsp(r, v, 0x01, code);
		return;
	}
	switch (code) {
	case 0x84: /* GET_VERSION */
		f->version = 0;
		f->m_len = 0;
		hdr(r, 0x10, 0x04, 0, 0);
		put8(r, 0);
		put8(r, f->n_versions);
		for (i = 0; i < f->n_versions; i++)
			put16(r, f->versions[i] << 8);
		log_append(&f->m, &f->m_len, req, len);
		log_append(&f->m, &f->m_len, r->b, r->len);
		return;
	case 0xe1: /* GET_CAPABILITIES */
		f->version = v;
		hdr(r, v, 0x61, 0, 0);
		put8(r, 0);
		put8(r, 12);		/* CTExponent */
		put16(r, 0);
		put32(r, f->caps);
		if (v >= 0x12) {
			put32(r, f->transfer_size);
			put32(r, f->transfer_size);
		}
		break;
	case 0xe3: { /* NEGOTIATE_ALGORITHMS */
		uint8_t nstructs = v >= 0x11 ? 4 : 0;

		/* DSP0274 1.3.0: MULTI_KEY_CONN in OtherParamsSupport */
		f->multi_key = false;
		if (v >= 0x13 && (f->caps & CAP_MULTI_KEY_ONLY) && !(req[7] & 0x20)) {
			error_rsp(r, v, 0x01, code);
			return;
		}
		if (v >= 0x13 && (f->caps & (CAP_MULTI_KEY_ONLY | CAP_MULTI_KEY_NEG)))
			f->multi_key = f->caps & CAP_MULTI_KEY_ONLY || (req[7] & 0x20);
		hdr(r, v, 0x63, nstructs, 0);
		put16(r, 36 + 4 * nstructs);
		put8(r, f->caps & CAP_MEAS_SIG ? 0x01 : 0);
		put8(r, v >= 0x12 ? req[7] & 0x02 : 0);
		put32(r, f->caps & CAP_MEAS_SIG ? f->meas_hash : 0);
		put32(r, f->asym);
		put32(r, f->hash);
		for (i = 0; i < 12; i++)
			put8(r, 0);
		put8(r, 0);
		put8(r, 0);
		put16(r, 0);
		for (i = 0; i < nstructs; i++) {
			put8(r, 2 + i);	/* DHE, AEAD, ReqBaseAsymAlg, KeySchedule */
			put8(r, 0x20);
			put16(r, 0);
		}
		log_append(&f->m, &f->m_len, req, len);
		log_append(&f->m, &f->m_len, r->b, r->len);
		f->vca_len = f->m_len;
		return;
	}
	case 0x81: /* GET_DIGESTS */
		hdr(r, v, 0x01, v >= 0x13 ? f->slot_mask : 0, f->slot_mask);
		for (slot = 0; slot < 8; slot++) {
			if (!(f->slot_mask & (1u << slot)))
				continue;
			slot_digest(f, slot, h);
			put(r, h, hl);
		}
		for (i = 0; f->multi_key && i < 3; i++) {
			for (slot = 0; slot < 8; slot++) {
				if (!(f->slot_mask & (1u << slot)))
					continue;
				if (i == 0)
					put8(r, slot + 1);	/* KeyPairID */
				else if (i == 1)
					put8(r, f->cert_info[slot]);
				else
					put16(r, f->key_usage[slot]);
			}
		}
		break;
	case 0xfc: { /* GET_KEY_PAIR_INFO: not transcribed */
		uint8_t id = req[4];

		hdr(r, v, 0x7c, 0, 0);
		put8(r, __builtin_popcount(f->slot_mask));	/* TotalKeyPairs */
		put8(r, id);
		put16(r, 0);				/* Capabilities */
		put16(r, 0x0f);				/* KeyUsageCapabilities */
		put16(r, id >= 1 && id <= 8 ? f->key_usage[id - 1] : 0);
		put32(r, 0);				/* AsymAlgoCapabilities */
		put32(r, 0);				/* CurrentAsymAlgo */
		put16(r, 0);				/* PublicKeyInfoLen */
		put8(r, id >= 1 && id <= 8 ? 1u << (id - 1) : 0);
		return;
	}
	case 0x82: { /* GET_CERTIFICATE */
		size_t off = req[4] | req[5] << 8, want = req[6] | req[7] << 8;
		size_t portion, remain;

		slot = req[2] & 0xf;
		portion = want;
		if (off > f->chain_len[slot])
			off = f->chain_len[slot];
		if (portion > f->chain_len[slot] - off)
			portion = f->chain_len[slot] - off;
		if (v >= 0x12 && portion > f->transfer_size - 8)
			portion = f->transfer_size - 8;
		if (f->cert_portion && portion > f->cert_portion)
			portion = f->cert_portion;
		remain = f->chain_len[slot] - off - portion;
		hdr(r, v, 0x02, slot, 0);
		put16(r, portion);
		put16(r, remain);
		put(r, f->chain[slot] + off, portion);
		break;
	}
	case 0x83: /* CHALLENGE */
		slot = req[2] & 0xf;
		memcpy(f->last_nonce, req + 4, 32);
		hdr(r, v, 0x03, slot, f->slot_mask);
		slot_digest(f, slot, h);
		put(r, h, hl);
		put(r, nonce, 32);
		if (req[3])
			put(r, (uint8_t[64]){ 0 }, hl);
		put16(r, 0);
		if (v >= 0x13)
			put(r, req + 36, 8);
		start = f->m_len;
		log_append(&f->m, &f->m_len, req, len);
		if (f->stale_nonce)
			f->m[start + 4] ^= 0x80;
		log_append(&f->m, &f->m_len, r->b, r->len);
		sign(f, "responder-challenge_auth signing", f->m, f->m_len, r);
		return;
	case 0xe0: { /* GET_MEASUREMENTS */
		uint8_t *l = NULL, count;
		size_t l_len = 0, rec_at;

		slot = v >= 0x11 ? req[36] & 0xf : 0;
		hdr(r, v, 0x60, 0, v >= 0x12 ? slot : 0);
		put8(r, 0);
		put(r, (uint8_t[3]){ 0 }, 3);
		rec_at = r->len;
		measurement_record(r, &count);
		r->b[4] = count;
		r->b[5] = (r->len - rec_at) & 0xff;
		r->b[6] = (r->len - rec_at) >> 8;
		put(r, nonce, 32);
		put16(r, 0);
		if (v >= 0x13)
			put(r, req + 37, 8);
		if (v >= 0x12)
			log_append(&l, &l_len, f->m, f->vca_len);
		log_append(&l, &l_len, req, len);
		sig_from = r->len;
		log_append(&l, &l_len, r->b, sig_from);
		sign(f, "responder-measurements signing", l, l_len, r);
		free(l);
		return;
	}
	default:
		error_rsp(r, v, 0x07, code);
		return;
	}
	log_append(&f->m, &f->m_len, req, len);
	log_append(&f->m, &f->m_len, r->b, r->len);
}

static void mutate(struct fake_responder *f, struct msg *r, size_t rsp_sz)
{
	uint8_t code = r->b[1];
	unsigned int i;
	size_t off;

	f->seen[code]++;
	for (i = 0; i < FAKE_MAX_MUTATIONS; i++) {
		struct mutation *m = &f->mut[i];

		if (m->op == MUT_NONE || m->code != code ||
		    (m->nth && m->nth != f->seen[code]))
			continue;
		off = m->off < 0 ? r->len + m->off : (size_t)m->off;
		switch (m->op) {
		case MUT_BYTE:
			r->b[off] = m->val;
			break;
		case MUT_XOR:
			r->b[off] ^= m->val;
			break;
		case MUT_LE16:
			r->b[off] = m->val;
			r->b[off + 1] = m->val >> 8;
			break;
		case MUT_ADD16: {
			unsigned int v = (r->b[off] | r->b[off + 1] << 8) + m->val;

			r->b[off] = v;
			r->b[off + 1] = v >> 8;
			break;
		}
		case MUT_LE24:
		case MUT_LE32:
			r->b[off] = m->val;
			r->b[off + 1] = m->val >> 8;
			r->b[off + 2] = m->val >> 16;
			if (m->op == MUT_LE32)
				r->b[off + 3] = m->val >> 24;
			break;
		case MUT_CUT:
			r->len -= m->val;
			break;
		case MUT_APPEND:
			memset(r->b + r->len, 0, m->val);
			r->len += m->val;
			break;
		case MUT_KEEP:
			r->len = m->val;
			break;
		case MUT_FILL:
			memset(r->b + r->len, 0, rsp_sz - r->len);
			r->len = rsp_sz;
			break;
		case MUT_NONE:
			break;
		}
	}
}

/**
 * fake_transport() - spdm_transport_fn answering from the fake responder
 *
 * Like pci_doe(), a response longer than @rsp_sz is cut silently.
 */
ssize_t fake_transport(void *priv, const void *req_v, size_t req_sz, void *rsp,
		       size_t rsp_sz)
{
	struct fake_responder *f = priv;
	const uint8_t *req = req_v;
	struct error_inject *e = &f->err;
	static struct msg r;
	size_t n;

	if (req_sz < 4)
		abort();
	f->requests[req[1]]++;
	if (f->exchange_us)
		spdm_env_sleep_us(f->exchange_us);
	r.len = 0;
	/* RESPOND_IF_READY (Param1 = original request) counts as that request. */
	if (e->error && (e->req_code == req[1] ||
			 (req[1] == 0xff && e->req_code == req[2])) &&
	    (!e->count || f->err_done < e->count) &&
	    (!e->pass_every || f->requests[req[1]] % e->pass_every)) {
		f->err_done++;
		if (e->error == 0x42 && req[1] != 0xff) {
			respond(f, req, req_sz, &r);
			memcpy(f->pending, r.b, r.len);
			f->pending_len = r.len;
		}
		error_rsp(&r, req[0], e->error, e->data);
		if (e->error == 0x42) {
			put8(&r, e->rdt_exponent);
			put8(&r, e->nr_req_code ? e->nr_req_code : e->req_code);
			put8(&r, 0x77);	/* token */
			put8(&r, 1);	/* RDTM */
		}
	} else if (req[1] == 0xff && (!f->pending_len || req[0] != f->pending[0])) {
		error_rsp(&r, req[0], 0x41, 0);	/* VersionMismatch */
	} else if (req[1] == 0xff) {
		memcpy(r.b, f->pending, f->pending_len);
		r.len = f->pending_len;
	} else {
		respond(f, req, req_sz, &r);
	}
	mutate(f, &r, rsp_sz);
	n = r.len < rsp_sz ? r.len : rsp_sz;
	memcpy(rsp, r.b, n);
	return n;
}
