// SPDX-License-Identifier: GPL-2.0
/*
 * The "spdm" generic netlink family, as specified by include/spdm.yaml.
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

static struct genl_family cma_nl_family;

static const struct nla_policy cma_nl_get_do_policy[SPDM_A_DEVICE_KEY + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32 },
};

static const struct nla_policy cma_nl_get_dump_policy[SPDM_A_DEVICE_EVIDENCE + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_EVIDENCE] = { .type = NLA_FLAG },
};

static const struct nla_policy cma_nl_authenticate_policy[SPDM_A_DEVICE_NONCE + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
};

static const struct nla_policy cma_nl_verdict_policy[SPDM_A_DEVICE_REASON + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_GENERATION] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_VERDICT] = NLA_POLICY_RANGE(NLA_U32, SPDM_VERDICT_ALLOW,
						   SPDM_VERDICT_DENY),
	[SPDM_A_DEVICE_VERDICT_SOURCE] = NLA_POLICY_RANGE(NLA_U32, SPDM_VERDICT_SOURCE_AGENT,
							  SPDM_VERDICT_SOURCE_ADMIN),
	[SPDM_A_DEVICE_REASON] = { .type = NLA_NUL_STRING, .len = SPDM_REASON_MAX_LEN },
};

/* The device a request names by name, key or both. */
static struct pci_cma_dev *cma_nl_lookup(struct nlattr **attrs, struct netlink_ext_ack *extack)
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

static bool cma_nl_admin(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack, "CAP_SYS_ADMIN required");
	return false;
}

static int cma_nl_put_ids(struct sk_buff *skb, struct pci_cma_dev *cdev, u32 generation)
{
	if (nla_put_string(skb, SPDM_A_DEVICE_NAME, cdev->name) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_KEY, cdev->key) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_GENERATION, generation))
		return -EMSGSIZE;
	return 0;
}

static int cma_nl_put_evidence_scalars(struct sk_buff *skb, const struct pci_cma_evidence *ev)
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
static int cma_nl_put_gate(struct sk_buff *skb, struct pci_cma_dev *cdev)
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
static int cma_nl_put_state(struct sk_buff *skb, struct pci_cma_dev *cdev,
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
	if (cma_nl_put_ids(skb, cdev, generation) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_VENDOR_ID, pdev->vendor) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_DEVICE_ID, pdev->device) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_CLASS, pdev->class) ||
	    nla_put_u8(skb, SPDM_A_DEVICE_REVISION, pdev->revision) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_SUBSYSTEM_VENDOR_ID, pdev->subsystem_vendor) ||
	    nla_put_u16(skb, SPDM_A_DEVICE_SUBSYSTEM_ID, pdev->subsystem_device) ||
	    nla_put_u32(skb, SPDM_A_DEVICE_STATE, state) ||
	    nla_put_s32(skb, SPDM_A_DEVICE_ERROR, error) ||
	    cma_nl_put_gate(skb, cdev))
		return -EMSGSIZE;
	if (state == SPDM_AUTH_STATE_UNSUPPORTED)
		return 0;
	if (nla_put_u32(skb, SPDM_A_DEVICE_DURATION_US, duration_us))
		return -EMSGSIZE;
	return ev ? cma_nl_put_evidence_scalars(skb, ev) : 0;
}

static int cma_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_cma_evidence *ev;
	struct pci_cma_dev *cdev;
	struct sk_buff *msg;
	void *hdr;
	int rc;

	cdev = cma_nl_lookup(info->attrs, info->extack);
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
	rc = cma_nl_put_state(msg, cdev, ev);
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
 * struct cma_nl_dump - where a device-get dump is, kept in cb->ctx
 * @key: device being dumped, or the next key to look at
 * @generation: generation of the evidence whose chunks are being sent
 * @offset: next byte of the current blob
 * @blob: current blob (enum pci_cma_blob)
 * @chunks: the device's state message is out, its chunks follow
 * @evidence: the request asked for evidence
 * @one: only the device named in the request
 * @done: nothing left
 */
