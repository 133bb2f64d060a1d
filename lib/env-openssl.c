// SPDX-License-Identifier: GPL-2.0
/*
 * User-space environment of the SPDM library on OpenSSL 3: allocation,
 * randomness, time, logging, hashing, X.509 and signature verification.
 */

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "spdm-env.h"
#include "env-openssl.h"

/* DSP0274 1.3.0 Table 15 BaseAsymAlgo / BaseHashAlgo bits */
#define ASYM_RSASSA_2048 BIT(0)
#define ASYM_RSAPSS_2048 BIT(1)
#define ASYM_RSASSA_3072 BIT(2)
#define ASYM_RSAPSS_3072 BIT(3)
#define ASYM_ECDSA_P256 BIT(4)
#define ASYM_RSASSA_4096 BIT(5)
#define ASYM_RSAPSS_4096 BIT(6)
#define ASYM_ECDSA_P384 BIT(7)
#define ASYM_ECDSA_P521 BIT(8)
#define ASYM_RSASSA (ASYM_RSASSA_2048 | ASYM_RSASSA_3072 | ASYM_RSASSA_4096)
#define ASYM_RSAPSS (ASYM_RSAPSS_2048 | ASYM_RSAPSS_3072 | ASYM_RSAPSS_4096)
#define ASYM_ECDSA (ASYM_ECDSA_P256 | ASYM_ECDSA_P384 | ASYM_ECDSA_P521)
#define HASH_SHA256 BIT(0)
#define HASH_SHA384 BIT(1)
#define HASH_SHA512 BIT(2)

static enum spdm_log_level log_level = SPDM_LOG_ERR;
static bool virtual_sleep;
static u64 slept_ns;

void spdm_env_set_virtual_sleep(bool on)
{
	virtual_sleep = on;
}

void spdm_env_set_log_level(enum spdm_log_level level)
{
	log_level = level;
}

void *spdm_env_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void spdm_env_free(void *ptr)
{
	free(ptr);
}

void spdm_env_free_sensitive(void *ptr, size_t size)
{
	if (ptr)
		OPENSSL_cleanse(ptr, size);
	free(ptr);
}

int spdm_env_random(u8 *buf, size_t len)
{
	return RAND_bytes(buf, len) == 1 ? 0 : -EIO;
}

u64 spdm_env_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec + slept_ns;
}

void spdm_env_sleep_us(u64 us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (us % 1000000) * 1000,
	};

	if (virtual_sleep) {
		slept_ns += us * 1000;
		return;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void spdm_log(const char *name, const char *fmt, va_list ap)
{
	fprintf(stderr, "spdm %s: ", name ? name : "-");
	vfprintf(stderr, fmt, ap);
}

void spdm_env_err(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (log_level < SPDM_LOG_ERR)
		return;
	va_start(ap, fmt);
	spdm_log(name, fmt, ap);
	va_end(ap);
}

void spdm_env_dbg(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (log_level < SPDM_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	spdm_log(name, fmt, ap);
	va_end(ap);
}

u32 spdm_env_asym_algos(void)
{
	return ASYM_RSASSA | ASYM_RSAPSS | ASYM_ECDSA;
}

u32 spdm_env_hash_algos(void)
{
	return HASH_SHA256 | HASH_SHA384 | HASH_SHA512;
}

static const EVP_MD *spdm_md(u32 base_hash_alg)
{
	switch (base_hash_alg) {
	case HASH_SHA256:
		return EVP_sha256();
	case HASH_SHA384:
		return EVP_sha384();
	case HASH_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

size_t spdm_env_hash_size(u32 base_hash_alg)
{
	const EVP_MD *md = spdm_md(base_hash_alg);

	return md ? (size_t)EVP_MD_get_size(md) : 0;
}

struct spdm_env_hash *spdm_env_hash_new(u32 base_hash_alg)
{
	const EVP_MD *md = spdm_md(base_hash_alg);
	EVP_MD_CTX *ctx;

	if (!md)
		return NULL;
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return (struct spdm_env_hash *)ctx;
}

int spdm_env_hash_update(struct spdm_env_hash *h, const u8 *data, size_t len)
{
	return EVP_DigestUpdate((EVP_MD_CTX *)h, data, len) == 1 ? 0 : -EIO;
}

int spdm_env_hash_final(struct spdm_env_hash *h, u8 *out)
{
	return EVP_DigestFinal_ex((EVP_MD_CTX *)h, out, NULL) == 1 ? 0 : -EIO;
}

void spdm_env_hash_free(struct spdm_env_hash *h)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

int spdm_env_hash_oneshot(u32 base_hash_alg, const u8 *data, size_t len, u8 *out)
{
	const EVP_MD *md = spdm_md(base_hash_alg);

	if (!md)
		return -EPROTONOSUPPORT;
	return EVP_Digest(data, len, out, NULL, md, NULL) == 1 ? 0 : -EIO;
}

struct spdm_env_cert {
	X509 *x509;
};

/*
 * Parsed certificates, shared by the whole process. OpenSSL 3.0's d2i_X509()
 * builds a provider decoder chain for every public key it meets (about
 * 1.4 M instructions a certificate, more than a P-256 verification), and
 * devices of one model present the same root and intermediate. Entries are
 * keyed by the SHA-256 of the DER; a hit takes a reference on the shared
 * X509, which nobody modifies after parsing (the extension flags OpenSSL
 * computes lazily are set under the X509's own lock). Only certificates
 * that parsed are kept. The mutex guards the table, never a parse.
 */
#define CERT_CACHE_SLOTS 64

struct cert_cache_entry {
	u8 id[SHA256_DIGEST_LENGTH];
	X509 *x509;			/* NULL: free slot */
	u64 last_use;			/* least recently used is evicted */
};

static struct {
	pthread_mutex_t lock;
	struct cert_cache_entry e[CERT_CACHE_SLOTS];
	u64 clock;
	unsigned long hits, misses;
} cert_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static const EVP_MD *cert_id_md;

static void cert_cache_exit(void)
{
	spdm_env_cert_cache_clear();
	EVP_MD_free((EVP_MD *)cert_id_md);
	cert_id_md = NULL;
}

/*
 * The fetch initialises OpenSSL, which registers its own exit handler
 * first: ours runs before OpenSSL cleans up. Without it nothing is cached.
 */
static void cert_id_md_fetch(void)
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);

	if (md && atexit(cert_cache_exit)) {
		EVP_MD_free(md);
		md = NULL;
	}
	cert_id_md = md;
}

/* SHA-256 of the DER; a digest fetched once (not per call, as EVP_sha256()). */
static int cert_id(const u8 *der, size_t len, u8 *id)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, cert_id_md_fetch);
	if (!cert_id_md || EVP_Digest(der, len, id, NULL, cert_id_md, NULL) != 1)
		return -EIO;
	return 0;
}

