/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-agent: the user-space half of SPDM device authentication.
 *
 * One header shared by every file of the agent: the evidence a device
 * presents, the policy (lexer, parser, evaluator), the trust store, the
 * validation of evidence against it, and the audit trail. Functions are
 * named agent_<area>_<verb>(); they return 0 or a negative errno.
 */
#ifndef AGENT_H
#define AGENT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "spdm-util.h"	/* certificate cache, ECDSA signatures, names, hex */

#define AGENT_SHA256_LEN	32
#define AGENT_NONCE_LEN		32	/* DSP0274 1.2.1 §10.10: CHALLENGE Nonce */
#define AGENT_MAX_SLOTS		8	/* DSP0274 1.2.1 §10.6: slots 0..7 */
#define AGENT_ERR_LEN		512

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

/* ---- Evidence: what the kernel hands over for one device ---- */

/* Authentication state as the kernel reports it. */
enum agent_auth_state {
	AGENT_AUTH_PENDING,		/* not finished yet */
	AGENT_AUTH_AUTHENTICATED,	/* the kernel verified the device */
	AGENT_AUTH_FAILED,		/* the kernel's verification failed */
	AGENT_AUTH_UNSUPPORTED,		/* no CMA mailbox / no SPDM */
};

/* The device's own identity, from its PCI configuration space. */
struct agent_pci_ids {
	uint16_t vendor;
	uint16_t device;
	uint32_t class;			/* 24 bits: base, sub, prog-if */
	uint8_t revision;
	uint16_t subsys_vendor;
	uint16_t subsys_device;
};

/*
 * struct agent_evidence - one device's authentication, owned copy
 *
 * Every buffer is allocated and owned by the structure (agent_evidence_free()
 * releases them). None of it is trusted: lengths and offsets are checked by
 * whoever interprets them.
 */
struct agent_evidence {
	char name[64];			/* PCI address, "0000:01:00.0" */
	uint32_t key;			/* the kernel's stable device key */
	uint32_t verdict;		/* enum spdm_verdict, 0 = none yet */
	bool gated;			/* in the binding gate's scope: a verdict takes effect */
	char evidence_error[96];	/* why the evidence is incomplete */
	struct agent_pci_ids ids;
	enum agent_auth_state state;
	int result;			/* the kernel's errno, 0 on success */
	uint32_t generation;		/* increments on every attempt */
	uint8_t version;		/* 0x10 .. 0x13 */
	uint32_t base_asym_alg;		/* one BaseAsymAlgo bit */
	uint32_t base_hash_alg;		/* one BaseHashAlgo bit */
	uint32_t meas_hash_alg;
	uint8_t slot_mask;
	uint8_t slot;			/* slot used for CHALLENGE */
	uint32_t cert_model;		/* enum spdm_cert_model of @slot */
	bool multi_key;			/* SPDM 1.3 multi-key connection */
	uint8_t key_pair_id;		/* of @slot, when @multi_key */
	uint32_t key_usage;		/* KeyUsageMask of @slot, when @multi_key */
	uint8_t *chain[AGENT_MAX_SLOTS];	/* SPDM chain incl. header */
	size_t chain_len[AGENT_MAX_SLOTS];
	uint8_t *transcript;		/* what CHALLENGE_AUTH signs */
	size_t transcript_len;
	uint8_t *signature;		/* raw, as the responder sent it */
	size_t signature_len;
	bool has_nonce;			/* the kernel reported the attempt's nonce */
	uint8_t nonce[AGENT_NONCE_LEN];	/* CHALLENGE and GET_MEASUREMENTS */
	size_t req_nonce_off;		/* offsets into @transcript */
	size_t rsp_nonce_off;
	uint8_t *meas;			/* measurement record (blocks) */
	size_t meas_len;
	uint8_t *meas_transcript;	/* L1/L2: what MEASUREMENTS signs */
	size_t meas_transcript_len;
	uint8_t *meas_signature;	/* raw, as the responder sent it */
	size_t meas_signature_len;
};

/*
 * One authentication attempt's identity: a SHA-256 over what the kernel
 * reported of it, its transcript (which holds both nonces) included, in hex.
 * A device and generation alone do not identify it: generations restart
 * when the module reloads, and a device may be swapped at the same address.
 */