struct cma_nl_dump {
	u32 key;
	u32 generation;
	u32 offset;
	u8 blob;
	bool chunks;
	bool evidence;
	bool one;
	bool done;
};

static struct cma_nl_dump *cma_nl_dump_ctx(struct netlink_callback *cb)
{
	static_assert(sizeof(struct cma_nl_dump) <= sizeof(cb->ctx));
	return (struct cma_nl_dump *)cb->ctx;
}

static int cma_nl_get_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct cma_nl_dump *ctx = cma_nl_dump_ctx(cb);
	struct pci_cma_dev *cdev;

	ctx->evidence = info->attrs[SPDM_A_DEVICE_EVIDENCE];
	if (ctx->evidence && !cma_nl_admin(cb->skb, cb->extack))
		return -EPERM;
	if (!info->attrs[SPDM_A_DEVICE_NAME] && !info->attrs[SPDM_A_DEVICE_KEY])
		return 0;
	cdev = cma_nl_lookup(info->attrs, cb->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	ctx->key = cdev->key;
	ctx->one = true;
	pci_cma_dev_put(cdev);
	return 0;
}

static void *cma_nl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cma_nl_family, NLM_F_MULTI, SPDM_CMD_DEVICE_GET);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static const struct {
	u32 kind;
	u8 slot;
} cma_nl_blob_kind[PCI_CMA_NR_BLOBS] = {
	[PCI_CMA_BLOB_CHAIN0 ... PCI_CMA_BLOB_CHAIN7] = { SPDM_EVIDENCE_KIND_CERT_CHAIN },
	[PCI_CMA_BLOB_TRANSCRIPT] = { SPDM_EVIDENCE_KIND_TRANSCRIPT },
	[PCI_CMA_BLOB_SIGNATURE] = { SPDM_EVIDENCE_KIND_SIGNATURE },
	[PCI_CMA_BLOB_MEAS] = { SPDM_EVIDENCE_KIND_MEASUREMENTS },
	[PCI_CMA_BLOB_MEAS_TRANSCRIPT] = { SPDM_EVIDENCE_KIND_MEAS_TRANSCRIPT },
	[PCI_CMA_BLOB_MEAS_SIGNATURE] = { SPDM_EVIDENCE_KIND_MEAS_SIGNATURE },
};

/* Room a chunk nest needs besides its data; and the smallest chunk worth a message. */
#define CMA_NL_CHUNK_OVERHEAD	(nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(sizeof(u8)) + nla_total_size(0))
#define CMA_NL_MIN_CHUNK	256
#define CMA_NL_MAX_CHUNK	32768

static int cma_nl_put_chunk(struct sk_buff *skb, const struct pci_cma_evidence *ev,
			    unsigned int blob, u32 offset, u32 len)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SPDM_A_DEVICE_CHUNK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SPDM_A_CHUNK_KIND, cma_nl_blob_kind[blob].kind) ||
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
static int cma_nl_dump_chunks(struct sk_buff *skb, struct netlink_callback *cb,
			      struct pci_cma_dev *cdev, const struct pci_cma_evidence *ev)
{
	struct cma_nl_dump *ctx = cma_nl_dump_ctx(cb);
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
			hdr = cma_nl_dump_msg(skb, cb);
			if (!hdr)
				return -EMSGSIZE;
			if (cma_nl_put_ids(skb, cdev, ev->generation)) {
				genlmsg_cancel(skb, hdr);
				return -EMSGSIZE;
			}
		}
		room = skb_tailroom(skb) - (int)CMA_NL_CHUNK_OVERHEAD;
		if (room < CMA_NL_MIN_CHUNK) {
			rc = -EMSGSIZE;
			break;
		}
		left = min3(left, (u32)round_down(room, 4), (u32)CMA_NL_MAX_CHUNK);
		rc = cma_nl_put_chunk(skb, ev, ctx->blob, ctx->offset, left);
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
static int cma_nl_dump_dev(struct sk_buff *skb, struct netlink_callback *cb,
			   struct pci_cma_dev *cdev)
{
	struct cma_nl_dump *ctx = cma_nl_dump_ctx(cb);
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
		hdr = cma_nl_dump_msg(skb, cb);
		if (!hdr) {
			rc = -EMSGSIZE;
			goto out;
		}
		rc = cma_nl_put_state(skb, cdev, ev);
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
		rc = cma_nl_dump_chunks(skb, cb, cdev, ev);
out:
	pci_cma_evidence_put(ev);
	return rc;
}

