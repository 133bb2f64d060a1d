/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space extras of the OpenSSL environment: how loud the library is,
 * virtual sleep for tests, the OpenSSL certificate of a parsed one (parsed
 * through libspdm-util's certificate cache, spdm-util.h).
 */
#ifndef _SPDM_ENV_OPENSSL_H_
#define _SPDM_ENV_OPENSSL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

struct spdm_env_cert;

enum spdm_log_level {
	SPDM_LOG_QUIET,		/* nothing */
	SPDM_LOG_ERR,		/* errors (default) */
	SPDM_LOG_DEBUG,		/* errors and debug messages */
};

void spdm_env_set_log_level(enum spdm_log_level level);

/*
 * Tests and fuzzers: make spdm_env_sleep_us() return at once and advance
 * spdm_env_time_ns() by the time it would have slept instead, so retry
 * bounds are exercised without waiting.
 */
void spdm_env_set_virtual_sleep(bool on);

/* The OpenSSL certificate behind @cert (shared: do not modify it). */
X509 *spdm_env_cert_x509(const struct spdm_env_cert *cert);

#endif /* _SPDM_ENV_OPENSSL_H_ */
