// SPDX-License-Identifier: GPL-2.0
/*
 * Driver-binding gate: no driver touches a PCI function in scope until a
 * verdict (allow or deny) for its current authentication generation has
 * arrived from the policy agent, an administrator or the timeout.
 *
 * Hold: a function in scope is held when spdm_cma starts tracking it,
 * before any driver can match it (the PCI core lets drivers match only in
 * pci_bus_add_device()): from BUS_NOTIFY_ADD_DEVICE in the module, from
 * pci_device_add() in tree. How it is kept away from drivers differs
 * between the two builds, behind pci_cma_hold_*() (gate.h): the module
 * sets driver_override to a name no driver has (gate-override.c); in tree,
 * pci_device_probe() refuses a held function (gate-core.c). Functions
 * present at load are held only with gate_present=hold, and only when
 * unbound; a probe already under way can still win, which the
 * bound-driver notification then reports.
 *
 * Release (allow): stop holding, then device_attach().
 * Deny: the function stays held; a deny for a bound function (allowed
 * earlier, or bound behind the gate's back) re-holds it and unbinds it.
 *
 * Exactly one verdict takes effect per generation: the first of agent,
 * administrator and timeout; the check and the claim happen under the
 * device's lock. Root can still bypass the module's hold (clear the
 * override, write drivers_probe): the module notices the bind
 * (BUS_NOTIFY_BOUND_DRIVER on a held function) and reports it as a bind
 * without verdict.
 *
 * Every verdict and bypass is visible in sysfs (spdm_gate/), as a
 * verdict-ntf netlink notification and in the spdm_verdict tracepoint.
 *
 * Module unload: held functions stay unbound (fail closed); see
 * gate-override.c for what happens to their override.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <net/netlink.h>

#include "cma.h"
#include "trace.h"

enum pci_cma_gate_mode { PCI_CMA_GATE_OFF, PCI_CMA_GATE_CMA, PCI_CMA_GATE_ALL };

static char *gate_mode = "cma";
module_param(gate_mode, charp, 0444);
MODULE_PARM_DESC(gate_mode,
		 "driver-binding gate: off (observe only), cma (hold hot-added functions with a CMA mailbox; default), all (hold every hot-added PCI function)");

static char *gate_present = "keep";
module_param(gate_present, charp, 0444);
MODULE_PARM_DESC(gate_present,
		 "functions present at load: keep (leave them as they are; default) or hold (hold the unbound ones in scope)");

static uint gate_timeout = 60;
module_param(gate_timeout, uint, 0444);
MODULE_PARM_DESC(gate_timeout,
		 "seconds a held function waits for a verdict before gate_timeout_verdict applies (0: wait forever); counts only once its authentication has finished (auth_timeout_ms bounds that); default 60");

static char *gate_timeout_verdict = "deny";
module_param(gate_timeout_verdict, charp, 0444);
MODULE_PARM_DESC(gate_timeout_verdict,
		 "verdict applied when gate_timeout expires: deny (default, fail closed) or allow");

static enum pci_cma_gate_mode pci_cma_gate_mode;
static bool pci_cma_gate_hold_present;
static u32 pci_cma_gate_default;

static const char *const pci_cma_gate_state_names[] = {
	[PCI_CMA_GATE_NONE] = "none",
	[PCI_CMA_GATE_HELD] = "held",
	[PCI_CMA_GATE_ALLOWED] = "allowed",
	[PCI_CMA_GATE_DENIED] = "denied",
	[PCI_CMA_GATE_BYPASSED] = "bypassed",
	[PCI_CMA_GATE_CHANGED] = "changed",
};

static const char *const pci_cma_verdict_names[] = {
	[SPDM_VERDICT_NONE] = "none",
	[SPDM_VERDICT_ALLOW] = "allow",
	[SPDM_VERDICT_DENY] = "deny",
};

static const char *const pci_cma_source_names[] = {
	[SPDM_VERDICT_SOURCE_NONE] = "none",
	[SPDM_VERDICT_SOURCE_AGENT] = "agent",
	[SPDM_VERDICT_SOURCE_TIMEOUT] = "timeout",
	[SPDM_VERDICT_SOURCE_ADMIN] = "admin",
	[SPDM_VERDICT_SOURCE_BYPASS] = "bypass",
};

/**
 * pci_cma_gate_state_name() - the name sysfs shows for a gate state
 * @state: the state
 *
 * Return: e.g. "held"; "unknown" for a value out of range.
 */
