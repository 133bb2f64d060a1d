/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private definitions of the portable SPDM requester: message layouts
 * (DSP0274), the per-responder state and the helpers the request files
 * share. Nothing here is visible to users of spdm.h.
 */
#ifndef _SPDM_INTERNAL_H_
#define _SPDM_INTERNAL_H_

#include "spdm.h"
#include "spdm-env.h"

/* DSP0274 1.3.0 §9 SPDMVersion byte: major in bits 7:4, minor in 3:0 */
#define SPDM_VER_10 0x10
#define SPDM_VER_11 0x11
#define SPDM_VER_12 0x12
#define SPDM_VER_13 0x13
#define SPDM_VER_MIN SPDM_VER_10
#define SPDM_VER_MAX SPDM_VER_13

/* DSP0274 1.3.0 Table 4 "SPDM request codes" / Table 5 "response codes" */
#define SPDM_GET_DIGESTS 0x81
#define SPDM_GET_CERTIFICATE 0x82
#define SPDM_CHALLENGE 0x83
#define SPDM_GET_VERSION 0x84
#define SPDM_GET_MEASUREMENTS 0xe0
#define SPDM_GET_CAPABILITIES 0xe1
#define SPDM_NEGOTIATE_ALGORITHMS 0xe3
#define SPDM_GET_KEY_PAIR_INFO 0xfc		/* 1.3 */
#define SPDM_RESPOND_IF_READY 0xff

#define SPDM_DIGESTS 0x01
#define SPDM_CERTIFICATE 0x02
#define SPDM_CHALLENGE_AUTH 0x03
#define SPDM_VERSION 0x04
#define SPDM_MEASUREMENTS 0x60
#define SPDM_CAPABILITIES 0x61
#define SPDM_ALGORITHMS 0x63
#define SPDM_KEY_PAIR_INFO 0x7c			/* 1.3 */
#define SPDM_ERROR 0x7f

/* DSP0274 1.3.0 Table 58 "Error code and error data" */
#define SPDM_ERR_INVALID_REQUEST 0x01
#define SPDM_ERR_INVALID_SESSION 0x02	/* 1.1, deprecated 1.2 */
#define SPDM_ERR_BUSY 0x03
#define SPDM_ERR_UNEXPECTED_REQUEST 0x04
#define SPDM_ERR_UNSPECIFIED 0x05
#define SPDM_ERR_DECRYPT_ERROR 0x06	/* 1.1 */
#define SPDM_ERR_UNSUPPORTED_REQUEST 0x07
#define SPDM_ERR_REQUEST_IN_FLIGHT 0x08	/* 1.1 */
#define SPDM_ERR_INVALID_RESPONSE_CODE 0x09	/* 1.1 */
#define SPDM_ERR_SESSION_LIMIT_EXCEEDED 0x0a	/* 1.1 */
#define SPDM_ERR_SESSION_REQUIRED 0x0b	/* 1.2 */
#define SPDM_ERR_RESET_REQUIRED 0x0c	/* 1.2 */
#define SPDM_ERR_RESPONSE_TOO_LARGE 0x0d	/* 1.2 */
#define SPDM_ERR_REQUEST_TOO_LARGE 0x0e	/* 1.2 */
#define SPDM_ERR_LARGE_RESPONSE 0x0f	/* 1.2 */
#define SPDM_ERR_MESSAGE_LOST 0x10	/* 1.2 */
#define SPDM_ERR_INVALID_POLICY 0x11	/* 1.3 */
#define SPDM_ERR_VERSION_MISMATCH 0x41
#define SPDM_ERR_RESPONSE_NOT_READY 0x42
#define SPDM_ERR_REQUEST_RESYNCH 0x43
#define SPDM_ERR_OPERATION_FAILED 0x44	/* 1.3 */
#define SPDM_ERR_NO_PENDING_REQUESTS 0x45	/* 1.3 */
#define SPDM_ERR_VENDOR_DEFINED 0xff

