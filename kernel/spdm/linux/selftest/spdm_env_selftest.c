// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer self-test of the SPDM library's kernel environment. Runs at
 * load time and logs one line per check, "ok NAME" or "not ok NAME (ret)",
 * then "done: P passed, F failed". Checks that need certificates and
 * signatures read them from the directory given as vectors=, made by
 * gen-vectors.sh. Loading fails when a check fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/hex.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/unaligned.h>

#include "env-linux.h"

static char *vectors;
module_param(vectors, charp, 0444);
MODULE_PARM_DESC(vectors, "directory made by gen-vectors.sh");

/* BaseAsymAlgo and BaseHashAlgo bits, DSP0274 1.3 §10.4 */
#define RSASSA_2048	BIT(0)
#define RSAPSS_2048	BIT(1)
#define RSASSA_3072	BIT(2)
#define RSAPSS_3072	BIT(3)
#define ECDSA_P256	BIT(4)
#define RSASSA_4096	BIT(5)
#define RSAPSS_4096	BIT(6)
#define ECDSA_P384	BIT(7)
#define ECDSA_P521	BIT(8)
#define SHA_256		BIT(0)
#define SHA_384		BIT(1)
#define SHA_512		BIT(2)
#define SHA3_256	BIT(3)

static unsigned int passed, failed;

static void check(const char *name, bool ok, long detail)
{
	if (ok) {
		passed++;
		pr_info("ok %s\n", name);
	} else {
		failed++;
		pr_err("not ok %s (%ld)\n", name, detail);
	}
}

static void checkf(bool ok, long detail, const char *fmt, const char *arg)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, arg);
	check(name, ok, detail);
}

struct blob {
	u8 *data;
	size_t len;
};

/* Plain file reads: the vectors are test data, not any kind LSMs police. */
static int load(const char *file, struct blob *b)
{
	struct file *f;
	loff_t pos = 0, size;
	char *path;
	int ret;

	b->data = NULL;
	b->len = 0;
	if (!vectors)
		return -EINVAL;
	path = kasprintf(GFP_KERNEL, "%s/%s", vectors, file);
	if (!path)
		return -ENOMEM;
	f = filp_open(path, O_RDONLY, 0);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	size = i_size_read(file_inode(f));
	ret = -EFBIG;
	if (size <= 0 || size > SZ_64K)
		goto out;
	ret = -ENOMEM;
	b->data = kvmalloc(size, GFP_KERNEL);
	if (!b->data)
		goto out;
	ret = kernel_read(f, b->data, size, &pos) == size ? 0 : -EIO;
	if (ret) {
		kvfree(b->data);
		b->data = NULL;
	} else {
		b->len = size;
	}
out:
	filp_close(f, NULL);
	return ret;
}

static void unload(struct blob *b)
{
	kvfree(b->data);
	b->data = NULL;
}

static void test_memory(void)
{
	u8 *p = spdm_env_zalloc(4096);

	check("zalloc-zeroed", p && !memchr_inv(p, 0, 4096), 0);
	spdm_env_free(p);
	/* larger than the page allocator likes to give contiguously */
	p = spdm_env_zalloc(SZ_1M);
	check("zalloc-1m-zeroed", p && !memchr_inv(p, 0, SZ_1M), 0);
	spdm_env_free_sensitive(p, SZ_1M);
	spdm_env_free(NULL);
	p = spdm_env_zalloc(64);
	if (p)
		memset(p, 0xa5, 64);
	spdm_env_free_sensitive(p, 64);
	spdm_env_free_sensitive(NULL, 0);
	check("free-null", true, 0);
}

static void test_random(void)
{
	u8 a[32], b[32];
	int ra = spdm_env_random(a, sizeof(a));
	int rb = spdm_env_random(b, sizeof(b));

	check("random-differs", !ra && !rb && memcmp(a, b, sizeof(a)), ra ?: rb);
	check("random-nonzero", memchr_inv(a, 0, sizeof(a)), 0);
}

