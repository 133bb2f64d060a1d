#!/bin/sh
# Generate the test PKI of the SPDM responder emulator: for each signature algorithm a root CA,
# an intermediate CA and a device leaf with the extensions DSP0274 and PCIe CMA ask for, plus
# deliberately broken chains for the policy agent's tests. Layout: tests/pki/README.md.
#
# usage: gen-pki.sh OUTDIR
#
# Only the openssl command is used; keys live in OUTDIR, never in the source tree. A run is
# skipped when OUTDIR was produced by this very script (its hash is recorded in OUTDIR/.stamp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$1
GEN_CORIM=$(dirname "$0")/gen-corim.py
SELF_HASH=$(cat "$0" "$GEN_CORIM" | openssl dgst -sha256 -r | cut -d' ' -f1)
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$SELF_HASH" ]; then
	exit 0
fi

ALGS="ecp256 ecp384 ecp521 rsa2048 rsa3072 rsa4096"
# PCIe CMA identity of QEMU's emulated NVMe, as read from its configuration space.
CMA_ID="Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"
WRONG_CMA_ID="Vendor=8086:Device=0953:CC=010802:REV=01:SSVID=8086:SSID=3702"
# DSP0274 1.3.0 §10.6.1.3 (libspdm SPDM_OID_DMTF_EKU_RESPONDER_AUTH): id-DMTF-eku-responder-auth.
EKU_RESPONDER_AUTH=1.3.6.1.4.1.412.274.3
# DSP0274 1.3.0 §10.6.1.3: id-DMTF-eku-requester-auth; the SPDM extension
# (id-DMTF-spdm-extension) listing id-DMTF-hardware-identity, as DER.
EKU_REQUESTER_AUTH=1.3.6.1.4.1.412.274.4
SPDM_EXT=1.3.6.1.4.1.412.274.6
SPDM_EXT_HW_ID=DER:30:0e:30:0c:06:0a:2b:06:01:04:01:83:1c:82:12:02
# PCIe Base 6.0 §6.31.3: CMA SubjectAltName otherName type-id.
OID_PCIE_CMA=2.23.147

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# leaf_section NAME BASICCONSTRAINTS KEYUSAGE CMA_ID [self]: the extensions of a device leaf;
# a self-signed one has no authority key identifier.
leaf_section() {
	cat <<SEC
[ $1 ]
basicConstraints = critical, $2
keyUsage = critical, $3
extendedKeyUsage = $EKU_RESPONDER_AUTH
subjectAltName = otherName:$OID_PCIE_CMA;UTF8:$4
subjectKeyIdentifier = hash
SEC
	[ "${5-}" = self ] || echo "authorityKeyIdentifier = keyid"
}

{
	cat <<CNF
[ ca ]
default_ca = ca_default
[ ca_default ]
database = $TMP/index.txt
new_certs_dir = $TMP
serial = $TMP/serial
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
	leaf_section v3_leaf CA:FALSE digitalSignature "$CMA_ID"
	leaf_section v3_leaf_wrong_id CA:FALSE digitalSignature "$WRONG_CMA_ID"
	leaf_section v3_leaf_ca CA:TRUE digitalSignature "$CMA_ID"
	leaf_section v3_leaf_no_ds CA:FALSE keyEncipherment "$CMA_ID"
	leaf_section v3_leaf_self CA:FALSE digitalSignature "$CMA_ID" self
	leaf_section v3_leaf_hw_id CA:FALSE digitalSignature "$CMA_ID"
	echo "$SPDM_EXT = $SPDM_EXT_HW_ID"
	leaf_section v3_leaf_eku_requester CA:FALSE digitalSignature "$CMA_ID" |
		sed "s/^extendedKeyUsage = .*/extendedKeyUsage = $EKU_REQUESTER_AUTH/"
} >"$TMP/ca.cnf"

