// SPDX-License-Identifier: GPL-2.0
/*
 * The policy statement naming the vendors' manifests:
 *
 *   reference-values "DIR" [anchors "RIMDIR"]      main file only
 *
 * DIR holds signed CoRIMs, RIMDIR (default "rim.d") the keys that may sign
 * them; both relative to the policy file's directory unless absolute.
 * reference-values.c loads them; spdm-policy(5) documents the statement.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

#define AGENT_RIM_ANCHORS_DEFAULT	"rim.d"

static int agent_rv_error(const struct agent_lexer *lx,
			  const struct agent_token *tok, const char *msg,
			  char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%u:%u: %s", lx->file, tok->line, tok->col, msg);
	return -EINVAL;
}

/* @text relative to @basedir unless absolute, in a new string. */
static int agent_rv_path(const char *basedir, const char *text, char **out)
{
	char path[PATH_MAX];
	int n;

	if (text[0] == '/' || !basedir || !strcmp(basedir, "."))
		n = snprintf(path, sizeof(path), "%s", text);
	else
		n = snprintf(path, sizeof(path), "%s/%s", basedir, text);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	free(*out);
	*out = strdup(path);
	return *out ? 0 : -ENOMEM;
}

static int agent_rv_next(struct agent_lexer *lx, struct agent_token *tok,
			 char *err, size_t errlen)
{
	int ret = agent_lexer_next(lx, tok);

	if (ret == -EINVAL)
		snprintf(err, errlen, "%s", lx->err);
	return ret;
}

/**
 * agent_policy_reference_values() - parse the rest of a reference-values statement
 * @pol: the policy being built
 * @lx: the lexer, just after the keyword
 * @kw: the keyword's token (for its position)
 * @basedir: directory of the policy file, or NULL
 * @err: "file:line:col: message" on error
 * @errlen: size of @err
 *
 * Return: 0, 1 when the statement ended the file, or a negative errno.
 */
int agent_policy_reference_values(struct agent_policy *pol,
				  struct agent_lexer *lx,
				  const struct agent_token *kw,
				  const char *basedir, char *err,
				  size_t errlen)
{
	struct agent_token tok = { 0 };
	int ret, state = 0;	/* 0: DIR, 1: anchors or end, 2: RIMDIR, 3: end */

	if (pol->refval_dir)
		return agent_rv_error(lx, kw, "second 'reference-values'", err,
				      errlen);
	for (;;) {
		ret = agent_rv_next(lx, &tok, err, errlen);
		if (ret)
			return ret;
		if (tok.type == AGENT_TOK_NEWLINE || tok.type == AGENT_TOK_EOF) {
			if (state == 0 || state == 2)
				return agent_rv_error(lx, &tok,
					state ? "expected a quoted directory after 'anchors'" :
					"expected a quoted directory after 'reference-values'",
					err, errlen);
			break;
		}
		if (state == 1 && tok.type == AGENT_TOK_WORD &&
		    !strcmp(tok.text, "anchors")) {
			state = 2;
		} else if ((state == 0 || state == 2) &&
			   tok.type == AGENT_TOK_STRING) {
			ret = agent_rv_path(basedir, tok.text, state ?
					    &pol->refval_anchors : &pol->refval_dir);
			if (ret) {
				agent_token_clear(&tok);
				return ret == -ENOMEM ? ret :
				       agent_rv_error(lx, kw, "path too long",
						      err, errlen);
			}
			state++;
		} else {
			ret = agent_rv_error(lx, &tok, state == 1 ?
				"unexpected text after 'reference-values \"DIR\"' (expected 'anchors \"DIR\"' or the end of the line)" :
				state == 3 ? "unexpected text at end of statement" :
				"expected a quoted directory", err, errlen);
			agent_token_clear(&tok);
			return ret;
		}
		agent_token_clear(&tok);
	}
	if (!pol->refval_anchors) {
		ret = agent_rv_path(basedir, AGENT_RIM_ANCHORS_DEFAULT,
				    &pol->refval_anchors);
		if (ret)
			return ret == -ENOMEM ? ret :
			       agent_rv_error(lx, kw, "path too long", err, errlen);
	}
	return tok.type == AGENT_TOK_EOF ? 1 : 0;
}