const char *pci_cma_gate_state_name(enum pci_cma_gate_state state)
{
	return (unsigned int)state < ARRAY_SIZE(pci_cma_gate_state_names) ?
	       pci_cma_gate_state_names[state] : "unknown";
}

/**
 * pci_cma_gate_verdict_name() - the name of a verdict (enum spdm_verdict)
 * @verdict: the verdict
 *
 * Return: e.g. "allow"; "unknown" for a value out of range.
 */
const char *pci_cma_gate_verdict_name(u32 verdict)
{
	return verdict < ARRAY_SIZE(pci_cma_verdict_names) ?
	       pci_cma_verdict_names[verdict] : "unknown";
}

/**
 * pci_cma_gate_source_name() - the name of a verdict source
 * @source: enum spdm_verdict_source
 *
 * Return: e.g. "agent"; "unknown" for a value out of range.
 */
const char *pci_cma_gate_source_name(u32 source)
{
	return source < ARRAY_SIZE(pci_cma_source_names) ?
	       pci_cma_source_names[source] : "unknown";
}

/* Report a verdict or a bypass: tracepoint, netlink, kernel log. */
static void pci_cma_gate_report(struct pci_cma_dev *cdev, u32 generation, u32 verdict,
				u32 source, const char *reason)
{
	trace_spdm_verdict(cdev->name, cdev->key, generation, verdict, source, reason);
	pci_cma_netlink_notify_verdict(cdev, generation, verdict, source, reason);
	if (source == SPDM_VERDICT_SOURCE_BYPASS)
		pci_warn(cdev->pdev, "driver %s bound to a held device without a verdict\n",
			 cdev->pdev->dev.driver ? cdev->pdev->dev.driver->name : "?");
	else
		pci_info(cdev->pdev, "%s for generation %u (%s%s%s)\n",
			 pci_cma_verdict_names[verdict], generation, pci_cma_source_names[source],
			 *reason ? ": " : "", reason);
}

/*
 * The current generation has finished authenticating (or the function has
 * nothing to authenticate): only now is there something to decide on.
 */
static bool pci_cma_gate_auth_finished(struct pci_cma_dev *cdev)
{
	lockdep_assert_held(&cdev->lock);
	return !cdev->queued && cdev->state != SPDM_AUTH_STATE_PENDING &&
	       cdev->state != SPDM_AUTH_STATE_AUTHENTICATING;
}

/*
 * Start the timeout of a held function whose current generation waits for
 * its verdict. While a generation authenticates the timer does not count:
 * auth_timeout_ms bounds that, and pci_cma_gate_auth_done() arms it after.
 */
static void pci_cma_gate_arm(struct pci_cma_dev *cdev)
{
	lockdep_assert_held(&cdev->lock);
	if (gate_timeout && !cdev->gate.gone && pci_cma_gate_auth_finished(cdev))
		mod_delayed_work(system_wq, &cdev->gate.timeout, (unsigned long)gate_timeout * HZ);
}

/*
 * Same-device check: remember what an allow accepted. An allow for a
 * generation without an authenticated identity (failed, or not finished)
 * accepts no identity, so nothing is compared until the next allow.
 */
static void pci_cma_gate_remember_identity(struct pci_cma_dev *cdev, u32 generation)
{
	const struct pci_cma_evidence *ev = cdev->evidence;
	struct pci_cma_gate *gate = &cdev->gate;

	lockdep_assert_held(&cdev->lock);
	gate->has_allowed_id = ev && ev->generation == generation && !cdev->error &&
			       ev->has_identity;
	if (gate->has_allowed_id)
		memcpy(gate->allowed_id, ev->identity, sizeof(gate->allowed_id));
}

/*
 * Make a verdict that took effect true for the device, unless a verdict for
 * a newer generation was claimed meanwhile: that one applies instead.
 */
