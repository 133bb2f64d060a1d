/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	include/spdm.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_SPDM_H
#define _UAPI_LINUX_SPDM_H

#define SPDM_FAMILY_NAME	"spdm"
#define SPDM_FAMILY_VERSION	1

#define SPDM_NONCE_LEN		32
#define SPDM_REASON_MAX_LEN	255
#define SPDM_IDENTITY_LEN	32

/**
 * enum spdm_auth_state - Authentication state of a device (named auth-state,
 *   not state: C tags share one namespace and the library has a struct
 *   spdm_state).
 * @SPDM_AUTH_STATE_UNSUPPORTED: The device has no CMA DOE mailbox.
 * @SPDM_AUTH_STATE_PENDING: An authentication is queued and has not started.
 * @SPDM_AUTH_STATE_AUTHENTICATING: An authentication is running.
 * @SPDM_AUTH_STATE_AUTHENTICATED: The last authentication succeeded.
 * @SPDM_AUTH_STATE_FAILED: The last authentication failed; error says why.
 */
enum spdm_auth_state {
	SPDM_AUTH_STATE_UNSUPPORTED,
	SPDM_AUTH_STATE_PENDING,
	SPDM_AUTH_STATE_AUTHENTICATING,
	SPDM_AUTH_STATE_AUTHENTICATED,
	SPDM_AUTH_STATE_FAILED,
};

/**
 * enum spdm_verdict - Decision about letting a driver bind to the device.
 * @SPDM_VERDICT_NONE: No verdict yet.
 * @SPDM_VERDICT_ALLOW: A driver may bind.
 * @SPDM_VERDICT_DENY: No driver may bind.
 */
enum spdm_verdict {
	SPDM_VERDICT_NONE,
	SPDM_VERDICT_ALLOW,
	SPDM_VERDICT_DENY,
};

/**
 * enum spdm_verdict_source - Who decided.
 * @SPDM_VERDICT_SOURCE_NONE: Nobody has decided yet.
 * @SPDM_VERDICT_SOURCE_AGENT: The policy agent sent a verdict.
 * @SPDM_VERDICT_SOURCE_TIMEOUT: No verdict arrived in time; the default
 *   verdict applied.
 * @SPDM_VERDICT_SOURCE_ADMIN: An administrator sent a verdict by hand.
 * @SPDM_VERDICT_SOURCE_BYPASS: A driver bound to a held device without a
 *   verdict.
 */
enum spdm_verdict_source {
	SPDM_VERDICT_SOURCE_NONE,
	SPDM_VERDICT_SOURCE_AGENT,
	SPDM_VERDICT_SOURCE_TIMEOUT,
	SPDM_VERDICT_SOURCE_ADMIN,
	SPDM_VERDICT_SOURCE_BYPASS,
};

/**
 * enum spdm_cert_model - Certificate model of a slot (DSP0274 1.3.0
 *   CertificateInfo CertModel): from DIGESTS in a 1.3 multi-key connection,
 *   else the alias model when the responder advertises ALIAS_CERT_CAP (1.2+),
 *   else the device model.
 * @SPDM_CERT_MODEL_NONE: No certificate in the slot, or no authentication yet.
 * @SPDM_CERT_MODEL_DEVICE: The leaf is the device certificate.
 * @SPDM_CERT_MODEL_ALIAS: The leaf is an alias certificate issued by the
 *   device certificate.
 * @SPDM_CERT_MODEL_GENERIC: A key of no device identity (1.3).
 */
enum spdm_cert_model {
	SPDM_CERT_MODEL_NONE,
	SPDM_CERT_MODEL_DEVICE,
	SPDM_CERT_MODEL_ALIAS,
	SPDM_CERT_MODEL_GENERIC,
};

