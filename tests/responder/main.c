// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-responder: an SPDM responder emulator for testing requesters, e.g.
 * behind QEMU's `-device nvme,spdm_port=N`. One process per connection, so a
 * hanging or crashing exchange never affects the other devices.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"

#ifndef PKI_DEFAULT
#define PKI_DEFAULT "build/pki"
#endif

struct config cfg = {
	.pki = PKI_DEFAULT,
	.caps = CAP_CERT | CAP_CHAL | CAP_MEAS_SIG,
	.ct_exponent = 20,		/* 2^20 us: room for RSA-4096 on a busy host */
	.transfer_size = 0x1200,	/* QEMU's SPDM socket buffer */
	.cert_portion = 0xffff,
	.port = -1,
};

void vlog(const char *fmt, ...)
{
	va_list ap;

	if (!cfg.verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The message's name for the log (libspdm-util's table). */
const char *code_name(u8 code)
{
	const char *name = spdm_code_name(code);

	return name ? name : "UNKNOWN";
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: spdm-responder --port N [options]\n"
"  --port N               listen on 127.0.0.1:N (0: any free port, printed on stdout)\n"
"  --pki DIR              test PKI (tests/pki/README.md), default " PKI_DEFAULT "\n"
"  --versions LIST        offered versions, e.g. 1.0,1.1,1.2,1.3 (default all)\n"
"  --asym LIST            offered signature algorithms in order of preference:\n"
"                         ecp256 ecp384 ecp521 rsa2048 rsa3072 rsa4096\n"
"                         rsapss2048 rsapss3072 rsapss4096 (default ecp256)\n"
"  --hash LIST            offered hashes in order of preference: sha256 sha384 sha512\n"
"  --caps LIST|HEX        capability flags: cert,chal,meas-sig,meas-nosig,alias or a number\n"
"  --multi-key only|neg   1.3 MULTI_KEY_CAP 01b (multi-key only) or 10b, with GET_KEY_PAIR_INFO\n"
"  --key-usage N:MASK     multi-key KeyUsageMask of slot N (default 0x6: challenge, measurements)\n"
"  --cert-model N:MODEL   multi-key CertificateInfo of slot N: device (default), alias, generic\n"
"  --ct-exponent N        CTExponent (default 20)\n"
"  --transfer-size N      DataTransferSize/MaxSPDMmsgSize for 1.2+ (default 4608)\n"
"  --cert-portion N       largest CERTIFICATE portion sent (default 65535)\n"
"  --slot N:ALG|N:DIR     provision slot N (0-7) from PKI algorithm ALG or a directory\n"
"                         holding chain.der and leaf.key (default: slot i = i-th --asym)\n"
"  --switch-identity N:ALG|N:DIR\n"
"                         after N authentications (GET_VERSION) of a connection, slot 0\n"
"                         presents this identity instead: the same function, another device\n"
"  --meas TEXT            add a measurement block (digest of TEXT); repeatable\n"
"  --fault NAME[:MSG][,N] misbehave (see --list-faults); repeatable\n"
"  --list-faults          print the fault catalogue: name, errno a correct requester\n"
"                         returns, what happens\n"
"  -v                     log every message (with the CPU time spent on it)\n"
"  --sign-floor N         print the median CPU time of N bare signatures of 100 bytes\n"
"                         with slot 0's key and the first --hash, then exit (bench baseline)\n");
}

static int parse_list(const char *arg, int (*one)(const char *))
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save))
		ret = one(tok);
	free(copy);
	return ret;
}

static int add_version(const char *v)
{
	if (strlen(v) != 3 || v[0] != '1' || v[1] != '.' || v[2] < '0' || v[2] > '3' ||
	    cfg.nversions >= 4) {
		fprintf(stderr, "bad version '%s'\n", v);
		return -1;
	}
	cfg.versions[cfg.nversions++] = 0x10 | (v[2] - '0');
	return 0;
}

static int add_asym(const char *name)
{
	const struct asym_alg *a = asym_by_name(name);

	if (!a || cfg.nasym >= 8) {
		fprintf(stderr, "bad signature algorithm '%s'\n", name);
		return -1;
	}
	cfg.asym[cfg.nasym++] = a;
	return 0;
}

static int add_hash(const char *name)
{
	const struct hash_alg *h = hash_by_name(name);

	if (!h || cfg.nhash >= 3) {
		fprintf(stderr, "bad hash algorithm '%s'\n", name);
		return -1;
	}
	cfg.hash[cfg.nhash++] = h;
	return 0;
}

