// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate models (DSP0274 1.3.0 §10.7.1 "Certificate models" and
 * "SPDM certificate requirements and recommendations"): which model a
 * slot uses, and the leaf extensions each model allows.
 *
 * DeviceCert model: the leaf is the device certificate; it may carry the
 * hardware-identity OID (id-DMTF-hardware-identity) in the SPDM extension.
 * AliasCert model: the leaf is an alias certificate issued by the device
 * certificate (a CA); it must not carry the hardware-identity OID.
 * GenericCert model (1.3): a key of no device identity; its leaf must not
 * carry the hardware-identity OID either. In every model an SPDM extended
 * key usage, when present, must name the responder: a leaf that lists
 * only id-DMTF-eku-requester-auth is not a responder's certificate.
 *
 * The extensions are read by a walk over the leaf's DER here, the same in
 * both builds; the environment's X.509 parser has already accepted it.
 */

#include "spdm-internal.h"

#define DER_OID 0x06
#define DER_BOOLEAN 0x01
#define DER_OCTET_STRING 0x04
#define DER_SEQUENCE 0x30
#define DER_EXTENSIONS 0xa3		/* TBSCertificate [3] EXPLICIT */

/* DSP0274 1.3.0 Table "DMTF OIDs": 1.3.6.1.4.1.412.274.N, DER contents */
#define DMTF_OID(n) { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0x1c, 0x82, 0x12, n }
static const u8 oid_hardware_identity[] = DMTF_OID(0x02);
static const u8 oid_eku_responder_auth[] = DMTF_OID(0x03);
static const u8 oid_eku_requester_auth[] = DMTF_OID(0x04);
static const u8 oid_spdm_extension[] = DMTF_OID(0x06);
/* RFC 5280 §4.2.1.12 id-ce-extKeyUsage 2.5.29.37 */
static const u8 oid_ext_key_usage[] = { 0x55, 0x1d, 0x25 };

struct spdm_der {
	const u8 *p;
	size_t len;
};

/*
 * Take the TLV at the front of @d into @val (its contents) if its tag is
 * @tag (any tag when 0). Definite lengths of up to four octets only.
 * Return: 0, -ENOENT when the tag differs, -EBADMSG when malformed.
 */
static int spdm_der_take(struct spdm_der *d, u8 tag, struct spdm_der *val)
{
	size_t hdr, len = 0, n, i;

	if (d->len < 2)
		return -EBADMSG;
	if (tag && d->p[0] != tag)
		return -ENOENT;
	if (d->p[1] < 0x80) {
		hdr = 2;
		len = d->p[1];
	} else {
		n = d->p[1] & 0x7f;
		if (n < 1 || n > 4 || d->len - 2 < n)
			return -EBADMSG;
		for (i = 0; i < n; i++)
			len = len << 8 | d->p[2 + i];
		hdr = 2 + n;
	}
	if (len > d->len - hdr)
		return -EBADMSG;
	val->p = d->p + hdr;
	val->len = len;
	d->p += hdr + len;
	d->len -= hdr + len;
	return 0;
}

static bool spdm_der_is(const struct spdm_der *v, const u8 *oid, size_t len)
{
	return v->len == len && !memcmp(v->p, oid, len);
}

/*
 * The extnValue contents of extension @oid in certificate @der.
 * Return: 0, -ENOENT when the certificate has no such extension, -EBADMSG.
 */
static int spdm_cert_extension(const u8 *der, size_t der_len, const u8 *oid,
			       size_t oid_len, struct spdm_der *value)
{
	struct spdm_der d = { der, der_len }, cert, tbs, exts, list, ext, id, v;
	int rc;

	if (spdm_der_take(&d, DER_SEQUENCE, &cert) ||
	    spdm_der_take(&cert, DER_SEQUENCE, &tbs))
		return -EBADMSG;
	/* version, serial, signature, issuer, validity, subject, SPKI, ... */
	for (;;) {
		if (!tbs.len)
			return -ENOENT;
		rc = spdm_der_take(&tbs, DER_EXTENSIONS, &exts);
		if (!rc)
			break;
		if (rc != -ENOENT || spdm_der_take(&tbs, 0, &v))
			return -EBADMSG;
	}
	if (spdm_der_take(&exts, DER_SEQUENCE, &list))
		return -EBADMSG;
	while (list.len) {
		if (spdm_der_take(&list, DER_SEQUENCE, &ext) ||
		    spdm_der_take(&ext, DER_OID, &id))
			return -EBADMSG;
		rc = spdm_der_take(&ext, DER_BOOLEAN, &v);	/* critical */
		if (rc && rc != -ENOENT)
			return -EBADMSG;
		if (spdm_der_take(&ext, DER_OCTET_STRING, &v))
			return -EBADMSG;
		if (spdm_der_is(&id, oid, oid_len)) {
			*value = v;
			return 0;
		}
	}
	return -ENOENT;
}

