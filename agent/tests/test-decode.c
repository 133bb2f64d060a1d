// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink evidence decoder: device-get messages built here with libnl
 * as the kernel sends them, whole and chunked, and every way chunks can
 * lie about where they belong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/spdm.h>

#include "agent.h"
#include "unit.h"

/* An attribute stream under construction (a netlink message body). */
static struct nl_msg *msg_new(const char *name, uint32_t key, uint32_t gen)
{
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	if (name)
		nla_put_string(m, SPDM_A_DEVICE_NAME, name);
	nla_put_u32(m, SPDM_A_DEVICE_KEY, key);
	nla_put_u32(m, SPDM_A_DEVICE_GENERATION, gen);
	return m;
}

static void msg_state(struct nl_msg *m, uint32_t state)
{
	nla_put_u16(m, SPDM_A_DEVICE_VENDOR_ID, 0x1b36);
	nla_put_u16(m, SPDM_A_DEVICE_DEVICE_ID, 0x0010);
	nla_put_u32(m, SPDM_A_DEVICE_CLASS, 0x010802);
	nla_put_u8(m, SPDM_A_DEVICE_REVISION, 2);
	nla_put_u16(m, SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID, 0x1af4);
	nla_put_u16(m, SPDM_A_DEVICE_SUBSYSTEM_ID, 0x1100);
	nla_put_u32(m, SPDM_A_DEVICE_STATE, state);
	nla_put_s32(m, SPDM_A_DEVICE_ERROR, 0);
	nla_put_u8(m, SPDM_A_DEVICE_VERSION, 0x12);
	nla_put_u32(m, SPDM_A_DEVICE_BASE_ASYM_ALG, AGENT_ASYM_ECDSA_P384);
	nla_put_u32(m, SPDM_A_DEVICE_BASE_HASH_ALG, AGENT_HASH_SHA384);
	nla_put_u8(m, SPDM_A_DEVICE_SLOT, 0);
	nla_put_u32(m, SPDM_A_DEVICE_REQ_NONCE_OFFSET, 10);
	nla_put_u32(m, SPDM_A_DEVICE_RSP_NONCE_OFFSET, 50);
}

static void msg_chunk(struct nl_msg *m, uint32_t kind, int slot, uint32_t off,
		      uint32_t total, const void *data, uint32_t len)
{
	struct nlattr *nest = nla_nest_start(m, SPDM_A_DEVICE_CHUNK);

	nla_put_u32(m, SPDM_A_CHUNK_KIND, kind);
	if (slot >= 0)
		nla_put_u8(m, SPDM_A_CHUNK_SLOT, (uint8_t)slot);
	nla_put_u32(m, SPDM_A_CHUNK_OFFSET, off);
	nla_put_u32(m, SPDM_A_CHUNK_TOTAL_LEN, total);
	nla_put(m, SPDM_A_CHUNK_DATA, (int)len, data);
	nla_nest_end(m, nest);
}

static int feed(struct agent_dump *d, struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	int ret = agent_dump_feed(d, nlmsg_data(h), nlmsg_datalen(h));

	nlmsg_free(m);
	return ret;
}

