// SPDX-License-Identifier: GPL-2.0
/*
 * One SPDM request/response exchange: transport call, response header
 * checks, ERROR handling (Busy, ResponseNotReady, RequestResynch),
 * validation by the caller's parser, transcript recording and the
 * per-exchange hook.
 *
 * Errno taxonomy of the requester (every entry point returns one of these):
 *
 *   transport failure                 the transport's own negative errno
 *   no response in time, ResponseNotReady beyond the retry or time bounds
 *   or with an absurd delay, the authentication's deadline passed
 *                                     -ETIMEDOUT
 *   ERROR Busy after retries          -EBUSY
 *   response shorter than a field needs; a count or length (version
 *   entries, opaque data, measurement record, signature, chain portion)
 *   pointing past what was received   -EIO
 *   response filling the receive buffer exactly, or longer than the
 *   message its fields describe (beyond 3 transport pad bytes); a
 *   transcript beyond SPDM_MAX_TRANSCRIPT
 *                                     -EMSGSIZE
 *   spec violation: wrong response code or version byte, zero version
 *   entries, several algorithm bits selected, an algorithm never offered,
 *   slot mismatch, DIGESTS slot mask inconsistent with the length,
 *   CERTIFICATE portion 0, portion + remainder inconsistent or growing,
 *   chain length differing from its header, opaque data over 1024 bytes,
 *   measurement blocks not filling the record, a block with a reserved
 *   index, another specification than DMTF or a DMTF value not filling
 *   it, RequesterContext not echoed, unexpected ERROR code, a
 *   CAPABILITIES flag combination the negotiated version forbids,
 *   multi-key DIGESTS CertificateInfo or KEY_PAIR_INFO not consistent
 *                                     -EPROTO
 *   ERROR UnsupportedRequest          -EOPNOTSUPP
 *   no common version >= the minimum, no common algorithm (none selected,
 *   or ERROR InvalidRequest to NEGOTIATE_ALGORITHMS), responder without
 *   CERT_CAP or CHAL_CAP              -EPROTONOSUPPORT
 *   no provisioned certificate slot, or (1.3 multi-key) none whose key
 *   may sign challenges               -ENOKEY
 *   SPDM_MAX_EXCHANGES exchanges run by one authentication (the
 *   responder keeps the requester looping)
 *                                     -ELOOP
 *   malformed DER certificate         -EBADMSG
 *   DIGESTS, CertChainHash or RootHash not matching the fetched chain,
 *   certificate not signed by its predecessor, leaf rules violated (also
 *   those of the slot's certificate model),
 *   signature not verifying           -EKEYREJECTED
 *
 * The other ERROR codes (DSP0274 1.3.0 Table 58), each to one errno:
 *
 *   0x01 InvalidRequest      -EINVAL (-EPROTONOSUPPORT to NEGOTIATE_ALGORITHMS)
 *   0x02 InvalidSession      -EPROTO (no session exists)
 *   0x03 Busy                retried, then -EBUSY
 *   0x04 UnexpectedRequest   -EBADE
 *   0x05 Unspecified         -EREMOTEIO
 *   0x06 DecryptError        -EPROTO (no session exists)
 *   0x07 UnsupportedRequest  -EOPNOTSUPP
 *   0x08 RequestInFlight     -EALREADY
 *   0x09 InvalidResponseCode -EPROTO (this requester sends no responses)
 *   0x0a SessionLimitExceeded -EPROTO (no session was asked for)
 *   0x0b SessionRequired     -EACCES
 *   0x0c ResetRequired       -ENOTRECOVERABLE
 *   0x0d ResponseTooLarge    -EMSGSIZE
 *   0x0e RequestTooLarge     -E2BIG
 *   0x0f LargeResponse       -EPROTO (CHUNK_CAP was not advertised)
 *   0x10 MessageLost         -ENOMSG
 *   0x11 InvalidPolicy       -EPROTO (no session exists)
 *   0x41 VersionMismatch     -EPROTONOSUPPORT
 *   0x42 ResponseNotReady    RESPOND_IF_READY, bounded, then -ETIMEDOUT
 *   0x43 RequestResynch      restart at GET_VERSION once, then -EAGAIN
 *   0x44 OperationFailed     -ECANCELED
 *   0x45 NoPendingRequests   -EPROTO (nothing was pending)
 *   0xff VendorDefined       -EREMOTEIO
 *   any other code           -EPROTO
 */