#define AGENT_ATTEMPT_LEN	(2 * AGENT_SHA256_LEN + 1)

void agent_evidence_free(struct agent_evidence *ev);
int agent_evidence_attempt(const struct agent_evidence *ev,
			   char out[AGENT_ATTEMPT_LEN]);
int agent_evidence_measurement_find(const struct agent_evidence *ev,
				    unsigned int index, const uint8_t **value,
				    size_t *value_len);
int agent_evidence_measurement_get(const struct agent_evidence *ev,
				   unsigned int index, uint8_t *type,
				   const uint8_t **value, size_t *value_len);
const char *agent_evidence_state_name(enum agent_auth_state state);

/*
 * Evidence arrives from a device-get dump: per device a state message, then
 * messages of chunks that rebuild each blob. struct agent_dump collects the
 * devices of one dump; agent_dump_feed() takes one message's attributes.
 */
#define AGENT_BLOB_MAX		(1u << 20)	/* largest blob accepted */

struct agent_blob {
	uint8_t *buf;
	size_t total, filled;
};

enum agent_blob_id {
	AGENT_BLOB_CHAIN0,
	AGENT_BLOB_TRANSCRIPT = AGENT_BLOB_CHAIN0 + AGENT_MAX_SLOTS,
	AGENT_BLOB_SIGNATURE,
	AGENT_BLOB_MEAS,
	AGENT_BLOB_MEAS_TRANSCRIPT,
	AGENT_BLOB_MEAS_SIGNATURE,
	AGENT_NR_BLOBS,
};

struct agent_dump {
	struct agent_evidence *devs;	/* completed devices */
	size_t ndevs;
	size_t rejected;		/* malformed messages skipped */
	bool have_cur;
	struct agent_evidence cur;	/* device whose chunks are arriving */
	struct agent_blob blobs[AGENT_NR_BLOBS];
};

int agent_dump_feed(struct agent_dump *d, const void *attrs, int len);
int agent_dump_finish(struct agent_dump *d);
void agent_dump_free(struct agent_dump *d);

/* ---- The kernel's spdm netlink family ---- */

struct nl_sock;

struct agent_nl {
	struct nl_sock *sk;		/* requests */
	struct nl_sock *mon;		/* "monitor" notifications, or NULL */
	int family;
	unsigned long ignored;		/* messages not from the kernel */
};

/* One notification: cmd is SPDM_CMD_*_NTF; dev holds what it carried. */
struct agent_ntf {
	uint8_t cmd;
	bool has_state;
	struct agent_evidence dev;	/* no blobs */
	uint32_t verdict_source;	/* verdict-ntf: enum spdm_verdict_source */
	char reason[256];		/* verdict-ntf: the verdict's reason */
	bool has_identity;		/* identity-changed-ntf: both below */
	uint8_t identity[AGENT_SHA256_LEN];	/* the identity it presents */
	uint8_t allowed_identity[AGENT_SHA256_LEN]; /* the last allow's */
};

typedef void (*agent_ntf_fn)(const struct agent_ntf *n, void *ctx);

int agent_nl_open(struct agent_nl *nl, bool monitor, char *err, size_t errlen);
void agent_nl_close(struct agent_nl *nl);
int agent_nl_monitor_fd(const struct agent_nl *nl);
int agent_nl_monitor_read(struct agent_nl *nl, agent_ntf_fn fn, void *ctx);
int agent_nl_dump(struct agent_nl *nl, const char *name, bool evidence,
		  struct agent_dump *out, char *err, size_t errlen);
int agent_nl_verdict(struct agent_nl *nl, const struct agent_evidence *ev,
		     bool allow, const char *reason, uint32_t source, char *err,
		     size_t errlen);
int agent_nl_authenticate(struct agent_nl *nl, const char *name,
			  const uint8_t *nonce, uint32_t *generation,
			  char *err, size_t errlen);

/* ---- Algorithms (DSP0274 1.2.1 §10.4 NEGOTIATE_ALGORITHMS) ---- */

