// SPDX-License-Identifier: GPL-2.0
/*
 * The "spdm" generic netlink family, as specified by include/spdm.yaml. Its
 * policies, split ops and family are generated from the spec into
 * netlink-gen.c; this file holds the handlers and notifications.
 *
 * Notifications are small; evidence is pulled with a device-get dump. A blob
 * (a certificate chain of up to 64 KiB, a transcript containing one) may
 * not fit in a message or even an attribute, so the dump sends it as
 * ordered chunks spread over as many messages as it takes; it reads an
 * immutable copy of the evidence, and if the device re-authenticated
 * meanwhile it flags the dump NLM_F_DUMP_INTR instead of mixing attempts.
 *
 * Everything that changes a device, joining "monitor" and reading evidence
 * need CAP_SYS_ADMIN, checked here (as the sysfs attributes do) and nothing
 * else: GENL_ADMIN_PERM would add CAP_NET_ADMIN, which a policy agent has no
 * use for. The family lives in the initial network namespace only.
 */
#include <linux/capability.h>
#include <net/genetlink.h>

#include "cma.h"
#include "netlink-gen.h"

/* The device a request names by name, key or both. */
static struct pci_cma_dev *pci_cma_nl_lookup(struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *name = attrs[SPDM_A_DEVICE_NAME];
	struct nlattr *key = attrs[SPDM_A_DEVICE_KEY];
	struct pci_cma_dev *cdev;

	if (!name && !key) {
		NL_SET_ERR_MSG(extack, "device name or key required");
		return ERR_PTR(-EINVAL);
	}
	cdev = key ? pci_cma_dev_get(nla_get_u32(key)) : pci_cma_dev_get_by_name(nla_data(name));
	if (!cdev) {
		NL_SET_ERR_MSG_ATTR(extack, key ?: name, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (name && key && strcmp(cdev->name, nla_data(name))) {
		pci_cma_dev_put(cdev);
		NL_SET_ERR_MSG_ATTR(extack, name, "name and key are different devices");
		return ERR_PTR(-EINVAL);
	}
	return cdev;
}

static bool pci_cma_nl_admin(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack, "CAP_SYS_ADMIN required");
	return false;
}

/**
 * pci_cma_nl_pre_doit_admin() - pre_doit of the operations that need CAP_SYS_ADMIN
 * @ops: the operation
 * @skb: the request
 * @info: its attributes and extack
 *
 * The spec names this hook where the kernel would use GENL_ADMIN_PERM, which
 * means CAP_NET_ADMIN.
 *
 * Return: 0, or -EPERM with an extack message.
 */
int pci_cma_nl_pre_doit_admin(const struct genl_split_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	return pci_cma_nl_admin(skb, info->extack) ? 0 : -EPERM;
}

static int pci_cma_nl_put_ids(struct sk_buff *skb, struct pci_cma_dev *cdev, u32 generation)
{
	if (nla_put_string(skb, SPDM_A_DEVICE_NAME, cdev->name) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_KEY, cdev->key) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_GENERATION, generation))
		return -EMSGSIZE;
	return 0;
}

static int pci_cma_nl_put_evidence_scalars(struct sk_buff *skb, const struct pci_cma_evidence *ev)
{
	u32 transcript_len = ev->blob[PCI_CMA_BLOB_TRANSCRIPT].len;

	if (nla_put_u8(skb, SPDM_A_DEVICE_VERSION, ev->version) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_BASE_ASYM_ALG, ev->base_asym_alg) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_BASE_HASH_ALG, ev->base_hash_alg) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_MEAS_HASH_ALG, ev->meas_hash_alg) ||
	    nla_put_u8(skb, SPDM_A_DEVICE_SLOT_MASK, ev->slot_mask) ||
	    nla_put_u8(skb, SPDM_A_DEVICE_SLOT, ev->slot) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_CERT_MODEL, ev->cert_model))
		return -EMSGSIZE;
	if (ev->multi_key &&
	    (nla_put_u8(skb, SPDM_A_DEVICE_KEY_PAIR_ID, ev->key_pair_id) ||
	     nla_put_u32(skb, SPDM_A_DEVICE_KEY_USAGE, ev->key_usage)))
		return -EMSGSIZE;
	/*
	 * The nonce the attempt used, from the requester's own copy: a verifier
	 * checks the signed messages carry it (a transcript replayed from an
	 * older attempt does not).
	 */
	if (ev->has_nonce &&
	    nla_put(skb, SPDM_A_DEVICE_NONCE, SPDM_NONCE_LEN, ev->nonce))
		return -EMSGSIZE;
	/* Offsets only when the transcript really holds the nonces. */
	if (transcript_len < SPDM_NONCE_LEN ||
	    ev->req_nonce_off > transcript_len - SPDM_NONCE_LEN ||
	    ev->rsp_nonce_off > transcript_len - SPDM_NONCE_LEN)
		return 0;
	if (nla_put_u32(skb, SPDM_A_DEVICE_REQ_NONCE_OFFSET, ev->req_nonce_off) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_RSP_NONCE_OFFSET, ev->rsp_nonce_off))
		return -EMSGSIZE;
	return 0;
}

