// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of PCI functions and their authentication lifecycle.
 *
 * Every PCI function gets a struct pci_cma_dev, keyed by its device key; the
 * ones without a CMA mailbox stay in state "unsupported". Authentication
 * runs on an unbound workqueue, one work item per device, so devices
 * authenticate in parallel and nobody waits for a slow one. Removal marks
 * the device removed (no new DOE exchange starts), then waits for its work:
 * DOE exchanges are bounded by the DOE timeout and the library's retry
 * limits, a whole authentication by auth_timeout_ms, and the PCI core
 * destroys the mailbox only after BUS_NOTIFY_DEL_DEVICE returns.
 */
#define dev_fmt(fmt) "SPDM: " fmt

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "cma.h"

static unsigned short min_version = 0x10;
module_param(min_version, ushort, 0444);
MODULE_PARM_DESC(min_version, "lowest SPDM version accepted, 0x10 (1.0) to 0x13 (1.3)");

static unsigned int auth_timeout_ms = SPDM_AUTH_TIMEOUT_DEFAULT_MS;
module_param(auth_timeout_ms, uint, 0444);
MODULE_PARM_DESC(auth_timeout_ms,
		 "deadline of one authentication in ms: no DOE exchange starts after it (default 30000; 0 is the default too)");

/**
 * pci_cma_auth_timeout_ms() - the deadline of one authentication attempt
 *
 * Return: auth_timeout_ms, or its default when the parameter is 0.
 */
unsigned int pci_cma_auth_timeout_ms(void)
{
	return auth_timeout_ms ?: SPDM_AUTH_TIMEOUT_DEFAULT_MS;
}

static DEFINE_XARRAY(pci_cma_devices);
static struct workqueue_struct *pci_cma_wq;
/* Bumped on every change a netlink dump reports; see NLM_F_DUMP_INTR. */
static atomic_t pci_cma_seq = ATOMIC_INIT(1);

/**
 * pci_cma_change_seq() - sequence number of the registry's visible state
 *
 * Return: a number that changes whenever a device appears, goes away or
 * changes state, for genl_dump_check_consistent().
 */
unsigned int pci_cma_change_seq(void)
{
	return atomic_read(&pci_cma_seq);
}

static void pci_cma_changed(void)
{
	atomic_inc(&pci_cma_seq);
}

/*
 * A key has 16 bits for the PCI domain. ACPI segments below 0x8000 keep
 * their number. VMD numbers the domains it creates from 0x10000 upwards
 * (drivers/pci/controller/vmd.c); they take 0x8000 + (domain - 0x10000), up
 * to 0xfffe, so that no key is PCI_CMA_KEY_NONE. Any other domain has no key.
 */
#define PCI_CMA_KEY_VMD_FIRST	0x10000
#define PCI_CMA_KEY_VMD_BIT		0x8000
#define PCI_CMA_KEY_VMD_LAST	(PCI_CMA_KEY_VMD_FIRST + 0x7ffe)

/**
 * pci_cma_dev_key() - the device key of a PCI function
 * @pdev: the function
 *
 * Return: domain << 16 | bus << 8 | devfn, with VMD domains folded as
 * above; PCI_CMA_KEY_NONE for a domain that has no key.
 */
u32 pci_cma_dev_key(struct pci_dev *pdev)
{
	u32 domain = pci_domain_nr(pdev->bus);

	if (domain >= PCI_CMA_KEY_VMD_FIRST && domain <= PCI_CMA_KEY_VMD_LAST)
		domain = PCI_CMA_KEY_VMD_BIT | (domain - PCI_CMA_KEY_VMD_FIRST);
	else if (domain >= PCI_CMA_KEY_VMD_BIT)
		return PCI_CMA_KEY_NONE;
	return domain << 16 | pci_dev_id(pdev);
}

static void pci_cma_dev_release(struct kref *ref)
{
	struct pci_cma_dev *cdev = container_of(ref, struct pci_cma_dev, ref);

	pci_cma_evidence_put(cdev->evidence);
	pci_dev_put(cdev->pdev);
	mutex_destroy(&cdev->lock);
	kfree(cdev);
}

/**
 * pci_cma_dev_put() - drop a reference taken by a pci_cma_dev_get*() function
 * @cdev: the device, may be NULL
 */
void pci_cma_dev_put(struct pci_cma_dev *cdev)
{
	if (cdev)
		kref_put(&cdev->ref, pci_cma_dev_release);
}

/**
 * pci_cma_dev_get() - look a device up by key
 * @key: device key
 *
 * Return: the device with a reference held, or NULL.
 */
