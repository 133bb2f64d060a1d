// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF spdm-emu socket protocol, the one QEMU's spdm_port speaks
 * (spdm-emu include/.../command.h, QEMU backends/spdm-socket.c): every
 * message is a big-endian u32 command, u32 transport type and u32 payload
 * size, then the payload. With the PCI DOE transport the payload is a whole
 * DOE data object (8-byte header, PCIe 6.0 §6.30.1); with MCTP it starts with
 * the MCTP message type byte (DSP0275: 0x05 = SPDM).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "responder.h"

#define SOCKET_CMD_NORMAL 0x0001
#define SOCKET_CMD_SHUTDOWN 0xfffe
#define SOCKET_CMD_UNKNOWN 0xffff
#define SOCKET_CMD_TEST 0xdead

#define TRANSPORT_NONE 0x00
#define TRANSPORT_MCTP 0x01
#define TRANSPORT_PCI_DOE 0x02

#define DOE_VENDOR_PCISIG 0x0001	/* PCIe 6.0 §6.30.1.1 */
#define DOE_TYPE_DISCOVERY 0x00		/* PCIe 6.0 §6.30.1.1 */
#define DOE_TYPE_CMA_SPDM 0x01		/* PCIe 6.0 §6.31.3 */
#define DOE_TYPE_SECURED_CMA 0x02	/* PCIe 6.0 §6.31.4 */
#define DOE_DISCOVERY_DWORDS 3		/* header and one dword, both ways */
#define DOE_HDR_SIZE 8
#define DOE_LENGTH_MASK 0x3ffff		/* length in dwords, 0 means 2^18 */
#define MCTP_TYPE_SPDM 0x05

/* Largest payload we accept; a DOE object is at most 1 MiB. */
#define MAX_PAYLOAD (1u << 20)

/*
 * QEMU sends a message's header and payload in separate writes without
 * TCP_NODELAY; ACK at once or every exchange waits for delayed ACK. Linux
 * clears TCP_QUICKACK by itself, so re-arm it after every receive.
 */