#define AGENT_ASYM_RSASSA_2048	(1u << 0)
#define AGENT_ASYM_RSAPSS_2048	(1u << 1)
#define AGENT_ASYM_RSASSA_3072	(1u << 2)
#define AGENT_ASYM_RSAPSS_3072	(1u << 3)
#define AGENT_ASYM_ECDSA_P256	(1u << 4)
#define AGENT_ASYM_RSASSA_4096	(1u << 5)
#define AGENT_ASYM_RSAPSS_4096	(1u << 6)
#define AGENT_ASYM_ECDSA_P384	(1u << 7)
#define AGENT_ASYM_ECDSA_P521	(1u << 8)
#define AGENT_ASYM_EDDSA_25519	(1u << 10)
#define AGENT_ASYM_EDDSA_448	(1u << 11)

#define AGENT_HASH_SHA256	(1u << 0)
#define AGENT_HASH_SHA384	(1u << 1)
#define AGENT_HASH_SHA512	(1u << 2)
#define AGENT_HASH_SHA3_256	(1u << 3)
#define AGENT_HASH_SHA3_384	(1u << 4)
#define AGENT_HASH_SHA3_512	(1u << 5)

/* One negotiated signature algorithm. */
struct agent_asym_info {
	uint32_t bit;
	int pkey_type;			/* EVP_PKEY_EC, EVP_PKEY_RSA, ... */
	int pss;			/* RSASSA-PSS padding */
	int curve_nid;			/* EC curve, NID_undef otherwise */
	unsigned int key_bits;		/* RSA modulus / EC field size */
	size_t sig_len;			/* raw signature size on the wire */
	unsigned int strength;		/* security strength in bits */
	char name[24];			/* the kernel's, kernel/spdm/alg-names.c */
};

/* One negotiated hash algorithm. */
struct agent_hash_info {
	uint32_t bit;
	const char *ossl_name;
	size_t len;
	unsigned int strength;
	char name[24];			/* the kernel's, kernel/spdm/alg-names.c */
};

const struct agent_asym_info *agent_algo_asym(uint32_t bit);
const struct agent_hash_info *agent_algo_hash(uint32_t bit);
unsigned int agent_algo_strength(uint32_t asym_bit, uint32_t hash_bit);
const EVP_MD *agent_algo_md(const struct agent_hash_info *h);

/* ---- Trust store: a directory of PEM anchors ---- */

struct agent_anchor {
	char *name;			/* file name without ".pem" */
	STACK_OF(X509) *certs;
};

struct agent_trust {
	char *dir;
	struct agent_anchor *anchors;
	size_t nanchors;
	X509_STORE *store;		/* every anchor's certificates and CRLs */
	size_t ncrls;			/* CRLs loaded from NAME*.crl */
};

int agent_trust_load(const char *dir, struct agent_trust **out,
		     char *err, size_t errlen);
void agent_trust_free(struct agent_trust *trust);
const char *agent_trust_anchor_of(const struct agent_trust *trust, X509 *cert);
int agent_trust_load_crls(struct agent_trust *trust, char *err, size_t errlen);

/* ---- Validation of evidence ---- */

enum agent_time_mode {
	AGENT_TIME_IGNORE,
	AGENT_TIME_WARN,
	AGENT_TIME_ENFORCE,
};

/* The policy's `revocation` statement. */
enum agent_revocation_mode {
	AGENT_REVOCATION_IGNORE,	/* CRLs are not read */
	AGENT_REVOCATION_WARN,		/* found and audited, chain still verifies */
	AGENT_REVOCATION_ENFORCE,	/* revoked, missing or stale CRL: not verified */
};

/* What the CRLs say of a chain (rule attribute `revoked`). */
enum agent_revoked {
	AGENT_REVOKED_UNKNOWN,		/* not checked, or a CRL missing/stale */
	AGENT_REVOKED_NO,		/* every certificate checked, none listed */
	AGENT_REVOKED_YES,		/* some certificate listed in a CRL */
};

/* Signed measurements against the vendors' CoRIMs (`reference-values`). */
enum agent_refval {
	AGENT_REFVAL_UNKNOWN,		/* no manifest names this device */
	AGENT_REFVAL_MATCH,		/* every index named has a listed digest */
	AGENT_REFVAL_MISMATCH,		/* some index differs, is absent or unsigned */
};

enum agent_identity {
	AGENT_IDENTITY_ABSENT,		/* no 2.23.147 otherName in the leaf */
	AGENT_IDENTITY_MATCH,
	AGENT_IDENTITY_MISMATCH,
	AGENT_IDENTITY_MALFORMED,
};

