// SPDX-License-Identifier: GPL-2.0
/*
 * Policy rules: allow|deny, then attributes each with a value or a { set },
 * an optional label; a rule ends at the end of its line. The rules of a
 * load are capped (AGENT_POLICY_RULES_MAX).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy-parser.h"

/* Free what a rule owns (not the rule itself). */
void agent_rule_clear(struct agent_rule *r)
{
	for (size_t i = 0; i < r->nconds; i++) {
		for (size_t j = 0; j < r->conds[i].nvalues; j++)
			agent_value_clear(&r->conds[i].values[j]);
		free(r->conds[i].values);
	}
	free(r->conds);
	free(r->label);
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

/* A rule after its allow/deny word @first; 1 when it ended at end of file. */
int agent_parse_rule(struct agent_parser *p, struct agent_lexer *lx,
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
		enum agent_attr attr;
		bool set_ok;

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
		if (!agent_attr_lookup(tok.text, &attr, &set_ok)) {
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
		conds[rule.nconds].attr = attr;
		rule.nconds++;
		if (attr == AGENT_ATTR_MEASUREMENT) {
			ret = agent_parse_measurement_index(p, lx,
						&conds[rule.nconds - 1]);
			if (ret)
				goto out_err;
		}
		ret = agent_parse_cond_values(p, lx, &tok,
					      &conds[rule.nconds - 1],
					      set_ok);
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
