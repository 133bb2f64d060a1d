// SPDX-License-Identifier: GPL-2.0
/*
 * Policy attributes and their values: the keyword of each attribute, whether
 * it takes a set, and each value parsed into a number with a mask, a string
 * or bytes (struct agent_value). Errors are messages for the rule parser to
 * place at the value's file:line:col.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy-parser.h"

static const struct {
	const char *name;
	enum agent_attr attr;
	bool set_ok;			/* accepts { a b c } */
} agent_attrs[] = {
	{ "vendor",		AGENT_ATTR_VENDOR,	 true },
	{ "device",		AGENT_ATTR_DEVICE,	 true },
	{ "id",			AGENT_ATTR_ID,		 true },
	{ "subsystem",		AGENT_ATTR_SUBSYSTEM,	 true },
	{ "class",		AGENT_ATTR_CLASS,	 true },
	{ "address",		AGENT_ATTR_ADDRESS,	 true },
	{ "state",		AGENT_ATTR_STATE,	 true },
	{ "verified",		AGENT_ATTR_VERIFIED,	 false },
	{ "anchor",		AGENT_ATTR_ANCHOR,	 true },
	{ "leaf-fingerprint",	AGENT_ATTR_LEAF_FP,	 true },
	{ "root-fingerprint",	AGENT_ATTR_ROOT_FP,	 true },
	{ "subject",		AGENT_ATTR_SUBJECT,	 true },
	{ "issuer",		AGENT_ATTR_ISSUER,	 true },
	{ "cma-identity",	AGENT_ATTR_CMA_IDENTITY, true },
	{ "min-version",	AGENT_ATTR_MIN_VERSION,	 false },
	{ "min-strength",	AGENT_ATTR_MIN_STRENGTH, false },
	{ "measurement",	AGENT_ATTR_MEASUREMENT,	 true },
	{ "revoked",		AGENT_ATTR_REVOKED,	 true },
};

/** agent_attr_name() - the policy keyword of an attribute */
const char *agent_attr_name(enum agent_attr attr)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_attrs); i++)
		if (agent_attrs[i].attr == attr)
			return agent_attrs[i].name;
	return "?";
}

/**
 * agent_attr_lookup() - the attribute a policy keyword names
 * @name: the word after allow/deny
 * @attr: the attribute, when found
 * @set_ok: whether it accepts { a b c }
 *
 * Return: false when @name is no attribute.
 */
bool agent_attr_lookup(const char *name, enum agent_attr *attr, bool *set_ok)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_attrs); i++) {
		if (!strcmp(name, agent_attrs[i].name)) {
			*attr = agent_attrs[i].attr;
			*set_ok = agent_attrs[i].set_ok;
			return true;
		}
	}
	return false;
}

/* Hex number of 1..@max digits with an optional 0x prefix. */
static int agent_parse_hex(const char *s, unsigned int max, uint32_t *v,
			   unsigned int *ndigits)
{
	unsigned int n = 0;
	uint32_t x = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (n >= max)
			return -EINVAL;
		x = x << 4 | (uint32_t)d;
	}
	if (!n)
		return -EINVAL;
	*v = x;
	if (ndigits)
		*ndigits = n;
	return 0;
}

/* "VVVV:DDDD", either half may be "*". */
static int agent_parse_pair(const char *s, struct agent_value *v)
{
	const char *colon = strchr(s, ':');
	char left[8];
	uint32_t a = 0, b = 0;

	if (!colon || colon - s >= (long)sizeof(left))
		return -EINVAL;
	memcpy(left, s, colon - s);
	left[colon - s] = '\0';
	v->mask = 0;
	if (strcmp(left, "*")) {
		if (agent_parse_hex(left, 4, &a, NULL))
			return -EINVAL;
		v->mask |= 0xffff0000u;
	}
	if (strcmp(colon + 1, "*")) {
		if (agent_parse_hex(colon + 1, 4, &b, NULL))
			return -EINVAL;
		v->mask |= 0xffffu;
	}
	v->num = a << 16 | b;
	return 0;
}

