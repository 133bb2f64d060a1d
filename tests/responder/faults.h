/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault catalogue: every way the emulator can misbehave on purpose, and
 * the errno a correct requester reports for it (the project's errno taxonomy).
 */
#ifndef FAULTS_H
#define FAULTS_H

#include "responder.h"

enum fault_id {
	F_TRUNCATE,
	F_WRONG_CODE,
	F_WRONG_VERSION,
	F_VERSION_COUNT_OVERFLOW,
	F_VERSION_ZERO_ENTRIES,
	F_VERSION_NONE_COMMON,
	F_ALG_LENGTH_OVERFLOW,
	F_CAPS_MEAS_RESERVED,
	F_CAPS_TRANSFER_TINY,
	F_CAPS_FORBIDDEN,
	F_CERT_MODEL,
	F_ALG_MULTIPLE_HASH,
	F_ALG_MULTIPLE_MEAS_HASH,
	F_ALG_MULTIPLE_ASYM,
	F_ALG_NOT_OFFERED,
	F_ALG_NONE_COMMON,
	F_ALG_REFUSED,
	F_ALG_MEL_NOT_OFFERED,
	F_DIGESTS_MASK_MISMATCH,
	F_DIGESTS_NO_SLOTS,
	F_CERT_WRONG_SLOT,
	F_CERT_PORTION_ZERO,
	F_CERT_PORTION_ONE,
	F_CERT_PORTION_PAST_END,
	F_CERT_REMAINDER_INCONSISTENT,
	F_CERT_REMAINDER_GROWING,
	F_CERT_CHAIN_TOO_LONG,
	F_CERT_MALFORMED_DER,
	F_DIGEST_MISMATCH,
	F_ROOTHASH_MISMATCH,
	F_SIG_CORRUPT,
	F_SIG_OTHER_KEY,
	F_STALE_NONCE,
	F_CHALLENGE_WRONG_SLOT,
	F_CONTEXT_MISMATCH,
	F_OPAQUE_OVERFLOW,
	F_MEAS_RECORD_OVERFLOW,
	F_MEAS_BLOCK_OVERFLOW,
	F_MEAS_COUNT_MISMATCH,
	F_MEAS_WRONG_SLOT,
	F_MEAS_BLOCK_SPEC,
	F_MEAS_VALUE_SIZE,
	F_BUSY,
	F_BUSY_ONCE,
	F_NOT_READY,
	F_NOT_READY_ONCE,
	F_NOT_READY_ABSURD,
	F_HANG,
	F_OVERSIZE,
	F_GARBAGE,
	F_CLOSE,
	F_UNSUPPORTED,
	F_ERROR_CODE,
	F_COUNT
};

struct fault_desc {
	const char *name;
	enum fault_id id;
	u8 msg;			/* request code it applies to by default */
	bool any_msg;		/* ARG may name another request */
	const char *expect;	/* what a correct requester returns */
	const char *what;
	u8 err;			/* ErrorCode for F_ERROR_CODE */
	u32 caps_clear;		/* F_CAPS_FORBIDDEN: flags cleared, */
	u32 caps_set;		/* then flags set */
	const char *chain;	/* F_CERT_MODEL: slot 0 from PKI/bad/chain */
};

struct fault {
	const struct fault_desc *d;
	u8 msg;
	long arg;		/* -1 when not given */
};

int fault_parse(const char *spec);
void fault_list(void);
/* The active fault @id for request @code, or NULL. */
const struct fault *fault_on(enum fault_id id, u8 code);

#endif /* FAULTS_H */