# genkey ALG FILE
genkey() {
	case $1 in
	ecp256) set -- "$2" EC ec_paramgen_curve:P-256 ;;
	ecp384) set -- "$2" EC ec_paramgen_curve:P-384 ;;
	ecp521) set -- "$2" EC ec_paramgen_curve:P-521 ;;
	rsa*) set -- "$2" RSA "rsa_keygen_bits:${1#rsa}" ;;
	esac
	openssl genpkey -algorithm "$2" -pkeyopt "$3" -out "$1" 2>/dev/null
	chmod 600 "$1"
}

# The digest each algorithm signs certificates with (the strength of its key).
digest_of() {
	case $1 in
	ecp256 | rsa2048) echo sha256 ;;
	ecp384 | rsa3072) echo sha384 ;;
	*) echo sha512 ;;
	esac
}

# issue KEY SUBJECT EXTSECTION OUT CACERT CAKEY MD [STARTDATE ENDDATE]
# CACERT "self" makes a self-signed certificate.
issue() {
	: >"$TMP/index.txt"
	openssl req -new -key "$1" -subj "$2" -out "$TMP/req.csr"
	if [ "$5" = self ]; then
		signer="-selfsign -keyfile $1"
	else
		signer="-cert $5 -keyfile $6"
	fi
	validity="-days 7300"
	[ $# -lt 9 ] || validity="-startdate $8 -enddate $9"
	# shellcheck disable=SC2086 # paths under OUTDIR have no blanks
	openssl ca -batch -notext -rand_serial -config "$TMP/ca.cnf" -in "$TMP/req.csr" \
		-extensions "$3" -md "$7" -out "$4" $signer $validity >"$TMP/err" 2>&1 ||
		{ cat "$TMP/err" >&2; return 1; }
}

# chain DIR CERT... : the SPDM-ready chain, DER certificates concatenated in the given order.
chain() {
	dir=$1
	shift
	: >"$dir/chain.der"
	: >"$dir/chain.pem"
	for c; do
		openssl x509 -in "$c" -outform DER >>"$dir/chain.der"
		cat "$c" >>"$dir/chain.pem"
	done
}

# full_chain DIR ALG MD ROOT_SUBJECT INTER_SUBJECT LEAF_SUBJECT: new keys, a root CA, an
# intermediate CA and a device leaf in DIR, and their chain.
full_chain() {
	mkdir -p "$1"
	for k in root inter leaf; do
		genkey "$2" "$1/$k.key"
	done
	issue "$1/root.key" "$4" v3_root "$1/root.pem" self - "$3"
	issue "$1/inter.key" "$5" v3_inter "$1/inter.pem" "$1/root.pem" "$1/root.key" "$3"
	issue "$1/leaf.key" "$6" v3_leaf "$1/leaf.pem" "$1/inter.pem" "$1/inter.key" "$3"
	chain "$1" "$1/root.pem" "$1/inter.pem" "$1/leaf.pem"
}

# A good chain per algorithm.
for alg in $ALGS; do
	full_chain "$OUT/$alg" "$alg" "$(digest_of "$alg")" \
		"/O=SPDM Test/CN=SPDM Test Root CA $alg" \
		"/O=SPDM Test/CN=SPDM Test Intermediate CA $alg" \
		"/O=SPDM Test/CN=SPDM Test Device $alg"
done

# The trust store of the good roots, in OpenSSL's hashed-directory form.
mkdir -p "$OUT/trust"
rm -f "$OUT"/trust/*
for alg in $ALGS; do
	cp "$OUT/$alg/root.pem" "$OUT/trust/$alg.pem"
done
openssl rehash "$OUT/trust" 2>/dev/null

# Reference values: the manifest signers' keys (P-256, P-384, and one that is no anchor), their
# anchors (rim.d: a self-signed certificate and a bare public key), then the signed CoRIMs.
R=$OUT/rim
mkdir -p "$R/rim.d"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$R/signer.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$R/signer384.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$R/other.key"
openssl req -new -x509 -key "$R/signer.key" -subj "/O=SPDM Test/CN=SPDM Test Manifest Signer" \
	-days 7300 -sha256 -out "$R/rim.d/test-vendor.pem" 2>/dev/null
openssl pkey -in "$R/signer384.key" -pubout -out "$R/rim.d/test-vendor-384.pem"
"$GEN_CORIM" "$R"

# Bad variants: all P-256, all but unknown-root anchored at the trusted ecp256 root.
G=$OUT/ecp256
B=$OUT/bad
rm -rf "$B"
# bad_leaf NAME EXTSECTION [STARTDATE ENDDATE]
bad_leaf() {
	d=$B/$1
	mkdir -p "$d"
	genkey ecp256 "$d/leaf.key"
	cp "$G/root.pem" "$G/inter.pem" "$d/"
	issue "$d/leaf.key" "/O=SPDM Test/CN=SPDM Test Device ($1)" "$2" "$d/leaf.pem" \
		"$G/inter.pem" "$G/inter.key" sha256 ${3:+"$3"} ${4:+"$4"}
	chain "$d" "$d/root.pem" "$d/inter.pem" "$d/leaf.pem"
}
bad_leaf expired v3_leaf 20200101000000Z 20210101000000Z
bad_leaf not-yet-valid v3_leaf 20900101000000Z 20910101000000Z
bad_leaf wrong-identity v3_leaf_wrong_id
bad_leaf leaf-ca v3_leaf_ca
bad_leaf no-digitalsignature v3_leaf_no_ds
# Certificate models: a leaf with the hardware-identity OID (legal in the
# DeviceCert model only) and one whose EKU names only the requester.
bad_leaf hw-identity v3_leaf_hw_id
bad_leaf requester-eku v3_leaf_eku_requester

d=$B/out-of-order
mkdir -p "$d"
cp "$G/root.pem" "$G/inter.pem" "$G/leaf.pem" "$G/leaf.key" "$d/"
chain "$d" "$d/root.pem" "$d/leaf.pem" "$d/inter.pem"

# A certificate issued with the good leaf's key: the leaf is no CA.
d=$B/issued-by-leaf
mkdir -p "$d"
genkey ecp256 "$d/leaf.key"
cp "$G/root.pem" "$G/inter.pem" "$d/"
issue "$d/leaf.key" "/O=SPDM Test/CN=SPDM Test Device (issued-by-leaf)" v3_leaf \
	"$d/leaf.pem" "$G/leaf.pem" "$G/leaf.key" sha256
chain "$d" "$d/root.pem" "$d/inter.pem" "$G/leaf.pem" "$d/leaf.pem"

d=$B/self-signed
mkdir -p "$d"
genkey ecp256 "$d/leaf.key"
cp "$G/root.pem" "$d/"
issue "$d/leaf.key" "/O=SPDM Test/CN=SPDM Test Device (self-signed)" v3_leaf_self \
	"$d/leaf.pem" self - sha256
chain "$d" "$d/leaf.pem"

full_chain "$B/unknown-root" ecp256 sha256 "/O=Elsewhere/CN=Unknown Root CA" \
	"/O=Elsewhere/CN=Unknown Intermediate CA" "/O=Elsewhere/CN=SPDM Test Device (unknown root)"

# Revoked variants: a leaf the good ecp256 intermediate revokes, and an intermediate (with a leaf
# of its own) the good ecp256 root revokes.
bad_leaf revoked-leaf v3_leaf
d=$B/revoked-inter
mkdir -p "$d"
genkey ecp256 "$d/inter.key"
genkey ecp256 "$d/leaf.key"
cp "$G/root.pem" "$d/"
issue "$d/inter.key" "/O=SPDM Test/CN=SPDM Test Intermediate CA (revoked)" v3_inter \
	"$d/inter.pem" "$G/root.pem" "$G/root.key" sha256
issue "$d/leaf.key" "/O=SPDM Test/CN=SPDM Test Device (revoked-inter)" v3_leaf "$d/leaf.pem" \
	"$d/inter.pem" "$d/inter.key" sha256
chain "$d" "$d/root.pem" "$d/inter.pem" "$d/leaf.pem"

# crl CACERT CAKEY MD OUT [LASTUPDATE NEXTUPDATE] [REVOKED...]: a CRL of CACERT listing the given
# certificates (PEM out; DER beside it as OUT.der).
crl() {
	ca_cert=$1 ca_key=$2 md=$3 out=$4
	shift 4
	dates="-crldays 7300"
	case ${1-} in
	2*Z) dates="-crl_lastupdate $1 -crl_nextupdate $2"; shift 2 ;;
	esac
	: >"$TMP/index.txt"
	for r; do
		openssl ca -config "$TMP/ca.cnf" -revoke "$r" -cert "$ca_cert" -keyfile "$ca_key" -md "$md" \
			-crl_reason keyCompromise >"$TMP/err" 2>&1 || { cat "$TMP/err" >&2; return 1; }
	done
	# shellcheck disable=SC2086 # dates are two options or four
	openssl ca -config "$TMP/ca.cnf" -gencrl -cert "$ca_cert" -keyfile "$ca_key" -md "$md" \
		$dates -out "$out" >"$TMP/err" 2>&1 || { cat "$TMP/err" >&2; return 1; }
	openssl crl -in "$out" -outform DER -out "$out.der"
}

# Every CA publishes a CRL; the trust store keeps each anchor's two beside it, the root's as
# <alg>.crl (PEM) and the intermediate's as <alg>.inter.crl (DER): two CRLs per anchor, both forms.
for alg in $ALGS; do
	md=$(digest_of "$alg")
	if [ "$alg" = ecp256 ]; then
		crl "$G/root.pem" "$G/root.key" "$md" "$G/root.crl" "$B/revoked-inter/inter.pem"
		crl "$G/inter.pem" "$G/inter.key" "$md" "$G/inter.crl" "$B/revoked-leaf/leaf.pem"
	else
		crl "$OUT/$alg/root.pem" "$OUT/$alg/root.key" "$md" "$OUT/$alg/root.crl"
		crl "$OUT/$alg/inter.pem" "$OUT/$alg/inter.key" "$md" "$OUT/$alg/inter.crl"
	fi
	cp "$OUT/$alg/root.crl" "$OUT/trust/$alg.crl"
	cp "$OUT/$alg/inter.crl.der" "$OUT/trust/$alg.inter.crl"
done
# The revoked intermediate's own CRL (it revokes nothing), for a trust store that checks it too.
crl "$B/revoked-inter/inter.pem" "$B/revoked-inter/inter.key" sha256 "$B/revoked-inter/inter.crl"
# A stale CRL of the ecp256 intermediate: nextUpdate in 2021.
crl "$G/inter.pem" "$G/inter.key" sha256 "$G/inter-stale.crl" 20200101000000Z 20210101000000Z
openssl rehash "$OUT/trust" 2>/dev/null

# Reference values: the manifest signers' keys (P-256, P-384, and one that is no anchor), their
# anchors (rim.d: a self-signed certificate and a bare public key), then the signed CoRIMs.
R=$OUT/rim
mkdir -p "$R/rim.d"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$R/signer.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$R/signer384.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$R/other.key"
openssl req -new -x509 -key "$R/signer.key" -subj "/O=SPDM Test/CN=SPDM Test Manifest Signer" \
	-days 7300 -sha256 -out "$R/rim.d/test-vendor.pem" 2>/dev/null
openssl pkey -in "$R/signer384.key" -pubout -out "$R/rim.d/test-vendor-384.pem"
"$GEN_CORIM" "$R"

echo "$SELF_HASH" >"$OUT/.stamp"