static int cma_nl_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cma_nl_dump *ctx = cma_nl_dump_ctx(cb);
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
		rc = cma_nl_dump_dev(skb, cb, cdev);
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

static int cma_nl_authenticate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nonce = info->attrs[SPDM_A_DEVICE_NONCE];
	struct pci_cma_dev *cdev;
	struct sk_buff *msg;
	u32 generation;
	void *hdr;
	int rc;

	if (!cma_nl_admin(skb, info->extack))
		return -EPERM;
	cdev = cma_nl_lookup(info->attrs, info->extack);
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
	if (!hdr || cma_nl_put_ids(msg, cdev, generation)) {
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

static int cma_nl_verdict_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *source = info->attrs[SPDM_A_DEVICE_VERDICT_SOURCE];
	struct nlattr *reason = info->attrs[SPDM_A_DEVICE_REASON];
	struct pci_cma_dev *cdev;
	int rc;

	if (!cma_nl_admin(skb, info->extack))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_DEVICE_GENERATION) ||
	    GENL_REQ_ATTR_CHECK(info, SPDM_A_DEVICE_VERDICT))
		return -EINVAL;
	/* Only the gate itself decides on a timeout. */
	if (source && nla_get_u32(source) == SPDM_VERDICT_SOURCE_TIMEOUT) {
		NL_SET_ERR_MSG_ATTR(info->extack, source, "source must be agent or admin");
		return -EINVAL;
	}
	cdev = cma_nl_lookup(info->attrs, info->extack);
	if (IS_ERR(cdev))
		return PTR_ERR(cdev);
	rc = pci_cma_gate_verdict(cdev, nla_get_u32(info->attrs[SPDM_A_DEVICE_GENERATION]),
				  nla_get_u32(info->attrs[SPDM_A_DEVICE_VERDICT]),
			      source ? nla_get_u32(source) : SPDM_VERDICT_SOURCE_ADMIN,
			      reason ? nla_data(reason) : "", info->extack);
	pci_cma_dev_put(cdev);
	return rc;
}

static const struct genl_split_ops cma_nl_ops[] = {
	{
		.cmd = SPDM_CMD_DEVICE_GET,
		.doit = cma_nl_get_doit,
		.policy = cma_nl_get_do_policy,
		.maxattr = ARRAY_SIZE(cma_nl_get_do_policy) - 1,
		.flags = GENL_CMD_CAP_DO,
	},
	{
		.cmd = SPDM_CMD_DEVICE_GET,
		.start = cma_nl_get_start,
		.dumpit = cma_nl_get_dumpit,
		.policy = cma_nl_get_dump_policy,
		.maxattr = ARRAY_SIZE(cma_nl_get_dump_policy) - 1,
		.flags = GENL_CMD_CAP_DUMP,
	},
	{
		.cmd = SPDM_CMD_AUTHENTICATE,
		.doit = cma_nl_authenticate_doit,
		.policy = cma_nl_authenticate_policy,
		.maxattr = ARRAY_SIZE(cma_nl_authenticate_policy) - 1,
		.flags = GENL_CMD_CAP_DO,
	},
	{
		.cmd = SPDM_CMD_VERDICT,
		.doit = cma_nl_verdict_doit,
		.policy = cma_nl_verdict_policy,
		.maxattr = ARRAY_SIZE(cma_nl_verdict_policy) - 1,
		.flags = GENL_CMD_CAP_DO,
	},
};