static void test_time(void)
{
	u64 t0 = spdm_env_time_ns(), dt;

	spdm_env_sleep_us(2000);
	dt = spdm_env_time_ns() - t0;
	check("sleep-2ms", dt >= 2000000 && dt < 2000000000ULL, dt / 1000);
}

static void test_log(void)
{
	/* the guest test looks for these lines in the kernel log */
	spdm_env_err(KBUILD_MODNAME, "log check %d", 42);
	spdm_env_err(KBUILD_MODNAME, "log check %s\n", "newline");
	spdm_env_dbg(KBUILD_MODNAME, "debug check %d", 43);
}

static void test_masks(void)
{
	u32 asym = spdm_env_asym_algos(), hash = spdm_env_hash_algos();

	/* everything the Debian 6.12 configuration builds in */
	check("asym-mask", asym == (RSASSA_2048 | RSASSA_3072 | RSASSA_4096 |
				    RSAPSS_2048 | RSAPSS_3072 | RSAPSS_4096 |
				    ECDSA_P256 | ECDSA_P384 | ECDSA_P521), asym);
	check("hash-mask", hash == (SHA_256 | SHA_384 | SHA_512), hash);
}

/* FIPS 180-4 example digests of "abc" and of the empty message */
static const struct {
	const char *name;
	u32 alg;
	const char *abc;
	const char *empty;
} hash_kats[] = {
	{ "sha256", SHA_256,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "sha384", SHA_384,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
	  "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
	},
	{ "sha512", SHA_512,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
	},
};

static void test_hash_one(const char *name, u32 alg, const char *abc_hex,
			  const char *empty_hex)
{
	u8 want[64], got[64];
	size_t size = strlen(abc_hex) / 2;
	struct spdm_env_hash *h;
	int ret;

	checkf(spdm_env_hash_size(alg) == size, spdm_env_hash_size(alg),
	       "%s-size", name);

	if (hex2bin(want, abc_hex, size))
		return;
	memset(got, 0, sizeof(got));
	ret = spdm_env_hash_oneshot(alg, (const u8 *)"abc", 3, got);
	checkf(!ret && !memcmp(got, want, size), ret, "%s-oneshot-abc", name);

	memset(got, 0, sizeof(got));
	h = spdm_env_hash_new(alg);
	ret = h ? spdm_env_hash_update(h, (const u8 *)"a", 1) : -ENOMEM;
	ret = ret ?: spdm_env_hash_update(h, (const u8 *)"", 0);
	ret = ret ?: spdm_env_hash_update(h, (const u8 *)"bc", 2);
	ret = ret ?: spdm_env_hash_final(h, got);
	spdm_env_hash_free(h);
	checkf(!ret && !memcmp(got, want, size), ret, "%s-incremental-abc",
	       name);

	if (hex2bin(want, empty_hex, size))
		return;
	ret = spdm_env_hash_oneshot(alg, NULL, 0, got);
	checkf(!ret && !memcmp(got, want, size), ret, "%s-oneshot-empty", name);
}

static void test_hash(void)
{
	u8 out[64];
	int i;

	for (i = 0; i < ARRAY_SIZE(hash_kats); i++)
		test_hash_one(hash_kats[i].name, hash_kats[i].alg,
			      hash_kats[i].abc, hash_kats[i].empty);

	check("hash-unknown-size", spdm_env_hash_size(SHA3_256) == 0, 0);
	check("hash-unknown-new", !spdm_env_hash_new(SHA3_256), 0);
	check("hash-two-bits-new", !spdm_env_hash_new(SHA_256 | SHA_384), 0);
	check("hash-unknown-oneshot",
	      spdm_env_hash_oneshot(SHA3_256, out, 1, out) == -EPROTONOSUPPORT, 0);
}

