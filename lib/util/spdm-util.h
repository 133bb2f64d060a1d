/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libspdm-util: what every user-space program of the project shares
 * (spdm-auth and the OpenSSL environment of the SPDM core, spdm-agent,
 * spdmctl, the BPF tools, the responder emulator, the benchmarks):
 * parsed certificates cached per process, SPDM's raw ECDSA signatures in
 * and out of DER, the names of algorithms, messages and errnos, hex.
 * Internal and static: never installed. Functions return 0 or a negative
 * errno unless they say otherwise.
 */
#ifndef LIBSPDM_UTIL_H
#define LIBSPDM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* OpenSSL's (openssl/types.h), so that users of the names need no OpenSSL */
typedef struct x509_st X509;

/* ---- Parsed certificates, shared by the whole process (cert-cache.c) ---- */

#define SPDM_CERT_CACHE_SLOTS	64

struct spdm_cert_cache_stats {
	unsigned long hits;		/* lookups that found the certificate */
	unsigned long misses;		/* lookups that parsed it */
	unsigned long evictions;	/* entries pushed out to make room */
	unsigned long entries;		/* certificates held now */
};

X509 *spdm_cert_cache_parse(const uint8_t *der, size_t len);
X509 *spdm_cert_cache_parse_next(const uint8_t **in, size_t max);
void spdm_cert_cache_forget(const uint8_t *der, size_t len);
void spdm_cert_cache_clear(void);
void spdm_cert_cache_stats(struct spdm_cert_cache_stats *st);

/* ---- ECDSA signatures: SPDM's raw r‖s and X9.62 DER (ecdsa-sig.c) ---- */

int spdm_ecdsa_raw_to_der(const uint8_t *raw, size_t len, uint8_t **der,
			  size_t *der_len);
int spdm_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw,
			  size_t len);

/* ---- Names (names.c; algorithms: kernel/spdm/alg-names.c) ---- */

/* "ECDSA_P256|RSAPSS_3072" for a BaseAsymAlgo mask, "none" for 0 */
void spdm_asym_names(uint32_t mask, char *buf, size_t size);
/* "SHA_256|SHA_384" for a BaseHashAlgo mask, "none" for 0 */
void spdm_hash_names(uint32_t mask, char *buf, size_t size);
/* MeasurementHashAlgo: "RAW_BIT" for bit 0, the BaseHashAlgo names above it */
void spdm_meas_hash_names(uint32_t mask, char *buf, size_t size);

#define SPDM_ALG_NAME_MAX	128	/* enough for any mask's names */

/* Request name of a request code, NULL when unknown. */
const char *spdm_req_name(uint8_t code);
/* Response name of a response code, "-" for 0 (no response), NULL when unknown. */
const char *spdm_rsp_name(uint8_t code);
/* Request or response name of any code, NULL when unknown. */
const char *spdm_code_name(uint8_t code);
/*
 * A request for a filter: a request name (GET_VERSION), a response name
 * (VERSION, meaning its request) or a request code (0x84); any case.
 */
int spdm_parse_message(const char *s, uint8_t *req_code);

/* "EKEYREJECTED" for -129 or 129, "" for 0, "?" when glibc has no name. */
const char *spdm_errno_name(int err);

/* ---- Hex (hex.c, on OpenSSL's) ---- */

int spdm_hex(const uint8_t *b, size_t n, char *out, size_t out_size);
int spdm_unhex(const char *s, uint8_t *out, size_t max, size_t *len);

#endif /* LIBSPDM_UTIL_H */
