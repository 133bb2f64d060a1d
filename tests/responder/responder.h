/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM responder emulator: shared types.
 *
 * The emulator speaks DMTF spdm-emu's socket protocol (what QEMU's NVMe
 * spdm_port connects to) and answers SPDM 1.0-1.3 requests from its own
 * message encoding, independent of the requester under test. A catalogue of
 * faults (faults.c) makes it misbehave on purpose.
 */
#ifndef RESPONDER_H
#define RESPONDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#include "spdm-util.h"	/* message names, ECDSA signatures */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NSLOTS 8
#define NONCE_SIZE 32		/* DSP0274 1.3.0 §10.8 */
#define REQ_CONTEXT_SIZE 8	/* DSP0274 1.3.0 RequesterContext */
#define MAX_MEAS 16

/* DSP0274 1.3.0 Table 4 "SPDM request codes" / Table 5 "response codes" */
enum {
	SPDM_DIGESTS = 0x01,
	SPDM_CERTIFICATE = 0x02,
	SPDM_CHALLENGE_AUTH = 0x03,
	SPDM_VERSION = 0x04,
	SPDM_MEASUREMENTS = 0x60,
	SPDM_CAPABILITIES = 0x61,
	SPDM_ALGORITHMS = 0x63,
	SPDM_ERROR = 0x7f,
	SPDM_GET_DIGESTS = 0x81,
	SPDM_GET_CERTIFICATE = 0x82,
	SPDM_CHALLENGE = 0x83,
	SPDM_GET_VERSION = 0x84,
	SPDM_GET_MEASUREMENTS = 0xe0,
	SPDM_GET_CAPABILITIES = 0xe1,
	SPDM_NEGOTIATE_ALGORITHMS = 0xe3,
	SPDM_GET_KEY_PAIR_INFO = 0xfc,		/* 1.3 */
	SPDM_KEY_PAIR_INFO = 0x7c,
	SPDM_RESPOND_IF_READY = 0xff,
};

/* DSP0274 1.3.0 Table 58 "Error code and error data" */
enum {
	SPDM_ERR_INVALID_REQUEST = 0x01,
	SPDM_ERR_BUSY = 0x03,
	SPDM_ERR_UNEXPECTED_REQUEST = 0x04,
	SPDM_ERR_UNSUPPORTED_REQUEST = 0x07,
	SPDM_ERR_VERSION_MISMATCH = 0x41,
	SPDM_ERR_RESPONSE_NOT_READY = 0x42,
};

/* DSP0274 1.3.0 Table 11 CAPABILITIES Flags (responder) */
#define CAP_CERT (1u << 1)
#define CAP_CHAL (1u << 2)
#define CAP_MEAS_NOSIG (1u << 3)
#define CAP_MEAS_SIG (1u << 4)
#define CAP_MEAS_MASK (3u << 3)
#define CAP_MEAS_FRESH (1u << 5)
#define CAP_MAC (1u << 7)
#define CAP_MUT_AUTH (1u << 8)
#define CAP_KEY_EX (1u << 9)
#define CAP_PSK_ONLY (1u << 10)		/* PSK_CAP 01b */
#define CAP_PSK_MASK (3u << 10)
#define CAP_HANDSHAKE_IN_CLEAR (1u << 15)
#define CAP_PUB_KEY_ID (1u << 16)
#define CAP_ALIAS_CERT (1u << 18)	/* 1.2 */
#define CAP_CSR (1u << 20)
#define CAP_CERT_INSTALL_RESET (1u << 21)
#define CAP_EP_INFO_MASK (3u << 22)	/* 1.3 */
#define CAP_EVENT (1u << 25)
#define CAP_MULTI_KEY_ONLY (1u << 26)	/* MULTI_KEY_CAP 01b */
#define CAP_MULTI_KEY_MASK (3u << 26)
#define CAP_MULTI_KEY_NEG (2u << 26)	/* MULTI_KEY_CAP 10b */
#define CAP_GET_KEY_PAIR_INFO (1u << 28)
/* DSP0274 1.3.0 KeyUsageMask: key exchange, challenge, measurements, endpoint info */
#define KEY_USAGE_ALL 0x000f
#define KEY_USAGE_CHALLENGE (1u << 1)
#define KEY_USAGE_MEASUREMENT (1u << 2)

/* A signature algorithm: its BaseAsymAlgo bit and the PKI directory it uses. */
struct asym_alg {
	const char *name;	/* command-line name */
	const char *pki;	/* tests/pki/ algorithm directory */
	u32 bit;		/* DSP0274 1.3.0 Table 15 BaseAsymAlgo */
	bool pss;
	size_t sig_len;
};

struct hash_alg {
	const char *name;
	u32 bit;		/* BaseHashAlgo */
	u32 meas_bit;		/* MeasurementHashAlgo */
	const char *md;		/* OpenSSL digest name */
	size_t len;
};

struct slot {
	bool present;
	const struct asym_alg *alg;
	u8 *certs;		/* concatenated DER certificates, root first */
	size_t certs_len;
	EVP_PKEY *key;
};

/* Growable byte buffer: transcripts and responses. */
struct buf {
	u8 *data;
	size_t len;
	size_t cap;
};

struct fault;

struct config {
	int port;
	bool verbose;
	const char *pki;
	u8 versions[4];		/* offered, 0x10 .. 0x13 */
	int nversions;
	const struct asym_alg *asym[8];	/* offered, in order of preference */
	int nasym;
	const struct hash_alg *hash[3];	/* offered, in order of preference */
	int nhash;
	u32 caps;
	u8 ct_exponent;
	u32 transfer_size;	/* DataTransferSize and MaxSPDMmsgSize, 1.2+ */
	u32 cert_portion;	/* largest CERTIFICATE portion we send */
	struct slot slots[NSLOTS];
	int switch_after;	/* GET_VERSIONs before slot 0 becomes switch_slot, 0: never */
	struct slot switch_slot;
	u16 key_usage[NSLOTS];	/* multi-key KeyUsageMask, 0: challenge and measurements */
	u8 cert_model[NSLOTS];	/* multi-key CertificateInfo, 0: DeviceCert model */
	const char *meas[MAX_MEAS];
	int nmeas;
	struct fault *faults;
	int nfaults;
};

extern struct config cfg;

/* algorithms.c */
const struct asym_alg *asym_by_name(const char *name);
const struct asym_alg *asym_by_key(EVP_PKEY *key, bool pss);
const struct hash_alg *hash_by_name(const char *name);
int sign_message(EVP_PKEY *key, const struct asym_alg *alg, const struct hash_alg *hash,
		 const u8 *msg, size_t len, u8 *sig);
int digest(const struct hash_alg *hash, const u8 *data, size_t len, u8 *out);
int load_slot(struct slot *slot, const char *dir, bool pss);

/* buf.c */
void buf_put(struct buf *b, const void *data, size_t len);
void buf_put8(struct buf *b, u8 v);
void buf_put16(struct buf *b, u16 v);
void buf_put32(struct buf *b, u32 v);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* transport.c */
void serve_connection(int fd, int id);

/* spdm.c: one connection's SPDM state machine */
struct session;
struct session *session_new(int id);
void session_free(struct session *s);
/*
 * Handle one SPDM request; fills @rsp. Returns 0 to send @rsp, 1 to stay
 * silent forever (hang), 2 to reset the connection.
 */
int session_handle(struct session *s, const u8 *req, size_t len, struct buf *rsp);

/* log */
void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *code_name(u8 code);

#endif /* RESPONDER_H */
