/* SPDX-License-Identifier: GPL-2.0 */
/* spdmlat: types shared by spdmlat.bpf.c and spdmlat.c. */
#ifndef SPDMLAT_H
#define SPDMLAT_H

#define SPDMLAT_MAX_SLOTS 27
#define SPDMLAT_MAX_HISTS 1024

/* req_code of the histogram of whole authentications (0 is no request code). */
#define SPDMLAT_AUTH 0

struct spdmlat_key {
	__u32 key;
	__u8 req_code;
	__u8 pad[3];
};

struct spdmlat_hist {
	__u32 slots[SPDMLAT_MAX_SLOTS];
};

#endif /* SPDMLAT_H */