/*
 * The gate attributes of a device-get reply, from the gate's snapshot:
 * verdict and source of the current generation, none while it waits for
 * one. Nothing for a device out of the gate's scope.
 */
static int pci_cma_nl_put_gate(struct sk_buff *skb, struct pci_cma_dev *cdev)
{
	struct pci_cma_gate_snapshot snap;
	bool cur;

	pci_cma_gate_get_snapshot(cdev, &snap);
	if (snap.state == PCI_CMA_GATE_NONE)
		return 0;
	cur = pci_cma_gate_snapshot_is_current(&snap);
	if (nla_put_u32(skb, SPDM_A_DEVICE_VERDICT, cur ? snap.verdict : SPDM_VERDICT_NONE) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_VERDICT_SOURCE,
			cur ? snap.source : SPDM_VERDICT_SOURCE_NONE) ||
	    nla_put_string(skb, SPDM_A_DEVICE_REASON, cur ? snap.reason : ""))
		return -EMSGSIZE;
	return 0;
}

/* The device-get reply body: identity, state and the scalar evidence. */
static int pci_cma_nl_put_state(struct sk_buff *skb, struct pci_cma_dev *cdev,
				const struct pci_cma_evidence *ev)
{
	struct pci_dev *pdev = cdev->pdev;
	enum spdm_auth_state state;
	u32 generation, duration_us;
	int error;

	scoped_guard(mutex, &cdev->lock) {
		state = cdev->state;
		generation = cdev->generation;
		error = cdev->error;
		duration_us = cdev->duration_us;
	}
	if (pci_cma_nl_put_ids(skb, cdev, generation) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_VENDOR_ID, pdev->vendor) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_DEVICE_ID, pdev->device) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_CLASS, pdev->class) ||
	    nla_put_u8(skb, SPDM_A_DEVICE_REVISION, pdev->revision) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID, pdev->subsystem_vendor) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_SUBSYSTEM_ID, pdev->subsystem_device) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_STATE, state) ||
	    nla_put_s32(skb, SPDM_A_DEVICE_ERROR, error) ||
	    pci_cma_nl_put_gate(skb, cdev))
		return -EMSGSIZE;
	if (state == SPDM_AUTH_STATE_UNSUPPORTED)
		return 0;
	if (nla_put_u32(skb, SPDM_A_DEVICE_DURATION_US, duration_us))
		return -EMSGSIZE;
	return ev ? pci_cma_nl_put_evidence_scalars(skb, ev) : 0;
}

/**
 * spdm_nl_device_get_doit() - device-get do: the state of one device
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int spdm_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_cma_evidence *ev;
	struct pci_cma_dev *cdev;
	struct sk_buff *msg;
	void *hdr;
	int rc;

	cdev = pci_cma_nl_lookup(info->attrs, info->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	rc = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_put;
	rc = -EMSGSIZE;
	hdr = genlmsg_iput(msg, info);
	if (!hdr)
		goto out_free;
	ev = pci_cma_dev_evidence(cdev);
	rc = pci_cma_nl_put_state(msg, cdev, ev);
	pci_cma_evidence_put(ev);
	if (rc)
		goto out_free;
	genlmsg_end(msg, hdr);
	pci_cma_dev_put(cdev);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
out_put:
	pci_cma_dev_put(cdev);
	return rc;
}

/**
 * struct pci_cma_nl_dump - where a device-get dump is, kept in cb->ctx
 * @key: device being dumped, or the next key to look at
 * @generation: generation of the evidence whose chunks are being sent
 * @offset: next byte of the current blob
 * @blob: current blob (enum pci_cma_blob)
 * @chunks: the device's state message is out, its chunks follow
 * @evidence: the request asked for evidence
 * @one: only the device named in the request
 * @done: nothing left
 */
