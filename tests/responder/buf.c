// SPDX-License-Identifier: GPL-2.0
/* Growable byte buffers; SPDM fields are little-endian (DSP0274 1.3.0 §9). */
#include <stdlib.h>
#include <string.h>

#include "responder.h"

void buf_put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + len)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			abort();
		b->cap = cap;
	}
	if (data)
		memcpy(b->data + b->len, data, len);
	else
		memset(b->data + b->len, 0, len);
	b->len += len;
}

void buf_put8(struct buf *b, u8 v)
{
	buf_put(b, &v, 1);
}

void buf_put16(struct buf *b, u16 v)
{
	u8 le[2] = { v, v >> 8 };

	buf_put(b, le, 2);
}

void buf_put32(struct buf *b, u32 v)
{
	u8 le[4] = { v, v >> 8, v >> 16, v >> 24 };

	buf_put(b, le, 4);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
