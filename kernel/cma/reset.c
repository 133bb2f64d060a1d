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
#include "cma.h"

/**
 * pci_cma_reauthenticate() - authenticate a function again after a restore
 * @pdev: the PCI function whose state pci_restore_state() restored
 *
 * Queues an authentication of @pdev when it is tracked and has a CMA
 * mailbox; a queued attempt that has not started covers this one. Only
 * queues work, so it may be called in the noirq phase of resume and with
 * the device lock held.
 */
void pci_cma_reauthenticate(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev = pci_cma_dev_of(pdev);
	u32 generation;
	int rc;

	if (!cdev)
		return;
	if (cdev->doe) {
		rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
		if (rc && rc != -ENODEV)
			pci_warn(pdev, "SPDM: no re-authentication after restore: %d\n", rc);
	}
	pci_cma_dev_put(cdev);
}