enum cma_nl_groups {
	CMA_NLGRP_MONITOR,
};

static const struct genl_multicast_group cma_nl_mcgrps[] = {
	[CMA_NLGRP_MONITOR] = { .name = SPDM_MCGRP_MONITOR, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

static struct genl_family cma_nl_family __ro_after_init = {
	.name = SPDM_FAMILY_NAME,
	.version = SPDM_FAMILY_VERSION,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.split_ops = cma_nl_ops,
	.n_split_ops = ARRAY_SIZE(cma_nl_ops),
	.mcgrps = cma_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cma_nl_mcgrps),
};

/* Build and send a notification; fill() adds the attributes. */
static void cma_nl_notify(struct pci_cma_dev *cdev, u8 cmd,
			  int (*fill)(struct sk_buff *skb, struct pci_cma_dev *cdev,
				      const void *arg),
			  const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&cma_nl_family, &init_net, CMA_NLGRP_MONITOR))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &cma_nl_family, 0, cmd);
	if (!hdr || fill(msg, cdev, arg)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&cma_nl_family, msg, 0, CMA_NLGRP_MONITOR, GFP_KERNEL);
}

static int cma_nl_fill_added(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	return cma_nl_put_state(skb, cdev, NULL);
}

/**
 * pci_cma_netlink_notify_added() - send device-added-ntf
 * @cdev: the new device
 */
void pci_cma_netlink_notify_added(struct pci_cma_dev *cdev)
{
	cma_nl_notify(cdev, SPDM_CMD_DEVICE_ADDED_NTF, cma_nl_fill_added, NULL);
}

struct cma_nl_auth_done {
	u32 generation;
	enum spdm_auth_state state;
	int error;
};

static int cma_nl_fill_auth_done(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct cma_nl_auth_done *done = arg;

	if (cma_nl_put_ids(skb, cdev, done->generation) ||
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
	const struct cma_nl_auth_done done = {
		.generation = generation, .state = state, .error = error,
	};

	cma_nl_notify(cdev, SPDM_CMD_AUTH_DONE_NTF, cma_nl_fill_auth_done, &done);
}

static int cma_nl_fill_removed(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
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
	cma_nl_notify(cdev, SPDM_CMD_DEVICE_REMOVED_NTF, cma_nl_fill_removed, NULL);
}

struct cma_nl_verdict {
	u32 generation;
	u32 verdict;
	u32 source;
	const char *reason;
};

static int cma_nl_fill_verdict(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct cma_nl_verdict *v = arg;

	if (cma_nl_put_ids(skb, cdev, v->generation) ||
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
	const struct cma_nl_verdict v = {
		.generation = generation, .verdict = verdict, .source = source,
		.reason = reason,
	};

	cma_nl_notify(cdev, SPDM_CMD_VERDICT_NTF, cma_nl_fill_verdict, &v);
}

struct cma_nl_identity {
	u32 generation;
	const u8 *identity;
	const u8 *allowed;
};

static int cma_nl_fill_identity(struct sk_buff *skb, struct pci_cma_dev *cdev, const void *arg)
{
	const struct cma_nl_identity *id = arg;

	if (cma_nl_put_ids(skb, cdev, id->generation) ||
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
	const struct cma_nl_identity id = {
		.generation = generation, .identity = identity, .allowed = allowed,
	};

	cma_nl_notify(cdev, SPDM_CMD_IDENTITY_CHANGED_NTF, cma_nl_fill_identity, &id);
}

/**
 * pci_cma_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_netlink_init(void)
{
	return genl_register_family(&cma_nl_family);
}

/**
 * pci_cma_netlink_exit() - unregister the family; waits for operations in flight
 */
void pci_cma_netlink_exit(void)
{
	genl_unregister_family(&cma_nl_family);
}
