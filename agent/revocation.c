// SPDX-License-Identifier: GPL-2.0
/*
 * Revocation: the trust store's CRLs (NAME.crl or NAME.SUFFIX.crl beside
 * the anchor NAME.pem, PEM or DER, several CRLs per file allowed) and what
 * OpenSSL's CRL check of every certificate of a chain found. The check is
 * OpenSSL's own (X509_V_FLAG_CRL_CHECK_ALL); this file loads the CRLs,
 * turns the verifier's CRL errors into a status the policy and the audit
 * record read, and decides, per revocation mode, whether they fail the
 * chain.
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

static const char *const agent_revoked_names[] = {
	[AGENT_REVOKED_NO] = "no",
	[AGENT_REVOKED_YES] = "yes",
	[AGENT_REVOKED_UNKNOWN] = "unknown",
};

/** agent_revoked_name() - the policy keyword of a revocation status */
const char *agent_revoked_name(enum agent_revoked r)
{
	return (unsigned int)r < ARRAY_SIZE(agent_revoked_names) ?
	       agent_revoked_names[r] : "?";
}

static int agent_crl_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       !strcmp(d->d_name + n - 4, ".crl");
}

/* The anchor a CRL file belongs to: "NAME.crl" or "NAME.anything.crl". */
static bool agent_crl_has_anchor(const struct agent_trust *trust,
				 const char *file)
{
	size_t n = strcspn(file, ".");

	for (size_t i = 0; i < trust->nanchors; i++)
		if (strlen(trust->anchors[i].name) == n &&
		    !strncmp(trust->anchors[i].name, file, n))
			return true;
	return false;
}

static int agent_crl_add(struct agent_trust *trust, X509_CRL *crl,
			 const char *path, char *err, size_t errlen)
{
	int ok = X509_STORE_add_crl(trust->store, crl);

	X509_CRL_free(crl);
	if (!ok) {
		snprintf(err, errlen, "%s: cannot add CRL", path);
		return -EINVAL;
	}
	trust->ncrls++;
	return 0;
}

/* Every CRL of one file: PEM (one or more), else one DER CRL. */
static int agent_crl_file_load(struct agent_trust *trust, const char *name,
			       char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t before = trust->ncrls;
	X509_CRL *crl;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", trust->dir, name);
	if (!agent_crl_has_anchor(trust, name)) {
		snprintf(err, errlen,
			 "%s: no anchor for this CRL (NAME.crl or NAME.SUFFIX.crl belongs to NAME.pem)",
			 path);
		return -EINVAL;
	}
	f = agent_fopen_regular(path, &ret, err, errlen);
	if (!f)
		return ret;
	while (!ret && (crl = PEM_read_X509_CRL(f, NULL, NULL, NULL)))
		ret = agent_crl_add(trust, crl, path, err, errlen);
	ERR_clear_error();	/* the PEM loop ends with "no start line" */
	if (!ret && trust->ncrls == before) {
		rewind(f);
		crl = d2i_X509_CRL_fp(f, NULL);
		ERR_clear_error();
		if (crl)
			ret = agent_crl_add(trust, crl, path, err, errlen);
		else {
			snprintf(err, errlen, "%s: no CRL in the file (PEM or DER)",
				 path);
			ret = -EINVAL;
		}
	}
	fclose(f);
	return ret;
}

/**
 * agent_trust_load_crls() - add the CRLs of a trust store directory
 * @trust: the store, anchors loaded
 * @err: message naming the file on failure
 * @errlen: size of @err
 *
 * A CRL file whose name names no anchor is an error: a misnamed file
 * would otherwise revoke nothing without a word.
 *
 * Return: 0 or a negative errno.
 */
int agent_trust_load_crls(struct agent_trust *trust, char *err, size_t errlen)
{
	struct dirent **list = NULL;
	int n, ret = 0;

	n = scandir(trust->dir, &list, agent_crl_filter, alphasort);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", trust->dir, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		if (!ret)
			ret = agent_crl_file_load(trust, list[i]->d_name, err,
						  errlen);
		free(list[i]);
	}
	free(list);
	return ret;
}

/* Is @e one of the verifier's CRL errors, and is it "revoked"? */
static bool agent_is_crl_error(int e)
{
	switch (e) {
	case X509_V_ERR_CERT_REVOKED:
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
	case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
	case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
		return true;
	}
	return false;
}

static const char *agent_crl_problem(int e)
{
	switch (e) {
	case X509_V_ERR_CERT_REVOKED:
		return "certificate revoked";
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		return "no CRL from its issuer in the trust store";
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
		return "the CRL's issuer is not in the chain";
	case X509_V_ERR_CRL_HAS_EXPIRED:
		return "CRL stale (past its nextUpdate)";
	case X509_V_ERR_CRL_NOT_YET_VALID:
		return "CRL not yet valid (lastUpdate in the future)";
	}
	return X509_verify_cert_error_string(e);
}

