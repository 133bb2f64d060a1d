/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	include/spdm.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SPDM_GEN_H
#define _LINUX_SPDM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/spdm.h>

int pci_cma_nl_pre_doit_admin(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info);
int pci_cma_nl_device_get_start(struct netlink_callback *cb);

int spdm_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info);
int spdm_nl_device_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int spdm_nl_authenticate_doit(struct sk_buff *skb, struct genl_info *info);
int spdm_nl_verdict_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	SPDM_NLGRP_MONITOR,
};

extern struct genl_family spdm_nl_family;

#endif /* _LINUX_SPDM_GEN_H */
