// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the kernel's "spdm" generic netlink family: one socket for
 * requests (dumps, verdicts, authenticate) and, for the daemon and `watch`,
 * one subscribed to the "monitor" group. Kernel errors come back as their
 * errno with the extended-ack message, so callers can say exactly why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/spdm.h>

#include "agent.h"

#define AGENT_NL_RCVBUF		(4u << 20)
#define AGENT_DUMP_RETRIES	5

static int agent_nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOBUFS;	/* also how libnl reports an overrun */
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_DUMP_INTR:
		return -EINTR;
	default:
		return -EIO;
	}
}

static struct nl_sock *agent_nl_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk)
		return NULL;
	if (genl_connect(sk)) {
		nl_socket_free(sk);
		return NULL;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	return sk;
}

/**
 * agent_nl_open() - connect to the spdm family
 * @nl: connection state
 * @monitor: also subscribe to the "monitor" notification group
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -ENOENT when the family is not registered (module not loaded);
 * -EPERM when subscribing needs CAP_SYS_ADMIN; -EIO otherwise.
 */
int agent_nl_open(struct agent_nl *nl, bool monitor, char *err, size_t errlen)
{
	int grp, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = agent_nl_socket();
	if (!nl->sk) {
		snprintf(err, errlen, "cannot open a generic netlink socket");
		return -EIO;
	}
	nl->family = genl_ctrl_resolve(nl->sk, SPDM_FAMILY_NAME);
	if (nl->family < 0) {
		snprintf(err, errlen, "no '%s' netlink family (is spdm_cma loaded?)",
			 SPDM_FAMILY_NAME);
		ret = -ENOENT;
		goto out_close;
	}
	if (!monitor)
		return 0;
	grp = genl_ctrl_resolve_grp(nl->sk, SPDM_FAMILY_NAME, SPDM_MCGRP_MONITOR);
	nl->mon = agent_nl_socket();
	if (grp < 0 || !nl->mon) {
		snprintf(err, errlen, "cannot find the '%s' group", SPDM_MCGRP_MONITOR);
		ret = -EIO;
		goto out_close;
	}
	nl_socket_disable_seq_check(nl->mon);
	ret = nl_socket_add_membership(nl->mon, grp);
	if (ret) {
		ret = -errno ? -errno : agent_nl_errno(ret);
		snprintf(err, errlen, "cannot join '%s': %s%s", SPDM_MCGRP_MONITOR,
			 strerror(-ret),
			 ret == -EPERM ? " (CAP_SYS_ADMIN required)" : "");
		goto out_close;
	}
	nl_socket_set_buffer_size(nl->mon, AGENT_NL_RCVBUF, 0);
	nl_socket_set_nonblocking(nl->mon);
	return 0;

out_close:
	agent_nl_close(nl);
	return ret;
}

/** agent_nl_close() - close both sockets */
void agent_nl_close(struct agent_nl *nl)
{
	nl_socket_free(nl->sk);
	nl_socket_free(nl->mon);
	nl->sk = NULL;
	nl->mon = NULL;
}

/** agent_nl_monitor_fd() - the file descriptor to poll for notifications */
int agent_nl_monitor_fd(const struct agent_nl *nl)
{
	return nl->mon ? nl_socket_get_fd(nl->mon) : -1;
}

struct agent_nl_req {
	int error;			/* the kernel's errno, negative */
	int fn_error;			/* @fn failed (out of memory) */
	bool done;
	bool intr;			/* dump interrupted: retry */
	char *extack;
	size_t extack_len;
	int (*fn)(struct nl_msg *msg, void *ctx);
	void *ctx;
};

/*
 * Never NL_STOP here: libnl would drop the rest of the datagram, other
 * devices' messages with it. A failure is kept and the reply read to its end.
 */
static int agent_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct agent_nl_req *r = arg;
	int ret = r->fn ? r->fn(msg, r->ctx) : 0;

	if (ret < 0 && !r->fn_error)
		r->fn_error = ret;
	return NL_OK;
}

static int agent_nl_finish_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct agent_nl_req *)arg)->done = true;
	return NL_STOP;
}

static int agent_nl_intr_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct agent_nl_req *)arg)->intr = true;
	return NL_OK;
}

