/* SPDX-License-Identifier: GPL-2.0 */
/* spdmsnoop: types shared by spdmsnoop.bpf.c and spdmsnoop.c. */
#ifndef SPDMSNOOP_H
#define SPDMSNOOP_H

#define SPDMSNOOP_DEV_LEN 32

/* One SPDM exchange, as sent through the ring buffer. */
struct spdmsnoop_event {
	__u64 ts_ns;
	__u64 duration_ns;
	__u32 key;
	__u32 req_len;
	__u32 rsp_len;
	__s32 result;
	__u8 req_code;
	__u8 rsp_code;
	char dev[SPDMSNOOP_DEV_LEN];
};

#endif /* SPDMSNOOP_H */
