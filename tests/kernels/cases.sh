#!/bin/sh
# The kernel matrix's workloads, recorded the same way on every kernel: the
# host and each guest run these very binaries (static, and busybox's
# applets), so their traces can be judged by the same checks.
#   CTRACE=path/to/ctrace BIN=dir-of-static-binaries OUT=dir sh cases.sh
# Each case leaves OUT/NAME.ctr, .out, .err and .rc (record's exit status).
set -u

rec() {
	name=$1
	shift
	"$CTRACE" record -q -o "$OUT/$name.ctr" -- "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	echo $? >"$OUT/$name.rc"
}

cases() {
	suffix=$1
	rec "sleep$suffix" "$BIN/sleep" 0.3
	rec "forkexec$suffix" "$BIN/sh" -c "for i in 1 2 3 4 5; do $BIN/true & done; wait; $BIN/ls / >/dev/null"
	rec "threads$suffix" "$BIN/cpu_threads" -t 2 -w 300
	rec "pingpong$suffix" "$BIN/pingpong" -l 10000
	rec "sysloop$suffix" "$BIN/sysloop" -l 200000
	rec "kspin$suffix" "$BIN/kspin" -l 100000 -w 1000
}

uname -r >"$OUT/kernel"
cat /sys/kernel/realtime >"$OUT/realtime" 2>/dev/null || echo 0 >"$OUT/realtime"
cases ""
# The probes' fallbacks, which older kernels need, proven on this one too.
CTRACE_PROBE_FALLBACKS=1
export CTRACE_PROBE_FALLBACKS
cases "-fallbacks"
unset CTRACE_PROBE_FALLBACKS
