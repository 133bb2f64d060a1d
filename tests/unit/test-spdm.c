// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the SPDM requester (user-space build) against the fake
 * responder: the happy path for every version x algorithm x hash, the
 * signing rules against known-answer vectors, and malformed or hostile
 * responses, each with the errno it must produce (see kernel/spdm/core.c).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spdm-internal.h"
#include "env-openssl.h"
#include "fake-responder.h"
#include "kat.h"

#define BUF 4096

static int run_with(struct fake_responder *f, size_t buf, u8 min_version,
		    const u8 *nonce)
{
	struct spdm_config cfg = {
		.name = "test",
		.transport = fake_transport,
		.transport_priv = f,
		.max_msg_size = buf,
		.min_version = min_version,
	};
	struct spdm_state *st = spdm_create(&cfg);
	int rc;

	assert_non_null(st);
	rc = spdm_authenticate(st, nonce);
	spdm_destroy(st);
	return rc;
}

static int run(struct fake_responder *f)
{
	return run_with(f, BUF, 0, NULL);
}

static struct fake_responder *fake_default(void)
{
	return fake_new(0x12, A_ECDSA_P256, H_SHA256);
}

/*
 * One mutation of one response of a 1.2 (or @ver) ECDSA P-256 / SHA-256
 * exchange, and the errno it must give. Offsets are DSP0274 field offsets.
 */
#define MUTATION_TEST(name, ver, rsp_code, op, off, val, nth, expected)	\
static void name(void **state)						\
{									\
	struct fake_responder *f = fake_new(ver, A_ECDSA_P256, H_SHA256); \
									\
	f->mut[0] = (struct mutation){ rsp_code, op, off, val, nth };	\
	assert_int_equal(run(f), expected);				\
	fake_free(f);							\
}

/* VERSION: 0x04; entries at offset 6 */
MUTATION_TEST(version_rejects_truncated_response, 0x12, 0x04, MUT_KEEP, 0, 3, 0, -EIO)
MUTATION_TEST(version_rejects_zero_entries, 0x12, 0x04, MUT_BYTE, 5, 0, 0, -EPROTO)
MUTATION_TEST(version_rejects_entry_count_past_length, 0x12, 0x04, MUT_BYTE, 5, 100, 0, -EIO)
MUTATION_TEST(version_rejects_wrong_version_byte, 0x12, 0x04, MUT_BYTE, 0, 0x12, 0, -EPROTO)
MUTATION_TEST(version_rejects_wrong_response_code, 0x12, 0x04, MUT_BYTE, 1, 0x05, 0, -EPROTO)
MUTATION_TEST(version_rejects_trailing_bytes, 0x12, 0x04, MUT_APPEND, 0, 4, 0, -EMSGSIZE)

/* CAPABILITIES: 0x61; Flags at 8, DataTransferSize at 12 */
MUTATION_TEST(capabilities_rejects_truncated_response, 0x12, 0x61, MUT_CUT, 0, 1, 0, -EIO)
MUTATION_TEST(capabilities_rejects_tiny_transfer_size, 0x12, 0x61, MUT_LE32, 12, 41, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_max_below_transfer_size, 0x12, 0x61, MUT_LE32, 16, 100, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_wrong_version_byte, 0x12, 0x61, MUT_BYTE, 0, 0x11, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_responder_without_chal_cap, 0x12, 0x61, MUT_LE32, 8, 0x12, 0, -EPROTONOSUPPORT)
MUTATION_TEST(capabilities_rejects_reserved_meas_cap, 0x12, 0x61, MUT_LE32, 8, 0x1e, 0, -EPROTO)
/*
 * Forbidden flag combinations (DSP0274 Table 11 of each version), one per
 * rule; default flags CERT|CHAL|MEAS_SIG = 0x16. Flags a version does not
 * define are reserved and ignored.
 */
MUTATION_TEST(capabilities_rejects_meas_fresh_without_meas, 0x12, 0x61, MUT_LE32, 8, 0x26, 0, -EPROTO)
MUTATION_TEST(capabilities_10_rejects_cert_without_chal, 0x10, 0x61, MUT_LE32, 8, 0x02, 0, -EPROTO)
MUTATION_TEST(capabilities_10_rejects_chal_without_cert, 0x10, 0x61, MUT_LE32, 8, 0x04, 0, -EPROTO)
MUTATION_TEST(capabilities_10_rejects_signed_meas_without_cert, 0x10, 0x61, MUT_LE32, 8, 0x14, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_reserved_psk_cap, 0x12, 0x61, MUT_LE32, 8, 0xc96, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_key_ex_without_mac_or_encrypt, 0x12, 0x61, MUT_LE32, 8, 0x216, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_mac_without_key_ex_or_psk, 0x12, 0x61, MUT_LE32, 8, 0x96, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_handshake_in_clear_without_key_ex, 0x12, 0x61, MUT_LE32, 8, 0x8496, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_cert_and_pub_key_id, 0x12, 0x61, MUT_LE32, 8, 0x10016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_cert_that_nothing_signs_with, 0x12, 0x61, MUT_LE32, 8, 0x0a, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_chal_without_cert_or_pub_key, 0x12, 0x61, MUT_LE32, 8, 0x14, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_mut_auth_without_chal_or_key_ex, 0x12, 0x61, MUT_LE32, 8, 0x112, 0, -EPROTO)
MUTATION_TEST(capabilities_11_rejects_mut_auth_without_encap, 0x11, 0x61, MUT_LE32, 8, 0x116, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_alias_cert_without_cert, 0x12, 0x61, MUT_LE32, 8, 0x50014, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_set_cert_without_cert, 0x12, 0x61, MUT_LE32, 8, 0x90014, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_csr_without_set_cert, 0x12, 0x61, MUT_LE32, 8, 0x100016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_install_reset_without_csr_or_set_cert, 0x12, 0x61, MUT_LE32, 8, 0x200016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_reserved_ep_info_cap, 0x13, 0x61, MUT_LE32, 8, 0xc00016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_event_without_key_ex_or_psk, 0x13, 0x61, MUT_LE32, 8, 0x2000016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_reserved_multi_key_cap, 0x13, 0x61, MUT_LE32, 8, 0x1c000016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_multi_key_without_key_pair_info, 0x13, 0x61, MUT_LE32, 8, 0x8000016, 0, -EPROTO)
MUTATION_TEST(capabilities_rejects_pub_key_id_with_key_pair_info, 0x13, 0x61, MUT_LE32, 8, 0x10010014, 0, -EPROTO)

/* Legal flags: the responder's own, signed over as sent. */
#define CAPS_ACCEPTED_TEST(name, ver, flags)				\
static void name(void **state)						\
{									\
	struct fake_responder *f = fake_new(ver, A_ECDSA_P256, H_SHA256); \
									\
	f->caps = flags;						\
	assert_int_equal(run(f), 0);					\
	fake_free(f);							\
}

CAPS_ACCEPTED_TEST(capabilities_10_ignores_flags_defined_later, 0x10, 0x10016)
CAPS_ACCEPTED_TEST(capabilities_12_accepts_mut_auth_without_encap, 0x12, 0x116)
CAPS_ACCEPTED_TEST(capabilities_12_ignores_flags_defined_later, 0x12, 0x1c000016)

/* ALGORITHMS: 0x63; Length 4, MeasHash 8, Asym 12, Hash 16, ExtAsym 32, structs 36 */
MUTATION_TEST(algorithms_rejects_truncated_struct, 0x12, 0x63, MUT_CUT, 0, 1, 0, -EIO)
MUTATION_TEST(algorithms_rejects_truncated_header, 0x12, 0x63, MUT_KEEP, 0, 30, 0, -EIO)
MUTATION_TEST(algorithms_rejects_several_asym_bits, 0x12, 0x63, MUT_LE32, 12, 0x90, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_asym_never_offered, 0x12, 0x63, MUT_LE32, 12, 0x200, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_no_common_asym, 0x12, 0x63, MUT_LE32, 12, 0, 0, -EPROTONOSUPPORT)
MUTATION_TEST(algorithms_rejects_several_hash_bits, 0x12, 0x63, MUT_LE32, 16, 3, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_hash_never_offered, 0x12, 0x63, MUT_LE32, 16, 0x08, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_no_common_hash, 0x12, 0x63, MUT_LE32, 16, 0, 0, -EPROTONOSUPPORT)
MUTATION_TEST(algorithms_rejects_length_field_mismatch, 0x12, 0x63, MUT_LE16, 4, 51, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_struct_count_past_length, 0x12, 0x63, MUT_BYTE, 2, 9, 0, -EIO)
MUTATION_TEST(algorithms_rejects_dhe_never_offered, 0x12, 0x63, MUT_LE16, 38, 0x08, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_extended_asym_selection, 0x12, 0x63, MUT_BYTE, 32, 1, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_several_meas_hash_bits, 0x12, 0x63, MUT_LE32, 8, 6, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_opaque_format_never_offered, 0x12, 0x63, MUT_BYTE, 7, 0x01, 0, -EPROTO)
MUTATION_TEST(algorithms_rejects_mel_spec_never_offered, 0x13, 0x63, MUT_BYTE, 31, 0x01, 0, -EPROTO)

