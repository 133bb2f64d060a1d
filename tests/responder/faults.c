// SPDX-License-Identifier: GPL-2.0
/*
 * The fault catalogue and its command-line syntax: --fault NAME[:MSG][,N]
 * where MSG names the request whose response is damaged (version,
 * capabilities, algorithms, digests, certificate, challenge, measurements)
 * and N is a fault-specific number (a length for truncate and oversize).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

#define ANY true
#define FIXED false

static const struct fault_desc catalogue[] = {
	{ "truncate", F_TRUNCATE, SPDM_CHALLENGE, ANY, "-EIO",
	  "response cut to N bytes (default: half of it)" },
	{ "wrong-code", F_WRONG_CODE, SPDM_GET_DIGESTS, ANY, "-EPROTO",
	  "response carries another request's response code" },
	{ "wrong-version", F_WRONG_VERSION, SPDM_GET_CAPABILITIES, ANY, "-EPROTO",
	  "response header carries a version other than the negotiated one" },
	{ "version-count-overflow", F_VERSION_COUNT_OVERFLOW, SPDM_GET_VERSION, FIXED, "-EIO",
	  "VERSION entry count larger than the entries sent" },
	{ "version-zero-entries", F_VERSION_ZERO_ENTRIES, SPDM_GET_VERSION, FIXED, "-EPROTO",
	  "VERSION with zero version entries" },
	{ "version-none-common", F_VERSION_NONE_COMMON, SPDM_GET_VERSION, FIXED,
	  "-EPROTONOSUPPORT", "VERSION offers only 1.5 and 2.0" },
	{ "alg-length-overflow", F_ALG_LENGTH_OVERFLOW, SPDM_NEGOTIATE_ALGORITHMS, FIXED, "-EIO",
	  "ALGORITHMS Length 64 bytes past the end" },
	{ "caps-meas-reserved", F_CAPS_MEAS_RESERVED, SPDM_GET_CAPABILITIES, FIXED, "-EPROTO",
	  "CAPABILITIES with the reserved MEAS_CAP value 3" },
	{ "caps-transfer-tiny", F_CAPS_TRANSFER_TINY, SPDM_GET_CAPABILITIES, FIXED, "-EPROTO",
	  "1.2+ CAPABILITIES DataTransferSize 16, below the minimum of 42" },
	/*
	 * Flag combinations DSP0274 forbids (1.3.0 Table 11 and its notes),
	 * one per rule: the flags reported are the configured ones with
	 * caps_clear cleared and caps_set set. Rules of 1.2+ and 1.3 apply
	 * at the version negotiated by default (1.3).
	 */
