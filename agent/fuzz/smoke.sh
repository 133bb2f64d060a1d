#!/bin/sh
# Run each libFuzzer harness for FUZZ_SECONDS on its seed corpus and print
# TAP: one test per harness, failing on any crash, leak or sanitizer report.
# usage: OUT=builddir FUZZ_SECONDS=15 smoke.sh NAME...
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?OUT not set}" "${FUZZ_SECONDS:=15}"
echo "1..$#"
i=0 rc=0
for name in "$@"; do
	i=$((i + 1))
	work="$OUT/fuzz-corpus/$name"
	log="$OUT/$name.log"
	mkdir -p "$work"
	seeds="$here/corpus/${name#fuzz-}"	# checked-in seeds, where a harness has them
	[ -d "$seeds" ] || seeds=
	echo "# $name: ${FUZZ_SECONDS}s" >&2
	if "$OUT/$name" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/$name-" \
		"$work" ${seeds:+"$seeds"} >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok $i - $name ($runs runs in ${FUZZ_SECONDS}s)"
	else
		echo "not ok $i - $name (see $log)"
		tail -30 "$log" | sed 's/^/# /'
		rc=1
	fi
done
exit $rc