/* DIGESTS: 0x01; SlotMask in Param2, digests from 4 */
MUTATION_TEST(digests_rejects_empty_slot_mask, 0x12, 0x01, MUT_BYTE, 3, 0, 0, -ENOKEY)
MUTATION_TEST(digests_rejects_mask_without_digest, 0x12, 0x01, MUT_BYTE, 3, 3, 0, -EPROTO)
MUTATION_TEST(digests_rejects_extra_digest_bytes, 0x12, 0x01, MUT_APPEND, 0, 32, 0, -EPROTO)
MUTATION_TEST(digests_rejects_truncated_header, 0x12, 0x01, MUT_KEEP, 0, 3, 0, -EIO)
MUTATION_TEST(digests_rejects_digest_not_matching_chain, 0x12, 0x01, MUT_XOR, 4, 1, 0, -EKEYREJECTED)

/* CERTIFICATE: 0x02; slot in Param1, Portion 4, Remainder 6, data 8 */
MUTATION_TEST(certificate_rejects_truncated_header, 0x12, 0x02, MUT_KEEP, 0, 6, 1, -EIO)
MUTATION_TEST(certificate_rejects_zero_portion, 0x12, 0x02, MUT_LE16, 4, 0, 1, -EPROTO)
MUTATION_TEST(certificate_rejects_portion_past_received, 0x12, 0x02, MUT_CUT, 0, 16, 1, -EIO)
MUTATION_TEST(certificate_rejects_growing_remainder, 0x12, 0x02, MUT_ADD16, 6, 100, 2, -EPROTO)
MUTATION_TEST(certificate_rejects_inconsistent_remainder, 0x12, 0x02, MUT_ADD16, 6, 0xffff, 1, -EPROTO)
MUTATION_TEST(certificate_rejects_chain_over_64k, 0x12, 0x02, MUT_LE16, 6, 0xffff, 1, -EPROTO)
MUTATION_TEST(certificate_rejects_slot_mismatch, 0x12, 0x02, MUT_BYTE, 2, 1, 1, -EPROTO)
MUTATION_TEST(certificate_rejects_trailing_bytes, 0x12, 0x02, MUT_APPEND, 0, 5, 2, -EMSGSIZE)

/* CHALLENGE_AUTH: 0x03; CertChainHash 4, Nonce 36, OpaqueLength 68, (1.3 context 70) */
MUTATION_TEST(challenge_auth_rejects_truncated_signature, 0x12, 0x03, MUT_CUT, 0, 1, 0, -EIO)
MUTATION_TEST(challenge_auth_rejects_truncated_before_opaque_length, 0x12, 0x03, MUT_KEEP, 0, 69, 0, -EIO)
MUTATION_TEST(challenge_auth_rejects_cert_chain_hash_mismatch, 0x12, 0x03, MUT_XOR, 4, 1, 0, -EKEYREJECTED)
MUTATION_TEST(challenge_auth_rejects_slot_mismatch, 0x12, 0x03, MUT_BYTE, 2, 2, 0, -EPROTO)
MUTATION_TEST(challenge_auth_rejects_slot_missing_from_mask, 0x12, 0x03, MUT_BYTE, 3, 2, 0, -EPROTO)
MUTATION_TEST(challenge_auth_rejects_opaque_length_past_end, 0x12, 0x03, MUT_LE16, 68, 200, 0, -EIO)
MUTATION_TEST(challenge_auth_rejects_oversize_opaque_length, 0x12, 0x03, MUT_LE16, 68, 1025, 0, -EPROTO)
MUTATION_TEST(challenge_auth_rejects_corrupted_signature, 0x12, 0x03, MUT_XOR, -1, 1, 0, -EKEYREJECTED)
MUTATION_TEST(challenge_auth_rejects_corrupted_responder_nonce, 0x12, 0x03, MUT_XOR, 40, 1, 0, -EKEYREJECTED)
MUTATION_TEST(challenge_auth_rejects_trailing_bytes, 0x12, 0x03, MUT_APPEND, 0, 4, 0, -EMSGSIZE)
MUTATION_TEST(challenge_auth_tolerates_doe_padding, 0x12, 0x03, MUT_APPEND, 0, 3, 0, 0)
MUTATION_TEST(challenge_auth_rejects_wrong_response_code, 0x12, 0x03, MUT_BYTE, 1, 0x60, 0, -EPROTO)
MUTATION_TEST(challenge_auth_rejects_unechoed_requester_context, 0x13, 0x03, MUT_XOR, 70, 1, 0, -EPROTO)
MUTATION_TEST(challenge_auth_rejects_response_filling_buffer, 0x12, 0x03, MUT_FILL, 0, 0, 0, -EMSGSIZE)

/* MEASUREMENTS: 0x60; slot in Param2, NumBlocks 4, RecordLength 5, record 8 (78 bytes) */
MUTATION_TEST(measurements_rejects_record_length_past_end, 0x12, 0x60, MUT_LE24, 5, 0x1000, 0, -EIO)
MUTATION_TEST(measurements_rejects_block_size_past_record, 0x12, 0x60, MUT_LE16, 10, 200, 0, -EIO)
MUTATION_TEST(measurements_rejects_block_count_mismatch, 0x12, 0x60, MUT_BYTE, 4, 3, 0, -EPROTO)
MUTATION_TEST(measurements_rejects_slot_mismatch, 0x12, 0x60, MUT_BYTE, 3, 1, 0, -EPROTO)
MUTATION_TEST(measurements_rejects_truncated_before_opaque_length, 0x12, 0x60, MUT_KEEP, 0, 87, 0, -EIO)
MUTATION_TEST(measurements_rejects_truncated_signature, 0x12, 0x60, MUT_CUT, 0, 1, 0, -EIO)
MUTATION_TEST(measurements_rejects_corrupted_signature, 0x12, 0x60, MUT_XOR, -1, 1, 0, -EKEYREJECTED)
MUTATION_TEST(measurements_rejects_altered_record, 0x12, 0x60, MUT_XOR, 20, 1, 0, -EKEYREJECTED)
MUTATION_TEST(measurements_rejects_truncated_header, 0x12, 0x60, MUT_KEEP, 0, 7, 0, -EIO)
MUTATION_TEST(measurements_rejects_unechoed_requester_context, 0x13, 0x60, MUT_XOR, 120, 1, 0, -EPROTO)
/* Blocks: Index 8, MeasurementSpecification 9, MeasurementSize 10, DMTF value type 12, size 13; second block at 47 */
MUTATION_TEST(measurements_rejects_block_of_other_spec, 0x12, 0x60, MUT_BYTE, 9, 0x02, 0, -EPROTO)
MUTATION_TEST(measurements_rejects_block_index_zero, 0x12, 0x60, MUT_BYTE, 8, 0, 0, -EPROTO)
MUTATION_TEST(measurements_rejects_block_index_ff, 0x12, 0x60, MUT_BYTE, 47, 0xff, 0, -EPROTO)
MUTATION_TEST(measurements_rejects_dmtf_value_size_mismatch, 0x12, 0x60, MUT_LE16, 13, 31, 0, -EPROTO)

/* ERROR responses: code injected for one request, @count times (0 = always) */
#define ERROR_TEST(name, req, error, exp, count, expected)		\
static void name(void **state)						\
{									\
	struct fake_responder *f = fake_default();			\
									\
	f->err = (struct error_inject){ req, error, 0, exp, 0, count };	\
	assert_int_equal(run(f), expected);				\
	fake_free(f);							\
}

ERROR_TEST(error_busy_storm_gives_ebusy, 0x81, 0x03, 0, 0, -EBUSY)
ERROR_TEST(error_busy_once_is_retried, 0x81, 0x03, 0, 1, 0)
ERROR_TEST(error_not_ready_storm_times_out, 0x83, 0x42, 0, 0, -ETIMEDOUT)
ERROR_TEST(error_not_ready_with_absurd_delay_times_out, 0x83, 0x42, 31, 1, -ETIMEDOUT)
ERROR_TEST(error_resynch_storm_gives_eagain, 0x82, 0x43, 0, 0, -EAGAIN)
ERROR_TEST(error_unsupported_request_gives_eopnotsupp, 0xe0, 0x07, 0, 0, -EOPNOTSUPP)
ERROR_TEST(error_invalid_request_gives_einval, 0xe1, 0x01, 0, 0, -EINVAL)
ERROR_TEST(error_unexpected_request_gives_ebade, 0x83, 0x04, 0, 0, -EBADE)
ERROR_TEST(error_unspecified_gives_eremoteio, 0xe3, 0x05, 0, 0, -EREMOTEIO)
ERROR_TEST(error_version_mismatch_gives_eprotonosupport, 0xe1, 0x41, 0, 0, -EPROTONOSUPPORT)
/* a responder refusing the whole offer: no algorithm in common, not -EINVAL */
ERROR_TEST(algorithms_refused_offer_gives_eprotonosupport, 0xe3, 0x01, 0, 0, -EPROTONOSUPPORT)
ERROR_TEST(error_large_response_without_chunk_cap_gives_eproto, 0x82, 0x0f, 0, 0, -EPROTO)
ERROR_TEST(error_unknown_code_gives_eproto, 0x81, 0x30, 0, 0, -EPROTO)
ERROR_TEST(error_request_in_flight_gives_ealready, 0x84, 0x08, 0, 0, -EALREADY)

