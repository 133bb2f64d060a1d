/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space extras of the OpenSSL environment: how loud the library is.
 */
#ifndef _SPDM_ENV_OPENSSL_H_
#define _SPDM_ENV_OPENSSL_H_

enum spdm_log_level {
	SPDM_LOG_QUIET,		/* nothing */
	SPDM_LOG_ERR,		/* errors (default) */
	SPDM_LOG_DEBUG,		/* errors and debug messages */
};

void spdm_env_set_log_level(enum spdm_log_level level);

#endif /* _SPDM_ENV_OPENSSL_H_ */