/* The PCIe CMA identity (PCIe 6.x §6.31.3), parsed from the leaf's SAN. */
struct agent_cma_identity {
	uint16_t vendor, device;
	uint32_t class;
	uint8_t revision;
	bool has_subsys;
	uint16_t subsys_vendor, subsys_device;
};

int agent_identity_parse(const char *text, struct agent_cma_identity *id);
int agent_identity_from_cert(X509 *leaf, char *text, size_t textlen);
bool agent_identity_matches(const struct agent_cma_identity *id,
			    const struct agent_pci_ids *ids);

/*
 * struct agent_validation - the agent's own verdict on one device's evidence
 *
 * Each step has its result (0 or a negative errno, see ERRNO taxonomy) and a
 * human-readable reason; @verified is true only when every step passed.
 */
struct agent_validation {
	bool have_chain;
	int chain_result;
	char chain_error[224];	/* room for a revocation_error */
	char anchor[128];		/* trust anchor that verified the chain */
	bool time_warning;
	char time_error[96];
	enum agent_revoked revoked;
	char revocation_error[192];	/* which certificate, or which CRL gap */
	int leaf_result;
	char leaf_error[96];
	bool have_leaf_fp, have_root_fp;
	uint8_t leaf_fp[AGENT_SHA256_LEN];
	uint8_t root_fp[AGENT_SHA256_LEN];
	char subject[256];
	char issuer[256];
	char subject_org[128];		/* the leaf's O and CN, for CoRIM */
	char subject_cn[128];		/* environments (reference-values.c) */
	enum agent_identity identity;
	char identity_text[128];
	int signature_result;
	char signature_error[96];
	int fresh_result;		/* agent_freshness_check() */
	char fresh_error[160];
	int meas_result;		/* signed MEASUREMENTS, see below */
	char meas_error[128];
	bool refval_checked;		/* the policy has reference values */
	enum agent_refval refval;	/* rule attribute reference-values */
	char refval_reason[256];	/* which index, which manifest */
	bool cached;			/* chain result came from the cache */
	bool verified;
};

struct agent_validator;

int agent_validator_new(struct agent_trust *trust, enum agent_time_mode time,
			size_t cache_slots, struct agent_validator **out);
void agent_validator_free(struct agent_validator *v);
void agent_validator_check_measurements(struct agent_validator *v, bool check);
void agent_validator_set_revocation(struct agent_validator *v,
				    enum agent_revocation_mode mode);
void agent_validator_validate(struct agent_validator *v,
			      const struct agent_evidence *ev,
			      struct agent_validation *out);
void agent_validator_stats(const struct agent_validator *v,
			   unsigned long *hits, unsigned long *misses);
void agent_stats_format(const struct agent_validator *v, char *buf,
			size_t size);

#define AGENT_MAX_WORKERS	64	/* validating threads, at most */

void agent_validator_validate_many(struct agent_validator *v,
				   const struct agent_evidence *const *evs,
				   size_t n, struct agent_validation *out,
				   unsigned int workers);
unsigned int agent_workers_default(void);

/* Steps, exposed for tests and tools. */
int agent_chain_split(const uint8_t *chain, size_t len, uint32_t hash_alg,
		      STACK_OF(X509) **certs, char *err, size_t errlen);
int agent_chain_verify(struct agent_trust *trust, enum agent_time_mode time,
		       enum agent_revocation_mode rev, STACK_OF(X509) *certs,
		       struct agent_validation *val);
int agent_leaf_check(X509 *leaf, uint32_t cert_model, char *err, size_t errlen);
const char *agent_cert_model_name(uint32_t cert_model);
int agent_signature_verify(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
			   char *err, size_t errlen);
int agent_signature_message(const struct agent_evidence *ev, uint8_t **msg,
			    size_t *msg_len);
int agent_signature_check(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
			  const char *context, const uint8_t *data,
			  size_t data_len, const uint8_t *sig, size_t sig_len,
			  char *err, size_t errlen);
int agent_meas_record_locate(const struct agent_evidence *ev,
			     const uint8_t **record, size_t *record_len,
			     char *err, size_t errlen);
int agent_meas_verify(const struct agent_evidence *ev, EVP_PKEY *leaf_key,
		      char *err, size_t errlen);