#include "spdm-internal.h"

/**
 * spdm_error_to_errno() - the errno an ERROR response's code stands for
 * @code: ErrorCode (Param1 of ERROR)
 *
 * Busy, ResponseNotReady and RequestResynch are handled before this
 * mapping is used; their entries are what remains after the retries.
 *
 * Return: a negative errno, never 0.
 */
int spdm_error_to_errno(u8 code)
{
	switch (code) {
	case SPDM_ERR_INVALID_REQUEST:
		return -EINVAL;
	case SPDM_ERR_BUSY:
		return -EBUSY;
	case SPDM_ERR_UNEXPECTED_REQUEST:
		return -EBADE;
	case SPDM_ERR_UNSPECIFIED:
	case SPDM_ERR_VENDOR_DEFINED:
		return -EREMOTEIO;
	case SPDM_ERR_UNSUPPORTED_REQUEST:
		return -EOPNOTSUPP;
	case SPDM_ERR_REQUEST_IN_FLIGHT:
		return -EALREADY;
	case SPDM_ERR_SESSION_REQUIRED:
		return -EACCES;
	case SPDM_ERR_RESET_REQUIRED:
		return -ENOTRECOVERABLE;
	case SPDM_ERR_RESPONSE_TOO_LARGE:
		return -EMSGSIZE;
	case SPDM_ERR_REQUEST_TOO_LARGE:
		return -E2BIG;
	case SPDM_ERR_MESSAGE_LOST:
		return -ENOMSG;
	case SPDM_ERR_VERSION_MISMATCH:
		return -EPROTONOSUPPORT;
	case SPDM_ERR_RESPONSE_NOT_READY:
		return -ETIMEDOUT;
	case SPDM_ERR_REQUEST_RESYNCH:
		return -EAGAIN;
	case SPDM_ERR_OPERATION_FAILED:
		return -ECANCELED;
	default:
		return -EPROTO;
	}
}

/**
 * spdm_check_tail() - accept a message followed by transport padding only
 * @st: requester state (for messages)
 * @msg_len: length of the SPDM message as its fields describe it
 * @len: bytes received
 *
 * Return: @msg_len, or -EMSGSIZE when more than padding follows it.
 */
ssize_t spdm_check_tail(struct spdm_state *st, size_t msg_len, size_t len)
{
	if (len - msg_len > SPDM_MAX_PAD) {
		spdm_err(st, "%zu bytes after a %zu-byte response\n",
			 len - msg_len, msg_len);
		return -EMSGSIZE;
	}
	return msg_len;
}

/* What to do after an ERROR response. */
enum spdm_error_action {
	SPDM_RESEND,		/* send the same request again */
	SPDM_ASK_IF_READY,	/* ask for the deferred response */
};

/* Retry bookkeeping of one exchange. */
struct spdm_retry {
	unsigned int busy;		/* Busy responses so far */
	unsigned int not_ready;		/* ResponseNotReady responses so far */
	u64 waited_us;			/* total time ResponseNotReady asked for */
	u64 wait_us;			/* wait before the next attempt */
	u8 riy[sizeof(struct spdm_header)];	/* RESPOND_IF_READY to send */
};

/*
 * Decide how to go on after ERROR @rsp to request code @req_code: a
 * non-negative spdm_error_action, or the errno the exchange ends with.
 */