struct pci_cma_nl_dump {
	u32 key;
	u32 generation;
	u32 offset;
	u8 blob;
	bool chunks;
	bool evidence;
	bool one;
	bool done;
};

static struct pci_cma_nl_dump *pci_cma_nl_dump_ctx(struct netlink_callback *cb)
{
	static_assert(sizeof(struct pci_cma_nl_dump) <= sizeof(cb->ctx));
	return (struct pci_cma_nl_dump *)cb->ctx;
}

/**
 * pci_cma_nl_device_get_start() - start of a device-get dump
 * @cb: the dump; its request's attributes are validated already
 *
 * The evidence flag needs CAP_SYS_ADMIN; a name or key restricts the dump to
 * that device, which must exist.
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_nl_device_get_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct pci_cma_nl_dump *ctx = pci_cma_nl_dump_ctx(cb);
	struct pci_cma_dev *cdev;

	ctx->evidence = info->attrs[SPDM_A_DEVICE_EVIDENCE];
	if (ctx->evidence && !pci_cma_nl_admin(cb->skb, cb->extack))
		return -EPERM;
	if (!info->attrs[SPDM_A_DEVICE_NAME] && !info->attrs[SPDM_A_DEVICE_KEY])
		return 0;
	cdev = pci_cma_nl_lookup(info->attrs, cb->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	ctx->key = cdev->key;
	ctx->one = true;
	pci_cma_dev_put(cdev);
	return 0;
}

static void *pci_cma_nl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &spdm_nl_family, NLM_F_MULTI, SPDM_CMD_DEVICE_GET);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static const struct {
	u32 kind;
	u8 slot;
} pci_cma_nl_blob_kind[PCI_CMA_NR_BLOBS] = {
	[PCI_CMA_BLOB_CHAIN0 ... PCI_CMA_BLOB_CHAIN7] = { SPDM_EVIDENCE_KIND_CERT_CHAIN },
	[PCI_CMA_BLOB_TRANSCRIPT] = { SPDM_EVIDENCE_KIND_TRANSCRIPT },
	[PCI_CMA_BLOB_SIGNATURE] = { SPDM_EVIDENCE_KIND_SIGNATURE },
	[PCI_CMA_BLOB_MEAS] = { SPDM_EVIDENCE_KIND_MEASUREMENTS },
	[PCI_CMA_BLOB_MEAS_TRANSCRIPT] = { SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT },
	[PCI_CMA_BLOB_MEAS_SIGNATURE] = { SPDM_EVIDENCE_KIND_MEAS_SIGNATURE },
};

/* Room a chunk nest needs besides its data; and the smallest chunk worth a message. */
#define PCI_CMA_NL_CHUNK_OVERHEAD	(nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(sizeof(u8)) + nla_total_size(0))
#define PCI_CMA_NL_MIN_CHUNK	256
#define PCI_CMA_NL_MAX_CHUNK	32768

static int pci_cma_nl_put_chunk(struct sk_buff *skb, const struct pci_cma_evidence *ev,
				unsigned int blob, u32 offset, u32 len)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SPDM_A_DEVICE_CHUNK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SPDM_A_CHUNK_KIND, pci_cma_nl_blob_kind[blob].kind) ||
	    (blob <= PCI_CMA_BLOB_CHAIN7 &&
	     nla_put_u8(skb, SPDM_A_CHUNK_SLOT, blob - PCI_CMA_BLOB_CHAIN0)) ||
	    nla_put_u32(skb, SPDM_A_CHUNK_OFFSET, offset) ||
	    nla_put_u32(skb, SPDM_A_CHUNK_TOTAL_LEN, ev->blob[blob].len) ||
	    nla_put(skb, SPDM_A_CHUNK_DATA, len, ev->blob[blob].data + offset)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Fill messages with chunks from where ctx is; -EMSGSIZE when skb is full. */
static int pci_cma_nl_dump_chunks(struct sk_buff *skb, struct netlink_callback *cb,
				  struct pci_cma_dev *cdev, const struct pci_cma_evidence *ev)
{
	struct pci_cma_nl_dump *ctx = pci_cma_nl_dump_ctx(cb);
	void *hdr = NULL;
	int rc = 0;