int agent_meas_request_nonce(const struct agent_evidence *ev,
			     const uint8_t **nonce, char *err, size_t errlen);
int agent_freshness_check(const struct agent_evidence *ev,
			  const uint8_t *expected, char *err, size_t errlen);
int agent_fingerprint(X509 *cert, uint8_t out[AGENT_SHA256_LEN]);

/* ---- Policy ---- */

enum agent_verdict {
	AGENT_DENY,
	AGENT_ALLOW,
};

enum agent_attr {
	AGENT_ATTR_VENDOR,
	AGENT_ATTR_DEVICE,
	AGENT_ATTR_ID,
	AGENT_ATTR_SUBSYSTEM,
	AGENT_ATTR_CLASS,
	AGENT_ATTR_ADDRESS,
	AGENT_ATTR_STATE,
	AGENT_ATTR_VERIFIED,
	AGENT_ATTR_ANCHOR,
	AGENT_ATTR_LEAF_FP,
	AGENT_ATTR_ROOT_FP,
	AGENT_ATTR_SUBJECT,
	AGENT_ATTR_ISSUER,
	AGENT_ATTR_CMA_IDENTITY,
	AGENT_ATTR_MIN_VERSION,
	AGENT_ATTR_MIN_STRENGTH,
	AGENT_ATTR_MEASUREMENT,
	AGENT_ATTR_REVOKED,
	AGENT_ATTR_REFERENCE_VALUES,
};

/* One alternative of a condition: numbers with a mask, a string, or bytes. */
struct agent_value {
	uint32_t num;
	uint32_t mask;
	char *str;
	uint8_t *bytes;
	size_t len;
};

/* `attr value` or `attr { value value }`: true when any value matches. */
struct agent_cond {
	enum agent_attr attr;
	unsigned int index;		/* measurement block index */
	struct agent_value *values;
	size_t nvalues;
};

struct agent_rule {
	enum agent_verdict verdict;
	char *label;			/* NULL when the rule has none */
	const char *file;		/* owned by the policy */
	unsigned int line, col;
	struct agent_cond *conds;
	size_t nconds;
};

struct agent_policy {
	enum agent_verdict def;
	const char *def_file;
	unsigned int def_line, def_col;
	enum agent_time_mode time;
	enum agent_revocation_mode revocation;
	char *trust_store;		/* absolute or relative to the policy */
	char *refval_dir;		/* reference-values "DIR": CoRIMs */
	char *refval_anchors;		/* their signers' keys (rim.d) */
	struct agent_rule *rules;
	size_t nrules;
	char **files;			/* every file read, for rule->file */
	size_t nfiles;
};

/* Lexer */
enum agent_tok {
	AGENT_TOK_EOF,
	AGENT_TOK_NEWLINE,
	AGENT_TOK_WORD,
	AGENT_TOK_STRING,
	AGENT_TOK_LBRACE,
	AGENT_TOK_RBRACE,
	AGENT_TOK_ERROR,
};

struct agent_token {
	enum agent_tok type;
	char *text;			/* WORD/STRING value, NUL-terminated */
	size_t len;
	unsigned int line, col;
};

struct agent_lexer {
	const char *file;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned int line, col;
	char err[AGENT_ERR_LEN];	/* message of the ERROR token */
};

void agent_lexer_init(struct agent_lexer *lx, const char *file,
		      const char *buf, size_t len);
int agent_lexer_next(struct agent_lexer *lx, struct agent_token *tok);
void agent_token_clear(struct agent_token *tok);

/* Parser */
int agent_policy_load(const char *path, struct agent_policy **out,
		      char *err, size_t errlen);
int agent_policy_parse(const char *name, const char *buf, size_t len,
		       const char *basedir, struct agent_policy **out,
		       char *err, size_t errlen);
void agent_policy_free(struct agent_policy *pol);
bool agent_policy_uses(const struct agent_policy *pol, enum agent_attr attr);
const char *agent_attr_name(enum agent_attr attr);

typedef void (*agent_warn_fn)(const char *msg, void *ctx);
size_t agent_policy_check(const struct agent_policy *pol, agent_warn_fn fn,
			  void *ctx);

/* Evaluator */
struct agent_decision {
	enum agent_verdict verdict;
	const struct agent_rule *rule;	/* NULL: the default decided */
};

