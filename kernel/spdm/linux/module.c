// SPDX-License-Identifier: GPL-2.0
/*
 * spdm.ko: the SPDM requester library (DMTF DSP0274) for kernel users such
 * as the PCI CMA driver. Load time finds out which algorithms this kernel
 * can verify; negotiation offers exactly those.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "env-linux.h"

static int __init spdm_init(void)
{
	int ret;

	ret = spdm_env_hash_init();
	if (ret)
		return ret;
	spdm_env_sig_init();
	pr_debug("BaseAsymAlgo 0x%x, BaseHashAlgo 0x%x\n",
		 spdm_env_asym_algos(), spdm_env_hash_algos());
	return 0;
}

static void __exit spdm_exit(void)
{
	spdm_env_hash_exit();
}

module_init(spdm_init);
module_exit(spdm_exit);

MODULE_DESCRIPTION("SPDM requester library (DMTF DSP0274)");
MODULE_LICENSE("GPL");
