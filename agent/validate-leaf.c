// SPDX-License-Identifier: GPL-2.0
/*
 * The SPDM rules for the leaf certificate (DSP0274 1.2.1 §10.6.2 and
 * Annex "Leaf certificate"): it signs, so digitalSignature; it is no CA;
 * and an EKU, when present, must not restrict it to requester use.
 */
#include <errno.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "agent.h"

/* DSP0274 1.2.1 Table "SPDM OIDs": id-DMTF-eku-responder-auth / requester-auth */
#define AGENT_OID_EKU_RESPONDER	"1.3.6.1.4.1.412.274.3"
#define AGENT_OID_EKU_REQUESTER	"1.3.6.1.4.1.412.274.4"

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
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -EKEYREJECTED when a rule is violated, -EBADMSG when an
 * extension cannot be decoded.
 */
int agent_leaf_check(X509 *leaf, char *err, size_t errlen)
{
	uint32_t flags = X509_get_extension_flags(leaf);

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
	return agent_leaf_eku(leaf, err, errlen);
}