static void pci_cma_gate_apply(struct pci_cma_dev *cdev, u32 generation, u32 verdict)
{
	struct pci_cma_gate *gate = &cdev->gate;
	struct device *dev = &cdev->pdev->dev;
	int rc;

	guard(mutex)(&gate->apply);
	scoped_guard(mutex, &cdev->lock) {
		if (gate->gone || gate->decided_gen != generation)
			return;
		gate->state = verdict == SPDM_VERDICT_ALLOW ? PCI_CMA_GATE_ALLOWED :
							      PCI_CMA_GATE_DENIED;
		gate->allow_ns = verdict == SPDM_VERDICT_ALLOW ? ktime_get_ns() : 0;
		if (verdict == SPDM_VERDICT_ALLOW)
			pci_cma_gate_remember_identity(cdev, generation);
	}
	if (verdict == SPDM_VERDICT_ALLOW) {
		pci_cma_hold_clear(cdev);
		rc = device_attach(dev);
		if (rc < 0)
			pci_warn(cdev->pdev, "allowed, but attaching a driver failed: %d\n",
				 rc);
		return;
	}
	rc = pci_cma_hold_set(cdev);
	if (rc)
		pci_err(cdev->pdev, "cannot hold the device: %d\n", rc);
	if (READ_ONCE(dev->driver))
		device_release_driver(dev);
}

/* Claim the one verdict of @generation: 0, or why it cannot be had. */
static int pci_cma_gate_claim(struct pci_cma_dev *cdev, u32 generation, u32 verdict, u32 source,
			      const char *reason, struct netlink_ext_ack *extack)
{
	struct pci_cma_gate *gate = &cdev->gate;

	guard(mutex)(&cdev->lock);
	if (gate->state == PCI_CMA_GATE_NONE || gate->gone) {
		NL_SET_ERR_MSG(extack, "device is not held by the driver-binding gate");
		return -EINVAL;
	}
	if (generation != cdev->generation) {
		NL_SET_ERR_MSG_FMT(extack, "stale generation %u: the device is at generation %u",
				   generation, cdev->generation);
		return -ESTALE;
	}
	if (gate->decided && gate->decided_gen == generation) {
		NL_SET_ERR_MSG_FMT(extack, "generation %u already has a verdict (%s, %s)",
				   generation, pci_cma_verdict_names[gate->verdict],
				   pci_cma_source_names[gate->source]);
		return -EALREADY;
	}
	/* The timeout decides only what has been authenticated (or failed). */
	if (source == SPDM_VERDICT_SOURCE_TIMEOUT && !pci_cma_gate_auth_finished(cdev))
		return -EINPROGRESS;
	gate->decided = true;
	gate->decided_gen = generation;
	gate->verdict_gen = generation;
	gate->verdict = verdict;
	gate->source = source;
	strscpy(gate->reason, reason);
	return 0;
}

/**
 * pci_cma_gate_verdict() - let a verdict take effect
 * @cdev: the device
 * @generation: the authentication generation the verdict is for
 * @verdict: SPDM_VERDICT_ALLOW or SPDM_VERDICT_DENY
 * @source: SPDM_VERDICT_SOURCE_AGENT, _ADMIN or _TIMEOUT
 * @text: free text, "" if none; control bytes are recorded as '?'
 * @extack: where to say why a verdict is refused, may be NULL
 *
 * Return: 0; -EINVAL for a @verdict or @source out of those above, or when
 * the gate does not hold the device; -ESTALE when @generation is not the
 * device's current one; -EALREADY when the generation already has its
 * verdict; -EINPROGRESS for a timeout verdict while the generation is still
 * authenticating.
 */
