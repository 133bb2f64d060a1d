// SPDX-License-Identifier: GPL-2.0
/*
 * How the in-tree build holds a function: the PCI core asks
 * pci_cma_may_bind() in pci_device_probe() and refuses every driver while
 * the gate holds the function, whatever its driver_override, which stays
 * the administrator's. A held function thus stays unbound through driver
 * loads, drivers_probe and a manual bind (which fails with ENODEV); an
 * allow clears the hold and attaches a driver.
 *
 * The probe path holds the device lock, and the gate takes it (in
 * device_attach() and device_release_driver()) while it holds its own
 * locks, so the hook takes none of them: it reads a flag the gate writes
 * before it unbinds or attaches. Setting the flag before
 * device_release_driver() and checking it under the device lock leaves no
 * window in which a probe that started before a deny binds after it.
 */
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/xarray.h>

#include "cma.h"

/* Functions held that spdm_cma cannot track: until they are removed. */
static DEFINE_XARRAY_ALLOC(pci_cma_untracked);

/**
 * pci_cma_may_bind() - may a driver bind to this function now?
 * @pdev: the function pci_device_probe() is about to probe
 *
 * Called with the device lock held; takes no lock of the gate.
 *
 * Return: false while the gate holds @pdev.
 */
bool pci_cma_may_bind(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	struct pci_dev *held;
	unsigned long i;

	if (cdev)
		return !READ_ONCE(cdev->gate.held);
	xa_for_each(&pci_cma_untracked, i, held)
		if (held == pdev)
			return false;
	return true;
}

/**
 * pci_cma_hold_set() - keep drivers away: pci_cma_may_bind() says no
 * @cdev: the device
 *
 * Return: 0.
 */
int pci_cma_hold_set(struct pci_cma_dev *cdev)
{
	WRITE_ONCE(cdev->gate.held, true);
	return 0;
}

/**
 * pci_cma_hold_clear() - let drivers bind again
 * @cdev: the device
 */
void pci_cma_hold_clear(struct pci_cma_dev *cdev)
{
	WRITE_ONCE(cdev->gate.held, false);
}

/**
 * pci_cma_hold_stop() - the gate stops managing the function
 * @cdev: the device
 * @unload: spdm_cma is going away (built in: only when its init failed)
 * @denied: its last verdict was a deny
 *
 * A function going away takes its hold with it; when spdm_cma's init
 * fails, its registry goes and with it every hold.
 */
void pci_cma_hold_stop(struct pci_cma_dev *cdev, bool unload, bool denied)
{
}

/**
 * pci_cma_hold_untracked() - hold a function spdm_cma cannot track
 * @pdev: the function
 *
 * It stays held until it is removed.
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_hold_untracked(struct pci_dev *pdev)
{
	u32 id;
	int rc;

	rc = xa_alloc(&pci_cma_untracked, &id, pci_dev_get(pdev), xa_limit_32b, GFP_KERNEL);
	if (rc) {
		pci_dev_put(pdev);
		return rc;
	}
	pci_err(pdev, "held, untracked: no driver binds it until it is removed\n");
	return 0;
}

/**
 * pci_cma_hold_untracked_remove() - an untracked function goes away
 * @pdev: the function
 */
void pci_cma_hold_untracked_remove(struct pci_dev *pdev)
{
	struct pci_dev *held;
	unsigned long i;

	xa_for_each(&pci_cma_untracked, i, held) {
		if (held == pdev) {
			xa_erase(&pci_cma_untracked, i);
			pci_dev_put(pdev);
		}
	}
}