void spdm_env_cert_cache_clear(void)
{
	pthread_mutex_lock(&cert_cache.lock);
	for (int i = 0; i < CERT_CACHE_SLOTS; i++) {
		X509_free(cert_cache.e[i].x509);
		cert_cache.e[i].x509 = NULL;
	}
	pthread_mutex_unlock(&cert_cache.lock);
}

void spdm_env_cert_cache_stats(unsigned long *hits, unsigned long *misses)
{
	pthread_mutex_lock(&cert_cache.lock);
	*hits = cert_cache.hits;
	*misses = cert_cache.misses;
	pthread_mutex_unlock(&cert_cache.lock);
}

static struct cert_cache_entry *cert_cache_find(const u8 *id)
{
	for (int i = 0; i < CERT_CACHE_SLOTS; i++) {
		struct cert_cache_entry *e = &cert_cache.e[i];

		if (e->x509 && !memcmp(e->id, id, sizeof(e->id)))
			return e;
	}
	return NULL;
}

void spdm_env_cert_cache_forget(const u8 *der, size_t len)
{
	struct cert_cache_entry *e;
	u8 id[SHA256_DIGEST_LENGTH];

	if (cert_id(der, len, id))
		return;
	pthread_mutex_lock(&cert_cache.lock);
	e = cert_cache_find(id);
	if (e) {
		X509_free(e->x509);
		e->x509 = NULL;
	}
	pthread_mutex_unlock(&cert_cache.lock);
}

/* A new reference on the cached certificate @id, or NULL. */
static X509 *cert_cache_get(const u8 *id)
{
	struct cert_cache_entry *e;
	X509 *x509 = NULL;

	pthread_mutex_lock(&cert_cache.lock);
	e = cert_cache_find(id);
	if (e && X509_up_ref(e->x509)) {
		e->last_use = ++cert_cache.clock;
		x509 = e->x509;
		cert_cache.hits++;
	} else {
		cert_cache.misses++;
	}
	pthread_mutex_unlock(&cert_cache.lock);
	return x509;
}

/* Keep a reference on @x509 as @id, evicting the least recently used. */
static void cert_cache_put(const u8 *id, X509 *x509)
{
	struct cert_cache_entry *e, *victim = &cert_cache.e[0];

	pthread_mutex_lock(&cert_cache.lock);
	if (cert_cache_find(id) || !X509_up_ref(x509))
		goto out;
	for (e = cert_cache.e; e < cert_cache.e + CERT_CACHE_SLOTS; e++) {
		if (!e->x509) {
			victim = e;
			break;
		}
		if (e->last_use < victim->last_use)
			victim = e;
	}
	X509_free(victim->x509);
	memcpy(victim->id, id, sizeof(victim->id));
	victim->x509 = x509;
	victim->last_use = ++cert_cache.clock;
out:
	pthread_mutex_unlock(&cert_cache.lock);
}

int spdm_env_cert_parse(const u8 *der, size_t len, struct spdm_env_cert **out)
{
	const unsigned char *p = der;
	struct spdm_env_cert *cert;
	u8 id[SHA256_DIGEST_LENGTH];
	bool cacheable;
	X509 *x509;

	if (len > LONG_MAX)
		return -EBADMSG;
	cacheable = !cert_id(der, len, id);
	x509 = cacheable ? cert_cache_get(id) : NULL;
	if (!x509) {
		x509 = d2i_X509(NULL, &p, len);
		if (!x509 || p != der + len || !X509_get0_pubkey(x509)) {
			X509_free(x509);
			ERR_clear_error();
			return -EBADMSG;
		}
		if (cacheable)
			cert_cache_put(id, x509);
	}
	cert = calloc(1, sizeof(*cert));
	if (!cert) {
		X509_free(x509);
		return -ENOMEM;
	}
	cert->x509 = x509;
	*out = cert;
	return 0;
}

