# TAP helpers shared by the install and package checks (sourced).
tap_n=0
tap_failed=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }

# not_ok NAME [DIAGNOSTICS...]: diagnostics become "# " lines.
not_ok()
{
	local name=$1
	shift
	tap_n=$((tap_n + 1))
	tap_failed=1
	echo "not ok $tap_n - $name"
	[ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/#   /'
}

# check NAME CMD...: ok when CMD succeeds, its output as diagnostics otherwise.
check()
{
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

tap_done() { echo "1..$tap_n"; exit $tap_failed; }