static void test_der(void)
{
	u8 raw[132], out[SPDM_ECDSA_DER_MAX], want[40] = {
		0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80,
	};
	int n;

	/* P-256: r = 1 loses its leading zeros, s = 0x80… gains a sign pad */
	memset(raw, 0, 64);
	raw[31] = 0x01;
	raw[32] = 0x80;
	n = spdm_der_ecdsa_sig(raw, 64, out, sizeof(out));
	check("der-p256-minimal", n == sizeof(want) && !memcmp(out, want, n), n);

	/* P-521: 66-byte coordinates need the long length form */
	memset(raw, 0xff, 132);
	raw[0] = 0x01;
	raw[66] = 0x01;
	n = spdm_der_ecdsa_sig(raw, 132, out, sizeof(out));
	check("der-p521-long-form",
	      n == 139 && out[0] == 0x30 && out[1] == 0x81 && out[2] == 136 &&
	      out[3] == 0x02 && out[4] == 66 && out[5] == 0x01 &&
	      out[71] == 0x02 && out[72] == 66, n);

	memset(raw, 0, 64);
	n = spdm_der_ecdsa_sig(raw, 64, out, sizeof(out));
	check("der-zero", n == 8 && out[1] == 6 && out[3] == 1 && out[4] == 0, n);

	check("der-odd-length", spdm_der_ecdsa_sig(raw, 63, out, sizeof(out)) ==
	      -EINVAL, 0);
	check("der-too-long", spdm_der_ecdsa_sig(raw, 134, out, sizeof(out)) ==
	      -EINVAL, 0);
	memset(raw, 0xff, 64);	/* needs 2 + 2 * (2 + 1 + 32) = 72 bytes */
	check("der-small-buffer", spdm_der_ecdsa_sig(raw, 64, out, 71) == -EINVAL,
	      0);
}

static const struct {
	const char *name;
	u32 asym;
	u32 hash;
	u32 other_hash;
} sig_algs[] = {
	{ "p256", ECDSA_P256, SHA_256, SHA_384 },
	{ "p384", ECDSA_P384, SHA_384, SHA_256 },
	{ "p521", ECDSA_P521, SHA_512, SHA_256 },
	{ "rsa2048", RSASSA_2048, SHA_256, SHA_512 },
	{ "rsa3072", RSASSA_3072, SHA_384, SHA_256 },
	{ "rsa4096", RSASSA_4096, SHA_512, SHA_256 },
	{ "rsapss2048", RSAPSS_2048, SHA_256, SHA_512 },
	{ "rsapss3072", RSAPSS_3072, SHA_384, SHA_256 },
	{ "rsapss4096", RSAPSS_4096, SHA_512, SHA_256 },
};

static void test_sig_alg(const char *name, u32 asym, u32 hash, u32 other_hash,
			 const struct blob *msg)
{
	struct spdm_env_cert *cert = NULL;
	struct blob der, sig;
	char file[32];
	u64 t;
	int ret;

	snprintf(file, sizeof(file), "%s.der", name);
	ret = load(file, &der);
	if (!ret) {
		snprintf(file, sizeof(file), "%s.sig", name);
		ret = load(file, &sig);
		if (ret)
			unload(&der);
	}
	checkf(!ret, ret, "%s-vectors", name);
	if (ret)
		return;

	ret = spdm_env_cert_parse(der.data, der.len, &cert);
	checkf(!ret, ret, "%s-parse", name);
	if (ret)
		goto out;

	ret = spdm_env_cert_verify_issued_by(cert, cert);
	checkf(!ret, ret, "%s-self-signed", name);

	t = ktime_get_ns();
	ret = spdm_env_verify(cert, asym, hash, msg->data, msg->len, sig.data,
			      sig.len);
	t = ktime_get_ns() - t;
	checkf(!ret, ret, "%s-verify", name);
	pr_info("%s verify: %llu us\n", name, t / 1000);

	ret = spdm_env_verify(cert, asym, other_hash, msg->data, msg->len,
			      sig.data, sig.len);
	checkf(ret == -EKEYREJECTED, ret, "%s-wrong-hash", name);

	ret = spdm_env_verify(cert, asym, hash, msg->data, msg->len - 1,
			      sig.data, sig.len);
	checkf(ret == -EKEYREJECTED, ret, "%s-wrong-message", name);

	ret = spdm_env_verify(cert, asym, hash, msg->data, msg->len, sig.data,
			      sig.len - 1);
	checkf(ret == -EKEYREJECTED, ret, "%s-short-signature", name);

	sig.data[sig.len / 2] ^= 0x01;
	ret = spdm_env_verify(cert, asym, hash, msg->data, msg->len, sig.data,
			      sig.len);
	checkf(ret == -EKEYREJECTED, ret, "%s-corrupt-signature", name);

	spdm_env_cert_free(cert);
out:
	unload(&der);
	unload(&sig);
}