static int spdm_handle_error(struct spdm_state *st, const u8 *rsp, size_t len,
			     u8 req_code, struct spdm_retry *r)
{
	const struct spdm_error_not_ready *nr = (const void *)rsp;
	const struct spdm_header *hdr = (const void *)rsp;

	switch (hdr->param1) {
	case SPDM_ERR_BUSY:
		if (r->busy++ >= SPDM_BUSY_RETRIES) {
			spdm_err(st, "Responder busy after %u retries\n",
				 SPDM_BUSY_RETRIES);
			return -EBUSY;
		}
		r->wait_us = SPDM_BUSY_DELAY_US;
		return SPDM_RESEND;

	case SPDM_ERR_RESPONSE_NOT_READY:
		/* DSP0274 1.3.0 §10.12.1 ResponseNotReady extended data */
		if (len < sizeof(*nr)) {
			spdm_err(st, "Truncated ResponseNotReady\n");
			return -EIO;
		}
		if (nr->request_code != req_code) {
			spdm_err(st, "ResponseNotReady for request %#x, sent %#x\n",
				 nr->request_code, req_code);
			return -EPROTO;
		}
		if (nr->rdt_exponent > SPDM_NOT_READY_MAX_EXP ||
		    r->not_ready++ >= SPDM_NOT_READY_RETRIES) {
			spdm_err(st, "Response not ready (RDTExponent %u, try %u)\n",
				 nr->rdt_exponent, r->not_ready);
			return -ETIMEDOUT;
		}
		r->wait_us = 1ULL << nr->rdt_exponent;
		r->waited_us += r->wait_us;
		if (r->waited_us > SPDM_NOT_READY_TOTAL_US) {
			spdm_err(st, "Response not ready after %llu us\n",
				 (unsigned long long)r->waited_us);
			return -ETIMEDOUT;
		}
		/* Same version as the request: 1.0 while GET_VERSION is pending */
		r->riy[0] = st->req[0];
		r->riy[1] = SPDM_RESPOND_IF_READY;
		r->riy[2] = req_code;
		r->riy[3] = nr->token;
		return SPDM_ASK_IF_READY;

	case SPDM_ERR_REQUEST_RESYNCH:
		st->resynch = true;
		spdm_dbg(st, "Responder requests resynchronisation\n");
		return -EAGAIN;

	default:
		spdm_err(st, "ERROR %#x (data %#x) to request %#x\n",
			 hdr->param1, hdr->param2, req_code);
		return spdm_error_to_errno(hdr->param1);
	}
}

static void spdm_report(struct spdm_state *st, const u8 *req, size_t req_len,
			ssize_t got, u64 start, int result)
{
	struct spdm_exchange_info info = {
		.req_code = req[1],
		.req = req,
		.req_len = req_len,
		.duration_ns = spdm_env_time_ns() - start,
		.result = result,
	};

	if (!st->cfg.exchange_hook)
		return;
	if (got > 0) {
		info.rsp = st->rsp;
		info.rsp_len = got;
		if (got >= 2)
			info.rsp_code = st->rsp[1];
	}
	st->cfg.exchange_hook(st->cfg.transport_priv, &info);
}

/*
 * The authentication's deadline (spdm_authenticate()) bounds how many
 * exchanges a responder can make the requester run: each exchange is
 * bounded on its own, but a legal responder may send 1-byte CERTIFICATE
 * portions, 65535 exchanges a slot.
 */
static int spdm_check_deadline(struct spdm_state *st, const u8 *req)
{
	if (spdm_env_time_ns() <= st->deadline_ns)
		return 0;
	spdm_err(st, "Authentication deadline of %u ms passed after %u exchanges, request %#x not sent\n",
		 st->cfg.auth_timeout_ms, st->exchanges, req[1]);
	return -ETIMEDOUT;
}

/*
 * A Busy or ResponseNotReady wait that would end past the deadline ends the
 * authentication now: the request after it would not be sent anyway.
 */
static int spdm_check_wait(struct spdm_state *st, const u8 *req, u64 wait_us)
{
	if (spdm_env_time_ns() + wait_us * 1000 <= st->deadline_ns)
		return 0;
	spdm_err(st, "Authentication deadline of %u ms would pass during a %llu us wait after %u exchanges, request %#x not sent\n",
		 st->cfg.auth_timeout_ms, (unsigned long long)wait_us,
		 st->exchanges, req[1]);
	return -ETIMEDOUT;
}

