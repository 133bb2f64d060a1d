// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's retry schedule. A device whose dump failed (the kernel
 * flagged it interrupted on every try: the device keeps re-authenticating;
 * or memory ran out) must not be forgotten: it would wait for a verdict
 * until the gate's timeout decided for it. It is looked at again after a
 * delay that doubles up to a ceiling, for as long as it fails; a success,
 * of its own dump or of a dump of every device, forgets it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

static struct agent_retry *agent_retry_find(struct agent_retries *r,
					    const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	return NULL;
}

/**
 * agent_retry_schedule() - an examination failed: try again later
 * @r: the schedule
 * @name: the device, or AGENT_RETRY_ALL
 * @now_ms: monotonic time
 *
 * The first failure waits AGENT_RETRY_MIN_MS, each further one twice as
 * long as the one before, at most AGENT_RETRY_MAX_MS.
 *
 * Return: 0 or -ENOMEM.
 */
int agent_retry_schedule(struct agent_retries *r, const char *name,
			 uint64_t now_ms)
{
	struct agent_retry *e = agent_retry_find(r, name), *v;

	if (!e) {
		v = realloc(r->v, (r->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		e = &r->v[r->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", name);
	} else if (e->due_ms != UINT64_MAX) {
		return 0;	/* already waiting */
	}
	e->delay_ms = !e->delay_ms ? AGENT_RETRY_MIN_MS :
		      e->delay_ms >= AGENT_RETRY_MAX_MS / 2 ? AGENT_RETRY_MAX_MS :
		      e->delay_ms * 2;
	e->due_ms = now_ms + e->delay_ms;
	return 0;
}

/**
 * agent_retry_clear() - an examination succeeded: forget the device
 * @r: the schedule
 * @name: the device, or AGENT_RETRY_ALL (every device was looked at)
 */
void agent_retry_clear(struct agent_retries *r, const char *name)
{
	for (size_t i = 0; i < r->n;) {
		if (!name[0] || !strcmp(r->v[i].name, name))
			r->v[i] = r->v[--r->n];
		else
			i++;
	}
}

/**
 * agent_retry_timeout() - how long poll() may wait
 * @r: the schedule
 * @now_ms: monotonic time
 *
 * Return: milliseconds until the first retry is due (0 when one is), or -1
 * when none is waiting.
 */
int agent_retry_timeout(const struct agent_retries *r, uint64_t now_ms)
{
	uint64_t first = UINT64_MAX;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].due_ms < first)
			first = r->v[i].due_ms;
	if (first == UINT64_MAX)
		return -1;
	return first <= now_ms ? 0 : (int)(first - now_ms);
}

/**
 * agent_retry_take() - a device whose retry is due
 * @r: the schedule
 * @now_ms: monotonic time
 * @name: 64 bytes, the device (AGENT_RETRY_ALL: every device)
 *
 * The entry stays, with its delay, until agent_retry_clear() (success) or
 * agent_retry_schedule() (another failure, a longer wait).
 *
 * Return: true when @name was filled.
 */
bool agent_retry_take(struct agent_retries *r, uint64_t now_ms, char *name)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].due_ms <= now_ms) {
			r->v[i].due_ms = UINT64_MAX;
			memcpy(name, r->v[i].name, sizeof(r->v[i].name));
			return true;
		}
	}
	return false;
}

/** agent_retry_free() - release the schedule */
void agent_retry_free(struct agent_retries *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