int pci_cma_gate_verdict(struct pci_cma_dev *cdev, u32 generation, u32 verdict, u32 source,
			 const char *text, struct netlink_ext_ack *extack)
{
	char reason[SPDM_REASON_MAX_LEN + 1];
	char *c;
	int rc;

	/*
	 * Whoever calls: the netlink policy refuses these too, but a verdict
	 * none (or out of range) would index the name tables and leave a
	 * held device "decided" with nothing applied.
	 */
	if (verdict != SPDM_VERDICT_ALLOW && verdict != SPDM_VERDICT_DENY) {
		NL_SET_ERR_MSG_FMT(extack, "verdict %u is neither allow nor deny", verdict);
		return -EINVAL;
	}
	if (source != SPDM_VERDICT_SOURCE_AGENT && source != SPDM_VERDICT_SOURCE_ADMIN &&
	    source != SPDM_VERDICT_SOURCE_TIMEOUT) {
		NL_SET_ERR_MSG_FMT(extack, "verdict source %u is not agent, admin or timeout",
				   source);
		return -EINVAL;
	}
	/*
	 * The reason (a policy label) goes to the kernel log and to sysfs
	 * files anyone reads: no control byte may forge or garble a line.
	 */
	strscpy(reason, text);
	for (c = reason; *c; c++)
		if ((u8)*c < 0x20 || *c == 0x7f)
			*c = '?';
	rc = pci_cma_gate_claim(cdev, generation, verdict, source, reason, extack);
	if (rc)
		return rc;
	pci_cma_gate_report(cdev, generation, verdict, source, reason);
	pci_cma_gate_apply(cdev, generation, verdict);
	return 0;
}

static void pci_cma_gate_timeout_work(struct work_struct *work)
{
	struct pci_cma_gate *gate = container_of(to_delayed_work(work), struct pci_cma_gate,
						 timeout);
	struct pci_cma_dev *cdev = container_of(gate, struct pci_cma_dev, gate);
	char reason[48];
	u32 generation;

	scoped_guard(mutex, &cdev->lock) {
		if ((gate->state != PCI_CMA_GATE_HELD && gate->state != PCI_CMA_GATE_BYPASSED &&
		     gate->state != PCI_CMA_GATE_CHANGED) ||
		    !pci_cma_gate_auth_finished(cdev))
			return;
		generation = cdev->generation;
	}
	snprintf(reason, sizeof(reason), "no verdict within %u s", gate_timeout);
	/* Losing the race to an agent or administrator is fine. */
	pci_cma_gate_verdict(cdev, generation, pci_cma_gate_default, SPDM_VERDICT_SOURCE_TIMEOUT,
			     reason, NULL);
}

/*
 * Same-device check of a successful attempt on an allowed function: when it
 * presented another identity than the allow accepted, the gate holds it
 * again (state changed), and the caller unbinds it. Copies both identities.
 */
static bool pci_cma_gate_identity_changed(struct pci_cma_dev *cdev, u32 generation,
					  u8 *identity, u8 *allowed)
{
	const struct pci_cma_evidence *ev = cdev->evidence;
	struct pci_cma_gate *gate = &cdev->gate;

	lockdep_assert_held(&cdev->lock);
	if (gate->state != PCI_CMA_GATE_ALLOWED || !gate->has_allowed_id ||
	    !ev || ev->generation != generation || !ev->has_identity ||
	    !memcmp(ev->identity, gate->allowed_id, SPDM_IDENTITY_LEN))
		return false;
	memcpy(identity, ev->identity, SPDM_IDENTITY_LEN);
	memcpy(allowed, gate->allowed_id, SPDM_IDENTITY_LEN);
	gate->state = PCI_CMA_GATE_CHANGED;
	gate->verdict_gen = generation;
	gate->verdict = SPDM_VERDICT_NONE;
	gate->source = SPDM_VERDICT_SOURCE_NONE;
	gate->reason[0] = '\0';
	return true;
}

/*
 * Report an identity change (tracepoint, netlink, kernel log) and keep the
 * new device away from the old one's driver: hold it, unbind the driver.
 * A verdict for the new generation that took effect meanwhile wins.
 */
static void pci_cma_gate_hold_new_device(struct pci_cma_dev *cdev, u32 generation,
					 const u8 *identity, const u8 *allowed)
{
	struct device *dev = &cdev->pdev->dev;
	int rc;

	trace_spdm_identity_changed(cdev->name, cdev->key, generation, identity, allowed);
	pci_cma_netlink_notify_identity_changed(cdev, generation, identity, allowed);
	pci_warn(cdev->pdev,
		 "identity changed at generation %u: %*phN, allowed was %*phN; unbinding and holding until a verdict\n",
		 generation, SPDM_IDENTITY_LEN, identity, SPDM_IDENTITY_LEN, allowed);

	guard(mutex)(&cdev->gate.apply);
	scoped_guard(mutex, &cdev->lock) {
		if (cdev->gate.gone || cdev->gate.state != PCI_CMA_GATE_CHANGED)
			return;
	}
	rc = pci_cma_hold_set(cdev);
	if (rc)
		pci_err(cdev->pdev, "cannot hold the device: %d\n", rc);
	if (READ_ONCE(dev->driver))
		device_release_driver(dev);
}