void agent_policy_decide(const struct agent_policy *pol,
			 const struct agent_evidence *ev,
			 const struct agent_validation *val,
			 struct agent_decision *out);
bool agent_rule_matches(const struct agent_rule *rule,
			const struct agent_evidence *ev,
			const struct agent_validation *val);

/* ---- JSON documents on json-c (strings sanitised: hostile) ---- */

#define AGENT_JSON_DEPTH	8	/* objects nested, at most */

struct json_object;

/*
 * One document: agent_json_open(js, NULL) starts it, the agent_json_close()
 * that ends it puts its text in @buf (@len bytes); @oom says that something
 * failed and the text is not to be used.
 */
struct agent_json {
	struct json_object *stack[AGENT_JSON_DEPTH];
	int depth;
	char *buf;
	size_t len;
	bool oom;
};

void agent_json_init(struct agent_json *js);
void agent_json_free(struct agent_json *js);
void agent_json_open(struct agent_json *js, const char *key);
void agent_json_close(struct agent_json *js);
void agent_json_string(struct agent_json *js, const char *key, const char *s);
void agent_json_stringn(struct agent_json *js, const char *key, const char *s,
			size_t n);
void agent_json_int(struct agent_json *js, const char *key, long long v);
void agent_json_bool(struct agent_json *js, const char *key, bool v);
void agent_json_hex(struct agent_json *js, const char *key,
		    const uint8_t *b, size_t n);
void agent_json_raw(struct agent_json *js, const char *s, size_t n);
struct json_object *agent_json_text_new(const char *s);
size_t agent_json_text_bad(const char *s, size_t n);

/* ---- Revocation (revocation.c) ---- */

const char *agent_revoked_name(enum agent_revoked r);
void agent_revocation_start(enum agent_revocation_mode mode,
			    struct agent_validation *val);
unsigned long agent_revocation_verify_flags(enum agent_revocation_mode mode);
int agent_revocation_verify_cb(int ok, X509_STORE_CTX *ctx,
			       struct agent_validation *val);
bool agent_revocation_fails(enum agent_revocation_mode mode,
			    const struct agent_validation *val);
void agent_revocation_finish(enum agent_revocation_mode mode, bool chain_ok,
			     struct agent_validation *val);
void agent_revocation_audit(struct agent_json *js,
			    const struct agent_validation *val);

/* ---- Reference values: signed CoRIMs (corim.c, reference-values.c) ---- */

#define AGENT_CORIM_MAX		(1u << 20)	/* bytes per manifest file */
#define AGENT_RIM_VALUES_MAX	4096		/* digests per manifest */
#define AGENT_RIM_FILES_MAX	1024		/* manifests per directory */
#define AGENT_MEAS_INDEX_COUNT	255		/* DSP0274: indices 1..254 */

/* One acceptable digest of one measurement index of one environment. */
struct agent_rim_value {
	char vendor[64];		/* class-map vendor */
	char model[128];		/* class-map model */
	unsigned int index;		/* mkey: SPDM measurement index */
	unsigned int alg;		/* RFC 6920 hash id: 1, 7, 8 */
	size_t len;
	uint8_t digest[64];
};

/* A key that may sign manifests: rim.d/NAME.pem (certificate or key). */
struct agent_rim_signer {
	char *name;
	EVP_PKEY *key;
};

/* One verified manifest. */
struct agent_rim {
	char *file;			/* file name within the directory */
	char id[65];			/* corim-map id: text, or a UUID in hex */
	const char *signer;		/* the rim.d name that verified it */
	struct agent_rim_value *values;
	size_t nvalues;
};

struct agent_refvals {
	char *dir, *anchors;
	struct agent_rim_signer *signers;
	size_t nsigners;
	struct agent_rim *rims;
	size_t nrims;
};

int agent_corim_parse(const uint8_t *buf, size_t len,
		      const struct agent_rim_signer *signers, size_t nsigners,
		      struct agent_rim *rim, char *err, size_t errlen);
int agent_corim_parse_payload(const uint8_t *buf, size_t len,
			      struct agent_rim *rim, char *err, size_t errlen);
void agent_rim_clear(struct agent_rim *rim);
int agent_refvals_load(const char *dir, const char *anchors,
		       struct agent_refvals **out, char *err, size_t errlen);