static void error_not_ready_is_followed_by_respond_if_ready(void **state)
{
	struct fake_responder *f = fake_default();

	f->err = (struct error_inject){ .req_code = 0x83, .error = 0x42,
					.rdt_exponent = 4, .count = 1 };
	assert_int_equal(run(f), 0);
	assert_int_equal(f->requests[0xff], 1);
	fake_free(f);
}

static void error_not_ready_on_get_version_asks_again_as_1_0(void **state)
{
	struct fake_responder *f = fake_default();

	/* RESPOND_IF_READY must carry the 1.0 version byte of GET_VERSION */
	f->err = (struct error_inject){ .req_code = 0x84, .error = 0x42, .count = 1 };
	assert_int_equal(run(f), 0);
	assert_int_equal(f->requests[0xff], 1);
	fake_free(f);
}

static void error_not_ready_for_another_request_is_rejected(void **state)
{
	struct fake_responder *f = fake_default();

	f->err = (struct error_inject){ .req_code = 0x83, .error = 0x42,
					.nr_req_code = 0x81, .count = 1 };
	assert_int_equal(run(f), -EPROTO);
	fake_free(f);
}

static void error_resynch_once_restarts_at_get_version(void **state)
{
	struct fake_responder *f = fake_default();

	f->err = (struct error_inject){ .req_code = 0x81, .error = 0x43, .count = 1 };
	assert_int_equal(run(f), 0);
	assert_int_equal(f->requests[0x84], 2);
	fake_free(f);
}

static ssize_t no_transport(void *priv, const void *req, size_t req_sz,
			    void *rsp, size_t rsp_sz)
{
	return -EIO;
}

/*
 * A signed 1.2 MEASUREMENTS (P-256) holding one DMTF block of @size bytes,
 * all zero after its header but for the DMTF value size @value_size, handed
 * to the parser directly.
 */
static ssize_t parse_one_block(u16 size, u16 value_size)
{
	struct spdm_config cfg = { .name = "t", .transport = no_transport };
	struct spdm_state *st = spdm_create(&cfg);
	struct spdm_signed_ctx c = { .slot = 0 };
	u8 rsp[8 + 4 + 16 + 32 + 2 + 64] = { 0x12, 0x60, 0, 0, 1 };
	size_t len = 8 + 4 + size + 32 + 2 + 64;
	ssize_t rc;

	assert_non_null(st);
	assert_true(size <= 16);
	st->version = 0x12;
	st->hash_len = 32;
	st->sig_len = 64;
	st->rsp_caps = SPDM_CAP_MEAS_SIG;
	rsp[5] = 4 + size;		/* MeasurementRecordLength */
	rsp[8] = 1;			/* Index */
	rsp[9] = SPDM_MEAS_SPEC_DMTF;
	rsp[10] = size;			/* MeasurementSize */
	if (size >= 3) {
		rsp[13] = value_size & 0xff;
		rsp[14] = value_size >> 8;
	}
	rc = spdm_parse_measurements(st, rsp, len, &c);
	spdm_destroy(st);
	return rc;
}

static void measurements_rejects_block_shorter_than_dmtf_header(void **state)
{
	assert_int_equal(parse_one_block(3, 0), 8 + 4 + 3 + 32 + 2 + 64);
	assert_int_equal(parse_one_block(2, 0), -EPROTO);
	assert_int_equal(parse_one_block(0, 0), -EPROTO);
}

static void challenge_auth_rejects_oversize_opaque_data(void **state)
{
	struct fake_responder *f = fake_default();

	/* 1025 bytes of opaque data, all received: a spec violation, not truncation */
	f->mut[0] = (struct mutation){ 0x03, MUT_LE16, 68, 1025 };
	f->mut[1] = (struct mutation){ 0x03, MUT_APPEND, 0, 1025 };
	assert_int_equal(run(f), -EPROTO);
	fake_free(f);
}

static void certificate_rejects_portion_above_request(void **state)
{
	struct fake_responder *f = fake_default();

	/* one byte more than GET_CERTIFICATE asked for, and that byte sent */
	f->mut[0] = (struct mutation){ 0x02, MUT_ADD16, 4, 1, 1 };
	f->mut[1] = (struct mutation){ 0x02, MUT_APPEND, 0, 1, 1 };
	assert_int_equal(run(f), -EPROTO);
	fake_free(f);
}

static void challenge_auth_rejects_signature_over_wrong_transcript(void **state)
{
	struct fake_responder *f = fake_default();

	f->corrupt_transcript = true;
	assert_int_equal(run(f), -EKEYREJECTED);
	fake_free(f);
}

static void challenge_auth_rejects_signature_by_other_key(void **state)
{
	struct fake_responder *f = fake_default();

	f->sign_key = pki->other_key;
	assert_int_equal(run(f), -EKEYREJECTED);
	fake_free(f);
}

static void challenge_auth_rejects_stale_nonce(void **state)
{
	struct fake_responder *f = fake_default();

	f->stale_nonce = true;
	assert_int_equal(run(f), -EKEYREJECTED);
	fake_free(f);
}

static void version_rejects_below_minimum(void **state)
{
	struct fake_responder *f = fake_new(0x11, A_ECDSA_P256, H_SHA256);

	assert_int_equal(run_with(f, BUF, 0x12, NULL), -EPROTONOSUPPORT);
	assert_int_equal(f->requests[0xe1], 0);
	fake_free(f);
}

static void version_rejects_unknown_versions_only(void **state)
{
	struct fake_responder *f = fake_default();

	f->versions[0] = 0x20;
	f->versions[1] = 0x09;
	f->n_versions = 2;
	assert_int_equal(run(f), -EPROTONOSUPPORT);
	fake_free(f);
}

static void version_picks_highest_common(void **state)
{
	struct fake_responder *f = fake_new(0x13, A_ECDSA_P256, H_SHA256);
	struct spdm_config cfg = { .name = "t", .transport = fake_transport,
				   .transport_priv = f, .max_msg_size = BUF };
	struct spdm_state *st = spdm_create(&cfg);

	/* the responder also lists 2.0, which the requester does not speak */
	f->versions[f->n_versions++] = 0x20;
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(spdm_get_evidence(st)->version, 0x13);
	spdm_destroy(st);
	fake_free(f);
}

/* Chain defects: the digests follow the served chain, so only the defect counts. */
static void chain_test(X509 *leaf, void (*edit)(uint8_t *chain, size_t len),
		       int expected)
{
	struct fake_responder *f = fake_default();
	X509 *certs[3] = { pki->root, pki->inter, leaf };

	fake_set_chain(f, 0, certs, 3);
	if (edit)
		edit(f->chain[0], f->chain_len[0]);
	assert_int_equal(run(f), expected);
	fake_free(f);
}

static void shorten_header(uint8_t *c, size_t len)
{
	c[0] = (len - 1) & 0xff;
	c[1] = (len - 1) >> 8;
}

static void flip_root_hash(uint8_t *c, size_t len)
{
	c[4] ^= 1;
}

static size_t first_cert_len(const uint8_t *c)
{
	size_t l;

	assert_int_equal(spdm_der_cert_len(c + 4 + 32, 10000, &l), 0);
	return l;
}

static void break_second_tag(uint8_t *c, size_t len)
{
	c[4 + 32 + first_cert_len(c)] = 0x31;
}

static void stretch_last_cert(uint8_t *c, size_t len)
{
	size_t off = 4 + 32 + first_cert_len(c), l;

	assert_int_equal(spdm_der_cert_len(c + off, len - off, &l), 0);
	off += l;
	/* last certificate: 30 82 hi lo; claim 16 more bytes than exist */
	c[off + 3] += 16;
	if (c[off + 3] < 16)
		c[off + 2]++;
}

static void chain_rejects_header_shorter_than_chain(void **state)
{
	chain_test(pki->leaf[asym_index(A_ECDSA_P256)], shorten_header, -EPROTO);
}

static void chain_rejects_root_hash_mismatch(void **state)
{
	chain_test(pki->leaf[asym_index(A_ECDSA_P256)], flip_root_hash, -EKEYREJECTED);
}

static void chain_rejects_malformed_der(void **state)
{
	chain_test(pki->leaf[asym_index(A_ECDSA_P256)], break_second_tag, -EBADMSG);
}

static void chain_rejects_der_length_past_chain(void **state)
{
	chain_test(pki->leaf[asym_index(A_ECDSA_P256)], stretch_last_cert, -EBADMSG);
}

static void chain_rejects_certificate_not_signed_by_predecessor(void **state)
{
	chain_test(pki->leaf_by_other, NULL, -EKEYREJECTED);
}

static void chain_rejects_certificate_issued_by_non_ca(void **state)
{
	struct fake_responder *f = fake_default();
	X509 *certs[4] = { pki->root, pki->inter, pki->leaf[asym_index(A_ECDSA_P384)],
			   pki->leaf_by_leaf };

	/* every signature verifies, but a leaf (CA:FALSE) issued the last one */
	fake_set_chain(f, 0, certs, 4);
	assert_int_equal(run(f), -EKEYREJECTED);
	fake_free(f);
}

static void chain_rejects_leaf_marked_ca(void **state)
{
	chain_test(pki->leaf_ca, NULL, -EKEYREJECTED);
}

static void chain_rejects_leaf_without_digital_signature(void **state)
{
	chain_test(pki->leaf_no_digsig, NULL, -EKEYREJECTED);
}

