// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer for audit lines. Strings come from devices and
 * certificates, so they are hostile: quotes, backslashes and control
 * characters are escaped, and bytes that are not well-formed UTF-8
 * (overlong forms, surrogates, beyond U+10FFFF, truncated sequences) become
 * U+FFFD, so every line parses and stays one line.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

/** agent_json_init() - start an empty JSON object */
void agent_json_init(struct agent_json *js)
{
	memset(js, 0, sizeof(*js));
}

/** agent_json_free() - release the buffer */
void agent_json_free(struct agent_json *js)
{
	free(js->buf);
	memset(js, 0, sizeof(*js));
}

/** agent_json_raw() - append bytes as they are (structure, newline) */
void agent_json_raw(struct agent_json *js, const char *s, size_t n)
{
	if (js->oom)
		return;
	if (js->len + n + 1 > js->cap) {
		size_t cap = js->cap ? js->cap : 256;
		char *b;

		while (cap < js->len + n + 1)
			cap *= 2;
		b = realloc(js->buf, cap);
		if (!b) {
			js->oom = true;
			return;
		}
		js->buf = b;
		js->cap = cap;
	}
	memcpy(js->buf + js->len, s, n);
	js->len += n;
	js->buf[js->len] = '\0';
}

/* Length of the well-formed UTF-8 sequence at @s, 0 if it is not one. */
static size_t agent_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+2028/2029 end lines in JavaScript readers: escape them too */
	if (cp == 0x2028 || cp == 0x2029)
		return 0;
	return len;
}

/** agent_json_escape() - append @n bytes of @s as a quoted JSON string */
void agent_json_escape(struct agent_json *js, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	agent_json_raw(js, "\"", 1);
	while (i < n) {
		char esc[8];
		size_t len;

		if (p[i] == '"' || p[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)p[i];
			agent_json_raw(js, esc, 2);
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
			agent_json_raw(js, esc, 6);
			i++;
			continue;
		}
		len = agent_utf8_len(p + i, n - i);
		if (!len) {
			/* keep U+2028/2029 as escapes, else U+FFFD per byte */
			if (n - i >= 3 && p[i] == 0xe2 && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
				agent_json_raw(js, p[i + 2] == 0xa8 ?
					       "\\u2028" : "\\u2029", 6);
				i += 3;
			} else {
				agent_json_raw(js, "\\ufffd", 6);
				i++;
			}
			continue;
		}
		agent_json_raw(js, s + i, len);
		i += len;
	}
	agent_json_raw(js, "\"", 1);
}

static void agent_json_key(struct agent_json *js, const char *key)
{
	if (js->need_comma)
		agent_json_raw(js, ",", 1);
	js->need_comma = true;
	if (key) {
		agent_json_escape(js, key, strlen(key));
		agent_json_raw(js, ":", 1);
	}
}

/** agent_json_open() - begin an object (key NULL at the top level) */
void agent_json_open(struct agent_json *js, const char *key)
{
	agent_json_key(js, key);
	agent_json_raw(js, "{", 1);
	js->need_comma = false;
}

/** agent_json_close() - end the innermost object */
void agent_json_close(struct agent_json *js)
{
	agent_json_raw(js, "}", 1);
	js->need_comma = true;
}

/** agent_json_stringn() - "key": "value" from @n bytes */
void agent_json_stringn(struct agent_json *js, const char *key, const char *s,
			size_t n)
{
	agent_json_key(js, key);
	agent_json_escape(js, s, n);
}

/** agent_json_string() - "key": "value", or null for NULL */
void agent_json_string(struct agent_json *js, const char *key, const char *s)
{
	if (!s) {
		agent_json_key(js, key);
		agent_json_raw(js, "null", 4);
		return;
	}
	agent_json_stringn(js, key, s, strlen(s));
}

/** agent_json_int() - "key": number */
void agent_json_int(struct agent_json *js, const char *key, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", v);

	agent_json_key(js, key);
	agent_json_raw(js, num, (size_t)n);
}

/** agent_json_bool() - "key": true|false */
void agent_json_bool(struct agent_json *js, const char *key, bool v)
{
	agent_json_key(js, key);
	agent_json_raw(js, v ? "true" : "false", v ? 4 : 5);
}

/** agent_json_hex() - "key": "hex of the bytes" */
void agent_json_hex(struct agent_json *js, const char *key, const uint8_t *b,
		    size_t n)
{
	char *hex = malloc(2 * n + 1);

	if (!hex) {
		js->oom = true;
		return;
	}
	agent_hex(b, n, hex);
	agent_json_string(js, key, hex);
	free(hex);
}
