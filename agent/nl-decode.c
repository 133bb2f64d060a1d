// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding the spdm family's device-get messages into evidence.
 *
 * A dump sends, per device, a state message and then messages of chunks;
 * the chunks of each blob (a chain per slot, the transcript, the signature,
 * the measurement record, its transcript and signature) arrive in offset
 * order and must cover it exactly.
 * A state message for a device restarts it (the kernel re-sends it when the
 * device re-authenticated during the dump). Nothing here trusts a length:
 * every chunk is checked against its blob's total before it is copied.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include <linux/spdm.h>

#include "agent.h"

static struct nla_policy agent_dev_policy[SPDM_A_DEVICE_MAX + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_STRING, .maxlen = 64 },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_VENDOR_ID] = { .type = NLA_U16 },
	[SPDM_A_DEVICE_DEVICE_ID] = { .type = NLA_U16 },
	[SPDM_A_DEVICE_CLASS] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_REVISION] = { .type = NLA_U8 },
	[SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID] = { .type = NLA_U16 },
	[SPDM_A_DEVICE_SUBSYSTEM_ID] = { .type = NLA_U16 },
	[SPDM_A_DEVICE_STATE] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_GENERATION] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_ERROR] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_VERSION] = { .type = NLA_U8 },
	[SPDM_A_DEVICE_BASE_ASYM_ALG] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_BASE_HASH_ALG] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_MEAS_HASH_ALG] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_SLOT_MASK] = { .type = NLA_U8 },
	[SPDM_A_DEVICE_CERT_MODEL] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_KEY_PAIR_ID] = { .type = NLA_U8 },
	[SPDM_A_DEVICE_KEY_USAGE] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_SLOT] = { .type = NLA_U8 },
	[SPDM_A_DEVICE_REQ_NONCE_OFFSET] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_RSP_NONCE_OFFSET] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_VERDICT] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_VERDICT_SOURCE] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_DURATION_US] = { .type = NLA_U32 },
};

static struct nla_policy agent_chunk_policy[SPDM_A_CHUNK_MAX + 1] = {
	[SPDM_A_CHUNK_KIND] = { .type = NLA_U32 },
	[SPDM_A_CHUNK_SLOT] = { .type = NLA_U8 },
	[SPDM_A_CHUNK_OFFSET] = { .type = NLA_U32 },
	[SPDM_A_CHUNK_TOTAL_LEN] = { .type = NLA_U32 },
};

/* The uapi's auth-state as the policy sees it. */
static enum agent_auth_state agent_state_from_uapi(uint32_t s)
{
	switch (s) {
	case SPDM_AUTH_STATE_AUTHENTICATED:
		return AGENT_AUTH_AUTHENTICATED;
	case SPDM_AUTH_STATE_FAILED:
		return AGENT_AUTH_FAILED;
	case SPDM_AUTH_STATE_UNSUPPORTED:
		return AGENT_AUTH_UNSUPPORTED;
	default:
		return AGENT_AUTH_PENDING;
	}
}

static void agent_blobs_free(struct agent_dump *d)
{
	for (int i = 0; i < AGENT_NR_BLOBS; i++)
		free(d->blobs[i].buf);
	memset(d->blobs, 0, sizeof(d->blobs));
}

/* Hand the complete blobs to the current device and keep it. */
static int agent_dump_close_device(struct agent_dump *d)
{
	struct agent_evidence *ev = &d->cur, *devs;
	bool complete = true;

	if (!d->have_cur)
		return 0;
	for (int i = 0; i < AGENT_NR_BLOBS; i++)
		if (d->blobs[i].buf && d->blobs[i].filled != d->blobs[i].total)
			complete = false;
	if (!complete) {
		snprintf(ev->evidence_error, sizeof(ev->evidence_error),
			 "evidence incomplete: a blob's chunks stopped short");
		agent_blobs_free(d);
	}
	for (int i = 0; i < AGENT_MAX_SLOTS; i++) {
		ev->chain[i] = d->blobs[AGENT_BLOB_CHAIN0 + i].buf;
		ev->chain_len[i] = d->blobs[AGENT_BLOB_CHAIN0 + i].total;
	}
	ev->transcript = d->blobs[AGENT_BLOB_TRANSCRIPT].buf;
	ev->transcript_len = d->blobs[AGENT_BLOB_TRANSCRIPT].total;
	ev->signature = d->blobs[AGENT_BLOB_SIGNATURE].buf;
	ev->signature_len = d->blobs[AGENT_BLOB_SIGNATURE].total;
	ev->meas = d->blobs[AGENT_BLOB_MEAS].buf;
	ev->meas_len = d->blobs[AGENT_BLOB_MEAS].total;
	ev->meas_transcript = d->blobs[AGENT_BLOB_MEAS_TRANSCRIPT].buf;
	ev->meas_transcript_len = d->blobs[AGENT_BLOB_MEAS_TRANSCRIPT].total;
	ev->meas_signature = d->blobs[AGENT_BLOB_MEAS_SIGNATURE].buf;
	ev->meas_signature_len = d->blobs[AGENT_BLOB_MEAS_SIGNATURE].total;
	memset(d->blobs, 0, sizeof(d->blobs));

	devs = realloc(d->devs, (d->ndevs + 1) * sizeof(*devs));
	if (!devs) {
		agent_evidence_free(ev);
		d->have_cur = false;
		return -ENOMEM;
	}
	d->devs = devs;
	d->devs[d->ndevs++] = *ev;
	memset(ev, 0, sizeof(*ev));
	d->have_cur = false;
	return 0;
}

