/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Public interface of the SPDM requester library (DMTF DSP0274).
 *
 * The library is transport-agnostic and portable: the same protocol files build
 * into the kernel module and into a user-space static library. This header is
 * what its users (the PCI CMA driver, user-space tools and tests) see. It
 * compiles on its own: the fixed-width types (u8 … u64, size_t, ssize_t,
 * bool) come from "spdm-types.h", which each build provides. The
 * environment interface (spdm-env.h) is private to the library.
 */
#ifndef _SPDM_H_
#define _SPDM_H_

#include "spdm-types.h"

struct spdm_state;

/**
 * typedef spdm_transport_fn - send one request, receive its response
 * @priv: the transport's private data given to spdm_create()
 * @req: request message (SPDM header onwards)
 * @req_sz: request size in bytes
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp, at least the largest legal response
 *
 * Return: number of response bytes received, or a negative errno. A transport
 * may return trailing pad bytes (DOE rounds to dwords) and may silently
 * truncate a response that does not fit (a return equal to @rsp_sz is
 * therefore treated as possibly truncated).
 */
typedef ssize_t (*spdm_transport_fn)(void *priv, const void *req, size_t req_sz,
				     void *rsp, size_t rsp_sz);

/**
 * struct spdm_exchange_info - what one request/response exchange did
 * @req_code: request code (e.g. 0x84 GET_VERSION)
 * @rsp_code: response code, 0 when no response was received
 * @req: request bytes
 * @req_len: request length
 * @rsp: response bytes (NULL when none)
 * @rsp_len: response length as returned by the transport (0 when none)
 * @duration_ns: wall time of the exchange
 * @result: 0, or the negative errno the exchange ended with
 */
struct spdm_exchange_info {
	u8 req_code;
	u8 rsp_code;
	const u8 *req;
	size_t req_len;
	const u8 *rsp;
	size_t rsp_len;
	u64 duration_ns;
	int result;
};

/* Called after every exchange; the tracepoints hang off it. */
typedef void (*spdm_exchange_hook_fn)(void *priv,
				      const struct spdm_exchange_info *info);

/**
 * struct spdm_config - how to talk to one responder
 * @name: name used in log messages (device name)
 * @transport: transport callback
 * @transport_priv: passed to @transport and @exchange_hook
 * @max_msg_size: largest message the transport carries in one exchange
 * @min_version: lowest SPDM version accepted (0x10 = 1.0 … 0x13 = 1.3)
 * @exchange_hook: optional per-exchange callback
 * @auth_timeout_ms: deadline of one spdm_authenticate() in milliseconds,
 *                   0 for %SPDM_AUTH_TIMEOUT_DEFAULT_MS; checked before
 *                   every exchange, so a run ends at most one exchange
 *                   (itself bounded) after it
 */
struct spdm_config {
	const char *name;
	spdm_transport_fn transport;
	void *transport_priv;
	size_t max_msg_size;
	u8 min_version;
	spdm_exchange_hook_fn exchange_hook;
	unsigned int auth_timeout_ms;
};

/*
 * Default deadline of one authentication: generous for any device that
 * merely is slow (eight full 64 KiB chains in 1 KiB portions at 50 ms an
 * exchange take 26 s), short enough that a device feeding the requester
 * tiny certificate portions cannot hold a worker for hours.
 */
#define SPDM_AUTH_TIMEOUT_DEFAULT_MS 30000

/*
 * Certificate models (DSP0274 1.3.0 Table "CertificateInfo" CertModel):
 * the model of each provisioned slot, from DIGESTS in a 1.3 multi-key
 * connection, else from ALIAS_CERT_CAP (1.2+).
 */
#define SPDM_CERT_INFO_MODEL_NONE 0
#define SPDM_CERT_INFO_MODEL_DEVICE 1
#define SPDM_CERT_INFO_MODEL_ALIAS 2
#define SPDM_CERT_INFO_MODEL_GENERIC 3

