// SPDX-License-Identifier: GPL-2.0
/*
 * spdmsnoop: one line per SPDM request/response exchange, from the
 * spdm:spdm_exchange tracepoint.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "spdm_util.h"
#include "spdmsnoop.h"
#include "spdmsnoop.skel.h"

static struct spdmsnoop_env {
	struct spdm_opts opts;
	bool filter_req;
	__u8 req;
	bool failed_only;
	bool json;
} env;

static __u64 start_ns;

const char *argp_program_version = "spdmsnoop " PACKAGE_VERSION;
static const char doc[] =
"Trace SPDM request/response exchanges, one line each.\n"
"\n"
"USAGE: spdmsnoop [-d BDF] [-m MESSAGE] [-x] [-j] [-T] [-v]\n"
"\n"
"EXAMPLES:\n"
"    spdmsnoop                     # every exchange of every device\n"
"    spdmsnoop -d 0000:01:00.0     # only this PCI function\n"
"    spdmsnoop -m CHALLENGE        # only CHALLENGE (or -m CHALLENGE_AUTH, -m 0x83)\n"
"    spdmsnoop -x                  # only exchanges that failed\n"
"    spdmsnoop -j                  # JSON, one object per line\n";

static const struct argp_option opts[] = {
	{ "device", 'd', "BDF", 0, "Only this PCI function (0000:01:00.0 or 01:00.0)" },
	{ "message", 'm', "MESSAGE", 0,
	  "Only this request: request or response name, or request code" },
	{ "failed", 'x', NULL, 0, "Only exchanges that failed" },
	{ "json", 'j', NULL, 0, "Print JSON lines" },
	{ "classic", 'T', NULL, 0, "Use the classic tracepoint even where tp_btf works" },
	{ "verbose", 'v', NULL, 0, "Print libbpf debug output" },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help" },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'm':
		if (spdm_parse_message(arg, &env.req))
			argp_error(state, "not an SPDM request: %s", arg);
		env.filter_req = true;
		break;
	case 'x':
		env.failed_only = true;
		break;
	case 'j':
		env.json = true;
		break;
	default:
		return spdm_parse_opt(key, arg, state, &env.opts);
	}
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Device names are kernel device names; escape anyway, the output is JSON. */
static void print_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct spdmsnoop_event *e = data;
	const char *req_name = spdm_req_name(e->req_code);
	const char *rsp_name = spdm_rsp_name(e->rsp_code);
	char req_buf[8], rsp_buf[8];
	double t = (e->ts_ns - start_ns) / 1e9;

	if (size < sizeof(*e))
		return 0;
	if (env.json) {
		printf("{\"time\":%.6f,\"device\":", t);
		print_json_str(e->dev);
		printf(",\"key\":%u,\"req_code\":%u,\"request\":\"%s\",\"rsp_code\":%u,"
		       "\"response\":\"%s\",\"req_len\":%u,\"rsp_len\":%u,"
		       "\"latency_ns\":%llu,\"result\":%d,\"error\":\"%s\"}\n",
		       e->key, e->req_code, spdm_msg_str(req_name, e->req_code, req_buf,
							 sizeof(req_buf)),
		       e->rsp_code, spdm_msg_str(rsp_name, e->rsp_code, rsp_buf, sizeof(rsp_buf)),
		       e->req_len, e->rsp_len, (unsigned long long)e->duration_ns, e->result,
		       spdm_errno_name(e->result));
	} else {
		printf("%-10.6f %-13s %-20s -> %-14s %5u %5u %10.1f %d%s%s\n", t, e->dev,
		       spdm_msg_str(req_name, e->req_code, req_buf, sizeof(req_buf)),
		       spdm_msg_str(rsp_name, e->rsp_code, rsp_buf, sizeof(rsp_buf)),
		       e->req_len, e->rsp_len, e->duration_ns / 1e3, e->result,
		       e->result ? " " : "", spdm_errno_name(e->result));
	}
	fflush(stdout);
	return 0;
}

static void *spdmsnoop_open(struct bpf_object_skeleton **skel)
{
	struct spdmsnoop_bpf *obj = spdmsnoop_bpf__open();

	if (obj) {
		obj->rodata->filter_key = env.opts.filter_key;
		obj->rodata->targ_key = env.opts.key;
		obj->rodata->filter_req = env.filter_req;
		obj->rodata->targ_req = env.req;
		obj->rodata->failed_only = env.failed_only;
		*skel = obj->skeleton;
	}
	return obj;
}

static void spdmsnoop_destroy(void *obj)
{
	spdmsnoop_bpf__destroy(obj);
}

static const struct spdm_tool spdmsnoop_tool = {
	.name = "spdmsnoop",
	.target = "spdm:spdm_exchange",
	.classic = "classic tracepoint",
	.open = spdmsnoop_open,
	.destroy = spdmsnoop_destroy,
};

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = doc };
	struct ring_buffer *rb = NULL;
	struct spdmsnoop_bpf *obj;
	bool btf;
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return err;
	obj = spdm_tool_attach(&spdmsnoop_tool, &env.opts, &btf);
	if (!obj)
		return 1;

	rb = ring_buffer__new(bpf_map__fd(obj->maps.events), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "spdmsnoop: ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}

	start_ns = now_ns();
	fprintf(stderr, "Tracing SPDM exchanges (%s)... Hit Ctrl-C to end.\n",
		btf ? "tp_btf" : "tracepoint");
	if (!env.json)
		printf("%-10s %-13s %-20s    %-14s %5s %5s %10s %s\n", "TIME(s)", "DEVICE",
		       "REQUEST", "RESPONSE", "REQ", "RSP", "LAT(us)", "RESULT");
	fflush(stdout);

	while (!spdm_exiting) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "spdmsnoop: polling the ring buffer: %s\n", strerror(-err));
			goto cleanup;
		}
		err = 0;
	}
	/* What arrived before the signal still counts. */
	ring_buffer__consume(rb);
	if (obj->bss->lost)
		fprintf(stderr, "spdmsnoop: %llu exchanges lost (ring buffer full)\n",
			(unsigned long long)obj->bss->lost);

cleanup:
	ring_buffer__free(rb);
	spdmsnoop_bpf__destroy(obj);
	return err != 0;
}
