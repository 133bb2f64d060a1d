// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence file: what `spdmctl evidence` writes reads back as the same
 * evidence, which the agent validates as it did the original; a changed
 * signed byte fails the validation; every malformed field is an error that
 * names the field and what is wrong with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "pki.h"
#include "unit.h"

struct evf {
	struct agent_trust *trust;
	struct agent_validator *v;
	struct agent_evidence ev;
	char *text;
	size_t len;
};

static int evf_setup(void **state)
{
	struct evf *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(pki_measured_device(&f->trust, &f->v, &f->ev, 0x12, 0, 7), 0);
	agent_validator_check_measurements(f->v, true);
	/* every field away from its zero value, a second slot provisioned */
	f->ev.key = 0xdeadbeef;
	f->ev.verdict = 2;
	f->ev.gated = true;
	f->ev.generation = 41;
	f->ev.meas_hash_alg = AGENT_HASH_SHA384;
	f->ev.slot_mask = 0x09;
	f->ev.cert_model = 2;
	f->ev.multi_key = true;
	f->ev.key_pair_id = 5;
	f->ev.key_usage = 0x21;
	snprintf(f->ev.evidence_error, sizeof(f->ev.evidence_error),
		 "an \"error\" to escape");
	f->ev.chain[3] = malloc(f->ev.chain_len[0]);
	assert_non_null(f->ev.chain[3]);
	memcpy(f->ev.chain[3], f->ev.chain[0], f->ev.chain_len[0]);
	f->ev.chain_len[3] = f->ev.chain_len[0];
	assert_int_equal(agent_evfile_write(&f->ev, &f->text, &f->len), 0);
	*state = f;
	return 0;
}

static int evf_teardown(void **state)
{
	struct evf *f = *state;

	agent_evidence_free(&f->ev);
	agent_validator_free(f->v);
	agent_trust_free(f->trust);
	free(f->text);
	free(f);
	return 0;
}

static void evf_blob_equal(const uint8_t *a, size_t alen, const uint8_t *b,
			   size_t blen)
{
	assert_int_equal(alen, blen);
	assert_int_equal(!a, !b);
	if (a)
		assert_memory_equal(a, b, alen);
}