/* The index in @words of @s. */
int agent_parse_keyword(const char *s, const char *const *words, uint32_t *v)
{
	for (uint32_t i = 0; words[i]; i++) {
		if (!strcmp(s, words[i])) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Parse one value of @attr from @text into @v; returns a message on error. */
const char *agent_parse_value(enum agent_attr attr, const char *text,
			      struct agent_value *v)
{
	static const char *const states[] = {
		"pending", "authenticated", "failed", "unsupported", NULL
	};
	static const char *const identities[] = {
		"absent", "match", "mismatch", "malformed", NULL
	};
	static const char *const yesno[] = { "no", "yes", NULL };
	static const char *const revoked[] = { "unknown", "no", "yes", NULL };
	unsigned int nd;
	char *end;
	unsigned long n;

	switch (attr) {
	case AGENT_ATTR_VENDOR:
	case AGENT_ATTR_DEVICE:
		v->mask = 0xffff;
		return agent_parse_hex(text, 4, &v->num, NULL) ?
		       "expected a 16-bit hex ID such as 1b36" : NULL;
	case AGENT_ATTR_ID:
	case AGENT_ATTR_SUBSYSTEM:
		return agent_parse_pair(text, v) ?
		       "expected VENDOR:DEVICE in hex, either may be *" : NULL;
	case AGENT_ATTR_CLASS:
		if (agent_parse_hex(text, 6, &v->num, &nd) || nd % 2)
			return "expected 2, 4 or 6 hex digits (base class, subclass, prog-if)";
		v->num <<= 4 * (6 - nd);
		v->mask = 0xffffffu & ~((1u << 4 * (6 - nd)) - 1);
		return NULL;
	case AGENT_ATTR_STATE:
		v->mask = 1;
		return agent_parse_keyword(text, states, &v->num) ?
		       "expected authenticated, failed, unsupported or pending" :
		       NULL;
	case AGENT_ATTR_CMA_IDENTITY:
		return agent_parse_keyword(text, identities, &v->num) ?
		       "expected match, mismatch, absent or malformed" : NULL;
	case AGENT_ATTR_VERIFIED:
		return agent_parse_keyword(text, yesno, &v->num) ?
		       "expected yes or no" : NULL;
	case AGENT_ATTR_REVOKED:
		return agent_parse_keyword(text, revoked, &v->num) ?
		       "expected unknown, no or yes" : NULL;
	case AGENT_ATTR_ADDRESS:
	case AGENT_ATTR_ANCHOR:
	case AGENT_ATTR_SUBJECT:
	case AGENT_ATTR_ISSUER:
		v->str = strdup(text);
		return v->str ? NULL : "out of memory";
	case AGENT_ATTR_LEAF_FP:
	case AGENT_ATTR_ROOT_FP:
		if (!strncmp(text, "sha256:", 7))
			text += 7;
		v->bytes = malloc(AGENT_SHA256_LEN);
		if (!v->bytes)
			return "out of memory";
		if (agent_unhex(text, v->bytes, AGENT_SHA256_LEN, &v->len) ||
		    v->len != AGENT_SHA256_LEN)
			return "expected sha256:<64 hex digits>";
		return NULL;
	case AGENT_ATTR_MEASUREMENT:
		v->len = strlen(text) / 2 + 1;
		v->bytes = malloc(v->len);
		if (!v->bytes)
			return "out of memory";
		if (agent_unhex(text, v->bytes, v->len, &v->len) || !v->len)
			return "expected a measurement value in hex";
		return NULL;
	case AGENT_ATTR_MIN_VERSION:
		if (strlen(text) != 3 || text[0] != '1' || text[1] != '.' ||
		    text[2] < '0' || text[2] > '4')
			return "expected an SPDM version 1.0 to 1.4";
		v->num = 0x10 | (uint32_t)(text[2] - '0');
		return NULL;
	case AGENT_ATTR_MIN_STRENGTH:
		errno = 0;
		n = strtoul(text, &end, 10);
		if (errno || *end || end == text || n < 1 || n > 512)
			return "expected a security strength in bits (e.g. 128)";
		v->num = (uint32_t)n;
		return NULL;
	}
	return "unknown attribute";
}

/* Free what agent_parse_value() allocated. */
void agent_value_clear(struct agent_value *v)
{
	free(v->str);
	free(v->bytes);
}
