// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: a group "spdm" in the directory of each PCI function that has a
 * CMA mailbox, /sys/bus/pci/devices/<BDF>/spdm/, and a group "spdm_gate"
 * on each function the driver-binding gate holds.
 *
 * Why there: the upstream CMA series puts "authenticated" into the device's
 * own directory; an out-of-tree module cannot add to the device's static
 * attribute groups, but it can add a group to the device's kobject. A named
 * group keeps our files apart from any the kernel adds itself (no clash if
 * a later kernel grows its own "authenticated"). For hot-added devices it
 * is created from BUS_NOTIFY_ADD_DEVICE, before the KOBJ_ADD uevent, so
 * udev sees it; it is removed from BUS_NOTIFY_DEL_DEVICE, and removal waits
 * for running show/store calls, so they never see a freed device.
 */
#include <linux/capability.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "cma.h"

static struct pci_cma_dev *pci_cma_sysfs_dev(struct device *dev)
{
	return pci_cma_dev_of(to_pci_dev(dev));
}

static const char *const pci_cma_state_names[] = {
	[SPDM_AUTH_STATE_UNSUPPORTED] = "unsupported",
	[SPDM_AUTH_STATE_PENDING] = "pending",
	[SPDM_AUTH_STATE_AUTHENTICATING] = "authenticating",
	[SPDM_AUTH_STATE_AUTHENTICATED] = "authenticated",
	[SPDM_AUTH_STATE_FAILED] = "failed",
};

/* DSP0274 1.3.0 table 21 (NEGOTIATE_ALGORITHMS BaseAsymAlgo), bit order. */
static const char *const pci_cma_asym_names[] = {
	"rsassa-2048", "rsapss-2048", "rsassa-3072", "rsapss-3072",
	"ecdsa-p256", "rsassa-4096", "rsapss-4096", "ecdsa-p384",
	"ecdsa-p521", "sm2-p256", "eddsa-ed25519", "eddsa-ed448",
};

/* DSP0274 1.3.0 table 21 (BaseHashAlgo), bit order. */
static const char *const pci_cma_hash_names[] = {
	"sha256", "sha384", "sha512", "sha3-256", "sha3-384", "sha3-512", "sm3-256",
};

/* DSP0274 1.3.0 table 16 (MeasurementHashAlgo), bit order. */
static const char *const pci_cma_meas_hash_names[] = {
	"raw", "sha256", "sha384", "sha512", "sha3-256", "sha3-384", "sha3-512", "sm3-256",
};

static const char *pci_cma_alg_name(const char *const *names, size_t n, u32 bit)
{
	if (!bit)
		return "none";
	if (hweight32(bit) != 1 || __ffs(bit) >= n)
		return "unknown";
	return names[__ffs(bit)];
}

/*
 * Every spdm/ attribute shows one look at the device under its lock
 * (evidence included: the lock keeps it from being replaced meanwhile).
 */
static ssize_t pci_cma_sysfs_show(struct device *dev, char *buf,
				  ssize_t (*emit)(char *buf, const struct pci_cma_dev *cdev))
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_sysfs_dev(dev);

	if (!cdev)
		return -ENODEV;
	guard(mutex)(&cdev->lock);
	return emit(buf, cdev);
}