static int add_cap(const char *name)
{
	if (!strcmp(name, "cert"))
		cfg.caps |= CAP_CERT;
	else if (!strcmp(name, "chal"))
		cfg.caps |= CAP_CHAL;
	else if (!strcmp(name, "meas-sig"))
		cfg.caps |= CAP_MEAS_SIG;
	else if (!strcmp(name, "meas-nosig"))
		cfg.caps |= CAP_MEAS_NOSIG;
	else if (!strcmp(name, "alias"))
		cfg.caps |= CAP_ALIAS_CERT;
	else
		return fprintf(stderr, "bad capability '%s'\n", name), -1;
	return 0;
}

static int parse_caps(const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 0);

	if (!*end && end != arg) {
		cfg.caps = v;
		return 0;
	}
	cfg.caps = 0;
	return parse_list(arg, add_cap);
}

static const char *slot_spec[NSLOTS];
static const char *switch_spec;

/* Provision @slot from a PKI algorithm name or a directory. */
static int load_slot_spec(struct slot *slot, const char *spec)
{
	const struct asym_alg *a = asym_by_name(spec);
	char dir[4096];
	bool pss = false;

	if (a) {
		snprintf(dir, sizeof(dir), "%s/%s", cfg.pki, a->pki);
		pss = a->pss;
	} else {
		snprintf(dir, sizeof(dir), "%s", spec);
		/* A directory's RSA key signs with PSS when only PSS is offered. */
		for (int j = 0; j < cfg.nasym; j++)
			pss |= cfg.asym[j]->pss;
	}
	return load_slot(slot, dir, pss);
}