X509 *spdm_env_cert_x509(const struct spdm_env_cert *cert)
{
	return cert->x509;
}

void spdm_env_cert_free(struct spdm_env_cert *cert)
{
	if (!cert)
		return;
	X509_free(cert->x509);
	free(cert);
}

int spdm_env_cert_verify_issued_by(const struct spdm_env_cert *cert,
				   const struct spdm_env_cert *issuer)
{
	EVP_PKEY *key = X509_get0_pubkey(issuer->x509);

	if (key && X509_verify(cert->x509, key) == 1)
		return 0;
	ERR_clear_error();
	return -EKEYREJECTED;
}

int spdm_env_cert_check_leaf(const struct spdm_env_cert *cert)
{
	X509 *x509 = cert->x509;
	uint32_t flags = X509_get_extension_flags(x509);

	if (flags & EXFLAG_INVALID)
		return -EKEYREJECTED;
	if (flags & EXFLAG_CA)
		return -EKEYREJECTED;
	if ((flags & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x509) & KU_DIGITAL_SIGNATURE))
		return -EKEYREJECTED;
	return 0;
}

/* Curve size in bytes and NID of an ECDSA algorithm, 0 if not ECDSA. */
static int spdm_ec_params(u32 asym, int *nid)
{
	switch (asym) {
	case ASYM_ECDSA_P256:
		*nid = NID_X9_62_prime256v1;
		return 32;
	case ASYM_ECDSA_P384:
		*nid = NID_secp384r1;
		return 48;
	case ASYM_ECDSA_P521:
		*nid = NID_secp521r1;
		return 66;
	default:
		return 0;
	}
}

static int spdm_rsa_bits(u32 asym)
{
	if (asym & (ASYM_RSASSA_2048 | ASYM_RSAPSS_2048))
		return 2048;
	if (asym & (ASYM_RSASSA_3072 | ASYM_RSAPSS_3072))
		return 3072;
	if (asym & (ASYM_RSASSA_4096 | ASYM_RSAPSS_4096))
		return 4096;
	return 0;
}

/* Raw r || s to the X9.62 DER form OpenSSL verifies; 0 or -EKEYREJECTED. */
static int spdm_ecdsa_der(const u8 *sig, size_t half, u8 **der, int *der_len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, half, NULL);
	BIGNUM *s = BN_bin2bn(sig + half, half, NULL);
	int rc = -EKEYREJECTED;

	*der = NULL;
	if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	*der_len = i2d_ECDSA_SIG(es, der);
	if (*der_len > 0)
		rc = 0;
out:
	ECDSA_SIG_free(es);
	return rc;
}

/* Does the leaf's key fit the negotiated algorithm? */
static int spdm_key_matches(EVP_PKEY *key, u32 asym)
{
	char group[32];
	size_t glen;
	int nid;

	if (spdm_ec_params(asym, &nid)) {
		if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
		    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
						    group, sizeof(group), &glen))
			return 0;
		return OBJ_txt2nid(group) == nid || OBJ_sn2nid(group) == nid ||
		       EC_curve_nist2nid(group) == nid;
	}
	return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
	       EVP_PKEY_get_bits(key) == spdm_rsa_bits(asym);
}

int spdm_env_verify(const struct spdm_env_cert *cert, u32 base_asym_alg,
		    u32 base_hash_alg, const u8 *msg, size_t msg_len,
		    const u8 *sig, size_t sig_len)
{
	EVP_PKEY *key = X509_get0_pubkey(cert->x509);
	const EVP_MD *md = spdm_md(base_hash_alg);
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx;
	u8 *der = NULL;
	int half, nid, der_len, rc = -EKEYREJECTED;

	if (!md || !(base_asym_alg & spdm_env_asym_algos()))
		return -EPROTONOSUPPORT;
	if (!key || !spdm_key_matches(key, base_asym_alg))
		return -EKEYREJECTED;

	half = spdm_ec_params(base_asym_alg, &nid);
	if (half) {
		if (sig_len != 2 * (size_t)half ||
		    spdm_ecdsa_der(sig, half, &der, &der_len))
			return -EKEYREJECTED;
		sig = der;
		sig_len = der_len;
	} else if (sig_len != (size_t)spdm_rsa_bits(base_asym_alg) / 8) {
		return -EKEYREJECTED;
	}

	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key) != 1)
		goto out;
	if (base_asym_alg & ASYM_RSAPSS) {
		/* DSP0274 1.3.0 Table 15: RSASSA-PSS, salt length = hash size */
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)
			goto out;
	} else if (base_asym_alg & ASYM_RSASSA) {
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
			goto out;
	}
	if (EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1)
		rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	if (rc)
		ERR_clear_error();
	return rc;
}
