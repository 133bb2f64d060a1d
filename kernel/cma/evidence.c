// SPDX-License-Identifier: GPL-2.0
/*
 * Immutable, reference-counted copies of an authentication's evidence. The
 * library's evidence lives only until the next attempt starts; readers that
 * deliver it across several netlink messages need it to stay put.
 */
#include <linux/overflow.h>
#include <linux/slab.h>

#include "cma.h"

static void pci_cma_evidence_release(struct kref *ref)
{
	kvfree(container_of(ref, struct pci_cma_evidence, ref));
}

/**
 * pci_cma_evidence_put() - drop a reference to evidence
 * @evidence: the evidence, may be NULL
 */
void pci_cma_evidence_put(struct pci_cma_evidence *evidence)
{
	if (evidence)
		kref_put(&evidence->ref, pci_cma_evidence_release);
}

static void pci_cma_evidence_blobs(const struct spdm_evidence *ev,
				   const u8 *src[PCI_CMA_NR_BLOBS], size_t len[PCI_CMA_NR_BLOBS])
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ev->chain); i++) {
		src[PCI_CMA_BLOB_CHAIN0 + i] = ev->chain[i];
		len[PCI_CMA_BLOB_CHAIN0 + i] = ev->chain_len[i];
	}
	src[PCI_CMA_BLOB_TRANSCRIPT] = ev->transcript;
	len[PCI_CMA_BLOB_TRANSCRIPT] = ev->transcript_len;
	src[PCI_CMA_BLOB_SIGNATURE] = ev->signature;
	len[PCI_CMA_BLOB_SIGNATURE] = ev->signature_len;
	src[PCI_CMA_BLOB_MEAS] = ev->meas;
	len[PCI_CMA_BLOB_MEAS] = ev->meas_len;
	src[PCI_CMA_BLOB_MEAS_TRANSCRIPT] = ev->meas_transcript;
	len[PCI_CMA_BLOB_MEAS_TRANSCRIPT] = ev->meas_transcript_len;
	src[PCI_CMA_BLOB_MEAS_SIGNATURE] = ev->meas_signature;
	len[PCI_CMA_BLOB_MEAS_SIGNATURE] = ev->meas_signature_len;
}

/* The identity the same-device check compares: the digest of the chain used. */
static void pci_cma_evidence_identity(struct pci_cma_evidence *e)
{
	static_assert(SPDM_IDENTITY_LEN == SHA256_DIGEST_SIZE);
	unsigned int blob = PCI_CMA_BLOB_CHAIN0 + e->slot;

	if (blob > PCI_CMA_BLOB_CHAIN7 || !e->blob[blob].len)
		return;
	sha256(e->blob[blob].data, e->blob[blob].len, e->identity);
	e->has_identity = true;
}

/**
 * pci_cma_evidence_copy() - copy the library's evidence into one allocation
 * @ev: the library's evidence
 * @generation: the attempt it belongs to
 *
 * Return: the copy with one reference, or NULL when out of memory or when a
 * blob is too large to describe (> 4 GiB).
 */
struct pci_cma_evidence *pci_cma_evidence_copy(const struct spdm_evidence *ev, u32 generation)
{
	static_assert(ARRAY_SIZE(ev->chain) == PCI_CMA_BLOB_CHAIN7 - PCI_CMA_BLOB_CHAIN0 + 1);
	const u8 *src[PCI_CMA_NR_BLOBS];
	size_t len[PCI_CMA_NR_BLOBS];
	struct pci_cma_evidence *e;
	size_t total = 0, size;
	unsigned int i;
	u8 *p;

	pci_cma_evidence_blobs(ev, src, len);
	for (i = 0; i < PCI_CMA_NR_BLOBS; i++) {
		if (!src[i])
			len[i] = 0;
		if (len[i] > U32_MAX || check_add_overflow(total, len[i], &total))
			return NULL;
	}
	size = size_add(struct_size(e, data, 0), total);
	e = kvzalloc(size, GFP_KERNEL);
	if (!e)
		return NULL;

	kref_init(&e->ref);
	e->size = size;
	e->generation = generation;
	e->version = ev->version;
	e->base_asym_alg = ev->base_asym_alg;
	e->base_hash_alg = ev->base_hash_alg;
	e->meas_hash_alg = ev->meas_hash_alg;
	e->slot_mask = ev->slot_mask;
	e->slot = ev->slot;
	e->cert_model = ev->cert_model[ev->slot % ARRAY_SIZE(ev->cert_model)];
	e->multi_key = ev->multi_key;
	e->key_pair_id = ev->key_pair_id;
	e->key_usage = ev->key_usage;
	BUILD_BUG_ON(sizeof(e->nonce) != sizeof(ev->nonce));
	memcpy(e->nonce, ev->nonce, sizeof(e->nonce));
	e->has_nonce = ev->has_nonce;
	e->req_nonce_off = min_t(size_t, ev->req_nonce_off, U32_MAX);
	e->rsp_nonce_off = min_t(size_t, ev->rsp_nonce_off, U32_MAX);
	p = e->data;
	for (i = 0; i < PCI_CMA_NR_BLOBS; i++) {
		if (!len[i])
			continue;
		memcpy(p, src[i], len[i]);
		e->blob[i].data = p;
		e->blob[i].len = len[i];
		p += len[i];
	}
	pci_cma_evidence_identity(e);
	return e;
}