/**
 * pci_cma_gate_auth_done() - an authentication attempt finished
 * @cdev: the device
 * @generation: the attempt
 * @result: 0 or its negative errno
 *
 * A function waiting for its verdict gets the full timeout from now on, as
 * the agent only now has something to decide on; not when a newer
 * generation is queued already (its own end arms it). A failed re-authentication
 * of a bound function is reported; the agent decides (a deny unbinds). A
 * successful one that presents another identity than the last allow
 * accepted makes the function a new device: reported, unbound and held.
 */
void pci_cma_gate_auth_done(struct pci_cma_dev *cdev, u32 generation, int result)
{
	struct pci_cma_gate *gate = &cdev->gate;
	u8 identity[SPDM_IDENTITY_LEN], allowed[SPDM_IDENTITY_LEN];
	bool bound_failed = false, changed = false;

	scoped_guard(mutex, &cdev->lock) {
		if (gate->state == PCI_CMA_GATE_NONE || gate->gone)
			return;
		gate->auth_done_ns = ktime_get_ns();
		if (!result)
			changed = pci_cma_gate_identity_changed(cdev, generation, identity,
								allowed);
		if (gate->state == PCI_CMA_GATE_HELD || changed)
			pci_cma_gate_arm(cdev);
		bound_failed = result && (gate->state == PCI_CMA_GATE_ALLOWED ||
					  gate->state == PCI_CMA_GATE_BYPASSED);
	}
	if (bound_failed)
		pci_warn(cdev->pdev,
			 "bound device failed authentication generation %u: %d; awaiting verdict\n",
			 generation, result);
	if (changed)
		pci_cma_gate_hold_new_device(cdev, generation, identity, allowed);
}

/**
 * pci_cma_gate_bound() - BUS_NOTIFY_BOUND_DRIVER: a driver bound to @pdev
 * @pdev: the function
 *
 * Runs under the device lock: must not take the gate's apply mutex.
 */
void pci_cma_gate_bound(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	struct pci_cma_gate *gate;
	u64 now = ktime_get_ns(), allow_ns = 0, auth_ns = 0;
	u32 generation;
	bool bypass;

	if (!cdev)
		return;
	gate = &cdev->gate;
	scoped_guard(mutex, &cdev->lock) {
		generation = cdev->generation;
		bypass = !gate->gone && (gate->state == PCI_CMA_GATE_HELD ||
					 gate->state == PCI_CMA_GATE_DENIED ||
					 gate->state == PCI_CMA_GATE_CHANGED);
		if (bypass) {
			/* Recorded for sysfs; the generation's verdict is still open. */
			gate->state = PCI_CMA_GATE_BYPASSED;
			gate->verdict_gen = generation;
			gate->verdict = SPDM_VERDICT_NONE;
			gate->source = SPDM_VERDICT_SOURCE_BYPASS;
			gate->reason[0] = '\0';
		} else if (gate->state == PCI_CMA_GATE_ALLOWED && gate->allow_ns) {
			allow_ns = gate->allow_ns;
			auth_ns = gate->auth_done_ns;
			gate->allow_ns = 0;
		}
	}
	if (bypass)
		pci_cma_gate_report(cdev, generation, SPDM_VERDICT_NONE,
				    SPDM_VERDICT_SOURCE_BYPASS, "");
	else if (allow_ns && auth_ns && auth_ns < allow_ns)
		pci_info(pdev, "driver %s bound %llu us after the allow, %llu us after authentication finished\n",
			 pdev->dev.driver->name, div_u64(now - allow_ns, NSEC_PER_USEC),
			 div_u64(now - auth_ns, NSEC_PER_USEC));
}

static bool pci_cma_gate_in_scope(struct pci_cma_dev *cdev)
{
	switch (pci_cma_gate_mode) {
	case PCI_CMA_GATE_CMA:
		return cdev->doe;
	case PCI_CMA_GATE_ALL:
		return true;
	default:
		return false;
	}
}

