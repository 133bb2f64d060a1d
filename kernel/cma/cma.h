/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCIe Component Measurement and Authentication (CMA, PCIe r6.0 §6.31):
 * SPDM device authentication over DOE. Private interfaces of spdm_cma.ko.
 */
#ifndef _SPDM_CMA_H_
#define _SPDM_CMA_H_

#include <crypto/sha2.h>
#include <linux/cleanup.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>
#include "uapi/linux/spdm.h"
#include "gate.h"

#include "../spdm/spdm.h"

struct pci_doe_mb;
struct netlink_ext_ack;

/* Evidence blobs in the order a device-get dump delivers them. */
enum pci_cma_blob {
	PCI_CMA_BLOB_CHAIN0,
	PCI_CMA_BLOB_CHAIN7 = PCI_CMA_BLOB_CHAIN0 + 7,
	PCI_CMA_BLOB_TRANSCRIPT,
	PCI_CMA_BLOB_SIGNATURE,
	PCI_CMA_BLOB_MEAS,
	PCI_CMA_BLOB_MEAS_TRANSCRIPT,
	PCI_CMA_BLOB_MEAS_SIGNATURE,
	PCI_CMA_NR_BLOBS
};

/**
 * struct pci_cma_evidence - immutable copy of what one authentication attempt saw
 * @ref: readers (netlink dumps spanning several messages) hold a reference,
 *	so a re-authentication never frees evidence under them
 * @generation: attempt the evidence belongs to
 * @version: negotiated SPDM version
 * @base_asym_alg: negotiated BaseAsymAlgo bit
 * @base_hash_alg: negotiated BaseHashAlgo bit
 * @meas_hash_alg: negotiated MeasurementHashAlgo bit
 * @slot_mask: provisioned slots reported by DIGESTS
 * @slot: slot used for CHALLENGE
 * @cert_model: certificate model of @slot (enum spdm_cert_model)
 * @multi_key: SPDM 1.3 multi-key connection
 * @key_pair_id: KeyPairID of @slot (multi-key)
 * @key_usage: KeyUsageMask of @slot (multi-key)
 * @nonce: the requester nonce the attempt used, the requester's own copy
 * @has_nonce: @nonce is set
 * @req_nonce_off: offset of the requester nonce in the transcript
 * @rsp_nonce_off: offset of the responder nonce in the transcript
 * @has_identity: @identity is set (the chain of @slot was fetched)
 * @identity: SHA-256 of the certificate chain of @slot, SPDM header
 *	included: what the same-device check compares
 * @blob: the evidence blobs (pointing into @data), length 0 when absent
 * @size: bytes allocated, for accounting
 * @data: storage of all blobs
 */
struct pci_cma_evidence {
	struct kref ref;
	u32 generation;
	u8 version;
	u32 base_asym_alg;
	u32 base_hash_alg;
	u32 meas_hash_alg;
	u8 slot_mask;
	u8 slot;
	u8 cert_model;
	bool multi_key;
	u8 key_pair_id;
	u16 key_usage;
	u8 nonce[SPDM_NONCE_LEN];
	bool has_nonce;
	u32 req_nonce_off;
	u32 rsp_nonce_off;
	bool has_identity;
	u8 identity[SPDM_IDENTITY_LEN];
	struct {
		const u8 *data;
		u32 len;
	} blob[PCI_CMA_NR_BLOBS];
	size_t size;
	u8 data[];
};

/**
 * struct pci_cma_dev - one PCI function known to the module
 * @ref: held by the registry and by every user that looked the device up
 * @pdev: the PCI function (a reference is held)
 * @doe: its CMA mailbox, NULL when it has none (state unsupported); only
 *	used while @removed is false, because the PCI core destroys mailboxes
 *	right after BUS_NOTIFY_DEL_DEVICE, which waits for our work to finish
 * @spdm: SPDM requester state; only the authentication work touches it
 * @key: numeric key (domain << 16 | bus << 8 | devfn, see pci_cma_dev_key()),
 *	 also in tracepoints
 * @name: PCI address
 * @auth_work: runs one authentication attempt
 * @lock: protects the fields below
 * @removed: set once the device is going away: no more DOE exchanges
 * @queued: an attempt is queued and has not started
 * @has_nonce: @nonce is to be used by the queued attempt
 * @sysfs: the sysfs group was created
 * @published: pci_cma_dev_publish() took the function in hand
 * @nonce: caller-supplied requester nonce for the queued attempt
 * @state: enum spdm_auth_state
 * @generation: number of the latest queued or running attempt
 * @error: negative errno of the last finished attempt, 0 on success
 * @duration_us: wall time of the last finished attempt
 * @evidence: what the last finished attempt saw, NULL if nothing
 * @reset_owed: error recovery reset the function and nothing has queued
 *	its re-authentication since (reset.c)
 * @resumed_cycle: the sleep cycle (pci_cma_pm_cycle()) in which the PCI
 *	core restored the function's state at resume and so re-authenticated
 *	it (reset.c); the PM notifier then leaves it alone
 * @gate: driver-binding gate state (gate.c)
 */
struct pci_cma_dev {
	struct kref ref;
	struct pci_dev *pdev;
	struct pci_doe_mb *doe;
	struct spdm_state *spdm;
	u32 key;
	char name[32];
	struct work_struct auth_work;

