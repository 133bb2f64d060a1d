// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication once a function's state is restored: after a function
 * or bus reset (sysfs "reset", FLR) and at resume_noirq, the PCI core
 * restores the function's config space with pci_restore_state(), which
 * calls pci_cma_reauthenticate(). A reset or a power transition may bring
 * up new firmware, or another device behind the same slot; the gate's
 * same-device check compares the new chain with the one the last allow
 * verdict accepted. Only the in-tree build has these hooks; the
 * out-of-tree module cannot see resets (kernel/cma/README.md).
 *
 * AER and DPC recovery reset the link below a port without restoring the
 * functions behind it: that is left to their drivers' slot_reset(), and a
 * function without a driver (one the gate holds, for one) is not restored
 * at all. So pcie_do_recovery() marks the functions before the reset
 * (pci_cma_reset_prepare()) and, once recovery ends, successful or not,
 * re-authenticates those that no pci_restore_state() re-authenticated in
 * the meantime (pci_cma_reset_done()): one attempt per reset either way.
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

/*
 * Queues an attempt; a queued attempt that has not started covers this one.
 * At resume the attempt counts as the resume's re-authentication: the PM
 * notifier (pm.c) does not queue another.
 */
static void pci_cma_request_reauth(struct pci_cma_dev *cdev)
{
	u32 generation;
	int rc;

	rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
	if (rc) {
		if (rc != -ENODEV)
			pci_warn(cdev->pdev, "no re-authentication after restore: %d\n", rc);
		return;
	}
	pci_info(cdev->pdev, "state restored: re-authenticating (generation %u)\n", generation);
	if (pci_cma_resuming(cdev->pdev)) {
		guard(mutex)(&cdev->lock);
		cdev->resumed_cycle = pci_cma_pm_cycle();
	}
}

/**
 * pci_cma_reauthenticate() - authenticate a function again after a restore
 * @pdev: the PCI function whose state pci_restore_state() restored
 *
 * Queues an authentication of @pdev when it is tracked and has a CMA
 * mailbox, and settles a re-authentication error recovery owes it. At
 * resume the attempt counts as the resume's re-authentication. Only queues
 * work, so it may be called in the noirq phase of resume and with the
 * device lock held.
 */
void pci_cma_reauthenticate(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);

	if (!cdev || !cdev->doe)
		return;
	scoped_guard(mutex, &cdev->lock)
		cdev->reset_owed = false;
	pci_cma_request_reauth(cdev);
}

/**
 * pci_cma_reset_prepare() - note that error recovery resets a function
 * @pdev: a PCI function below the port whose link recovery resets
 *
 * Called by pcie_do_recovery() before the reset: from now on @pdev owes a
 * re-authentication, paid by the next pci_cma_reauthenticate() or, at the
 * latest, by pci_cma_reset_done().
 */
void pci_cma_reset_prepare(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);

	if (!cdev || !cdev->doe)
		return;
	guard(mutex)(&cdev->lock);
	cdev->reset_owed = true;
}

/**
 * pci_cma_reset_done() - error recovery of a function has ended
 * @pdev: a PCI function below the port whose link recovery reset
 *
 * Called by pcie_do_recovery() when recovery succeeded or failed: queues
 * the re-authentication @pdev owes when no restore of its driver (or
 * nobody's, when it has no driver) has queued one since the reset.
 */
void pci_cma_reset_done(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	bool owed;

	if (!cdev || !cdev->doe)
		return;
	scoped_guard(mutex, &cdev->lock) {
		owed = cdev->reset_owed;
		cdev->reset_owed = false;
	}
	if (owed)
		pci_cma_request_reauth(cdev);
}