void agent_refvals_free(struct agent_refvals *rv);
size_t agent_refvals_count(const struct agent_refvals *rv);
void agent_refvals_appraise(const struct agent_refvals *rv,
			    const struct agent_evidence *ev,
			    struct agent_validation *val);
const char *agent_refval_name(enum agent_refval r);
void agent_refvals_audit(struct agent_json *js,
			 const struct agent_validation *val);
void agent_validator_set_reference_values(struct agent_validator *v,
					  const struct agent_refvals *rv);
int agent_policy_reference_values(struct agent_policy *pol,
				  struct agent_lexer *lx,
				  const struct agent_token *kw,
				  const char *basedir, char *err,
				  size_t errlen);

/* ---- Audit ---- */

struct agent_audit {
	const char *path;		/* JSON lines file, NULL for none */
	int fd;				/* -1 while not open */
	bool torn;			/* a line was left unterminated */
	bool journal;			/* also to the systemd journal */
	int linux_audit_fd;		/* libaudit, -1 when off */
};

int agent_audit_open(struct agent_audit *au, const char *path, bool journal,
		     bool linux_audit);
void agent_audit_close(struct agent_audit *au);
int agent_audit_decision(struct agent_audit *au,
			 const struct agent_evidence *ev,
			 const struct agent_validation *val,
			 const struct agent_decision *dec, bool dry_run);
int agent_audit_event(struct agent_audit *au, const char *event,
		      const char *detail, int result);
int agent_audit_verdict(struct agent_audit *au, const struct agent_ntf *n);
int agent_audit_identity_changed(struct agent_audit *au, const struct agent_ntf *n);
int agent_audit_refused(struct agent_audit *au, const struct agent_evidence *ev,
			bool allow, int error, const char *detail);
int agent_audit_format_decision(struct agent_json *js,
				const struct agent_evidence *ev,
				const struct agent_validation *val,
				const struct agent_decision *dec, bool dry_run);

const char *agent_audit_boot_id(void);

typedef void (*agent_recall_fn)(const char *name, uint32_t generation,
				const char *attempt, enum agent_verdict verdict,
				void *ctx);
int agent_audit_recall(const char *path, const char *boot_id,
		       agent_recall_fn fn, void *ctx);

/* ---- Deciding: validate, decide, audit durably, then send ---- */

/* A (device, generation, attempt) already decided, and how. */
struct agent_decided {
	char name[64];
	uint32_t generation;
	char attempt[AGENT_ATTEMPT_LEN];	/* "" when unknown */
	enum agent_verdict verdict;
	bool recalled;			/* read back from the audit file */
};

/* Sends a verdict to the kernel (agent_nl_verdict() in the daemon). */
typedef int (*agent_send_fn)(void *ctx, const struct agent_evidence *ev,
			     bool allow, const char *reason, char *err,
			     size_t errlen);

struct agent_decider {
	struct agent_audit *au;
	bool dry_run;
	agent_send_fn send;
	void *send_ctx;
	bool gate_off_said;		/* the kernel refused with EOPNOTSUPP */
	struct agent_decided *decided;
	size_t ndecided;
};

void agent_decider_recall(struct agent_decider *d, const char *audit_log);
int agent_decider_decide(struct agent_decider *d,
			 const struct agent_policy *pol,
			 struct agent_validator *val,
			 const struct agent_evidence *ev);
int agent_decider_decide_all(struct agent_decider *d,
			     const struct agent_policy *pol,
			     struct agent_validator *val,
			     const struct agent_evidence *evs, size_t n,
			     unsigned int workers);
void agent_decider_forget(struct agent_decider *d, const char *name);
void agent_decider_free(struct agent_decider *d);

/*
 * Devices to look at again: an examination that failed (a dump interrupted
 * on every try, out of memory) is retried after a delay doubling from
 * AGENT_RETRY_MIN_MS to AGENT_RETRY_MAX_MS, never given up.
 * AGENT_RETRY_ALL ("") stands for a dump of every device.
 */
#define AGENT_RETRY_MIN_MS	100
#define AGENT_RETRY_MAX_MS	30000
#define AGENT_RETRY_ALL		""

struct agent_retry {
	char name[64];
	uint64_t due_ms;		/* UINT64_MAX: taken, not due */
	unsigned int delay_ms;
};