	struct mutex lock;	/* protects the fields below */
	bool removed;
	bool queued;
	bool has_nonce;
	bool sysfs;
	bool published;
	u8 nonce[SPDM_NONCE_LEN];
	enum spdm_auth_state state;
	u32 generation;
	int error;
	u32 duration_us;
	struct pci_cma_evidence *evidence;
	bool reset_owed;
	unsigned int resumed_cycle;
	struct pci_cma_gate gate;
};

/* device.c: registry and lifecycle */
int pci_cma_devices_init(void);
void pci_cma_devices_exit(void);
int pci_cma_dev_add(struct pci_dev *pdev);
void pci_cma_dev_publish(struct pci_dev *pdev);
void pci_cma_dev_remove(struct pci_dev *pdev);
struct pci_cma_dev *pci_cma_dev_get(u32 key);
struct pci_cma_dev *pci_cma_dev_get_next(u32 *key);
struct pci_cma_dev *pci_cma_dev_get_by_name(const char *name);
void pci_cma_dev_put(struct pci_cma_dev *cdev);
int pci_cma_dev_request_auth(struct pci_cma_dev *cdev, const u8 *nonce, u32 *generation);
struct pci_cma_evidence *pci_cma_dev_evidence(struct pci_cma_dev *cdev);
/* A device reference dropped at the end of its scope: __free(pci_cma_dev_put). */
DEFINE_FREE(pci_cma_dev_put, struct pci_cma_dev *, pci_cma_dev_put(_T))
/* No function has this key (its domain has none). */
#define PCI_CMA_KEY_NONE	U32_MAX
u32 pci_cma_dev_key(struct pci_dev *pdev);
struct pci_cma_dev *pci_cma_dev_of(struct pci_dev *pdev);
unsigned int pci_cma_change_seq(void);
unsigned int pci_cma_auth_timeout_ms(void);

/* evidence.c: snapshots of the library's evidence */
struct pci_cma_evidence *pci_cma_evidence_copy(const struct spdm_evidence *ev, u32 generation);
void pci_cma_evidence_put(struct pci_cma_evidence *evidence);
/* An evidence reference dropped at the end of its scope. */
DEFINE_FREE(pci_cma_evidence_put, struct pci_cma_evidence *, pci_cma_evidence_put(_T))

/* doe.c: the SPDM transport over the CMA DOE mailbox */
struct pci_doe_mb *pci_cma_doe_find(struct pci_dev *pdev);
ssize_t pci_cma_doe_transport(void *priv, const void *req, size_t req_sz,
			      void *rsp, size_t rsp_sz);
/* Largest SPDM message one DOE data object carries (PCIe r6.0 §6.30.1). */
#define PCI_CMA_DOE_MAX_MSG		(SZ_1M - 2 * sizeof(u32))
/*
 * Each device's receive buffer: the largest CERTIFICATE response (DSP0274
 * 1.2.1 CERTIFICATE: 8-byte header, PortionLength up to 0xffff), DOE dword
 * padding, and the byte that tells a full buffer from a truncated response.
 * The requester announces it as DataTransferSize (1.2+), so a conforming
 * responder never sends more; anything larger fails with -EMSGSIZE rather
 * than every device holding a 1 MiB buffer.
 */
#define PCI_CMA_SPDM_MSG_SIZE	(SZ_64K + 16)

/* sysfs.c: spdm/ and spdm_gate/ present the device's and its gate's state */
int pci_cma_sysfs_add(struct pci_cma_dev *cdev);
void pci_cma_sysfs_remove(struct pci_cma_dev *cdev);
int pci_cma_sysfs_gate_add(struct pci_cma_dev *cdev);
void pci_cma_sysfs_gate_remove(struct pci_cma_dev *cdev);

/* netlink.c */
int pci_cma_netlink_init(void);
void pci_cma_netlink_exit(void);
void pci_cma_netlink_notify_added(struct pci_cma_dev *cdev);
void pci_cma_netlink_notify_auth_done(struct pci_cma_dev *cdev, u32 generation,
				      enum spdm_auth_state state, int error);
void pci_cma_netlink_notify_removed(struct pci_cma_dev *cdev);
void pci_cma_netlink_notify_verdict(struct pci_cma_dev *cdev, u32 generation, u32 verdict,
				    u32 source, const char *reason);
void pci_cma_netlink_notify_identity_changed(struct pci_cma_dev *cdev, u32 generation,
					     const u8 *identity, const u8 *allowed);

/* trace.c */
void pci_cma_trace_exchange(void *priv, const struct spdm_exchange_info *info);
void pci_cma_trace_auth(struct pci_cma_dev *cdev, u32 generation,
			const struct pci_cma_evidence *evidence, int result, u64 duration_ns);

/* main.c */
void pci_cma_add(struct pci_dev *pdev, bool present);

/* The PCI core's calls (in-tree build only; declared in drivers/pci/pci.h too) */
/* reset.c: called by pci_restore_state() and by error recovery */
void pci_cma_reauthenticate(struct pci_dev *pdev);
void pci_cma_reset_prepare(struct pci_dev *pdev);
void pci_cma_reset_done(struct pci_dev *pdev);
/* gate-core.c: called by pci_device_probe() */
bool pci_cma_may_bind(struct pci_dev *pdev);
/* enumerate.c: called by pci_device_add() */
void pci_cma_enumerated(struct pci_dev *pdev);

/* pm.c: re-authentication after system resume */
int pci_cma_pm_init(void);
void pci_cma_pm_exit(void);
unsigned int pci_cma_pm_cycle(void);

#endif /* _SPDM_CMA_H_ */