struct pci_cma_dev *pci_cma_dev_get(u32 key)
{
	struct pci_cma_dev *cdev;

	xa_lock(&pci_cma_devices);
	cdev = xa_load(&pci_cma_devices, key);
	if (cdev)
		kref_get(&cdev->ref);
	xa_unlock(&pci_cma_devices);
	return cdev;
}

/**
 * pci_cma_dev_of() - the device tracking a PCI function
 * @pdev: the function
 *
 * Return: the device with a reference held, or NULL when @pdev is not
 * tracked (another function may hold its key, see pci_cma_dev_add()).
 */
struct pci_cma_dev *pci_cma_dev_of(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev = pci_cma_dev_get(pci_cma_dev_key(pdev));

	if (cdev && cdev->pdev != pdev) {
		pci_cma_dev_put(cdev);
		return NULL;
	}
	return cdev;
}

/**
 * pci_cma_dev_get_next() - the device with the lowest key >= *@key
 * @key: where to start; updated to the key found
 *
 * Return: the device with a reference held, or NULL when there is none.
 */
struct pci_cma_dev *pci_cma_dev_get_next(u32 *key)
{
	unsigned long index = *key;
	struct pci_cma_dev *cdev;

	xa_lock(&pci_cma_devices);
	cdev = xa_find(&pci_cma_devices, &index, U32_MAX, XA_PRESENT);
	if (cdev) {
		kref_get(&cdev->ref);
		*key = index;
	}
	xa_unlock(&pci_cma_devices);
	return cdev;
}

/**
 * pci_cma_dev_get_by_name() - look a device up by PCI address
 * @name: e.g. "0000:01:00.0"
 *
 * Return: the device with a reference held, or NULL.
 */
struct pci_cma_dev *pci_cma_dev_get_by_name(const char *name)
{
	struct pci_cma_dev *cdev;
	unsigned long index;

	xa_lock(&pci_cma_devices);
	xa_for_each(&pci_cma_devices, index, cdev) {
		if (!strcmp(cdev->name, name)) {
			kref_get(&cdev->ref);
			xa_unlock(&pci_cma_devices);
			return cdev;
		}
	}
	xa_unlock(&pci_cma_devices);
	return NULL;
}

/**
 * pci_cma_dev_evidence() - the evidence of the device's last finished attempt
 * @cdev: the device
 *
 * Return: the evidence with a reference held (release with
 * pci_cma_evidence_put()), or NULL.
 */
struct pci_cma_evidence *pci_cma_dev_evidence(struct pci_cma_dev *cdev)
{
	guard(mutex)(&cdev->lock);
	if (cdev->evidence)
		kref_get(&cdev->evidence->ref);
	return cdev->evidence;
}

/**
 * pci_cma_dev_request_auth() - queue an authentication attempt
 * @cdev: the device
 * @nonce: SPDM_NONCE_LEN bytes for the CHALLENGE, or NULL for a random one
 * @generation: set to the generation of the queued attempt
 *
 * A request while an attempt is queued but not started joins it.
 *
 * Return: 0, -ENODEV when the device is going away, -EOPNOTSUPP when it has
 * no CMA mailbox, -EBUSY when the queued attempt has a different nonce.
 */
int pci_cma_dev_request_auth(struct pci_cma_dev *cdev, const u8 *nonce, u32 *generation)
{
	scoped_guard(mutex, &cdev->lock) {
		if (cdev->removed)
			return -ENODEV;
		if (!cdev->spdm)
			return -EOPNOTSUPP;
		if (cdev->queued) {
			if (nonce && cdev->has_nonce &&
			    memcmp(cdev->nonce, nonce, SPDM_NONCE_LEN))
				return -EBUSY;
		} else {
			cdev->queued = true;
			cdev->has_nonce = false;
			cdev->generation++;
			cdev->state = SPDM_AUTH_STATE_PENDING;
			queue_work(pci_cma_wq, &cdev->auth_work);
		}
		if (nonce && !cdev->has_nonce) {
			memcpy(cdev->nonce, nonce, SPDM_NONCE_LEN);
			cdev->has_nonce = true;
		}
		*generation = cdev->generation;
	}
	pci_cma_changed();
	return 0;
}