static void agent_dump_state(struct agent_evidence *ev, struct nlattr **tb)
{
	nla_strlcpy(ev->name, tb[SPDM_A_DEVICE_NAME], sizeof(ev->name));
	ev->key = nla_get_u32(tb[SPDM_A_DEVICE_KEY]);
	ev->generation = nla_get_u32(tb[SPDM_A_DEVICE_GENERATION]);
#define GET(attr, field, getter) \
	do { if (tb[attr]) ev->field = getter(tb[attr]); } while (0)
	GET(SPDM_A_DEVICE_VENDOR_ID, ids.vendor, nla_get_u16);
	GET(SPDM_A_DEVICE_DEVICE_ID, ids.device, nla_get_u16);
	GET(SPDM_A_DEVICE_CLASS, ids.class, nla_get_u32);
	GET(SPDM_A_DEVICE_REVISION, ids.revision, nla_get_u8);
	GET(SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID, ids.subsys_vendor, nla_get_u16);
	GET(SPDM_A_DEVICE_SUBSYSTEM_ID, ids.subsys_device, nla_get_u16);
	GET(SPDM_A_DEVICE_ERROR, result, (int)nla_get_u32);
	GET(SPDM_A_DEVICE_VERSION, version, nla_get_u8);
	GET(SPDM_A_DEVICE_BASE_ASYM_ALG, base_asym_alg, nla_get_u32);
	GET(SPDM_A_DEVICE_BASE_HASH_ALG, base_hash_alg, nla_get_u32);
	GET(SPDM_A_DEVICE_MEAS_HASH_ALG, meas_hash_alg, nla_get_u32);
	GET(SPDM_A_DEVICE_SLOT_MASK, slot_mask, nla_get_u8);
	GET(SPDM_A_DEVICE_SLOT, slot, nla_get_u8);
	GET(SPDM_A_DEVICE_CERT_MODEL, cert_model, nla_get_u32);
	GET(SPDM_A_DEVICE_KEY_PAIR_ID, key_pair_id, nla_get_u8);
	GET(SPDM_A_DEVICE_KEY_USAGE, key_usage, nla_get_u32);
	ev->multi_key = tb[SPDM_A_DEVICE_KEY_PAIR_ID];
	GET(SPDM_A_DEVICE_REQ_NONCE_OFFSET, req_nonce_off, nla_get_u32);
	GET(SPDM_A_DEVICE_RSP_NONCE_OFFSET, rsp_nonce_off, nla_get_u32);
	GET(SPDM_A_DEVICE_VERDICT, verdict, nla_get_u32);
	/* The kernel reports a verdict only for devices its gate holds or held. */
	ev->gated = tb[SPDM_A_DEVICE_VERDICT];
#undef GET
	ev->state = tb[SPDM_A_DEVICE_STATE] ?
		    agent_state_from_uapi(nla_get_u32(tb[SPDM_A_DEVICE_STATE])) :
		    AGENT_AUTH_PENDING;
}

