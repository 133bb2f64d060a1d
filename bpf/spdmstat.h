/* SPDX-License-Identifier: GPL-2.0 */
/* spdmstat: types shared by spdmstat.bpf.c and spdmstat.c. */
#ifndef SPDMSTAT_H
#define SPDMSTAT_H

#define SPDMSTAT_MAX_ENTRIES 4096

/* Authentications are counted per distinct value of this key. */
struct spdmstat_auth_key {
	__u32 key;
	__s32 result;
	__u32 asym_alg;
	__u32 hash_alg;
	__u8 version;
	__u8 pad[3];
};

/* Verdicts are counted per device, verdict and source. */
struct spdmstat_verdict_key {
	__u32 key;
	__u32 verdict;
	__u32 source;
};

#endif /* SPDMSTAT_H */
