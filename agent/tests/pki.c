// SPDX-License-Identifier: GPL-2.0
/* Test PKI: see pki.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "pki.h"

static void pki_die(const char *what)
{
	fprintf(stderr, "test PKI: %s failed\n", what);
	abort();
}

EVP_PKEY *pki_key_ec(int nid)
{
	EVP_PKEY *key = EVP_EC_gen(OBJ_nid2sn(nid));

	if (!key)
		pki_die("EC key generation");
	return key;
}

EVP_PKEY *pki_key_rsa(unsigned int bits)
{
	EVP_PKEY *key = EVP_RSA_gen(bits);

	if (!key)
		pki_die("RSA key generation");
	return key;
}

static void pki_add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	if (!value)
		return;
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(cert, ext, -1))
		pki_die(value);
	X509_EXTENSION_free(ext);
}

X509 *pki_cert(const struct pki_spec *s)
{
	static long serial = 1;
	X509 *cert = X509_new();
	X509_NAME *name;
	X509 *issuer;

	if (!cert)
		pki_die("X509_new");
	issuer = s->issuer ? s->issuer : cert;
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
	X509_gmtime_adj(X509_getm_notBefore(cert),
			s->from_days * 86400 + s->from_seconds);
	X509_gmtime_adj(X509_getm_notAfter(cert),
			s->to_days * 86400 + s->to_seconds);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
				   (const unsigned char *)"SPDM Test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)s->cn, -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(issuer));
	X509_set_pubkey(cert, s->key);
	pki_add_ext(cert, issuer, NID_basic_constraints, s->basic);
	pki_add_ext(cert, issuer, NID_key_usage, s->ku);
	pki_add_ext(cert, issuer, NID_ext_key_usage, s->eku);
	pki_add_ext(cert, issuer, NID_subject_alt_name, s->san);
	pki_add_ext(cert, issuer, NID_subject_key_identifier, "hash");
	if (!X509_sign(cert, s->issuer_key ? s->issuer_key : s->key,
		       EVP_PKEY_get_base_id(s->key) == EVP_PKEY_ED25519 ?
		       NULL : EVP_sha384()))
		pki_die("X509_sign");
	return cert;
}

int pki_write_pem(const char *path, X509 *const *certs, int n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	for (int i = 0; i < n; i++)
		PEM_write_X509(f, certs[i]);
	return fclose(f) ? -errno : 0;
}

X509_CRL *pki_crl(X509 *issuer, EVP_PKEY *key, const long *serials, size_t n,
		  long from_days, long to_days)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_new();

	if (!crl || !t)
		pki_die("X509_CRL_new");
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
	X509_gmtime_adj(t, from_days * 86400);
	X509_CRL_set1_lastUpdate(crl, t);
	X509_gmtime_adj(t, to_days * 86400);
	X509_CRL_set1_nextUpdate(crl, t);
	X509_gmtime_adj(t, from_days * 86400);
	for (size_t i = 0; i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *sn = ASN1_INTEGER_new();

		if (!r || !sn || !ASN1_INTEGER_set(sn, serials[i]) ||
		    !X509_REVOKED_set_serialNumber(r, sn) ||
		    !X509_REVOKED_set_revocationDate(r, t) ||
		    !X509_CRL_add0_revoked(crl, r))
			pki_die("X509_REVOKED");
		ASN1_INTEGER_free(sn);
	}
	ASN1_TIME_free(t);
	X509_CRL_sort(crl);
	if (!X509_CRL_sign(crl, key, EVP_sha384()))
		pki_die("X509_CRL_sign");
	return crl;
}

int pki_write_crl(const char *path, X509_CRL *crl)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	PEM_write_X509_CRL(f, crl);
	return fclose(f) ? -errno : 0;
}

static const EVP_MD *pki_md(uint32_t hash)
{
	return hash == AGENT_HASH_SHA256 ? EVP_sha256() :
	       hash == AGENT_HASH_SHA384 ? EVP_sha384() : EVP_sha512();
}

uint8_t *pki_spdm_chain(X509 *const *certs, int n, uint32_t hash_alg,
			size_t *len)
{
	size_t hlen = (size_t)EVP_MD_get_size(pki_md(hash_alg));
	size_t total = 4 + hlen;
	uint8_t *buf, *p;

	for (int i = 0; i < n; i++)
		total += (size_t)i2d_X509(certs[i], NULL);
	buf = calloc(1, total);
	if (!buf)
		pki_die("calloc");
	buf[0] = (uint8_t)total;
	buf[1] = (uint8_t)(total >> 8);
	p = buf + 4 + hlen;
	for (int i = 0; i < n; i++) {
		uint8_t *start = p;

		i2d_X509(certs[i], &p);
		if (!i)
			EVP_Digest(start, (size_t)(p - start), buf + 4, NULL,
				   pki_md(hash_alg), NULL);
	}
	*len = total;
	return buf;
}

int pki_sign(EVP_PKEY *key, uint32_t asym, uint32_t hash, const uint8_t *msg,
	     size_t len, uint8_t *sig, size_t *sig_len)
{
	const struct agent_asym_info *a = agent_algo_asym(asym);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	uint8_t der[1024];
	size_t der_len = sizeof(der);

	if (EVP_DigestSignInit(md, &pctx, a->pkey_type == EVP_PKEY_ED25519 ?
			       NULL : pki_md(hash), NULL, key) != 1)
		pki_die("EVP_DigestSignInit");
	if (a->pss) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	}
	if (EVP_DigestSign(md, der, &der_len, msg, len) != 1)
		pki_die("EVP_DigestSign");
	EVP_MD_CTX_free(md);
	if (a->pkey_type != EVP_PKEY_EC) {
		memcpy(sig, der, der_len);
		*sig_len = der_len;
		return 0;
	}
	/*
	 * X9.62 DER to SPDM's raw r‖s. A key of a larger curve than @asym's
	 * (tests of a mismatched key) gives an r or s that does not fit: any
	 * bytes of the algorithm's size serve as its signature then.
	 */
	if (spdm_ecdsa_der_to_raw(der, der_len, sig, a->sig_len))
		memset(sig, 0x5a, a->sig_len);
	*sig_len = a->sig_len;
	return 0;
}

