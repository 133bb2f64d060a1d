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

/**
 * agent_fopen_regular() - agent_open_regular() as a stdio stream
 * @path: file to read
 * @err: on failure, "PATH: reason"
 * @errlen: size of @err
 *
 * Return: the stream, or NULL with -errno in *@ret and @err filled.
 */
FILE *agent_fopen_regular(const char *path, int *ret, char *err, size_t errlen)
{
	int fd = agent_open_regular(path);	/* a FIFO must not block the agent */
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");

	if (f)
		return f;
	*ret = fd < 0 ? fd : -errno;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "%s: %s", path, agent_open_strerror(*ret));
	return NULL;
}

/** agent_open_strerror() - what agent_open_regular()'s -errno means */
const char *agent_open_strerror(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}

/**
 * agent_dir_open_private() - the caller's own directory to write into
 * @path: the directory; created (0755) when missing
 *
 * Root writing where it is told must not write through a name someone else
 * controls: @path itself must not be a symbolic link, and it must belong to
 * the caller and be writable by nobody else (a shared directory like /tmp
 * is refused: anyone could plant names in it).
 *
 * Return: a directory descriptor for agent_create_at(); -ELOOP when @path
 * is a symbolic link, -EPERM when it is someone else's or shared, -ENOTDIR,
 * or mkdir()'s or open()'s -errno.
 */
int agent_dir_open_private(const char *path)
{
	struct stat st;
	int fd;

	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* O_NOFOLLOW|O_DIRECTORY on a link to a directory: ENOTDIR */
		if ((errno == ENOTDIR || errno == ELOOP) &&
		    !lstat(path, &st) && S_ISLNK(st.st_mode))
			return -ELOOP;
		return -errno;
	}
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/**
 * agent_create_at() - create a new file in a directory, never following a link
 * @dirfd: from agent_dir_open_private()
 * @name: a plain file name
 * @mode: its permissions
 *
 * Only a name that does not exist is created (O_EXCL): a planted symbolic
 * link, or any file already there, is an error, never followed or replaced.
 *
 * Return: a writable descriptor (close-on-exec), -EEXIST, or openat()'s
 * -errno.
 */
int agent_create_at(int dirfd, const char *name, unsigned int mode)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, (mode_t)mode);

	return fd < 0 ? -errno : fd;
}
