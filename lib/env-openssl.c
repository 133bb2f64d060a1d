// SPDX-License-Identifier: GPL-2.0
/*
 * User-space environment of the SPDM library on OpenSSL 3: allocation,
 * randomness, time, logging, hashing, X.509 and signature verification.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "spdm-env.h"
#include "env-openssl.h"
#include "spdm-util.h"

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

/* Parsed once per process: libspdm-util's certificate cache. */
int spdm_env_cert_parse(const u8 *der, size_t len, struct spdm_env_cert **out)
{
	X509 *x509 = spdm_cert_cache_parse(der, len);
	struct spdm_env_cert *cert;

	if (!x509)
		return -EBADMSG;
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

/* RFC 5280 §4.2.1.9, §4.2.1.3: a CA, allowed keyCertSign when keyUsage is present */
static bool spdm_cert_may_issue(X509 *x509)
{
	uint32_t flags = X509_get_extension_flags(x509);

	if ((flags & EXFLAG_INVALID) || !(flags & EXFLAG_CA))
		return false;
	return !(flags & EXFLAG_KUSAGE) || (X509_get_key_usage(x509) & KU_KEY_CERT_SIGN);
}

int spdm_env_cert_verify_issued_by(const struct spdm_env_cert *cert,
				   const struct spdm_env_cert *issuer)
{
	EVP_PKEY *key = X509_get0_pubkey(issuer->x509);

	if (key && spdm_cert_may_issue(issuer->x509) &&
	    X509_verify(cert->x509, key) == 1)
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
	size_t der_len;
	int half, nid, rc = -EKEYREJECTED;

	if (!md || !(base_asym_alg & spdm_env_asym_algos()))
		return -EPROTONOSUPPORT;
	if (!key || !spdm_key_matches(key, base_asym_alg))
		return -EKEYREJECTED;

	half = spdm_ec_params(base_asym_alg, &nid);
	if (half) {
		if (sig_len != 2 * (size_t)half ||
		    spdm_ecdsa_raw_to_der(sig, sig_len, &der, &der_len))
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