#define CAPS_FAULT(name, what, clear, set) \
	{ name, F_CAPS_FORBIDDEN, SPDM_GET_CAPABILITIES, FIXED, "-EPROTO", what, 0, clear, set }
	CAPS_FAULT("caps-cert-and-pub-key-id", "CAPABILITIES with CERT_CAP and PUB_KEY_ID_CAP",
		   0, CAP_PUB_KEY_ID),
	CAPS_FAULT("caps-fresh-without-meas", "CAPABILITIES with MEAS_FRESH_CAP, no MEAS_CAP",
		   CAP_MEAS_MASK, CAP_MEAS_FRESH),
	CAPS_FAULT("caps-psk-reserved", "CAPABILITIES with the reserved PSK_CAP value 3",
		   0, CAP_PSK_MASK | CAP_MAC),
	CAPS_FAULT("caps-key-ex-without-mac", "CAPABILITIES with KEY_EX_CAP, no MAC or ENCRYPT_CAP",
		   0, CAP_KEY_EX),
	CAPS_FAULT("caps-mac-without-session", "CAPABILITIES with MAC_CAP, no KEY_EX or PSK_CAP",
		   0, CAP_MAC),
	CAPS_FAULT("caps-clear-without-key-ex",
		   "CAPABILITIES with HANDSHAKE_IN_THE_CLEAR_CAP and PSK_CAP, no KEY_EX_CAP",
		   0, CAP_PSK_ONLY | CAP_MAC | CAP_HANDSHAKE_IN_CLEAR),
	CAPS_FAULT("caps-cert-unused", "CAPABILITIES with CERT_CAP and nothing that signs",
		   CAP_CHAL | CAP_MEAS_MASK, 0),
	CAPS_FAULT("caps-chal-without-cert", "CAPABILITIES with CHAL_CAP, no CERT or PUB_KEY_ID_CAP",
		   CAP_CERT, 0),
	CAPS_FAULT("caps-mut-auth-without-chal",
		   "CAPABILITIES with MUT_AUTH_CAP, no CHAL or KEY_EX_CAP", CAP_CHAL, CAP_MUT_AUTH),
	CAPS_FAULT("caps-alias-without-cert", "1.2+ CAPABILITIES with ALIAS_CERT_CAP, no CERT_CAP",
		   CAP_CERT, CAP_PUB_KEY_ID | CAP_ALIAS_CERT),
	CAPS_FAULT("caps-csr-without-set-cert", "1.2+ CAPABILITIES with CSR_CAP, no SET_CERT_CAP",
		   0, CAP_CSR),
	CAPS_FAULT("caps-reset-without-csr",
		   "1.2+ CAPABILITIES with CERT_INSTALL_RESET_CAP, no CSR or SET_CERT_CAP",
		   0, CAP_CERT_INSTALL_RESET),
	CAPS_FAULT("caps-ep-info-reserved", "1.3 CAPABILITIES with the reserved EP_INFO_CAP value 3",
		   0, CAP_EP_INFO_MASK),
	CAPS_FAULT("caps-event-without-session", "1.3 CAPABILITIES with EVENT_CAP, no session",
		   0, CAP_EVENT),
	CAPS_FAULT("caps-multi-key-reserved", "1.3 CAPABILITIES with the reserved MULTI_KEY_CAP 3",
		   0, CAP_MULTI_KEY_MASK | CAP_GET_KEY_PAIR_INFO),
	CAPS_FAULT("caps-multi-key-without-info",
		   "1.3 CAPABILITIES with MULTI_KEY_CAP, no GET_KEY_PAIR_INFO_CAP",
		   0, CAP_MULTI_KEY_ONLY),
	CAPS_FAULT("caps-pub-key-id-with-info",
		   "1.3 CAPABILITIES with PUB_KEY_ID_CAP and GET_KEY_PAIR_INFO_CAP",
		   CAP_CERT, CAP_PUB_KEY_ID | CAP_GET_KEY_PAIR_INFO),