/* Certificate models: @leaf served under @caps (default or + ALIAS_CERT_CAP) at @ver. */
static void cert_model_test(uint8_t ver, uint32_t extra_caps, X509 *leaf, int expected,
			    uint8_t model)
{
	struct fake_responder *f = fake_new(ver, A_ECDSA_P256, H_SHA256);
	X509 *certs[3] = { pki->root, pki->inter, leaf };
	struct spdm_config cfg = {
		.name = "test", .transport = fake_transport, .transport_priv = f,
	};
	struct spdm_state *st = spdm_create(&cfg);

	f->caps |= extra_caps;
	fake_set_chain(f, 0, certs, 3);
	assert_int_equal(spdm_authenticate(st, NULL), expected);
	assert_int_equal(spdm_get_evidence(st)->cert_model[0], model);
	spdm_destroy(st);
	fake_free(f);
}

static void cert_model_device_accepts_hardware_identity(void **state)
{
	cert_model_test(0x12, 0, pki->leaf_hw_id, 0, SPDM_CERT_INFO_MODEL_DEVICE);
}

static void cert_model_alias_rejects_hardware_identity(void **state)
{
	cert_model_test(0x12, CAP_ALIAS_CERT, pki->leaf_hw_id, -EKEYREJECTED,
			SPDM_CERT_INFO_MODEL_ALIAS);
}

static void cert_model_alias_accepts_leaf_without_hardware_identity(void **state)
{
	cert_model_test(0x13, CAP_ALIAS_CERT, pki->leaf[asym_index(A_ECDSA_P256)], 0,
			SPDM_CERT_INFO_MODEL_ALIAS);
}

/* ALIAS_CERT_CAP is a 1.2 flag: reserved, so ignored, in 1.1 */
static void cert_model_11_ignores_alias_cert_cap(void **state)
{
	cert_model_test(0x11, CAP_ALIAS_CERT, pki->leaf_hw_id, 0, SPDM_CERT_INFO_MODEL_DEVICE);
}

static void cert_model_rejects_requester_only_eku(void **state)
{
	cert_model_test(0x12, 0, pki->leaf_eku_requester, -EKEYREJECTED,
			SPDM_CERT_INFO_MODEL_DEVICE);
}

static void cert_model_accepts_eku_naming_both_roles(void **state)
{
	cert_model_test(0x12, 0, pki->leaf_eku_both, 0, SPDM_CERT_INFO_MODEL_DEVICE);
}

/*
 * SPDM 1.3 multi-key: a responder of MULTI_KEY_CAP @caps (01b only, 10b
 * negotiable) with GET_KEY_PAIR_INFO_CAP; @setup adjusts it.
 */
static const struct spdm_evidence *multi_key_run(struct fake_responder *f,
						 struct spdm_state **st, int expected)
{
	struct spdm_config cfg = {
		.name = "test", .transport = fake_transport, .transport_priv = f,
	};

	*st = spdm_create(&cfg);
	assert_non_null(*st);
	assert_int_equal(spdm_authenticate(*st, NULL), expected);
	return spdm_get_evidence(*st);
}

static struct fake_responder *multi_key_fake(uint32_t multi_key_cap)
{
	struct fake_responder *f = fake_new(0x13, A_ECDSA_P256, H_SHA256);

	f->caps |= multi_key_cap | CAP_GET_KEY_PAIR_INFO;
	return f;
}

static void multi_key_only_responder_authenticates(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	const struct spdm_evidence *ev;
	struct spdm_state *st;

	ev = multi_key_run(f, &st, 0);
	assert_true(ev->multi_key);
	assert_int_equal(ev->slot, 0);
	assert_int_equal(ev->key_pair_id, 1);
	assert_int_equal(ev->key_usage, KEY_USAGE_CHALLENGE | KEY_USAGE_MEASUREMENT);
	assert_int_equal(ev->total_key_pairs, 1);
	assert_int_equal(ev->cert_model[0], SPDM_CERT_INFO_MODEL_DEVICE);
	assert_non_null(ev->meas);
	assert_int_equal(f->requests[0xfc], 1);
	spdm_destroy(st);
	fake_free(f);
}

static void multi_key_negotiable_responder_authenticates(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_NEG);
	struct spdm_state *st;

	assert_true(multi_key_run(f, &st, 0)->multi_key);
	spdm_destroy(st);
	fake_free(f);
}

/* MULTI_KEY_CAP is a 1.3 flag: reserved, ignored, in 1.2 */
static void multi_key_caps_ignored_before_13(void **state)
{
	struct fake_responder *f = fake_new(0x12, A_ECDSA_P256, H_SHA256);
	struct spdm_state *st;

	f->caps |= CAP_MULTI_KEY_ONLY | CAP_GET_KEY_PAIR_INFO;
	assert_false(multi_key_run(f, &st, 0)->multi_key);
	assert_int_equal(f->requests[0xfc], 0);
	spdm_destroy(st);
	fake_free(f);
}

/* slot 0 may sign measurements only, slot 1 challenges only */
static void multi_key_picks_slot_by_key_usage(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf[asym_index(A_ECDSA_P256)] };
	const struct spdm_evidence *ev;
	struct spdm_state *st;

	fake_set_chain(f, 1, certs, 3);
	f->slot_mask |= 0x02;
	f->key_usage[0] = KEY_USAGE_MEASUREMENT;
	f->key_usage[1] = KEY_USAGE_CHALLENGE;
	ev = multi_key_run(f, &st, 0);
	assert_int_equal(ev->slot, 1);
	assert_int_equal(ev->key_pair_id, 2);
	assert_int_equal(ev->meas_slot, 0);
	assert_non_null(ev->meas);
	spdm_destroy(st);
	fake_free(f);
}

static void multi_key_rejects_no_challenge_key(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	struct spdm_state *st;

	f->key_usage[0] = KEY_USAGE_MEASUREMENT;
	multi_key_run(f, &st, -ENOKEY);
	spdm_destroy(st);
	fake_free(f);
}

static void multi_key_skips_measurements_without_measurement_key(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	struct spdm_state *st;

	f->key_usage[0] = KEY_USAGE_CHALLENGE;
	assert_null(multi_key_run(f, &st, 0)->meas);
	assert_int_equal(f->requests[0xe0], 0);
	spdm_destroy(st);
	fake_free(f);
}

static void multi_key_cert_info_test(uint8_t info, X509 *leaf, int expected)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	X509 *certs[3] = { pki->root, pki->inter, leaf };
	struct spdm_state *st;

	fake_set_chain(f, 0, certs, 3);
	f->cert_info[0] = info;
	multi_key_run(f, &st, expected);
	spdm_destroy(st);
	fake_free(f);
}

static void multi_key_rejects_cert_model_none(void **state)
{
	multi_key_cert_info_test(0, pki->leaf[asym_index(A_ECDSA_P256)], -EPROTO);
}

static void multi_key_rejects_reserved_cert_model(void **state)
{
	multi_key_cert_info_test(4, pki->leaf[asym_index(A_ECDSA_P256)], -EPROTO);
}

static void multi_key_rejects_reserved_cert_info_bits(void **state)
{
	multi_key_cert_info_test(0x81, pki->leaf[asym_index(A_ECDSA_P256)], -EPROTO);
}

static void multi_key_generic_model_rejects_hardware_identity(void **state)
{
	multi_key_cert_info_test(3, pki->leaf_hw_id, -EKEYREJECTED);
}

static void multi_key_alias_model_rejects_hardware_identity(void **state)
{
	multi_key_cert_info_test(2, pki->leaf_hw_id, -EKEYREJECTED);
}

static void multi_key_device_model_accepts_hardware_identity(void **state)
{
	multi_key_cert_info_test(1, pki->leaf_hw_id, 0);
}

/* KEY_PAIR_INFO (0x7c) disagreeing with DIGESTS, or longer than sent */
#define KEY_PAIR_INFO_TEST(name, op, off, val, expected)		\
static void name(void **state)						\
{									\
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);	\
	struct spdm_state *st;						\
									\
	f->mut[0] = (struct mutation){ 0x7c, op, off, val, 0 };		\
	multi_key_run(f, &st, expected);				\
	spdm_destroy(st);						\
	fake_free(f);							\
}
KEY_PAIR_INFO_TEST(key_pair_info_rejects_other_key_pair_id, MUT_BYTE, 5, 2, -EPROTO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_id_above_total, MUT_BYTE, 4, 0, -EPROTO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_other_key_usage, MUT_LE16, 10, 0x02, -EPROTO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_usage_beyond_capabilities, MUT_LE16, 8, 0x02, -EPROTO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_slot_not_associated, MUT_BYTE, 22, 0x02, -EPROTO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_public_key_past_end, MUT_LE16, 20, 100, -EIO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_truncated, MUT_CUT, 0, 1, -EIO)
KEY_PAIR_INFO_TEST(key_pair_info_rejects_trailing_bytes, MUT_APPEND, 0, 8, -EMSGSIZE)

/* DIGESTS of a multi-key connection without its KeyPairID/CertificateInfo/KeyUsageMask */
static void multi_key_digests_rejects_missing_fields(void **state)
{
	struct fake_responder *f = multi_key_fake(CAP_MULTI_KEY_ONLY);
	struct spdm_state *st;

	f->mut[0] = (struct mutation){ 0x01, MUT_CUT, 0, 4, 0 };
	multi_key_run(f, &st, -EPROTO);
	spdm_destroy(st);
	fake_free(f);
}