/* DSP0274 1.3.0 Table 11 CAPABILITIES Flags (responder) */
#define SPDM_CAP_CERT BIT(1)
#define SPDM_CAP_CHAL BIT(2)
#define SPDM_CAP_MEAS_NO_SIG BIT(3)
#define SPDM_CAP_MEAS_SIG BIT(4)
#define SPDM_CAP_MEAS_MASK (SPDM_CAP_MEAS_NO_SIG | SPDM_CAP_MEAS_SIG)
#define SPDM_CAP_MEAS_FRESH BIT(5)
/* 1.1 */
#define SPDM_CAP_ENCRYPT BIT(6)
#define SPDM_CAP_MAC BIT(7)
#define SPDM_CAP_MUT_AUTH BIT(8)
#define SPDM_CAP_KEY_EX BIT(9)
#define SPDM_CAP_PSK_MASK (BIT(10) | BIT(11))
#define SPDM_CAP_ENCAP BIT(12)
#define SPDM_CAP_HBEAT BIT(13)
#define SPDM_CAP_KEY_UPD BIT(14)
#define SPDM_CAP_HANDSHAKE_IN_CLEAR BIT(15)
#define SPDM_CAP_PUB_KEY_ID BIT(16)
/* 1.2 */
#define SPDM_CAP_CHUNK BIT(17)
#define SPDM_CAP_ALIAS_CERT BIT(18)
#define SPDM_CAP_SET_CERT BIT(19)
#define SPDM_CAP_CSR BIT(20)
#define SPDM_CAP_CERT_INSTALL_RESET BIT(21)
/* 1.3 */
#define SPDM_CAP_EP_INFO_MASK (BIT(22) | BIT(23))
#define SPDM_CAP_EP_INFO_SIG BIT(23)		/* EP_INFO_CAP 10b */
#define SPDM_CAP_MEL BIT(24)
#define SPDM_CAP_EVENT BIT(25)
#define SPDM_CAP_MULTI_KEY_MASK (BIT(26) | BIT(27))
#define SPDM_CAP_MULTI_KEY_ONLY BIT(26)		/* MULTI_KEY_CAP 01b */
#define SPDM_CAP_MULTI_KEY_NEG BIT(27)		/* MULTI_KEY_CAP 10b */
#define SPDM_CAP_GET_KEY_PAIR_INFO BIT(28)
#define SPDM_CAP_SET_KEY_PAIR_INFO BIT(29)
/* Flags each version defines; the others are reserved and ignored. */
#define SPDM_CAPS_10 GENMASK(5, 0)
#define SPDM_CAPS_11 GENMASK(16, 0)
#define SPDM_CAPS_12 GENMASK(21, 0)
#define SPDM_CAPS_13 GENMASK(29, 0)

/* DSP0274 1.3.0 Table 15 BaseAsymAlgo */
#define SPDM_ASYM_RSASSA_2048 BIT(0)
#define SPDM_ASYM_RSAPSS_2048 BIT(1)
#define SPDM_ASYM_RSASSA_3072 BIT(2)
#define SPDM_ASYM_RSAPSS_3072 BIT(3)
#define SPDM_ASYM_ECDSA_P256 BIT(4)
#define SPDM_ASYM_RSASSA_4096 BIT(5)
#define SPDM_ASYM_RSAPSS_4096 BIT(6)
#define SPDM_ASYM_ECDSA_P384 BIT(7)
#define SPDM_ASYM_ECDSA_P521 BIT(8)

/* DSP0274 1.3.0 Table 15 BaseHashAlgo */
#define SPDM_HASH_SHA256 BIT(0)
#define SPDM_HASH_SHA384 BIT(1)
#define SPDM_HASH_SHA512 BIT(2)

/* DSP0274 1.3.0 Table 16 MeasurementHashAlgo: raw bit stream, SHA-2, SHA-3, SM3 */
#define SPDM_MEAS_HASH_KNOWN 0xff
/* DSP0274 1.3.0 Table 15 MeasurementSpecification */
#define SPDM_MEAS_SPEC_DMTF BIT(0)
/* DSP0274 1.2.0 Table 15 OtherParamsSupport: OpaqueDataFmt1 */
#define SPDM_OPAQUE_FMT1 BIT(1)
/* DSP0274 1.3.0 Table 15 OtherParamsSupport: MULTI_KEY_CONN */
#define SPDM_MULTI_KEY_CONN BIT(5)