static const uint8_t blob[100] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void decode_reassembles_chunked_evidence(void **state)
{
	struct agent_dump d = { 0 };
	struct nl_msg *m;
	const struct agent_evidence *ev;

	(void)state;
	m = msg_new("0000:01:00.0", 0x100, 3);
	msg_state(m, SPDM_AUTH_STATE_AUTHENTICATED);
	assert_int_equal(feed(&d, m), 0);
	m = msg_new("0000:01:00.0", 0x100, 3);
	msg_chunk(m, SPDM_EVIDENCE_KIND_CERT_CHAIN, 2, 0, 100, blob, 60);
	assert_int_equal(feed(&d, m), 0);
	m = msg_new("0000:01:00.0", 0x100, 3);
	msg_chunk(m, SPDM_EVIDENCE_KIND_CERT_CHAIN, 2, 60, 100, blob + 60, 40);
	msg_chunk(m, SPDM_EVIDENCE_KIND_TRANSCRIPT, -1, 0, 80, blob, 80);
	msg_chunk(m, SPDM_EVIDENCE_KIND_SIGNATURE, -1, 0, 96, blob, 96);
	msg_chunk(m, SPDM_EVIDENCE_KIND_MEAS_SIGNATURE, -1, 0, 5, blob, 5);
	msg_chunk(m, SPDM_EVIDENCE_KIND_MEASUREMENTS, -1, 0, 7, blob + 3, 7);
	msg_chunk(m, SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT, -1, 0, 40, blob + 1, 40);
	assert_int_equal(feed(&d, m), 0);
	m = msg_new("0000:02:00.0", 0x200, 1);
	msg_state(m, SPDM_AUTH_STATE_UNSUPPORTED);
	assert_int_equal(feed(&d, m), 0);
	assert_int_equal(agent_dump_finish(&d), 0);

	assert_int_equal(d.ndevs, 2);
	ev = &d.devs[0];
	assert_string_equal(ev->name, "0000:01:00.0");
	assert_int_equal(ev->key, 0x100);
	assert_int_equal(ev->generation, 3);
	assert_int_equal(ev->state, AGENT_AUTH_AUTHENTICATED);
	assert_int_equal(ev->ids.vendor, 0x1b36);
	assert_int_equal(ev->ids.class, 0x010802);
	assert_int_equal(ev->ids.subsys_device, 0x1100);
	assert_int_equal(ev->version, 0x12);
	assert_int_equal(ev->base_asym_alg, AGENT_ASYM_ECDSA_P384);
	assert_int_equal(ev->rsp_nonce_off, 50);
	assert_null(ev->chain[0]);
	assert_int_equal(ev->chain_len[2], 100);
	assert_memory_equal(ev->chain[2], blob, 100);
	assert_int_equal(ev->transcript_len, 80);
	assert_int_equal(ev->signature_len, 96);
	assert_int_equal(ev->meas_signature_len, 5);
	assert_memory_equal(ev->meas, blob + 3, 7);
	assert_int_equal(ev->meas_len, 7);
	assert_memory_equal(ev->meas_transcript, blob + 1, 40);
	assert_int_equal(ev->meas_transcript_len, 40);
	assert_string_equal(ev->evidence_error, "");
	assert_int_equal(d.devs[1].state, AGENT_AUTH_UNSUPPORTED);
	assert_null(d.devs[1].transcript);
	agent_dump_free(&d);
}

/* Feed device 0000:01:00.0 (key 1, generation 1), authenticated. */
static void feed_device(struct agent_dump *d)
{
	struct nl_msg *m = msg_new("0000:01:00.0", 1, 1);

	msg_state(m, SPDM_AUTH_STATE_AUTHENTICATED);
	assert_int_equal(feed(d, m), 0);
}

/* One chunk of blob's first bytes. */
struct chunk {
	uint32_t kind;
	int slot;	/* -1: none */
	uint32_t off, total, len;
};

struct bad_chunk_case {
	struct chunk chunks[2];
	size_t n;
	const char *error;	/* the evidence error they cause */
};

/* One device, then one message with the case's chunks: its evidence error. */
static void bad_chunk_case(void **state)
{
	const struct bad_chunk_case *c = *state;
	struct agent_dump d = { 0 };
	struct nl_msg *m;

	feed_device(&d);
	m = msg_new("0000:01:00.0", 1, 1);
	for (size_t i = 0; i < c->n; i++)
		msg_chunk(m, c->chunks[i].kind, c->chunks[i].slot,
			  c->chunks[i].off, c->chunks[i].total, blob,
			  c->chunks[i].len);
	assert_int_equal(feed(&d, m), 0);
	/* later chunks of a broken device are ignored */
	m = msg_new("0000:01:00.0", 1, 1);
	msg_chunk(m, SPDM_EVIDENCE_KIND_SIGNATURE, -1, 0, 4, blob, 4);
	assert_int_equal(feed(&d, m), 0);
	assert_int_equal(agent_dump_finish(&d), 0);
	assert_int_equal(d.ndevs, 1);
	assert_string_equal(d.devs[0].evidence_error, c->error);
	assert_null(d.devs[0].signature);
	assert_null(d.devs[0].chain[0]);
	agent_dump_free(&d);
}

#define CHAIN	SPDM_EVIDENCE_KIND_CERT_CHAIN
#define TRANS	SPDM_EVIDENCE_KIND_TRANSCRIPT
#define SIG	SPDM_EVIDENCE_KIND_SIGNATURE
#define EPROTO_TEXT "malformed evidence chunk (Protocol error)"

static void decode_reports_incomplete_blob(void **state)
{
	struct agent_dump d = { 0 };
	struct nl_msg *m;

	(void)state;
	feed_device(&d);
	m = msg_new("0000:01:00.0", 1, 1);
	msg_chunk(m, SPDM_EVIDENCE_KIND_TRANSCRIPT, -1, 0, 100, blob, 99);
	assert_int_equal(feed(&d, m), 0);
	assert_int_equal(agent_dump_finish(&d), 0);
	assert_string_equal(d.devs[0].evidence_error,
			    "evidence incomplete: a blob's chunks stopped short");
	assert_null(d.devs[0].transcript);
	agent_dump_free(&d);
}