/**
 * agent_revocation_start() - the status before the check runs
 * @mode: the policy's revocation mode
 * @val: revoked and revocation_error are set
 */
void agent_revocation_start(enum agent_revocation_mode mode,
			    struct agent_validation *val)
{
	val->revocation_error[0] = '\0';
	if (mode == AGENT_REVOCATION_IGNORE) {
		val->revoked = AGENT_REVOKED_UNKNOWN;
		snprintf(val->revocation_error, sizeof(val->revocation_error),
			 "not checked: revocation ignore");
	} else {
		val->revoked = AGENT_REVOKED_NO;
	}
}

/**
 * agent_revocation_verify_flags() - what X509_verify_cert() must check
 * @mode: the policy's revocation mode
 *
 * Return: the CRL flags for X509_VERIFY_PARAM_set_flags(), 0 for none.
 */
unsigned long agent_revocation_verify_flags(enum agent_revocation_mode mode)
{
	return mode == AGENT_REVOCATION_IGNORE ? 0 :
	       X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
}

/**
 * agent_revocation_verify_cb() - a CRL error of the chain verification
 * @ok: the verifier's verdict on the current check
 * @ctx: the verification
 * @val: revoked and revocation_error record what was found
 *
 * The anchor, the top of the verified path, needs no CRL: it is trusted
 * because the administrator put it in the trust store, and taking it out
 * is its revocation. A CRL that does list it still counts.
 *
 * Every certificate is looked at, whatever the mode, so a revoked
 * intermediate is named even when its leaf's CRL is missing;
 * agent_revocation_fails() then decides.
 *
 * Return: -1 when the current error is not about revocation, else 1 (go on).
 */
int agent_revocation_verify_cb(int ok, X509_STORE_CTX *ctx,
			       struct agent_validation *val)
{
	int e = X509_STORE_CTX_get_error(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	STACK_OF(X509) *path = X509_STORE_CTX_get0_chain(ctx);
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
	char subject[128] = "?";

	if (ok || !agent_is_crl_error(e))
		return -1;
	if (e != X509_V_ERR_CERT_REVOKED && path &&
	    depth == sk_X509_num(path) - 1)
		return 1;
	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), subject,
				  sizeof(subject));
	/* the first revoked certificate is the news; else the first gap */
	if (e == X509_V_ERR_CERT_REVOKED && val->revoked != AGENT_REVOKED_YES) {
		val->revoked = AGENT_REVOKED_YES;
		snprintf(val->revocation_error, sizeof(val->revocation_error),
			 "depth %d (%s): %s", depth, subject,
			 agent_crl_problem(e));
	} else if (val->revoked == AGENT_REVOKED_NO) {
		val->revoked = AGENT_REVOKED_UNKNOWN;
		snprintf(val->revocation_error, sizeof(val->revocation_error),
			 "depth %d (%s): %s", depth, subject,
			 agent_crl_problem(e));
	}
	return 1;
}

/**
 * agent_revocation_fails() - whether what the CRLs said fails the chain
 * @mode: the policy's revocation mode
 * @val: the status after X509_verify_cert()
 *
 * Return: true under enforce when a certificate is revoked or a CRL is
 * missing, stale or unusable.
 */
bool agent_revocation_fails(enum agent_revocation_mode mode,
			    const struct agent_validation *val)
{
	return mode == AGENT_REVOCATION_ENFORCE &&
	       val->revoked != AGENT_REVOKED_NO;
}

/**
 * agent_revocation_finish() - the status once the verification returned
 * @mode: the policy's revocation mode
 * @chain_ok: whether the chain verified
 * @val: revoked and revocation_error
 *
 * A chain that failed for another reason may have failed before its CRLs
 * were looked at: its status is unknown unless a CRL error was recorded.
 */
void agent_revocation_finish(enum agent_revocation_mode mode, bool chain_ok,
			     struct agent_validation *val)
{
	if (mode == AGENT_REVOCATION_IGNORE || chain_ok ||
	    val->revoked != AGENT_REVOKED_NO)
		return;
	val->revoked = AGENT_REVOKED_UNKNOWN;
	snprintf(val->revocation_error, sizeof(val->revocation_error),
		 "not checked: chain not verified");
}

/**
 * agent_revocation_audit() - the revocation fields of an audit record
 * @js: the record, inside its "validation" object
 * @val: the validation
 */
void agent_revocation_audit(struct agent_json *js,
			    const struct agent_validation *val)
{
	agent_json_string(js, "revoked", agent_revoked_name(val->revoked));
	if (val->revocation_error[0])
		agent_json_string(js, "revocation", val->revocation_error);
}
