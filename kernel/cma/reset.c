// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication once a function's state is restored: after a function
 * or bus reset (sysfs "reset", FLR, AER/DPC recovery) and at resume_noirq,
 * the PCI core restores the function's config space with
 * pci_restore_state(), which calls pci_cma_reauthenticate(). A reset or a
 * power transition may bring up new firmware, or another device behind
 * the same slot; the gate's same-device check compares the new chain with
 * the one the last allow verdict accepted. Only the in-tree build has this
 * hook; the out-of-tree module cannot see resets (kernel/cma/README.md).
 */
#define dev_fmt(fmt) "SPDM: " fmt

#include "cma.h"

/* Called from the function's resume_noirq callback: back from system sleep. */
static bool pci_cma_resuming(struct pci_dev *pdev)
{
#ifdef CONFIG_PM_SLEEP
	return pdev->dev.power.is_noirq_suspended;
#else
	return false;
#endif
}

/**
 * pci_cma_reauthenticate() - authenticate a function again after a restore
 * @pdev: the PCI function whose state pci_restore_state() restored
 *
 * Queues an authentication of @pdev when it is tracked and has a CMA
 * mailbox; a queued attempt that has not started covers this one. At
 * resume the attempt counts as the resume's re-authentication: the PM
 * notifier (pm.c) does not queue another. Only queues work, so it may be
 * called in the noirq phase of resume and with the device lock held.
 */
void pci_cma_reauthenticate(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	u32 generation;
	int rc;

	if (!cdev || !cdev->doe)
		return;
	rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
	if (rc) {
		if (rc != -ENODEV)
			pci_warn(pdev, "no re-authentication after restore: %d\n", rc);
		return;
	}
	pci_info(pdev, "state restored: re-authenticating (generation %u)\n", generation);
	if (pci_cma_resuming(pdev)) {
		guard(mutex)(&cdev->lock);
		cdev->resumed_cycle = pci_cma_pm_cycle();
	}
}
