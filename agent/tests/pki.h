/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test PKI built in memory with OpenSSL: keys, certificates with exactly
 * the extensions a test wants, SPDM chains, and evidence whose transcript is
 * signed here, independently of the agent's own message construction.
 */
#ifndef AGENT_TEST_PKI_H
#define AGENT_TEST_PKI_H

#include "agent.h"

struct pki_spec {
	const char *cn;
	EVP_PKEY *key;
	X509 *issuer;			/* NULL: self-signed */
	EVP_PKEY *issuer_key;
	const char *basic;		/* basicConstraints value, NULL: none */
	const char *ku;			/* keyUsage value, NULL: none */
	const char *eku;		/* extendedKeyUsage value, NULL: none */
	const char *san;		/* subjectAltName value, NULL: none */
	long from_days, to_days;	/* validity relative to now */
	long from_seconds, to_seconds;	/* added to them */
};

EVP_PKEY *pki_key_ec(int nid);
EVP_PKEY *pki_key_rsa(unsigned int bits);
X509 *pki_cert(const struct pki_spec *spec);
int pki_write_pem(const char *path, X509 *const *certs, int n);
/* A CRL of @issuer listing @serials, valid from/to days relative to now. */
X509_CRL *pki_crl(X509 *issuer, EVP_PKEY *key, const long *serials, size_t n,
		  long from_days, long to_days);
int pki_write_crl(const char *path, X509_CRL *crl);
uint8_t *pki_spdm_chain(X509 *const *certs, int n, uint32_t hash_alg,
			size_t *len);
int pki_sign(EVP_PKEY *key, uint32_t asym, uint32_t hash, const uint8_t *msg,
	     size_t len, uint8_t *sig, size_t *sig_len);
void pki_sign_transcript(EVP_PKEY *key, uint8_t version, uint32_t asym,
			 uint32_t hash, const char *context,
			 const uint8_t *data, size_t len, uint8_t **sig,
			 size_t *sig_len);
void pki_evidence_fill(struct agent_evidence *ev, uint8_t version,
		       uint32_t asym, uint32_t hash, const uint8_t *chain,
		       size_t chain_len, EVP_PKEY *leaf_key, uint32_t seed);
void pki_measurements_fill(struct agent_evidence *ev, EVP_PKEY *leaf_key,
			   const uint8_t *record, size_t record_len);

/* The identity the standard leaf claims, and the matching device. */
#define PKI_CMA_SAN "otherName:2.23.147;UTF8:Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"
void pki_qemu_nvme_ids(struct agent_pci_ids *ids);

/* A standard hierarchy, made once per process. */
struct pki_world {
	char dir[64];			/* temporary directory */
	char trust_dir[96];		/* demo-root.pem */
	char pinned_dir[96];		/* pinned-inter.pem (intermediate only) */
	EVP_PKEY *root_key, *inter_key, *leaf_key, *other_key, *leaf384_key;
	X509 *root, *inter, *leaf, *other_root, *other_leaf, *leaf384;
};

const struct pki_world *pki_world_get(void);
void pki_world_free(void);
/* SPDM chain root, inter, leaf of the world (caller frees). */
uint8_t *pki_world_chain(X509 *leaf, uint32_t hash_alg, size_t *len);

/* A device of the world with signed measurements, its trust store, a validator. */
int pki_measured_device(struct agent_trust **trust, struct agent_validator **v,
			struct agent_evidence *ev, uint8_t version,
			unsigned int cache, uint32_t seed);

/* The project's test PKI (tests/pki/gen-pki.sh) at $AGENT_TEST_PKI. */
const char *pki_set_dir(void);
uint8_t *pki_set_load_chain(const char *sub, uint32_t hash, size_t *len,
			    EVP_PKEY **key);

#endif /* AGENT_TEST_PKI_H */
