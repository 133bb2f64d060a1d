// SPDX-License-Identifier: GPL-2.0
/* Hex encoding for fingerprints, nonces and measurement values. */
#include <errno.h>

#include "agent.h"

/** agent_hex() - lower-case hex of @n bytes into @out (2n + 1 bytes) */
void agent_hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int agent_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * agent_unhex() - decode hex digits, ':' allowed between bytes
 * @s: NUL-terminated text
 * @out: destination
 * @max: its size
 * @len: number of bytes decoded
 *
 * Return: 0, or -EINVAL on a bad digit, an odd count or more than @max bytes.
 */
int agent_unhex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;

		if (*s == ':' && n) {
			s++;
			continue;
		}
		hi = agent_nibble(s[0]);
		lo = hi < 0 ? -1 : agent_nibble(s[1]);
		if (lo < 0 || n >= max)
			return -EINVAL;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*len = n;
	return 0;
}
