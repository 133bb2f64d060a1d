// SPDX-License-Identifier: GPL-2.0
/*
 * spdm_cma: authenticate PCIe devices with SPDM over CMA/DOE (PCIe r6.0
 * §6.31), report the outcome in sysfs, tracepoints and the "spdm" generic
 * netlink family.
 *
 * Devices present at load and hot-added ones (PCI bus notifier) are
 * authenticated asynchronously. The bus notifier is registered before the
 * scan of present devices, so none is missed; adding a device twice is
 * harmless, and the gate holds a function on its notification even when
 * the scan registered it first. The driver-binding gate (gate.c) holds new
 * functions in the same notifier, before any driver can match them. In
 * tree, the PCI core adds each function it enumerates once spdm_cma is up
 * (pci_cma_enumerated(), before the function is in sysfs), and the
 * notifier only creates its sysfs groups.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/pci.h>

#include "cma.h"

/* Set once the registry, netlink and the gate are up. */
static bool pci_cma_ready;

/**
 * pci_cma_add() - track a function and hold it if the gate says so
 * @pdev: the function
 * @present: found by the scan at load (else: hot-added or enumerated)
 *
 * Fails closed. A function hot-added while the module scans may be found
 * by the scan first (it is on the bus before its BUS_NOTIFY_ADD_DEVICE):
 * its notification then gets -EEXIST but still gates it as hot-added,
 * before any driver can match. Does nothing before spdm_cma is up.
 */
void pci_cma_add(struct pci_dev *pdev, bool present)
{
	int rc;

	/* Pairs with the release in pci_cma_init(): the registry is set up. */
	if (!smp_load_acquire(&pci_cma_ready))
		return;
	rc = pci_cma_dev_add(pdev);
	if (!rc || (rc == -EEXIST && !present))
		pci_cma_gate_add(pdev, present);
	else if (rc != -EEXIST)
		pci_cma_gate_hold_untracked(pdev, present);
}

static int pci_cma_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		pci_cma_add(pdev, false);
		pci_cma_dev_publish(pdev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		pci_cma_gate_bound(pdev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		pci_cma_gate_remove(pdev);
		pci_cma_dev_remove(pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pci_cma_bus_nb = {
	.notifier_call = pci_cma_bus_notify,
};

static int __init pci_cma_init(void)
{
	struct pci_dev *pdev = NULL;
	int rc;

	rc = pci_cma_gate_init();
	if (rc)
		return rc;
	rc = pci_cma_devices_init();
	if (rc)
		return rc;
	rc = pci_cma_netlink_init();
	if (rc)
		goto err_devices;
	/* Publishes the registry, netlink and the gate to pci_cma_add(). */
	smp_store_release(&pci_cma_ready, true);
	rc = bus_register_notifier(&pci_bus_type, &pci_cma_bus_nb);
	if (rc)
		goto err_netlink;
	for_each_pci_dev(pdev) {
		pci_cma_add(pdev, true);
		pci_cma_dev_publish(pdev);
	}
	rc = pci_cma_pm_init();
	if (rc)
		goto err_bus;
	return 0;

err_bus:
	bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
	pci_cma_gate_exit();
err_netlink:
	/* No more functions to the registry that is going away. */
	smp_store_release(&pci_cma_ready, false);
	pci_cma_netlink_exit();
err_devices:
	pci_cma_devices_exit();
	return rc;
}

static void __exit pci_cma_exit(void)
{
	pci_cma_pm_exit();
	bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
	/* No more functions to the registry that is going away. */
	smp_store_release(&pci_cma_ready, false);
	pci_cma_gate_exit();
	pci_cma_devices_exit();
	pci_cma_netlink_exit();
}

module_init(pci_cma_init);
module_exit(pci_cma_exit);

MODULE_DESCRIPTION("SPDM device authentication of PCIe devices over CMA/DOE");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SPDM);
