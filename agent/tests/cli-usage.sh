#!/bin/sh
# spdmctl's command line: a bad subcommand, option or argument is a usage
# error (exit 2, usage on stderr) before any socket is opened, and `verify`
# never opens one. socket() is replaced by a shim (no-socket.so) that says
# when it is called; `list` shows the shim works. Prints TAP.
# usage: cli-usage.sh SPDMCTL NO_SOCKET_SO CORPUS_FILE
ctl=$1 shim=$2 evfile=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 rc=0

# expect NAME STATUS PATTERN ARGS...: exit status, a line of the output
# (stdout and stderr), and no socket() unless the pattern is the shim's line
expect() {
	name=$1 want=$2 pattern=$3
	shift 3
	n=$((n + 1))
	LD_PRELOAD=$shim "$ctl" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ] || ! cat "$tmp/out" "$tmp/err" | grep -q -- "$pattern" ||
	   { [ "$pattern" != "no-socket: socket() called" ] &&
	     grep -q "no-socket:" "$tmp/err"; }; then
		echo "not ok $n - $name (exit $got, wanted $want)"
		sed 's/^/# /' "$tmp/err" | head -5
		rc=1
	else
		echo "ok $n - $name"
	fi
}

echo "1..21"
expect "the shim catches a netlink socket (list)" 1 "no-socket: socket() called" list
expect "no command" 2 "^usage: spdmctl" 
expect "an unknown command" 2 'unknown command "bogus"' bogus
expect "an unknown command with a DEVICE" 2 'unknown command "bogus"' \
	bogus 0000:01:00.0
expect "an unknown option" 2 "^usage: spdmctl" --bogus list
expect "an option the command does not take" 2 "list does not take --reason" \
	list --reason x
expect "evidence does not take --policy" 2 "evidence does not take --policy" \
	evidence 0000:01:00.0 --policy p
expect "show without its DEVICE" 2 "show needs a DEVICE" show
expect "list with an argument" 2 "list takes no argument" list extra
expect "an extra argument" 2 'extra argument "b"' allow a b
expect "an option's missing value" 2 "^usage: spdmctl" authenticate a --nonce
# A reason the kernel would record otherwise than typed: refused, the byte
# named as the agent's log writes it (\xNN), before any socket.
expect "a reason with a newline" 2 'reason has a control byte \\x0a at offset 4' \
	deny 0000:01:00.0 --reason "$(printf 'rule\nforged')"
expect "a reason with an escape sequence" 2 'reason has a control byte \\x1b at offset 0' \
	allow 0000:01:00.0 --reason "$(printf '\033[2J')"
expect "a reason with a tab" 2 'reason has a control byte \\x09 at offset 1' \
	allow 0000:01:00.0 -r "$(printf 'a\tb')"
expect "a reason with DEL" 2 'reason has a control byte \\x7f at offset 3' \
	deny 0000:01:00.0 --reason "$(printf 'end\177')"
expect "a reason longer than the kernel keeps" 2 'reason is 256 bytes, at most 255' \
	deny 0000:01:00.0 --reason "$(head -c 256 /dev/zero | tr '\0' x)"
expect "verify without its FILE" 2 "verify needs a FILE" verify --policy p
expect "verify without --policy or --trust-store" 2 \
	"verify needs --policy FILE or --trust-store DIR" verify "$evfile"
expect "verify of a missing file: an error, no socket" 3 \
	"$tmp/missing.json: " verify "$tmp/missing.json" --trust-store "$tmp"
mkdir "$tmp/trust"
expect "verify of a file without an anchor: not verified, no socket" 1 \
	"NOT verified" \
	verify "$evfile" --trust-store "$tmp/trust"
n=$((n + 1))
if LD_PRELOAD=$shim "$ctl" --help >"$tmp/out" 2>"$tmp/err" &&
   grep -q "^  verify FILE" "$tmp/out" && [ ! -s "$tmp/err" ]; then
	echo "ok $n - --help prints the table's commands on stdout"
else
	echo "not ok $n - --help prints the table's commands on stdout"
	rc=1
fi
exit $rc