static void chain_rejects_leaf_key_of_other_algorithm(void **state)
{
	struct fake_responder *f = fake_new(0x12, A_ECDSA_P384, H_SHA256);
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf[asym_index(A_ECDSA_P256)] };

	/* negotiates and signs with P-384 but serves a P-256 leaf */
	fake_set_chain(f, 0, certs, 3);
	assert_int_equal(run(f), -EKEYREJECTED);
	fake_free(f);
}

static void chain_rejects_chain_without_certificate(void **state)
{
	struct fake_responder *f = fake_default();

	fake_set_chain(f, 0, NULL, 0);
	assert_int_equal(run(f), -EBADMSG);
	fake_free(f);
}

/* The connection drops when CHALLENGE is sent. */
static ssize_t failing_transport(void *priv, const void *req, size_t req_sz,
				 void *rsp, size_t rsp_sz)
{
	if (((const u8 *)req)[1] == 0x83)
		return -ECONNRESET;
	return fake_transport(priv, req, req_sz, rsp, rsp_sz);
}

static void transport_errno_passes_through(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_config cfg = { .name = "t", .transport = failing_transport,
				   .transport_priv = f, .max_msg_size = BUF };
	struct spdm_state *st = spdm_create(&cfg);

	assert_int_equal(spdm_authenticate(st, NULL), -ECONNRESET);
	spdm_destroy(st);
	fake_free(f);
}

/* Every exchange the hook saw. */
struct hook_log {
	unsigned int n;
	u8 req[64];
	u8 rsp[64];
	int result[64];
	size_t rsp_len[64];
};

static struct hook_log hooks;

static void global_hook(void *priv, const struct spdm_exchange_info *info)
{
	if (hooks.n < 64) {
		hooks.req[hooks.n] = info->req_code;
		hooks.rsp[hooks.n] = info->rsp_code;
		hooks.result[hooks.n] = info->result;
		hooks.rsp_len[hooks.n] = info->rsp_len;
	}
	hooks.n++;
}

static struct spdm_state *new_state(struct fake_responder *f)
{
	struct spdm_config cfg = { .name = "t", .transport = fake_transport,
				   .transport_priv = f, .max_msg_size = BUF,
				   .exchange_hook = global_hook };

	memset(&hooks, 0, sizeof(hooks));
	return spdm_create(&cfg);
}

static void exchange_hook_reports_every_exchange(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);
	static const u8 want[] = { 0x84, 0xe1, 0xe3, 0x81, 0x82, 0x82, 0x83, 0xe0 };
	unsigned int i;

	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(hooks.n, sizeof(want));
	for (i = 0; i < sizeof(want); i++) {
		assert_int_equal(hooks.req[i], want[i]);
		assert_int_equal(hooks.rsp[i], want[i] & 0x7f);
		assert_int_equal(hooks.result[i], 0);
		assert_true(hooks.rsp_len[i] >= 4);
	}
	spdm_destroy(st);
	fake_free(f);
}

static void exchange_hook_reports_failing_exchange(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);

	f->mut[0] = (struct mutation){ 0x01, MUT_BYTE, 3, 0 };
	assert_int_equal(spdm_authenticate(st, NULL), -ENOKEY);
	assert_int_equal(hooks.n, 4);
	assert_int_equal(hooks.req[3], 0x81);
	assert_int_equal(hooks.result[3], -ENOKEY);
	spdm_destroy(st);
	fake_free(f);
}

static void reauth_skips_get_certificate_when_digest_unchanged(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);
	unsigned int fetched;

	assert_int_equal(spdm_authenticate(st, NULL), 0);
	fetched = f->requests[0x82];
	assert_true(fetched >= 1);
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(f->requests[0x82], fetched);
	assert_int_equal(spdm_get_evidence(st)->chain_len[0], f->chain_len[0]);
	spdm_destroy(st);
	fake_free(f);
}

static void reauth_refetches_chain_when_digest_changes(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);
	X509 *certs[2] = { pki->inter, pki->leaf[asym_index(A_ECDSA_P256)] };
	unsigned int fetched;

	assert_int_equal(spdm_authenticate(st, NULL), 0);
	fetched = f->requests[0x82];
	/* the device now presents a chain rooted at its intermediate */
	fake_set_chain(f, 0, certs, 2);
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_true(f->requests[0x82] > fetched);
	assert_int_equal(spdm_get_evidence(st)->chain_len[0], f->chain_len[0]);
	spdm_destroy(st);
	fake_free(f);
}

/*
 * A fetch that fails publishes no chain this run's DIGESTS did not
 * confirm: slot 3's chain cached from the first run is not evidence of the
 * second, which failed on slot 0 before slot 3 was looked at.
 */
static void failed_fetch_publishes_no_unconfirmed_cached_chain(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);
	X509 *certs[2] = { pki->inter, pki->leaf[asym_index(A_ECDSA_P256)] };
	X509 *big[3] = { pki->root, pki->inter, pki->leaf_big };
	const struct spdm_evidence *ev;

	fake_set_chain(f, 3, certs, 2);
	f->slot_mask = 0x09;
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(spdm_get_evidence(st)->chain_len[3], f->chain_len[3]);
	/* slot 0 changes, and its fetch fails */
	fake_set_chain(f, 0, big, 3);
	f->err = (struct error_inject){ .req_code = 0x82, .error = 0x05 };
	assert_int_equal(spdm_authenticate(st, NULL), -EREMOTEIO);
	ev = spdm_get_evidence(st);
	assert_null(ev->chain[0]);
	assert_null(ev->chain[3]);
	assert_int_equal(ev->chain_len[3], 0);
	spdm_destroy(st);
	fake_free(f);
}

static void all_provisioned_slots_are_fetched(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);
	X509 *certs[2] = { pki->inter, pki->leaf[asym_index(A_ECDSA_P256)] };
	const struct spdm_evidence *ev;

	fake_set_chain(f, 3, certs, 2);
	f->slot_mask = 0x09;
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	ev = spdm_get_evidence(st);
	assert_int_equal(ev->slot_mask, 0x09);
	assert_int_equal(ev->slot, 0);
	assert_int_equal(ev->chain_len[0], f->chain_len[0]);
	assert_int_equal(ev->chain_len[3], f->chain_len[3]);
	assert_memory_equal(ev->chain[3], f->chain[3], f->chain_len[3]);
	assert_int_equal(ev->chain_len[1], 0);
	spdm_destroy(st);
	fake_free(f);
}

static void large_chain_is_fetched_in_1k_portions_before_1_2(void **state)
{
	struct fake_responder *f = fake_new(0x11, A_ECDSA_P256, H_SHA384);
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf_big };

	fake_set_chain(f, 0, certs, 3);
	assert_true(f->chain_len[0] > 30000);
	assert_int_equal(run_with(f, 65536, 0, NULL), 0);
	assert_int_equal(f->requests[0x82], (f->chain_len[0] + 1023) / 1024);
	fake_free(f);
}

static void small_transfer_size_gives_many_portions(void **state)
{
	struct fake_responder *f = fake_default();

	f->transfer_size = 64;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->requests[0x82], (f->chain_len[0] + 55) / 56);
	fake_free(f);
}

/*
 * The authentication's deadline, on the virtual clock: every exchange with
 * the fake responder takes @f->exchange_us of it.
 */
static int run_deadline(struct fake_responder *f, unsigned int timeout_ms)
{
	struct spdm_config cfg = {
		.name = "test",
		.transport = fake_transport,
		.transport_priv = f,
		.max_msg_size = BUF,
		.auth_timeout_ms = timeout_ms,
	};
	struct spdm_state *st = spdm_create(&cfg);
	int rc;

	assert_non_null(st);
	rc = spdm_authenticate(st, NULL);
	spdm_destroy(st);
	return rc;
}

static unsigned int requests_sent(const struct fake_responder *f)
{
	unsigned int n = 0, code;

	for (code = 0; code < 256; code++)
		n += f->requests[code];
	return n;
}

/* DSP0274 lets a responder answer any Length with one byte: legal, slow. */
static void one_byte_certificate_portions_are_accepted(void **state)
{
	struct fake_responder *f = fake_default();

	f->cert_portion = 1;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->requests[0x82], f->chain_len[0]);
	fake_free(f);
}

/* A responder serving @certs in all eight slots, in @portion-byte portions. */
static struct fake_responder *fake_eight_chains(X509 **certs, unsigned int n, size_t portion)
{
	struct fake_responder *f = fake_default();
	unsigned int slot;

	for (slot = 0; slot < 8; slot++)
		fake_set_chain(f, slot, certs, n);
	f->slot_mask = 0xff;
	f->cert_portion = portion;
	return f;
}

/*
 * What a legal run needs fits the transcript bound: eight large chains in
 * whole portions (the CMA receive buffer), and all of it is released once
 * the caller has taken the evidence.
 */
