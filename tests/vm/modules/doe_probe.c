// SPDX-License-Identifier: GPL-2.0
/*
 * doe_probe: report which PCI functions offer the CMA data object type on a
 * DOE mailbox, proving the VM test bed gives the guest a device the kernel
 * can talk SPDM to. Test module for tests/vm, not part of the product.
 *
 * On load it logs one line per function with a DOE mailbox supporting CMA
 * (and secured CMA) and counts them in the read-only parameter cma_functions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>

/* DOE data object types of CMA-SPDM and secured CMA-SPDM (PCIe r6.2 sec 6.31) */
#define CMA_DOE_VENDOR		PCI_VENDOR_ID_PCI_SIG
#define CMA_DOE_TYPE		1
#define CMA_SECURED_DOE_TYPE	2

static unsigned int cma_functions;
module_param(cma_functions, uint, 0444);
MODULE_PARM_DESC(cma_functions, "PCI functions with a CMA-capable DOE mailbox at load");

static int __init doe_probe_init(void)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		struct pci_doe_mb *cma, *secured;
		u16 doe;

		doe = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_DOE);
		if (!doe)
			continue;
		cma = pci_find_doe_mailbox(pdev, CMA_DOE_VENDOR, CMA_DOE_TYPE);
		secured = pci_find_doe_mailbox(pdev, CMA_DOE_VENDOR, CMA_SECURED_DOE_TYPE);
		pci_info(pdev, "%s: DOE capability at 0x%03x, CMA %s, secured CMA %s\n",
			 KBUILD_MODNAME, doe, cma ? "yes" : "no", secured ? "yes" : "no");
		if (cma)
			cma_functions++;
	}
	pr_info("%u function(s) with a CMA mailbox\n", cma_functions);
	return 0;
}

static void __exit doe_probe_exit(void)
{
	pr_info("unloaded\n");
}

module_init(doe_probe_init);
module_exit(doe_probe_exit);
MODULE_DESCRIPTION("VM test bed: find CMA DOE mailboxes");
MODULE_LICENSE("GPL");
