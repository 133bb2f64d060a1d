// SPDX-License-Identifier: GPL-2.0
/*
 * Files the agent and spdmctl open as root where an administrator points
 * them: a FIFO is refused, not waited on; an output directory must be the
 * caller's own; a file is created only where nothing stood, so a planted
 * symbolic link is never followed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "unit.h"

static char *path_in(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void safe_open_refuses_fifo_without_blocking(void **state)
{
	char *dir = unit_tmpdir(), *fifo = path_in(dir, "fifo");

	(void)state;
	alarm(20);	/* a regression kills the run instead of hanging it */
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(agent_open_regular(fifo), -EINVAL);
	assert_string_equal(agent_open_strerror(-EINVAL), "not a regular file");
	assert_int_equal(agent_open_regular(dir), -EISDIR);
	alarm(0);
	free(fifo);
	unit_tmpdir_free(dir);
}

/* regression: spdmctl evidence --out followed a planted symlink as root */
static void create_at_never_follows_a_planted_symlink(void **state)
{
	char *dir = unit_tmpdir(), *victim = path_in(dir, "victim");
	char *out = path_in(dir, "out"), *link = path_in(out, "transcript.bin");
	char buf[16] = "";
	int dfd, fd;

	(void)state;
	unit_write(dir, "victim", "precious\n");
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(symlink(victim, link), 0);
	dfd = agent_dir_open_private(out);
	assert_true(dfd >= 0);
	assert_int_equal(agent_create_at(dfd, "transcript.bin", 0644), -EEXIST);
	fd = agent_create_at(dfd, "signature.bin", 0644);
	assert_true(fd >= 0);
	close(fd);
	close(dfd);
	fd = open(victim, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 9);
	close(fd);
	assert_string_equal(buf, "precious\n");
	free(victim);
	free(out);
	free(link);
	unit_tmpdir_free(dir);
}

static void dir_open_private_creates_a_fresh_directory(void **state)
{
	char *dir = unit_tmpdir(), *out = path_in(dir, "new");
	struct stat st;
	int dfd;

	(void)state;
	dfd = agent_dir_open_private(out);
	assert_true(dfd >= 0);
	assert_int_equal(fstat(dfd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 022, 0);
	close(dfd);
	free(out);
	unit_tmpdir_free(dir);
}

static void dir_open_private_refuses_symlink_and_shared_directory(void **state)
{
	char *dir = unit_tmpdir(), *out = path_in(dir, "shared");
	char *link = path_in(dir, "link");

	(void)state;
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(chmod(out, 01777), 0);	/* like /tmp */
	assert_int_equal(agent_dir_open_private(out), -EPERM);
	assert_int_equal(chmod(out, 0755), 0);
	assert_int_equal(symlink(out, link), 0);
	assert_int_equal(agent_dir_open_private(link), -ELOOP);
	free(out);
	free(link);
	unit_tmpdir_free(dir);
}

static const struct CMUnitTest safe_open_tests[] = {
	cmocka_unit_test(safe_open_refuses_fifo_without_blocking),
	cmocka_unit_test(create_at_never_follows_a_planted_symlink),
	cmocka_unit_test(dir_open_private_creates_a_fresh_directory),
	cmocka_unit_test(dir_open_private_refuses_symlink_and_shared_directory),
};

UNIT_SUITE(safe_open_suite, safe_open_tests);