static void eight_large_chains_fit_the_transcript_bound(void **state)
{
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf_big };
	struct fake_responder *f = fake_eight_chains(certs, 3, 0);
	struct spdm_config cfg = {
		.name = "test",
		.transport = fake_transport,
		.transport_priv = f,
		.max_msg_size = 65536 + 16,
	};
	struct spdm_state *st = spdm_create(&cfg);
	unsigned int fetched;

	assert_non_null(st);
	assert_true(f->chain_len[0] > 30000);
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_true(spdm_get_evidence(st)->transcript_len > 8 * f->chain_len[0]);
	assert_true(st->transcript.cap <= SPDM_MAX_TRANSCRIPT);
	spdm_release_evidence(st);
	assert_null(st->transcript.data);
	assert_null(st->meas_transcript.data);
	assert_null(spdm_get_evidence(st)->transcript);
	assert_int_equal(spdm_get_evidence(st)->transcript_len, 0);
	/* The chains stay cached: the next run fetches none. */
	fetched = f->requests[0x82];
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(f->requests[0x82], fetched);
	spdm_destroy(st);
	fake_free(f);
}

/*
 * 1-byte portions of eight ~31 KB chains would make a 4 MB transcript:
 * the run stops at the transcript bound (about 1 MiB, see spdm-internal.h)
 * instead of pinning that much kernel memory.
 */
static void transcript_bound_stops_one_byte_portions_of_large_chains(void **state)
{
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf_big };
	struct fake_responder *f = fake_eight_chains(certs, 3, 1);
	struct spdm_config cfg = {
		.name = "test",
		.transport = fake_transport,
		.transport_priv = f,
		.max_msg_size = BUF,
		.auth_timeout_ms = 100000000,	/* the bound, not the deadline */
	};
	struct spdm_state *st = spdm_create(&cfg);

	assert_non_null(st);
	assert_int_equal(spdm_authenticate(st, NULL), -EMSGSIZE);
	assert_true(st->transcript.cap <= SPDM_MAX_TRANSCRIPT);
	/* 17 transcript bytes a portion: 8-byte request, 8-byte header, 1 byte */
	assert_in_range(f->requests[0x82], SPDM_MAX_TRANSCRIPT / 17 - 200,
			SPDM_MAX_TRANSCRIPT / 17);
	assert_int_equal(f->requests[0x83], 0);
	spdm_destroy(st);
	fake_free(f);
}

/* No attempt runs more than SPDM_MAX_EXCHANGES exchanges, retries included. */
static void exchanges_per_attempt_are_capped(void **state)
{
	X509 *certs[3] = { pki->root, pki->inter, pki->leaf_big };
	struct fake_responder *f = fake_eight_chains(certs, 3, 1);
	struct spdm_config cfg = {
		.name = "test",
		.transport = fake_transport,
		.transport_priv = f,
		.max_msg_size = BUF,
		.auth_timeout_ms = 100000000,	/* Busy waits are on the virtual clock */
	};
	struct spdm_state *st = spdm_create(&cfg);

	assert_non_null(st);
	/* Every GET_CERTIFICATE answered Busy twice: three exchanges a portion. */
	f->err = (struct error_inject){ .req_code = 0x82, .error = 0x03, .pass_every = 3 };
	assert_int_equal(spdm_authenticate(st, NULL), -ELOOP);
	assert_int_equal(requests_sent(f), SPDM_MAX_EXCHANGES);
	assert_int_equal(f->requests[0x83], 0);
	spdm_destroy(st);
	fake_free(f);
}

static void deadline_stops_one_byte_certificate_portions(void **state)
{
	struct fake_responder *f = fake_default();

	f->cert_portion = 1;
	f->exchange_us = 10000;
	assert_true(f->chain_len[0] > 200);
	assert_int_equal(run_deadline(f, 2000), -ETIMEDOUT);
	/*
	 * 4 exchanges before the chain, then 1-byte portions until 2 s; the
	 * real time the test itself takes may cost a few of them.
	 */
	assert_in_range(requests_sent(f), 190, 201);
	assert_int_equal(f->requests[0x83], 0);
	fake_free(f);
}

static void deadline_zero_means_library_default(void **state)
{
	struct fake_responder *f = fake_default();

	f->cert_portion = 1;
	f->exchange_us = 100000;
	assert_true(f->chain_len[0] > SPDM_AUTH_TIMEOUT_DEFAULT_MS / 100);
	assert_int_equal(run_deadline(f, 0), -ETIMEDOUT);
	assert_in_range(requests_sent(f), SPDM_AUTH_TIMEOUT_DEFAULT_MS / 100 - 1,
			SPDM_AUTH_TIMEOUT_DEFAULT_MS / 100 + 1);
	fake_free(f);
}

static void deadline_allows_slow_responder_within_it(void **state)
{
	struct fake_responder *f = fake_default();

	f->exchange_us = 100000;
	assert_int_equal(run_deadline(f, 1000), 0);
	assert_int_equal(requests_sent(f), 8);
	fake_free(f);
}

/*
 * ResponseNotReady's own bound is 2 s; the deadline cuts it shorter, and a
 * wait that would end past it is not slept.
 */
static void deadline_stops_response_not_ready_retries(void **state)
{
	struct fake_responder *f = fake_default();
	u64 start = spdm_env_time_ns();

	f->err = (struct error_inject){ .req_code = 0x83, .error = 0x42,
					.rdt_exponent = 19 };
	assert_int_equal(run_deadline(f, 1000), -ETIMEDOUT);
	/* waits of 524 ms: RESPOND_IF_READY at 0.5 s, none at 1.05 s */
	assert_int_equal(f->requests[0xff], 1);
	/* it ends after the first wait, without sleeping past the deadline */
	assert_in_range(spdm_env_time_ns() - start, 524288000ULL, 900000000ULL);
	fake_free(f);
}

/* The deadline spans a RequestResynch restart rather than starting anew. */
static void deadline_spans_resynch_restart(void **state)
{
	struct fake_responder *f = fake_default();

	f->err = (struct error_inject){ .req_code = 0x83, .error = 0x43,
					.count = 1 };
	f->exchange_us = 100000;
	assert_int_equal(run_deadline(f, 1000), -ETIMEDOUT);
	/* 6 exchanges to CHALLENGE, then VERSION … DIGESTS again until 1 s */
	assert_in_range(requests_sent(f), 10, 11);
	fake_free(f);
}

static void measurements_skipped_without_meas_cap(void **state)
{
	struct fake_responder *f = fake_default();
	struct spdm_state *st = new_state(f);

	f->caps &= ~CAP_MEAS_SIG;
	assert_int_equal(spdm_authenticate(st, NULL), 0);
	assert_int_equal(f->requests[0xe0], 0);
	assert_int_equal(spdm_get_evidence(st)->meas_len, 0);
	spdm_destroy(st);
	fake_free(f);
}

/* The evidence lets someone else re-verify what the requester verified. */
static void evidence_reverifies_with_caller_nonce(void **state)
{
	struct fake_responder *f = fake_new(0x13, A_ECDSA_P384, H_SHA384);
	struct spdm_state *st = new_state(f);
	const struct spdm_evidence *ev;
	struct spdm_env_cert *leaf;
	u8 nonce[32];
	size_t off, l;

	memset(nonce, 0x5c, sizeof(nonce));
	assert_int_equal(spdm_authenticate(st, nonce), 0);
	ev = spdm_get_evidence(st);
	assert_memory_equal(ev->transcript + ev->req_nonce_off, nonce, 32);
	assert_memory_equal(f->last_nonce, nonce, 32);
	assert_int_equal(ev->transcript[ev->rsp_nonce_off], 0xa5);
	assert_int_equal(ev->transcript_len, f->m_len);
	assert_memory_equal(ev->transcript, f->m, f->m_len);

	/* the leaf is the last certificate of the chain */
	off = 4 + 48;
	for (;;) {
		assert_int_equal(spdm_der_cert_len(ev->chain[0] + off,
						   ev->chain_len[0] - off, &l), 0);
		if (off + l == ev->chain_len[0])
			break;
		off += l;
	}
	assert_int_equal(spdm_env_cert_parse(ev->chain[0] + off, l, &leaf), 0);
	assert_int_equal(spdm_verify_transcript(leaf, ev->version, ev->base_asym_alg,
						ev->base_hash_alg,
						SPDM_CONTEXT_CHALLENGE_AUTH,
						strlen(SPDM_CONTEXT_CHALLENGE_AUTH),
						ev->transcript, ev->transcript_len,
						ev->signature, ev->signature_len), 0);
	assert_int_equal(spdm_verify_transcript(leaf, ev->version, ev->base_asym_alg,
						ev->base_hash_alg,
						SPDM_CONTEXT_MEASUREMENTS,
						strlen(SPDM_CONTEXT_MEASUREMENTS),
						ev->meas_transcript,
						ev->meas_transcript_len,
						ev->meas_signature,
						ev->meas_signature_len), 0);
	assert_int_equal(ev->meas_len, 78);
	spdm_env_cert_free(leaf);
	spdm_destroy(st);
	fake_free(f);
}

static void create_rejects_missing_transport(void **state)
{
	struct spdm_config cfg = { .name = "t" };

	assert_null(spdm_create(&cfg));
	assert_null(spdm_create(NULL));
	spdm_destroy(NULL);
}

/* Known-answer vectors (kat.h, made with the openssl command line). */
static void kat_combined_prefix_1_2_challenge_auth(void **state)
{
	static const char want[] = "dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*"
		"dmtf-spdm-v1.2.*\0\0\0\0responder-challenge_auth signing";
	u8 prefix[SPDM_PREFIX_LEN];

	static_assert(sizeof(want) - 1 == SPDM_PREFIX_LEN, "100-byte prefix");
	assert_int_equal(spdm_build_prefix(0x12, SPDM_CONTEXT_CHALLENGE_AUTH,
					   strlen(SPDM_CONTEXT_CHALLENGE_AUTH), prefix), 0);
	assert_memory_equal(prefix, want, SPDM_PREFIX_LEN);
}

