// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication from enumeration: pci_device_add() calls
 * pci_cma_enumerated() for every function the PCI core enumerates, once
 * its capabilities (and DOE mailboxes) are set up and before device_add().
 * spdm_cma tracks the function, queues its authentication and, if the gate
 * says so, holds it there, without depending on the order of the PCI bus
 * notifiers; the notifier creates its sysfs groups once it is in sysfs.
 * Only the in-tree build has this hook; the module finds functions at
 * BUS_NOTIFY_ADD_DEVICE, which device_add() sends before the PCI core lets
 * drivers match (pci_bus_add_device()).
 *
 * Functions enumerated before spdm_cma's initcall (on x86 every function
 * found at boot: PCI enumeration runs at subsys_initcall, spdm_cma at
 * device_initcall, after the crypto it verifies with) are found by the scan
 * at init, as at module load (gate_present decides whether they are held).
 */
#include "cma.h"

/**
 * pci_cma_enumerated() - the PCI core enumerated a function
 * @pdev: the function, not yet in sysfs
 *
 * Tracks it and holds it if it is in the gate's scope; nothing before
 * spdm_cma is up.
 */
void pci_cma_enumerated(struct pci_dev *pdev)
{
	pci_cma_add(pdev, false);
}
