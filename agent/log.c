// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's log: one line per message on standard error, filtered by
 * level. When standard error is the journal (systemd sets JOURNAL_STREAM to
 * its "device:inode", systemd.exec(5)), each line starts with the
 * sd-daemon(3) priority prefix "<N>" and journald records the level and
 * the unit's name; otherwise (a terminal, a file, the VM tests' logs) it
 * starts with "spdm-agent: ", as it always did. A message is written with
 * one write(2), whole however long, and control characters in it are
 * escaped, so a device name or a policy's text can neither split a record
 * nor forge one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"

static struct {
	const char *prog;
	int fd;
	int level;
	bool journal;
} agent_log_state = {
	.fd = 2,
	.level = AGENT_LOG_DEFAULT,
};

/**
 * agent_log_is_journal() - whether @fd is the stream systemd connected
 * to the journal
 * @fd: the descriptor logged to
 *
 * Return: true when JOURNAL_STREAM names @fd's device and inode.
 */
bool agent_log_is_journal(int fd)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (!env || !*env || fstat(fd, &st))
		return false;
	errno = 0;
	dev = strtoull(env, &end, 10);
	if (errno || end == env || *end != ':')
		return false;
	env = end + 1;
	ino = strtoull(env, &end, 10);
	if (errno || end == env || *end)
		return false;
	return dev == (unsigned long long)st.st_dev &&
	       ino == (unsigned long long)st.st_ino;
}

/**
 * agent_log_level_from() - the level that -v and -q ask for
 * @verbose: how many -v / --verbose
 * @quiet: how many -q / --quiet
 *
 * Each -v shows one level more than the default (notice), each -q one
 * less, from err only to debug.
 *
 * Return: the level, AGENT_LOG_ERR to AGENT_LOG_DEBUG.
 */
int agent_log_level_from(unsigned int verbose, unsigned int quiet)
{
	long level = (long)AGENT_LOG_DEFAULT + (long)verbose - (long)quiet;

	if (level < AGENT_LOG_ERR)
		return AGENT_LOG_ERR;
	if (level > AGENT_LOG_DEBUG)
		return AGENT_LOG_DEBUG;
	return (int)level;
}

/**
 * agent_log_open() - where and how much to log
 * @prog: the name plain lines start with
 * @fd: the descriptor (standard error)
 * @level: the least important level written
 */
void agent_log_open(const char *prog, int fd, int level)
{
	agent_log_state.prog = prog;
	agent_log_state.fd = fd;
	agent_log_state.level = level;
	agent_log_state.journal = agent_log_is_journal(fd);
}

/** agent_log_to_journal() - whether the log goes to the journal */
bool agent_log_to_journal(void)
{
	return agent_log_state.journal;
}

/** agent_log_enabled() - whether a message of @level would be written */
bool agent_log_enabled(int level)
{
	return level <= agent_log_state.level;
}

/* @msg with control characters but tab as \xNN, after @prefix, and '\n'. */
static char *agent_log_line(const char *prefix, const char *msg, size_t *len)
{
	static const char digits[] = "0123456789abcdef";
	size_t plen = strlen(prefix), mlen = strlen(msg);
	char *line, *o;

	/* every byte may become four; prefix, newline: no overflow in practice,
	 * but checked anyway since @msg may carry a device's bytes */
	if (mlen > (SIZE_MAX - plen - 2) / 4)
		return NULL;
	line = malloc(plen + 4 * mlen + 2);
	if (!line)
		return NULL;
	memcpy(line, prefix, plen);
	o = line + plen;
	for (const unsigned char *s = (const unsigned char *)msg; *s; s++) {
		if ((*s < 0x20 && *s != '\t') || *s == 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = digits[*s >> 4];
			*o++ = digits[*s & 0xf];
		} else {
			*o++ = (char)*s;
		}
	}
	*o++ = '\n';
	*len = (size_t)(o - line);
	return line;
}

static void agent_log_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nowhere left to say it */
		buf += n;
		len -= (size_t)n;
	}
}

/**
 * agent_vlog() - write one message of @level, if the level is enabled
 * @level: AGENT_LOG_ERR (most important) to AGENT_LOG_DEBUG
 * @fmt: printf format of the message, without a newline
 * @ap: its arguments
 */
void agent_vlog(int level, const char *fmt, va_list ap)
{
	char small[512], prefix[64], *msg = small, *line;
	int saved = errno;
	va_list aq;
	size_t len;
	int n;

	if (!agent_log_enabled(level))
		return;
	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(small)) {
		msg = malloc((size_t)n + 1);
		if (msg)
			vsnprintf(msg, (size_t)n + 1, fmt, ap);
		else
			msg = small;	/* the start of it rather than nothing */
	}
	if (agent_log_state.journal)
		snprintf(prefix, sizeof(prefix), "<%d>", level);
	else
		snprintf(prefix, sizeof(prefix), "%s: ",
			 agent_log_state.prog ? agent_log_state.prog :
			 program_invocation_short_name);
	line = agent_log_line(prefix, msg, &len);
	if (line) {
		agent_log_write(agent_log_state.fd, line, len);
		free(line);
	} else {
		agent_log_write(agent_log_state.fd, prefix, strlen(prefix));
		agent_log_write(agent_log_state.fd, "a message lost: out of memory\n",
				strlen("a message lost: out of memory\n"));
	}
	if (msg != small)
		free(msg);
out:
	errno = saved;
}

/**
 * agent_log() - write one message of @level, if the level is enabled
 * @level: AGENT_LOG_ERR (most important) to AGENT_LOG_DEBUG
 * @fmt: printf format of the message, without a newline
 */
void agent_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	agent_vlog(level, fmt, ap);
	va_end(ap);
}
