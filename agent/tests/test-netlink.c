// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's netlink exchanges through libnl's own receive loop: replies
 * are datagrams built here and handed to libnl in place of the socket's
 * (nl_cb_overwrite_recv() on the socket's callbacks), with the sender's
 * port the kernel would set. What is proved: a message from a user-space
 * port is ignored; one rejected message drops nothing else of its datagram;
 * a dump interrupted on every try fails, and says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/spdm.h>

#include "agent.h"
#include "unit.h"

#define FAKE_FAMILY	0x42
#define USER_PORT	4242	/* a user-space sender; the kernel is 0 */

/* The datagrams the "kernel" answers each request with, in order. */
struct datagram {
	uint8_t buf[4096];
	size_t len;
	uint32_t port;		/* the sender's nl_pid */
};

static struct {
	struct datagram dg[8];
	size_t n, next;
	uint32_t seq;		/* of the last request */
	unsigned int requests;
} fake;

static int fake_send(struct nl_sock *sk, struct nl_msg *msg)
{
	(void)sk;
	fake.seq = nlmsg_hdr(msg)->nlmsg_seq;
	fake.next = 0;
	fake.requests++;
	return nlmsg_hdr(msg)->nlmsg_len;
}

static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *from,
		     unsigned char **buf, struct ucred **creds)
{
	struct datagram *d;

	(void)sk;
	if (creds)
		*creds = NULL;
	if (fake.next >= fake.n)
		return -NLE_AGAIN;
	d = &fake.dg[fake.next++];
	/* replies answer the last request */
	for (size_t off = 0; off + sizeof(struct nlmsghdr) <= d->len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(d->buf + off);

		h->nlmsg_seq = fake.seq;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	memset(from, 0, sizeof(*from));
	from->nl_family = AF_NETLINK;
	from->nl_pid = d->port;
	*buf = malloc(d->len);
	memcpy(*buf, d->buf, d->len);
	return (int)d->len;
}

/* A connection whose socket talks to the fake kernel. */
static void fake_nl(struct agent_nl *nl, bool monitor)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cb *cb;

	assert_non_null(sk);
	cb = nl_socket_get_cb(sk);
	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_overwrite_recv(cb, fake_recv);
	nl_cb_put(cb);
	memset(nl, 0, sizeof(*nl));
	nl->family = FAKE_FAMILY;
	if (monitor) {
		nl_socket_disable_seq_check(sk);
		nl->mon = sk;
	} else {
		nl->sk = sk;
	}
	memset(&fake, 0, sizeof(fake));
}

static struct datagram *datagram_new(uint32_t port)
{
	struct datagram *d = &fake.dg[fake.n++];

	d->len = 0;
	d->port = port;
	return d;
}

static void datagram_add(struct datagram *d, struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	assert_true(d->len + NLMSG_ALIGN(h->nlmsg_len) <= sizeof(d->buf));
	memcpy(d->buf + d->len, h, h->nlmsg_len);
	d->len += NLMSG_ALIGN(h->nlmsg_len);
	nlmsg_free(m);
}

/* A device-get reply or notification: @name NULL leaves the name out. */
static struct nl_msg *device_msg(uint8_t cmd, const char *name, uint32_t key,
				 int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, flags, cmd,
				    SPDM_FAMILY_VERSION));
	if (name)
		nla_put_string(m, SPDM_A_DEVICE_NAME, name);
	nla_put_u32(m, SPDM_A_DEVICE_KEY, key);
	nla_put_u32(m, SPDM_A_DEVICE_GENERATION, 1);
	nla_put_u32(m, SPDM_A_DEVICE_STATE, SPDM_AUTH_STATE_AUTHENTICATED);
	return m;
}

static struct nl_msg *done_msg(int flags)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | flags);
	int zero = 0;

	assert_non_null(m);
	nlmsg_append(m, &zero, sizeof(zero), NLMSG_ALIGNTO);
	return m;
}

