// SPDX-License-Identifier: GPL-2.0
/*
 * X.509 certificates for the SPDM library. The kernel's X.509 parser is
 * private, so certificates go through the asymmetric key type's preparse
 * step, which runs that parser and hands back the public key and the
 * certificate's own signature without creating a key or touching a keyring.
 */
#include <crypto/public_key.h>
#include <keys/asymmetric-subtype.h>
#include <keys/asymmetric-type.h>
#include <linux/export.h>
#include <linux/key-type.h>
#include <linux/slab.h>

#include "env-linux.h"

struct spdm_env_cert {
	struct key_preparsed_payload prep;
	bool has_key_usage;
};

static const struct public_key *cert_key(const struct spdm_env_cert *cert)
{
	return cert->prep.payload.data[asym_crypto];
}

/**
 * spdm_env_cert_free() - free a parsed certificate
 * @cert: from spdm_env_cert_parse(), or NULL
 */
void spdm_env_cert_free(struct spdm_env_cert *cert)
{
	if (!cert)
		return;
	key_type_asymmetric.free_preparse(&cert->prep);
	kfree(cert);
}
EXPORT_SYMBOL_NS_GPL(spdm_env_cert_free, SPDM_ENV_SELFTEST);

/* An X.509 certificate's public key, not some other thing a parser knows. */
static bool cert_is_x509(const struct spdm_env_cert *cert)
{
	const struct public_key *pub = cert_key(cert);

	return cert->prep.payload.data[asym_subtype] == &public_key_subtype &&
	       pub && !pub->key_is_private && pub->id_type &&
	       !strcmp(pub->id_type, "X509");
}

/**
 * spdm_env_cert_parse() - parse one DER certificate
 * @der: the certificate
 * @len: its exact length
 * @out: the parsed certificate, for spdm_env_cert_free()
 *
 * The kernel's parser also verifies a self-signed certificate's signature.
 *
 * Context: process context, may sleep.
 * Return: 0; -EBADMSG when @der is not exactly one well-formed certificate;
 * -EKEYREJECTED for a self-signed certificate whose signature fails or a
 * blacklisted one; -EPROTONOSUPPORT for a key or signature algorithm this
 * kernel does not know; -ENOMEM.
 */
int spdm_env_cert_parse(const u8 *der, size_t len, struct spdm_env_cert **out)
{
	struct spdm_env_cert *cert;
	int ret;

	*out = NULL;
	if (!len)
		return -EBADMSG;
	cert = kzalloc(sizeof(*cert), GFP_KERNEL);
	if (!cert)
		return -ENOMEM;
	ret = spdm_der_cert_scan(der, len, &cert->has_key_usage);
	if (ret)
		goto err;

	cert->prep.data = der;
	cert->prep.datalen = len;
	ret = key_type_asymmetric.preparse(&cert->prep);
	switch (ret) {
	case 0:
		break;
	case -ENOMEM:
	case -EKEYREJECTED:
		goto err;
	case -ENOPKG:
		ret = -EPROTONOSUPPORT;
		goto err;
	default:
		ret = -EBADMSG;
		goto err;
	}
	if (!cert_is_x509(cert)) {
		ret = -EBADMSG;
		goto err;
	}
	*out = cert;
	return 0;

err:
	spdm_env_cert_free(cert);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_cert_parse, SPDM_ENV_SELFTEST);

/**
 * spdm_env_cert_verify_issued_by() - check a certificate's signature
 * @cert: the certificate
 * @issuer: the certificate whose key should have signed it
 *
 * Context: process context, may sleep.
 * Return: 0, -EKEYREJECTED, or -ENOMEM.
 */
int spdm_env_cert_verify_issued_by(const struct spdm_env_cert *cert,
				   const struct spdm_env_cert *issuer)
{
	const struct public_key_signature *sig =
		cert->prep.payload.data[asym_auth];
	int ret;

	/* NULL when the parser did not know the signature algorithm */
	if (!sig)
		return -EKEYREJECTED;
	ret = public_key_verify_signature(cert_key(issuer), sig);
	if (ret == 0 || ret == -ENOMEM)
		return ret;
	return -EKEYREJECTED;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_cert_verify_issued_by, SPDM_ENV_SELFTEST);

/**
 * spdm_env_cert_check_leaf() - apply the SPDM leaf certificate rules
 * @cert: the leaf certificate
 *
 * A leaf must not be a CA and, when keyUsage is present, must allow
 * digitalSignature (DSP0274 1.3, the leaf certificate requirements of
 * the certificate chain format).
 *
 * Return: 0, or -EKEYREJECTED.
 */
int spdm_env_cert_check_leaf(const struct spdm_env_cert *cert)
{
	const struct public_key *pub = cert_key(cert);

	if (test_bit(KEY_EFLAG_CA, &pub->key_eflags))
		return -EKEYREJECTED;
	if (cert->has_key_usage &&
	    !test_bit(KEY_EFLAG_DIGITALSIG, &pub->key_eflags))
		return -EKEYREJECTED;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(spdm_env_cert_check_leaf, SPDM_ENV_SELFTEST);

/**
 * spdm_env_cert_key() - the public key a parsed certificate carries
 * @cert: the certificate
 *
 * The certificate struct is private to this file; spdm_env_verify() in
 * sig.c checks signatures with the key it returns.
 *
 * Return: the key, owned by @cert.
 */
const struct public_key *spdm_env_cert_key(const struct spdm_env_cert *cert)
{
	return cert_key(cert);
}