/*
 * RSASSA-PSS encodings that must be refused (gen-vectors.sh signs each with
 * the raw private operation, so only the encoded message is wrong), and
 * EMSA-PSS-VERIFY on the encoded message itself.
 */
static const char * const pss_bad[] = {
	"pss-salt20.sig", "pss-salt0.sig", "pss-trailer.sig", "pss-padding.sig",
	"pss-topbit.sig", "rsa2048.sig",
};

static void test_pss_em(const struct blob *msg)
{
	u8 m_hash[32];
	struct blob em;
	int ret;

	ret = load("pss-em.bin", &em) ?: (em.len == 256 ? 0 : -EINVAL);
	check("pss-em-vector", !ret, ret);
	if (ret)
		goto out;
	ret = spdm_env_hash_oneshot(SHA_256, msg->data, msg->len, m_hash);
	ret = ret ?: spdm_emsa_pss_verify(SHA_256, m_hash, em.data, 256, 2047);
	check("pss-em-consistent", !ret, ret);
	/* the same bytes one short: emLen no longer fits emBits */
	ret = spdm_emsa_pss_verify(SHA_256, m_hash, em.data, 255, 2047);
	check("pss-em-truncated", ret == -EKEYREJECTED, ret);
	ret = spdm_emsa_pss_verify(SHA_256, m_hash, em.data + 1, 255, 2039);
	check("pss-em-truncated-front", ret == -EKEYREJECTED, ret);
	/* too short for H, salt and the two fixed octets */
	ret = spdm_emsa_pss_verify(SHA_256, m_hash, em.data + 191, 65, 519);
	check("pss-em-shorter-than-hash-and-salt", ret == -EKEYREJECTED, ret);
	ret = spdm_emsa_pss_verify(SHA_384, m_hash, em.data, 256, 2047);
	check("pss-em-other-hash", ret == -EKEYREJECTED, ret);
	m_hash[0] ^= 1;
	ret = spdm_emsa_pss_verify(SHA_256, m_hash, em.data, 256, 2047);
	check("pss-em-other-message", ret == -EKEYREJECTED, ret);
out:
	unload(&em);
}

static void test_pss(const struct blob *msg)
{
	struct spdm_env_cert *cert = NULL;
	struct blob der, sig;
	u8 *edge;
	int i, ret;

	ret = load("rsapss2048.der", &der);
	if (!ret) {
		ret = spdm_env_cert_parse(der.data, der.len, &cert);
		unload(&der);
	}
	check("pss-cert", !ret, ret);
	if (ret)
		return;
	for (i = 0; i < ARRAY_SIZE(pss_bad); i++) {
		ret = load(pss_bad[i], &sig);
		if (!ret) {
			ret = spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg->data,
					      msg->len, sig.data, sig.len);
			unload(&sig);
		}
		checkf(ret == -EKEYREJECTED, ret, "pss-refuses-%s", pss_bad[i]);
	}
	/* RSASSA-PKCS1-v1_5 must not take a PSS signature either */
	if (!load("rsapss2048.sig", &sig)) {
		ret = spdm_env_verify(cert, RSASSA_2048, SHA_256, msg->data,
				      msg->len, sig.data, sig.len);
		check("pss-signature-as-rsassa", ret == -EKEYREJECTED, ret);
		unload(&sig);
	}
	/* signature representatives 0 and n or above (RSAVP1 range) */
	edge = kzalloc(256, GFP_KERNEL);
	if (edge) {
		ret = spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg->data,
				      msg->len, edge, 256);
		check("pss-signature-zero", ret == -EKEYREJECTED, ret);
		memset(edge, 0xff, 256);
		ret = spdm_env_verify(cert, RSAPSS_2048, SHA_256, msg->data,
				      msg->len, edge, 256);
		check("pss-signature-above-modulus", ret == -EKEYREJECTED, ret);
		kfree(edge);
	}
	spdm_env_cert_free(cert);
	test_pss_em(msg);
}

