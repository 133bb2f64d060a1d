// SPDX-License-Identifier: GPL-2.0
/*
 * A policy's life: made by agent_policy_load() (a file and its includes) or
 * agent_policy_parse() (text in memory), freed by agent_policy_free(). The
 * policy owns every file name its rules point at.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-parser.h"

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

/* Keep a copy of every file name so rules can point at it. */
const char *agent_policy_intern(struct agent_policy *pol, const char *name)
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