/**
 * enum spdm_evidence_kind - Which evidence blob a chunk belongs to.
 * @SPDM_EVIDENCE_KIND_CERT_CHAIN: Certificate chain of one slot as fetched,
 *   SPDM certificate chain header included (DSP0274 1.2.1 table "Certificate
 *   chain format"). Only slots whose chain this attempt fetched, or whose
 *   cached chain matched this attempt's DIGESTS, are sent: a failed attempt
 *   sends none of the slots it did not reach.
 * @SPDM_EVIDENCE_KIND_TRANSCRIPT: The bytes the CHALLENGE_AUTH signature
 *   covers, in order, without the signature. For SPDM 1.2 and later the signed
 *   message is the combined SPDM prefix followed by the hash of this
 *   transcript.
 * @SPDM_EVIDENCE_KIND_SIGNATURE: The CHALLENGE_AUTH signature as sent (r||s
 *   for ECDSA).
 * @SPDM_EVIDENCE_KIND_MEASUREMENTS: The measurement record of the signed
 *   MEASUREMENTS response.
 * @SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT: The bytes the MEASUREMENTS signature
 *   covers (L1/L2).
 * @SPDM_EVIDENCE_KIND_MEAS_SIGNATURE: The MEASUREMENTS signature as sent.
 */
enum spdm_evidence_kind {
	SPDM_EVIDENCE_KIND_CERT_CHAIN = 1,
	SPDM_EVIDENCE_KIND_TRANSCRIPT,
	SPDM_EVIDENCE_KIND_SIGNATURE,
	SPDM_EVIDENCE_KIND_MEASUREMENTS,
	SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT,
	SPDM_EVIDENCE_KIND_MEAS_SIGNATURE,
};

enum {
	SPDM_A_DEVICE_NAME = 1,
	SPDM_A_DEVICE_KEY,
	SPDM_A_DEVICE_VENDOR_ID,
	SPDM_A_DEVICE_DEVICE_ID,
	SPDM_A_DEVICE_CLASS,
	SPDM_A_DEVICE_REVISION,
	SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID,
	SPDM_A_DEVICE_SUBSYSTEM_ID,
	SPDM_A_DEVICE_STATE,
	SPDM_A_DEVICE_GENERATION,
	SPDM_A_DEVICE_ERROR,
	SPDM_A_DEVICE_VERSION,
	SPDM_A_DEVICE_BASE_ASYM_ALG,
	SPDM_A_DEVICE_BASE_HASH_ALG,
	SPDM_A_DEVICE_MEAS_HASH_ALG,
	SPDM_A_DEVICE_SLOT_MASK,
	SPDM_A_DEVICE_SLOT,
	SPDM_A_DEVICE_EVIDENCE,
	SPDM_A_DEVICE_NONCE,
	SPDM_A_DEVICE_REQ_NONCE_OFFSET,
	SPDM_A_DEVICE_RSP_NONCE_OFFSET,
	SPDM_A_DEVICE_CHUNK,
	SPDM_A_DEVICE_VERDICT,
	SPDM_A_DEVICE_VERDICT_SOURCE,
	SPDM_A_DEVICE_REASON,
	SPDM_A_DEVICE_DURATION_US,
	SPDM_A_DEVICE_CERT_MODEL,
	SPDM_A_DEVICE_KEY_PAIR_ID,
	SPDM_A_DEVICE_KEY_USAGE,
	SPDM_A_DEVICE_IDENTITY,
	SPDM_A_DEVICE_ALLOWED_IDENTITY,

	__SPDM_A_DEVICE_MAX,
	SPDM_A_DEVICE_MAX = (__SPDM_A_DEVICE_MAX - 1)
};

enum {
	SPDM_A_CHUNK_KIND = 1,
	SPDM_A_CHUNK_SLOT,
	SPDM_A_CHUNK_OFFSET,
	SPDM_A_CHUNK_TOTAL_LEN,
	SPDM_A_CHUNK_DATA,

	__SPDM_A_CHUNK_MAX,
	SPDM_A_CHUNK_MAX = (__SPDM_A_CHUNK_MAX - 1)
};

enum {
	SPDM_CMD_DEVICE_GET = 1,
	SPDM_CMD_AUTHENTICATE,
	SPDM_CMD_VERDICT,
	SPDM_CMD_DEVICE_ADDED_NTF,
	SPDM_CMD_AUTH_DONE_NTF,
	SPDM_CMD_VERDICT_NTF,
	SPDM_CMD_DEVICE_REMOVED_NTF,
	SPDM_CMD_IDENTITY_CHANGED_NTF,

	__SPDM_CMD_MAX,
	SPDM_CMD_MAX = (__SPDM_CMD_MAX - 1)
};

#define SPDM_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_SPDM_H */