#undef CAPS_FAULT
	{ "alg-multiple-meas-hash", F_ALG_MULTIPLE_MEAS_HASH, SPDM_NEGOTIATE_ALGORITHMS, FIXED,
	  "-EPROTO", "ALGORITHMS selects several MeasurementHashAlgo bits" },
	{ "alg-multiple-hash", F_ALG_MULTIPLE_HASH, SPDM_NEGOTIATE_ALGORITHMS, FIXED, "-EPROTO",
	  "ALGORITHMS selects several BaseHashAlgo bits" },
	{ "alg-multiple-asym", F_ALG_MULTIPLE_ASYM, SPDM_NEGOTIATE_ALGORITHMS, FIXED, "-EPROTO",
	  "ALGORITHMS selects several BaseAsymAlgo bits" },
	{ "alg-not-offered", F_ALG_NOT_OFFERED, SPDM_NEGOTIATE_ALGORITHMS, FIXED, "-EPROTO",
	  "ALGORITHMS selects a hash algorithm the requester did not offer" },
	{ "alg-none-common", F_ALG_NONE_COMMON, SPDM_NEGOTIATE_ALGORITHMS, FIXED,
	  "-EPROTONOSUPPORT", "ALGORITHMS selects no signature algorithm (none in common)" },
	{ "alg-refused", F_ALG_REFUSED, SPDM_NEGOTIATE_ALGORITHMS, FIXED, "-EPROTONOSUPPORT",
	  "ERROR InvalidRequest to NEGOTIATE_ALGORITHMS: the offer refused, nothing in common" },
	{ "alg-mel-not-offered", F_ALG_MEL_NOT_OFFERED, SPDM_NEGOTIATE_ALGORITHMS, FIXED,
	  "-EPROTO", "1.3 ALGORITHMS selects a MEL specification the request never offered" },
	{ "digests-mask-mismatch", F_DIGESTS_MASK_MISMATCH, SPDM_GET_DIGESTS, FIXED, "-EPROTO",
	  "DIGESTS carries one digest more than its slot mask announces" },
	{ "digests-no-slots", F_DIGESTS_NO_SLOTS, SPDM_GET_DIGESTS, FIXED, "-ENOKEY",
	  "DIGESTS reports no provisioned certificate slot" },
	{ "cert-wrong-slot", F_CERT_WRONG_SLOT, SPDM_GET_CERTIFICATE, FIXED, "-EPROTO",
	  "CERTIFICATE names another slot than the one asked for" },
	{ "cert-portion-zero", F_CERT_PORTION_ZERO, SPDM_GET_CERTIFICATE, FIXED, "-EPROTO",
	  "CERTIFICATE with PortionLength 0 and data remaining" },
	/*
	 * Legal (DSP0274 1.3.0 §10.7: PortionLength up to the Length asked
	 * for) but ~1400 exchanges for the default chain: a requester fails it
	 * only through its deadline on the whole authentication, so the tests
	 * run it with a short one (and expect success without).
	 */
	{ "cert-portion-1", F_CERT_PORTION_ONE, SPDM_GET_CERTIFICATE, FIXED, "-ETIMEDOUT",
	  "every CERTIFICATE portion 1 byte long (legal; times out a short deadline)" },
	{ "cert-portion-past-end", F_CERT_PORTION_PAST_END, SPDM_GET_CERTIFICATE, FIXED, "-EIO",
	  "CERTIFICATE PortionLength larger than the bytes sent" },
	{ "cert-remainder-inconsistent", F_CERT_REMAINDER_INCONSISTENT, SPDM_GET_CERTIFICATE,
	  FIXED, "-EPROTO",
	  "second CERTIFICATE chunk: portion + remainder differ from the previous remainder" },
	{ "cert-remainder-growing", F_CERT_REMAINDER_GROWING, SPDM_GET_CERTIFICATE, FIXED,
	  "-EPROTO", "second CERTIFICATE chunk: RemainderLength grows" },
	{ "cert-chain-too-long", F_CERT_CHAIN_TOO_LONG, SPDM_GET_CERTIFICATE, FIXED, "-EPROTO",
	  "the chain served is 16 bytes longer than its header's Length" },
	{ "cert-malformed-der", F_CERT_MALFORMED_DER, SPDM_GET_CERTIFICATE, FIXED, "-EBADMSG",
	  "the intermediate certificate's TBSCertificate is not a DER SEQUENCE" },
	/*
	 * Certificate-model rules (DSP0274 1.3.0 §10.7.1): slot 0 serves a
	 * chain of the test PKI whose leaf breaks the rules of the model the
	 * responder announces (ALIAS_CERT_CAP set for the AliasCert model).
	 */
	{ "cert-alias-hw-identity", F_CERT_MODEL, SPDM_GET_CERTIFICATE, FIXED, "-EKEYREJECTED",
	  "ALIAS_CERT_CAP, and slot 0's leaf carries the hardware-identity OID (bad/hw-identity)",
	  0, 0, CAP_ALIAS_CERT, "hw-identity" },
	{ "cert-requester-eku", F_CERT_MODEL, SPDM_GET_CERTIFICATE, FIXED, "-EKEYREJECTED",
	  "slot 0's leaf EKU names only the requester role (bad/requester-eku)",
	  0, 0, 0, "requester-eku" },
	{ "digest-mismatch", F_DIGEST_MISMATCH, SPDM_GET_DIGESTS, FIXED, "-EKEYREJECTED",
	  "DIGESTS digest does not match the chain served" },
	{ "roothash-mismatch", F_ROOTHASH_MISMATCH, SPDM_GET_CERTIFICATE, FIXED,
	  "-EKEYREJECTED", "the chain header's RootHash is not the root certificate's hash" },
	{ "sig-corrupt", F_SIG_CORRUPT, SPDM_CHALLENGE, ANY, "-EKEYREJECTED",
	  "signature with one byte flipped (challenge or measurements)" },
	{ "sig-other-key", F_SIG_OTHER_KEY, SPDM_CHALLENGE, ANY, "-EKEYREJECTED",
	  "signature made by another key of the same algorithm" },
	{ "stale-nonce", F_STALE_NONCE, SPDM_CHALLENGE, FIXED, "-EKEYREJECTED",
	  "CHALLENGE_AUTH replayed: signed over an earlier exchange's requester nonce" },
	{ "challenge-wrong-slot", F_CHALLENGE_WRONG_SLOT, SPDM_CHALLENGE, FIXED, "-EPROTO",
	  "CHALLENGE_AUTH names another slot than the one challenged" },
	{ "context-mismatch", F_CONTEXT_MISMATCH, SPDM_CHALLENGE, ANY, "-EPROTO",
	  "1.3 RequesterContext not echoed (challenge or measurements; signed as sent)" },
	{ "opaque-overflow", F_OPAQUE_OVERFLOW, SPDM_CHALLENGE, ANY, "-EIO",
	  "OpaqueDataLength points past the end (challenge or measurements)" },
	{ "meas-record-overflow", F_MEAS_RECORD_OVERFLOW, SPDM_GET_MEASUREMENTS, FIXED, "-EIO",
	  "MEASUREMENTS record length larger than the record sent" },
	{ "meas-block-overflow", F_MEAS_BLOCK_OVERFLOW, SPDM_GET_MEASUREMENTS, FIXED, "-EIO",
	  "the last measurement block's MeasurementSize runs past the record" },
	{ "meas-count-mismatch", F_MEAS_COUNT_MISMATCH, SPDM_GET_MEASUREMENTS, FIXED, "-EPROTO",
	  "NumberOfBlocks one more than the record holds" },
	{ "meas-wrong-slot", F_MEAS_WRONG_SLOT, SPDM_GET_MEASUREMENTS, FIXED, "-EPROTO",
	  "signed MEASUREMENTS names another slot than the one asked for" },
	{ "meas-block-spec", F_MEAS_BLOCK_SPEC, SPDM_GET_MEASUREMENTS, FIXED, "-EPROTO",
	  "the first measurement block claims a specification other than DMTF" },
	{ "meas-value-size-mismatch", F_MEAS_VALUE_SIZE, SPDM_GET_MEASUREMENTS, FIXED, "-EPROTO",
	  "the first block's DMTF value size one less than its MeasurementSize says" },
	{ "busy", F_BUSY, SPDM_GET_DIGESTS, ANY, "-EBUSY", "ERROR Busy on every attempt" },
	{ "busy-once", F_BUSY_ONCE, SPDM_GET_DIGESTS, ANY, "0",
	  "ERROR Busy once, then the real response (retry must succeed)" },
	{ "not-ready", F_NOT_READY, SPDM_CHALLENGE, ANY, "-ETIMEDOUT",
	  "ERROR ResponseNotReady, again on every RESPOND_IF_READY" },
	{ "not-ready-once", F_NOT_READY_ONCE, SPDM_CHALLENGE, ANY, "0",
	  "ERROR ResponseNotReady (RDT 2^10 us), then the response on RESPOND_IF_READY" },
	{ "not-ready-absurd", F_NOT_READY_ABSURD, SPDM_CHALLENGE, ANY, "-ETIMEDOUT",
	  "ERROR ResponseNotReady asking to wait 2^31 us (~36 min)" },
	{ "hang", F_HANG, SPDM_CHALLENGE, ANY, "-ETIMEDOUT", "no response at all" },
	{ "oversize", F_OVERSIZE, SPDM_GET_VERSION, ANY, "-EMSGSIZE",
	  "response padded to N bytes (default 65536), past any legal size" },
	{ "garbage", F_GARBAGE, SPDM_GET_CAPABILITIES, ANY, "-EPROTO",
	  "64 random bytes (never a valid version byte) instead of the response" },
	{ "close", F_CLOSE, SPDM_GET_CERTIFICATE, ANY, "-ECONNRESET",
	  "connection reset instead of the response" },
	{ "unsupported", F_UNSUPPORTED, SPDM_GET_DIGESTS, ANY, "-EOPNOTSUPP",
	  "ERROR UnsupportedRequest" },
	/*
	 * The other ErrorCodes, each with the errno the project's requester
	 * documents for it (kernel/spdm/core.c).
	 */
	{ "error-invalid-request", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EINVAL",
	  "ERROR InvalidRequest (0x01)", 0x01 },
	{ "error-unexpected-request", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EBADE",
	  "ERROR UnexpectedRequest (0x04)", 0x04 },
	{ "error-unspecified", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EREMOTEIO",
	  "ERROR Unspecified (0x05)", 0x05 },
	{ "error-request-in-flight", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EALREADY",
	  "ERROR RequestInFlight (0x08)", 0x08 },
	{ "error-session-required", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EACCES",
	  "ERROR SessionRequired (0x0b)", 0x0b },
	{ "error-reset-required", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-ENOTRECOVERABLE",
	  "ERROR ResetRequired (0x0c)", 0x0c },
	{ "error-response-too-large", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EMSGSIZE",
	  "ERROR ResponseTooLarge (0x0d)", 0x0d },
	{ "error-request-too-large", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-E2BIG",
	  "ERROR RequestTooLarge (0x0e)", 0x0e },
	{ "error-large-response", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EPROTO",
	  "ERROR LargeResponse (0x0f) though CHUNK_CAP was never advertised", 0x0f },
	{ "error-message-lost", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-ENOMSG",
	  "ERROR MessageLost (0x10)", 0x10 },
	{ "error-version-mismatch", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EPROTONOSUPPORT",
	  "ERROR VersionMismatch (0x41)", 0x41 },
	{ "error-resynch", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EAGAIN",
	  "ERROR RequestResynch (0x43) every time (one restart, then give up)", 0x43 },
	{ "error-operation-failed", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-ECANCELED",
	  "ERROR OperationFailed (0x44)", 0x44 },
	{ "error-vendor-defined", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EREMOTEIO",
	  "ERROR VendorDefined (0xff)", 0xff },
	{ "error-unknown", F_ERROR_CODE, SPDM_GET_DIGESTS, ANY, "-EPROTO",
	  "ERROR with a reserved error code (0x30)", 0x30 },
};