/* The kernel's error and its extended-ack message, if it sent one. */
static int agent_nl_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e,
			   void *arg)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)e - 1;
	struct agent_nl_req *r = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	(void)who;
	r->error = e->error;
	r->done = true;
	if (!r->extack || !(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (hdr->nlmsg_len < NLMSG_HDRLEN + off)
		return NL_STOP;
	if (!nla_parse(tb, NLMSGERR_ATTR_MAX,
		       (struct nlattr *)((char *)e + off),
		       (int)(hdr->nlmsg_len - NLMSG_HDRLEN - off), NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(r->extack, tb[NLMSGERR_ATTR_MSG], r->extack_len);
	return NL_STOP;
}

/*
 * Only the kernel speaks for the spdm family: any process may unicast to
 * our port (with CAP_NET_ADMIN) and forge a device, an end of dump or an
 * error. Everything not from port 0 is skipped before libnl looks at it.
 */
static int agent_nl_from_kernel_cb(struct nl_msg *msg, void *arg)
{
	struct agent_nl *nl = arg;

	if (!nlmsg_get_src(msg)->nl_pid)
		return NL_OK;
	nl->ignored++;
	return NL_SKIP;
}

/*
 * Callbacks for one exchange on @sk, starting from the socket's own: how
 * datagrams are sent and received stays the socket's (the unit tests
 * replace both).
 */
static struct nl_cb *agent_nl_cb(struct agent_nl *nl, struct nl_sock *sk)
{
	struct nl_cb *base = nl_socket_get_cb(sk), *cb;

	if (!base)
		return NULL;
	cb = nl_cb_clone(base);
	nl_cb_put(base);
	if (cb)
		nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM,
			  agent_nl_from_kernel_cb, nl);
	return cb;
}

/* Send @msg and read replies until the ack, the end of a dump or an error. */
static int agent_nl_run(struct agent_nl *nl, struct nl_msg *msg,
			struct agent_nl_req *r)
{
	struct nl_cb *cb = agent_nl_cb(nl, nl->sk);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, agent_nl_valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, agent_nl_finish_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, agent_nl_finish_cb, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, agent_nl_intr_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, agent_nl_err_cb, r);
	ret = nl_send_auto(nl->sk, msg);
	while (ret >= 0 && !r->done)
		ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (r->error)
		return r->error;
	if (ret < 0)
		return agent_nl_errno(ret);
	return r->fn_error;
}

static struct nl_msg *agent_nl_msg(struct agent_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, SPDM_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A malformed message is skipped and counted; the dump goes on. */
static int agent_nl_dump_cb(struct nl_msg *msg, void *ctx)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct agent_dump *d = ctx;
	int ret;

	if (!genlmsg_valid_hdr(hdr, 0)) {
		d->rejected++;
		return 0;
	}
	ret = agent_dump_feed(d, genlmsg_attrdata(nlmsg_data(hdr), 0),
			      genlmsg_attrlen(nlmsg_data(hdr), 0));
	if (ret == -EPROTO) {
		d->rejected++;
		ret = 0;
	}
	return ret;
}

/**
 * agent_nl_dump() - state (and evidence) of every device, or of one
 * @nl: connection
 * @name: device name, NULL for all
 * @evidence: also fetch evidence (needs CAP_SYS_ADMIN)
 * @out: the devices, in key order
 * @err: the kernel's message on failure
 * @errlen: size of @err
 *
 * A dump the kernel flags as interrupted (a device changed meanwhile) is
 * retried, so the result is one consistent picture.
 *
 * Return: 0 or a negative errno.
 */
int agent_nl_dump(struct agent_nl *nl, const char *name, bool evidence,
		  struct agent_dump *out, char *err, size_t errlen)
{
	int ret = -EINTR;

	for (int i = 0; i < AGENT_DUMP_RETRIES && ret == -EINTR; i++) {
		struct agent_nl_req r = {
			.fn = agent_nl_dump_cb, .ctx = out,
			.extack = err, .extack_len = errlen,
		};
		struct nl_msg *msg = agent_nl_msg(nl, SPDM_CMD_DEVICE_GET,
						  NLM_F_DUMP);

		memset(out, 0, sizeof(*out));
		err[0] = '\0';
		if (!msg)
			return -ENOMEM;
		if ((name && nla_put_string(msg, SPDM_A_DEVICE_NAME, name)) ||
		    (evidence && nla_put_flag(msg, SPDM_A_DEVICE_EVIDENCE))) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
		ret = agent_nl_run(nl, msg, &r);
		nlmsg_free(msg);
		if (!ret)
			ret = agent_dump_finish(out);
		if (!ret && r.intr)
			ret = -EINTR;
		if (ret)
			agent_dump_free(out);
	}
	if (ret && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	return ret;
}

/**
 * agent_nl_verdict() - allow or deny one authentication generation
 * @nl: connection
 * @ev: the device (name, key, generation)
 * @allow: the verdict
 * @reason: short text kept by the kernel with the verdict
 * @source: who decided: SPDM_VERDICT_SOURCE_AGENT or _ADMIN
 * @err: the kernel's message on failure
 * @errlen: size of @err
 *
 * Return: 0 or the kernel's negative errno (a stale generation is refused).
 */
int agent_nl_verdict(struct agent_nl *nl, const struct agent_evidence *ev,
		     bool allow, const char *reason, uint32_t source, char *err,
		     size_t errlen)
{
	struct agent_nl_req r = { .extack = err, .extack_len = errlen };
	struct nl_msg *msg = agent_nl_msg(nl, SPDM_CMD_VERDICT, NLM_F_ACK);
	char text[SPDM_REASON_MAX_LEN];
	int ret;

	err[0] = '\0';
	if (!msg)
		return -ENOMEM;
	snprintf(text, sizeof(text), "%s", reason);
	if (nla_put_string(msg, SPDM_A_DEVICE_NAME, ev->name) ||
	    nla_put_u32(msg, SPDM_A_DEVICE_KEY, ev->key) ||
	    nla_put_u32(msg, SPDM_A_DEVICE_GENERATION, ev->generation) ||
	    nla_put_u32(msg, SPDM_A_DEVICE_VERDICT,
			allow ? SPDM_VERDICT_ALLOW : SPDM_VERDICT_DENY) ||
	    nla_put_u32(msg, SPDM_A_DEVICE_VERDICT_SOURCE, source) ||
	    nla_put_string(msg, SPDM_A_DEVICE_REASON, text)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = agent_nl_run(nl, msg, &r);
	nlmsg_free(msg);
	if (ret && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	return ret;
}

static int agent_nl_gen_cb(struct nl_msg *msg, void *ctx)
{
	struct nlattr *a;

	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
			    SPDM_A_DEVICE_GENERATION);
	if (a && nla_len(a) >= 4)
		*(uint32_t *)ctx = nla_get_u32(a);
	return 0;
}

/**
 * agent_nl_authenticate() - queue a new authentication
 * @nl: connection
 * @name: device name
 * @nonce: AGENT_NONCE_LEN bytes for CHALLENGE, or NULL for a random one
 * @generation: the generation of the queued attempt
 * @err: the kernel's message on failure
 * @errlen: size of @err
 *
 * Return: 0 or the kernel's negative errno.
 */
int agent_nl_authenticate(struct agent_nl *nl, const char *name,
			  const uint8_t *nonce, uint32_t *generation,
			  char *err, size_t errlen)
{
	struct agent_nl_req r = {
		.fn = agent_nl_gen_cb, .ctx = generation,
		.extack = err, .extack_len = errlen,
	};
	struct nl_msg *msg = agent_nl_msg(nl, SPDM_CMD_AUTHENTICATE, NLM_F_ACK);
	int ret;

	err[0] = '\0';
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, SPDM_A_DEVICE_NAME, name) ||
	    (nonce && nla_put(msg, SPDM_A_DEVICE_NONCE, AGENT_NONCE_LEN, nonce))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = agent_nl_run(nl, msg, &r);
	nlmsg_free(msg);
	if (ret && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	return ret;
}

/* Notifications carry no sequence number of ours. */
static int agent_nl_noseq_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

struct agent_nl_mon {
	agent_ntf_fn fn;
	void *ctx;
};

static struct nla_policy agent_nl_verdict_ntf_policy[SPDM_A_DEVICE_MAX + 1] = {
	[SPDM_A_DEVICE_VERDICT_SOURCE] = { .type = NLA_U32 },
	[SPDM_A_DEVICE_REASON] = { .type = NLA_STRING },
};

/* What only a verdict-ntf carries: who decided, and why. */
static void agent_nl_verdict_ntf(struct nlmsghdr *hdr, struct agent_ntf *n)
{
	struct nlattr *tb[SPDM_A_DEVICE_MAX + 1];

	if (genlmsg_parse(hdr, 0, tb, SPDM_A_DEVICE_MAX,
			  agent_nl_verdict_ntf_policy))
		return;
	if (tb[SPDM_A_DEVICE_VERDICT_SOURCE])
		n->verdict_source = nla_get_u32(tb[SPDM_A_DEVICE_VERDICT_SOURCE]);
	if (tb[SPDM_A_DEVICE_REASON])
		nla_strlcpy(n->reason, tb[SPDM_A_DEVICE_REASON],
			    sizeof(n->reason));
}

_Static_assert(SPDM_IDENTITY_LEN == AGENT_SHA256_LEN, "an identity is a SHA-256");

/* What only an identity-changed-ntf carries: the new and the allowed identity. */
static void agent_nl_identity_ntf(struct nlmsghdr *hdr, struct agent_ntf *n)
{
	struct nlattr *tb[SPDM_A_DEVICE_MAX + 1];
	struct nlattr *id, *allowed;

	if (genlmsg_parse(hdr, 0, tb, SPDM_A_DEVICE_MAX, NULL))
		return;
	id = tb[SPDM_A_DEVICE_IDENTITY];
	allowed = tb[SPDM_A_DEVICE_ALLOWED_IDENTITY];
	if (!id || !allowed || nla_len(id) != SPDM_IDENTITY_LEN ||
	    nla_len(allowed) != SPDM_IDENTITY_LEN)
		return;
	memcpy(n->identity, nla_data(id), SPDM_IDENTITY_LEN);
	memcpy(n->allowed_identity, nla_data(allowed), SPDM_IDENTITY_LEN);
	n->has_identity = true;
}

static int agent_nl_ntf_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(hdr);
	struct agent_nl_mon *m = arg;
	struct agent_dump one = { 0 };
	struct agent_ntf n = { .cmd = g->cmd };

	/* every notification carries name, key and generation or state */
	if (agent_dump_feed(&one, genlmsg_attrdata(g, 0),
			    genlmsg_attrlen(g, 0)) ||
	    agent_dump_finish(&one) || one.ndevs != 1) {
		struct nlattr *tb[SPDM_A_DEVICE_MAX + 1];

		/* device-removed carries no generation */
		if (genlmsg_parse(hdr, 0, tb, SPDM_A_DEVICE_MAX, NULL) ||
		    !tb[SPDM_A_DEVICE_NAME] || !tb[SPDM_A_DEVICE_KEY]) {
			agent_dump_free(&one);
			return NL_OK;
		}
		nla_strlcpy(n.dev.name, tb[SPDM_A_DEVICE_NAME],
			    sizeof(n.dev.name));
		n.dev.key = nla_get_u32(tb[SPDM_A_DEVICE_KEY]);
	} else {
		n.dev = one.devs[0];
		n.has_state = nlmsg_find_attr(hdr, GENL_HDRLEN,
						SPDM_A_DEVICE_STATE) != NULL;
	}
	if (n.cmd == SPDM_CMD_VERDICT_NTF)
		agent_nl_verdict_ntf(hdr, &n);
	else if (n.cmd == SPDM_CMD_IDENTITY_CHANGED_NTF)
		agent_nl_identity_ntf(hdr, &n);
	m->fn(&n, m->ctx);
	agent_dump_free(&one);
	return NL_OK;
}

/**
 * agent_nl_monitor_read() - handle every notification that is waiting
 * @nl: connection with a monitor socket
 * @fn: called per notification
 * @ctx: passed to @fn
 *
 * Return: 0 when drained; -ENOBUFS when notifications were lost (the
 * caller must resynchronize with a dump); another negative errno.
 */
int agent_nl_monitor_read(struct agent_nl *nl, agent_ntf_fn fn, void *ctx)
{
	struct agent_nl_mon m = { .fn = fn, .ctx = ctx };
	struct nl_cb *cb = agent_nl_cb(nl, nl->mon);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, agent_nl_ntf_cb, &m);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, agent_nl_noseq_cb, NULL);
	do {
		ret = nl_recvmsgs(nl->mon, cb);
	} while (ret >= 0);
	nl_cb_put(cb);
	ret = agent_nl_errno(ret);
	return ret == -EAGAIN ? 0 : ret;
}