/* DSP0274 1.3.0 DIGESTS CertificateInfo: CertModel in bits 2:0 */
#define SPDM_CERT_INFO_MODEL_MASK 0x07
/* DSP0274 1.3.0 KeyUsageMask */
#define SPDM_KEY_USAGE_KEY_EX BIT(0)
#define SPDM_KEY_USAGE_CHALLENGE BIT(1)
#define SPDM_KEY_USAGE_MEASUREMENT BIT(2)
#define SPDM_KEY_USAGE_ENDPOINT_INFO BIT(3)

/* Sizes fixed by DSP0274 */
#define SPDM_NONCE_SIZE 32
#define SPDM_REQ_CONTEXT_SIZE 8		/* 1.3 RequesterContext */
#define SPDM_MAX_SLOTS 8
#define SPDM_MAX_OPAQUE 1024		/* DSP0274 1.2.0 §10.5 OpaqueDataLength */
#define SPDM_MAX_CHAIN 65535		/* chain Length is a u16 */
#define SPDM_MAX_HASH 64
#define SPDM_MAX_SIG 512		/* RSA-4096 */
#define SPDM_MIN_TRANSFER_12 42		/* DSP0274 1.2.0 MinDataTransferSize */
#define SPDM_MAX_VERSION_ENTRIES 255

/* DSP0274 1.2.0 §15 signature generation: combined SPDM prefix */
#define SPDM_PREFIX_VERSION_LEN 16	/* "dmtf-spdm-v1.2.*" */
#define SPDM_PREFIX_CONTEXT_LEN 36	/* zero pad + context string */
#define SPDM_PREFIX_LEN (4 * SPDM_PREFIX_VERSION_LEN + SPDM_PREFIX_CONTEXT_LEN)
#define SPDM_CONTEXT_CHALLENGE_AUTH "responder-challenge_auth signing"
#define SPDM_CONTEXT_MEASUREMENTS "responder-measurements signing"

/*
 * Transport padding tolerated after the SPDM message: pci_doe() returns
 * whole dwords, so up to 3 bytes follow a message of any length.
 */
#define SPDM_MAX_PAD 3

/* Bounds of the requester's own patience */
#define SPDM_BUSY_RETRIES 3
#define SPDM_BUSY_DELAY_US 10000
#define SPDM_NOT_READY_RETRIES 8
#define SPDM_NOT_READY_MAX_EXP 20	/* 2^20 us ≈ 1 s for one wait */
#define SPDM_NOT_READY_TOTAL_US 2000000
#define SPDM_MAX_CERTS 32		/* certificates in one chain */
#define SPDM_CERT_CHUNK_PRE_12 1024	/* GET_CERTIFICATE Length before 1.2 */
#define SPDM_MIN_BUF 512
#define SPDM_MAX_BUF (16 * 1024 * 1024)
#define SPDM_DEFAULT_BUF 4096
/*
 * Bound of one transcript, what one authentication may make the requester
 * hold (DSP0274 1.3.0 §10.8.1 Table 40: M1/M2 = A || B || C, the same
 * messages from 1.0 on). A legal A (VCA) and C (CHALLENGE, CHALLENGE_AUTH
 * with 1024 bytes of opaque data) are below 4 KiB; B is GET_DIGESTS,
 * DIGESTS and every GET_CERTIFICATE/CERTIFICATE exchanged, which for eight
 * 64 KiB chains is 512 KiB plus 16 bytes of request and header a portion.
 * The bound lets a chain byte cost one more byte (portions of 16 bytes or
 * more on average, any size for smaller chains) and leaves 64 KiB for A,
 * DIGESTS and C; a responder that needs more (eight large chains in tiny
 * portions) fails with -EMSGSIZE instead of pinning megabytes.
 */