static const struct {
	const char *name;
	u8 code;
} msgs[] = {
	{ "version", SPDM_GET_VERSION },
	{ "capabilities", SPDM_GET_CAPABILITIES },
	{ "algorithms", SPDM_NEGOTIATE_ALGORITHMS },
	{ "digests", SPDM_GET_DIGESTS },
	{ "certificate", SPDM_GET_CERTIFICATE },
	{ "challenge", SPDM_CHALLENGE },
	{ "measurements", SPDM_GET_MEASUREMENTS },
};

static const char *msg_name(u8 code)
{
	for (size_t i = 0; i < ARRAY_SIZE(msgs); i++)
		if (msgs[i].code == code)
			return msgs[i].name;
	return "?";
}

static int msg_code(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(msgs); i++)
		if (strlen(msgs[i].name) == len && !strncmp(msgs[i].name, name, len))
			return msgs[i].code;
	return -1;
}

int fault_parse(const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct fault_desc *d = NULL;
	struct fault f;

	for (size_t i = 0; i < ARRAY_SIZE(catalogue); i++)
		if (strlen(catalogue[i].name) == nlen && !strncmp(catalogue[i].name, spec, nlen))
			d = &catalogue[i];
	if (!d) {
		fprintf(stderr, "unknown fault '%.*s' (see --list-faults)\n", (int)nlen, spec);
		return -1;
	}
	f.d = d;
	f.msg = d->msg;
	f.arg = -1;
	if (colon) {
		const char *a = colon + 1;
		const char *comma = strchr(a, ',');
		size_t mlen = comma ? (size_t)(comma - a) : strlen(a);
		char *end;

		if (mlen) {
			int code = msg_code(a, mlen);

			if (code < 0 || (!d->any_msg && code != d->msg)) {
				fprintf(stderr, "fault %s: cannot apply to '%.*s'\n", d->name,
					(int)mlen, a);
				return -1;
			}
			f.msg = code;
		}
		if (comma) {
			f.arg = strtol(comma + 1, &end, 0);
			if (*end || f.arg < 0) {
				fprintf(stderr, "fault %s: bad number '%s'\n", d->name, comma + 1);
				return -1;
			}
		}
	}
	cfg.faults = realloc(cfg.faults, (cfg.nfaults + 1) * sizeof(*cfg.faults));
	if (!cfg.faults)
		abort();
	cfg.faults[cfg.nfaults++] = f;
	return 0;
}

void fault_list(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(catalogue); i++) {
		const struct fault_desc *d = &catalogue[i];

		printf("%-28s %-16s %s%s%s\n", d->name, d->expect, d->what,
		       d->any_msg ? "; default on " : "; on ", msg_name(d->msg));
	}
}

const struct fault *fault_on(enum fault_id id, u8 code)
{
	for (int i = 0; i < cfg.nfaults; i++)
		if (cfg.faults[i].d->id == id && cfg.faults[i].msg == code)
			return &cfg.faults[i];
	return NULL;
}
