#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gen-vectors.sh OUTDIR: test vectors for spdm_env_selftest.ko, made with the
# openssl command. Fresh keys every run, so the module cannot pass by
# remembering answers.
#
#   msg.bin                  the signed message
#   ALG.der ALG.sig          self-signed certificate and raw SPDM signature
#                            (r‖s for ECDSA) over msg.bin, for ALG in
#                            p256 p384 p521 (SHA-256/384/512) and
#                            rsa2048 rsa3072 rsa4096 (SHA-256/384/512)
#   root.der inter.der       chain: root (P-384 CA) -> inter (RSA-3072 CA) ->
#   leaf.der leaf.sig        leaf (P-256, digitalSignature, not a CA), leaf.sig
#                            over msg.bin with SHA-256;
#   leaf-noku.der            a leaf without keyUsage (allowed),
#   leaf-nods.der            keyUsage without digitalSignature (refused),
#   leaf-ca.der              a leaf that is a CA (refused), all issued by inter
#   by-leaf.der              a leaf issued by leaf.der, which is no CA (refused)
#   ed25519.der              self-signed Ed25519, an algorithm 6.12 lacks
#   rsapssN.der rsapssN.sig  RSASSA-PSS (salt = hash size) over msg.bin for
#                            N = 2048 3072 4096 (SHA-256/384/512)
#   pss-em.bin               the encoded message inside rsapss2048.sig
#   pss-salt20.sig pss-salt0.sig  rsapss2048 key, SHA-256, RFC-valid PSS
#                            with salts of 20 and 0 bytes (SPDM wants 32)
#   pss-trailer.sig          pss-em.bin with the trailer 0xbc made 0xbd,
#   pss-padding.sig          a padding octet of DB made nonzero,
#   pss-topbit.sig           the bit above emBits set, each signed raw
set -euo pipefail

out=${1:?usage: gen-vectors.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key() { # NAME ALG
	case $2 in
	p256 | p384 | p521)
		openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:P-${2#p}" \
			-out "$tmp/$1.key" 2>/dev/null ;;
	rsa*)
		openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2##*[a-z]}" \
			-out "$tmp/$1.key" 2>/dev/null ;;
	esac
}

zeros() { # N: print N zero digits
	printf '%*s' "$1" '' | tr ' ' 0
}

# raw SPDM signature of msg.bin: NAME ALG HASH
sign() {
	local coord r s
	case $2 in
	rsapss*)
		openssl dgst "-$3" -sign "$tmp/$1.key" -sigopt rsa_padding_mode:pss \
			-sigopt "rsa_pss_saltlen:${4:-digest}" -out "$out/$1.sig" \
			"$out/msg.bin"
		return ;;
	esac
	openssl dgst "-$3" -sign "$tmp/$1.key" -out "$tmp/$1.sig" "$out/msg.bin"
	case $2 in
	rsa*)
		cp "$tmp/$1.sig" "$out/$1.sig"
		return ;;
	p256) coord=32 ;;
	p384) coord=48 ;;
	p521) coord=66 ;;
	esac
	# Ecdsa-Sig-Value: two INTEGERs, each left-padded to the coordinate size
	{ read -r r; read -r s; } < <(openssl asn1parse -inform DER -in "$tmp/$1.sig" |
		sed -n 's/.*INTEGER *:0*//p')
	{ zeros $((2 * coord - ${#r})); echo -n "$r"
	  zeros $((2 * coord - ${#s})); echo -n "$s"; } | xxd -r -p >"$out/$1.sig"
}

selfsigned() { # NAME
	openssl req -x509 -new -key "$tmp/$1.key" -subj "/CN=spdm selftest $1" \
		-days 3650 -outform DER -out "$out/$1.der"
}

head -c 300 /dev/urandom >"$out/msg.bin"

for a in p256:sha256 p384:sha384 p521:sha512 \
	 rsa2048:sha256 rsa3072:sha384 rsa4096:sha512 \
	 rsapss2048:sha256 rsapss3072:sha384 rsapss4096:sha512; do
	key "${a%:*}" "${a%:*}"
	selfsigned "${a%:*}"
	sign "${a%:*}" "${a%:*}" "${a#*:}"
done

cat >"$tmp/ext.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
[leaf-noku]
basicConstraints = CA:FALSE
[leaf-nods]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyAgreement
[leaf-ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
CNF

# issue NAME ISSUER EXTSECTION
issue() {
	openssl req -new -key "$tmp/$1.key" -subj "/CN=spdm selftest $1" \
		-out "$tmp/$1.csr"
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" \
		-CAkey "$tmp/$2.key" -set_serial "0x$(xxd -l 8 -p /dev/urandom)" \
		-days 3650 -extfile "$tmp/ext.cnf" -extensions "$3" \
		-out "$tmp/$1.pem" 2>/dev/null
	openssl x509 -in "$tmp/$1.pem" -outform DER -out "$out/$1.der"
}

key root p384
openssl req -x509 -new -key "$tmp/root.key" -subj "/CN=spdm selftest root" \
	-days 3650 -config "$tmp/ext.cnf" -extensions ca -out "$tmp/root.pem"
openssl x509 -in "$tmp/root.pem" -outform DER -out "$out/root.der"
key inter rsa3072
issue inter root ca
for l in leaf leaf-noku leaf-nods leaf-ca; do
	key "$l" p256
	issue "$l" inter "$l"
done
sign leaf p256 sha256
key by-leaf p256
issue by-leaf leaf leaf
openssl genpkey -algorithm ed25519 -out "$tmp/ed25519.key"
selfsigned ed25519

# RSASSA-PSS encodings a verifier must refuse, signed with the raw private
# operation so that only the encoded message is wrong.
for salt in 20 0; do
	cp "$out/rsapss2048.sig" "$tmp/keep.sig"
	sign rsapss2048 rsapss2048 sha256 "$salt"
	mv "$out/rsapss2048.sig" "$out/pss-salt$salt.sig"
	mv "$tmp/keep.sig" "$out/rsapss2048.sig"
done
openssl pkeyutl -verifyrecover -inkey "$tmp/rsapss2048.key" \
	-pkeyopt rsa_padding_mode:none -in "$out/rsapss2048.sig" -out "$out/pss-em.bin"
em=$(xxd -p -c 1024 "$out/pss-em.bin")
rawsign() { # NAME HEX: RSASP1 (raw "decrypt") of the encoded message HEX; fails if EM >= n
	echo -n "$2" | xxd -r -p >"$tmp/$1.em"
	openssl pkeyutl -decrypt -inkey "$tmp/rsapss2048.key" -pkeyopt rsa_padding_mode:none \
		-in "$tmp/$1.em" -out "$out/$1.sig" 2>/dev/null
}
rawsign pss-trailer "${em:0:510}bd"
rawsign pss-padding "${em:0:2}$(printf %02x $((0x${em:2:2} ^ 1)))${em:4}"
# The top bit set may make EM exceed n: a fresh salt gives a fresh first octet.
for try in $(seq 64); do
	rawsign pss-topbit "$(printf %02x $((0x${em:0:2} | 0x80)))${em:2}" && break
	openssl dgst -sha256 -sign "$tmp/rsapss2048.key" -sigopt rsa_padding_mode:pss \
		-sigopt rsa_pss_saltlen:digest -out "$tmp/again.sig" "$out/msg.bin"
	em=$(openssl pkeyutl -verifyrecover -inkey "$tmp/rsapss2048.key" \
		-pkeyopt rsa_padding_mode:none -in "$tmp/again.sig" | xxd -p -c 1024)
	[ "$try" -lt 64 ] || exit 1
done
touch "$out/done"