#define SPDM_MAX_TRANSCRIPT (SPDM_MAX_SLOTS * 2 * (SPDM_MAX_CHAIN + 1) + 64 * 1024)
/*
 * Exchanges one authentication may run, retries included: a legal run
 * within SPDM_MAX_TRANSCRIPT needs at most one exchange per 17 transcript
 * bytes (1-byte CERTIFICATE portions), about 65000.
 */
#define SPDM_MAX_EXCHANGES 65536

struct spdm_header {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
} __packed;

/* DSP0274 1.3.0 §10.3 VERSION */
struct spdm_version_rsp {
	struct spdm_header hdr;
	u8 reserved;
	u8 entry_count;
	__le16 entries[];
} __packed;

/* DSP0274 1.3.0 §10.4 GET_CAPABILITIES / CAPABILITIES */
struct spdm_capabilities {
	struct spdm_header hdr;
	u8 reserved1;			/* 1.1 for the request */
	u8 ct_exponent;
	__le16 reserved2;
	__le32 flags;
	/* End of SPDM 1.0 response and of SPDM 1.1 request and response */
	__le32 data_transfer_size;	/* 1.2 */
	__le32 max_spdm_msg_size;	/* 1.2 */
} __packed;

/* DSP0274 1.3.0 §10.5 NEGOTIATE_ALGORITHMS */
struct spdm_negotiate_algs_req {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec;
	u8 other_params;		/* 1.2 */
	__le32 base_asym;
	__le32 base_hash;
	u8 reserved1[12];
	u8 ext_asym_count;
	u8 ext_hash_count;
	u8 reserved2;
	u8 mel_spec;			/* 1.3 */
} __packed;

struct spdm_algs_rsp {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec_sel;
	u8 other_params_sel;		/* 1.2 */
	__le32 meas_hash_algo;
	__le32 base_asym_sel;
	__le32 base_hash_sel;
	u8 reserved1[11];
	u8 mel_spec_sel;		/* 1.3 */
	u8 ext_asym_sel_count;
	u8 ext_hash_sel_count;
	__le16 reserved2;
} __packed;

/* 1.1 AlgStructure: AlgType, AlgCount (fixed bytes in 7:4, ext count in 3:0) */
struct spdm_alg_struct {
	u8 type;
	u8 count;
} __packed;

/* DSP0274 1.3.0 GET_KEY_PAIR_INFO / KEY_PAIR_INFO request and response tables */
struct spdm_get_key_pair_info_req {
	struct spdm_header hdr;
	u8 key_pair_id;
} __packed;

struct spdm_key_pair_info_rsp {
	struct spdm_header hdr;
	u8 total_key_pairs;
	u8 key_pair_id;
	__le16 capabilities;
	__le16 key_usage_capabilities;
	__le16 current_key_usage;
	__le32 asym_algo_capabilities;
	__le32 current_asym_algo;
	__le16 public_key_info_len;
	u8 assoc_cert_slot_mask;
	/* PublicKeyInfo */
} __packed;

/* DSP0274 1.3.0 §10.7 GET_CERTIFICATE / CERTIFICATE */
struct spdm_get_certificate_req {
	struct spdm_header hdr;
	__le16 offset;
	__le16 length;
} __packed;

struct spdm_certificate_rsp {
	struct spdm_header hdr;
	__le16 portion_length;
	__le16 remainder_length;
	u8 portion[];
} __packed;

/* DSP0274 1.3.0 §10.7.1 certificate chain format */
struct spdm_chain_header {
	__le16 length;
	__le16 reserved;
	/* RootHash, then DER certificates */
} __packed;

/* DSP0274 1.3.0 §10.8 CHALLENGE */
struct spdm_challenge_req {
	struct spdm_header hdr;
	u8 nonce[SPDM_NONCE_SIZE];
	/* End of SPDM 1.2 structure */
	u8 context[SPDM_REQ_CONTEXT_SIZE];	/* 1.3 */
} __packed;

/* DSP0274 1.3.0 §10.11 GET_MEASUREMENTS (signature requested) */
struct spdm_get_measurements_req {
	struct spdm_header hdr;
	u8 nonce[SPDM_NONCE_SIZE];
	/* End of SPDM 1.0 structure */
	u8 slot_id;				/* 1.1 */
	/* End of SPDM 1.2 structure */
	u8 context[SPDM_REQ_CONTEXT_SIZE];	/* 1.3 */
} __packed;

