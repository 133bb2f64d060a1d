/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy parser's files share: the state of one load, its bounds
 * and the helpers each file needs. Only policy-*.c include this; the rest
 * of the agent sees agent_policy_load() and agent_policy_parse().
 */
#ifndef AGENT_POLICY_PARSER_H
#define AGENT_POLICY_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* policy-parser.c: statements, errors, tokens */
__printf(5, 6) int agent_parse_error(struct agent_parser *p, const char *file,
				     unsigned int line, unsigned int col,
				     const char *fmt, ...);
int agent_parse_error_tok(struct agent_parser *p, const char *file,
			  const struct agent_token *tok, const char *what);
int agent_lex(struct agent_parser *p, struct agent_lexer *lx,
	      struct agent_token *tok);
bool agent_tok_is_value(const struct agent_token *tok);
void *agent_grow(void *arr, size_t n, size_t size);
int agent_parse_buffer(struct agent_parser *p, const char *file,
		       const char *buf, size_t len, const char *basedir);

/* policy-values.c: attributes and their values */
bool agent_attr_lookup(const char *name, enum agent_attr *attr, bool *set_ok);
int agent_parse_keyword(const char *s, const char *const *words, uint32_t *v);
const char *agent_parse_value(enum agent_attr attr, const char *text,
			      struct agent_value *v);
void agent_value_clear(struct agent_value *v);

/* policy-rules.c: allow and deny rules */
int agent_parse_rule(struct agent_parser *p, struct agent_lexer *lx,
		     const char *file, const struct agent_token *first);
void agent_rule_clear(struct agent_rule *r);

/* policy-include.c: files read, includes */
int agent_parse_file(struct agent_parser *p, const char *path,
		     const char *from, unsigned int line, unsigned int col);
int agent_parse_include(struct agent_parser *p, const char *file,
			const struct agent_token *arg, const char *basedir);

/* policy-load.c: a policy's life */
const char *agent_policy_intern(struct agent_policy *pol, const char *name);

#endif /* AGENT_POLICY_PARSER_H */