/*
 * Sign @data the way DSP0274 says, written out long-hand: 1.0 and 1.1 sign
 * it directly, 1.2+ the combined prefix with @context and @data's hash.
 */
void pki_sign_transcript(EVP_PKEY *key, uint8_t version, uint32_t asym,
			 uint32_t hash, const char *context,
			 const uint8_t *data, size_t len, uint8_t **sig,
			 size_t *sig_len)
{
	uint8_t msg[256], buf[1024];
	size_t msg_len, n = sizeof(buf);
	char ver[8];

	if (version >= 0x12) {
		snprintf(ver, sizeof(ver), "%x.%x", version >> 4, version & 0xf);
		msg_len = 0;
		for (int i = 0; i < 4; i++) {
			memcpy(msg + msg_len, "dmtf-spdm-v", 11);
			memcpy(msg + msg_len + 11, ver, 3);
			memcpy(msg + msg_len + 14, ".*", 2);
			msg_len += 16;
		}
		memset(msg + msg_len, 0, 36 - strlen(context));
		msg_len += 36 - strlen(context);
		memcpy(msg + msg_len, context, strlen(context));
		msg_len += strlen(context);
		EVP_Digest(data, len, msg + msg_len, NULL, pki_md(hash), NULL);
		msg_len += (size_t)EVP_MD_get_size(pki_md(hash));
		pki_sign(key, asym, hash, msg, msg_len, buf, &n);
	} else {
		pki_sign(key, asym, hash, data, len, buf, &n);
	}
	*sig = malloc(n);
	memcpy(*sig, buf, n);
	*sig_len = n;
}