/* Whether the SPDM extension lists the hardware-identity OID. */
static int spdm_cert_hardware_identity(const u8 *der, size_t len, bool *found)
{
	struct spdm_der ext, list, item, id;
	int rc;

	*found = false;
	rc = spdm_cert_extension(der, len, oid_spdm_extension,
				 sizeof(oid_spdm_extension), &ext);
	if (rc == -ENOENT)
		return 0;
	if (rc || spdm_der_take(&ext, DER_SEQUENCE, &list))
		return -EBADMSG;
	while (list.len) {
		if (spdm_der_take(&list, DER_SEQUENCE, &item) ||
		    spdm_der_take(&item, DER_OID, &id))
			return -EBADMSG;
		if (spdm_der_is(&id, oid_hardware_identity,
				sizeof(oid_hardware_identity)))
			*found = true;
	}
	return 0;
}

/* Whether an extended key usage lists requester-auth but not responder-auth. */
static int spdm_cert_requester_only(const u8 *der, size_t len, bool *bad)
{
	struct spdm_der ext, list, id;
	bool req = false, rsp = false;
	int rc;

	*bad = false;
	rc = spdm_cert_extension(der, len, oid_ext_key_usage,
				 sizeof(oid_ext_key_usage), &ext);
	if (rc == -ENOENT)
		return 0;
	if (rc || spdm_der_take(&ext, DER_SEQUENCE, &list))
		return -EBADMSG;
	while (list.len) {
		if (spdm_der_take(&list, DER_OID, &id))
			return -EBADMSG;
		req |= spdm_der_is(&id, oid_eku_requester_auth,
				   sizeof(oid_eku_requester_auth));
		rsp |= spdm_der_is(&id, oid_eku_responder_auth,
				   sizeof(oid_eku_responder_auth));
	}
	*bad = req && !rsp;
	return 0;
}

static const char *spdm_cert_model_name(u8 model)
{
	switch (model) {
	case SPDM_CERT_INFO_MODEL_DEVICE:
		return "device";
	case SPDM_CERT_INFO_MODEL_ALIAS:
		return "alias";
	case SPDM_CERT_INFO_MODEL_GENERIC:
		return "generic";
	default:
		return "none";
	}
}

/**
 * spdm_cert_model_check() - the leaf rules of a slot's certificate model
 * @st: requester state (for messages)
 * @slot: the slot
 * @model: its model, SPDM_CERT_INFO_MODEL_*
 * @leaf: DER of the leaf certificate
 * @len: its length
 *
 * Return: 0, -EKEYREJECTED when the leaf breaks a rule of @model,
 * -EBADMSG when its extensions are malformed.
 */
int spdm_cert_model_check(struct spdm_state *st, u8 slot, u8 model,
			  const u8 *leaf, size_t len)
{
	bool found;
	int rc;

	rc = spdm_cert_requester_only(leaf, len, &found);
	if (rc)
		goto malformed;
	if (found) {
		spdm_err(st, "Slot %u leaf's extended key usage names only the requester\n",
			 slot);
		return -EKEYREJECTED;
	}
	rc = spdm_cert_hardware_identity(leaf, len, &found);
	if (rc)
		goto malformed;
	if (found && model != SPDM_CERT_INFO_MODEL_DEVICE) {
		spdm_err(st, "Slot %u %s-model leaf carries the hardware-identity OID\n",
			 slot, spdm_cert_model_name(model));
		return -EKEYREJECTED;
	}
	return 0;

malformed:
	spdm_err(st, "Slot %u leaf extensions malformed\n", slot);
	return rc;
}
