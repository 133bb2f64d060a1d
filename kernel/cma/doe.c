// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM transport over the CMA Data Object Exchange mailbox: one SPDM message
 * per DOE data object (PCIe r6.0 §6.31.3), vendor PCI-SIG, type CMA/SPDM.
 */
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pm_runtime.h>

#include "cma.h"

/* PCIe r6.0 §6.30.1.1 table 6-32: DOE data object type 1 is CMA/SPDM. */
#define PCI_DOE_PROTO_CMA	1

/**
 * pci_cma_doe_find() - the CMA mailbox of a PCI function
 * @pdev: the function
 *
 * Return: the mailbox, or NULL when the function has none.
 */
struct pci_doe_mb *pci_cma_doe_find(struct pci_dev *pdev)
{
	return pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_PROTO_CMA);
}

/**
 * pci_cma_doe_transport() - spdm_transport_fn over the device's CMA mailbox
 * @priv: the device (struct pci_cma_dev)
 * @req: request message
 * @req_sz: its length
 * @rsp: response buffer
 * @rsp_sz: its size; pci_doe() silently truncates anything longer
 *
 * The device is resumed for the exchange: a suspended function may not
 * answer config space requests. Once the device is being removed no
 * exchange starts, so none outlives the mailbox.
 *
 * Return: response length in bytes (whole dwords: up to 3 pad bytes follow
 * the message), or a negative errno.
 */
noinline ssize_t pci_cma_doe_transport(void *priv, const void *req, size_t req_sz,
				   void *rsp, size_t rsp_sz)
{
	struct pci_cma_dev *cdev = priv;
	int rc;

	if (READ_ONCE(cdev->removed))
		return -ENODEV;
	if (req_sz > PCI_CMA_DOE_MAX_MSG)
		return -EMSGSIZE;
	rsp_sz = min(rsp_sz, PCI_CMA_DOE_MAX_MSG);

	rc = pm_runtime_resume_and_get(&cdev->pdev->dev);
	if (rc)
		return rc;
	rc = pci_doe(cdev->doe, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_PROTO_CMA,
		     req, req_sz, rsp, rsp_sz);
	pm_runtime_put(&cdev->pdev->dev);
	return rc;
}