/* A read-only spdm/ attribute _name, shown by pci_cma_emit_<_name>(). */
#define PCI_CMA_ATTR_RO(_name)							\
static ssize_t _name##_show(struct device *dev, struct device_attribute *attr,	\
			    char *buf)						\
{										\
	return pci_cma_sysfs_show(dev, buf, pci_cma_emit_##_name);		\
}										\
static DEVICE_ATTR_RO(_name)

static ssize_t pci_cma_emit_authenticated(char *buf, const struct pci_cma_dev *cdev)
{
	return sysfs_emit(buf, "%d\n", cdev->state == SPDM_AUTH_STATE_AUTHENTICATED);
}

static ssize_t authenticated_show(struct device *dev, struct device_attribute *attr,
				  char *buf)
{
	return pci_cma_sysfs_show(dev, buf, pci_cma_emit_authenticated);
}

/*
 * Writing 1 queues a re-authentication; the file reads 0 until it succeeds.
 * CAP_SYS_ADMIN, like the netlink authenticate operation: the file mode
 * alone would let any uid-0 process without it start DOE traffic.
 */
static ssize_t authenticated_store(struct device *dev, struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = NULL;
	u32 generation;
	bool val;
	int rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	rc = kstrtobool(buf, &val);
	if (rc)
		return rc;
	if (!val)
		return -EINVAL;
	cdev = pci_cma_sysfs_dev(dev);
	if (!cdev)
		return -ENODEV;
	rc = pci_cma_dev_request_auth(cdev, NULL, &generation);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(authenticated);

static ssize_t pci_cma_emit_state(char *buf, const struct pci_cma_dev *cdev)
{
	return sysfs_emit(buf, "%s\n", pci_cma_state_names[cdev->state]);
}
PCI_CMA_ATTR_RO(state);

static ssize_t pci_cma_emit_generation(char *buf, const struct pci_cma_dev *cdev)
{
	return sysfs_emit(buf, "%u\n", cdev->generation);
}
PCI_CMA_ATTR_RO(generation);

static ssize_t pci_cma_emit_last_error(char *buf, const struct pci_cma_dev *cdev)
{
	return sysfs_emit(buf, "%d\n", cdev->error);
}
PCI_CMA_ATTR_RO(last_error);

static ssize_t pci_cma_emit_version(char *buf, const struct pci_cma_dev *cdev)
{
	const struct pci_cma_evidence *ev = cdev->evidence;

	if (!ev || !ev->version)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u.%u\n", ev->version >> 4, ev->version & 0xf);
}
PCI_CMA_ATTR_RO(version);

static ssize_t pci_cma_emit_algorithms(char *buf, const struct pci_cma_dev *cdev)
{
	const struct pci_cma_evidence *ev = cdev->evidence;

	return sysfs_emit(buf, "asym=%s hash=%s meas=%s\n",
			  pci_cma_alg_name(pci_cma_asym_names, ARRAY_SIZE(pci_cma_asym_names),
					   ev ? ev->base_asym_alg : 0),
			  pci_cma_alg_name(pci_cma_hash_names, ARRAY_SIZE(pci_cma_hash_names),
					   ev ? ev->base_hash_alg : 0),
			  pci_cma_alg_name(pci_cma_meas_hash_names,
					   ARRAY_SIZE(pci_cma_meas_hash_names),
					   ev ? ev->meas_hash_alg : 0));
}
PCI_CMA_ATTR_RO(algorithms);

/* enum spdm_cert_model, by value */
static const char * const pci_cma_cert_model_names[] = {
	[SPDM_CERT_MODEL_NONE] = "none",
	[SPDM_CERT_MODEL_DEVICE] = "device",
	[SPDM_CERT_MODEL_ALIAS] = "alias",
	[SPDM_CERT_MODEL_GENERIC] = "generic",
};

static ssize_t pci_cma_emit_cert_model(char *buf, const struct pci_cma_dev *cdev)
{
	u8 model = cdev->evidence ? cdev->evidence->cert_model : SPDM_CERT_MODEL_NONE;

	return sysfs_emit(buf, "%s\n", model < ARRAY_SIZE(pci_cma_cert_model_names) ?
			  pci_cma_cert_model_names[model] : "unknown");
}
PCI_CMA_ATTR_RO(cert_model);

/* "none" outside a multi-key connection, else "<KeyPairID> <KeyUsageMask>" */
static ssize_t pci_cma_emit_key_pair(char *buf, const struct pci_cma_dev *cdev)
{
	const struct pci_cma_evidence *ev = cdev->evidence;

	if (!ev || !ev->multi_key)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u 0x%04x\n", ev->key_pair_id, ev->key_usage);
}
PCI_CMA_ATTR_RO(key_pair);

static struct attribute *pci_cma_attrs[] = {
	&dev_attr_authenticated.attr,
	&dev_attr_state.attr,
	&dev_attr_generation.attr,
	&dev_attr_version.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_cert_model.attr,
	&dev_attr_key_pair.attr,
	&dev_attr_last_error.attr,
	NULL
};

static const struct attribute_group pci_cma_group = {
	.name = "spdm",
	.attrs = pci_cma_attrs,
};

/**
 * pci_cma_sysfs_add() - create the device's spdm/ group if it has a CMA mailbox
 * @cdev: the device
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_sysfs_add(struct pci_cma_dev *cdev)
{
	int rc;

	if (!cdev->doe)
		return 0;
	rc = sysfs_create_group(&cdev->pdev->dev.kobj, &pci_cma_group);
	if (!rc)
		cdev->sysfs = true;
	return rc;
}

/**
 * pci_cma_sysfs_remove() - remove the group; waits for show/store in progress
 * @cdev: the device
 */
void pci_cma_sysfs_remove(struct pci_cma_dev *cdev)
{
	if (cdev->sysfs)
		sysfs_remove_group(&cdev->pdev->dev.kobj, &pci_cma_group);
	cdev->sysfs = false;
}

/*
 * spdm_gate/: the gate's state, on every function the gate holds or held.
 * Each attribute shows one snapshot of it (gate.c).
 */
static ssize_t pci_cma_sysfs_gate_show(struct device *dev, char *buf,
				       ssize_t (*emit)(char *buf,
						       const struct pci_cma_gate_snapshot *gate))
{
	struct pci_cma_dev *cdev __free(pci_cma_dev_put) = pci_cma_sysfs_dev(dev);
	struct pci_cma_gate_snapshot snap;

	if (!cdev)
		return -ENODEV;
	pci_cma_gate_get_snapshot(cdev, &snap);
	return emit(buf, &snap);
}

/* A read-only spdm_gate/ attribute _name that prints _fmt of _val. */
#define PCI_CMA_GATE_ATTR(_name, _fmt, _val)					\
static ssize_t pci_cma_gate_emit_##_name(char *buf,				\
					 const struct pci_cma_gate_snapshot *gate)	\
{										\
	return sysfs_emit(buf, _fmt "\n", _val);				\
}										\
static ssize_t pci_cma_gate_##_name##_show(struct device *dev,			\
					   struct device_attribute *attr, char *buf)	\
{										\
	return pci_cma_sysfs_gate_show(dev, buf, pci_cma_gate_emit_##_name);	\
}										\
static struct device_attribute pci_cma_gate_attr_##_name =			\
	__ATTR(_name, 0444, pci_cma_gate_##_name##_show, NULL)

PCI_CMA_GATE_ATTR(state, "%s", pci_cma_gate_state_name(gate->state));
PCI_CMA_GATE_ATTR(verdict, "%s", pci_cma_gate_verdict_name(gate->verdict));
PCI_CMA_GATE_ATTR(verdict_source, "%s", pci_cma_gate_source_name(gate->source));
PCI_CMA_GATE_ATTR(verdict_generation, "%u", gate->verdict_gen);
PCI_CMA_GATE_ATTR(verdict_reason, "%s", gate->reason);

static struct attribute *pci_cma_gate_attrs[] = {
	&pci_cma_gate_attr_state.attr,
	&pci_cma_gate_attr_verdict.attr,
	&pci_cma_gate_attr_verdict_source.attr,
	&pci_cma_gate_attr_verdict_generation.attr,
	&pci_cma_gate_attr_verdict_reason.attr,
	NULL
};

static const struct attribute_group pci_cma_gate_group = {
	.name = "spdm_gate",
	.attrs = pci_cma_gate_attrs,
};

/**
 * pci_cma_sysfs_gate_add() - create the function's spdm_gate/ group
 * @cdev: the device, which the gate holds
 *
 * Return: 0 or a negative errno.
 */
int pci_cma_sysfs_gate_add(struct pci_cma_dev *cdev)
{
	return sysfs_create_group(&cdev->pdev->dev.kobj, &pci_cma_gate_group);
}

/**
 * pci_cma_sysfs_gate_remove() - remove spdm_gate/; waits for reads in progress
 * @cdev: the device
 */
void pci_cma_sysfs_gate_remove(struct pci_cma_dev *cdev)
{
	sysfs_remove_group(&cdev->pdev->dev.kobj, &pci_cma_gate_group);
}