/*
 * Evidence for an authenticated QEMU NVMe: a transcript of pseudo-random
 * bytes (as long as a real VCA+B+C) with nonces at fixed offsets, signed the
 * way DSP0274 says.
 */
void pki_evidence_fill(struct agent_evidence *ev, uint8_t version,
		       uint32_t asym, uint32_t hash, const uint8_t *chain,
		       size_t chain_len, EVP_PKEY *leaf_key, uint32_t seed)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "0000:%02x:00.0", seed & 0xff);
	pki_qemu_nvme_ids(&ev->ids);
	ev->state = AGENT_AUTH_AUTHENTICATED;
	ev->generation = 1;
	ev->version = version;
	ev->base_asym_alg = asym;
	ev->base_hash_alg = hash;
	ev->slot_mask = 1;
	ev->slot = 0;
	ev->chain[0] = malloc(chain_len);
	memcpy(ev->chain[0], chain, chain_len);
	ev->chain_len[0] = chain_len;
	ev->transcript_len = 600;
	ev->transcript = malloc(ev->transcript_len);
	for (size_t i = 0; i < ev->transcript_len; i++)
		ev->transcript[i] = (uint8_t)((i * 131 + seed * 7919) >> 3);
	ev->req_nonce_off = 400;
	ev->rsp_nonce_off = 500;
	/* the nonce the kernel reports: the one CHALLENGE carries */
	memcpy(ev->nonce, ev->transcript + ev->req_nonce_off, AGENT_NONCE_LEN);
	ev->has_nonce = true;
	pki_sign_transcript(leaf_key, version, asym, hash,
			    "responder-challenge_auth signing", ev->transcript,
			    ev->transcript_len, &ev->signature,
			    &ev->signature_len);
}

static size_t pki_put(uint8_t *p, const uint8_t *bytes, size_t n)
{
	memcpy(p, bytes, n);
	return n;
}

/*
 * L1/L2 as a requester records it (DSP0274 1.2.1 §10.11.2): from 1.2 on
 * VCA, then GET_MEASUREMENTS asking for a signature, then MEASUREMENTS
 * carrying @record up to (not including) its signature; signed with
 * "responder-measurements signing". @ev->meas is a copy of @record.
 */
void pki_measurements_fill(struct agent_evidence *ev, EVP_PKEY *leaf_key,
			   const uint8_t *record, size_t record_len)
{
	uint8_t v = ev->version, *t = malloc(512 + record_len);
	size_t n = 0;

	if (v >= 0x12) {
		uint8_t caps[20] = { v, 0x61 }, algs[36] = { v, 0x63, 0, 0, 36 };

		n += pki_put(t + n, (const uint8_t[]){ 0x10, 0x84, 0, 0 }, 4);
		n += pki_put(t + n, (const uint8_t[]){ 0x10, 0x04, 0, 0, 0, 2,
						       0x00, 0x12, 0x00, 0x13 }, 10);
		caps[1] = 0xe1;
		n += pki_put(t + n, caps, sizeof(caps));
		caps[1] = 0x61;
		caps[12] = 0x42;	/* some capability flags */
		n += pki_put(t + n, caps, sizeof(caps));
		algs[1] = 0xe3;
		algs[4] = 32;
		n += pki_put(t + n, algs, 32);
		algs[1] = 0x63;
		algs[4] = 36;
		n += pki_put(t + n, algs, sizeof(algs));
	}
	/* GET_MEASUREMENTS: signature requested, all blocks, nonce, slot, context */
	n += pki_put(t + n, (const uint8_t[]){ v, 0xe0, 0x01, 0xff }, 4);
	if (ev->has_nonce)	/* the attempt's nonce, as the kernel sends it */
		memcpy(t + n, ev->nonce, 32);
	else
		memset(t + n, 0xa5, 32);
	n += 32;
	if (v >= 0x11)
		t[n++] = ev->slot;
	if (v >= 0x13) {
		memset(t + n, 0xc7, 8);
		n += 8;
	}
	/* MEASUREMENTS: header, NumberOfBlocks, MeasurementRecordLength */
	n += pki_put(t + n, (const uint8_t[]){ v, 0x60, 0, ev->slot, 1,
					       record_len & 0xff,
					       (record_len >> 8) & 0xff,
					       (record_len >> 16) & 0xff }, 8);
	n += pki_put(t + n, record, record_len);
	memset(t + n, 0x5a, 32);	/* responder nonce */
	n += 32;
	n += pki_put(t + n, (const uint8_t[]){ 4, 0, 'o', 'p', 'a', 'q' }, 6);
	if (v >= 0x13) {
		memset(t + n, 0xc7, 8);	/* RequesterContext echoed */
		n += 8;
	}
	free(ev->meas_transcript);
	free(ev->meas_signature);
	free(ev->meas);
	ev->meas_transcript = t;
	ev->meas_transcript_len = n;
	ev->meas = malloc(record_len ? record_len : 1);
	memcpy(ev->meas, record, record_len);
	ev->meas_len = record_len;
	pki_sign_transcript(leaf_key, v, ev->base_asym_alg, ev->base_hash_alg,
			    "responder-measurements signing", t, n,
			    &ev->meas_signature, &ev->meas_signature_len);
}

