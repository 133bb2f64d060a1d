// SPDX-License-Identifier: GPL-2.0
/*
 * The files a policy load reads: one file opened without blocking and read
 * whole, include statements (a glob's matches in glob order), loop and
 * depth detection, and the caps on files and bytes per load.
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy-parser.h"

/* glob() has no context pointer; the parser is not used from threads. */
static int agent_glob_errno;

/* A missing directory is an empty policy.d; anything else is an error. */
static int agent_glob_error(const char *path, int err)
{
	(void)path;
	agent_glob_errno = err;
	return err != ENOENT;
}

static bool agent_has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The include statement's path @arg, relative to @basedir. */
int agent_parse_include(struct agent_parser *p, const char *file,
			const struct agent_token *arg, const char *basedir)
{
	char pattern[PATH_MAX];
	glob_t g;
	int ret, n;

	if (arg->text[0] == '/' || !basedir || !strcmp(basedir, "."))
		n = snprintf(pattern, sizeof(pattern), "%s", arg->text);
	else
		n = snprintf(pattern, sizeof(pattern), "%s/%s", basedir,
			     arg->text);
	if (n < 0 || (size_t)n >= sizeof(pattern))
		return agent_parse_error_tok(p, file, arg, "include path too long");
	if (!agent_has_glob(arg->text))
		return agent_parse_file(p, pattern, file, arg->line, arg->col);

	agent_glob_errno = 0;
	ret = glob(pattern, 0, agent_glob_error, &g);
	if (ret == GLOB_NOMATCH)
		return 0;	/* an empty policy.d is fine */
	if (ret) {
		globfree(&g);
		return agent_parse_error(p, file, arg->line, arg->col,
					 "cannot read include '%s': %s",
					 arg->text,
					 ret == GLOB_NOSPACE ? "out of memory" :
					 strerror(agent_glob_errno));
	}
	for (size_t i = 0; i < g.gl_pathc && !ret; i++)
		ret = agent_parse_file(p, g.gl_pathv[i], file, arg->line,
				       arg->col);
	globfree(&g);
	return ret;
}

static int agent_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = agent_open_regular(path);	/* a FIFO must not block the agent */
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	if ((size_t)st.st_size > AGENT_POLICY_MAX) {
		ret = -EFBIG;
		goto out_close;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;
			free(*buf);
			goto out_close;
		}
		got += (size_t)n;
	}
	*len = got;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

/*
 * Read and parse one file. @from/@line/@col locate the include statement
 * (NULL for the main file) so errors point at it.
 */
int agent_parse_file(struct agent_parser *p, const char *path,
		     const char *from, unsigned int line, unsigned int col)
{
	char real[PATH_MAX], dir[PATH_MAX];
	const char *name;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (++p->files_read > AGENT_POLICY_FILES_MAX)
		return agent_parse_error(p, from, line, col,
			"more than %u policy files read (include fan-out)",
			AGENT_POLICY_FILES_MAX);
	ret = realpath(path, real) ? agent_read_file(real, &buf, &len) : -errno;
	if (ret) {
		if (!from)
			snprintf(p->err, p->errlen, "%s: cannot read: %s",
				 path, agent_open_strerror(ret));
		else
			agent_parse_error(p, from, line, col,
					  "cannot read include '%s': %s", path,
					  agent_open_strerror(ret));
		return ret;
	}
	p->bytes_read += len;
	if (p->bytes_read > AGENT_POLICY_TOTAL_MAX) {
		free(buf);
		return agent_parse_error(p, from, line, col,
			"more than %u MiB of policy text read (include fan-out)",
			AGENT_POLICY_TOTAL_MAX >> 20);
	}
	for (size_t i = 0; i < p->depth; i++) {
		if (p->stack[i] && !strcmp(p->stack[i], real)) {
			free(buf);
			return agent_parse_error(p, from, line, col,
				"include loop: '%s' is already being read",
				path);
		}
	}
	if (p->depth == AGENT_INCLUDE_DEPTH) {
		free(buf);
		return agent_parse_error(p, from, line, col,
					 "includes nested deeper than %d",
					 AGENT_INCLUDE_DEPTH);
	}
	name = agent_policy_intern(p->pol, path);
	if (!name) {
		free(buf);
		return -ENOMEM;
	}
	p->stack[p->depth++] = strdup(real);
	if (!p->stack[p->depth - 1]) {
		p->depth--;
		free(buf);
		return -ENOMEM;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	ret = agent_parse_buffer(p, name, buf, len, dirname(dir));
	free(p->stack[--p->depth]);
	free(buf);
	return ret;
}