static void test_sig(void)
{
	struct spdm_env_cert *p256 = NULL, *rsa = NULL;
	struct blob msg, der;
	u8 sig[256] = {};
	int i, ret;

	ret = load("msg.bin", &msg);
	check("msg-vector", !ret, ret);
	if (ret)
		return;
	for (i = 0; i < ARRAY_SIZE(sig_algs); i++)
		test_sig_alg(sig_algs[i].name, sig_algs[i].asym, sig_algs[i].hash,
			     sig_algs[i].other_hash, &msg);
	test_pss(&msg);

	/* a key used with a scheme it is not for */
	if (!load("p256.der", &der)) {
		spdm_env_cert_parse(der.data, der.len, &p256);
		unload(&der);
	}
	if (!load("rsa2048.der", &der)) {
		spdm_env_cert_parse(der.data, der.len, &rsa);
		unload(&der);
	}
	if (p256 && rsa) {
		ret = spdm_env_verify(p256, ECDSA_P384, SHA_256, msg.data,
				      msg.len, sig, 96);
		check("p256-key-as-p384", ret == -EKEYREJECTED, ret);
		ret = spdm_env_verify(p256, RSASSA_2048, SHA_256, msg.data,
				      msg.len, sig, 256);
		check("p256-key-as-rsa", ret == -EKEYREJECTED, ret);
		ret = spdm_env_verify(rsa, RSASSA_3072, SHA_256, msg.data,
				      msg.len, sig, 256);
		check("rsa2048-key-as-rsa3072", ret == -EKEYREJECTED, ret);
		ret = spdm_env_verify(rsa, RSAPSS_3072, SHA_256, msg.data,
				      msg.len, sig, 384);
		check("rsa2048-key-as-rsapss3072", ret == -EKEYREJECTED, ret);
		ret = spdm_env_verify(rsa, RSASSA_2048, SHA3_256, msg.data,
				      msg.len, sig, 256);
		check("sha3-unsupported", ret == -EPROTONOSUPPORT, ret);
		ret = spdm_env_cert_verify_issued_by(p256, rsa);
		check("p256-not-issued-by-rsa2048", ret == -EKEYREJECTED, ret);
	} else {
		check("cross-algorithm-vectors", false, 0);
	}
	spdm_env_cert_free(p256);
	spdm_env_cert_free(rsa);
	unload(&msg);
}

static const char * const chain_files[] = {
	"root.der", "inter.der", "leaf.der", "leaf-noku.der", "leaf-nods.der",
	"leaf-ca.der", "by-leaf.der",
};

enum { ROOT, INTER, LEAF, LEAF_NOKU, LEAF_NODS, LEAF_CA, BY_LEAF, NCHAIN };

