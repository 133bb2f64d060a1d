# The system as the packages install it: the guest's root is an overlay of
# the unpacked .debs over the host's root (build/installed, made by
# `make -C tests/install vm-root`), with the modules DKMS built for the
# guest's kernel in updates/dkms (and depmod's indexes for them). In that
# root: modprobe spdm_cma,
# the spdm-agent package's own postinst (creates the unit's user), one trust
# anchor added to /etc/spdm as installed, and spdm-agent started from the
# unit's ExecStart= with the unit's User=, capabilities, NoNewPrivileges=,
# UMask= and LogsDirectory= applied by setpriv (no systemd as PID 1 here).
# A trusted device binds, one under an unknown root stays held, and both
# decisions are audited in the file spdm-agent(8) names.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 200
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

STAGE=$BUILD/installed
NR=$T/root
if [ ! -x "$STAGE/root/usr/sbin/spdm-agent" ]; then
	tap_fail "installed root staged" "no $STAGE/root: make -C tests/install vm-root"
	tap_done
	exit 1
fi
in_root() { chroot "$NR" "$@"; }

mkdir -p "$NR" "$T/up" "$T/work" "$T/mup" "$T/mwork"
modprobe overlay
# A copy on tmpfs: overlayfs refuses a lower layer nested in another (the host's root).
cp -a "$STAGE/root" "$T/packages"
if ! tap_check "root: the packages over the host's root (overlay)" mount -t overlay overlay \
	-o "lowerdir=$T/packages:/,upperdir=$T/up,workdir=$T/work" "$NR"; then
	tap_done
	exit 1
fi
for d in proc sys dev run; do
	mount --rbind "/$d" "$NR/$d"
done
mount -t tmpfs -o mode=1777 tmpfs "$NR/tmp"
# the guest kernel's modules, and DKMS's beside them
tap_check "modules: the guest's and updates/dkms" mount -t overlay overlay \
	-o "lowerdir=$T/packages/usr/lib/modules/$KVER:/usr/lib/modules/$KVER,upperdir=$T/mup,workdir=$T/mwork" \
	"$NR/usr/lib/modules/$KVER"

tap_check "modules.dep lists updates/dkms/spdm_cma" grep -q "^updates/dkms/spdm_cma.ko" \
	"$NR/usr/lib/modules/$KVER/modules.dep"
for m in spdm spdm_cma; do
	tap_match "modinfo: $m comes from updates/dkms" "$(in_root modinfo -n "$m" 2>&1)" \
		"/lib/modules/$KVER/updates/dkms/$m.ko*"
done
tap_check "modprobe spdm_cma (and spdm, its dependency)" in_root modprobe spdm_cma
tap_check "both loaded" test -d /sys/module/spdm -a -d /sys/module/spdm_cma

# The package's maintainer script, as dpkg runs it after unpacking.
cp -r "$STAGE"/control/spdm-agent_* "$NR/tmp/spdm-agent.control"
tap_check "spdm-agent postinst configure" in_root /tmp/spdm-agent.control/postinst configure