#define SPDM_MEAS_ATTR_SIGNATURE BIT(0)
#define SPDM_MEAS_OP_ALL 0xff

struct spdm_measurements_rsp {
	struct spdm_header hdr;
	u8 num_blocks;
	u8 record_length[3];
} __packed;

struct spdm_meas_block {
	u8 index;
	u8 spec;
	__le16 size;
} __packed;

/* DSP0274 1.3.0 Table 54 DMTF measurement specification format */
struct spdm_meas_dmtf {
	u8 value_type;
	__le16 value_size;
} __packed;

/* DSP0274 1.3.0 §10.11: block indices 0 and 0xff are reserved */
#define SPDM_MEAS_INDEX_RESERVED_LOW 0x00
#define SPDM_MEAS_INDEX_RESERVED_HIGH 0xff

/* DSP0274 1.3.0 §10.12 ERROR, ResponseNotReady extended data */
struct spdm_error_not_ready {
	struct spdm_header hdr;
	u8 rdt_exponent;
	u8 request_code;
	u8 token;
	u8 rdtm;
} __packed;

/* Largest request this requester sends. */
#define SPDM_REQ_MAX 48
static_assert(sizeof(struct spdm_get_key_pair_info_req) <= SPDM_REQ_MAX);
static_assert(sizeof(struct spdm_negotiate_algs_req) <= SPDM_REQ_MAX);
static_assert(sizeof(struct spdm_challenge_req) <= SPDM_REQ_MAX);
static_assert(sizeof(struct spdm_get_measurements_req) <= SPDM_REQ_MAX);
static_assert(sizeof(struct spdm_capabilities) <= SPDM_REQ_MAX);

/**
 * struct spdm_transcript - growing record of the exact bytes exchanged
 * @data: the bytes
 * @len: bytes used
 * @cap: bytes allocated
 */
struct spdm_transcript {
	u8 *data;
	size_t len;
	size_t cap;
};

/**
 * struct spdm_slot - one certificate slot of the responder
 * @digest: digest DIGESTS reported for it (valid for @digest_alg)
 * @digest_alg: BaseHashAlgo @digest was computed with, 0 if none
 * @chain: the chain as fetched (header included), kept across
 *         authentications so an unchanged digest skips GET_CERTIFICATE
 * @chain_len: its length
 * @chain_digest: hash of @chain with @chain_alg, for the cache lookup
 * @chain_alg: BaseHashAlgo of @chain_digest; 0 when @chain is unset
 * @leaf: the parsed leaf certificate of @chain
 * @cert_model: certificate model of this authentication, SPDM_CERT_INFO_MODEL_*
 * @chain_model: the model @chain was checked under
 * @key_pair_id: 1.3 multi-key DIGESTS KeyPairID, 0 otherwise
 * @key_usage: 1.3 multi-key DIGESTS KeyUsageMask, 0 otherwise
 */
struct spdm_slot {
	u8 digest[SPDM_MAX_HASH];
	u32 digest_alg;
	u8 *chain;
	size_t chain_len;
	u8 chain_digest[SPDM_MAX_HASH];
	u32 chain_alg;
	struct spdm_env_cert *leaf;
	u8 cert_model;
	u8 chain_model;
	u8 key_pair_id;
	u16 key_usage;
};

