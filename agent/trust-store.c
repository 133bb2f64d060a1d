// SPDX-License-Identifier: GPL-2.0
/*
 * The trust store: a directory the administrator keeps for devices, apart
 * from the system's TLS bundle. Each NAME.pem file is one anchor called
 * NAME; it holds a root, or an intermediate the administrator pins (a
 * chain may then end at that intermediate), or several of them. CRLs sit
 * beside their anchor (revocation.c).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "agent.h"

static int agent_pem_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       !strcmp(d->d_name + n - 4, ".pem");
}

static int agent_anchor_load(struct agent_trust *trust, const char *name,
			     char *err, size_t errlen)
{
	struct agent_anchor *a = &trust->anchors[trust->nanchors];
	char path[PATH_MAX];
	X509 *cert;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", trust->dir, name);
	f = agent_fopen_regular(path, &ret, err, errlen);
	if (!f)
		return ret;
	a->certs = sk_X509_new_null();
	a->name = strndup(name, strlen(name) - 4);
	if (!a->certs || !a->name) {
		fclose(f);
		sk_X509_free(a->certs);
		free(a->name);
		return -ENOMEM;
	}
	trust->nanchors++;	/* owned by the store from here on */
	while ((cert = PEM_read_X509(f, NULL, NULL, NULL))) {
		if (!sk_X509_push(a->certs, cert)) {
			X509_free(cert);
			fclose(f);
			return -ENOMEM;
		}
		if (!X509_STORE_add_cert(trust->store, cert)) {
			fclose(f);
			snprintf(err, errlen, "%s: cannot add certificate", path);
			return -EINVAL;
		}
	}
	fclose(f);
	ERR_clear_error();	/* PEM_read_X509 ends with "no start line" */
	if (!sk_X509_num(a->certs)) {
		snprintf(err, errlen, "%s: no PEM certificate in the file", path);
		return -EINVAL;
	}
	return 0;
}

/**
 * agent_trust_load() - load every NAME.pem of a directory, and its CRLs
 * @dir: the trust store directory
 * @out: the store on success
 * @err: message naming the file on failure
 * @errlen: size of @err
 *
 * An anchor that is not self-signed is a pinned intermediate; partial
 * chains are allowed so a chain may end there. NAME.crl and NAME.*.crl
 * are the CRLs of anchor NAME's hierarchy (agent_trust_load_crls()).
 *
 * A NULL @dir gives an empty store: no chain verifies, and only rules
 * that do not need a verified chain (leaf pins, IDs, states) can match.
 *
 * Return: 0 or a negative errno.
 */
int agent_trust_load(const char *dir, struct agent_trust **out,
		     char *err, size_t errlen)
{
	struct agent_trust *trust;
	struct dirent **list = NULL;
	int n, ret = 0;

	trust = calloc(1, sizeof(*trust));
	if (!trust)
		return -ENOMEM;
	trust->dir = strdup(dir ? dir : "(none)");
	trust->store = X509_STORE_new();
	if (!trust->dir || !trust->store) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (!dir) {
		*out = trust;
		return 0;
	}
	n = scandir(dir, &list, agent_pem_filter, alphasort);
	if (n < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out_free;
	}
	trust->anchors = calloc((size_t)n + 1, sizeof(*trust->anchors));
	if (!trust->anchors)
		ret = -ENOMEM;
	for (int i = 0; i < n; i++) {
		if (!ret)
			ret = agent_anchor_load(trust, list[i]->d_name, err,
						errlen);
		free(list[i]);
	}
	free(list);
	if (!ret)
		ret = agent_trust_load_crls(trust, err, errlen);
	if (ret)
		goto out_free;
	X509_STORE_set_flags(trust->store, X509_V_FLAG_PARTIAL_CHAIN);
	*out = trust;
	return 0;

out_free:
	agent_trust_free(trust);
	return ret;
}

/** agent_trust_free() - release a trust store */
void agent_trust_free(struct agent_trust *trust)
{
	if (!trust)
		return;
	for (size_t i = 0; i < trust->nanchors; i++) {
		sk_X509_pop_free(trust->anchors[i].certs, X509_free);
		free(trust->anchors[i].name);
	}
	free(trust->anchors);
	X509_STORE_free(trust->store);
	free(trust->dir);
	free(trust);
}

/** agent_trust_anchor_of() - name of the anchor holding @cert, or NULL */
const char *agent_trust_anchor_of(const struct agent_trust *trust, X509 *cert)
{
	for (size_t i = 0; i < trust->nanchors; i++) {
		STACK_OF(X509) *certs = trust->anchors[i].certs;

		for (int j = 0; j < sk_X509_num(certs); j++)
			if (!X509_cmp(sk_X509_value(certs, j), cert))
				return trust->anchors[i].name;
	}
	return NULL;
}