static void decode_rejects_chunks_of_another_device(void **state)
{
	struct agent_dump d = { 0 };
	struct nl_msg *m;

	(void)state;
	feed_device(&d);
	m = msg_new("0000:01:00.0", 1, 2);	/* newer generation */
	msg_chunk(m, SPDM_EVIDENCE_KIND_SIGNATURE, -1, 0, 4, blob, 4);
	assert_int_equal(feed(&d, m), -EPROTO);
	m = msg_new("0000:02:00.0", 2, 1);	/* another key */
	msg_chunk(m, SPDM_EVIDENCE_KIND_SIGNATURE, -1, 0, 4, blob, 4);
	assert_int_equal(feed(&d, m), -EPROTO);
	agent_dump_free(&d);
}

static void decode_restarts_device_on_repeated_state(void **state)
{
	struct agent_dump d = { 0 };
	struct nl_msg *m;

	(void)state;
	feed_device(&d);
	m = msg_new("0000:01:00.0", 1, 1);
	msg_chunk(m, SPDM_EVIDENCE_KIND_TRANSCRIPT, -1, 0, 100, blob, 50);
	feed(&d, m);
	/* the kernel re-sends the state: the device re-authenticated */
	m = msg_new("0000:01:00.0", 1, 2);
	msg_state(m, SPDM_AUTH_STATE_PENDING);
	assert_int_equal(feed(&d, m), 0);
	assert_int_equal(agent_dump_finish(&d), 0);
	assert_int_equal(d.ndevs, 1);
	assert_int_equal(d.devs[0].generation, 2);
	assert_int_equal(d.devs[0].state, AGENT_AUTH_PENDING);
	assert_null(d.devs[0].transcript);
	agent_dump_free(&d);
}

static void decode_requires_name_key_and_generation(void **state)
{
	struct agent_dump d = { 0 };
	struct nl_msg *m;

	(void)state;
	m = msg_new(NULL, 1, 1);
	msg_state(m, SPDM_AUTH_STATE_AUTHENTICATED);
	assert_int_equal(feed(&d, m), -EPROTO);
	m = nlmsg_alloc();
	nla_put_string(m, SPDM_A_DEVICE_NAME, "x");
	nla_put_u16(m, SPDM_A_DEVICE_KEY, 1);	/* too short for a u32 */
	nla_put_u32(m, SPDM_A_DEVICE_GENERATION, 1);
	assert_int_equal(feed(&d, m), -EPROTO);
	agent_dump_free(&d);
}

static const struct CMUnitTest decode_tests[] = {
	cmocka_unit_test(decode_reassembles_chunked_evidence),
	UNIT_CASE(decode_rejects_chunk_gap, bad_chunk_case, struct bad_chunk_case,
		  { { CHAIN, 0, 0, 100, 10 }, { CHAIN, 0, 20, 100, 10 } }, 2,
		  EPROTO_TEXT),
	UNIT_CASE(decode_rejects_chunk_past_total, bad_chunk_case,
		  struct bad_chunk_case, { { CHAIN, 0, 0, 10, 11 } }, 1, EPROTO_TEXT),
	UNIT_CASE(decode_rejects_changing_total, bad_chunk_case,
		  struct bad_chunk_case,
		  { { TRANS, -1, 0, 100, 10 }, { TRANS, -1, 10, 200, 10 } }, 2,
		  EPROTO_TEXT),
	UNIT_CASE(decode_rejects_oversized_blob, bad_chunk_case,
		  struct bad_chunk_case, { { TRANS, -1, 0, AGENT_BLOB_MAX + 1, 10 } },
		  1, "malformed evidence chunk (Message too long)"),
	UNIT_CASE(decode_rejects_bad_slot, bad_chunk_case, struct bad_chunk_case,
		  { { CHAIN, 8, 0, 10, 10 } }, 1, EPROTO_TEXT),
	UNIT_CASE(decode_rejects_blob_not_starting_at_zero, bad_chunk_case,
		  struct bad_chunk_case, { { SIG, -1, 4, 10, 6 } }, 1, EPROTO_TEXT),
	cmocka_unit_test(decode_reports_incomplete_blob),
	cmocka_unit_test(decode_rejects_chunks_of_another_device),
	cmocka_unit_test(decode_restarts_device_on_repeated_state),
	cmocka_unit_test(decode_requires_name_key_and_generation),
};

UNIT_SUITE(decode_suite, decode_tests);
