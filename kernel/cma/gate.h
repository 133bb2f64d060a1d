/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver-binding gate: keep drivers away from a PCI function until a
 * verdict for its current authentication generation arrives.
 */
#ifndef _SPDM_CMA_GATE_H_
#define _SPDM_CMA_GATE_H_

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "uapi/linux/spdm.h"

struct pci_cma_dev;
struct netlink_ext_ack;
struct pci_dev;

/* Where the gate stands with one function. */
enum pci_cma_gate_state {
	PCI_CMA_GATE_NONE,		/* not in the gate's scope */
	PCI_CMA_GATE_HELD,		/* kept away from drivers, waiting for a verdict */
	PCI_CMA_GATE_ALLOWED,	/* released by an allow verdict */
	PCI_CMA_GATE_DENIED,	/* held by a deny verdict */
	PCI_CMA_GATE_BYPASSED,	/* a driver bound while held, without a verdict */
	PCI_CMA_GATE_CHANGED,	/* held again: re-authenticated with another identity */
};

/**
 * struct pci_cma_gate - gate state of one function, embedded in struct pci_cma_dev
 * @apply: serializes changes of the override and of the driver binding;
 *	never held by the bus notifier, which runs under the device lock
 * @timeout: applies the timeout verdict when nobody answered in time
 * @saved_override: module (gate-override.c): the administrator's
 *	driver_override from before the hold, restored on release; NULL when
 *	there was none
 * @held: in tree (gate-core.c): the PCI core refuses drivers; written under
 *	@apply, read without a lock by pci_cma_may_bind()
 * @auth_done_ns: when the last authentication finished
 * @allow_ns: when the last allow released the device, 0 once a driver bound
 *	(both for the log line that says how long binding took)
 * @state: enum pci_cma_gate_state; this and the fields below are protected by
 *	the device's lock (pci_cma_dev.lock)
 * @gone: the function is going away or the module unloading: no more
 *	verdicts, no timer
 * @claimed: pci_cma_gate_add() took the function in hand (once per function)
 * @sysfs: the spdm_gate/ group was created (claimed under the device's lock)
 * @decided: a verdict took effect for generation @decided_gen
 * @decided_gen: generation of the last verdict that took effect
 * @verdict_gen: generation of the last verdict or bypass
 * @verdict: last verdict (enum spdm_verdict), none for a bypass
 * @source: who gave it (enum spdm_verdict_source)
 * @reason: reason given with it, "" if none
 * @has_allowed_id: the last allow accepted an authenticated identity
 * @allowed_id: that identity (struct pci_cma_evidence.identity)
 */
struct pci_cma_gate {
	struct mutex apply;	/* see @apply above */
	struct delayed_work timeout;
	char *saved_override;
	bool held;
	u64 auth_done_ns;
	u64 allow_ns;
	enum pci_cma_gate_state state;
	bool gone;
	bool claimed;
	bool sysfs;
	bool decided;
	u32 decided_gen;
	u32 verdict_gen;
	u32 verdict;
	u32 source;
	char reason[SPDM_REASON_MAX_LEN + 1];
	bool has_allowed_id;
	u8 allowed_id[SPDM_IDENTITY_LEN];
};

/**
 * struct pci_cma_gate_snapshot - a function's gate state at one instant,
 *	taken under the device's lock, for sysfs and netlink to present
 * @state: enum pci_cma_gate_state; PCI_CMA_GATE_NONE when the function is
 *	not in the gate's scope (then nothing else is set)
 * @generation: the device's current authentication generation
 * @verdict_gen: generation of the last verdict or bypass
 * @verdict: last verdict (enum spdm_verdict), none for a bypass
 * @source: who gave it (enum spdm_verdict_source)
 * @reason: reason given with it, "" if none
 */
struct pci_cma_gate_snapshot {
	enum pci_cma_gate_state state;
	u32 generation;
	u32 verdict_gen;
	u32 verdict;
	u32 source;
	char reason[SPDM_REASON_MAX_LEN + 1];
};

/*
 * The last verdict (or bypass) is the current generation's. While the
 * current generation waits for one, it has none, even if an earlier
 * generation had: that is what a resynchronizing agent must answer.
 */
static inline bool
pci_cma_gate_snapshot_is_current(const struct pci_cma_gate_snapshot *snap)
{
	return snap->source != SPDM_VERDICT_SOURCE_NONE &&
	       snap->verdict_gen == snap->generation;
}

/*
 * How a held function is kept away from drivers: one file per build.
 * gate-override.c (the module): a driver_override no driver has, the
 * administrator's own kept aside. gate-core.c (in tree): pci_device_probe()
 * asks pci_cma_may_bind(), driver_override stays the administrator's.
 * The gate calls them with gate->apply held, never under the device lock.
 */
int pci_cma_hold_set(struct pci_cma_dev *cdev);
void pci_cma_hold_clear(struct pci_cma_dev *cdev);
void pci_cma_hold_stop(struct pci_cma_dev *cdev, bool unload, bool denied);
int pci_cma_hold_untracked(struct pci_dev *pdev);
void pci_cma_hold_untracked_remove(struct pci_dev *pdev);

void pci_cma_gate_get_snapshot(struct pci_cma_dev *cdev, struct pci_cma_gate_snapshot *snap);
const char *pci_cma_gate_state_name(enum pci_cma_gate_state state);
const char *pci_cma_gate_verdict_name(u32 verdict);
const char *pci_cma_gate_source_name(u32 source);

int pci_cma_gate_init(void);
void pci_cma_gate_exit(void);
void pci_cma_gate_add(struct pci_dev *pdev, bool present);
void pci_cma_gate_publish(struct pci_cma_dev *cdev);
void pci_cma_gate_hold_untracked(struct pci_dev *pdev, bool present);
void pci_cma_gate_remove(struct pci_dev *pdev);
void pci_cma_gate_bound(struct pci_dev *pdev);
void pci_cma_gate_auth_done(struct pci_cma_dev *cdev, u32 generation, int result);
int pci_cma_gate_verdict(struct pci_cma_dev *cdev, u32 generation, u32 verdict, u32 source,
			 const char *reason, struct netlink_ext_ack *extack);

#endif /* _SPDM_CMA_GATE_H_ */
