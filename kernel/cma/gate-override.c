// SPDX-License-Identifier: GPL-2.0
/*
 * How the module holds a function: it sets the function's driver_override
 * to a name no driver has, so that no driver matches it (driver loads,
 * drivers_probe, a manual bind). The administrator's own override is kept
 * aside and put back on release, unless an administrator replaced ours
 * meanwhile. The in-tree build holds with a hook in the PCI core instead
 * (gate-core.c) and leaves driver_override to the administrator.
 *
 * Module unload: a denied function keeps the gate's override, so no later
 * driver load binds it until an administrator clears it; one still waiting
 * for its verdict gets the administrator's override back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cma.h"

/* The driver_override of a held function: a name no driver has. */
#define PCI_CMA_GATE_HOLD	"spdm_gate_held"

/*
 * The override API: Debian's 6.12.95 has the stable backport that moved
 * driver_override into struct device (set with device_set_driver_override(),
 * which locks internally); earlier 6.12 releases keep it in struct pci_dev
 * behind driver_set_override() and the device lock. Kbuild tells which.
 */
#ifdef PCI_CMA_HAVE_DEVICE_DRIVER_OVERRIDE
static int pci_cma_gate_set_override(struct pci_dev *pdev, const char *name)
{
	return device_set_driver_override(&pdev->dev, name);
}

static char *pci_cma_gate_get_override(struct pci_dev *pdev)
{
	guard(spinlock)(&pdev->dev.driver_override.lock);
	return kstrdup(pdev->dev.driver_override.name, GFP_ATOMIC);
}
#else
static int pci_cma_gate_set_override(struct pci_dev *pdev, const char *name)
{
	return driver_set_override(&pdev->dev, &pdev->driver_override, name, strlen(name));
}

static char *pci_cma_gate_get_override(struct pci_dev *pdev)
{
	guard(device)(&pdev->dev);
	return kstrdup(pdev->driver_override, GFP_KERNEL);
}
#endif

static bool pci_cma_gate_override_is_ours(struct pci_dev *pdev)
{
	char *cur __free(kfree) = pci_cma_gate_get_override(pdev);

	return cur && !strcmp(cur, PCI_CMA_GATE_HOLD);
}

/**
 * pci_cma_hold_set() - keep drivers away: set the gate's override
 * @cdev: the device
 *
 * The administrator's override is kept to be given back on release.
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_hold_set(struct pci_cma_dev *cdev)
{
	char *cur __free(kfree) = pci_cma_gate_get_override(cdev->pdev);
	int rc;

	if (cur && !strcmp(cur, PCI_CMA_GATE_HOLD))
		return 0;
	rc = pci_cma_gate_set_override(cdev->pdev, PCI_CMA_GATE_HOLD);
	if (rc)
		return rc;
	kfree(cdev->gate.saved_override);
	cdev->gate.saved_override = no_free_ptr(cur);
	return 0;
}

/**
 * pci_cma_hold_clear() - let drivers match again: give the override back
 * @cdev: the device
 *
 * Unless an administrator replaced the gate's override meanwhile.
 */
void pci_cma_hold_clear(struct pci_cma_dev *cdev)
{
	struct pci_cma_gate *gate = &cdev->gate;

	if (pci_cma_gate_override_is_ours(cdev->pdev))
		pci_cma_gate_set_override(cdev->pdev, gate->saved_override ?: "");
	kfree(gate->saved_override);
	gate->saved_override = NULL;
}

/**
 * pci_cma_hold_stop() - the gate stops managing the function
 * @cdev: the device
 * @unload: the module is unloading (else: the function is going away)
 * @denied: its last verdict was a deny
 *
 * On unload a denied function stays held; the others get the
 * administrator's override back.
 */
void pci_cma_hold_stop(struct pci_cma_dev *cdev, bool unload, bool denied)
{
	struct pci_cma_gate *gate = &cdev->gate;

	/* A deny outlives the module: a later load or driver must not undo it. */
	if (unload && denied && pci_cma_gate_override_is_ours(cdev->pdev))
		pci_info(cdev->pdev, "denied, stays held: clear its driver_override to release it\n");
	else if (unload)
		pci_cma_hold_clear(cdev);
	kfree(gate->saved_override);
	gate->saved_override = NULL;
}

/**
 * pci_cma_hold_untracked() - hold a function the module cannot track
 * @pdev: the function
 *
 * It stays held, even after the module is unloaded, until an administrator
 * clears its driver_override.
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_hold_untracked(struct pci_dev *pdev)
{
	int rc = pci_cma_gate_set_override(pdev, PCI_CMA_GATE_HOLD);

	if (!rc)
		pci_err(pdev, "held, untracked: clear its driver_override to bind it\n");
	return rc;
}

/**
 * pci_cma_hold_untracked_remove() - an untracked function goes away
 * @pdev: the function
 *
 * Nothing to do: its override goes with it.
 */
void pci_cma_hold_untracked_remove(struct pci_dev *pdev)
{
}
