// SPDX-License-Identifier: GPL-2.0
/*
 * The PCIe CMA identity a leaf certificate claims (PCIe Base 6.x §6.31.3):
 * a SubjectAltName otherName of type 2.23.147 whose value reads
 * "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100", compared
 * with the IDs in the device's own configuration space.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "agent.h"

#define AGENT_OID_CMA	"2.23.147"

/**
 * agent_identity_from_cert() - the CMA identity text of a leaf
 * @leaf: the certificate
 * @text: receives the otherName's string value
 * @textlen: size of @text
 *
 * Return: 0, -ENOENT when the leaf has no 2.23.147 otherName, -EBADMSG when
 * it has one that is not a string, holds a NUL or is too long.
 */
int agent_identity_from_cert(X509 *leaf, char *text, size_t textlen)
{
	GENERAL_NAMES *names;
	int ret = -ENOENT, crit = 0;

	names = X509_get_ext_d2i(leaf, NID_subject_alt_name, &crit, NULL);
	if (!names)
		return crit == -1 ? -ENOENT : -EBADMSG;
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
		const ASN1_STRING *s;
		char oid[32];
		int len;

		if (gn->type != GEN_OTHERNAME)
			continue;
		OBJ_obj2txt(oid, sizeof(oid), gn->d.otherName->type_id, 1);
		if (strcmp(oid, AGENT_OID_CMA))
			continue;
		ret = -EBADMSG;
		switch (gn->d.otherName->value->type) {
		case V_ASN1_UTF8STRING:
		case V_ASN1_IA5STRING:
		case V_ASN1_PRINTABLESTRING:
			break;
		default:
			goto out_free;
		}
		s = gn->d.otherName->value->value.asn1_string;
		len = ASN1_STRING_length(s);
		if (len <= 0 || (size_t)len >= textlen ||
		    memchr(ASN1_STRING_get0_data(s), '\0', (size_t)len))
			goto out_free;
		memcpy(text, ASN1_STRING_get0_data(s), (size_t)len);
		text[len] = '\0';
		ret = 0;
		break;
	}
out_free:
	GENERAL_NAMES_free(names);
	return ret;
}

static int agent_identity_field(const char *val, size_t len, unsigned int digits,
				uint32_t *out)
{
	uint32_t x = 0;

	if (len != digits)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = val[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		x = x << 4 | (uint32_t)d;
	}
	*out = x;
	return 0;
}

/**
 * agent_identity_parse() - parse "Vendor=…:Device=…:CC=…:REV=…[:SSVID=…:SSID=…]"
 * @text: the otherName value
 * @id: the parsed identity
 *
 * Each field appears once, in any order, with its exact number of hex
 * digits; SSVID and SSID come together or not at all.
 *
 * Return: 0 or -EINVAL.
 */
int agent_identity_parse(const char *text, struct agent_cma_identity *id)
{
	static const struct {
		const char *key;
		unsigned int digits;
	} fields[] = {
		{ "Vendor", 4 }, { "Device", 4 }, { "CC", 6 }, { "REV", 2 },
		{ "SSVID", 4 }, { "SSID", 4 },
	};
	uint32_t v[6];
	unsigned int seen = 0;
	const char *p = text;

	for (;;) {
		const char *eq = strchr(p, '='), *end = strchr(p, ':');
		size_t i, klen;

		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			return -EINVAL;
		klen = (size_t)(eq - p);
		for (i = 0; i < 6; i++)
			if (strlen(fields[i].key) == klen &&
			    !memcmp(fields[i].key, p, klen))
				break;
		if (i == 6 || seen & (1u << i))
			return -EINVAL;
		if (agent_identity_field(eq + 1, (size_t)(end - eq - 1),
					 fields[i].digits, &v[i]))
			return -EINVAL;
		seen |= 1u << i;
		if (!*end)
			break;
		p = end + 1;
	}
	if ((seen & 0xf) != 0xf || ((seen >> 4) != 0 && (seen >> 4) != 3))
		return -EINVAL;
	id->vendor = (uint16_t)v[0];
	id->device = (uint16_t)v[1];
	id->class = v[2];
	id->revision = (uint8_t)v[3];
	id->has_subsys = seen & 0x10;
	id->subsys_vendor = id->has_subsys ? (uint16_t)v[4] : 0;
	id->subsys_device = id->has_subsys ? (uint16_t)v[5] : 0;
	return 0;
}

/** agent_identity_matches() - whether the claimed identity is the device's */
bool agent_identity_matches(const struct agent_cma_identity *id,
			    const struct agent_pci_ids *ids)
{
	if (id->vendor != ids->vendor || id->device != ids->device ||
	    id->class != ids->class || id->revision != ids->revision)
		return false;
	return !id->has_subsys || (id->subsys_vendor == ids->subsys_vendor &&
				   id->subsys_device == ids->subsys_device);
}