static void evidence_file_round_trip(void **state)
{
	struct evf *f = *state;
	const struct agent_evidence *a = &f->ev;
	char err[AGENT_ERR_LEN], att_a[AGENT_ATTEMPT_LEN], att_b[AGENT_ATTEMPT_LEN];
	struct agent_evidence b;

	if (agent_evfile_parse(f->text, f->len, &b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(a->name, b.name);
	assert_int_equal(a->key, b.key);
	assert_int_equal(a->verdict, b.verdict);
	assert_int_equal(a->gated, b.gated);
	assert_string_equal(a->evidence_error, b.evidence_error);
	assert_memory_equal(&a->ids, &b.ids, sizeof(a->ids));
	assert_int_equal(a->state, b.state);
	assert_int_equal(a->result, b.result);
	assert_int_equal(a->generation, b.generation);
	assert_int_equal(a->version, b.version);
	assert_int_equal(a->base_asym_alg, b.base_asym_alg);
	assert_int_equal(a->base_hash_alg, b.base_hash_alg);
	assert_int_equal(a->meas_hash_alg, b.meas_hash_alg);
	assert_int_equal(a->slot_mask, b.slot_mask);
	assert_int_equal(a->slot, b.slot);
	assert_int_equal(a->cert_model, b.cert_model);
	assert_int_equal(a->multi_key, b.multi_key);
	assert_int_equal(a->key_pair_id, b.key_pair_id);
	assert_int_equal(a->key_usage, b.key_usage);
	for (int s = 0; s < AGENT_MAX_SLOTS; s++)
		evf_blob_equal(a->chain[s], a->chain_len[s], b.chain[s],
			       b.chain_len[s]);
	evf_blob_equal(a->transcript, a->transcript_len, b.transcript,
		       b.transcript_len);
	evf_blob_equal(a->signature, a->signature_len, b.signature,
		       b.signature_len);
	assert_int_equal(a->has_nonce, b.has_nonce);
	assert_memory_equal(a->nonce, b.nonce, sizeof(a->nonce));
	assert_int_equal(a->req_nonce_off, b.req_nonce_off);
	assert_int_equal(a->rsp_nonce_off, b.rsp_nonce_off);
	evf_blob_equal(a->meas, a->meas_len, b.meas, b.meas_len);
	evf_blob_equal(a->meas_transcript, a->meas_transcript_len,
		       b.meas_transcript, b.meas_transcript_len);
	evf_blob_equal(a->meas_signature, a->meas_signature_len,
		       b.meas_signature, b.meas_signature_len);
	/* the audit's attempt digest covers everything the kernel reported */
	assert_int_equal(agent_evidence_attempt(a, att_a), 0);
	assert_int_equal(agent_evidence_attempt(&b, att_b), 0);
	assert_string_equal(att_a, att_b);
	agent_evidence_free(&b);
}

/*
 * The kernel's strings are hostile: written as well-formed UTF-8 text (as
 * the agent's JSON writes them) with control characters as U+FFFD, and
 * read back as written; UTF-8 text is kept.
 */
static void evidence_file_hostile_strings_round_trip(void **state)
{
	struct evf *f = *state;
	char err[AGENT_ERR_LEN], *text;
	struct agent_evidence b;
	size_t len;

	snprintf(f->ev.name, sizeof(f->ev.name), "0000:01:00.0 \xc3\xa9\n\xff");
	snprintf(f->ev.evidence_error, sizeof(f->ev.evidence_error),
		 "caf\xc3\xa9\x1b[2J \x7f \xe2\x80\xa8 \xc0\xaf");
	assert_int_equal(agent_evfile_write(&f->ev, &text, &len), 0);
	if (agent_evfile_parse(text, len, &b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(b.name, "0000:01:00.0 \xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(b.evidence_error,
			    "caf\xc3\xa9\xef\xbf\xbd[2J \xef\xbf\xbd \xef\xbf\xbd "
			    "\xef\xbf\xbd\xef\xbf\xbd");
	agent_evidence_free(&b);
	free(text);
}

static void evidence_file_validates_as_the_original(void **state)
{
	struct evf *f = *state;
	struct agent_validation va, vb;
	struct agent_evidence b;
	char err[AGENT_ERR_LEN];

	if (agent_evfile_parse(f->text, f->len, &b, err, sizeof(err)))
		fail_msg("%s", err);
	agent_validator_validate(f->v, &f->ev, &va);
	agent_validator_validate(f->v, &b, &vb);
	assert_true(va.verified);
	assert_true(vb.verified);
	assert_int_equal(vb.meas_result, 0);
	assert_int_equal(vb.fresh_result, 0);
	assert_memory_equal(va.leaf_fp, vb.leaf_fp, AGENT_SHA256_LEN);
	agent_evidence_free(&b);
}

/* Change one byte of the blob @field (its first base64 character). */
static void evf_flip(char *text, const char *field, size_t at)
{
	char *p = strstr(text, field);

	assert_non_null(p);
	p = strchr(p + strlen(field), '"');
	assert_non_null(p);
	p += 1 + at;	/* a character whose change keeps the base64 valid */
	*p = *p == 'A' ? 'B' : 'A';
}

struct evf_tamper {
	const char *field;		/* "\"KEY\": " inside its object */
	const char *after;		/* the object it is in, NULL: anywhere */
	size_t at;			/* which base64 character */
	size_t result_off;		/* offsetof the step's result */
};

static void evidence_file_changed_signed_byte_fails(void **state)
{
	static const struct evf_tamper cases[] = {
		{ "\"transcript\": ", "\"challenge\"", 8,
		  offsetof(struct agent_validation, signature_result) },
		{ "\"signature\": ", "\"challenge\"", 8,
		  offsetof(struct agent_validation, signature_result) },
		{ "\"transcript\": ", "\"measurements\"", 8,
		  offsetof(struct agent_validation, meas_result) },
		{ "\"signature\": ", "\"measurements\"", 8,
		  offsetof(struct agent_validation, meas_result) },
		{ "\"record\": ", "\"measurements\"", 8,
		  offsetof(struct agent_validation, meas_result) },
		{ "\"chain\": ", NULL, 200,
		  offsetof(struct agent_validation, chain_result) },
	};
	struct evf *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = strdup(f->text), *where = text;
		struct agent_validation val;
		struct agent_evidence b;
		char err[AGENT_ERR_LEN];

		if (cases[i].after)
			where = strstr(text, cases[i].after);
		evf_flip(where, cases[i].field, cases[i].at);
		if (agent_evfile_parse(text, strlen(text), &b, err, sizeof(err)))
			fail_msg("case %zu: %s", i, err);
		agent_validator_validate(f->v, &b, &val);
		assert_int_not_equal(*(int *)((char *)&val + cases[i].result_off), 0);
		agent_evidence_free(&b);
		free(text);
	}
}

/* One malformed file: @find replaced by @repl in a good one gives @error. */
struct evf_bad {
	const char *find;
	const char *repl;
	const char *error;
};

static void evf_expect(const char *text, size_t len, const char *error)
{
	struct agent_evidence b;
	char err[AGENT_ERR_LEN];
	int ret;

	ret = agent_evfile_parse(text, len, &b, err, sizeof(err));
	if (!ret)
		fail_msg("accepted; expected \"%s\"", error);
	assert_int_equal(ret, -EINVAL);
	if (!strstr(err, error))
		fail_msg("error \"%s\", expected \"%s\"", err, error);
	/* nothing is left allocated on failure */
	assert_null(b.transcript);
	assert_null(b.chain[0]);
}

static void evidence_file_malformed(void **state)
{
	const struct evf_bad *c = *state;
	struct evf *f;
	char *text, *p;
	size_t n;

	evf_setup((void **)&f);
	p = strstr(f->text, c->find);
	if (!p)
		fail_msg("\"%s\" not in the file", c->find);
	n = f->len - strlen(c->find) + strlen(c->repl);
	text = malloc(n + 1);
	memcpy(text, f->text, (size_t)(p - f->text));
	strcpy(text + (p - f->text), c->repl);
	strcat(text, p + strlen(c->find));
	evf_expect(text, n, c->error);
	free(text);
	evf_teardown((void **)&f);
}

#define EVF_BAD(test, find, repl, error) \
	UNIT_CASE(test, evidence_file_malformed, struct evf_bad, find, repl, error)

#define EVF_EXPECT(text, error) evf_expect(text, strlen(text), error)

static void evidence_file_syntax(void **state)
{
	struct evf *f = *state;
	static char big[AGENT_EVFILE_MAX + 1];
	struct agent_evidence b;
	char err[AGENT_ERR_LEN], *text;

	evf_expect(f->text, f->len - 10, "the document ends early");
	evf_expect("", 0, "the document ends early");
	evf_expect("[1]", 3, "the document is an array, not an object");
	EVF_EXPECT("{\"format\": \"spdm-evidence\",}", "1:28:");
	EVF_EXPECT("{} {}", "1:4: data after the document");
	EVF_EXPECT("{\"a\": \"\xff\"}", "1:");
	EVF_EXPECT("{\"a\":\n\n 'x'}", "3:2:");
	text = strdup(f->text);
	text[20] = '\0';
	evf_expect(text, f->len, "2:19: a NUL byte");
	free(text);
	/* nesting deeper than the format's is refused by the tokenizer */
	EVF_EXPECT("{\"a\":[[[[[[[[[[1]]]]]]]]]]}", "1:");
	memset(big, ' ', sizeof(big));
	assert_int_equal(agent_evfile_parse(big, sizeof(big), &b, err,
					    sizeof(err)), -EFBIG);
	assert_string_equal(err, "16777217 bytes, at most 16777216");
}

static void evidence_file_read_errors(void **state)
{
	struct evf *f = *state;
	char *dir = unit_tmpdir(), path[256], err[AGENT_ERR_LEN];
	struct agent_evidence b;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/ev.json", dir);
	assert_int_equal(agent_evfile_read(path, &b, err, sizeof(err)), -ENOENT);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite(f->text, 1, f->len, fp);
	fclose(fp);
	if (agent_evfile_read(path, &b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(b.name, f->ev.name);
	agent_evidence_free(&b);
	fp = fopen(path, "a");
	fputs("x", fp);
	fclose(fp);
	assert_int_equal(agent_evfile_read(path, &b, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "ev.json: "));
	assert_non_null(strstr(err, "data after the document"));
	/* a file one byte over the cap is refused without reading it all in */
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, AGENT_EVFILE_MAX, SEEK_SET), 0);
	fputc(' ', fp);
	fclose(fp);
	assert_int_equal(agent_evfile_read(path, &b, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "ev.json: more than 16777216 bytes"));
	unit_tmpdir_free(dir);
}

#define EVF_TEST(fn) cmocka_unit_test_setup_teardown(fn, evf_setup, evf_teardown)

static const struct CMUnitTest evidence_file_tests[] = {
	EVF_TEST(evidence_file_round_trip),
	EVF_TEST(evidence_file_hostile_strings_round_trip),
	EVF_TEST(evidence_file_validates_as_the_original),
	EVF_TEST(evidence_file_changed_signed_byte_fails),
	EVF_TEST(evidence_file_syntax),
	EVF_TEST(evidence_file_read_errors),
	EVF_BAD(another_format_is_refused, "\"spdm-evidence\"", "\"spdm-other\"",
		"format: \"spdm-other\", not \"spdm-evidence\""),
	EVF_BAD(another_format_version_is_refused, "\"format_version\": 1",
		"\"format_version\": 2",
		"format_version: 2, this program reads version 1"),
	EVF_BAD(missing_format_is_refused, "\"format\": \"spdm-evidence\",", "",
		"format: missing"),
	EVF_BAD(unknown_top_level_field, "\"format_version\": 1,",
		"\"format_version\": 1, \"extra\": 0,", "unknown field \"extra\""),
	EVF_BAD(unknown_nested_field, "\"slot_mask\"", "\"extra\": 0, \"slot_mask\"",
		"spdm: unknown field \"extra\""),
	EVF_BAD(object_as_integer, "\"kernel\": {", "\"kernel\": 1, \"x\": {",
		"kernel: an object, not an integer"),
	EVF_BAD(object_as_array, "\"spdm\": {",
		"\"spdm\": [], \"spdm2\": {", "spdm: an object, not an array"),
	EVF_BAD(missing_member, "\"result\": 0,", "",
		"kernel.result: missing"),
	EVF_BAD(string_for_integer, "\"vendor\": 6966", "\"vendor\": \"6966\"",
		"device.vendor: an integer, not a string"),
	EVF_BAD(fraction_for_integer, "\"vendor\": 6966", "\"vendor\": 6966.0",
		"device.vendor: an integer, not a fraction"),
	EVF_BAD(integer_out_of_range, "\"vendor\": 6966", "\"vendor\": 65536",
		"device.vendor: 65536 out of range 0..65535"),
	EVF_BAD(negative_integer, "\"generation\": 41", "\"generation\": -1",
		"kernel.generation: -1 out of range 0..4294967295"),
	EVF_BAD(integer_beyond_64_bits, "\"generation\": 41",
		"\"generation\": 99999999999999999999999",
		"kernel.generation: 9223372036854775807 out of range"),
	EVF_BAD(slot_out_of_range, "\"slot\": 0,", "\"slot\": 8,",
		"spdm.slot: 8 out of range 0..7"),
	EVF_BAD(boolean_as_integer, "\"gated\": true", "\"gated\": 1",
		"kernel.gated: a boolean, not an integer"),
	EVF_BAD(null_for_string, "\"address\": \"",
		"\"address\": null, \"a\": \"", "device.address: a string, not null"),
	EVF_BAD(empty_address, "\"address\": \"",
		"\"address\": \"\", \"a\": \"", "device.address: empty"),
	EVF_BAD(address_too_long, "\"address\": \"",
		"\"address\": \"0123456789012345678901234567890123456789012345678901234567890123",
		"characters, at most 63"),
	EVF_BAD(control_character_in_string, "\"address\": \"",
		"\"address\": \"\\u0000",
		"device.address: character 0 is not UTF-8 text (0x00)"),
	EVF_BAD(line_separator_in_string, "\"address\": \"",
		"\"address\": \"a\\u2028",
		"device.address: character 1 is not UTF-8 text (0xe2)"),
	EVF_BAD(unknown_state, "\"authenticated\"", "\"trusted\"",
		"kernel.state: \"trusted\" is none of pending, authenticated, failed, unsupported"),
	EVF_BAD(unknown_verdict, "\"verdict\": \"deny\"", "\"verdict\": \"maybe\"",
		"kernel.verdict: \"maybe\" is none of none, allow, deny"),
	EVF_BAD(result_not_an_errno, "\"result\": 0", "\"result\": 5",
		"kernel.result: 5 out of range -4095..0"),
	EVF_BAD(version_not_major_minor, "\"version\": \"1.2\"",
		"\"version\": \"1.2.0\"",
		"spdm.version: \"1.2.0\" is not MAJOR.MINOR"),
	EVF_BAD(version_out_of_range, "\"version\": \"1.2\"",
		"\"version\": \"16.0\"", "spdm.version: \"16.0\" is not MAJOR.MINOR"),
	EVF_BAD(version_with_sign, "\"version\": \"1.2\"",
		"\"version\": \"+1.2\"", "spdm.version: \"+1.2\" is not MAJOR.MINOR"),
	EVF_BAD(chains_not_an_array, "\"chains\": [", "\"chains\": {}, \"c\": [",
		"chains: an array, not an object"),
	EVF_BAD(chain_entry_not_an_object, "\"chains\": [", "\"chains\": [ 1,",
		"chains[0]: an object, not an integer"),
	EVF_BAD(chain_slot_twice, "\"slot\": 3,", "\"slot\": 0,",
		"chains[1].slot: slot 0 given twice"),
	EVF_BAD(chain_slot_out_of_range, "\"slot\": 3,", "\"slot\": 9,",
		"chains[1].slot: 9 out of range 0..7"),
	EVF_BAD(chain_entry_unknown_field, "\"slot\": 3,", "\"slot\": 3, \"chainz\": \"\",",
		"chains[1]: unknown field \"chainz\""),
	EVF_BAD(base64_bad_character, "\"chain\": \"", "\"chain\": \"*AAA",
		"chains[0].chain: character 0 is not base64 (0x2a)"),
	EVF_BAD(base64_not_padded, "\"nonce\": \"", "\"nonce\": \"A",
		"nonce: base64 of 45 characters, not a multiple of 4"),
	EVF_BAD(base64_white_space, "\"nonce\": \"", "\"nonce\": \"\\n   ",
		"nonce: character 0 is not base64 (0x0a)"),
	EVF_BAD(base64_url_alphabet, "\"nonce\": \"", "\"nonce\": \"-_AA",
		"nonce: character 0 is not base64 (0x2d)"),
	EVF_BAD(base64_padding_inside, "\"nonce\": \"", "\"nonce\": \"AA==",
		"nonce: character 2 is not base64 (0x3d)"),
	EVF_BAD(base64_trailing_bits, "\"nonce\": \"", "\"nonce\": \"AB==\", \"n\": \"",
		"nonce: base64 with bits set after the last byte"),
	EVF_BAD(base64_empty, "\"record\": \"", "\"record\": \"\", \"r\": \"",
		"measurements.record: empty"),
	EVF_BAD(nonce_of_wrong_length, "\"nonce\": \"", "\"nonce\": \"AAAA",
		"nonce: 35 bytes, not 32"),
	EVF_BAD(nonce_offset_out_of_range, "\"requester_nonce_offset\": ",
		"\"requester_nonce_offset\": 1048577",
		"out of range 0..1048576"),
	EVF_BAD(producer_not_a_string, "\"program\": \"agent-unit\"",
		"\"program\": 7", "producer.program: a string, not an integer"),
};

UNIT_SUITE(evidence_file_suite, evidence_file_tests);