/**
 * struct spdm_evidence - what the last authentication saw, for re-verification
 *
 * Pointers stay valid until the next spdm_authenticate() or spdm_destroy()
 * on the same state; callers serialise those against readers.
 *
 * @version: negotiated version (0x10 … 0x13)
 * @base_asym_alg: negotiated BaseAsymAlgo bit (DSP0274 table "BaseAsymAlgo")
 * @base_hash_alg: negotiated BaseHashAlgo bit
 * @meas_hash_alg: negotiated MeasurementHashAlgo bit, 0 if none
 * @slot_mask: slots the responder reported provisioned (DIGESTS)
 * @slot: slot used for CHALLENGE
 * @meas_slot: slot used for the signed MEASUREMENTS (valid with @meas)
 * @multi_key: a 1.3 multi-key connection
 * @key_pair_id: KeyPairID of @slot (multi-key), 0 otherwise
 * @key_usage: KeyUsageMask of @slot (multi-key, DSP0274 1.3.0 bit 0 key
 *             exchange, 1 challenge, 2 measurements, 3 endpoint info), 0
 *             otherwise
 * @total_key_pairs: TotalKeyPairs of KEY_PAIR_INFO (multi-key), 0 otherwise
 * @chain: certificate chain per slot as fetched (SPDM chain header included)
 * @chain_len: length of each @chain, 0 when not fetched
 * @cert_model: certificate model of each provisioned slot
 *              (%SPDM_CERT_INFO_MODEL_*), %SPDM_CERT_INFO_MODEL_NONE for the others
 * @transcript: exactly the bytes the CHALLENGE_AUTH signature covers, in
 *              order (A = VCA, B = digests/certificates, C = CHALLENGE and
 *              CHALLENGE_AUTH up to, not including, the signature); for 1.2+
 *              the signed message is the combined prefix plus its hash
 * @transcript_len: its length
 * @signature: the CHALLENGE_AUTH signature, raw as sent by the responder
 * @signature_len: its length
 * @nonce: the requester nonce of the attempt (CHALLENGE and the signed
 *         GET_MEASUREMENTS), the requester's own copy
 * @has_nonce: @nonce is set (the attempt got as far as choosing it)
 * @req_nonce_off: offset of the requester's nonce in @transcript
 * @rsp_nonce_off: offset of the responder's nonce in @transcript
 * @meas: the signed MEASUREMENTS response's record (blocks), NULL if none
 * @meas_len: its length
 * @meas_transcript: L1/L2 transcript the measurement signature covers
 * @meas_transcript_len: its length
 * @meas_signature: the MEASUREMENTS signature
 * @meas_signature_len: its length
 */
struct spdm_evidence {
	u8 version;
	u32 base_asym_alg;
	u32 base_hash_alg;
	u32 meas_hash_alg;
	u8 slot_mask;
	u8 slot;
	u8 meas_slot;
	bool multi_key;
	u8 key_pair_id;
	u16 key_usage;
	u8 total_key_pairs;
	const u8 *chain[8];
	size_t chain_len[8];
	u8 cert_model[8];
	const u8 *transcript;
	size_t transcript_len;
	const u8 *signature;
	size_t signature_len;
	u8 nonce[32];		/* DSP0274 1.2.1 §10.10 Table 33: Nonce */
	bool has_nonce;
	size_t req_nonce_off;
	size_t rsp_nonce_off;
	const u8 *meas;
	size_t meas_len;
	const u8 *meas_transcript;
	size_t meas_transcript_len;
	const u8 *meas_signature;
	size_t meas_signature_len;
};

struct spdm_state *spdm_create(const struct spdm_config *config);
int spdm_authenticate(struct spdm_state *state, const u8 *nonce);
const struct spdm_evidence *spdm_get_evidence(const struct spdm_state *state);
void spdm_release_evidence(struct spdm_state *state);
void spdm_destroy(struct spdm_state *state);

#endif /* _SPDM_H_ */