	while (ctx->blob < PCI_CMA_NR_BLOBS) {
		u32 left = ev->blob[ctx->blob].len - min(ctx->offset, ev->blob[ctx->blob].len);
		int room;

		if (!left) {
			ctx->blob++;
			ctx->offset = 0;
			continue;
		}
		if (!hdr) {
			hdr = pci_cma_nl_dump_msg(skb, cb);
			if (!hdr)
				return -EMSGSIZE;
			if (pci_cma_nl_put_ids(skb, cdev, ev->generation)) {
				genlmsg_cancel(skb, hdr);
				return -EMSGSIZE;
			}
		}
		room = skb_tailroom(skb) - (int)PCI_CMA_NL_CHUNK_OVERHEAD;
		if (room < PCI_CMA_NL_MIN_CHUNK) {
			rc = -EMSGSIZE;
			break;
		}
		left = min3(left, (u32)round_down(room, 4), (u32)PCI_CMA_NL_MAX_CHUNK);
		rc = pci_cma_nl_put_chunk(skb, ev, ctx->blob, ctx->offset, left);
		if (rc)
			break;
		ctx->offset += left;
	}
	/* No message when only empty blobs were left. */
	if (hdr)
		genlmsg_end(skb, hdr);
	return rc;
}

/* Emit one device: its state, then (if asked) its evidence in chunks. */
static int pci_cma_nl_dump_dev(struct sk_buff *skb, struct netlink_callback *cb,
			       struct pci_cma_dev *cdev)
{
	struct pci_cma_nl_dump *ctx = pci_cma_nl_dump_ctx(cb);
	struct pci_cma_evidence *ev = pci_cma_dev_evidence(cdev);
	void *hdr;
	int rc = 0;

	/*
	 * The state message goes first, and again if the evidence changed
	 * between messages: that message carries NLM_F_DUMP_INTR and the
	 * rest of the old evidence is gone.
	 */
	if (!ctx->chunks || !ev || ev->generation != ctx->generation) {
		if (ctx->chunks)
			ctx->blob = PCI_CMA_NR_BLOBS;
		hdr = pci_cma_nl_dump_msg(skb, cb);
		if (!hdr) {
			rc = -EMSGSIZE;
			goto out;
		}
		rc = pci_cma_nl_put_state(skb, cdev, ev);
		if (rc) {
			genlmsg_cancel(skb, hdr);
			goto out;
		}
		genlmsg_end(skb, hdr);
		if (!ctx->chunks) {
			ctx->chunks = true;
			ctx->generation = ev ? ev->generation : 0;
			ctx->blob = ctx->evidence && ev ? 0 : PCI_CMA_NR_BLOBS;
			ctx->offset = 0;
		}
	}
	if (ctx->blob < PCI_CMA_NR_BLOBS)
		rc = pci_cma_nl_dump_chunks(skb, cb, cdev, ev);
out:
	pci_cma_evidence_put(ev);
	return rc;
}

/**
 * spdm_nl_device_get_dumpit() - device-get dump: devices in key order
 * @skb: the message buffer to fill
 * @cb: the dump, its place kept in cb->ctx
 *
 * Return: the length filled, 0 at the end, or a negative errno.
 */
int spdm_nl_device_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pci_cma_nl_dump *ctx = pci_cma_nl_dump_ctx(cb);
	struct pci_cma_dev *cdev;
	u32 key;
	int rc;

	cb->seq = pci_cma_change_seq();
	while (!ctx->done) {
		key = ctx->key;
		cdev = pci_cma_dev_get_next(&key);
		if (!cdev || (ctx->one && key != ctx->key))
			break;
		if (key != ctx->key) {
			ctx->key = key;
			ctx->chunks = false;
		}
		rc = pci_cma_nl_dump_dev(skb, cb, cdev);
		pci_cma_dev_put(cdev);
		if (rc)
			return skb->len ?: rc;
		if (ctx->one || ctx->key == U32_MAX)
			ctx->done = true;
		ctx->key++;
		ctx->chunks = false;
	}
	ctx->done = true;
	return skb->len;
}

/**
 * spdm_nl_authenticate_doit() - authenticate: queue an authentication
 * @skb: the request
 * @info: its attributes and extack
 *
 * The caller's CAP_SYS_ADMIN is checked by pci_cma_nl_pre_doit_admin().
 *
 * Return: 0 or a negative errno.
 */