/**
 * pci_cma_gate_add() - hold a new function if it is in scope
 * @pdev: the function, already added with pci_cma_dev_add()
 * @present: it was present at load (else: enumerated or BUS_NOTIFY_ADD_DEVICE)
 *
 * Called at most twice for one function (scan or enumeration, then its
 * notification); only the first call that holds it does.
 */
void pci_cma_gate_add(struct pci_dev *pdev, bool present)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	struct pci_cma_gate *gate;
	bool bound = false;
	int rc;

	if (!cdev)
		return;
	gate = &cdev->gate;
	if (!pci_cma_gate_in_scope(cdev) || (present && !pci_cma_gate_hold_present) ||
	    READ_ONCE(pdev->dev.driver))
		return;
	/* The scan and the notification may both get here: the first holds. */
	scoped_guard(mutex, &cdev->lock) {
		if (gate->claimed)
			return;
		gate->claimed = true;
	}
	mutex_init(&gate->apply);
	INIT_DELAYED_WORK(&gate->timeout, pci_cma_gate_timeout_work);

	rc = pci_cma_hold_set(cdev);
	if (rc) {
		pci_err(pdev, "cannot hold the device: %d\n", rc);
		return;
	}
	/*
	 * Present at load: a probe already under way may have won (it holds
	 * the device lock). Hot-added: no driver can match before we return.
	 */
	if (present) {
		scoped_guard(device, &pdev->dev)
			bound = pdev->dev.driver;
	}
	if (bound) {
		pci_cma_hold_clear(cdev);
		return;
	}
	scoped_guard(mutex, &cdev->lock) {
		gate->state = PCI_CMA_GATE_HELD;
		pci_cma_gate_arm(cdev);
	}
	pci_info(pdev, "held until a verdict arrives\n");
}

/**
 * pci_cma_gate_publish() - create spdm_gate/ for a function the gate holds
 * @cdev: the device, in sysfs
 *
 * Called whenever the function may have become held (pci_cma_dev_publish());
 * only the first call for a held function creates the group.
 */
void pci_cma_gate_publish(struct pci_cma_dev *cdev)
{
	struct pci_cma_gate *gate = &cdev->gate;
	int rc;

	scoped_guard(mutex, &cdev->lock) {
		if (gate->state == PCI_CMA_GATE_NONE || gate->gone || gate->sysfs)
			return;
		gate->sysfs = true;
	}
	rc = pci_cma_sysfs_gate_add(cdev);
	if (!rc)
		return;
	pci_warn(cdev->pdev, "no spdm_gate sysfs attributes: %d\n", rc);
	scoped_guard(mutex, &cdev->lock)
		gate->sysfs = false;
}

/* Stop the gate on one function; on unload, let go of the hold per form. */
static void pci_cma_gate_stop(struct pci_cma_dev *cdev, bool unload)
{
	struct pci_cma_gate *gate = &cdev->gate;
	enum pci_cma_gate_state state;

	scoped_guard(mutex, &cdev->lock) {
		state = gate->state;
		gate->gone = true;
	}
	if (state == PCI_CMA_GATE_NONE)
		return;
	if (gate->sysfs)
		pci_cma_sysfs_gate_remove(cdev);
	gate->sysfs = false;
	cancel_delayed_work_sync(&gate->timeout);
	scoped_guard(mutex, &gate->apply)
		pci_cma_hold_stop(cdev, unload, state == PCI_CMA_GATE_DENIED);
	scoped_guard(mutex, &cdev->lock)
		gate->state = PCI_CMA_GATE_NONE;
}

/**
 * pci_cma_gate_hold_untracked() - hold a function that cannot be authenticated
 * @pdev: the function, which pci_cma_dev_add() refused
 * @present: it was present at load (else: enumerated or BUS_NOTIFY_ADD_DEVICE)
 *
 * Fails closed: a function in scope that spdm_cma cannot track gets no
 * authentication and no verdict, so it stays unbound (pci_cma_hold_untracked()
 * says until when).
 */
