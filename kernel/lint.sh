#!/bin/bash
# Lint kernel sources as upstream review would: checkpatch.pl --strict,
# kernel-doc, and a kernel-doc comment on every non-static function; one TAP
# line per file, which passes when none of them says anything.
#
# usage: lint.sh TOOLS TAP_FILE [-i FILE:TYPE]... FILE...
#
# TOOLS holds scripts/checkpatch.pl (spelling.txt and const_structs.checkpatch
# beside it) and scripts/kernel-doc. -i lets FILE break the checkpatch rule
# TYPE; the caller says why.
set -u
tools=$1 tap=$2
shift 2
declare -A ignore
while [ "${1-}" = -i ]; do
	ignore[${2%%:*}]+=" ${2#*:} "
	shift 2
done
[ $# -gt 0 ] || { echo "lint: no files" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# One run of each tool over all files (their start-up is most of the cost);
# both prefix every finding with "FILE:LINE: ".
perl "$tools/scripts/checkpatch.pl" --no-tree --strict --terse --show-types -q -f "$@" \
	>"$tmp/checkpatch" 2>&1
perl "$tools/scripts/kernel-doc" -none -Wall "$@" >"$tmp/kernel-doc" 2>&1

# Non-static function definitions (kernel style: return type, name and "("
# on a line starting at column 0) that kernel-doc does not document.
perl "$tools/scripts/kernel-doc" -rst "$@" 2>/dev/null |
	sed -n 's/^\.\. c:function:: .*[ *]\([a-z_0-9][a-z_0-9]*\) (.*/\1/p' |
	sort -u >"$tmp/documented"
for f; do
	case $f in *.c) ;; *) continue ;; esac
	awk '/^[a-z_][a-zA-Z0-9_ *]*[ *][a-z_0-9]+\(/ && !/^static/ && !/;$/ {
		l = $0; sub(/\(.*/, "", l); n = split(l, w, /[ *]+/)
		print FILENAME ":" FNR ": " w[n]
	}' "$f"
done | while read -r loc name; do
	grep -qx "$name" "$tmp/documented" ||
		echo "$loc kernel-doc: non-static $name() has no kernel-doc comment"
done >"$tmp/undocumented"

# Keep the findings (checkpatch ends each file with a "total:" line), minus
# the rules a file may break.
findings() { # findings FILE
	grep -h -F -- "$1:" "$tmp/checkpatch" "$tmp/kernel-doc" "$tmp/undocumented" |
		grep -v '^total:' |
		while IFS= read -r line; do
			[ "${line%%:*}" = "$1" ] || continue
			type=${line#*: *:}
			type=${type%%:*}
			[[ ${ignore[$1]-} == *" $type "* ]] || printf '%s\n' "$line"
		done
}

# Anything the tools said that names no file we gave them is a failure too.
stray=$(grep -hv '^total:' "$tmp/checkpatch" "$tmp/kernel-doc" | grep -v '^$' |
	while IFS= read -r line; do
		found=
		for f; do [ "${line%%:*}" = "$f" ] && { found=1; break; }; done
		[ -n "$found" ] || printf '%s\n' "$line"
	done)

n=0 fail=0 out=""
for f; do
	n=$((n + 1))
	what=$(findings "$f")
	if [ -z "$what" ]; then
		line="ok $n - $f"
	else
		fail=1
		line="not ok $n - $f"$'\n'$(printf '%s\n' "$what" | sed 's/^/# /')
	fi
	out+="$line"$'\n'
	printf '%s\n' "$line"
done
if [ -n "$stray" ]; then
	n=$((n + 1)) fail=1
	line="not ok $n - tools ran cleanly"$'\n'$(printf '%s\n' "$stray" | sed 's/^/# /')
	out+="$line"$'\n'
	printf '%s\n' "$line"
fi

mkdir -p "$(dirname "$tap")"
printf '1..%d\n%s' "$n" "$out" >"$tap"
exit $fail