static void kat_combined_prefix_1_3_measurements(void **state)
{
	static const char want[] = "dmtf-spdm-v1.3.*dmtf-spdm-v1.3.*dmtf-spdm-v1.3.*"
		"dmtf-spdm-v1.3.*\0\0\0\0\0\0responder-measurements signing";
	u8 prefix[SPDM_PREFIX_LEN];

	static_assert(sizeof(want) - 1 == SPDM_PREFIX_LEN, "100-byte prefix");
	assert_int_equal(spdm_build_prefix(0x13, SPDM_CONTEXT_MEASUREMENTS,
					   strlen(SPDM_CONTEXT_MEASUREMENTS), prefix), 0);
	assert_memory_equal(prefix, want, SPDM_PREFIX_LEN);
}

static int kat_verify(const u8 *der, size_t der_len, u8 version, u32 asym,
		      u32 hash, const char *context, const u8 *sig, size_t sig_len)
{
	struct spdm_env_cert *cert;
	int rc;

	assert_int_equal(spdm_env_cert_parse(der, der_len, &cert), 0);
	rc = spdm_verify_transcript(cert, version, asym, hash, context,
				    strlen(context), kat_msg, sizeof(kat_msg),
				    sig, sig_len);
	spdm_env_cert_free(cert);
	return rc;
}

static void kat_rsa_signature_1_1_verifies(void **state)
{
	assert_int_equal(kat_verify(kat_rsa_cert, sizeof(kat_rsa_cert), 0x11,
				    A_RSASSA_2048, H_SHA256, SPDM_CONTEXT_CHALLENGE_AUTH,
				    kat_sig_11, sizeof(kat_sig_11)), 0);
}

static void kat_rsa_signature_1_2_verifies(void **state)
{
	assert_int_equal(kat_verify(kat_rsa_cert, sizeof(kat_rsa_cert), 0x12,
				    A_RSASSA_2048, H_SHA256, SPDM_CONTEXT_CHALLENGE_AUTH,
				    kat_sig_12, sizeof(kat_sig_12)), 0);
}

static void kat_1_1_signature_is_rejected_under_1_2_rules(void **state)
{
	assert_int_equal(kat_verify(kat_rsa_cert, sizeof(kat_rsa_cert), 0x12,
				    A_RSASSA_2048, H_SHA256, SPDM_CONTEXT_CHALLENGE_AUTH,
				    kat_sig_11, sizeof(kat_sig_11)), -EKEYREJECTED);
}

static void kat_1_2_signature_is_rejected_with_other_context(void **state)
{
	assert_int_equal(kat_verify(kat_rsa_cert, sizeof(kat_rsa_cert), 0x12,
				    A_RSASSA_2048, H_SHA256, SPDM_CONTEXT_MEASUREMENTS,
				    kat_sig_12, sizeof(kat_sig_12)), -EKEYREJECTED);
}

static void kat_ecdsa_p384_signature_1_3_verifies(void **state)
{
	u8 sig[sizeof(kat_ec_sig_13)];

	assert_int_equal(kat_verify(kat_ec_cert, sizeof(kat_ec_cert), 0x13,
				    A_ECDSA_P384, H_SHA384, SPDM_CONTEXT_MEASUREMENTS,
				    kat_ec_sig_13, sizeof(kat_ec_sig_13)), 0);
	memcpy(sig, kat_ec_sig_13, sizeof(sig));
	sig[10] ^= 0x10;
	assert_int_equal(kat_verify(kat_ec_cert, sizeof(kat_ec_cert), 0x13,
				    A_ECDSA_P384, H_SHA384, SPDM_CONTEXT_MEASUREMENTS,
				    sig, sizeof(sig)), -EKEYREJECTED);
}