static void quickack(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

static int read_full(int fd, void *p, size_t len)
{
	u8 *b = p;

	while (len) {
		ssize_t n = recv(fd, b, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		quickack(fd);
		b += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *p, size_t len)
{
	const u8 *b = p;

	while (len) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= n;
	}
	return 0;
}

static int send_msg(int fd, u32 cmd, u32 transport, const u8 *payload, size_t len)
{
	struct buf m = { 0 };
	u32 hdr[3] = { htonl(cmd), htonl(transport), htonl(len) };
	int ret;

	buf_put(&m, hdr, sizeof(hdr));
	buf_put(&m, payload, len);
	ret = write_full(fd, m.data, m.len);
	buf_free(&m);
	return ret;
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Find the SPDM message inside a transport payload; NULL if it carries none. */
static const u8 *unwrap(u32 transport, const u8 *p, size_t len, size_t *spdm_len)
{
	size_t obj;

	switch (transport) {
	case TRANSPORT_PCI_DOE:
		if (len < DOE_HDR_SIZE || (p[0] | p[1] << 8) != DOE_VENDOR_PCISIG ||
		    p[2] != DOE_TYPE_CMA_SPDM)
			return NULL;
		obj = le32(p + 4) & DOE_LENGTH_MASK;
		obj = obj ? obj * 4 : (size_t)(DOE_LENGTH_MASK + 1) * 4;
		if (obj < DOE_HDR_SIZE)
			return NULL;
		*spdm_len = (obj < len ? obj : len) - DOE_HDR_SIZE;
		return p + DOE_HDR_SIZE;
	case TRANSPORT_MCTP:
		if (len < 1 || p[0] != MCTP_TYPE_SPDM)
			return NULL;
		*spdm_len = len - 1;
		return p + 1;
	default:
		*spdm_len = len;
		return len ? p : (const u8 *)"";
	}
}

/*
 * The data object types of the mailbox, in Discovery index order: what
 * QEMU's NVMe DOE capability lists (hw/nvme/ctrl.c, hw/pci/pcie_doe.c).
 */
static const u8 doe_protocols[] = {
	DOE_TYPE_DISCOVERY, DOE_TYPE_CMA_SPDM, DOE_TYPE_SECURED_CMA,
};

/*
 * DOE Discovery (PCIe 6.0 §6.30.1.1): the request's third dword carries
 * the Index (byte 0); the response's carries the Vendor ID, the data
 * object type at that index and the next index (0 after the last). An
 * index past the last is answered, as QEMU does, with vendor 0xffff,
 * type 0xff, next index 0. Returns false when @p is no Discovery request
 * (a short one is discarded, as QEMU discards it).
 */
static bool doe_discovery(const u8 *p, size_t len, struct buf *out)
{
	unsigned int n = sizeof(doe_protocols);
	u16 vendor = 0xffff;
	u8 type = 0xff, next = 0, index;

	if (len < DOE_HDR_SIZE || (p[0] | p[1] << 8) != DOE_VENDOR_PCISIG ||
	    p[2] != DOE_TYPE_DISCOVERY)
		return false;
	if (len < DOE_DISCOVERY_DWORDS * 4 ||
	    (le32(p + 4) & DOE_LENGTH_MASK) < DOE_DISCOVERY_DWORDS)
		return true;
	index = p[8];
	if (index < n) {
		vendor = DOE_VENDOR_PCISIG;
		type = doe_protocols[index];
		next = index + 1u < n ? index + 1 : 0;
	}
	buf_put16(out, DOE_VENDOR_PCISIG);
	buf_put8(out, DOE_TYPE_DISCOVERY);
	buf_put8(out, 0);
	buf_put32(out, DOE_DISCOVERY_DWORDS);
	buf_put16(out, vendor);
	buf_put8(out, type);
	buf_put8(out, next);
	return true;
}

static void wrap(u32 transport, const struct buf *spdm, struct buf *out)
{
	size_t total;

	switch (transport) {
	case TRANSPORT_PCI_DOE:
		/* A DOE object is whole dwords; pad with zeros as a device would. */
		total = (DOE_HDR_SIZE + spdm->len + 3) & ~(size_t)3;
		buf_put16(out, DOE_VENDOR_PCISIG);
		buf_put8(out, DOE_TYPE_CMA_SPDM);
		buf_put8(out, 0);
		buf_put32(out, (total / 4) & DOE_LENGTH_MASK);
		buf_put(out, spdm->data, spdm->len);
		buf_put(out, NULL, total - DOE_HDR_SIZE - spdm->len);
		break;
	case TRANSPORT_MCTP:
		buf_put8(out, MCTP_TYPE_SPDM);
		buf_put(out, spdm->data, spdm->len);
		break;
	default:
		buf_put(out, spdm->data, spdm->len);
	}
}

/* Stay silent until the peer gives up; what it sends meanwhile is dropped. */
static void hang(int fd)
{
	u8 sink[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, -1) >= 0)
		if (recv(fd, sink, sizeof(sink), 0) <= 0)
			return;
}

/* Close with RST, so the peer's pending receive fails with ECONNRESET. */
static void reset(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

void serve_connection(int fd, int id)
{
	static const char hello[] = "Server Hello!";
	struct session *s = session_new(id);
	struct buf payload = { 0 }, rsp = { 0 }, out = { 0 };
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	quickack(fd);
	for (;;) {
		u32 hdr[3], cmd, transport, size;
		const u8 *req;
		size_t req_len;
		int action;

		if (read_full(fd, hdr, sizeof(hdr)))
			break;
		cmd = ntohl(hdr[0]);
		transport = ntohl(hdr[1]);
		size = ntohl(hdr[2]);
		if (size > MAX_PAYLOAD) {
			vlog("conn %d: payload of %u bytes refused", id, size);
			break;
		}
		buf_reset(&payload);
		buf_put(&payload, NULL, size);
		if (read_full(fd, payload.data, size))
			break;

		if (cmd == SOCKET_CMD_TEST) {
			if (send_msg(fd, SOCKET_CMD_TEST, transport, (const u8 *)hello, sizeof(hello)))
				break;
			continue;
		}
		if (cmd == SOCKET_CMD_SHUTDOWN) {
			vlog("conn %d: shutdown", id);
			send_msg(fd, SOCKET_CMD_SHUTDOWN, transport, NULL, 0);
			break;
		}
		if (cmd != SOCKET_CMD_NORMAL) {
			vlog("conn %d: unknown socket command 0x%x", id, cmd);
			if (send_msg(fd, SOCKET_CMD_UNKNOWN, transport, NULL, 0))
				break;
			continue;
		}

		buf_reset(&out);
		if (transport == TRANSPORT_PCI_DOE &&
		    doe_discovery(payload.data, payload.len, &out)) {
			vlog("conn %d: DOE discovery", id);
			if (send_msg(fd, SOCKET_CMD_NORMAL, transport, out.data, out.len))
				break;
			continue;
		}
		req = unwrap(transport, payload.data, payload.len, &req_len);
		if (!req) {
			/* Not SPDM (e.g. secured SPDM): an empty answer, as spdm-emu gives. */
			vlog("conn %d: transport %u payload without an SPDM message", id, transport);
		} else {
			buf_reset(&rsp);
			action = session_handle(s, req, req_len, &rsp);
			if (action == 1) {
				vlog("conn %d: hanging", id);
				hang(fd);
				break;
			}
			if (action == 2) {
				vlog("conn %d: resetting the connection", id);
				reset(fd);
				break;
			}
			wrap(transport, &rsp, &out);
		}
		if (send_msg(fd, SOCKET_CMD_NORMAL, transport, out.data, out.len))
			break;
	}
	vlog("conn %d: closed", id);
	session_free(s);
	buf_free(&payload);
	buf_free(&rsp);
	buf_free(&out);
	close(fd);
}