struct agent_retries {
	struct agent_retry *v;
	size_t n;
};

int agent_retry_schedule(struct agent_retries *r, const char *name,
			 uint64_t now_ms);
void agent_retry_clear(struct agent_retries *r, const char *name);
int agent_retry_timeout(const struct agent_retries *r, uint64_t now_ms);
bool agent_retry_take(struct agent_retries *r, uint64_t now_ms, char *name);
void agent_retry_free(struct agent_retries *r);

/* ---- What decisions are made with (rules.c) ---- */

struct agent_rules {
	struct agent_policy *pol;
	struct agent_trust *trust;
	struct agent_refvals *rv;	/* reference-values, or NULL */
	struct agent_validator *val;	/* configured by the policy */
};

int agent_rules_load(const char *policy, const char *trust_store,
		     struct agent_rules **out, char *err, size_t errlen);
void agent_rules_free(struct agent_rules *r);
void agent_appraise(const struct agent_rules *r,
		    const struct agent_evidence *ev,
		    struct agent_validation *val, struct agent_decision *dec);
void agent_decision_reason(const struct agent_decision *dec, char *buf,
			   size_t len);

/* ---- The evidence file (evidence-file.c, docs/evidence-format.md) ---- */

#define AGENT_EVFILE_FORMAT	"spdm-evidence"
#define AGENT_EVFILE_VERSION	1
#define AGENT_EVFILE_MAX	(16u << 20)	/* largest file read */

int agent_evfile_write(const struct agent_evidence *ev, char **out,
		       size_t *len);
int agent_evfile_parse(const char *buf, size_t len, struct agent_evidence *ev,
		       char *err, size_t errlen);
int agent_evfile_read(const char *path, struct agent_evidence *ev, char *err,
		      size_t errlen);

/* ---- The daemon ---- */

struct agent_config {
	const char *policy;
	const char *trust_store;	/* overrides the policy's */
	const char *audit_log;
	bool journal;
	bool linux_audit;
	bool dry_run;
	unsigned int workers;		/* threads validating a dump's evidence */
};

int agent_daemon_run(const struct agent_config *cfg);

/* ---- Command line (options.c) ---- */

#define AGENT_AUDIT_LOG	"/var/log/spdm-agent/audit.jsonl"

struct agent_options {
	struct agent_config cfg;
	const char *check;		/* --check-policy FILE */
	int log_level;			/* from -v and -q */
};

int agent_options_parse(int argc, char **argv, struct agent_options *o);

/* ---- Log (log.c): standard error, sd-daemon(3) prefixes under journald ---- */

/* syslog's and sd-daemon's numbers: "<3>" is err, "<7>" debug. */
enum agent_log_level {
	AGENT_LOG_ERR = 3,
	AGENT_LOG_WARNING = 4,
	AGENT_LOG_NOTICE = 5,
	AGENT_LOG_INFO = 6,
	AGENT_LOG_DEBUG = 7,
};

#define AGENT_LOG_DEFAULT	AGENT_LOG_NOTICE

void agent_log_open(const char *prog, int fd, int level);
int agent_log_level_from(unsigned int verbose, unsigned int quiet);
bool agent_log_is_journal(int fd);
bool agent_log_to_journal(void);
bool agent_log_enabled(int level);
__printf(2, 0) void agent_vlog(int level, const char *fmt, va_list ap);
__printf(2, 3) void agent_log(int level, const char *fmt, ...);

#define agent_err(...)		agent_log(AGENT_LOG_ERR, __VA_ARGS__)
#define agent_warning(...)	agent_log(AGENT_LOG_WARNING, __VA_ARGS__)
#define agent_notice(...)	agent_log(AGENT_LOG_NOTICE, __VA_ARGS__)
#define agent_info(...)		agent_log(AGENT_LOG_INFO, __VA_ARGS__)
#define agent_debug(...)	agent_log(AGENT_LOG_DEBUG, __VA_ARGS__)

/* ---- Small helpers ---- */

int agent_open_regular(const char *path);
FILE *agent_fopen_regular(const char *path, int *ret, char *err, size_t errlen);
const char *agent_open_strerror(int err);
int agent_dir_open_private(const char *path);
int agent_create_at(int dirfd, const char *name, unsigned int mode);

#endif /* AGENT_H */