/* One chunk: where it goes, and that it fits exactly where it says. */
static int agent_dump_chunk(struct agent_dump *d, struct nlattr *nest)
{
	struct nlattr *tb[SPDM_A_CHUNK_MAX + 1];
	struct agent_blob *b;
	uint32_t kind, off, total, len;
	int id;

	if (nla_parse_nested(tb, SPDM_A_CHUNK_MAX, nest, agent_chunk_policy))
		return -EPROTO;
	if (!tb[SPDM_A_CHUNK_KIND] || !tb[SPDM_A_CHUNK_OFFSET] ||
	    !tb[SPDM_A_CHUNK_TOTAL_LEN] || !tb[SPDM_A_CHUNK_DATA])
		return -EPROTO;
	kind = nla_get_u32(tb[SPDM_A_CHUNK_KIND]);
	switch (kind) {
	case SPDM_EVIDENCE_KIND_CERT_CHAIN:
		if (!tb[SPDM_A_CHUNK_SLOT] ||
		    nla_get_u8(tb[SPDM_A_CHUNK_SLOT]) >= AGENT_MAX_SLOTS)
			return -EPROTO;
		id = AGENT_BLOB_CHAIN0 + nla_get_u8(tb[SPDM_A_CHUNK_SLOT]);
		break;
	case SPDM_EVIDENCE_KIND_TRANSCRIPT:
		id = AGENT_BLOB_TRANSCRIPT;
		break;
	case SPDM_EVIDENCE_KIND_SIGNATURE:
		id = AGENT_BLOB_SIGNATURE;
		break;
	case SPDM_EVIDENCE_KIND_MEASUREMENTS:
		id = AGENT_BLOB_MEAS;
		break;
	case SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT:
		id = AGENT_BLOB_MEAS_TRANSCRIPT;
		break;
	case SPDM_EVIDENCE_KIND_MEAS_SIGNATURE:
		id = AGENT_BLOB_MEAS_SIGNATURE;
		break;
	default:
		return 0;	/* blobs the agent does not use */
	}
	b = &d->blobs[id];
	off = nla_get_u32(tb[SPDM_A_CHUNK_OFFSET]);
	total = nla_get_u32(tb[SPDM_A_CHUNK_TOTAL_LEN]);
	len = (uint32_t)nla_len(tb[SPDM_A_CHUNK_DATA]);
	if (!total || total > AGENT_BLOB_MAX)
		return -EMSGSIZE;
	if (!b->buf) {
		if (off)
			return -EPROTO;		/* must start at 0 */
		b->buf = malloc(total);
		if (!b->buf)
			return -ENOMEM;
		b->total = total;
	}
	if (total != b->total || off != b->filled || len > total - off)
		return -EPROTO;
	memcpy(b->buf + off, nla_data(tb[SPDM_A_CHUNK_DATA]), len);
	b->filled += len;
	return 0;
}

/**
 * agent_dump_feed() - take one device-get message of a dump
 * @d: the dump being collected
 * @attrs: the message's attributes (after the genetlink header)
 * @len: their length
 *
 * A malformed chunk drops the device's evidence and says why in its
 * evidence_error; the device is still reported (and will fail validation).
 *
 * Return: 0; -EPROTO for a malformed message or chunks that do not belong
 * to the device just announced; -ENOMEM.
 */
int agent_dump_feed(struct agent_dump *d, const void *attrs, int len)
{
	struct nlattr *tb[SPDM_A_DEVICE_MAX + 1], *a;
	int rem, ret = 0;

	if (nla_parse(tb, SPDM_A_DEVICE_MAX, (struct nlattr *)attrs, len,
		      agent_dev_policy))
		return -EPROTO;
	if (!tb[SPDM_A_DEVICE_NAME] || !tb[SPDM_A_DEVICE_KEY] ||
	    !tb[SPDM_A_DEVICE_GENERATION])
		return -EPROTO;
	if (!tb[SPDM_A_DEVICE_CHUNK]) {
		/* a state message: a new device, or this one restarted */
		if (d->have_cur && d->cur.key == nla_get_u32(tb[SPDM_A_DEVICE_KEY])) {
			agent_blobs_free(d);
			memset(&d->cur, 0, sizeof(d->cur));
			d->have_cur = false;
		}
		ret = agent_dump_close_device(d);
		if (ret)
			return ret;
		agent_dump_state(&d->cur, tb);
		d->have_cur = true;
		return 0;
	}
	if (!d->have_cur || d->cur.key != nla_get_u32(tb[SPDM_A_DEVICE_KEY]) ||
	    d->cur.generation != nla_get_u32(tb[SPDM_A_DEVICE_GENERATION]))
		return -EPROTO;
	if (d->cur.evidence_error[0])
		return 0;	/* already broken: skip the rest of it */
	nla_for_each_attr(a, (struct nlattr *)attrs, len, rem) {
		if (nla_type(a) != SPDM_A_DEVICE_CHUNK)
			continue;
		ret = agent_dump_chunk(d, a);
		if (ret)
			break;
	}
	if (ret && ret != -ENOMEM) {
		snprintf(d->cur.evidence_error, sizeof(d->cur.evidence_error),
			 "malformed evidence chunk (%s)", strerror(-ret));
		agent_blobs_free(d);
		return 0;
	}
	return ret;
}

/** agent_dump_finish() - the dump ended: keep the last device */
int agent_dump_finish(struct agent_dump *d)
{
	return agent_dump_close_device(d);
}

/** agent_dump_free() - release every device of a dump */
void agent_dump_free(struct agent_dump *d)
{
	for (size_t i = 0; i < d->ndevs; i++)
		agent_evidence_free(&d->devs[i]);
	free(d->devs);
	agent_blobs_free(d);
	agent_evidence_free(&d->cur);
	memset(d, 0, sizeof(*d));
}
