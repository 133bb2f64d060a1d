// SPDX-License-Identifier: GPL-2.0
/* Runs every unit suite of the agent as one cmocka group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *dir = malloc(strlen(base) + 32);

	sprintf(dir, "%s/agent-unit-XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
	return dir;
}

void unit_tmpdir_free(char *dir)
{
	char *cmd = malloc(strlen(dir) + 16);

	sprintf(cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

void unit_write(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		abort();
	}
	free(path);
}

int unit_log_to_memfd(int level)
{
	int fd = memfd_create("agent-log", MFD_CLOEXEC);

	assert_true(fd >= 0);
	agent_log_open("spdm-agent", fd, level);
	return fd;
}

char *unit_log_text(int fd)
{
	struct stat st;
	char *buf;

	agent_log_open("spdm-agent", STDERR_FILENO, AGENT_LOG_DEFAULT);
	assert_int_equal(fstat(fd, &st), 0);
	buf = calloc(1, (size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	return buf;
}

int main(void)
{
	const struct unit_suite *suites[] = {
		&policy_suite, &eval_suite, &validate_suite, &pki_set_suite,
		&decode_suite, &audit_suite, &decide_suite, &measurements_suite,
		&policy_check_suite, &safe_open_suite, &netlink_suite,
		&retry_suite,
		&revocation_suite, &freshness_suite, &reference_values_suite,
		&evidence_file_suite, &log_suite,
	};
	struct CMUnitTest *all;
	size_t n = 0, k = 0;
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		n += suites[i]->count;
	all = calloc(n, sizeof(*all));
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		for (size_t j = 0; j < suites[i]->count; j++)
			all[k++] = suites[i]->tests[j];
	ret = _cmocka_run_group_tests("agent", all, n, NULL, NULL);
	free(all);
	pki_world_free();
	return ret;
}
