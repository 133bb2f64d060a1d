#!/bin/bash
# Install everything the project needs on Debian 12 (bookworm), and nothing else.
# Idempotent: when every package is present it only checks and returns in seconds.
set -euo pipefail

BACKPORTS_LIST=/etc/apt/sources.list.d/bookworm-backports.sources
BACKPORTS_PKGS=(qemu-system-x86 linux-headers-amd64 libbpf-dev bpftool libsystemd-dev)
MAIN_PKGS=(gcc clang llvm lld pahole make flex bison bc libelf-dev libnl-3-dev libnl-genl-3-dev libcmocka-dev
	libssl-dev openssl libjson-c-dev libaudit-dev libcbor-dev bpftrace
	busybox-static cpio python3 python3-yaml python3-jsonschema python3-cryptography python3-cbor2 linux-source-6.12 xz-utils
	libclang-rt-14-dev valgrind
	pkg-config dpkg-dev debhelper dh-dkms dkms fakeroot lintian devscripts groff man-db
	bash-completion systemd util-linux kmod file)

die() { echo "deps: $*" >&2; exit 1; }

. /etc/os-release 2>/dev/null || die "cannot read /etc/os-release"
[ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ] ||
	die "unsupported system '${PRETTY_NAME:-unknown}': this script supports Debian 12 (bookworm) only"
[ "$(uname -m)" = x86_64 ] || die "unsupported architecture $(uname -m): x86_64 only"

missing=()
for p in "${BACKPORTS_PKGS[@]}" "${MAIN_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# The headers must be the 6.12 series from backports, whatever else is installed.
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null | grep -o 'linux-headers-6\.12[^ ,]*' || true)
[ -n "$kver" ] || missing+=(linux-headers-amd64)

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run 'make deps' as root"

if [ ! -e "$BACKPORTS_LIST" ]; then
	echo "deps: enabling bookworm-backports"
	cat >"$BACKPORTS_LIST" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends -t bookworm-backports \
	"${BACKPORTS_PKGS[@]}" >/dev/null || die "installing backports packages failed"
apt-get install -y -qq --no-install-recommends "${MAIN_PKGS[@]}" >/dev/null ||
	die "installing packages failed"

qv=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $qv
{ [ "$1" -gt 9 ] || { [ "$1" -eq 9 ] && [ "$2" -ge 1 ]; }; } ||
	die "qemu-system-x86_64 $1.$2 is too old: NVMe SPDM over DOE needs 9.1"
echo "deps: done"
