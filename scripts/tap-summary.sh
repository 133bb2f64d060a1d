#!/bin/sh
# Sum the TAP files of a test run into the one closing line `N passed, N failed, N skipped`.
# Exit status is non-zero when any test failed or a suite recorded no plan (crashed).
# usage: tap-summary.sh TAPDIR
dir=${1:?usage: tap-summary.sh TAPDIR}
ls "$dir"/*.tap >/dev/null 2>&1 || { echo "0 passed, 0 failed"; exit 1; }
awk '
	FNR == 1 { if (NR > 1 && !plan) { broken = broken " " prev } plan = 0; prev = FILENAME }
	/^[0-9]+\.\.[0-9]+/ { plan = 1 }
	/^ok / { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) skip++; else pass++ }
	/^not ok / { if ($0 ~ /# *[Tt][Oo][Dd][Oo]/) skip++; else { fail++; failed = failed "\n  " FILENAME ": " $0 } }
	END {
		if (!plan) broken = broken " " prev
		if (failed != "") print "failed tests:" failed
		if (broken != "") { print "suites without a TAP plan (crashed or aborted):" broken; fail++ }
		printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
		exit fail > 0
	}' "$dir"/*.tap
