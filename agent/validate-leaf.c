// SPDX-License-Identifier: GPL-2.0
/*
 * The SPDM rules for the leaf certificate (DSP0274 1.2.1 §10.6.2 and
 * Annex "Leaf certificate"): it signs, so digitalSignature; it is no CA;
 * an EKU, when present, must not restrict it to requester use; and the
 * rules of its certificate model (DSP0274 1.3.0 §10.7.1): only a
 * DeviceCert-model leaf may carry the hardware-identity OID in the SPDM
 * extension. The kernel checks the same (kernel/spdm/cert-model.c); the
 * agent checks again on the evidence.
 */
#include <errno.h>
#include <string.h>

#include <linux/spdm.h>
#include <openssl/x509v3.h>

#include "agent.h"

/* DSP0274 1.2.1 Table "SPDM OIDs": id-DMTF-eku-responder-auth / requester-auth */
#define AGENT_OID_EKU_RESPONDER	"1.3.6.1.4.1.412.274.3"
#define AGENT_OID_EKU_REQUESTER	"1.3.6.1.4.1.412.274.4"
/* DSP0274 1.3.0: id-DMTF-spdm-extension holding id-DMTF-hardware-identity */
#define AGENT_OID_SPDM_EXTENSION	"1.3.6.1.4.1.412.274.6"
#define AGENT_OID_HARDWARE_IDENTITY	"1.3.6.1.4.1.412.274.2"

/**
 * agent_cert_model_name() - name of a certificate model
 * @cert_model: enum spdm_cert_model
 *
 * Return: "none", "device", "alias", "generic" or "unknown".
 */
const char *agent_cert_model_name(uint32_t cert_model)
{
	static const char *const names[] = {
		[SPDM_CERT_MODEL_NONE] = "none",
		[SPDM_CERT_MODEL_DEVICE] = "device",
		[SPDM_CERT_MODEL_ALIAS] = "alias",
		[SPDM_CERT_MODEL_GENERIC] = "generic",
	};

	return cert_model < sizeof(names) / sizeof(names[0]) ? names[cert_model] :
	       "unknown";
}

/*
 * Whether the SPDM extension (SEQUENCE OF SEQUENCE { OID, ... }) lists the
 * hardware-identity OID: 1 yes, 0 no (or no such extension), -EBADMSG.
 */
static int agent_leaf_hardware_identity(X509 *leaf)
{
	ASN1_OBJECT *want = OBJ_txt2obj(AGENT_OID_SPDM_EXTENSION, 1);
	ASN1_OBJECT *hw = OBJ_txt2obj(AGENT_OID_HARDWARE_IDENTITY, 1);
	const ASN1_OCTET_STRING *value;
	const unsigned char *p;
	ASN1_SEQUENCE_ANY *list = NULL;
	int idx, found = 0;

	if (!want || !hw) {
		found = -ENOMEM;
		goto out;
	}
	idx = X509_get_ext_by_OBJ(leaf, want, -1);
	if (idx < 0)
		goto out;
	value = X509_EXTENSION_get_data(X509_get_ext(leaf, idx));
	p = ASN1_STRING_get0_data(value);
	list = d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(value));
	if (!list) {
		found = -EBADMSG;
		goto out;
	}
	for (int i = 0; i < sk_ASN1_TYPE_num(list); i++) {
		ASN1_TYPE *item = sk_ASN1_TYPE_value(list, i);
		ASN1_SEQUENCE_ANY *inner;
		ASN1_TYPE *id;

		if (ASN1_TYPE_get(item) != V_ASN1_SEQUENCE) {
			found = -EBADMSG;
			break;
		}
		p = item->value.sequence->data;
		inner = d2i_ASN1_SEQUENCE_ANY(NULL, &p, item->value.sequence->length);
		id = inner && sk_ASN1_TYPE_num(inner) > 0 ? sk_ASN1_TYPE_value(inner, 0) : NULL;
		if (!id || ASN1_TYPE_get(id) != V_ASN1_OBJECT) {
			sk_ASN1_TYPE_pop_free(inner, ASN1_TYPE_free);
			found = -EBADMSG;
			break;
		}
		if (!OBJ_cmp(id->value.object, hw))
			found = 1;
		sk_ASN1_TYPE_pop_free(inner, ASN1_TYPE_free);
	}
out:
	sk_ASN1_TYPE_pop_free(list, ASN1_TYPE_free);
	ASN1_OBJECT_free(want);
	ASN1_OBJECT_free(hw);
	return found;
}

static int agent_leaf_eku(X509 *leaf, char *err, size_t errlen)
{
	EXTENDED_KEY_USAGE *eku;
	bool responder = false, requester = false;
	int crit = 0;

	eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, &crit, NULL);
	if (!eku) {
		if (crit == -1)
			return 0;	/* no EKU: any use */
		snprintf(err, errlen, "malformed extendedKeyUsage");
		return -EBADMSG;
	}
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		char oid[64];

		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		if (!strcmp(oid, AGENT_OID_EKU_RESPONDER))
			responder = true;
		else if (!strcmp(oid, AGENT_OID_EKU_REQUESTER))
			requester = true;
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	if (requester && !responder) {
		snprintf(err, errlen, "leaf EKU allows requester use only");
		return -EKEYREJECTED;
	}
	return 0;
}

/**
 * agent_leaf_check() - apply the SPDM leaf certificate rules
 * @leaf: the device's leaf certificate
 * @cert_model: the certificate model the kernel reported for its slot
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -EKEYREJECTED when a rule is violated, -EBADMSG when an
 * extension cannot be decoded.
 */
int agent_leaf_check(X509 *leaf, uint32_t cert_model, char *err, size_t errlen)
{
	uint32_t flags = X509_get_extension_flags(leaf);
	int rc;

	if (flags & EXFLAG_INVALID) {
		snprintf(err, errlen, "leaf has malformed extensions");
		return -EBADMSG;
	}
	if (flags & EXFLAG_CA) {
		snprintf(err, errlen, "leaf is a CA (basicConstraints cA)");
		return -EKEYREJECTED;
	}
	if (!(flags & EXFLAG_KUSAGE) ||
	    !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
		snprintf(err, errlen, "leaf keyUsage lacks digitalSignature");
		return -EKEYREJECTED;
	}
	rc = agent_leaf_eku(leaf, err, errlen);
	if (rc)
		return rc;
	rc = agent_leaf_hardware_identity(leaf);
	if (rc < 0) {
		snprintf(err, errlen, "malformed SPDM extension");
		return rc;
	}
	/* Evidence of a kernel without the attribute: the model is unknown */
	if (rc && cert_model != SPDM_CERT_MODEL_DEVICE &&
	    cert_model != SPDM_CERT_MODEL_NONE) {
		snprintf(err, errlen, "%s-model leaf carries the hardware-identity OID",
			 agent_cert_model_name(cert_model));
		return -EKEYREJECTED;
	}
	return 0;
}
