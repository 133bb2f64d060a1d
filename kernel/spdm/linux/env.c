// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel environment of the SPDM library: memory, randomness, time and
 * logging (the crypto services live in hash.c, sig.c and x509.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "spdm-env.h"

/**
 * spdm_env_zalloc() - allocate zeroed memory
 * @size: number of bytes
 *
 * Certificate chains and transcripts run to tens of KiB, so large requests
 * may come from vmalloc rather than need contiguous pages.
 *
 * Context: process context, may sleep.
 * Return: the memory, or NULL.
 */
void *spdm_env_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_zalloc, SPDM_ENV_SELFTEST);

/**
 * spdm_env_free() - free memory from spdm_env_zalloc()
 * @ptr: the memory, or NULL
 */
void spdm_env_free(void *ptr)
{
	kvfree(ptr);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_free, SPDM_ENV_SELFTEST);

/**
 * spdm_env_free_sensitive() - zero, then free memory from spdm_env_zalloc()
 * @ptr: the memory, or NULL
 * @size: the size it was allocated with
 */
void spdm_env_free_sensitive(void *ptr, size_t size)
{
	kvfree_sensitive(ptr, size);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_free_sensitive, SPDM_ENV_SELFTEST);

/**
 * spdm_env_random() - fill a buffer with cryptographically secure random bytes
 * @buf: the buffer
 * @len: its length
 *
 * Return: 0.
 */
int spdm_env_random(u8 *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_random, SPDM_ENV_SELFTEST);

/**
 * spdm_env_time_ns() - read the monotonic clock
 *
 * Return: nanoseconds since boot, excluding suspend.
 */
u64 spdm_env_time_ns(void)
{
	return ktime_get_ns();
}
EXPORT_SYMBOL_NS_GPL(spdm_env_time_ns, SPDM_ENV_SELFTEST);

/**
 * spdm_env_sleep_us() - sleep
 * @us: microseconds
 *
 * Context: process context, sleeps.
 */
void spdm_env_sleep_us(u64 us)
{
	fsleep(us);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_sleep_us, SPDM_ENV_SELFTEST);

/* The protocol files' formats may or may not end in a newline. */
static bool ends_in_newline(const char *fmt)
{
	size_t n = strlen(fmt);

	return n && fmt[n - 1] == '\n';
}

/**
 * spdm_env_err() - log an error as "spdm: <name>: <message>"
 * @name: device or connection name
 * @fmt: printf format
 */
void spdm_env_err(const char *name, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%s: %pV%s", name ?: "?", &vaf, ends_in_newline(fmt) ? "" : "\n");
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_err, SPDM_ENV_SELFTEST);

/**
 * spdm_env_dbg() - log a debug message (dynamic debug) as "spdm: <name>: ..."
 * @name: device or connection name
 * @fmt: printf format
 */
void spdm_env_dbg(const char *name, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_debug("%s: %pV%s", name ?: "?", &vaf, ends_in_newline(fmt) ? "" : "\n");
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_dbg, SPDM_ENV_SELFTEST);
