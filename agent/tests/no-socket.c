// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for cli-usage.sh: socket() says it was called and fails,
 * so a test sees whether a program tried to open one (spdmctl's usage
 * errors and `verify` must not).
 */
#include <errno.h>
#include <unistd.h>

int socket(int domain, int type, int protocol);

int socket(int domain, int type, int protocol)
{
	static const char msg[] = "no-socket: socket() called\n";

	(void)domain;
	(void)type;
	(void)protocol;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(99);
	errno = EACCES;
	return -1;
}