# What the installed unit asks for.
UNIT=$NR/lib/systemd/system/spdm-agent.service
unit() { sed -n "s/^$1=//p" "$UNIT" | tr '\n' ' ' | sed 's/ *$//'; }
# caps "CAP_A CAP_B" -> ",+a,+b" (setpriv's spelling)
# shellcheck disable=SC2086 # a list of words
caps() { local c; for c in $1; do c=${c#CAP_}; printf ',+%s' "${c,,}"; done; }
user=$(unit User)
group=$(unit Group)
group=${group:-$user}
exec_start=$(sed -n 's/^ExecStart=[-@:+!]*//p' "$UNIT" | tail -1)
exec_pre=$(sed -n 's/^ExecStartPre=[-@:+!]*//p' "$UNIT" | tail -1)
logs=$(unit LogsDirectory)
echo "# unit: User=${user:-root} ExecStart=$exec_start" \
	"CapabilityBoundingSet=$(unit CapabilityBoundingSet)" \
	"AmbientCapabilities=$(unit AmbientCapabilities) NoNewPrivileges=$(unit NoNewPrivileges)" \
	"UMask=$(unit UMask) LogsDirectory=$logs"
tap_match "unit: ExecStart runs /usr/sbin/spdm-agent" "$exec_start" "/usr/sbin/spdm-agent *"
sp=(setpriv "--bounding-set=-all$(caps "$(unit CapabilityBoundingSet)")")
if [ -n "$user" ]; then
	tap_check "the unit's user $user exists" in_root getent passwd "$user"
	sp+=(--reuid "$user" --regid "$group" --init-groups)
fi
amb=$(unit AmbientCapabilities)
[ -z "$amb" ] || sp+=("--inh-caps=-all$(caps "$amb")" "--ambient-caps=-all$(caps "$amb")")
[ "$(unit NoNewPrivileges)" != yes ] || sp+=(--no-new-privs)
# LogsDirectory=: systemd creates it for the unit's user, with its mode
if [ -n "$logs" ]; then
	mkdir -p "$NR/var/log/$logs"
	in_root chown "${user:-root}:${group:-root}" "/var/log/$logs"
	chmod "$(unit LogsDirectoryMode | sed 's/^$/0755/')" "$NR/var/log/$logs"
fi
# chroot, sh and setpriv each exec the next: the agent keeps chroot's PID
run_unit=(chroot "$NR" sh -c "umask $(unit UMask | sed 's/^$/0022/'); exec \"\$@\"" sh "${sp[@]}")

# The audit file where the man page says, and one anchor in the installed store.
audit=$(zcat "$NR/usr/share/man/man8/spdm-agent.8.gz" | grep -o '^\.I /var/log/.*\.jsonl' | sed 's/^\.I //')
tap_match "spdm-agent(8) names the audit file" "$audit" "/var/log/*"
cp "$BUILD/pki/ecp256/root.pem" "$NR/etc/spdm/trust.d/test-vendor.pem"
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
tap_check "ExecStartPre= under the unit's privileges" "${run_unit[@]}" $exec_pre

modprobe nvme
# shellcheck disable=SC2086
"${run_unit[@]}" $exec_start >"$VM_RUNDIR/agent.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do
	grep -q '"event":"start"' "$NR$audit" 2>/dev/null && break
	sleep 0.1
done
if ! tap_check "agent started and audited its start" grep -q '"event":"start"' "$NR$audit"; then
	sed 's/^/# /' "$VM_RUNDIR/agent.log"
	tap_done
	exit 1
fi
status=$(cat "/proc/$pid/status")
want_uid=$(in_root id -u "${user:-root}")
tap_match "agent runs as ${user:-root}" "$(echo "$status" | awk '/^Uid:/ { print $3 }')" "$want_uid"
echo "$status" | grep -E '^(Cap|NoNewPrivs)' | sed 's/^/# /'
tap_check "its capabilities are no more than the unit's bounding set" \
	test "$(echo "$status" | awk '/^CapEff:/ { print $2 }')" = \
	"$(in_root setpriv "--bounding-set=-all$(caps "$(unit CapabilityBoundingSet)")" \
		sh -c 'grep ^CapBnd: /proc/self/status' | awk '{ print $2 }')"

good=$(vm_device_add good)
bad=$(vm_device_add stranger --slot "0:$BUILD/pki/bad/unknown-root")
for _ in $(seq 900); do
	case "$(gate_sysfs "$good" state 2>/dev/null) $(gate_sysfs "$bad" state 2>/dev/null)" in
	allowed\ denied | *\ allowed | denied\ *) break ;;
	esac
	sleep 0.1
done
tap_check "trusted device allowed by the agent" \
	test "$(gate_sysfs "$good" state) $(gate_sysfs "$good" verdict_source)" = "allowed agent"
tap_check "trusted device bound to nvme" gate_wait_driver "$good" 10
tap_check "untrusted device denied by the agent" \
	test "$(gate_sysfs "$bad" state) $(gate_sysfs "$bad" verdict_source)" = "denied agent"
tap_check "untrusted device held (no driver)" test ! -e "/sys/bus/pci/devices/$bad/driver"
for d in "$good=allow" "$bad=deny"; do
	tap_check "audit: ${d#*=} of ${d%=*} in $audit" grep -q \
		"\"event\":\"decision\".*\"device\":\"${d%=*}\".*\"verdict\":\"${d#*=}\"" "$NR$audit"
done
tap_match "audit file owned by ${user:-root}" "$(in_root stat -c %U "$audit")" "${user:-root}"
kill -TERM "$pid"
wait "$pid"
tap_check "agent stops on SIGTERM (exit status 0)" test $? = 0
tap_done
