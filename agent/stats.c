// SPDX-License-Identifier: GPL-2.0
/*
 * What the agent's caches did, for SIGUSR1 (stderr and the service's
 * status line) and the benchmarks: the process-wide certificate cache of
 * libspdm-util and the validator's cache of chain results.
 */
#include <stdio.h>

#include "agent.h"

/**
 * agent_stats_format() - one line of the caches' counters
 * @v: the validator whose chain results to count, NULL for none
 * @buf: where the line goes (no newline)
 * @size: its size
 *
 * The certificate cache counts since the process started; the chain
 * results since @v was made (a SIGHUP makes a new one).
 */
void agent_stats_format(const struct agent_validator *v, char *buf, size_t size)
{
	struct spdm_cert_cache_stats c;
	unsigned long hits = 0, misses = 0;

	spdm_cert_cache_stats(&c);
	if (v)
		agent_validator_stats(v, &hits, &misses);
	snprintf(buf, size,
		 "certificate cache: %lu hits, %lu misses, %lu evictions, %lu entries; chain results: %lu hits, %lu misses",
		 c.hits, c.misses, c.evictions, c.entries, hits, misses);
}