void pci_cma_gate_hold_untracked(struct pci_dev *pdev, bool present)
{
	int rc;

	if (pci_cma_gate_mode == PCI_CMA_GATE_OFF ||
	    (pci_cma_gate_mode == PCI_CMA_GATE_CMA && !pci_cma_doe_find(pdev)) ||
	    (present && !pci_cma_gate_hold_present) || READ_ONCE(pdev->dev.driver))
		return;
	rc = pci_cma_hold_untracked(pdev);
	if (rc)
		pci_err(pdev, "cannot hold the device: %d\n", rc);
}

/**
 * pci_cma_gate_remove() - BUS_NOTIFY_DEL_DEVICE: forget the function's gate state
 * @pdev: the function
 */
void pci_cma_gate_remove(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);

	if (cdev)
		pci_cma_gate_stop(cdev, false);
	else
		pci_cma_hold_untracked_remove(pdev);
}

/**
 * pci_cma_gate_get_snapshot() - the function's gate state, consistently
 * @cdev: the device
 * @snap: filled in; only @snap->state is set for a function out of scope
 *
 * One look under the device's lock, for sysfs and netlink to present.
 */
void pci_cma_gate_get_snapshot(struct pci_cma_dev *cdev, struct pci_cma_gate_snapshot *snap)
{
	const struct pci_cma_gate *gate = &cdev->gate;

	memset(snap, 0, sizeof(*snap));
	guard(mutex)(&cdev->lock);
	snap->state = gate->state;
	if (gate->state == PCI_CMA_GATE_NONE)
		return;
	snap->generation = cdev->generation;
	snap->verdict_gen = gate->verdict_gen;
	snap->verdict = gate->verdict;
	snap->source = gate->source;
	strscpy(snap->reason, gate->reason);
}

/**
 * pci_cma_gate_init() - check the gate's module parameters
 *
 * Return: 0 or -EINVAL.
 */
int pci_cma_gate_init(void)
{
	if (sysfs_streq(gate_mode, "off"))
		pci_cma_gate_mode = PCI_CMA_GATE_OFF;
	else if (sysfs_streq(gate_mode, "cma"))
		pci_cma_gate_mode = PCI_CMA_GATE_CMA;
	else if (sysfs_streq(gate_mode, "all"))
		pci_cma_gate_mode = PCI_CMA_GATE_ALL;
	else
		goto bad;
	if (sysfs_streq(gate_present, "keep"))
		pci_cma_gate_hold_present = false;
	else if (sysfs_streq(gate_present, "hold"))
		pci_cma_gate_hold_present = true;
	else
		goto bad;
	if (sysfs_streq(gate_timeout_verdict, "deny"))
		pci_cma_gate_default = SPDM_VERDICT_DENY;
	else if (sysfs_streq(gate_timeout_verdict, "allow"))
		pci_cma_gate_default = SPDM_VERDICT_ALLOW;
	else
		goto bad;
	if (pci_cma_gate_mode != PCI_CMA_GATE_OFF && !gate_timeout &&
	    pci_cma_gate_default == SPDM_VERDICT_ALLOW)
		pr_warn("gate_timeout_verdict=allow never applies with gate_timeout=0\n");
	if (pci_cma_gate_mode == PCI_CMA_GATE_OFF && pci_cma_gate_hold_present)
		pr_warn("gate_present=hold does nothing with gate_mode=off\n");
	if (pci_cma_gate_mode != PCI_CMA_GATE_OFF && gate_timeout)
		pr_info("a held function waits up to auth_timeout_ms (%u ms) for its authentication, then %u s for its verdict, then %s\n",
			pci_cma_auth_timeout_ms(), gate_timeout, gate_timeout_verdict);
	return 0;
bad:
	pr_err("bad gate parameter (gate_mode=%s gate_present=%s gate_timeout_verdict=%s)\n",
	       gate_mode, gate_present, gate_timeout_verdict);
	return -EINVAL;
}

/**
 * pci_cma_gate_exit() - module unload: held functions stay unbound; the
 * hold lets go of the undecided ones (pci_cma_hold_stop())
 */
void pci_cma_gate_exit(void)
{
	struct pci_cma_dev *cdev;
	u32 key = 0;

	while ((cdev = pci_cma_dev_get_next(&key))) {
		pci_cma_gate_stop(cdev, true);
		pci_cma_dev_put(cdev);
		if (key == U32_MAX)
			break;
		key++;
	}
}
