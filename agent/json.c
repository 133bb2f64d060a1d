// SPDX-License-Identifier: GPL-2.0
/*
 * JSON the agent and spdmctl write (audit lines, --json, evidence files),
 * built and serialised by json-c: one object per document, keys in the
 * order they were added, no whitespace, "/" not escaped. What is ours is
 * the sanitiser: strings come from devices and certificates, so they are
 * hostile, and json-c copies their bytes as they are. Bytes that are not
 * well-formed UTF-8 (overlong forms, surrogates, beyond U+10FFFF, truncated
 * sequences) become U+FFFD, one per byte, and so do U+2028/2029, which
 * end lines for some readers (JavaScript's, Python's splitlines()), so
 * every document parses and stays one line. Text meant to be read back as
 * text (the evidence file's strings) also loses its control characters.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agent.h"

/** agent_json_init() - an empty document: agent_json_open(js, NULL) starts it */
void agent_json_init(struct agent_json *js)
{
	memset(js, 0, sizeof(*js));
}

/** agent_json_free() - release the objects and the text */
void agent_json_free(struct agent_json *js)
{
	if (js->depth)
		json_object_put(js->stack[0]);
	free(js->buf);
	memset(js, 0, sizeof(*js));
}

/** agent_json_raw() - append text after the finished document (a newline) */
void agent_json_raw(struct agent_json *js, const char *s, size_t n)
{
	char *b;

	if (js->oom || !js->buf)
		return;
	b = realloc(js->buf, js->len + n + 1);
	if (!b) {
		js->oom = true;
		return;
	}
	memcpy(b + js->len, s, n);
	js->len += n;
	b[js->len] = '\0';
	js->buf = b;
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
	return len;
}

/*
 * Length of the character at @s that stays as it is, 0 when it becomes
 * U+FFFD: bytes that are not well-formed UTF-8, U+2028/2029 and, with
 * @controls, a control character (C0 or DEL).
 */
static size_t agent_text_len(const unsigned char *s, size_t n, bool controls)
{
	size_t len = agent_utf8_len(s, n);

	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 0;
	if (controls && len == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		return 0;
	return len;
}

/*
 * agent_json_sanitise() - @n bytes of @s as well-formed UTF-8 (and without
 * control characters if @controls), in a new buffer of *@out_len bytes
 * (NUL-terminated; NULs inside are kept unless @controls, json-c escapes
 * them), or NULL when out of memory. Each character that is not kept
 * becomes one U+FFFD (each byte, when they are not UTF-8).
 */
static char *agent_json_sanitise(const char *s, size_t n, bool controls,
				 size_t *out_len)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(3 * n + 1);	/* each byte at most U+FFFD */
	size_t i = 0, o = 0;

	if (!out)
		return NULL;
	while (i < n) {
		size_t len = agent_text_len(p + i, n - i, controls);

		if (!len) {
			/* a well-formed character goes whole, a bad byte alone */
			size_t skip = agent_utf8_len(p + i, n - i);

			memcpy(out + o, fffd, 3);
			o += 3;
			i += skip ? skip : 1;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/**
 * agent_json_text_new() - a json-c string of hostile text meant to be read
 * @s: the text (a device's, the kernel's)
 *
 * Well-formed UTF-8 without control characters: what is not becomes U+FFFD,
 * as agent_json_string() does, and a control character too.
 *
 * Return: the new object, or NULL when out of memory.
 */
struct json_object *agent_json_text_new(const char *s)
{
	size_t len;
	char *clean = agent_json_sanitise(s, strlen(s), true, &len);
	struct json_object *o;

	if (!clean)
		return NULL;
	o = json_object_new_string_len(clean, (int)len);
	free(clean);
	return o;
}

/**
 * agent_json_text_bad() - where @s is not what agent_json_text_new() keeps
 * @s: the text
 * @n: its length in bytes
 *
 * Return: the offset of the first byte agent_json_text_new() would
 * replace, or @n when it keeps @s as it is.
 */
size_t agent_json_text_bad(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n && (len = agent_text_len(p + i, n - i, true)))
		i += len;
	return i;
}

/* Serialise the finished document into js->buf. */
static void agent_json_finish(struct agent_json *js)
{
	size_t len;
	const char *text = json_object_to_json_string_length(js->stack[0],
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	free(js->buf);
	js->buf = text ? strndup(text, len) : NULL;
	js->len = js->buf ? len : 0;
	if (!js->buf)
		js->oom = true;
	json_object_put(js->stack[0]);
	js->stack[0] = NULL;
}

/* Add @v (NULL: null) under @key to the innermost open object; takes @v. */
static void agent_json_add(struct agent_json *js, const char *key,
			   struct json_object *v)
{
	if (!js->depth || !key || js->oom ||
	    json_object_object_add(js->stack[js->depth - 1], key, v)) {
		json_object_put(v);
		js->oom = true;
	}
}

/* Add a value just made, unless making it failed. */
static void agent_json_put(struct agent_json *js, const char *key,
			   struct json_object *v)
{
	if (!v)
		js->oom = true;
	else
		agent_json_add(js, key, v);
}

/** agent_json_open() - begin an object (key NULL: the document itself) */
void agent_json_open(struct agent_json *js, const char *key)
{
	struct json_object *o;

	if (js->oom)
		return;
	if (!key) {
		if (js->depth || js->buf) {	/* one document per agent_json */
			js->oom = true;
			return;
		}
		js->stack[js->depth++] = json_object_new_object();
		if (!js->stack[0]) {
			js->depth = 0;
			js->oom = true;
		}
		return;
	}
	if (js->depth >= AGENT_JSON_DEPTH) {
		js->oom = true;
		return;
	}
	o = json_object_new_object();
	agent_json_put(js, key, o);
	if (!js->oom)
		js->stack[js->depth++] = o;
}

/** agent_json_close() - end the innermost object; the last one ends the document */
void agent_json_close(struct agent_json *js)
{
	if (js->oom || !js->depth)
		return;
	if (--js->depth == 0)
		agent_json_finish(js);
}

/** agent_json_stringn() - "key": "value" from @n bytes, sanitised */
void agent_json_stringn(struct agent_json *js, const char *key, const char *s,
			size_t n)
{
	size_t len;
	char *clean;

	if (js->oom)
		return;
	clean = agent_json_sanitise(s, n, false, &len);
	if (!clean) {
		js->oom = true;
		return;
	}
	agent_json_put(js, key, json_object_new_string_len(clean, (int)len));
	free(clean);
}

/** agent_json_string() - "key": "value", or null for NULL */
void agent_json_string(struct agent_json *js, const char *key, const char *s)
{
	if (!s) {
		agent_json_add(js, key, NULL);
		return;
	}
	agent_json_stringn(js, key, s, strlen(s));
}

/** agent_json_int() - "key": number */
void agent_json_int(struct agent_json *js, const char *key, long long v)
{
	if (!js->oom)
		agent_json_put(js, key, json_object_new_int64(v));
}

/** agent_json_bool() - "key": true|false */
void agent_json_bool(struct agent_json *js, const char *key, bool v)
{
	if (!js->oom)
		agent_json_put(js, key, json_object_new_boolean(v));
}

/** agent_json_hex() - "key": "lower-case hex of the bytes" */
void agent_json_hex(struct agent_json *js, const char *key, const uint8_t *b,
		    size_t n)
{
	char *hex = malloc(2 * n + 1);

	if (!hex || spdm_hex(b, n, hex, 2 * n + 1)) {
		free(hex);
		js->oom = true;
		return;
	}
	agent_json_string(js, key, hex);
	free(hex);
}
