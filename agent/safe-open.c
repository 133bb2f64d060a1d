// SPDX-License-Identifier: GPL-2.0
/*
 * Opening files the administrator names, safely: the agent runs as root and
 * reads policies, includes and trust anchors, and writes evidence where it
 * is told. A name may be a FIFO (open() would block forever), a device, or
 * a symbolic link planted where a file is about to be created.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"

/**
 * agent_open_regular() - open a regular file for reading, never blocking
 * @path: the file
 *
 * The open is non-blocking, so a FIFO or a device is refused by its type
 * instead of waiting for a writer; the descriptor is blocking again on
 * return.
 *
 * Return: a descriptor (close-on-exec); -EISDIR for a directory, -EINVAL
 * for anything else that is not a regular file (FIFO, device, socket), or
 * open()'s -errno.
 */
int agent_open_regular(const char *path)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out_close;
	}
	if (fcntl(fd, F_SETFL, 0)) {
		ret = -errno;
		goto out_close;
	}
	return fd;

out_close:
	close(fd);
	return ret;
}

/** agent_open_strerror() - what agent_open_regular()'s -errno means */
const char *agent_open_strerror(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}
