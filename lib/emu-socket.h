/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM transport over the socket protocol of DMTF spdm-emu: TCP, each
 * message preceded by big-endian u32 command, transport type and size.
 */
#ifndef _EMU_SOCKET_H_
#define _EMU_SOCKET_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* spdm-emu spdm_emu_common/command.h */
#define EMU_COMMAND_NORMAL 0x0001
#define EMU_TRANSPORT_NONE 0x00
#define EMU_TRANSPORT_MCTP 0x01
#define EMU_TRANSPORT_PCI_DOE 0x02

/**
 * struct emu_socket - one connection to a responder
 * @fd: connected TCP socket
 * @transport: EMU_TRANSPORT_*
 * @timeout_ms: longest wait for one response
 * @buf: scratch for framing, @cap bytes
 * @cap: its size
 */
struct emu_socket {
	int fd;
	uint32_t transport;
	int timeout_ms;
	uint8_t *buf;
	size_t cap;
};

int emu_socket_connect(struct emu_socket *s, const char *host, uint16_t port,
		       uint32_t transport, int timeout_ms);
void emu_socket_close(struct emu_socket *s);
ssize_t emu_socket_transport(void *priv, const void *req, size_t req_sz,
			     void *rsp, size_t rsp_sz);

#endif /* _EMU_SOCKET_H_ */