static void test_chain_certs(struct spdm_env_cert **c)
{
	struct blob msg, sig;
	int ret;

	ret = spdm_env_cert_verify_issued_by(c[INTER], c[ROOT]);
	check("inter-issued-by-root", !ret, ret);
	ret = spdm_env_cert_verify_issued_by(c[LEAF], c[INTER]);
	check("leaf-issued-by-inter", !ret, ret);
	check("leaf-not-issued-by-root",
	      spdm_env_cert_verify_issued_by(c[LEAF], c[ROOT]) == -EKEYREJECTED,
	      0);
	check("root-not-issued-by-leaf",
	      spdm_env_cert_verify_issued_by(c[ROOT], c[LEAF]) == -EKEYREJECTED,
	      0);
	check("inter-not-issued-by-itself",
	      spdm_env_cert_verify_issued_by(c[INTER], c[INTER]) ==
	      -EKEYREJECTED, 0);
	/* its signature is the leaf's, but a leaf issues no certificates */
	check("not-issued-by-non-ca",
	      spdm_env_cert_verify_issued_by(c[BY_LEAF], c[LEAF]) ==
	      -EKEYREJECTED, 0);

	check("leaf-rules-leaf", !spdm_env_cert_check_leaf(c[LEAF]), 0);
	check("leaf-rules-no-keyusage", !spdm_env_cert_check_leaf(c[LEAF_NOKU]),
	      0);
	check("leaf-rules-no-digitalsignature",
	      spdm_env_cert_check_leaf(c[LEAF_NODS]) == -EKEYREJECTED, 0);
	check("leaf-rules-ca-leaf",
	      spdm_env_cert_check_leaf(c[LEAF_CA]) == -EKEYREJECTED, 0);
	check("leaf-rules-intermediate",
	      spdm_env_cert_check_leaf(c[INTER]) == -EKEYREJECTED, 0);

	if (load("msg.bin", &msg))
		return;
	if (!load("leaf.sig", &sig)) {
		ret = spdm_env_verify(c[LEAF], ECDSA_P256, SHA_256, msg.data,
				      msg.len, sig.data, sig.len);
		check("leaf-verify", !ret, ret);
		ret = spdm_env_verify(c[LEAF_NOKU], ECDSA_P256, SHA_256,
				      msg.data, msg.len, sig.data, sig.len);
		check("leaf-verify-other-key", ret == -EKEYREJECTED, ret);
		unload(&sig);
	}
	unload(&msg);
}

