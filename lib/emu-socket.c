// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM transport over the socket protocol of DMTF spdm-emu (the one QEMU's
 * spdm_port speaks): TCP; each message is a big-endian u32 command
 * (NORMAL), u32 transport type, u32 payload size, then the payload. With
 * PCI DOE the payload is the 8-byte DOE header and the SPDM message padded
 * to whole dwords; with MCTP a one-byte message type (SPDM = 0x05)
 * precedes the SPDM message.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "emu-socket.h"

/* PCIe 6.0 §6.30.1 DOE data object header; CMA: vendor 0x0001, type 1 */
#define DOE_HDR_LEN 8
#define DOE_VENDOR_PCISIG 0x0001
#define DOE_TYPE_CMA 1
#define DOE_LENGTH_MASK 0x3ffff
/* DSP0275 MCTP message type of SPDM */
#define MCTP_TYPE_SPDM 0x05
#define EMU_HDR_LEN 12
/* Largest payload accepted from the peer (drained when it does not fit). */
#define EMU_MAX_PAYLOAD (16u << 20)

static void put_be32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t get_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes (into @p, or discarded when NULL) by @deadline. */
static int recv_all(int fd, uint8_t *p, size_t len, int64_t deadline)
{
	uint8_t sink[512];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left;
	ssize_t n;
	int rc;

	while (len) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (!rc)
			continue;
		n = recv(fd, p ? p : sink, p || len < sizeof(sink) ? len : sizeof(sink), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ECONNRESET;
		if (p)
			p += n;
		len -= n;
	}
	return 0;
}

/**
 * emu_socket_connect() - connect to a responder
 * @s: connection to set up
 * @host: host name or address
 * @port: TCP port
 * @transport: EMU_TRANSPORT_*
 * @timeout_ms: response timeout
 *
 * Return: 0 or a negative errno.
 */
int emu_socket_connect(struct emu_socket *s, const char *host, uint16_t port,
		       uint32_t transport, int timeout_ms)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char service[8];
	int one = 1, fd = -1, rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc)
		return -EHOSTUNREACH;
	rc = -ECONNREFUSED;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			rc = 0;
			break;
		}
		rc = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (rc)
		return rc;
	/* One message per write; no Nagle delay between request and reply. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->fd = fd;
	s->transport = transport;
	s->timeout_ms = timeout_ms;
	return 0;
}

/**
 * emu_socket_close() - close the connection
 * @s: connection
 */
void emu_socket_close(struct emu_socket *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	s->cap = 0;
}

static int reserve(struct emu_socket *s, size_t len)
{
	uint8_t *b;

	if (len <= s->cap)
		return 0;
	b = realloc(s->buf, len);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->cap = len;
	return 0;
}

/* Frame @req for the transport after the 12-byte socket header. */
static ssize_t frame_request(struct emu_socket *s, const void *req, size_t req_sz)
{
	size_t hdr = 0, pad = 0, total;
	uint8_t *p;

	if (s->transport == EMU_TRANSPORT_PCI_DOE) {
		hdr = DOE_HDR_LEN;
		pad = (4 - req_sz % 4) % 4;
	} else if (s->transport == EMU_TRANSPORT_MCTP) {
		hdr = 1;
	}
	total = hdr + req_sz + pad;
	if (reserve(s, EMU_HDR_LEN + total))
		return -ENOMEM;
	p = s->buf + EMU_HDR_LEN;
	memset(p, 0, total);
	if (s->transport == EMU_TRANSPORT_PCI_DOE) {
		p[0] = DOE_VENDOR_PCISIG & 0xff;
		p[1] = DOE_VENDOR_PCISIG >> 8;
		p[2] = DOE_TYPE_CMA;
		p[4] = (total / 4) & 0xff;
		p[5] = (total / 4) >> 8;
		p[6] = ((total / 4) >> 16) & 0x3;
	} else if (s->transport == EMU_TRANSPORT_MCTP) {
		p[0] = MCTP_TYPE_SPDM;
	}
	memcpy(p + hdr, req, req_sz);
	put_be32(s->buf, EMU_COMMAND_NORMAL);
	put_be32(s->buf + 4, s->transport);
	put_be32(s->buf + 8, total);
	return EMU_HDR_LEN + total;
}

/* Strip the transport header in place: offset and length of the SPDM bytes. */
static int unframe(struct emu_socket *s, size_t len, size_t *off, size_t *msg_len)
{
	const uint8_t *p = s->buf;
	size_t dw;

	*off = 0;
	*msg_len = len;
	if (s->transport == EMU_TRANSPORT_MCTP) {
		if (len < 1 || p[0] != MCTP_TYPE_SPDM)
			return -EPROTO;
		*off = 1;
		*msg_len = len - 1;
	} else if (s->transport == EMU_TRANSPORT_PCI_DOE) {
		if (len < DOE_HDR_LEN || (p[0] | p[1] << 8) != DOE_VENDOR_PCISIG ||
		    p[2] != DOE_TYPE_CMA)
			return -EPROTO;
		dw = (p[4] | p[5] << 8 | (size_t)p[6] << 16) & DOE_LENGTH_MASK;
		if (dw * 4 < DOE_HDR_LEN)
			return -EPROTO;
		/* An object longer than what was kept was truncated. */
		*off = DOE_HDR_LEN;
		*msg_len = (dw * 4 < len ? dw * 4 : len) - DOE_HDR_LEN;
	}
	return 0;
}

/**
 * emu_socket_transport() - spdm_transport_fn over an emu_socket
 * @priv: struct emu_socket
 * @req: SPDM request
 * @req_sz: its size
 * @rsp: response buffer
 * @rsp_sz: its size
 *
 * Like pci_doe(), a response larger than @rsp is cut to @rsp_sz bytes
 * and DOE padding is returned with the message.
 *
 * Return: response bytes, or -ETIMEDOUT, -ECONNRESET, -EPIPE, -EPROTO
 * (framing), -EMSGSIZE (absurd payload size).
 */
ssize_t emu_socket_transport(void *priv, const void *req, size_t req_sz,
			     void *rsp, size_t rsp_sz)
{
	struct emu_socket *s = priv;
	int64_t deadline = now_ms() + s->timeout_ms;
	uint8_t hdr[EMU_HDR_LEN];
	size_t size, keep, off, msg_len;
	ssize_t out;
	int rc;

	out = frame_request(s, req, req_sz);
	if (out < 0)
		return out;
	rc = send_all(s->fd, s->buf, out);
	if (rc)
		return rc;

	rc = recv_all(s->fd, hdr, sizeof(hdr), deadline);
	if (rc)
		return rc;
	size = get_be32(hdr + 8);
	if (get_be32(hdr) != EMU_COMMAND_NORMAL || get_be32(hdr + 4) != s->transport)
		return -EPROTO;
	if (size > EMU_MAX_PAYLOAD)
		return -EMSGSIZE;
	/* Keep what the caller can hold plus the transport header; drain the rest. */
	keep = size < rsp_sz + DOE_HDR_LEN ? size : rsp_sz + DOE_HDR_LEN;
	if (reserve(s, keep ? keep : 1))
		return -ENOMEM;
	rc = recv_all(s->fd, s->buf, keep, deadline);
	if (!rc)
		rc = recv_all(s->fd, NULL, size - keep, deadline);
	if (rc)
		return rc;
	rc = unframe(s, keep, &off, &msg_len);
	if (rc)
		return rc;
	if (msg_len > rsp_sz)
		msg_len = rsp_sz;
	memcpy(rsp, s->buf + off, msg_len);
	return msg_len;
}