/*
 * Header checks and ERROR handling of one received response: the parser's
 * message length, a spdm_error_action, or a negative errno.
 */
static ssize_t spdm_check_response(struct spdm_state *st, struct spdm_xfer *x,
				   ssize_t got, struct spdm_retry *r)
{
	u8 want_version = x->rsp_code == SPDM_VERSION ? SPDM_VER_10 : st->version;
	const struct spdm_header *hdr = (const void *)st->rsp;

	if (got < 0)
		return got;
	if ((size_t)got >= st->rsp_cap) {
		spdm_err(st, "Response to %#x fills the %zu-byte buffer\n",
			 st->req[1], st->rsp_cap);
		return -EMSGSIZE;
	}
	if ((size_t)got < sizeof(*hdr)) {
		spdm_err(st, "Response to %#x of %zd bytes\n", st->req[1], got);
		return -EIO;
	}
	if (hdr->version != want_version) {
		spdm_err(st, "Response version %#x, expected %#x\n",
			 hdr->version, want_version);
		return -EPROTO;
	}
	if (hdr->code == SPDM_ERROR)
		return spdm_handle_error(st, st->rsp, got, st->req[1], r);
	if (hdr->code != x->rsp_code) {
		spdm_err(st, "Response code %#x to %#x, expected %#x\n",
			 hdr->code, st->req[1], x->rsp_code);
		return -EPROTO;
	}
	return x->parse(st, st->rsp, got, x->ctx);
}

/**
 * spdm_exchange() - send spdm_state.req, receive and validate its response
 * @st: requester state
 * @x: the exchange; @x->rsp_off is set on success
 *
 * ERROR responses are handled here: Busy is retried, ResponseNotReady is
 * followed by RESPOND_IF_READY, both bounded. No request, retries
 * included, is sent once the authentication's deadline has passed. Only a
 * response @x->parse accepted is appended to @x->log, after its request
 * (the ERROR and RESPOND_IF_READY messages are not part of any transcript).
 *
 * Return: 0 or a negative errno from the table above.
 */
int spdm_exchange(struct spdm_state *st, struct spdm_xfer *x)
{
	struct spdm_retry r = {};
	const u8 *req = st->req;
	size_t req_len = x->req_len;
	ssize_t got, msg_len;
	u64 start;
	int rc;

	for (;;) {
		rc = spdm_check_deadline(st, req);
		if (rc)
			return rc;
		if (st->exchanges >= SPDM_MAX_EXCHANGES) {
			spdm_err(st, "Authentication ran %u exchanges, request %#x not sent\n",
				 st->exchanges, req[1]);
			return -ELOOP;
		}
		st->exchanges++;
		start = spdm_env_time_ns();
		got = st->cfg.transport(st->cfg.transport_priv, req, req_len,
					st->rsp, st->rsp_cap);
		msg_len = spdm_check_response(st, x, got, &r);
		if (msg_len == SPDM_RESEND || msg_len == SPDM_ASK_IF_READY) {
			spdm_report(st, req, req_len, got, start,
				    spdm_error_to_errno(st->rsp[2]));
			rc = spdm_check_wait(st, req, r.wait_us);
			if (rc)
				return rc;
			spdm_env_sleep_us(r.wait_us);
			if (msg_len == SPDM_ASK_IF_READY) {
				req = r.riy;
				req_len = sizeof(r.riy);
			}
			continue;
		}
		break;
	}

	/*
	 * A parser returns at least the header length on success, and the
	 * parsers of signed responses at least the signature's length.
	 */
	rc = msg_len < 0 ? msg_len : 0;
	if (!rc && x->log) {
		rc = spdm_transcript_append(x->log, st->req, x->req_len);
		x->rsp_off = x->log->len;
		if (!rc)
			rc = spdm_transcript_append(x->log, st->rsp,
						    msg_len - x->unsigned_tail);
	}
	spdm_report(st, req, req_len, got, start, rc);
	return rc;
}
