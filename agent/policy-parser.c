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
 * the parse and is reported as "file:line:col: message".
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"

/*
 * Bounds on what one load reads, so includes cannot fan out without end
 * (depth alone allows 4^16 files with four files per level): documented in
 * spdm-policy(5).
 */
#define AGENT_INCLUDE_DEPTH	16
#define AGENT_POLICY_MAX	(4u << 20)	/* bytes per policy file */
#define AGENT_POLICY_FILES_MAX	1024		/* files per load */
#define AGENT_POLICY_TOTAL_MAX	(16u << 20)	/* bytes per load */
#define AGENT_POLICY_RULES_MAX	65536		/* rules per load */

struct agent_parser {
	struct agent_policy *pol;
	char *err;
	size_t errlen;
	char *stack[AGENT_INCLUDE_DEPTH];	/* real paths being read */
	size_t depth;
	unsigned int default_line;
	size_t files_read;		/* against AGENT_POLICY_FILES_MAX */
	size_t bytes_read;		/* against AGENT_POLICY_TOTAL_MAX */
};

static const struct {
	const char *name;
	enum agent_attr attr;
	bool set_ok;			/* accepts { a b c } */
} agent_attrs[] = {
	{ "vendor",		AGENT_ATTR_VENDOR,	 true },
	{ "device",		AGENT_ATTR_DEVICE,	 true },
	{ "id",			AGENT_ATTR_ID,		 true },
	{ "subsystem",		AGENT_ATTR_SUBSYSTEM,	 true },
	{ "class",		AGENT_ATTR_CLASS,	 true },
	{ "address",		AGENT_ATTR_ADDRESS,	 true },
	{ "state",		AGENT_ATTR_STATE,	 true },
	{ "verified",		AGENT_ATTR_VERIFIED,	 false },
	{ "anchor",		AGENT_ATTR_ANCHOR,	 true },
	{ "leaf-fingerprint",	AGENT_ATTR_LEAF_FP,	 true },
	{ "root-fingerprint",	AGENT_ATTR_ROOT_FP,	 true },
	{ "subject",		AGENT_ATTR_SUBJECT,	 true },
	{ "issuer",		AGENT_ATTR_ISSUER,	 true },
	{ "cma-identity",	AGENT_ATTR_CMA_IDENTITY, true },
	{ "min-version",	AGENT_ATTR_MIN_VERSION,	 false },
	{ "min-strength",	AGENT_ATTR_MIN_STRENGTH, false },
	{ "measurement",	AGENT_ATTR_MEASUREMENT,	 true },
	{ "revoked",		AGENT_ATTR_REVOKED,	 true },
};

/** agent_attr_name() - the policy keyword of an attribute */
const char *agent_attr_name(enum agent_attr attr)
{
	for (size_t i = 0; i < ARRAY_SIZE(agent_attrs); i++)
		if (agent_attrs[i].attr == attr)
			return agent_attrs[i].name;
	return "?";
}

static __printf(5, 6) int agent_parse_error(struct agent_parser *p, const char *file,
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

static int agent_parse_error_tok(struct agent_parser *p, const char *file,
				 const struct agent_token *tok, const char *what)
{
	return agent_parse_error(p, file, tok->line, tok->col, "%s", what);
}

/* Hex number of 1..@max digits with an optional 0x prefix. */
static int agent_parse_hex(const char *s, unsigned int max, uint32_t *v,
			   unsigned int *ndigits)
{
	unsigned int n = 0;
	uint32_t x = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (n >= max)
			return -EINVAL;
		x = x << 4 | (uint32_t)d;
	}
	if (!n)
		return -EINVAL;
	*v = x;
	if (ndigits)
		*ndigits = n;
	return 0;
}

