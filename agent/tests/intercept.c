// SPDX-License-Identifier: GPL-2.0
/*
 * What the agent hands libraries it cannot be watched through otherwise,
 * caught at link time (the unit tests link with --wrap): every record sent
 * to the journal (sd_journal_sendv(), which journald would receive; the
 * tests never write to the host's journal), and json-c's strings, the
 * allocation an audit record makes most, failed on demand.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <json-c/json.h>

#include "unit.h"

static char *journal;
static size_t journal_len;
static long strings_left = -1;

/* what sd_journal_sendv() is, with the caller's source location */
int __wrap_sd_journal_sendv_with_location(const char *file, const char *line,
					  const char *func,
					  const struct iovec *iov, int n);
struct json_object *__real_json_object_new_string_len(const char *s, int len);
struct json_object *__wrap_json_object_new_string_len(const char *s, int len);

/* Each record's fields one a line, records ended by an empty line. */
int __wrap_sd_journal_sendv_with_location(const char *file, const char *line,
					  const char *func,
					  const struct iovec *iov, int n)
{
	(void)file;
	(void)line;
	(void)func;
	for (int i = 0; i <= n; i++) {
		size_t len = i < n ? iov[i].iov_len : 0;
		char *j = realloc(journal, journal_len + len + 2);

		if (!j)
			return -12;
		journal = j;
		if (len)
			memcpy(journal + journal_len, iov[i].iov_base, len);
		journal_len += len;
		journal[journal_len++] = '\n';
		journal[journal_len] = '\0';
	}
	return 0;
}

char *unit_journal_take(void)
{
	char *j = journal ? journal : strdup("");

	journal = NULL;
	journal_len = 0;
	return j;
}

size_t unit_count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

void unit_fail_strings_after(long n)
{
	strings_left = n;
}

struct json_object *__wrap_json_object_new_string_len(const char *s, int len)
{
	if (strings_left == 0)
		return NULL;
	if (strings_left > 0)
		strings_left--;
	return __real_json_object_new_string_len(s, len);
}
