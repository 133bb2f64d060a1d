// SPDX-License-Identifier: GPL-2.0
/*
 * EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 (RFC 8017 §B.2.1), on the
 * encoded message the raw RSA public-key operation recovered from an
 * RSASSA-PSS signature. Hashing goes through the spdm-env.h hash API only,
 * so this file also builds in user space (unit tests, fuzzer).
 *
 * SPDM fixes the parameters: the message hash, MGF1's hash and the salt
 * length all follow the negotiated BaseHashAlgo (salt length = hash size,
 * as DMTF libspdm verifies and lib/env-openssl.c with
 * RSA_PSS_SALTLEN_DIGEST), so no other salt length is accepted.
 */
#include <linux/export.h>

#include "env-linux.h"

/* Largest hash SPDM negotiates here (SHA-512), and the largest EM (RSA-4096). */
#define PSS_MAX_HASH	64
#define PSS_MAX_EM	512

/*
 * DB ^= MGF1(seed, db_len): the mask is produced one hash block at a time
 * and applied at once, so no mask buffer is needed.
 */
static int pss_mgf1_xor(u32 hash_alg, size_t h_len, const u8 *seed,
			u8 *db, size_t db_len)
{
	u8 in[PSS_MAX_HASH + 4], block[PSS_MAX_HASH];
	size_t off, n, i;
	u32 counter;
	int ret;

	memcpy(in, seed, h_len);
	for (off = 0, counter = 0; off < db_len; off += n, counter++) {
		/* C = I2OSP(counter, 4) */
		in[h_len] = counter >> 24;
		in[h_len + 1] = counter >> 16;
		in[h_len + 2] = counter >> 8;
		in[h_len + 3] = counter;
		ret = spdm_env_hash_oneshot(hash_alg, in, h_len + 4, block);
		if (ret)
			return ret;
		n = min(h_len, db_len - off);
		for (i = 0; i < n; i++)
			db[off + i] ^= block[i];
	}
	return 0;
}

/**
 * spdm_emsa_pss_verify() - EMSA-PSS-VERIFY with salt length = hash length
 * @hash_alg: one BaseHashAlgo bit: the message hash, MGF1's hash and the
 *            salt length
 * @m_hash: Hash(M), spdm_env_hash_size(@hash_alg) bytes
 * @em: the encoded message, @em_len bytes (not modified)
 * @em_len: ceil(@em_bits / 8)
 * @em_bits: the modulus size in bits minus one (RFC 8017 §8.1.2 step 3)
 *
 * Every length is checked before use: @em_len must be exactly what
 * @em_bits calls for, at most 512 bytes, and hold hash, salt and the
 * two fixed octets.
 *
 * Context: may sleep (hashing).
 * Return: 0 when consistent; -EKEYREJECTED when inconsistent (wrong length,
 * trailer other than 0xbc, nonzero leftmost bits, padding not zeros
 * followed by 0x01, or H ≠ H'); -EPROTONOSUPPORT for an unknown hash;
 * -ENOMEM.
 */
int spdm_emsa_pss_verify(u32 hash_alg, const u8 *m_hash, const u8 *em,
			 size_t em_len, size_t em_bits)
{
	size_t h_len = spdm_env_hash_size(hash_alg), s_len = h_len;
	size_t db_len, ps_len, i;
	u8 m_prime[8 + 2 * PSS_MAX_HASH], h_prime[PSS_MAX_HASH];
	u8 top_mask, *db;
	const u8 *h;
	int ret;

	if (!h_len || h_len > PSS_MAX_HASH)
		return -EPROTONOSUPPORT;
	/* step 3, and EM exactly the length emBits calls for */
	if (!em_bits || em_len != (em_bits + 7) / 8 || em_len > PSS_MAX_EM ||
	    em_len < h_len + s_len + 2)
		return -EKEYREJECTED;
	/* step 4 */
	if (em[em_len - 1] != 0xbc)
		return -EKEYREJECTED;
	/* step 5: maskedDB ‖ H ‖ 0xbc */
	db_len = em_len - h_len - 1;
	h = em + db_len;
	/* step 6: the leftmost 8·emLen − emBits bits (0 to 7) must be zero */
	top_mask = 0xff << (8 - (8 * em_len - em_bits));
	if (em[0] & top_mask)
		return -EKEYREJECTED;

	db = spdm_env_zalloc(db_len);
	if (!db)
		return -ENOMEM;
	memcpy(db, em, db_len);
	/* steps 7, 8 and 9 */
	ret = pss_mgf1_xor(hash_alg, h_len, h, db, db_len);
	if (ret)
		goto out;
	db[0] &= ~top_mask;
	/* step 10: PS of zeros, then 0x01, then the salt */
	ps_len = db_len - s_len - 1;
	ret = -EKEYREJECTED;
	for (i = 0; i < ps_len; i++)
		if (db[i])
			goto out;
	if (db[ps_len] != 0x01)
		goto out;
	/* steps 11 to 13: H' = Hash(0x00 × 8 ‖ mHash ‖ salt) */
	memset(m_prime, 0, 8);
	memcpy(m_prime + 8, m_hash, h_len);
	memcpy(m_prime + 8 + h_len, db + db_len - s_len, s_len);
	ret = spdm_env_hash_oneshot(hash_alg, m_prime, 8 + h_len + s_len,
				    h_prime);
	if (ret)
		goto out;
	/* step 14 */
	ret = memcmp(h, h_prime, h_len) ? -EKEYREJECTED : 0;
out:
	spdm_env_free_sensitive(db, db_len);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(spdm_emsa_pss_verify, SPDM_ENV_SELFTEST);