/* "VVVV:DDDD", either half may be "*". */
static int agent_parse_pair(const char *s, struct agent_value *v)
{
	const char *colon = strchr(s, ':');
	char left[8];
	uint32_t a = 0, b = 0;

	if (!colon || colon - s >= (long)sizeof(left))
		return -EINVAL;
	memcpy(left, s, colon - s);
	left[colon - s] = '\0';
	v->mask = 0;
	if (strcmp(left, "*")) {
		if (agent_parse_hex(left, 4, &a, NULL))
			return -EINVAL;
		v->mask |= 0xffff0000u;
	}
	if (strcmp(colon + 1, "*")) {
		if (agent_parse_hex(colon + 1, 4, &b, NULL))
			return -EINVAL;
		v->mask |= 0xffffu;
	}
	v->num = a << 16 | b;
	return 0;
}

static int agent_parse_keyword(const char *s, const char *const *words,
			       uint32_t *v)
{
	for (uint32_t i = 0; words[i]; i++) {
		if (!strcmp(s, words[i])) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Parse one value of @attr from @text into @v; returns a message on error. */
static const char *agent_parse_value(enum agent_attr attr, const char *text,
				     struct agent_value *v)
{
	static const char *const states[] = {
		"pending", "authenticated", "failed", "unsupported", NULL
	};
	static const char *const identities[] = {
		"absent", "match", "mismatch", "malformed", NULL
	};
	static const char *const yesno[] = { "no", "yes", NULL };
	static const char *const revoked[] = { "unknown", "no", "yes", NULL };
	unsigned int nd;
	char *end;
	unsigned long n;

	switch (attr) {
	case AGENT_ATTR_VENDOR:
	case AGENT_ATTR_DEVICE:
		v->mask = 0xffff;
		return agent_parse_hex(text, 4, &v->num, NULL) ?
		       "expected a 16-bit hex ID such as 1b36" : NULL;
	case AGENT_ATTR_ID:
	case AGENT_ATTR_SUBSYSTEM:
		return agent_parse_pair(text, v) ?
		       "expected VENDOR:DEVICE in hex, either may be *" : NULL;
	case AGENT_ATTR_CLASS:
		if (agent_parse_hex(text, 6, &v->num, &nd) || nd % 2)
			return "expected 2, 4 or 6 hex digits (base class, subclass, prog-if)";
		v->num <<= 4 * (6 - nd);
		v->mask = 0xffffffu & ~((1u << 4 * (6 - nd)) - 1);
		return NULL;
	case AGENT_ATTR_STATE:
		v->mask = 1;
		return agent_parse_keyword(text, states, &v->num) ?
		       "expected authenticated, failed, unsupported or pending" :
		       NULL;
	case AGENT_ATTR_CMA_IDENTITY:
		return agent_parse_keyword(text, identities, &v->num) ?
		       "expected match, mismatch, absent or malformed" : NULL;
	case AGENT_ATTR_VERIFIED:
		return agent_parse_keyword(text, yesno, &v->num) ?
		       "expected yes or no" : NULL;
	case AGENT_ATTR_REVOKED:
		return agent_parse_keyword(text, revoked, &v->num) ?
		       "expected unknown, no or yes" : NULL;
	case AGENT_ATTR_ADDRESS:
	case AGENT_ATTR_ANCHOR:
	case AGENT_ATTR_SUBJECT:
	case AGENT_ATTR_ISSUER:
		v->str = strdup(text);
		return v->str ? NULL : "out of memory";
	case AGENT_ATTR_LEAF_FP:
	case AGENT_ATTR_ROOT_FP:
		if (!strncmp(text, "sha256:", 7))
			text += 7;
		v->bytes = malloc(AGENT_SHA256_LEN);
		if (!v->bytes)
			return "out of memory";
		if (spdm_unhex(text, v->bytes, AGENT_SHA256_LEN, &v->len) ||
		    v->len != AGENT_SHA256_LEN)
			return "expected sha256:<64 hex digits>";
		return NULL;
	case AGENT_ATTR_MEASUREMENT:
		v->len = strlen(text) / 2 + 1;
		v->bytes = malloc(v->len);
		if (!v->bytes)
			return "out of memory";
		if (spdm_unhex(text, v->bytes, v->len, &v->len) || !v->len)
			return "expected a measurement value in hex";
		return NULL;
	case AGENT_ATTR_MIN_VERSION:
		if (strlen(text) != 3 || text[0] != '1' || text[1] != '.' ||
		    text[2] < '0' || text[2] > '4')
			return "expected an SPDM version 1.0 to 1.4";
		v->num = 0x10 | (uint32_t)(text[2] - '0');
		return NULL;
	case AGENT_ATTR_MIN_STRENGTH:
		errno = 0;
		n = strtoul(text, &end, 10);
		if (errno || *end || end == text || n < 1 || n > 512)
			return "expected a security strength in bits (e.g. 128)";
		v->num = (uint32_t)n;
		return NULL;
	}
	return "unknown attribute";
}

static void agent_value_clear(struct agent_value *v)
{
	free(v->str);
	free(v->bytes);
}

static void agent_rule_clear(struct agent_rule *r)
{
	for (size_t i = 0; i < r->nconds; i++) {
		for (size_t j = 0; j < r->conds[i].nvalues; j++)
			agent_value_clear(&r->conds[i].values[j]);
		free(r->conds[i].values);
	}
	free(r->conds);
	free(r->label);
}

/** agent_policy_free() - release a policy and everything it owns */
void agent_policy_free(struct agent_policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->nrules; i++)
		agent_rule_clear(&pol->rules[i]);
	free(pol->rules);
	for (size_t i = 0; i < pol->nfiles; i++)
		free(pol->files[i]);
	free(pol->files);
	free(pol->trust_store);
	free(pol);
}

static void *agent_grow(void *arr, size_t n, size_t size)
{
	/* grow by doubling when n reaches a power of two */
	if (n && (n & (n - 1)))
		return arr;
	return realloc(arr, (n ? n * 2 : 1) * size);
}

static int agent_cond_add_value(struct agent_parser *p, const char *file,
				struct agent_cond *c,
				const struct agent_token *tok)
{
	struct agent_value *vals, *v;
	const char *msg;

	vals = agent_grow(c->values, c->nvalues, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	c->values = vals;
	v = &vals[c->nvalues];
	memset(v, 0, sizeof(*v));
	msg = agent_parse_value(c->attr, tok->text, v);
	if (msg) {
		agent_value_clear(v);
		return agent_parse_error(p, file, tok->line, tok->col,
					 "invalid %s '%s': %s",
					 agent_attr_name(c->attr), tok->text,
					 msg);
	}
	c->nvalues++;
	return 0;
}

static bool agent_tok_is_value(const struct agent_token *tok)
{
	return tok->type == AGENT_TOK_WORD || tok->type == AGENT_TOK_STRING;
}

static int agent_lex(struct agent_parser *p, struct agent_lexer *lx,
		     struct agent_token *tok)
{
	int ret = agent_lexer_next(lx, tok);

	if (ret == -EINVAL)
		snprintf(p->err, p->errlen, "%s", lx->err);
	return ret;
}

/* After the attribute word: a value, or { value ... }. */
static int agent_parse_cond_values(struct agent_parser *p,
				   struct agent_lexer *lx,
				   const struct agent_token *attr_tok,
				   struct agent_cond *c, bool set_ok)
{
	struct agent_token tok;
	int ret;

	ret = agent_lex(p, lx, &tok);
	if (ret)
		return ret;
	if (agent_tok_is_value(&tok)) {
		ret = agent_cond_add_value(p, lx->file, c, &tok);
		agent_token_clear(&tok);
		return ret;
	}
	if (tok.type != AGENT_TOK_LBRACE)
		return agent_parse_error(p, lx->file, tok.line, tok.col,
					 "expected a value after '%s'",
					 attr_tok->text);
	if (!set_ok)
		return agent_parse_error(p, lx->file, tok.line, tok.col,
					 "'%s' takes a single value, not a set",
					 attr_tok->text);
	for (;;) {
		ret = agent_lex(p, lx, &tok);
		if (ret)
			return ret;
		if (tok.type == AGENT_TOK_RBRACE)
			break;
		if (!agent_tok_is_value(&tok))
			return agent_parse_error_tok(p, lx->file, &tok,
				"unterminated set: expected a value or '}'");
		ret = agent_cond_add_value(p, lx->file, c, &tok);
		agent_token_clear(&tok);
		if (ret)
			return ret;
	}
	if (!c->nvalues)
		return agent_parse_error_tok(p, lx->file, &tok, "empty set");
	return 0;
}

static int agent_parse_measurement_index(struct agent_parser *p,
					 struct agent_lexer *lx,
					 struct agent_cond *c)
{
	struct agent_token tok;
	unsigned long n;
	char *end;
	int ret;

	ret = agent_lex(p, lx, &tok);
	if (ret)
		return ret;
	if (tok.type != AGENT_TOK_WORD) {
		agent_token_clear(&tok);
		return agent_parse_error_tok(p, lx->file, &tok,
			"expected a measurement index (1-254) after 'measurement'");
	}
	n = strtoul(tok.text, &end, 10);
	if (*end || end == tok.text || n < 1 || n > 254) {
		ret = agent_parse_error(p, lx->file, tok.line, tok.col,
			"invalid measurement index '%s': expected 1-254",
			tok.text);
		agent_token_clear(&tok);
		return ret;
	}
	agent_token_clear(&tok);
	c->index = (unsigned int)n;
	return 0;
}

static int agent_parse_rule(struct agent_parser *p, struct agent_lexer *lx,
			    const char *file, const struct agent_token *first)
{
	struct agent_policy *pol = p->pol;
	struct agent_rule rule = {
		.verdict = strcmp(first->text, "allow") ? AGENT_DENY : AGENT_ALLOW,
		.file = file,
		.line = first->line,
		.col = first->col,
	};
	struct agent_token tok = { 0 };
	struct agent_rule *rules;
	int ret;

	for (;;) {
		struct agent_cond *conds;
		size_t i, n = ARRAY_SIZE(agent_attrs);

		agent_token_clear(&tok);
		ret = agent_lex(p, lx, &tok);
		if (ret)
			goto out_err;
		if (tok.type == AGENT_TOK_NEWLINE || tok.type == AGENT_TOK_EOF)
			break;
		if (tok.type != AGENT_TOK_WORD) {
			ret = agent_parse_error_tok(p, file, &tok,
				"expected an attribute or 'label'");
			goto out_err;
		}
		if (!strcmp(tok.text, "label")) {
			struct agent_token val;

			if (rule.label) {
				ret = agent_parse_error_tok(p, file, &tok,
					"rule has two labels");
				goto out_err;
			}
			ret = agent_lex(p, lx, &val);
			if (ret)
				goto out_err;
			if (!agent_tok_is_value(&val)) {
				ret = agent_parse_error_tok(p, file, &val,
					"expected a quoted label after 'label'");
				goto out_err;
			}
			/* the verdict's reason: dmesg, sysfs, audit lines */
			if (strpbrk(val.text, "\n\t")) {
				ret = agent_parse_error_tok(p, file, &val,
					"a label is one line of text: no \\n or \\t");
				agent_token_clear(&val);
				goto out_err;
			}
			rule.label = val.text;
			continue;
		}
		for (i = 0; i < n; i++)
			if (!strcmp(tok.text, agent_attrs[i].name))
				break;
		if (i == n) {
			ret = agent_parse_error(p, file, tok.line, tok.col,
						"unknown attribute '%s'",
						tok.text);
			goto out_err;
		}
		conds = agent_grow(rule.conds, rule.nconds, sizeof(*conds));
		if (!conds) {
			ret = -ENOMEM;
			goto out_err;
		}
		rule.conds = conds;
		memset(&conds[rule.nconds], 0, sizeof(*conds));
		conds[rule.nconds].attr = agent_attrs[i].attr;
		rule.nconds++;
		if (agent_attrs[i].attr == AGENT_ATTR_MEASUREMENT) {
			ret = agent_parse_measurement_index(p, lx,
						&conds[rule.nconds - 1]);
			if (ret)
				goto out_err;
		}
		ret = agent_parse_cond_values(p, lx, &tok,
					      &conds[rule.nconds - 1],
					      agent_attrs[i].set_ok);
		if (ret)
			goto out_err;
	}
	if (pol->nrules == AGENT_POLICY_RULES_MAX) {
		ret = agent_parse_error(p, file, first->line, first->col,
					"more than %u rules",
					AGENT_POLICY_RULES_MAX);
		goto out_err;
	}
	rules = agent_grow(pol->rules, pol->nrules, sizeof(*rules));
	if (!rules) {
		ret = -ENOMEM;
		goto out_err;
	}
	pol->rules = rules;
	pol->rules[pol->nrules++] = rule;
	return tok.type == AGENT_TOK_EOF ? 1 : 0;

out_err:
	agent_token_clear(&tok);
	agent_rule_clear(&rule);
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

static int agent_parse_file(struct agent_parser *p, const char *path,
			    const char *file, unsigned int line,
			    unsigned int col);
static int agent_parse_buffer(struct agent_parser *p, const char *file,
			      const char *buf, size_t len, const char *basedir);

/* glob() has no context pointer; the parser is not used from threads. */
static int agent_glob_errno;

/* A missing directory is an empty policy.d; anything else is an error. */
static int agent_glob_error(const char *path, int err)
{
	(void)path;
	agent_glob_errno = err;
	return err != ENOENT;
}

static bool agent_has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int agent_parse_include(struct agent_parser *p, const char *file,
			       const struct agent_token *arg,
			       const char *basedir)
{
	char pattern[PATH_MAX];
	glob_t g;
	int ret, n;

	if (arg->text[0] == '/' || !basedir || !strcmp(basedir, "."))
		n = snprintf(pattern, sizeof(pattern), "%s", arg->text);
	else
		n = snprintf(pattern, sizeof(pattern), "%s/%s", basedir,
			     arg->text);
	if (n < 0 || (size_t)n >= sizeof(pattern))
		return agent_parse_error_tok(p, file, arg, "include path too long");
	if (!agent_has_glob(arg->text))
		return agent_parse_file(p, pattern, file, arg->line, arg->col);

	agent_glob_errno = 0;
	ret = glob(pattern, 0, agent_glob_error, &g);
	if (ret == GLOB_NOMATCH)
		return 0;	/* an empty policy.d is fine */
	if (ret) {
		globfree(&g);
		return agent_parse_error(p, file, arg->line, arg->col,
					 "cannot read include '%s': %s",
					 arg->text,
					 ret == GLOB_NOSPACE ? "out of memory" :
					 strerror(agent_glob_errno));
	}
	for (size_t i = 0; i < g.gl_pathc && !ret; i++)
		ret = agent_parse_file(p, g.gl_pathv[i], file, arg->line,
				       arg->col);
	globfree(&g);
	return ret;
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

static int agent_parse_buffer(struct agent_parser *p, const char *file,
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

/* Keep a copy of every file name so rules can point at it. */
static const char *agent_policy_intern(struct agent_policy *pol,
				       const char *name)
{
	char **files = agent_grow(pol->files, pol->nfiles, sizeof(*files));

	if (!files)
		return NULL;
	pol->files = files;
	files[pol->nfiles] = strdup(name);
	if (!files[pol->nfiles])
		return NULL;
	return files[pol->nfiles++];
}

static int agent_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = agent_open_regular(path);	/* a FIFO must not block the agent */
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	if ((size_t)st.st_size > AGENT_POLICY_MAX) {
		ret = -EFBIG;
		goto out_close;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;
			free(*buf);
			goto out_close;
		}
		got += (size_t)n;
	}
	*len = got;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

/*
 * Read and parse one file. @from/@line/@col locate the include statement
 * (NULL for the main file) so errors point at it.
 */
static int agent_parse_file(struct agent_parser *p, const char *path,
			    const char *from, unsigned int line,
			    unsigned int col)
{
	char real[PATH_MAX], dir[PATH_MAX];
	const char *name;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (++p->files_read > AGENT_POLICY_FILES_MAX)
		return agent_parse_error(p, from, line, col,
			"more than %u policy files read (include fan-out)",
			AGENT_POLICY_FILES_MAX);
	ret = realpath(path, real) ? agent_read_file(real, &buf, &len) : -errno;
	if (ret) {
		if (!from)
			snprintf(p->err, p->errlen, "%s: cannot read: %s",
				 path, agent_open_strerror(ret));
		else
			agent_parse_error(p, from, line, col,
					  "cannot read include '%s': %s", path,
					  agent_open_strerror(ret));
		return ret;
	}
	p->bytes_read += len;
	if (p->bytes_read > AGENT_POLICY_TOTAL_MAX) {
		free(buf);
		return agent_parse_error(p, from, line, col,
			"more than %u MiB of policy text read (include fan-out)",
			AGENT_POLICY_TOTAL_MAX >> 20);
	}
	for (size_t i = 0; i < p->depth; i++) {
		if (p->stack[i] && !strcmp(p->stack[i], real)) {
			free(buf);
			return agent_parse_error(p, from, line, col,
				"include loop: '%s' is already being read",
				path);
		}
	}
	if (p->depth == AGENT_INCLUDE_DEPTH) {
		free(buf);
		return agent_parse_error(p, from, line, col,
					 "includes nested deeper than %d",
					 AGENT_INCLUDE_DEPTH);
	}
	name = agent_policy_intern(p->pol, path);
	if (!name) {
		free(buf);
		return -ENOMEM;
	}
	p->stack[p->depth++] = strdup(real);
	if (!p->stack[p->depth - 1]) {
		p->depth--;
		free(buf);
		return -ENOMEM;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	ret = agent_parse_buffer(p, name, buf, len, dirname(dir));
	free(p->stack[--p->depth]);
	free(buf);
	return ret;
}

static struct agent_policy *agent_policy_new(void)
{
	struct agent_policy *pol = calloc(1, sizeof(*pol));

	if (pol) {
		pol->def = AGENT_DENY;
		pol->time = AGENT_TIME_WARN;
		pol->revocation = AGENT_REVOCATION_WARN;
	}
	return pol;
}

static int agent_policy_finish(int ret, struct agent_policy *pol,
			       struct agent_policy **out, char *err,
			       size_t errlen)
{
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret) {
		agent_policy_free(pol);
		return ret;
	}
	*out = pol;
	return 0;
}

/**
 * agent_policy_load() - read and parse a policy file and its includes
 * @path: the main policy file
 * @out: the parsed policy on success
 * @err: "file:line:col: message" on failure
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL on a syntax error, or the errno of a file that could
 * not be read.
 */
int agent_policy_load(const char *path, struct agent_policy **out,
		      char *err, size_t errlen)
{
	struct agent_parser p = { .err = err, .errlen = errlen };
	int ret;

	p.pol = agent_policy_new();
	if (!p.pol)
		return agent_policy_finish(-ENOMEM, NULL, out, err, errlen);
	ret = agent_parse_file(&p, path, NULL, 0, 0);
	return agent_policy_finish(ret, p.pol, out, err, errlen);
}

/**
 * agent_policy_parse() - parse a policy held in memory
 * @name: file name used in messages and rule locations
 * @buf: policy text
 * @len: its length
 * @basedir: directory includes and trust-store are relative to, or NULL
 * @out: the parsed policy on success
 * @err: "file:line:col: message" on failure
 * @errlen: size of @err
 *
 * Return: 0 or a negative errno.
 */
int agent_policy_parse(const char *name, const char *buf, size_t len,
		       const char *basedir, struct agent_policy **out,
		       char *err, size_t errlen)
{
	struct agent_parser p = { .err = err, .errlen = errlen };
	const char *file;
	int ret;

	p.pol = agent_policy_new();
	if (!p.pol)
		return agent_policy_finish(-ENOMEM, NULL, out, err, errlen);
	file = agent_policy_intern(p.pol, name);
	if (!file)
		return agent_policy_finish(-ENOMEM, p.pol, out, err, errlen);
	p.depth = 1;	/* the buffer is the main file; includes nest below */
	p.stack[0] = NULL;
	ret = agent_parse_buffer(&p, file, buf, len, basedir);
	return agent_policy_finish(ret, p.pol, out, err, errlen);
}