/* Runs one attempt; the workqueue never runs one work item twice at once. */
static noinline void pci_cma_dev_authenticate(struct pci_cma_dev *cdev)
{
	struct pci_cma_evidence *old __free(pci_cma_evidence_put) = NULL;
	struct pci_cma_evidence *evidence = NULL;
	u8 nonce[SPDM_NONCE_LEN];
	const struct spdm_evidence *ev;
	enum spdm_auth_state state;
	bool has_nonce;
	u64 start, duration;
	u32 generation;
	int rc;

	scoped_guard(mutex, &cdev->lock) {
		if (cdev->removed)
			return;
		cdev->queued = false;
		cdev->state = SPDM_AUTH_STATE_AUTHENTICATING;
		generation = cdev->generation;
		has_nonce = cdev->has_nonce;
		memcpy(nonce, cdev->nonce, sizeof(nonce));
	}
	pci_cma_changed();

	start = ktime_get_ns();
	rc = spdm_authenticate(cdev->spdm, has_nonce ? nonce : NULL);
	duration = ktime_get_ns() - start;
	ev = spdm_get_evidence(cdev->spdm);
	if (ev)
		evidence = pci_cma_evidence_copy(ev, generation);
	/* The copy is all that is kept: the transcripts are freed until next time. */
	spdm_release_evidence(cdev->spdm);
	pci_cma_trace_auth(cdev, generation, evidence, rc, duration);

	scoped_guard(mutex, &cdev->lock) {
		old = cdev->evidence;
		cdev->evidence = evidence;
		cdev->error = rc;
		cdev->duration_us = min_t(u64, div_u64(duration, NSEC_PER_USEC), U32_MAX);
		/* A request that arrived meanwhile is queued: keep saying so. */
		if (!cdev->queued)
			cdev->state = rc ? SPDM_AUTH_STATE_FAILED : SPDM_AUTH_STATE_AUTHENTICATED;
		state = rc ? SPDM_AUTH_STATE_FAILED : SPDM_AUTH_STATE_AUTHENTICATED;
	}
	pci_cma_changed();
	if (rc)
		pci_info(cdev->pdev, "authentication %u failed: %d\n", generation, rc);
	else
		pci_info(cdev->pdev, "authenticated (generation %u)\n", generation);
	/* The gate first: an agent may answer the notification at once. */
	pci_cma_gate_auth_done(cdev, generation, rc);
	pci_cma_netlink_notify_auth_done(cdev, generation, state, rc);
}

static void pci_cma_auth_work(struct work_struct *work)
{
	pci_cma_dev_authenticate(container_of(work, struct pci_cma_dev, auth_work));
}

static struct pci_cma_dev *pci_cma_dev_alloc(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev;

	cdev = kzalloc(sizeof(*cdev), GFP_KERNEL);
	if (!cdev)
		return NULL;
	kref_init(&cdev->ref);
	mutex_init(&cdev->lock);
	INIT_WORK(&cdev->auth_work, pci_cma_auth_work);
	cdev->pdev = pci_dev_get(pdev);
	cdev->key = pci_cma_dev_key(pdev);
	strscpy(cdev->name, pci_name(pdev));
	cdev->state = SPDM_AUTH_STATE_UNSUPPORTED;
	cdev->doe = pci_cma_doe_find(pdev);
	return cdev;
}

static int pci_cma_dev_create_spdm(struct pci_cma_dev *cdev)
{
	const struct spdm_config config = {
		.name = cdev->name,
		.transport = pci_cma_doe_transport,
		.transport_priv = cdev,
		.max_msg_size = PCI_CMA_SPDM_MSG_SIZE,
		.min_version = min_version,
		.exchange_hook = pci_cma_trace_exchange,
		.auth_timeout_ms = auth_timeout_ms,
	};
	struct spdm_state *spdm;

	spdm = spdm_create(&config);
	if (IS_ERR_OR_NULL(spdm))
		return spdm ? PTR_ERR(spdm) : -ENOMEM;
	cdev->spdm = spdm;
	cdev->state = SPDM_AUTH_STATE_PENDING;
	return 0;
}

/**
 * pci_cma_dev_add() - start tracking a PCI function and authenticate it
 * @pdev: the function
 *
 * Called for functions present at load, from BUS_NOTIFY_ADD_DEVICE and,
 * in tree, from pci_device_add() before the function is in sysfs:
 * pci_cma_dev_publish() creates its sysfs group once it is. Adding a
 * function twice is harmless.
 *
 * Return: 0, -EEXIST when already tracked, -EADDRINUSE when the function
 * has no key of its own (its domain has none, or another function holds
 * it), or a negative errno.
 */
