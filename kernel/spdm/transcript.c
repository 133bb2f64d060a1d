// SPDX-License-Identifier: GPL-2.0
/*
 * The transcript: one buffer holding the exact bytes of the exchanges a
 * signature covers (DSP0274 1.3.0 §10.8.1 M1/M2 = A || B || C, §10.11.1
 * L1/L2), grown on demand up to a fixed bound.
 */

#include "spdm-internal.h"

/**
 * spdm_transcript_append() - record validated message bytes
 * @t: transcript
 * @data: bytes to append
 * @len: their number
 *
 * Return: 0, -ENOMEM, or -EMSGSIZE when the transcript would exceed
 * SPDM_MAX_TRANSCRIPT (more than any legal sequence produces).
 */
int spdm_transcript_append(struct spdm_transcript *t, const u8 *data, size_t len)
{
	size_t need, cap;
	u8 *grown;

	if (check_add_overflow(t->len, len, &need) || need > SPDM_MAX_TRANSCRIPT)
		return -EMSGSIZE;
	if (need > t->cap) {
		cap = t->cap ? t->cap : 1024;
		while (cap < need)
			cap *= 2;
		cap = min_t(size_t, cap, SPDM_MAX_TRANSCRIPT);
		grown = spdm_env_zalloc(cap);
		if (!grown)
			return -ENOMEM;
		if (t->len)
			memcpy(grown, t->data, t->len);
		spdm_env_free(t->data);
		t->data = grown;
		t->cap = cap;
	}
	memcpy(t->data + t->len, data, len);
	t->len = need;
	return 0;
}

/**
 * spdm_transcript_reset() - forget the recorded bytes, keep the buffer
 * @t: transcript
 */
void spdm_transcript_reset(struct spdm_transcript *t)
{
	t->len = 0;
}

/**
 * spdm_transcript_free() - release the buffer
 * @t: transcript
 */
void spdm_transcript_free(struct spdm_transcript *t)
{
	spdm_env_free(t->data);
	t->data = NULL;
	t->len = 0;
	t->cap = 0;
}