/**
 * struct spdm_state - one requester talking to one responder
 * @cfg: configuration from spdm_create()
 * @req: request being sent
 * @rsp: receive buffer, @rsp_cap bytes; sized for the largest response
 *       accepted so that a full buffer means possible truncation
 * @rsp_cap: its size
 * @version: negotiated version
 * @rsp_caps: responder's CAPABILITIES flags
 * @rsp_transfer_size: responder's DataTransferSize (1.2+), else 0
 * @multi_key: 1.3 multi-key connection (the responder's MULTI_KEY_CAP is
 *             01b or 10b, and the requester asked for it)
 * @base_asym: negotiated BaseAsymAlgo bit
 * @base_hash: negotiated BaseHashAlgo bit
 * @meas_hash: negotiated MeasurementHashAlgo bit, 0 without measurements
 * @hash_len: digest size of @base_hash
 * @sig_len: signature size of @base_asym
 * @transcript: A, B and C as exchanged (what CHALLENGE_AUTH signs)
 * @vca_len: length of A (VCA) at the start of @transcript
 * @meas_transcript: L1/L2 for the signed MEASUREMENTS
 * @slot_mask: provisioned slots from DIGESTS
 * @slots: per-slot digests and cached chains
 * @nonce: requester nonce of this authentication
 * @context: 1.3 RequesterContext of this authentication
 * @signature: CHALLENGE_AUTH signature
 * @meas_signature: MEASUREMENTS signature
 * @meas: copy of the measurement record
 * @meas_len: its length
 * @resynch: the responder asked for RequestResynch
 * @deadline_ns: spdm_env_time_ns() after which no exchange starts
 * @exchanges: exchanges started by this authentication (retries included)
 * @evidence: what spdm_get_evidence() returns
 */
struct spdm_state {
	struct spdm_config cfg;
	u8 req[SPDM_REQ_MAX];
	u8 *rsp;
	size_t rsp_cap;

	u8 version;
	u32 rsp_caps;
	u32 rsp_transfer_size;
	bool multi_key;
	u32 base_asym;
	u32 base_hash;
	u32 meas_hash;
	size_t hash_len;
	size_t sig_len;

	struct spdm_transcript transcript;
	size_t vca_len;
	struct spdm_transcript meas_transcript;

	u8 slot_mask;
	struct spdm_slot slots[SPDM_MAX_SLOTS];

	u8 nonce[SPDM_NONCE_SIZE];
	u8 context[SPDM_REQ_CONTEXT_SIZE];
	u8 signature[SPDM_MAX_SIG];
	u8 meas_signature[SPDM_MAX_SIG];
	u8 *meas;
	size_t meas_len;
	bool resynch;
	u64 deadline_ns;
	unsigned int exchanges;

	struct spdm_evidence evidence;
};

/*
 * A response parser: validates @rsp (@len bytes received, header already
 * checked) and returns the length of the SPDM message it found, or a
 * negative errno. Nothing is recorded before it succeeds.
 */
typedef ssize_t (*spdm_parse_fn)(struct spdm_state *st, const u8 *rsp,
				 size_t len, void *ctx);

/**
 * struct spdm_xfer - one request/response exchange
 * @req_len: length of the request in spdm_state.req
 * @rsp_code: response code expected
 * @parse: parser of the response
 * @ctx: passed to @parse
 * @log: transcript the request and response are appended to, or NULL
 * @unsigned_tail: bytes at the end of the response kept out of @log (the
 *                 signature)
 * @rsp_off: set to the offset in @log at which the response was recorded
 */
struct spdm_xfer {
	size_t req_len;
	u8 rsp_code;
	spdm_parse_fn parse;
	void *ctx;
	struct spdm_transcript *log;
	size_t unsigned_tail;
	size_t rsp_off;
};

#define spdm_err(st, fmt, ...) spdm_env_err((st)->cfg.name, fmt, ##__VA_ARGS__)
#define spdm_dbg(st, fmt, ...) spdm_env_dbg((st)->cfg.name, fmt, ##__VA_ARGS__)

static inline bool spdm_one_bit(u32 x)
{
	return x && !(x & (x - 1));
}