void pki_qemu_nvme_ids(struct agent_pci_ids *ids)
{
	ids->vendor = 0x1b36;
	ids->device = 0x0010;
	ids->class = 0x010802;
	ids->revision = 0x02;
	ids->subsys_vendor = 0x1af4;
	ids->subsys_device = 0x1100;
}

static struct pki_world *pki_world;

const struct pki_world *pki_world_get(void)
{
	struct pki_world *w;
	char path[160];

	if (pki_world)
		return pki_world;
	w = calloc(1, sizeof(*w));
	snprintf(w->dir, sizeof(w->dir), "%s/agent-pki-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(w->dir))
		pki_die("mkdtemp");
	w->root_key = pki_key_ec(NID_secp384r1);
	w->inter_key = pki_key_ec(NID_secp384r1);
	w->leaf_key = pki_key_ec(NID_X9_62_prime256v1);
	w->leaf384_key = pki_key_ec(NID_secp384r1);
	w->other_key = pki_key_ec(NID_secp384r1);
	w->root = pki_cert(&(struct pki_spec){
		.cn = "Demo Root CA", .key = w->root_key,
		.basic = "critical,CA:TRUE", .ku = "critical,keyCertSign,cRLSign",
		.from_days = -1, .to_days = 3650 });
	w->inter = pki_cert(&(struct pki_spec){
		.cn = "Demo Intermediate CA", .key = w->inter_key,
		.issuer = w->root, .issuer_key = w->root_key,
		.basic = "critical,CA:TRUE", .ku = "critical,keyCertSign,cRLSign",
		.from_days = -1, .to_days = 3650 });
	w->leaf = pki_cert(&(struct pki_spec){
		.cn = "Demo NVMe Device", .key = w->leaf_key,
		.issuer = w->inter, .issuer_key = w->inter_key,
		.basic = "critical,CA:FALSE", .ku = "critical,digitalSignature",
		.eku = "1.3.6.1.4.1.412.274.3", .san = PKI_CMA_SAN,
		.from_days = -1, .to_days = 365 });
	w->leaf384 = pki_cert(&(struct pki_spec){
		.cn = "Demo NVMe Device P-384", .key = w->leaf384_key,
		.issuer = w->inter, .issuer_key = w->inter_key,
		.basic = "critical,CA:FALSE", .ku = "critical,digitalSignature",
		.san = PKI_CMA_SAN, .from_days = -1, .to_days = 365 });
	w->other_root = pki_cert(&(struct pki_spec){
		.cn = "Unknown Root CA", .key = w->other_key,
		.basic = "critical,CA:TRUE", .ku = "critical,keyCertSign,cRLSign",
		.from_days = -1, .to_days = 3650 });
	w->other_leaf = pki_cert(&(struct pki_spec){
		.cn = "Unknown Device", .key = w->leaf_key,
		.issuer = w->other_root, .issuer_key = w->other_key,
		.basic = "critical,CA:FALSE", .ku = "critical,digitalSignature",
		.san = PKI_CMA_SAN, .from_days = -1, .to_days = 365 });
	snprintf(w->trust_dir, sizeof(w->trust_dir), "%s/trust", w->dir);
	snprintf(w->pinned_dir, sizeof(w->pinned_dir), "%s/pinned", w->dir);
	mkdir(w->trust_dir, 0700);
	mkdir(w->pinned_dir, 0700);
	snprintf(path, sizeof(path), "%s/demo-root.pem", w->trust_dir);
	if (pki_write_pem(path, &w->root, 1))
		pki_die("writing demo-root.pem");
	snprintf(path, sizeof(path), "%s/pinned-inter.pem", w->pinned_dir);
	if (pki_write_pem(path, &w->inter, 1))
		pki_die("writing pinned-inter.pem");
	pki_world = w;
	return w;
}

uint8_t *pki_world_chain(X509 *leaf, uint32_t hash_alg, size_t *len)
{
	const struct pki_world *w = pki_world_get();
	X509 *certs[3] = { w->root, w->inter, leaf };

	return pki_spdm_chain(certs, 3, hash_alg, len);
}

void pki_world_free(void)
{
	struct pki_world *w = pki_world;
	char cmd[128];

	if (!w)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
	if (system(cmd))
		fprintf(stderr, "test PKI: could not remove %s\n", w->dir);
	EVP_PKEY_free(w->root_key);
	EVP_PKEY_free(w->inter_key);
	EVP_PKEY_free(w->leaf_key);
	EVP_PKEY_free(w->leaf384_key);
	EVP_PKEY_free(w->other_key);
	X509_free(w->root);
	X509_free(w->inter);
	X509_free(w->leaf);
	X509_free(w->leaf384);
	X509_free(w->other_root);
	X509_free(w->other_leaf);
	free(w);
	pki_world = NULL;
}

/*
 * pki_measured_device() - a device of the world whose evidence the world's
 * trust store verifies: @ev with the leaf's chain (P-256, SHA-256, SPDM
 * @version, nonces from @seed) and a signed MEASUREMENTS record of index 1
 * (a 32-byte digest); *@trust the world's trust store and *@v a validator
 * of it (time enforced, @cache chain results). 0, or -EINVAL (the world's
 * trust store does not load) or -ENOMEM.
 */
int pki_measured_device(struct agent_trust **trust, struct agent_validator **v,
			struct agent_evidence *ev, uint8_t version,
			unsigned int cache, uint32_t seed)
{
	const struct pki_world *w = pki_world_get();
	static const uint8_t record[] = {
		1, 0x01, 35, 0, 0x01, 32, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	};
	char err[AGENT_ERR_LEN];
	uint8_t *chain;
	size_t len;

	if (agent_trust_load(w->trust_dir, trust, err, sizeof(err)))
		return -EINVAL;
	if (agent_validator_new(*trust, AGENT_TIME_ENFORCE, cache, v)) {
		agent_trust_free(*trust);
		return -ENOMEM;
	}
	chain = pki_world_chain(w->leaf, AGENT_HASH_SHA256, &len);
	pki_evidence_fill(ev, version, AGENT_ASYM_ECDSA_P256, AGENT_HASH_SHA256,
			  chain, len, w->leaf_key, seed);
	pki_measurements_fill(ev, w->leaf_key, record, sizeof(record));
	free(chain);
	return 0;
}