static int load_slots(void)
{
	const struct fault *model = fault_on(F_CERT_MODEL, SPDM_GET_CERTIFICATE);
	static char model_dir[4096];

	if (model && !slot_spec[0]) {
		snprintf(model_dir, sizeof(model_dir), "%s/bad/%s", cfg.pki, model->d->chain);
		slot_spec[0] = model_dir;
	}

	if (!slot_spec[0] && !slot_spec[1]) {
		bool any = false;

		for (int i = 1; i < NSLOTS; i++)
			any |= slot_spec[i] != NULL;
		for (int i = 0; !any && i < cfg.nasym && i < NSLOTS; i++)
			slot_spec[i] = cfg.asym[i]->name;
	}
	for (int i = 0; i < NSLOTS; i++)
		if (slot_spec[i] && load_slot_spec(&cfg.slots[i], slot_spec[i]))
			return -1;
	if (switch_spec && load_slot_spec(&cfg.switch_slot, switch_spec))
		return -1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The crypto floor of one signature, with the library and key the responder uses. */
static int sign_floor(int n)
{
	const struct slot *slot = &cfg.slots[0];
	u8 msg[100] = { 0 }, sig[512];
	double *t = calloc(n, sizeof(*t));
	struct timespec a, b;

	if (!t || !slot->present)
		return 2;
	for (int i = 0; i < n; i++) {
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		if (sign_message(slot->key, slot->alg, cfg.hash[0], msg, sizeof(msg), sig))
			return 1;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		t[i] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
	}
	qsort(t, n, sizeof(*t), cmp_double);
	printf("%.0f\n", t[n / 2]);
	free(t);
	return 0;
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&a, &alen)) {
		perror("spdm-responder: listen");
		exit(2);
	}
	if (!port) {
		printf("port %d\n", ntohs(a.sin_port));
		fflush(stdout);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "pki", required_argument, NULL, 'k' },
		{ "versions", required_argument, NULL, 'V' },
		{ "asym", required_argument, NULL, 'a' },
		{ "hash", required_argument, NULL, 'H' },
		{ "caps", required_argument, NULL, 'c' },
		{ "ct-exponent", required_argument, NULL, 'e' },
		{ "transfer-size", required_argument, NULL, 't' },
		{ "cert-portion", required_argument, NULL, 'P' },
		{ "slot", required_argument, NULL, 's' },
		{ "switch-identity", required_argument, NULL, 'S' },
		{ "meas", required_argument, NULL, 'm' },
		{ "fault", required_argument, NULL, 'f' },
		{ "list-faults", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "sign-floor", required_argument, NULL, 'F' },
		{ "multi-key", required_argument, NULL, 'M' },
		{ "key-usage", required_argument, NULL, 'U' },
		{ "cert-model", required_argument, NULL, 'C' },
		{ 0 }
	};
	int c, lfd, conns = 0, floor_n = 0;
	u32 multi_key = 0;
	char *end;
	long n;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cfg.port = strtol(optarg, &end, 0);
			if (*end || cfg.port < 0 || cfg.port > 65535)
				return fprintf(stderr, "bad port '%s'\n", optarg), 2;
			break;
		case 'k':
			cfg.pki = optarg;
			break;
		case 'V':
			if (parse_list(optarg, add_version))
				return 2;
			break;
		case 'a':
			if (parse_list(optarg, add_asym))
				return 2;
			break;
		case 'H':
			if (parse_list(optarg, add_hash))
				return 2;
			break;
		case 'c':
			if (parse_caps(optarg))
				return 2;
			break;
		case 'e':
			cfg.ct_exponent = strtoul(optarg, NULL, 0);
			break;
		case 't':
			n = strtol(optarg, &end, 0);
			if (*end || n < 42)	/* DSP0274 1.2.0 §10.4 MinDataTransferSize */
				return fprintf(stderr, "bad transfer size '%s'\n", optarg), 2;
			cfg.transfer_size = n;
			break;
		case 'P':
			n = strtol(optarg, &end, 0);
			if (*end || n < 1 || n > 0xffff)
				return fprintf(stderr, "bad portion '%s'\n", optarg), 2;
			cfg.cert_portion = n;
			break;
		case 's':
			n = strtol(optarg, &end, 10);
			if (*end != ':' || n < 0 || n >= NSLOTS)
				return fprintf(stderr, "bad slot '%s'\n", optarg), 2;
			slot_spec[n] = end + 1;
			break;
		case 'S':
			n = strtol(optarg, &end, 10);
			if (*end != ':' || n < 1 || n > INT_MAX)
				return fprintf(stderr, "bad identity switch '%s'\n", optarg), 2;
			cfg.switch_after = n;
			switch_spec = end + 1;
			break;
		case 'm':
			if (cfg.nmeas >= MAX_MEAS)
				return fprintf(stderr, "at most %d measurements\n", MAX_MEAS), 2;
			cfg.meas[cfg.nmeas++] = optarg;
			break;
		case 'f':
			if (fault_parse(optarg))
				return 2;
			break;
		case 'l':
			fault_list();
			return 0;
		case 'v':
			cfg.verbose = true;
			break;
		case 'F':
			floor_n = atoi(optarg);
			break;
		case 'M':
			if (!strcmp(optarg, "only"))
				multi_key = CAP_MULTI_KEY_ONLY;
			else if (!strcmp(optarg, "neg"))
				multi_key = CAP_MULTI_KEY_NEG;
			else
				return fprintf(stderr, "bad multi-key '%s'\n", optarg), 2;
			break;
		case 'U':
		case 'C':
			n = strtol(optarg, &end, 10);
			if (*end != ':' || n < 0 || n >= NSLOTS)
				return fprintf(stderr, "bad slot in '%s'\n", optarg), 2;
			if (c == 'U') {
				cfg.key_usage[n] = strtoul(end + 1, &end, 0);
			} else {
				static const char *const models[] = { "device", "alias", "generic" };

				for (size_t i = 0; i < ARRAY_SIZE(models); i++)
					if (!strcmp(end + 1, models[i]))
						cfg.cert_model[n] = i + 1;
				end = cfg.cert_model[n] ? (char *)"" : end;
			}
			if (*end)
				return fprintf(stderr, "bad value in '%s'\n", optarg), 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if ((cfg.port < 0 && !floor_n) || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (multi_key)
		cfg.caps |= multi_key | CAP_GET_KEY_PAIR_INFO;
	if (!cfg.nversions)
		parse_list("1.0,1.1,1.2,1.3", add_version);
	if (!cfg.nasym)
		add_asym("ecp256");
	if (!cfg.nhash)
		parse_list("sha256,sha384,sha512", add_hash);
	if (load_slots())
		return 2;
	if (floor_n)
		return sign_floor(floor_n);

	lfd = listen_on(cfg.port);
	signal(SIGCHLD, SIG_IGN);	/* children are reaped automatically */
	signal(SIGPIPE, SIG_IGN);
	vlog("listening on 127.0.0.1:%d", cfg.port);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		pid_t pid;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("spdm-responder: accept");
			return 1;
		}
		conns++;
		pid = fork();
		if (pid == 0) {
			close(lfd);
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			serve_connection(fd, conns);
			_exit(0);
		}
		if (pid < 0)
			perror("spdm-responder: fork");
		close(fd);
	}
}