/* Certificates that must not parse, or must parse and then fail. */
static void test_chain_corrupt(const struct blob *leaf, const struct blob *root)
{
	static const u8 not_cert[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	static const u8 huge[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff };
	struct spdm_env_cert *cert = NULL, *inter = NULL;
	struct blob der;
	u8 *buf;
	int ret;

	ret = spdm_env_cert_parse(leaf->data, leaf->len - 1, &cert);
	check("parse-truncated", ret == -EBADMSG && !cert, ret);
	ret = spdm_env_cert_parse(leaf->data, 0, &cert);
	check("parse-empty", ret == -EBADMSG && !cert, ret);
	ret = spdm_env_cert_parse(not_cert, sizeof(not_cert), &cert);
	check("parse-not-a-certificate", ret == -EBADMSG && !cert, ret);
	ret = spdm_env_cert_parse(huge, sizeof(huge), &cert);
	check("parse-length-past-end", ret == -EBADMSG && !cert, ret);

	buf = kmalloc(leaf->len + 1, GFP_KERNEL);
	if (!buf)
		return;
	memcpy(buf, leaf->data, leaf->len);
	buf[leaf->len] = 0;
	ret = spdm_env_cert_parse(buf, leaf->len + 1, &cert);
	check("parse-trailing-byte", ret == -EBADMSG && !cert, ret);

	/* the last byte is inside the signature value */
	buf[leaf->len - 1] ^= 0x01;
	ret = spdm_env_cert_parse(buf, leaf->len, &cert);
	check("parse-corrupt-signature", !ret, ret);
	if (!ret && !load("inter.der", &der)) {
		if (!spdm_env_cert_parse(der.data, der.len, &inter)) {
			ret = spdm_env_cert_verify_issued_by(cert, inter);
			check("corrupt-signature-not-issued", ret == -EKEYREJECTED,
			      ret);
			spdm_env_cert_free(inter);
		}
		unload(&der);
	}
	spdm_env_cert_free(cert);
	kfree(buf);

	if (!load("ed25519.der", &der)) {
		ret = spdm_env_cert_parse(der.data, der.len, &cert);
		check("parse-unsupported-algorithm",
		      ret == -EPROTONOSUPPORT && !cert, ret);
		unload(&der);
	} else {
		check("parse-unsupported-algorithm", false, -ENOENT);
	}

	buf = kmemdup(root->data, root->len, GFP_KERNEL);
	if (!buf)
		return;
	buf[root->len - 1] ^= 0x01;
	ret = spdm_env_cert_parse(buf, root->len, &cert);
	check("parse-root-bad-self-signature", ret == -EKEYREJECTED && !cert,
	      ret);
	kfree(buf);
}

/* A bit flip at @i breaks the signature unless it is outside what is signed. */
static bool in_signed_part(const struct blob *leaf, size_t i)
{
	size_t tbs_end = 8 + get_unaligned_be16(leaf->data + 6);

	/* tbsCertificate, or the last 64 bytes: inside the signature value */
	return (i >= 4 && i < tbs_end) || i >= leaf->len - 64;
}

/*
 * Every strict prefix of a certificate is refused, and no flipped bit in the
 * signed part or the signature yields a certificate that still verifies
 * against its issuer. (The outer signatureAlgorithm is not signed: its NULL
 * parameters re-encoded as an empty OCTET STRING still verify.)
 */
static void test_chain_mutations(const struct blob *leaf,
				 const struct spdm_env_cert *inter)
{
	struct spdm_env_cert *cert;
	unsigned int tried = 0, parsed = 0, verified = 0;
	size_t i, bad_prefix = 0;
	u8 *buf;
	int ret;

	for (i = 0; i < leaf->len; i++) {
		cert = NULL;
		ret = spdm_env_cert_parse(leaf->data, i, &cert);
		if (ret != -EBADMSG || cert) {
			bad_prefix = i + 1;
			spdm_env_cert_free(cert);
		}
	}
	check("parse-every-prefix-refused", !bad_prefix, bad_prefix - 1);

	/* two-byte lengths for both the certificate and tbsCertificate */
	if (leaf->len < 256 || memcmp(leaf->data, "\x30\x82", 2) ||
	    memcmp(leaf->data + 4, "\x30\x82", 2)) {
		check("bit-flip-layout", false, 0);
		return;
	}
	buf = kmemdup(leaf->data, leaf->len, GFP_KERNEL);
	if (!buf)
		return;
	for (i = 0; i < leaf->len; i++) {
		if (!in_signed_part(leaf, i))
			continue;
		buf[i] ^= 0x01;
		tried++;
		if (!spdm_env_cert_parse(buf, leaf->len, &cert)) {
			parsed++;
			if (spdm_env_cert_verify_issued_by(cert, inter) !=
			    -EKEYREJECTED)
				verified++;
			spdm_env_cert_check_leaf(cert);
			spdm_env_cert_free(cert);
		}
		buf[i] ^= 0x01;
	}
	kfree(buf);
	pr_info("bit flips: %u tried, %u parsed, %u verified\n", tried, parsed,
		verified);
	check("bit-flip-never-verifies", !verified, verified);
}

static void test_chain(void)
{
	struct spdm_env_cert *c[NCHAIN] = {};
	struct blob der[NCHAIN] = {};
	int i, ret, bad = 0;

	for (i = 0; i < NCHAIN; i++) {
		ret = load(chain_files[i], &der[i]);
		if (!ret)
			ret = spdm_env_cert_parse(der[i].data, der[i].len, &c[i]);
		checkf(!ret, ret, "parse-%s", chain_files[i]);
		bad |= ret;
	}
	if (!bad) {
		test_chain_certs(c);
		test_chain_corrupt(&der[LEAF], &der[ROOT]);
		test_chain_mutations(&der[LEAF], c[INTER]);
	}
	for (i = 0; i < NCHAIN; i++) {
		spdm_env_cert_free(c[i]);
		unload(&der[i]);
	}
}

static int __init spdm_env_selftest_init(void)
{
	test_memory();
	test_random();
	test_time();
	test_log();
	test_masks();
	test_hash();
	test_der();
	test_sig();
	test_chain();
	pr_info("done: %u passed, %u failed\n", passed, failed);
	return failed ? -EINVAL : 0;
}

static void __exit spdm_env_selftest_exit(void)
{
}

module_init(spdm_env_selftest_init);
module_exit(spdm_env_selftest_exit);

MODULE_DESCRIPTION("Known-answer self-test of the SPDM kernel environment");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SPDM_ENV_SELFTEST);