static inline unsigned int spdm_bit_count(u32 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static inline void spdm_header_init(struct spdm_state *st, u8 version, u8 code,
				    u8 param1, u8 param2)
{
	struct spdm_header *hdr = (struct spdm_header *)st->req;

	hdr->version = version;
	hdr->code = code;
	hdr->param1 = param1;
	hdr->param2 = param2;
}

/**
 * struct spdm_cert_ctx - GET_CERTIFICATE exchange being parsed
 * @slot: slot requested
 * @offset: Offset requested
 * @length: Length requested
 * @total: chain length learnt from the first response, 0 before it
 * @portion: PortionLength of the response (out)
 */
struct spdm_cert_ctx {
	u8 slot;
	u16 offset;
	u16 length;
	size_t total;
	u16 portion;
};

/**
 * struct spdm_signed_ctx - CHALLENGE_AUTH or MEASUREMENTS being parsed
 * @slot: slot requested
 * @data_off: offset of CertChainHash (CHALLENGE_AUTH) or of the
 *            measurement record (MEASUREMENTS) (out)
 * @data_len: its length (out)
 * @nonce_off: offset of the responder nonce (out)
 * @sig_off: offset of the signature (out)
 */
struct spdm_signed_ctx {
	u8 slot;
	size_t data_off;
	size_t data_len;
	size_t nonce_off;
	size_t sig_off;
};

/* core.c */
int spdm_exchange(struct spdm_state *st, struct spdm_xfer *x);
int spdm_error_to_errno(u8 code);
ssize_t spdm_check_tail(struct spdm_state *st, size_t msg_len, size_t len);

/* transcript.c */
int spdm_transcript_append(struct spdm_transcript *t, const u8 *data, size_t len);
void spdm_transcript_reset(struct spdm_transcript *t);
void spdm_transcript_free(struct spdm_transcript *t);

/* alg-names.c */
void spdm_asym_names(u32 mask, char *buf, size_t size);
void spdm_hash_names(u32 mask, char *buf, size_t size);

/* signature.c */
size_t spdm_asym_sig_len(u32 base_asym);
int spdm_build_prefix(u8 version, const char *context, size_t context_len,
		      u8 *prefix);
int spdm_verify_transcript(const struct spdm_env_cert *leaf, u8 version,
			   u32 base_asym, u32 base_hash, const char *context,
			   size_t context_len, const u8 *transcript, size_t len,
			   const u8 *sig, size_t sig_len);

/* chain.c */
int spdm_der_cert_len(const u8 *der, size_t avail, size_t *cert_len);
int spdm_chain_validate(struct spdm_state *st, u8 slot, const u8 *chain,
			size_t len, struct spdm_env_cert **leaf);

/* cert-model.c */
int spdm_cert_model_check(struct spdm_state *st, u8 slot, u8 model,
			  const u8 *leaf, size_t len);

/* request files */
int spdm_get_version(struct spdm_state *st);
int spdm_get_capabilities(struct spdm_state *st);
int spdm_negotiate_algorithms(struct spdm_state *st);
int spdm_get_digests(struct spdm_state *st);
int spdm_get_certificate(struct spdm_state *st, u8 slot);
int spdm_challenge(struct spdm_state *st, u8 slot);
int spdm_get_measurements(struct spdm_state *st, u8 slot);
int spdm_get_key_pair_info(struct spdm_state *st, u8 slot);

/* response parsers, exported for the fuzz harnesses */
ssize_t spdm_parse_version(struct spdm_state *st, const u8 *rsp, size_t len,
			   void *ctx);
ssize_t spdm_parse_capabilities(struct spdm_state *st, const u8 *rsp,
				size_t len, void *ctx);
ssize_t spdm_parse_algorithms(struct spdm_state *st, const u8 *rsp, size_t len,
			      void *ctx);
ssize_t spdm_parse_digests(struct spdm_state *st, const u8 *rsp, size_t len,
			   void *ctx);
ssize_t spdm_parse_key_pair_info(struct spdm_state *st, const u8 *rsp,
				 size_t len, void *ctx);
ssize_t spdm_parse_certificate(struct spdm_state *st, const u8 *rsp, size_t len,
			       void *ctx);
ssize_t spdm_parse_signed_tail(struct spdm_state *st, const u8 *rsp,
			       size_t len, size_t off, struct spdm_signed_ctx *c);
ssize_t spdm_parse_challenge_auth(struct spdm_state *st, const u8 *rsp,
				  size_t len, void *ctx);
ssize_t spdm_parse_measurements(struct spdm_state *st, const u8 *rsp,
				size_t len, void *ctx);

#endif /* _SPDM_INTERNAL_H_ */