/* regression: NL_STOP on one bad message dropped the rest of its datagram */
static void dump_keeps_devices_after_a_rejected_message(void **state)
{
	struct agent_nl nl;
	struct agent_dump d;
	struct datagram *dg;
	char err[AGENT_ERR_LEN];

	(void)state;
	fake_nl(&nl, false);
	dg = datagram_new(0);
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, "0000:01:00.0", 1, NLM_F_MULTI));
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, NULL, 2, NLM_F_MULTI));
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, "0000:03:00.0", 3, NLM_F_MULTI));
	datagram_add(datagram_new(0), done_msg(0));
	assert_int_equal(agent_nl_dump(&nl, NULL, true, &d, err, sizeof(err)), 0);
	assert_int_equal(d.ndevs, 2);
	assert_string_equal(d.devs[0].name, "0000:01:00.0");
	assert_string_equal(d.devs[1].name, "0000:03:00.0");
	assert_int_equal(d.rejected, 1);
	agent_dump_free(&d);
	nl_socket_free(nl.sk);
}

/* issue 13 item 11: a user-space process may unicast to the agent's port */
static void dump_ignores_messages_from_user_ports(void **state)
{
	struct agent_nl nl;
	struct agent_dump d;
	struct datagram *dg;
	char err[AGENT_ERR_LEN];

	(void)state;
	fake_nl(&nl, false);
	/* a forged device and a forged end of dump, then the kernel's reply */
	dg = datagram_new(USER_PORT);
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, "0000:66:00.0", 66, NLM_F_MULTI));
	datagram_add(dg, done_msg(0));
	dg = datagram_new(0);
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, "0000:01:00.0", 1, NLM_F_MULTI));
	datagram_add(dg, done_msg(0));
	assert_int_equal(agent_nl_dump(&nl, NULL, true, &d, err, sizeof(err)), 0);
	assert_int_equal(d.ndevs, 1);
	assert_string_equal(d.devs[0].name, "0000:01:00.0");
	assert_int_equal(nl.ignored, 2);
	agent_dump_free(&d);
	nl_socket_free(nl.sk);
}

static void count_ntf(const struct agent_ntf *n, void *ctx)
{
	char (*seen)[64] = ctx;

	snprintf(seen[0], sizeof(seen[0]), "%s", n->dev.name);
	seen[1][0]++;
}

static void monitor_ignores_notifications_from_user_ports(void **state)
{
	struct agent_nl nl;
	char seen[2][64] = { "", "" };

	(void)state;
	fake_nl(&nl, true);
	datagram_add(datagram_new(USER_PORT),
		     device_msg(SPDM_CMD_AUTH_DONE_NTF, "0000:66:00.0", 66, 0));
	datagram_add(datagram_new(0),
		     device_msg(SPDM_CMD_AUTH_DONE_NTF, "0000:01:00.0", 1, 0));
	assert_int_equal(agent_nl_monitor_read(&nl, count_ntf, seen), 0);
	assert_int_equal(seen[1][0], 1);
	assert_string_equal(seen[0], "0000:01:00.0");
	assert_int_equal(nl.ignored, 1);
	nl_socket_free(nl.mon);
}

/* A dump interrupted on every try fails with EINTR (the caller retries later). */
static void dump_interrupted_every_time_fails_with_eintr(void **state)
{
	struct agent_nl nl;
	struct agent_dump d;
	struct datagram *dg;
	char err[AGENT_ERR_LEN];

	(void)state;
	fake_nl(&nl, false);
	dg = datagram_new(0);
	datagram_add(dg, device_msg(SPDM_CMD_DEVICE_GET, "0000:01:00.0", 1,
				    NLM_F_MULTI | NLM_F_DUMP_INTR));
	datagram_add(dg, done_msg(NLM_F_DUMP_INTR));
	assert_int_equal(agent_nl_dump(&nl, "0000:01:00.0", true, &d, err,
				       sizeof(err)), -EINTR);
	assert_true(fake.requests > 1);
	assert_int_equal(d.ndevs, 0);
	nl_socket_free(nl.sk);
}

static const struct CMUnitTest netlink_tests[] = {
	cmocka_unit_test(dump_keeps_devices_after_a_rejected_message),
	cmocka_unit_test(dump_ignores_messages_from_user_ports),
	cmocka_unit_test(monitor_ignores_notifications_from_user_ports),
	cmocka_unit_test(dump_interrupted_every_time_fails_with_eintr),
};

UNIT_SUITE(netlink_suite, netlink_tests);