int spdm_nl_authenticate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nonce = info->attrs[SPDM_A_DEVICE_NONCE];
	struct pci_cma_dev *cdev;
	struct sk_buff *msg;
	u32 generation;
	void *hdr;
	int rc;

	cdev = pci_cma_nl_lookup(info->attrs, info->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	rc = pci_cma_dev_request_auth(cdev, nonce ? nla_data(nonce) : NULL, &generation);
	switch (rc) {
	case 0:
		break;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG(info->extack, "device has no CMA mailbox");
		goto out_put;
	case -EBUSY:
		NL_SET_ERR_MSG_ATTR(info->extack, nonce,
				    "an attempt with another nonce is already queued");
		goto out_put;
	default:
		NL_SET_ERR_MSG(info->extack, "device is going away");
		goto out_put;
	}
	rc = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_put;
	rc = -EMSGSIZE;
	hdr = genlmsg_iput(msg, info);
	if (!hdr || pci_cma_nl_put_ids(msg, cdev, generation)) {
		nlmsg_free(msg);
		goto out_put;
	}
	genlmsg_end(msg, hdr);
	pci_cma_dev_put(cdev);
	return genlmsg_reply(msg, info);

out_put:
	pci_cma_dev_put(cdev);
	return rc;
}

/**
 * spdm_nl_verdict_doit() - verdict: allow or deny a held device
 * @skb: the request
 * @info: its attributes and extack
 *
 * The caller's CAP_SYS_ADMIN is checked by pci_cma_nl_pre_doit_admin(), the
 * ranges of verdict and verdict-source by the policy.
 *
 * Return: 0 or a negative errno.
 */
int spdm_nl_verdict_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *source = info->attrs[SPDM_A_DEVICE_VERDICT_SOURCE];
	struct nlattr *reason = info->attrs[SPDM_A_DEVICE_REASON];
	struct pci_cma_dev *cdev;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_DEVICE_GENERATION) ||
	    GENL_REQ_ATTR_CHECK(info, SPDM_A_DEVICE_VERDICT))
		return -EINVAL;
	/* Only the gate itself decides on a timeout (a range cannot say it). */
	if (source && nla_get_u32(source) == SPDM_VERDICT_SOURCE_TIMEOUT) {
		NL_SET_ERR_MSG_ATTR(info->extack, source, "source must be agent or admin");
		return -EINVAL;
	}
	cdev = pci_cma_nl_lookup(info->attrs, info->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	rc = pci_cma_gate_verdict(cdev, nla_get_u32(info->attrs[SPDM_A_DEVICE_GENERATION]),
				  nla_get_u32(info->attrs[SPDM_A_DEVICE_VERDICT]),
				  source ? nla_get_u32(source) : SPDM_VERDICT_SOURCE_ADMIN,
				  reason ? nla_data(reason) : "", info->extack);
	pci_cma_dev_put(cdev);
	return rc;
}

/* Build and send a notification; fill() adds the attributes. */
static void pci_cma_nl_notify(struct pci_cma_dev *cdev, u8 cmd,
			      int (*fill)(struct sk_buff *skb, struct pci_cma_dev *cdev,
					  const void *arg),
			      const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&spdm_nl_family, &init_net, SPDM_NLGRP_MONITOR))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &spdm_nl_family, 0, cmd);
	if (!hdr || fill(msg, cdev, arg)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&spdm_nl_family, msg, 0, SPDM_NLGRP_MONITOR, GFP_KERNEL);
}

static int pci_cma_nl_fill_added(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	return pci_cma_nl_put_state(skb, cdev, NULL);
}

/**
 * pci_cma_netlink_notify_added() - send device-added-ntf
 * @cdev: the new device
 */
void pci_cma_netlink_notify_added(struct pci_cma_dev *cdev)
{
	pci_cma_nl_notify(cdev, SPDM_CMD_DEVICE_ADDED_NTF, pci_cma_nl_fill_added, NULL);
}

struct pci_cma_nl_auth_done {
	u32 generation;
	enum spdm_auth_state state;
	int error;
};

static int pci_cma_nl_fill_auth_done(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct pci_cma_nl_auth_done *done = arg;

	if (pci_cma_nl_put_ids(skb, cdev, done->generation) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_STATE, done->state) ||
	    nla_put_s32(skb, SPDM_A_DEVICE_ERROR, done->error))
		return -EMSGSIZE;
	return 0;
}

/**
 * pci_cma_netlink_notify_auth_done() - send auth-done-ntf
 * @cdev: the device
 * @generation: the attempt that finished
 * @state: its outcome (authenticated or failed)
 * @error: 0 or its negative errno
 */
void pci_cma_netlink_notify_auth_done(struct pci_cma_dev *cdev, u32 generation,
				      enum spdm_auth_state state, int error)
{
	const struct pci_cma_nl_auth_done done = {
		.generation = generation, .state = state, .error = error,
	};

	pci_cma_nl_notify(cdev, SPDM_CMD_AUTH_DONE_NTF, pci_cma_nl_fill_auth_done, &done);
}

