// SPDX-License-Identifier: GPL-2.0
/*
 * Policy lexer: turns a policy file into words, quoted strings, braces and
 * newlines. A rule is one line; a backslash at the end of a line continues
 * it, `#` starts a comment. Positions are 1-based line and byte column.
 * No control byte but tab, CR and LF may appear anywhere, comments and
 * strings included: a NUL or an escape sequence would hide text from the
 * administrator reading the file, or reach a log or terminal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

/* Characters a bare word may contain: IDs, names, globs, versions, paths. */
static bool agent_lexer_is_word(unsigned char c)
{
	/* c != 0: strchr() would match the terminator */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_.:-/*?+=[]", c));
}

/* Control bytes, but tab (a blank), CR (of CRLF) and LF (the end of a line). */
static bool agent_lexer_is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

/**
 * agent_lexer_init() - start lexing a buffer
 * @lx: lexer state
 * @file: name used in error messages
 * @buf: policy text (need not be NUL-terminated)
 * @len: its length
 */
void agent_lexer_init(struct agent_lexer *lx, const char *file,
		      const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
}

/** agent_token_clear() - free a token's text */
void agent_token_clear(struct agent_token *tok)
{
	free(tok->text);
	tok->text = NULL;
	tok->len = 0;
}

static void agent_lexer_advance(struct agent_lexer *lx)
{
	if (lx->buf[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static int agent_lexer_error(struct agent_lexer *lx, struct agent_token *tok,
			     const char *msg)
{
	snprintf(lx->err, sizeof(lx->err), "%s:%u:%u: %s", lx->file,
		 tok->line, tok->col, msg);
	tok->type = AGENT_TOK_ERROR;
	return -EINVAL;
}

/* A control byte at the current position, @where it was found. */
static int agent_lexer_control_error(struct agent_lexer *lx,
				     struct agent_token *tok, const char *where)
{
	char msg[64];

	tok->line = lx->line;
	tok->col = lx->col;
	snprintf(msg, sizeof(msg), "unexpected byte 0x%02x%s",
		 (unsigned char)lx->buf[lx->pos], where);
	return agent_lexer_error(lx, tok, msg);
}

/*
 * Skip blanks, comments and backslash-newline continuations. Return: 0, or
 * -EINVAL at a control byte inside a comment.
 */
static int agent_lexer_skip(struct agent_lexer *lx, struct agent_token *tok)
{
	while (lx->pos < lx->len) {
		char c = lx->buf[lx->pos];

		if (c == ' ' || c == '\t' || c == '\r') {
			agent_lexer_advance(lx);
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->buf[lx->pos] != '\n') {
				if (agent_lexer_is_control(lx->buf[lx->pos]))
					return agent_lexer_control_error(lx, tok,
							" in a comment");
				agent_lexer_advance(lx);
			}
		} else if (c == '\\' && lx->pos + 1 < lx->len &&
			   lx->buf[lx->pos + 1] == '\n') {
			agent_lexer_advance(lx);
			agent_lexer_advance(lx);
		} else {
			break;
		}
	}
	return 0;
}

static int agent_lexer_string(struct agent_lexer *lx, struct agent_token *tok)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	if (!s)
		return -ENOMEM;
	agent_lexer_advance(lx);	/* opening quote */
	for (;;) {
		char c;

		if (lx->pos >= lx->len || lx->buf[lx->pos] == '\n') {
			free(s);
			return agent_lexer_error(lx, tok, "unterminated string");
		}
		c = lx->buf[lx->pos];
		if (c == '"') {
			agent_lexer_advance(lx);
			break;
		}
		if (agent_lexer_is_control(c) || c == '\r') {
			free(s);
			return agent_lexer_control_error(lx, tok,
							 " inside a string");
		}
		if (c == '\\') {
			agent_lexer_advance(lx);
			if (lx->pos >= lx->len || lx->buf[lx->pos] == '\n') {
				free(s);
				return agent_lexer_error(lx, tok,
							 "unterminated string");
			}
			c = lx->buf[lx->pos];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c != '"' && c != '\\') {
				free(s);
				return agent_lexer_error(lx, tok,
					"unknown escape in string (use \\\" \\\\ \\n \\t)");
			}
		}
		if (n + 1 >= cap) {
			char *t = realloc(s, cap * 2);

			if (!t) {
				free(s);
				return -ENOMEM;
			}
			s = t;
			cap *= 2;
		}
		s[n++] = c;
		agent_lexer_advance(lx);
	}
	s[n] = '\0';
	tok->type = AGENT_TOK_STRING;
	tok->text = s;
	tok->len = n;
	return 0;
}

/**
 * agent_lexer_next() - read the next token
 * @lx: lexer state
 * @tok: filled with the token; WORD and STRING carry an allocated @text
 *
 * Return: 0, -EINVAL with @tok->type AGENT_TOK_ERROR and the message in
 * @lx->err (already prefixed with file:line:col), or -ENOMEM.
 */
int agent_lexer_next(struct agent_lexer *lx, struct agent_token *tok)
{
	unsigned char c;
	size_t start;

	memset(tok, 0, sizeof(*tok));
	if (agent_lexer_skip(lx, tok))
		return -EINVAL;
	tok->line = lx->line;
	tok->col = lx->col;
	if (lx->pos >= lx->len) {
		tok->type = AGENT_TOK_EOF;
		return 0;
	}
	c = lx->buf[lx->pos];
	switch (c) {
	case '\n':
		agent_lexer_advance(lx);
		tok->type = AGENT_TOK_NEWLINE;
		return 0;
	case '{':
		agent_lexer_advance(lx);
		tok->type = AGENT_TOK_LBRACE;
		return 0;
	case '}':
		agent_lexer_advance(lx);
		tok->type = AGENT_TOK_RBRACE;
		return 0;
	case '"':
		return agent_lexer_string(lx, tok);
	}
	if (!agent_lexer_is_word(c)) {
		char msg[64];

		if (c >= 0x20 && c < 0x7f)
			snprintf(msg, sizeof(msg), "unexpected character '%c'", c);
		else
			snprintf(msg, sizeof(msg),
				 "unexpected byte 0x%02x", c);
		return agent_lexer_error(lx, tok, msg);
	}
	start = lx->pos;
	while (lx->pos < lx->len &&
	       agent_lexer_is_word((unsigned char)lx->buf[lx->pos]))
		agent_lexer_advance(lx);
	tok->len = lx->pos - start;
	tok->text = strndup(lx->buf + start, tok->len);
	if (!tok->text)
		return -ENOMEM;
	tok->type = AGENT_TOK_WORD;
	return 0;
}
