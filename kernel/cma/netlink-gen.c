// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	include/spdm.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/spdm.h>

/* SPDM_CMD_DEVICE_GET - do */
static const struct nla_policy spdm_device_get_do_nl_policy[SPDM_A_DEVICE_KEY + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32, },
};

/* SPDM_CMD_DEVICE_GET - dump */
static const struct nla_policy spdm_device_get_dump_nl_policy[SPDM_A_DEVICE_EVIDENCE + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32, },
	[SPDM_A_DEVICE_EVIDENCE] = { .type = NLA_FLAG, },
};

/* SPDM_CMD_AUTHENTICATE - do */
static const struct nla_policy spdm_authenticate_nl_policy[SPDM_A_DEVICE_NONCE + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32, },
	[SPDM_A_DEVICE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
};

/* SPDM_CMD_VERDICT - do */
static const struct nla_policy spdm_verdict_nl_policy[SPDM_A_DEVICE_REASON + 1] = {
	[SPDM_A_DEVICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SPDM_A_DEVICE_KEY] = { .type = NLA_U32, },
	[SPDM_A_DEVICE_GENERATION] = { .type = NLA_U32, },
	[SPDM_A_DEVICE_VERDICT] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[SPDM_A_DEVICE_VERDICT_SOURCE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[SPDM_A_DEVICE_REASON] = { .type = NLA_NUL_STRING, .len = SPDM_REASON_MAX_LEN, },
};

/* Ops table for spdm */
static const struct genl_split_ops spdm_nl_ops[] = {
	{
		.cmd		= SPDM_CMD_DEVICE_GET,
		.doit		= spdm_nl_device_get_doit,
		.policy		= spdm_device_get_do_nl_policy,
		.maxattr	= SPDM_A_DEVICE_KEY,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPDM_CMD_DEVICE_GET,
		.start		= pci_cma_nl_device_get_start,
		.dumpit		= spdm_nl_device_get_dumpit,
		.policy		= spdm_device_get_dump_nl_policy,
		.maxattr	= SPDM_A_DEVICE_EVIDENCE,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SPDM_CMD_AUTHENTICATE,
		.pre_doit	= pci_cma_nl_pre_doit_admin,
		.doit		= spdm_nl_authenticate_doit,
		.policy		= spdm_authenticate_nl_policy,
		.maxattr	= SPDM_A_DEVICE_NONCE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPDM_CMD_VERDICT,
		.pre_doit	= pci_cma_nl_pre_doit_admin,
		.doit		= spdm_nl_verdict_doit,
		.policy		= spdm_verdict_nl_policy,
		.maxattr	= SPDM_A_DEVICE_REASON,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group spdm_nl_mcgrps[] = {
	[SPDM_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family spdm_nl_family __ro_after_init = {
	.name		= SPDM_FAMILY_NAME,
	.version	= SPDM_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= spdm_nl_ops,
	.n_split_ops	= ARRAY_SIZE(spdm_nl_ops),
	.mcgrps		= spdm_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(spdm_nl_mcgrps),
};
