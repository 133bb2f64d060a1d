// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication after system resume. A device's firmware or identity
 * can change while the system sleeps (power is removed in S3/S4, a device
 * can be swapped), so once the system is back every tracked function is
 * authenticated again, with the gate's same-device check. A module has no
 * per-device hook and uses the PM notifier, which runs after drivers
 * resumed: the driver may touch a swapped device briefly until the check
 * unbinds it. The in-tree series also re-authenticates from
 * pci_restore_state() at resume_noirq, before the driver resumes
 * (reset.c); the notifier then leaves alone the functions that restore
 * covered, so that one resume is one re-authentication, and still catches
 * the ones whose state was not restored (a function left in D0 over
 * suspend to idle).
 */
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/suspend.h>

#include "cma.h"

/* Sleep cycles (suspend, hibernation, restore) started since load. */
static unsigned int pci_cma_pm_cycle_nr;

/**
 * pci_cma_pm_cycle() - the number of the current or last sleep cycle
 *
 * Return: a number that changes when a suspend, hibernation or restore
 * from hibernation is about to start.
 */
unsigned int pci_cma_pm_cycle(void)
{
	return READ_ONCE(pci_cma_pm_cycle_nr);
}

static void pci_cma_pm_reauthenticate_all(void)
{
	unsigned int cycle = pci_cma_pm_cycle();
	struct pci_cma_dev *cdev;
	u32 key = 0, generation;
	bool restored;
	int rc;

	while ((cdev = pci_cma_dev_get_next(&key))) {
		scoped_guard(mutex, &cdev->lock)
			restored = cdev->resumed_cycle == cycle;
		if (cdev->doe && !restored) {
			rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
			if (!rc)
				pci_info(cdev->pdev,
					 "re-authenticating after system resume (generation %u)\n",
					 generation);
			else if (rc != -ENODEV)
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
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		WRITE_ONCE(pci_cma_pm_cycle_nr, pci_cma_pm_cycle_nr + 1);
		break;
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