static int pci_cma_nl_fill_removed(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	if (nla_put_string(skb, SPDM_A_DEVICE_NAME, cdev->name) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_KEY, cdev->key))
		return -EMSGSIZE;
	return 0;
}

/**
 * pci_cma_netlink_notify_removed() - send device-removed-ntf
 * @cdev: the device going away
 */
void pci_cma_netlink_notify_removed(struct pci_cma_dev *cdev)
{
	pci_cma_nl_notify(cdev, SPDM_CMD_DEVICE_REMOVED_NTF, pci_cma_nl_fill_removed, NULL);
}

struct pci_cma_nl_verdict {
	u32 generation;
	u32 verdict;
	u32 source;
	const char *reason;
};

static int pci_cma_nl_fill_verdict(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct pci_cma_nl_verdict *v = arg;

	if (pci_cma_nl_put_ids(skb, cdev, v->generation) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_VERDICT, v->verdict) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_VERDICT_SOURCE, v->source) ||
	    nla_put_string(skb, SPDM_A_DEVICE_REASON, v->reason))
		return -EMSGSIZE;
	return 0;
}

/**
 * pci_cma_netlink_notify_verdict() - send verdict-ntf
 * @cdev: the device
 * @generation: the generation the verdict is for
 * @verdict: enum spdm_verdict; none for a bind without verdict
 * @source: enum spdm_verdict_source
 * @reason: free text, "" if none
 */
void pci_cma_netlink_notify_verdict(struct pci_cma_dev *cdev, u32 generation, u32 verdict,
				    u32 source, const char *reason)
{
	const struct pci_cma_nl_verdict v = {
		.generation = generation, .verdict = verdict, .source = source,
		.reason = reason,
	};

	pci_cma_nl_notify(cdev, SPDM_CMD_VERDICT_NTF, pci_cma_nl_fill_verdict, &v);
}

struct pci_cma_nl_identity {
	u32 generation;
	const u8 *identity;
	const u8 *allowed;
};

static int pci_cma_nl_fill_identity(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct pci_cma_nl_identity *id = arg;

	if (pci_cma_nl_put_ids(skb, cdev, id->generation) ||
	    nla_put(skb, SPDM_A_DEVICE_IDENTITY, SPDM_IDENTITY_LEN, id->identity) ||
	    nla_put(skb, SPDM_A_DEVICE_ALLOWED_IDENTITY, SPDM_IDENTITY_LEN, id->allowed))
		return -EMSGSIZE;
	return 0;
}

/**
 * pci_cma_netlink_notify_identity_changed() - send identity-changed-ntf
 * @cdev: the device
 * @generation: the attempt that presented @identity
 * @identity: SPDM_IDENTITY_LEN bytes, the identity it presented
 * @allowed: SPDM_IDENTITY_LEN bytes, the one the last allow accepted
 */
void pci_cma_netlink_notify_identity_changed(struct pci_cma_dev *cdev, u32 generation,
					     const u8 *identity, const u8 *allowed)
{
	const struct pci_cma_nl_identity id = {
		.generation = generation, .identity = identity, .allowed = allowed,
	};

	pci_cma_nl_notify(cdev, SPDM_CMD_IDENTITY_CHANGED_NTF, pci_cma_nl_fill_identity, &id);
}

/*
 * What the spec cannot say (see its header): ynl-gen-c.py 6.12 writes every
 * family netnsok and its groups without flags.
 */
static const struct genl_multicast_group pci_cma_nl_mcgrps[] = {
	[SPDM_NLGRP_MONITOR] = { .name = SPDM_MCGRP_MONITOR, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

/**
 * pci_cma_netlink_init() - register the family
 *
 * The generated family, in the initial network namespace only and with
 * CAP_SYS_ADMIN required to join "monitor".
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_netlink_init(void)
{
	if (WARN_ON(spdm_nl_family.n_mcgrps != ARRAY_SIZE(pci_cma_nl_mcgrps) ||
		    strcmp(spdm_nl_family.mcgrps[SPDM_NLGRP_MONITOR].name, SPDM_MCGRP_MONITOR)))
		return -EINVAL;
	spdm_nl_family.netnsok = false;
	spdm_nl_family.mcgrps = pci_cma_nl_mcgrps;
	return genl_register_family(&spdm_nl_family);
}

/**
 * pci_cma_netlink_exit() - unregister the family; waits for operations in flight
 */
void pci_cma_netlink_exit(void)
{
	genl_unregister_family(&spdm_nl_family);
}
