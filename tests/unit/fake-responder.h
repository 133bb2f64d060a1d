/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-process SPDM responder for the requester's tests: it answers the
 * requester's transport callback with responses built from a PKI generated
 * at start, keeps its own transcripts and signs like a real device, and
 * can be told to misbehave (mutations, ERROR responses, wrong keys).
 */
#ifndef _FAKE_RESPONDER_H_
#define _FAKE_RESPONDER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define FAKE_MAX_VERSIONS 8
#define FAKE_MAX_MUTATIONS 4

/* DSP0274 BaseAsymAlgo / BaseHashAlgo bits, as the tests name them */
#define A_RSASSA_2048 (1u << 0)
#define A_RSAPSS_2048 (1u << 1)
#define A_RSASSA_3072 (1u << 2)
#define A_RSAPSS_3072 (1u << 3)
#define A_ECDSA_P256 (1u << 4)
#define A_RSASSA_4096 (1u << 5)
#define A_RSAPSS_4096 (1u << 6)
#define A_ECDSA_P384 (1u << 7)
#define A_ECDSA_P521 (1u << 8)
#define H_SHA256 (1u << 0)
#define H_SHA384 (1u << 1)
#define H_SHA512 (1u << 2)

#define CAP_CERT (1u << 1)
#define CAP_CHAL (1u << 2)
#define CAP_MEAS_SIG (1u << 4)
#define CAP_ALIAS_CERT (1u << 18)
#define CAP_MULTI_KEY_ONLY (1u << 26)	/* MULTI_KEY_CAP 01b */
#define CAP_MULTI_KEY_NEG (1u << 27)	/* MULTI_KEY_CAP 10b */
#define CAP_GET_KEY_PAIR_INFO (1u << 28)
#define KEY_USAGE_CHALLENGE (1u << 1)
#define KEY_USAGE_MEASUREMENT (1u << 2)

enum mut_op {
	MUT_NONE,
	MUT_BYTE,	/* rsp[off] = val */
	MUT_XOR,	/* rsp[off] ^= val */
	MUT_LE16,	/* le16 at off = val */
	MUT_ADD16,	/* le16 at off += val */
	MUT_LE24,	/* le24 at off = val */
	MUT_LE32,	/* le32 at off = val */
	MUT_CUT,	/* drop val bytes from the end */
	MUT_APPEND,	/* append val zero bytes */
	MUT_KEEP,	/* keep only the first val bytes */
	MUT_FILL,	/* grow to exactly the requester's buffer size */
};

/* Change the @nth (0 = every) response with code @code; offsets may be negative (from end). */
struct mutation {
	uint8_t code;
	enum mut_op op;
	long off;
	uint32_t val;
	unsigned int nth;
};

/* ERROR injection: answer request @req_code with ERROR @error @count times. */
struct error_inject {
	uint8_t req_code;
	uint8_t error;
	uint8_t data;		/* Param2 */
	uint8_t rdt_exponent;	/* ResponseNotReady */
	uint8_t nr_req_code;	/* ResponseNotReady RequestCode, 0 = the request's */
	unsigned int count;	/* 0 = forever */
	unsigned int pass_every; /* let every Nth such request through, 0 = none */
};

struct fake_pki;

struct fake_responder {
	/* configuration */
	uint8_t versions[FAKE_MAX_VERSIONS];
	unsigned int n_versions;
	uint32_t caps;
	uint32_t asym;			/* selected, or forced by a test */
	uint32_t hash;
	uint32_t meas_hash;
	uint32_t transfer_size;		/* 1.2+ DataTransferSize */
	size_t cert_portion;		/* largest CERTIFICATE portion, 0 = any */
	uint64_t exchange_us;		/* time each exchange takes (spdm_env_sleep_us) */
	uint8_t slot_mask;
	uint8_t *chain[8];		/* chains served per slot (owned) */
	size_t chain_len[8];
	uint8_t *digest_chain[8];	/* what DIGESTS hashes, if not chain (owned) */
	size_t digest_chain_len[8];
	EVP_PKEY *sign_key;		/* key signing CHALLENGE_AUTH/MEASUREMENTS */
	bool corrupt_transcript;	/* sign over a transcript with a flipped byte */
	bool stale_nonce;		/* sign as if the nonce had been different */
	uint16_t key_usage[8];		/* multi-key KeyUsageMask per slot */
	uint8_t cert_info[8];		/* multi-key CertificateInfo per slot */
	struct mutation mut[FAKE_MAX_MUTATIONS];
	struct error_inject err;
	/* state */
	uint8_t version;
	uint8_t *m;			/* M1 transcript */
	size_t m_len;
	size_t vca_len;
	uint8_t pending[70000];		/* deferred response (ResponseNotReady) */
	size_t pending_len;
	unsigned int err_done;
	unsigned int seen[256];		/* responses sent per code */
	unsigned int requests[256];	/* requests received per code */
	uint8_t last_nonce[32];
	bool multi_key;			/* the connection is multi-key */
};

/* Keys and certificates generated once per test program. */
struct fake_pki {
	EVP_PKEY *root_key, *inter_key, *other_key;
	X509 *root, *inter, *other_inter;
	EVP_PKEY *leaf_key[9];		/* by BaseAsymAlgo bit number */
	X509 *leaf[9];
	X509 *leaf_ca;			/* P-256 leaf that claims to be a CA */
	X509 *leaf_no_digsig;		/* P-256 leaf without digitalSignature */
	X509 *leaf_hw_id;		/* P-256 leaf with the hardware-identity OID */
	X509 *leaf_eku_requester;	/* P-256 leaf whose EKU is requester-auth only */
	X509 *leaf_eku_both;		/* P-256 leaf with requester- and responder-auth EKU */
	X509 *leaf_big;			/* P-256 leaf of ~30 KB */
	X509 *leaf_by_other;		/* P-256 leaf signed by other_inter */
	X509 *leaf_by_leaf;		/* P-256 leaf signed by the P-384 leaf, no CA */
};

extern struct fake_pki *pki;

int fake_pki_init(bool with_rsa);
void fake_pki_free(void);
int asym_index(uint32_t asym);

/* A responder for @version (highest offered) with @asym, @hash, slot 0 only. */
struct fake_responder *fake_new(uint8_t version, uint32_t asym, uint32_t hash);
void fake_free(struct fake_responder *f);
/* Serve @certs (root first) in @slot; digests follow the chain unless set apart. */
void fake_set_chain(struct fake_responder *f, unsigned int slot, X509 **certs,
		    unsigned int n);
uint8_t *fake_build_chain(uint32_t hash, X509 **certs, unsigned int n, size_t *len);
ssize_t fake_transport(void *priv, const void *req, size_t req_sz, void *rsp,
		       size_t rsp_sz);

#endif /* _FAKE_RESPONDER_H_ */
