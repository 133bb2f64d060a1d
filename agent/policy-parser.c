// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parser: one statement per line.
 *
 *   default allow|deny                     exactly once, main file only
 *   time-check ignore|warn|enforce         main file only (default: warn)
 *   revocation ignore|warn|enforce         main file only (default: warn)
 *   trust-store "DIR"                      main file only
 *   include "GLOB"                         matching files in order, here
 *   allow|deny [ATTR VALUE | ATTR { VALUE ... }]... [label "TEXT"]
 *
 * The language is documented in man/spdm-policy.5. The first error stops
 * the parse and is reported as "file:line:col: message". This file reads
 * statements; rules are in policy-rules.c, attribute values in
 * policy-values.c, includes and file reading in policy-include.c, and
 * agent_policy_load()/agent_policy_parse() in policy-load.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-parser.h"

/* "file:line:col: message" into the caller's buffer; -EINVAL. */
__printf(5, 6) int agent_parse_error(struct agent_parser *p, const char *file,
				     unsigned int line, unsigned int col,
				     const char *fmt, ...)
{
	char msg[AGENT_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u:%u: %s", file, line, col, msg);
	return -EINVAL;
}

int agent_parse_error_tok(struct agent_parser *p, const char *file,
			  const struct agent_token *tok, const char *what)
{
	return agent_parse_error(p, file, tok->line, tok->col, "%s", what);
}

/* Grow @arr of @n elements of @size, doubling when @n is a power of two. */
void *agent_grow(void *arr, size_t n, size_t size)
{
	/* grow by doubling when n reaches a power of two */
	if (n && (n & (n - 1)))
		return arr;
	return realloc(arr, (n ? n * 2 : 1) * size);
}

bool agent_tok_is_value(const struct agent_token *tok)
{
	return tok->type == AGENT_TOK_WORD || tok->type == AGENT_TOK_STRING;
}

/* The next token; a lexer error becomes the parse error. */
int agent_lex(struct agent_parser *p, struct agent_lexer *lx,
	      struct agent_token *tok)
{
	int ret = agent_lexer_next(lx, tok);

	if (ret == -EINVAL)
		snprintf(p->err, p->errlen, "%s", lx->err);
	return ret;
}

/* Read the single argument of a statement and the end of its line. */
static int agent_parse_arg(struct agent_parser *p, struct agent_lexer *lx,
			   const struct agent_token *kw, bool string_only,
			   struct agent_token *arg)
{
	struct agent_token end;
	int ret;

	ret = agent_lex(p, lx, arg);
	if (ret)
		return ret;
	if (!agent_tok_is_value(arg) ||
	    (string_only && arg->type != AGENT_TOK_STRING)) {
		agent_token_clear(arg);
		return agent_parse_error(p, lx->file, arg->line, arg->col,
			"expected %s after '%s'",
			string_only ? "a quoted path" : "a value", kw->text);
	}
	ret = agent_lex(p, lx, &end);
	if (ret) {
		agent_token_clear(arg);
		return ret;
	}
	if (end.type != AGENT_TOK_NEWLINE && end.type != AGENT_TOK_EOF) {
		agent_token_clear(&end);
		agent_token_clear(arg);
		return agent_parse_error_tok(p, lx->file, &end,
			"unexpected text at end of statement");
	}
	return end.type == AGENT_TOK_EOF ? 1 : 0;
}

static int agent_parse_setting(struct agent_parser *p, struct agent_lexer *lx,
			       const char *file, const struct agent_token *kw,
			       const char *basedir)
{
	static const char *const verdicts[] = { "deny", "allow", NULL };
	static const char *const times[] = { "ignore", "warn", "enforce", NULL };
	struct agent_policy *pol = p->pol;
	struct agent_token arg;
	uint32_t v;
	int eof, ret = 0;

	eof = agent_parse_arg(p, lx, kw, !strcmp(kw->text, "include") ||
			      !strcmp(kw->text, "trust-store"), &arg);
	if (eof < 0)
		return eof;
	if (strcmp(kw->text, "include") && p->depth > 1) {
		ret = agent_parse_error(p, file, kw->line, kw->col,
			"'%s' belongs in the main policy file, not an included one",
			kw->text);
	} else if (!strcmp(kw->text, "include")) {
		ret = agent_parse_include(p, file, &arg, basedir);
	} else if (!strcmp(kw->text, "default")) {
		if (p->default_line)
			ret = agent_parse_error(p, file, kw->line, kw->col,
				"second 'default' (the first is on line %u)",
				p->default_line);
		else if (agent_parse_keyword(arg.text, verdicts, &v))
			ret = agent_parse_error_tok(p, file, &arg,
				"expected 'allow' or 'deny' after 'default'");
		else {
			pol->def = v ? AGENT_ALLOW : AGENT_DENY;
			pol->def_file = file;
			pol->def_line = kw->line;
			pol->def_col = kw->col;
			p->default_line = kw->line;
		}
	} else if (!strcmp(kw->text, "time-check")) {
		if (agent_parse_keyword(arg.text, times, &v))
			ret = agent_parse_error_tok(p, file, &arg,
				"expected ignore, warn or enforce after 'time-check'");
		else
			pol->time = (enum agent_time_mode)v;
	} else if (!strcmp(kw->text, "revocation")) {
		if (agent_parse_keyword(arg.text, times, &v))
			ret = agent_parse_error_tok(p, file, &arg,
				"expected ignore, warn or enforce after 'revocation'");
		else
			pol->revocation = (enum agent_revocation_mode)v;
	} else {	/* trust-store */
		char path[PATH_MAX];
		int n;

		if (arg.text[0] == '/' || !basedir || !strcmp(basedir, "."))
			n = snprintf(path, sizeof(path), "%s", arg.text);
		else
			n = snprintf(path, sizeof(path), "%s/%s", basedir,
				     arg.text);
		free(pol->trust_store);
		pol->trust_store = NULL;
		if (n < 0 || (size_t)n >= sizeof(path))
			ret = agent_parse_error_tok(p, file, &arg,
						    "trust-store path too long");
		else
			pol->trust_store = strdup(path);
		if (!ret && !pol->trust_store)
			ret = -ENOMEM;
	}
	agent_token_clear(&arg);
	return ret ? ret : eof;
}

/* Parse @buf, named @file; includes and trust-store relative to @basedir. */
int agent_parse_buffer(struct agent_parser *p, const char *file,
		       const char *buf, size_t len, const char *basedir)
{
	struct agent_lexer lx;
	struct agent_token tok;
	int ret = 0;

	agent_lexer_init(&lx, file, buf, len);
	for (;;) {
		ret = agent_lex(p, &lx, &tok);
		if (ret || tok.type == AGENT_TOK_EOF)
			break;
		if (tok.type == AGENT_TOK_NEWLINE)
			continue;
		if (tok.type != AGENT_TOK_WORD) {
			agent_token_clear(&tok);
			ret = agent_parse_error_tok(p, file, &tok,
				"expected a statement (allow, deny, default, include, revocation, time-check, trust-store)");
			break;
		}
		if (!strcmp(tok.text, "allow") || !strcmp(tok.text, "deny"))
			ret = agent_parse_rule(p, &lx, file, &tok);
		else if (!strcmp(tok.text, "default") ||
			 !strcmp(tok.text, "include") ||
			 !strcmp(tok.text, "time-check") ||
			 !strcmp(tok.text, "revocation") ||
			 !strcmp(tok.text, "trust-store"))
			ret = agent_parse_setting(p, &lx, file, &tok, basedir);
		else
			ret = agent_parse_error(p, file, tok.line, tok.col,
				"unknown statement '%s' (expected allow, deny, default, include, revocation, time-check or trust-store)",
				tok.text);
		agent_token_clear(&tok);
		if (ret)
			break;
	}
	if (ret == 1)	/* the statement ended at end of file */
		ret = 0;
	if (!ret && p->depth <= 1 && !p->default_line) {
		ret = agent_parse_error(p, file, lx.line, lx.col,
			"no 'default allow' or 'default deny' in the main policy file");
	}
	return ret;
}
