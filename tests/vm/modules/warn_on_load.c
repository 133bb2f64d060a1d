// SPDX-License-Identifier: GPL-2.0
/*
 * warn_on_load: emit one kernel WARNING when loaded, so the VM harness can
 * prove its console scan catches it. Test module for tests/vm only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/bug.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "%s: deliberate warning for the harness self-test\n", KBUILD_MODNAME);
	return 0;
}

/* Present so that the module can be unloaded. */
static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_DESCRIPTION("VM test bed: deliberately WARN on load");
MODULE_LICENSE("GPL");
