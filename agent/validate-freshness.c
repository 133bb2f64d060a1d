// SPDX-License-Identifier: GPL-2.0
/*
 * Freshness: the nonce the kernel says it used for the attempt must be the
 * one the device signed over, in CHALLENGE (DSP0274 1.2.1 §10.10 Table 33,
 * Nonce) and in the signed GET_MEASUREMENTS (§10.11.1 Table 40, Nonce).
 * The kernel reports its own copy of the nonce, not bytes read back from
 * the transcript, so a replayed transcript with an old nonce fails here;
 * and a caller that chose the nonce (spdmctl authenticate --nonce) can
 * ask for it, which proves the evidence was made after it chose.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

/**
 * agent_freshness_check() - do the signed messages carry the attempt's nonce?
 * @ev: the evidence (nonce, transcript, and L1/L2 when measurements came)
 * @expected: AGENT_NONCE_LEN bytes the caller chose, or NULL to check
 *	against the nonce the kernel reported
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -ENODATA when the kernel reported no nonce; -ESTALE when the
 * kernel's nonce is not @expected, or CHALLENGE or GET_MEASUREMENTS carry
 * another; -EIO when the transcript cannot hold the nonce where it says.
 */
int agent_freshness_check(const struct agent_evidence *ev,
			  const uint8_t *expected, char *err, size_t errlen)
{
	const uint8_t *meas_nonce;
	char why[128];

	if (!ev->has_nonce) {
		snprintf(err, errlen, "the kernel reported no nonce");
		return -ENODATA;
	}
	if (expected && memcmp(expected, ev->nonce, AGENT_NONCE_LEN)) {
		snprintf(err, errlen, "the attempt used another nonce than the caller's");
		return -ESTALE;
	}
	if (!ev->transcript || ev->transcript_len < AGENT_NONCE_LEN ||
	    ev->req_nonce_off > ev->transcript_len - AGENT_NONCE_LEN) {
		snprintf(err, errlen, "no CHALLENGE nonce in the transcript");
		return -EIO;
	}
	if (memcmp(ev->transcript + ev->req_nonce_off, ev->nonce,
		   AGENT_NONCE_LEN)) {
		snprintf(err, errlen, "CHALLENGE carries another nonce than the attempt's");
		return -ESTALE;
	}
	if (!ev->meas_transcript)
		return 0;
	if (agent_meas_request_nonce(ev, &meas_nonce, why, sizeof(why))) {
		snprintf(err, errlen, "no GET_MEASUREMENTS nonce: %s", why);
		return -EIO;
	}
	if (memcmp(meas_nonce, ev->nonce, AGENT_NONCE_LEN)) {
		snprintf(err, errlen,
			 "GET_MEASUREMENTS carries another nonce than the attempt's");
		return -ESTALE;
	}
	return 0;
}