/* Bounded DER length parsing of chain.c */
static void der_length_forms(void **state)
{
	static const u8 short_form[] = { 0x30, 0x02, 0xaa, 0xbb };
	static const u8 long_form[] = { 0x30, 0x81, 0x80 };
	static const u8 non_minimal[] = { 0x30, 0x81, 0x05, 0, 0, 0, 0, 0 };
	static const u8 indefinite[] = { 0x30, 0x80, 0, 0 };
	static const u8 leading_zero[] = { 0x30, 0x82, 0x00, 0x05, 0, 0, 0, 0, 0 };
	static const u8 four_bytes[] = { 0x30, 0x84, 0, 0, 0, 1, 0 };
	size_t l;

	assert_int_equal(spdm_der_cert_len(short_form, sizeof(short_form), &l), 0);
	assert_int_equal(l, 4);
	assert_int_equal(spdm_der_cert_len(short_form, 3, &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(long_form, sizeof(long_form), &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(non_minimal, sizeof(non_minimal), &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(indefinite, sizeof(indefinite), &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(leading_zero, sizeof(leading_zero), &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(four_bytes, sizeof(four_bytes), &l), -EBADMSG);
	assert_int_equal(spdm_der_cert_len(short_form, 1, &l), -EBADMSG);
}

/* Happy path: one test per version x asymmetric algorithm x hash. */
struct happy {
	u8 version;
	u32 asym;
	u32 hash;
};

static void happy_path(void **state)
{
	const struct happy *h = *state;
	struct fake_responder *f = fake_new(h->version, h->asym, h->hash);
	struct spdm_state *st = new_state(f);
	const struct spdm_evidence *ev;

	assert_int_equal(spdm_authenticate(st, NULL), 0);
	ev = spdm_get_evidence(st);
	assert_int_equal(ev->version, h->version);
	assert_int_equal(ev->base_asym_alg, h->asym);
	assert_int_equal(ev->base_hash_alg, h->hash);
	assert_int_equal(ev->meas_hash_alg, f->meas_hash);
	assert_int_equal(ev->chain_len[0], f->chain_len[0]);
	assert_memory_equal(ev->transcript, f->m, f->m_len);
	assert_int_equal(ev->meas_len, 78);
	spdm_destroy(st);
	fake_free(f);
}

static const char *asym_name(u32 a)
{
	static const char *const n[] = {
		"RSASSA_2048", "RSAPSS_2048", "RSASSA_3072", "RSAPSS_3072",
		"ECDSA_P256", "RSASSA_4096", "RSAPSS_4096", "ECDSA_P384",
		"ECDSA_P521",
	};

	return n[asym_index(a)];
}

#define T(fn) cmocka_unit_test(fn)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		T(version_rejects_truncated_response),
		T(version_rejects_zero_entries),
		T(version_rejects_entry_count_past_length),
		T(version_rejects_wrong_version_byte),
		T(version_rejects_wrong_response_code),
		T(version_rejects_trailing_bytes),
		T(version_rejects_unknown_versions_only),
		T(version_rejects_below_minimum),
		T(version_picks_highest_common),
		T(capabilities_rejects_truncated_response),
		T(capabilities_rejects_tiny_transfer_size),
		T(capabilities_rejects_max_below_transfer_size),
		T(capabilities_rejects_wrong_version_byte),
		T(capabilities_rejects_responder_without_chal_cap),
		T(capabilities_rejects_reserved_meas_cap),
		T(capabilities_rejects_meas_fresh_without_meas),
		T(capabilities_10_rejects_cert_without_chal),
		T(capabilities_10_rejects_chal_without_cert),
		T(capabilities_10_rejects_signed_meas_without_cert),
		T(capabilities_10_ignores_flags_defined_later),
		T(capabilities_rejects_reserved_psk_cap),
		T(capabilities_rejects_key_ex_without_mac_or_encrypt),
		T(capabilities_rejects_mac_without_key_ex_or_psk),
		T(capabilities_rejects_handshake_in_clear_without_key_ex),
		T(capabilities_rejects_cert_and_pub_key_id),
		T(capabilities_rejects_cert_that_nothing_signs_with),
		T(capabilities_rejects_chal_without_cert_or_pub_key),
		T(capabilities_rejects_mut_auth_without_chal_or_key_ex),
		T(capabilities_11_rejects_mut_auth_without_encap),
		T(capabilities_12_accepts_mut_auth_without_encap),
		T(capabilities_rejects_alias_cert_without_cert),
		T(capabilities_rejects_set_cert_without_cert),
		T(capabilities_rejects_csr_without_set_cert),
		T(capabilities_rejects_install_reset_without_csr_or_set_cert),
		T(capabilities_12_ignores_flags_defined_later),
		T(capabilities_rejects_reserved_ep_info_cap),
		T(capabilities_rejects_event_without_key_ex_or_psk),
		T(capabilities_rejects_reserved_multi_key_cap),
		T(capabilities_rejects_multi_key_without_key_pair_info),
		T(capabilities_rejects_pub_key_id_with_key_pair_info),
		T(algorithms_rejects_truncated_struct),
		T(algorithms_rejects_truncated_header),
		T(algorithms_rejects_several_asym_bits),
		T(algorithms_rejects_asym_never_offered),
		T(algorithms_rejects_no_common_asym),
		T(algorithms_rejects_several_hash_bits),
		T(algorithms_rejects_hash_never_offered),
		T(algorithms_rejects_no_common_hash),
		T(algorithms_rejects_length_field_mismatch),
		T(algorithms_rejects_struct_count_past_length),
		T(algorithms_rejects_dhe_never_offered),
		T(algorithms_rejects_extended_asym_selection),
		T(algorithms_rejects_several_meas_hash_bits),
		T(algorithms_rejects_opaque_format_never_offered),
		T(algorithms_rejects_mel_spec_never_offered),
		T(digests_rejects_empty_slot_mask),
		T(digests_rejects_mask_without_digest),
		T(digests_rejects_extra_digest_bytes),
		T(digests_rejects_truncated_header),
		T(digests_rejects_digest_not_matching_chain),
		T(certificate_rejects_truncated_header),
		T(certificate_rejects_zero_portion),
		T(certificate_rejects_portion_past_received),
		T(certificate_rejects_portion_above_request),
		T(certificate_rejects_growing_remainder),
		T(certificate_rejects_inconsistent_remainder),
		T(certificate_rejects_chain_over_64k),
		T(certificate_rejects_slot_mismatch),
		T(certificate_rejects_trailing_bytes),
		T(chain_rejects_header_shorter_than_chain),
		T(chain_rejects_root_hash_mismatch),
		T(chain_rejects_malformed_der),
		T(chain_rejects_der_length_past_chain),
		T(chain_rejects_certificate_not_signed_by_predecessor),
		T(chain_rejects_certificate_issued_by_non_ca),
		T(chain_rejects_leaf_marked_ca),
		T(cert_model_device_accepts_hardware_identity),
		T(multi_key_only_responder_authenticates),
		T(multi_key_negotiable_responder_authenticates),
		T(multi_key_caps_ignored_before_13),
		T(multi_key_picks_slot_by_key_usage),
		T(multi_key_rejects_no_challenge_key),
		T(multi_key_skips_measurements_without_measurement_key),
		T(multi_key_rejects_cert_model_none),
		T(multi_key_rejects_reserved_cert_model),
		T(multi_key_rejects_reserved_cert_info_bits),
		T(multi_key_generic_model_rejects_hardware_identity),
		T(multi_key_alias_model_rejects_hardware_identity),
		T(multi_key_device_model_accepts_hardware_identity),
		T(key_pair_info_rejects_other_key_pair_id),
		T(key_pair_info_rejects_id_above_total),
		T(key_pair_info_rejects_other_key_usage),
		T(key_pair_info_rejects_usage_beyond_capabilities),
		T(key_pair_info_rejects_slot_not_associated),
		T(key_pair_info_rejects_public_key_past_end),
		T(key_pair_info_rejects_truncated),
		T(key_pair_info_rejects_trailing_bytes),
		T(multi_key_digests_rejects_missing_fields),

		T(cert_model_alias_rejects_hardware_identity),
		T(cert_model_alias_accepts_leaf_without_hardware_identity),
		T(cert_model_11_ignores_alias_cert_cap),
		T(cert_model_rejects_requester_only_eku),
		T(cert_model_accepts_eku_naming_both_roles),
		T(chain_rejects_leaf_without_digital_signature),
		T(chain_rejects_leaf_key_of_other_algorithm),
		T(chain_rejects_chain_without_certificate),
		T(challenge_auth_rejects_truncated_signature),
		T(challenge_auth_rejects_truncated_before_opaque_length),
		T(challenge_auth_rejects_cert_chain_hash_mismatch),
		T(challenge_auth_rejects_slot_mismatch),
		T(challenge_auth_rejects_slot_missing_from_mask),
		T(challenge_auth_rejects_opaque_length_past_end),
		T(challenge_auth_rejects_oversize_opaque_length),
		T(challenge_auth_rejects_oversize_opaque_data),
		T(challenge_auth_rejects_corrupted_signature),
		T(challenge_auth_rejects_corrupted_responder_nonce),
		T(challenge_auth_rejects_signature_over_wrong_transcript),
		T(challenge_auth_rejects_signature_by_other_key),
		T(challenge_auth_rejects_stale_nonce),
		T(challenge_auth_rejects_trailing_bytes),
		T(challenge_auth_tolerates_doe_padding),
		T(challenge_auth_rejects_wrong_response_code),
		T(challenge_auth_rejects_unechoed_requester_context),
		T(challenge_auth_rejects_response_filling_buffer),
		T(measurements_rejects_record_length_past_end),
		T(measurements_rejects_block_size_past_record),
		T(measurements_rejects_block_count_mismatch),
		T(measurements_rejects_slot_mismatch),
		T(measurements_rejects_truncated_before_opaque_length),
		T(measurements_rejects_truncated_signature),
		T(measurements_rejects_corrupted_signature),
		T(measurements_rejects_altered_record),
		T(measurements_rejects_truncated_header),
		T(measurements_rejects_unechoed_requester_context),
		T(measurements_rejects_block_of_other_spec),
		T(measurements_rejects_block_index_zero),
		T(measurements_rejects_block_index_ff),
		T(measurements_rejects_dmtf_value_size_mismatch),
		T(measurements_rejects_block_shorter_than_dmtf_header),
		T(error_busy_storm_gives_ebusy),
		T(error_busy_once_is_retried),
		T(error_not_ready_is_followed_by_respond_if_ready),
		T(error_not_ready_storm_times_out),
		T(error_not_ready_with_absurd_delay_times_out),
		T(error_not_ready_on_get_version_asks_again_as_1_0),
		T(error_not_ready_for_another_request_is_rejected),
		T(error_resynch_once_restarts_at_get_version),
		T(error_resynch_storm_gives_eagain),
		T(error_unsupported_request_gives_eopnotsupp),
		T(error_invalid_request_gives_einval),
		T(error_unexpected_request_gives_ebade),
		T(error_unspecified_gives_eremoteio),
		T(error_version_mismatch_gives_eprotonosupport),
		T(algorithms_refused_offer_gives_eprotonosupport),
		T(error_large_response_without_chunk_cap_gives_eproto),
		T(error_unknown_code_gives_eproto),
		T(error_request_in_flight_gives_ealready),
		T(transport_errno_passes_through),
		T(exchange_hook_reports_every_exchange),
		T(exchange_hook_reports_failing_exchange),
		T(reauth_skips_get_certificate_when_digest_unchanged),
		T(reauth_refetches_chain_when_digest_changes),
		T(all_provisioned_slots_are_fetched),
		T(failed_fetch_publishes_no_unconfirmed_cached_chain),
		T(large_chain_is_fetched_in_1k_portions_before_1_2),
		T(small_transfer_size_gives_many_portions),
		T(one_byte_certificate_portions_are_accepted),
		T(eight_large_chains_fit_the_transcript_bound),
		T(transcript_bound_stops_one_byte_portions_of_large_chains),
		T(exchanges_per_attempt_are_capped),
		T(deadline_stops_one_byte_certificate_portions),
		T(deadline_zero_means_library_default),
		T(deadline_allows_slow_responder_within_it),
		T(deadline_stops_response_not_ready_retries),
		T(deadline_spans_resynch_restart),
		T(measurements_skipped_without_meas_cap),
		T(evidence_reverifies_with_caller_nonce),
		T(create_rejects_missing_transport),
		T(kat_combined_prefix_1_2_challenge_auth),
		T(kat_combined_prefix_1_3_measurements),
		T(kat_rsa_signature_1_1_verifies),
		T(kat_rsa_signature_1_2_verifies),
		T(kat_1_1_signature_is_rejected_under_1_2_rules),
		T(kat_1_2_signature_is_rejected_with_other_context),
		T(kat_ecdsa_p384_signature_1_3_verifies),
		T(der_length_forms),
	};
	static const u32 asyms[] = {
		A_RSASSA_2048, A_RSAPSS_2048, A_RSASSA_3072, A_RSAPSS_3072,
		A_ECDSA_P256, A_RSASSA_4096, A_RSAPSS_4096, A_ECDSA_P384,
		A_ECDSA_P521,
	};
	static const char *const hash_names[] = { "SHA_256", "SHA_384", "SHA_512" };
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]), n = n_fixed, i;
	struct happy happy[4 * 9 * 3];
	struct CMUnitTest *tests;
	char (*names)[64];
	unsigned int v, a, h;
	int failed;

	spdm_env_set_virtual_sleep(true);
	spdm_env_set_log_level(getenv("SPDM_TEST_VERBOSE") ? SPDM_LOG_DEBUG :
			       SPDM_LOG_QUIET);
	fake_pki_init(true);

	tests = calloc(n_fixed + 4 * 9 * 3, sizeof(*tests));
	names = calloc(4 * 9 * 3, sizeof(*names));
	for (i = 0; i < n_fixed; i++)
		tests[i] = fixed[i];
	i = 0;
	for (v = 0; v < 4; v++) {
		for (a = 0; a < 9; a++) {
			for (h = 0; h < 3; h++, i++, n++) {
				happy[i] = (struct happy){ 0x10 + v, asyms[a], 1u << h };
				snprintf(names[i], sizeof(names[i]),
					 "happy_path_1_%u_%s_%s", v, asym_name(asyms[a]),
					 hash_names[h]);
				tests[n] = (struct CMUnitTest){
					.name = names[i],
					.test_func = happy_path,
					.initial_state = &happy[i],
				};
			}
		}
	}
	failed = _cmocka_run_group_tests("spdm", tests, n, NULL, NULL);
	free(tests);
	free(names);
	fake_pki_free();
	return failed ? 1 : 0;
}