int pci_cma_dev_add(struct pci_dev *pdev)
{
	struct pci_cma_dev *other __free(pci_cma_dev_put) = NULL;
	struct pci_cma_dev *cdev;
	u32 generation;
	int rc;

	if (pci_cma_dev_key(pdev) == PCI_CMA_KEY_NONE) {
		pci_err(pdev, "PCI domain %#x has no device key; not tracked\n",
			pci_domain_nr(pdev->bus));
		return -EADDRINUSE;
	}
	/* Tracked from enumeration, now at BUS_NOTIFY_ADD_DEVICE: no requester to build. */
	other = pci_cma_dev_of(pdev);
	if (other)
		return -EEXIST;
	cdev = pci_cma_dev_alloc(pdev);
	if (!cdev)
		return -ENOMEM;
	if (cdev->doe) {
		rc = pci_cma_dev_create_spdm(cdev);
		if (rc) {
			pci_err(pdev, "cannot create requester: %d\n", rc);
			pci_cma_dev_put(cdev);
			return rc;
		}
	}

	rc = xa_insert(&pci_cma_devices, cdev->key, cdev, GFP_KERNEL);
	if (rc) {
		if (cdev->spdm)
			spdm_destroy(cdev->spdm);
		pci_cma_dev_put(cdev);
		if (rc != -EBUSY)
			return rc;
		other = pci_cma_dev_get(pci_cma_dev_key(pdev));
		rc = !other || other->pdev == pdev ? -EEXIST : -EADDRINUSE;
		if (rc == -EADDRINUSE)
			pci_err(pdev, "device key %#x is %s's; not tracked\n",
				pci_cma_dev_key(pdev), other->name);
		return rc;
	}

	pci_cma_changed();
	pci_cma_netlink_notify_added(cdev);
	if (cdev->spdm)
		pci_cma_dev_request_auth(cdev, NULL, &generation);
	return 0;
}

/**
 * pci_cma_dev_publish() - create a tracked function's sysfs groups
 * @pdev: the function, which must be in sysfs (device_add() done)
 *
 * spdm/ on the first call for a function; spdm_gate/ once the gate holds it
 * (the scan at load may find a hot-added function before its notification
 * holds it).
 */
void pci_cma_dev_publish(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_dev_of(pdev);
	bool first;
	int rc;

	if (!cdev)
		return;
	scoped_guard(mutex, &cdev->lock) {
		if (cdev->removed)
			return;
		first = !cdev->published;
		cdev->published = true;
	}
	if (first) {
		rc = pci_cma_sysfs_add(cdev);
		if (rc)
			pci_warn(pdev, "no sysfs attributes: %d\n", rc);
	}
	pci_cma_gate_publish(cdev);
}

static void pci_cma_dev_teardown(struct pci_cma_dev *cdev)
{
	scoped_guard(mutex, &cdev->lock)
		cdev->removed = true;
	pci_cma_sysfs_remove(cdev);
	cancel_work_sync(&cdev->auth_work);
	if (cdev->spdm)
		spdm_destroy(cdev->spdm);
	cdev->spdm = NULL;
	pci_cma_changed();
	pci_cma_netlink_notify_removed(cdev);
	pci_cma_dev_put(cdev);
}

/**
 * pci_cma_dev_remove() - stop tracking a PCI function that is going away
 * @pdev: the function
 *
 * Returns once no DOE exchange with the function is in flight or can start.
 */
void pci_cma_dev_remove(struct pci_dev *pdev)
{
	struct pci_cma_dev *cdev;
	u32 key = pci_cma_dev_key(pdev);

	xa_lock(&pci_cma_devices);
	cdev = xa_load(&pci_cma_devices, key);
	if (cdev && cdev->pdev == pdev)
		__xa_erase(&pci_cma_devices, key);
	else
		cdev = NULL;
	xa_unlock(&pci_cma_devices);
	if (cdev)
		pci_cma_dev_teardown(cdev);
}

/**
 * pci_cma_devices_init() - create the authentication workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int pci_cma_devices_init(void)
{
	if (min_version < 0x10 || min_version > 0x13)
		return -EINVAL;
	pci_cma_wq = alloc_workqueue("spdm_cma", WQ_UNBOUND, 0);
	return pci_cma_wq ? 0 : -ENOMEM;
}

/**
 * pci_cma_devices_exit() - forget every device, waiting for work in flight
 */
void pci_cma_devices_exit(void)
{
	struct pci_cma_dev *cdev;
	unsigned long index;

	xa_for_each(&pci_cma_devices, index, cdev) {
		xa_erase(&pci_cma_devices, index);
		pci_cma_dev_teardown(cdev);
	}
	destroy_workqueue(pci_cma_wq);
}
