// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's log (log.c): what each level and each -v / -q shows, the
 * sd-daemon(3) "<N>" prefix exactly when standard error is the journal
 * stream systemd names in JOURNAL_STREAM, and every message whole, on one
 * line, however long and whatever bytes it carries.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "unit.h"

static void log_every_level(void)
{
	agent_err("an err");
	agent_warning("a warning");
	agent_notice("a notice");
	agent_info("an info");
	agent_debug("a debug");
}

static void log_level_filters_what_is_written(void **state)
{
	static const struct {
		int level;
		const char *text;
	} rows[] = {
		{ AGENT_LOG_ERR, "spdm-agent: an err\n" },
		{ AGENT_LOG_WARNING, "spdm-agent: an err\nspdm-agent: a warning\n" },
		{ AGENT_LOG_NOTICE, "spdm-agent: an err\nspdm-agent: a warning\n"
				    "spdm-agent: a notice\n" },
		{ AGENT_LOG_INFO, "spdm-agent: an err\nspdm-agent: a warning\n"
				  "spdm-agent: a notice\nspdm-agent: an info\n" },
		{ AGENT_LOG_DEBUG, "spdm-agent: an err\nspdm-agent: a warning\n"
				   "spdm-agent: a notice\nspdm-agent: an info\n"
				   "spdm-agent: a debug\n" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		int fd = unit_log_to_memfd(rows[i].level);
		char *text;

		log_every_level();
		assert_false(agent_log_enabled(rows[i].level + 1));
		assert_true(agent_log_enabled(rows[i].level));
		text = unit_log_text(fd);
		assert_string_equal(text, rows[i].text);
		free(text);
	}
}

/* The level spdm-agent runs at for a command line (after --policy P). */
static int log_level_of(const char *a, const char *b, const char *c)
{
	char *argv[] = { "spdm-agent", "--policy", "P", (char *)a, (char *)b,
			 (char *)c, NULL };
	int argc = 3 + !!a + !!b + !!c;
	struct agent_options o;

	assert_int_equal(agent_options_parse(argc, argv, &o), 0);
	assert_string_equal(o.cfg.policy, "P");
	return o.log_level;
}

static void log_v_and_q_count(void **state)
{
	(void)state;
	assert_int_equal(log_level_of(NULL, NULL, NULL), AGENT_LOG_NOTICE);
	assert_int_equal(log_level_of("-v", NULL, NULL), AGENT_LOG_INFO);
	assert_int_equal(log_level_of("--verbose", NULL, NULL), AGENT_LOG_INFO);
	assert_int_equal(log_level_of("-vv", NULL, NULL), AGENT_LOG_DEBUG);
	assert_int_equal(log_level_of("-v", "--verbose", NULL), AGENT_LOG_DEBUG);
	/* more -v than levels: debug, the most there is */
	assert_int_equal(log_level_of("-vvvvv", "-v", NULL), AGENT_LOG_DEBUG);
	assert_int_equal(log_level_of("-q", NULL, NULL), AGENT_LOG_WARNING);
	assert_int_equal(log_level_of("--quiet", "-q", NULL), AGENT_LOG_ERR);
	/* errors are never silenced */
	assert_int_equal(log_level_of("-qqqqq", NULL, NULL), AGENT_LOG_ERR);
	assert_int_equal(log_level_of("-v", "-q", NULL), AGENT_LOG_NOTICE);
	assert_int_equal(log_level_of("-vvq", "-n", NULL), AGENT_LOG_INFO);
	assert_int_equal(agent_log_level_from(0, 0), AGENT_LOG_DEFAULT);
	assert_int_equal(agent_log_level_from(~0u, 0), AGENT_LOG_DEBUG);
	assert_int_equal(agent_log_level_from(0, ~0u), AGENT_LOG_ERR);
}

static void log_v_takes_no_argument(void **state)
{
	char *argv[] = { "spdm-agent", "--policy", "P", "--verbose=2", NULL };
	struct agent_options o;
	FILE *saved = stderr;

	(void)state;
	stderr = fopen("/dev/null", "w");	/* the usage text */
	assert_int_equal(agent_options_parse(4, argv, &o), -EINVAL);
	fclose(stderr);
	stderr = saved;
}

/* What one notice looks like with JOURNAL_STREAM set to @env ("" unset). */
static char *log_notice_with_stream(const char *env)
{
	int fd = memfd_create("agent-log", MFD_CLOEXEC);

	assert_true(fd >= 0);
	if (*env)
		assert_int_equal(setenv("JOURNAL_STREAM", env, 1), 0);
	else
		unsetenv("JOURNAL_STREAM");
	agent_log_open("spdm-agent", fd, AGENT_LOG_DEBUG);
	agent_notice("reloaded %s (%d rules)", "/etc/spdm/policy.rules", 3);
	agent_debug("a debug");
	unsetenv("JOURNAL_STREAM");
	return unit_log_text(fd);
}

static void log_journal_prefix_only_on_the_journal_stream(void **state)
{
	int fd = memfd_create("agent-log", MFD_CLOEXEC);
	char env[64], *text;
	struct stat st;
	const char *other[5];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	/* memfds share a device; each has its own inode */
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);

	/* stderr is another stream than systemd's (a pipe, a file): plain */
	other[0] = env;
	other[1] = "";
	other[2] = "12";
	other[3] = ":5";
	other[4] = "1:2junk";
	for (size_t i = 0; i < ARRAY_SIZE(other); i++) {
		text = log_notice_with_stream(other[i]);
		assert_string_equal(text,
			"spdm-agent: reloaded /etc/spdm/policy.rules (3 rules)\n"
			"spdm-agent: a debug\n");
		free(text);
	}

	/* the journal's own stream: <N> prefixes and no program name */
	fd = memfd_create("agent-log", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	assert_int_equal(setenv("JOURNAL_STREAM", env, 1), 0);
	assert_true(agent_log_is_journal(fd));
	agent_log_open("spdm-agent", fd, AGENT_LOG_DEBUG);
	unsetenv("JOURNAL_STREAM");
	log_every_level();
	text = unit_log_text(fd);
	assert_string_equal(text, "<3>an err\n<4>a warning\n<5>a notice\n"
				  "<6>an info\n<7>a debug\n");
	free(text);
}

static void log_long_message_is_whole(void **state)
{
	size_t n = 100000;
	char *msg = malloc(n + 1), *text;
	int fd;

	(void)state;
	assert_non_null(msg);
	for (size_t i = 0; i < n; i++)
		msg[i] = (char)('a' + i % 26);
	msg[n] = '\0';
	fd = unit_log_to_memfd(AGENT_LOG_NOTICE);
	errno = EAGAIN;
	agent_notice("%s: %s", "0000:01:00.0", msg);
	assert_int_equal(errno, EAGAIN);	/* callers may log, then use errno */
	text = unit_log_text(fd);
	assert_int_equal(strlen(text), strlen("spdm-agent: 0000:01:00.0: ") + n + 1);
	assert_memory_equal(text, "spdm-agent: 0000:01:00.0: ", 26);
	assert_memory_equal(text + 26, msg, n);
	assert_int_equal(text[26 + n], '\n');
	free(text);
	free(msg);
}

static void log_control_bytes_cannot_split_a_record(void **state)
{
	char *text;
	int fd;

	(void)state;
	fd = unit_log_to_memfd(AGENT_LOG_NOTICE);
	agent_warning("%s: %s", "dev", "bad\n<0>forged\r\x1b[2J\x7f\tend");
	text = unit_log_text(fd);
	assert_string_equal(text,
		"spdm-agent: dev: bad\\x0a<0>forged\\x0d\\x1b[2J\\x7f\tend\n");
	free(text);
}

#define LOG_THREADS	4
#define LOG_LINES	500

static char log_fill[2048];

static void *log_thread(void *arg)
{
	long t = (long)arg;

	for (int i = 0; i < LOG_LINES; i++)
		agent_notice("thread %ld line %d %.*s.", t, i,
			     (int)((t * 977 + (long)i * 131) % 2000), log_fill);
	return NULL;
}

static void log_threads_lines_stay_whole(void **state)
{
	pthread_t th[LOG_THREADS];
	int seen[LOG_THREADS] = { 0 };
	char *text, *line, *save;
	int fd, lines = 0;
	char path[4096], *dir;

	(void)state;
	/* as the tests' >>agent.log: an O_APPEND file (a memfd's offset is
	 * not shared atomically between threads, a real file's is) */
	dir = unit_tmpdir();
	snprintf(path, sizeof(path), "%s/agent.log", dir);
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	agent_log_open("spdm-agent", fd, AGENT_LOG_NOTICE);
	memset(log_fill, 'x', sizeof(log_fill) - 1);
	for (long t = 0; t < LOG_THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, log_thread,
						(void *)t), 0);
	for (int t = 0; t < LOG_THREADS; t++)
		pthread_join(th[t], NULL);
	text = unit_log_text(fd);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int t, i, len;

		assert_int_equal(sscanf(line, "spdm-agent: thread %d line %d %n",
					&t, &i, &len), 2);
		assert_true(t >= 0 && t < LOG_THREADS);
		assert_int_equal(i, seen[t]);	/* in order, none lost */
		seen[t]++;
		assert_int_equal(strspn(line + len, "x"),
				 (size_t)((t * 977 + i * 131) % 2000));
		assert_string_equal(line + len + strspn(line + len, "x"), ".");
		lines++;
	}
	assert_int_equal(lines, LOG_THREADS * LOG_LINES);
	free(text);
	unit_tmpdir_free(dir);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(log_level_filters_what_is_written),
	cmocka_unit_test(log_v_and_q_count),
	cmocka_unit_test(log_v_takes_no_argument),
	cmocka_unit_test(log_journal_prefix_only_on_the_journal_stream),
	cmocka_unit_test(log_long_message_is_whole),
	cmocka_unit_test(log_control_bytes_cannot_split_a_record),
	cmocka_unit_test(log_threads_lines_stay_whole),
};

UNIT_SUITE(log_suite, tests);
