// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication after system resume. A device's firmware or identity
 * can change while the system sleeps (power is removed in S3/S4, a device
 * can be swapped), so once the system is back every tracked function is
 * authenticated again, with the gate's same-device check. The in-tree
 * series does this per device at resume_noirq, before its driver resumes;
 * a module has no such hook and uses the PM notifier, which runs after
 * drivers resumed: the driver may touch a swapped device briefly until the
 * check unbinds it.
 */
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/suspend.h>

#include "cma.h"

static void pci_cma_pm_reauthenticate_all(void)
{
	struct pci_cma_dev *cdev;
	u32 key = 0, generation;
	int rc;

	while ((cdev = pci_cma_dev_get_next(&key))) {
		if (cdev->doe) {
			rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
			if (rc && rc != -ENODEV)
				pci_warn(cdev->pdev, "no re-authentication after resume: %d\n",
					 rc);
		}
		pci_cma_dev_put(cdev);
		if (key == U32_MAX)
			break;
		key++;
	}
}

static int pci_cma_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	switch (action) {
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		pci_cma_pm_reauthenticate_all();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pci_cma_pm_nb = {
	.notifier_call = pci_cma_pm_notify,
};

/**
 * pci_cma_pm_init() - re-authenticate every tracked function after each resume
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_pm_init(void)
{
	return register_pm_notifier(&pci_cma_pm_nb);
}

/**
 * pci_cma_pm_exit() - stop re-authenticating after resume
 */
void pci_cma_pm_exit(void)
{
	unregister_pm_notifier(&pci_cma_pm_nb);
}
