#!/bin/sh
# Root integration tests: record real workloads with the real probes.
# Prints one line per test and "integration: N passed, N failed, N skipped".
cd "$(dirname "$0")/.." && . tests/lib.sh

t_sleep() {
	"$CTRACE" record -q -o "$TMP/s.ctr" -- sleep 0.3 2>"$TMP/err" || { bad sleep "record failed: $(cat "$TMP/err")"; return; }
	set -- $(summary "$TMP/s.ctr")
	[ $# = 3 ] || { bad sleep "no summary in dump"; return; }
	holds "$1 > 10 && $2 >= 0.29 && $2 < 1.0 && $3 == 0" ||
		{ bad sleep "events=$1 span=$2 s dropped=$3"; return; }
	"$CTRACE" dump "$TMP/s.ctr" | grep -q "sched_process_exec: filename=.*sleep" ||
		{ bad sleep "no exec of sleep"; return; }
	"$CTRACE" dump "$TMP/s.ctr" | grep -q "syscall: clock_nanosleep = 0 \[" ||
		{ bad sleep "no clock_nanosleep syscall"; return; }
	ok "sleep 0.3: span ${2}s, $1 events, none dropped"
}

t_fork_tree() {
	"$CTRACE" record -q -o "$TMP/f.ctr" -- sh -c 'for i in 1 2 3 4 5; do /bin/true & done; wait; ls / >/dev/null' 2>"$TMP/err" ||
		{ bad fork-tree "record failed: $(cat "$TMP/err")"; return; }
	"$CTRACE" dump "$TMP/f.ctr" >"$TMP/f.txt"
	children=$(sed -n 's/.*sched_process_fork: child=\([0-9]*\).*/\1/p' "$TMP/f.txt")
	n=$(echo "$children" | wc -w)
	[ "$n" -ge 6 ] || { bad fork-tree "only $n forks seen"; return; }
	for c in $children; do
		grep -Eq "^ *[^ ]+ +$c \[[0-9]+\] .*sched_process_exit" "$TMP/f.txt" ||
			{ bad fork-tree "child $c has no exit event: missed by the task set"; return; }
	done
	grep -q "task: tgid=[0-9]* comm=true" "$TMP/f.txt" && grep -q "task: tgid=[0-9]* comm=ls" "$TMP/f.txt" ||
		{ bad fork-tree "exec'd names true/ls not seen"; return; }
	ok "fork/exec tree: $n children, each traced to its exit, exec'd names seen"
}

t_threads() {
	"$CTRACE" record -q -o "$TMP/t.ctr" -- "$WL/cpu_threads" -t 2 -w 100 >/dev/null 2>"$TMP/err" ||
		{ bad threads "record failed: $(cat "$TMP/err")"; return; }
	"$CTRACE" dump "$TMP/t.ctr" >"$TMP/t.txt"
	for name in worker-0 worker-1; do
		tid=$(sed -n "s/.* \([0-9]*\) \[[0-9]*\] .*task: tgid=[0-9]* comm=$name\$/\1/p" "$TMP/t.txt" | head -1)
		[ -n "$tid" ] || { bad threads "thread name $name never seen"; return; }
		grep -q "==> .*/$tid\$" "$TMP/t.txt" || { bad threads "$name ($tid) never switched in"; return; }
	done
	ok "two-thread program: both threads named and switched in"
}

t_exit_status() {
	"$CTRACE" record -q -o "$TMP/e.ctr" -- sh -c 'exit 7' 2>/dev/null
	rc=$?
	[ $rc = 7 ] || { bad exit-status "exit 7 gave $rc"; return; }
	"$CTRACE" record -q -o "$TMP/e.ctr" -- sh -c 'kill -TERM $$' 2>/dev/null
	rc=$?
	[ $rc = 143 ] || { bad exit-status "death by SIGTERM gave $rc, want 143"; return; }
	"$CTRACE" dump "$TMP/e.ctr" >/dev/null || { bad exit-status "trace of killed command invalid"; return; }
	"$CTRACE" record -q -o "$TMP/nx.ctr" -- /nonexistent/cmd 2>"$TMP/err"
	rc=$?
	[ $rc = 127 ] && grep -q "cannot run '/nonexistent/cmd'" "$TMP/err" && [ ! -e "$TMP/nx.ctr" ] ||
		{ bad exit-status "missing command: rc=$rc, $(cat "$TMP/err")"; return; }
	ok "exit status passes through (7, 143 for SIGTERM, 127 not found, no file left)"
}

# interrupt TRACE CMD...: record CMD, SIGINT the recorder after 0.5 s; sets rc and took
interrupt() {
	trace=$1; shift
	"$CTRACE" record -q -o "$trace" -- "$@" 2>"$TMP/err" &
	pid=$!
	sleep 0.5
	start=$(date +%s.%N)
	kill -INT $pid
	wait $pid
	rc=$?
	took=$(awk "BEGIN { print $(date +%s.%N) - $start }")
}

t_sigint() {
	interrupt "$TMP/i.ctr" sleep 30
	[ $rc = 130 ] || { bad sigint "exit status $rc, want 130 (sleep killed by SIGINT)"; return; }
	holds "$took < 2.5" || { bad sigint "took ${took}s to stop"; return; }
	"$CTRACE" dump "$TMP/i.ctr" >/dev/null 2>"$TMP/err" && ! grep -q "not finalized" "$TMP/err" ||
		{ bad sigint "trace not valid after SIGINT: $(cat "$TMP/err")"; return; }
	ok "SIGINT mid-recording: forwarded, stopped in ${took}s, trace finalized"
}

t_no_syscalls() {
	"$CTRACE" record -q --no-syscalls -o "$TMP/n.ctr" -- sleep 0.1 2>/dev/null
	"$CTRACE" dump "$TMP/n.ctr" >"$TMP/n.txt"
	! grep -v '^#' "$TMP/n.txt" | grep -q " syscall: " && grep -q "in clock_nanosleep ==>" "$TMP/n.txt" ||
		{ bad no-syscalls "syscall events present or blocked syscall unknown"; return; }
	ok "--no-syscalls: no syscall events, blocked syscall still known from the switch"
}

t_attach_pid() {
	sh -c 'while :; do sleep 0.05; done' &
	target=$!
	"$CTRACE" record -q -p $target -d 0.5 -o "$TMP/p.ctr" 2>"$TMP/err"
	rc=$?
	kill $target; wait $target 2>/dev/null
	[ $rc = 0 ] || { bad attach "rc=$rc: $(cat "$TMP/err")"; return; }
	n=$("$CTRACE" dump "$TMP/p.ctr" | grep -c "sched_process_fork")
	[ "$n" -ge 3 ] || { bad attach "only $n forks of the attached shell seen"; return; }
	ok "-p PID -d 0.5: attached tree traced ($n forks)"
}

# A process already spinning through syscalls when ctrace attaches: the
# task set the recorder writes while the probes run must reach them.
# -p on a program blocked in read since before the recording: blocked in
# read from the first instant, though it has no event at all.
t_attach_blocked() {
	"$PY" -c 'import os; r, w = os.pipe(); os.read(r, 1)' &
	bg=$!
	sleep 0.3
	"$CTRACE" record -q -p $bg -d 0.5 -o "$TMP/blocked.ctr" 2>"$TMP/err" || { bad attach-blocked "$(cat "$TMP/err")"; kill $bg; return; }
	kill $bg; wait $bg 2>/dev/null
	"$CTRACE" report --json "$TMP/blocked.ctr" >"$TMP/r.json" || { bad attach-blocked "report failed"; return; }
	set -- $("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); t=[t for t in d["threads_detail"] if t["tid"]==int(sys.argv[2])]
print(d["wall_s"], t[0]["states_s"]["pipe"] if t else 0, t[0]["states_s"]["running"] if t else -1)' "$TMP/r.json" $bg)
	holds "$1 >= 0.45 && $2 >= 0.98 * $1 && $3 == 0" ||
		{ bad attach-blocked "wall $1 s, of which $2 s blocked in read and $3 s running"; return; }
	ok "-p on a program blocked in read: in read for $2 s of $1 s, from the first instant"
}

# -p on GIL threads attached mid-run: serialized, and never two threads
# running at once for more than a few ms (a hand-over; taken as running from
# the first instant until their first event, they were 2 running 31% of
# the time) but where the kernel's account says one of them was not
# executing: on a VM the hypervisor can stop a vCPU for milliseconds while
# its thread is on it (steal).
t_attach_gil() {
	"$PY" tests/progs/gil_spin.py 2 2.5 &
	bg=$!
	sleep 0.5
	"$CTRACE" record -q -p $bg -d 1 -o "$TMP/gil-p.ctr" 2>"$TMP/err" || { bad attach-gil "$(cat "$TMP/err")"; wait; return; }
	wait $bg
	why=$(verdict "$TMP/gil-p.ctr" cpu-bound serialized) || { bad attach-gil "$why"; return; }
	"$CTRACE" export --format csv -o "$TMP/gil-p-csv" "$TMP/gil-p.ctr" >/dev/null 2>&1 ||
		{ bad attach-gil "export csv failed"; return; }
	set -- $(jq_get parallelism.mean) $("$PY" tests/longest_overlap.py "$TMP/gil-p-csv")
	holds "$1 <= 1.1 && $2 <= 10000000" || {
		cp "$TMP/gil-p.ctr" /tmp/ctrace-failed-attach-gil.ctr
		bad attach-gil "parallelism $1; 2 threads ran at once for $(($2 / 1000)) us at a stretch beyond what steal explains (by the clock $(($3 / 1000)) us; kept: /tmp/ctrace-failed-attach-gil.ctr)"; return; }
	ok "-p on GIL threads mid-run: serialized, parallelism $1; 2 running at most $(($2 / 1000)) us at a stretch but for steal ($(($3 / 1000)) us by the clock, $(($4 / 1000000)) ms in all)"
}

t_attach_busy() {
	"$PY" -c 'import os
while True: os.getppid()' &
	target=$!
	sleep 0.2
	"$CTRACE" record -q -p $target -d 0.3 -o "$TMP/pb.ctr" 2>"$TMP/err"
	rc=$?
	kill $target; wait $target 2>/dev/null
	[ $rc = 0 ] || { bad attach-busy "rc=$rc: $(cat "$TMP/err")"; return; }
	n=$("$CTRACE" dump "$TMP/pb.ctr" | grep -c "syscall: getppid")
	[ "$n" -ge 1000 ] || { bad attach-busy "only $n getppid calls of the attached process seen"; return; }
	ok "-p PID on a process spinning through syscalls: $n of its calls in 0.3 s"
}

t_system_wide() {
	# Something to switch on every CPU: an idle CPU may otherwise not switch for 0.3 s.
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$cpu" sh -c 'for i in 1 2 3 4 5; do sleep 0.04; done' &
	done
	"$CTRACE" record -q -a -d 0.3 -o "$TMP/a.ctr" 2>"$TMP/err" || { bad system-wide "$(cat "$TMP/err")"; wait; return; }
	wait
	cpus=$("$CTRACE" dump "$TMP/a.ctr" | sed -n 's/.* \[\([0-9]*\)\] .*sched_switch.*/\1/p' | sort -u | wc -l)
	[ "$cpus" -ge "$(nproc)" ] || { bad system-wide "switches on $cpus CPUs of $(nproc)"; return; }
	# The recorder runs on those CPUs too, but the machine it reports is everyone else.
	self=$("$CTRACE" dump "$TMP/a.ctr" | sed -n 's/^# recorder: pid \([0-9]*\).*/\1/p')
	"$CTRACE" report --json "$TMP/a.ctr" >"$TMP/a.json" || { bad system-wide "report failed"; return; }
	[ -n "$self" ] && "$PY" -c 'import json,sys; sys.exit(any(p["pid"] == int(sys.argv[2]) for p in json.load(open(sys.argv[1]))["processes_detail"]))' "$TMP/a.json" "$self" ||
		{ bad system-wide "the recorder (pid ${self:-unknown}) is in its own report's processes"; return; }
	ok "-a -d 0.3: switches on all $cpus CPUs; the recorder (pid $self) is not among the processes"
}

# -a beside a 2-thread CPU program, a runtime and daemons: nothing impossible.
# Whatever the kernel's stream misses, at most one task runs per CPU.
t_system_wide_possible() {
	"$WL/cpu_threads" -t 2 -w 2500 >/dev/null &
	bg=$!
	"$CTRACE" record -q -a -d 1.5 -o "$TMP/all.ctr" 2>"$TMP/err" || { bad system-wide-possible "$(cat "$TMP/err")"; wait; return; }
	wait $bg
	"$CTRACE" report --json "$TMP/all.ctr" >"$TMP/r.json" 2>"$TMP/err" || { bad system-wide-possible "$(cat "$TMP/err")"; return; }
	set -- $(jq_get cpus) $(jq_get parallelism.peak) $(jq_get on_cpu_s) $(jq_get wall_s) $(jq_get anomalies.repaired_switches)
	inv=$(jq_get anomalies.invariants)
	# JSON numbers have 6 significant digits; the exact check is the report's own (invariants).
	holds "$2 <= $1 && $3 <= $4 * $1 * 1.00001" && [ "$inv" = ok ] ||
		{ bad system-wide-possible "peak $2 running on $1 CPUs, $3 s on CPU over $4 s wall; invariants: $inv"; return; }
	# The machine's verdict says so and names the process with most of the CPU, whose own numbers are its own.
	top=$(jq_get verdict.summary)
	# Its CPUs by the clock (running time over its wall time): the host's steal does not lower them.
	set -- "$@" $("$PY" -c 'import json,sys; p=json.load(open(sys.argv[1]))["processes_detail"][0]; print(p["name"], p["pid"], p["parallelism"], "%.2f" % (p["states_s"]["running"] / p["wall_s"]))' "$TMP/r.json")
	case $top in "The whole machine, "*"Most of the CPU went to cpu_threads (pid $7)"*) ;;
	*) bad system-wide-possible "the summary does not say it is the machine's, led by cpu_threads: $top"; return ;; esac
	[ "$6" = cpu_threads ] && holds "$9 >= 1.6" && [ "$(jq_get processes_detail.0.kind)/$(jq_get processes_detail.0.shape)" = cpu-bound/parallel ] ||
		{ bad system-wide-possible "top process $6 (pid $7), parallelism $8, $9 CPUs by the clock, judged $(jq_get processes_detail.0.kind)/$(jq_get processes_detail.0.shape); want cpu_threads near 2, cpu-bound/parallel"; return; }
	# Its plot colours the CPU lanes by process: the legend names cpu_threads, not its threads.
	"$CTRACE" plot --svg -o "$TMP/all.svg" "$TMP/all.ctr" >/dev/null 2>"$TMP/err" && grep -q "cpu_threads ($7)" "$TMP/all.svg" ||
		{ bad system-wide-possible "the plot's CPU legend does not name the process cpu_threads ($7): $(cat "$TMP/err")"; return; }
	ok "-a beside 2 CPU threads: peak $2 running on $1 CPUs, $3 s on CPU over $4 s wall, $5 missed switches repaired; the machine's verdict names cpu_threads (parallelism $8, $9 CPUs by the clock), judged alone cpu-bound/parallel; CPU lanes coloured by process"
}

t_sudo_user() {
	SUDO_UID=65534 SUDO_GID=65534 "$CTRACE" record -q -o "$TMP/u.ctr" -- id -u >"$TMP/uid" 2>"$TMP/err" ||
		{ bad sudo-user "$(cat "$TMP/err")"; return; }
	[ "$(cat "$TMP/uid")" = 65534 ] || { bad sudo-user "command ran as uid $(cat "$TMP/uid")"; return; }
	[ "$(stat -c %u "$TMP/u.ctr")" = 65534 ] || { bad sudo-user "trace owned by uid $(stat -c %u "$TMP/u.ctr")"; return; }
	SUDO_UID=65534 SUDO_GID=65534 "$CTRACE" record -q --keep-root -o "$TMP/u.ctr" -- id -u >"$TMP/uid" 2>/dev/null
	[ "$(cat "$TMP/uid")" = 0 ] || { bad sudo-user "--keep-root ran as $(cat "$TMP/uid")"; return; }
	ok "under sudo: command runs as the invoking user, trace is theirs; --keep-root keeps root"
}

t_unprivileged() {
	out=$(cd "$TMP" && setpriv --reuid=65534 --regid=65534 --clear-groups "$OLDPWD/$CTRACE" record -o np.ctr -- true 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -q "needs root" && [ ! -e "$TMP/np.ctr" ] ||
		{ bad unprivileged "rc=$rc, message: $out"; return; }
	ok "without root: one clear message, non-zero exit, no file"
}

# Inside a PID namespace the recorder's tids are not the probes': refuse clearly.
t_pid_namespace() {
	command -v unshare >/dev/null || { skipped pid-namespace "unshare not installed"; return; }
	out=$(cd "$TMP" && unshare --pid --fork --mount-proc "$OLDPWD/$CTRACE" record -o ns.ctr -- true 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -q "PID namespace" && [ ! -e "$TMP/ns.ctr" ] ||
		{ bad pid-namespace "rc=$rc, message: $out"; return; }
	ok "in a PID namespace of its own: one clear message, non-zero exit, no file"
}

t_compact() {
	command -v perf >/dev/null || { skipped compact "perf not installed"; return; }
	"$CTRACE" record -q -o "$TMP/c.ctr" -- perf bench sched pipe -l 20000 >/dev/null 2>&1
	set -- $(summary "$TMP/c.ctr")
	size=$(stat -c %s "$TMP/c.ctr")
	holds "$size / $1 <= 24" || { bad compact "$(awk "BEGIN{print $size/$1}") bytes/event"; return; }
	ok "switch storm: $(awk "BEGIN{printf \"%.1f\", $size/$1}") bytes/event over $1 events, $3 dropped"
}

# Syscall records travel in per-CPU batches and a blocked call's start in
# its switch record: every call must still arrive once, in time order.
t_syscall_count() {
	command -v perf >/dev/null || { skipped syscall-count "perf not installed"; return; }
	"$CTRACE" record -q -o "$TMP/g.ctr" -- perf bench syscall basic -l 200000 >/dev/null 2>"$TMP/err" ||
		{ bad syscall-count "record failed: $(cat "$TMP/err")"; return; }
	"$CTRACE" report --json "$TMP/g.ctr" >"$TMP/g.json" || { bad syscall-count "report failed"; return; }
	n=$("$PY" -c 'import json,sys; print(sum(s["count"] for s in json.load(open(sys.argv[1]))["syscalls"] if s["name"] == "getppid"))' "$TMP/g.json")
	late=$("$CTRACE" dump "$TMP/g.ctr" | sed -n 's/^# late: \([0-9]*\) .*/\1/p')
	[ "$n" = 200000 ] || { bad syscall-count "$n getppid calls recorded, 200000 made"; return; }
	[ "$late" = 0 ] || { bad syscall-count "$late events clamped for arriving late"; return; }
	ok "200000 getppid calls recorded exactly, none late"
}

# report_rusage NAME KIND SHAPE EXPR CMD...: record CMD, check its verdict, that its
# parallelism $p satisfies EXPR, and that it is within 10% of the kernel's rusage
# for the command (wait4), which the recorder writes into the trace.
report_rusage() {
	name=$1 kind=$2 shape=$3 expr=$4; shift 4
	report_case "$name" "$kind" "$shape" "$@" || return 1
	p=$(jq_get parallelism.mean) k=$(jq_get rusage.parallelism)
	holds "$(echo "$expr" | sed "s/\\\$p/$p/g")" || { bad "$name" "parallelism $p fails $expr (rusage $k)"; return 1; }
	holds "$p >= 0.9 * $k && $p <= 1.1 * $k" || { bad "$name" "parallelism $p vs rusage $k: more than 10% apart"; return 1; }
}

# Both threads on a CPU nearly all the time.  By the clock, that is: the
# kernel's account (and rusage) leaves out what the host stole, which on a
# busy host takes a third of it.
t_report_c_threads() {
	report_rusage report-c-threads cpu-bound parallel '$p >= 1.2' "$WL/cpu_threads" -t 2 -w 1000 || return
	clock=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["on_cpu_s"] / d["wall_s"]))' "$TMP/r.json")
	holds "$clock >= 1.8" || { bad report-c-threads "$clock CPUs busy by the clock, want >= 1.8 (parallelism $p)"; return; }
	ok "2 CPU-bound C threads: cpu-bound/parallel, parallelism $p (rusage $k), $clock CPUs by the clock"
}

t_report_py_threads() {
	report_rusage report-py-threads cpu-bound serialized '$p <= 1.2' "$PY" workloads/py_cpu_threads.py || return
	ok "2 Python threads (GIL): cpu-bound/serialized, parallelism $p (rusage $k)"
}

t_report_py_pool() {
	report_case report-py-pool cpu-bound parallel "$PY" workloads/py_cpu_procs.py || return
	ok "Python process pool: cpu-bound/parallel, parallelism $(jq_get parallelism.mean)"
}

t_report_sleep() {
	report_case report-sleep io-bound sequential sleep 1 || return
	ok "sleep 1: io-bound/sequential, wall $(jq_get wall_s) s"
}

# A shell running a parallel C program beside a sleep: each process gets its
# own verdict, judged alone (the shell only waits for its children).
t_report_processes() {
	"$CTRACE" record -q -o "$TMP/procs.ctr" -- sh -c "$WL/cpu_threads -t 2 -w 1500 >/dev/null & sleep 0.8; wait" \
		>/dev/null 2>"$TMP/err" || { bad report-processes "record failed: $(cat "$TMP/err")"; return; }
	"$CTRACE" report --json "$TMP/procs.ctr" >"$TMP/r.json" 2>"$TMP/err" || { bad report-processes "$(cat "$TMP/err")"; return; }
	why=$("$PY" - "$TMP/r.json" <<-'EOF'
		import json, sys
		procs = {p["name"]: p for p in json.load(open(sys.argv[1]))["processes_detail"]}
		want = {"cpu_threads": ("cpu-bound", "parallel"), "sleep": ("io-bound", "sequential")}
		got = {n: (procs[n]["kind"], procs[n]["shape"]) if n in procs else None for n in want}
		print(", ".join("%s %s" % (n, "/".join(v) if v else "absent") for n, v in got.items()))
		sys.exit(0 if got == want else 1)
		EOF
	) || { bad report-processes "per-process verdicts: $why"; return; }
	"$CTRACE" report "$TMP/procs.ctr" | grep -q "cpu_threads .*cpu-bound, parallel" ||
		{ bad report-processes "the text report's process table has no verdict for cpu_threads"; return; }
	ok "a shell's processes judged one by one: $why"
}

t_report_fsync() {
	report_case report-fsync io-bound sequential "$WL/disk_fsync" || return
	top=$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["states_s"]
waits={k:v for k,v in s.items() if k not in ("running","runnable")}
print(max(waits, key=waits.get))' "$TMP/r.json")
	[ "$top" = disk ] || { bad report-fsync "largest wait is $top, not disk"; return; }
	ok "fsync-heavy writes: io-bound, disk the largest wait ($(jq_get states_s.disk) s)"
}

# png_size FILE: "WIDTH HEIGHT" from the PNG header
png_size() { "$PY" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print(*struct.unpack(">II", d[16:24]))' "$1"; }

t_plot() {
	"$CTRACE" record -q -o "$TMP/pl.ctr" -- "$WL/cpu_threads" -t 2 -w 100 >/dev/null 2>&1
	"$CTRACE" plot "$TMP/pl.ctr" 2>"$TMP/err" || { bad plot "plot failed: $(cat "$TMP/err")"; return; }
	set -- $(png_size "$TMP/pl.png")
	[ "${1:-0}" -ge 1200 ] && [ "${2:-0}" -ge 600 ] || { bad plot "PNG is ${1:-?}x${2:-?}, want at least 1200x600"; return; }
	"$CTRACE" plot --svg --from 0.01 --to 0.05 -o "$TMP/pl.svg" "$TMP/pl.ctr" 2>"$TMP/err" && grep -q "<svg" "$TMP/pl.svg" ||
		{ bad plot "zoomed SVG failed: $(cat "$TMP/err")"; return; }
	ok "plot of a 2-thread recording: $1x$2 PNG next to the trace; zoomed SVG"
}

t_plot_hostile_names() {
	mkdir -p "$TMP/hostile"
	# A thread name and a command-line argument that gnuplot would run if they reached it as code.
	(cd "$TMP/hostile" && "$OLDPWD/$CTRACE" record -q -o h.ctr -- "$PY" -c '
import ctypes, sys, threading
libc = ctypes.CDLL(None)
def work(name):
    libc.prctl(15, name, 0, 0, 0)
    sum(i for i in range(200000))
ts = [threading.Thread(target=work, args=(n,)) for n in (b"`touch PWNED1`", b"\"; system \"touch PW", b"%s%n\\x\n")]
[t.start() for t in ts]; [t.join() for t in ts]
' '"; system "touch PWNED2"; "' '`touch PWNED3`' >/dev/null 2>&1 &&
	  "$OLDPWD/$CTRACE" plot h.ctr 2>err && "$OLDPWD/$CTRACE" report h.ctr >report.txt &&
	  "$OLDPWD/$CTRACE" report --json h.ctr >report.json &&
	  "$OLDPWD/$CTRACE" export --format csv -o csv h.ctr 2>>err && "$OLDPWD/$CTRACE" export -o h.pftrace h.ctr 2>>err) ||
		{ bad plot-hostile "record/plot/report/export failed: $(cat "$TMP/hostile/err")"; return; }
	ls "$TMP/hostile" | grep -q PWNED && { bad plot-hostile "a name ran as a command: $(ls "$TMP/hostile")"; return; }
	"$PY" -m json.tool "$TMP/hostile/report.json" >/dev/null || { bad plot-hostile "JSON invalid with hostile names"; return; }
	"$PY" -c 'import csv,sys; rows=list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline=""))); assert any("`touch PWNED1`" == r["name"] for r in rows), rows' \
		"$TMP/hostile/csv/threads.csv" || { bad plot-hostile "CSV lost or mangled the hostile name"; return; }
	protoc --proto_path=collector --decode=perfetto.protos.Trace collector/perfetto.proto <"$TMP/hostile/h.pftrace" |
		grep -q 'touch PWNED1' || { bad plot-hostile "Perfetto trace does not decode with the hostile name"; return; }
	[ -s "$TMP/hostile/h.png" ] || { bad plot-hostile "no PNG"; return; }
	ok "hostile thread names and arguments: plot, report, JSON, CSV and Perfetto run nothing and stay valid"
}

t_plot_no_gnuplot() {
	out=$(PATH=/nonexistent "$CTRACE" plot -o "$TMP/ng.png" "$TMP/pl.ctr" 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -q "gnuplot is not installed" && [ ! -e "$TMP/ng.png" ] ||
		{ bad plot-no-gnuplot "rc=$rc: $out"; return; }
	ok "plot without gnuplot: clear message, non-zero exit, no file"
}

t_export() {
	"$CTRACE" record -q -o "$TMP/x.ctr" -- "$WL/cpu_threads" -t 2 -w 100 >/dev/null 2>&1
	"$CTRACE" export -o "$TMP/x.pftrace" "$TMP/x.ctr" 2>"$TMP/err" || { bad export-perfetto "$(cat "$TMP/err")"; return; }
	"$CTRACE" dump "$TMP/x.ctr" >"$TMP/x.dump"
	protoc --proto_path=collector --decode=perfetto.protos.Trace collector/perfetto.proto \
		<"$TMP/x.pftrace" >"$TMP/x.decoded" 2>"$TMP/err" || { bad export-perfetto "protoc cannot decode it: $(cat "$TMP/err")"; return; }
	why=$("$PY" tests/check_export.py perfetto "$TMP/x.dump" "$TMP/x.pftrace") || { bad export-perfetto "$why"; return; }
	ok "export perfetto: $why"
	"$CTRACE" export --format csv -o "$TMP/x-csv" "$TMP/x.ctr" 2>"$TMP/err" || { bad export-csv "$(cat "$TMP/err")"; return; }
	"$CTRACE" report --json "$TMP/x.ctr" >"$TMP/x.json"
	why=$("$PY" tests/check_export.py csv "$TMP/x-csv" "$TMP/x.json") || { bad export-csv "$why"; return; }
	ok "export csv: $why"
}

# The export against the kernel's own ftrace of the same run: two tracefs
# instances (boot clock, tgids), one with the scheduler's events for every
# task, one with the syscalls of this shell's descendants (ctrace and the
# workload), captured beside a recording of threads waking each other
# across CPUs, a signal handler, a nice'd child and an exec.
t_export_ftrace() {
	tr=/sys/kernel/tracing
	[ -w $tr/instances ] || tr=/sys/kernel/debug/tracing
	[ -w $tr/instances ] || { skipped export-ftrace "no tracefs instances"; return; }
	[ -x "$PROGS/mix" ] || { bad export-ftrace "no $PROGS/mix (make builds it)"; return; }
	sched=$tr/instances/ctrace-sched-$$ sys=$tr/instances/ctrace-sys-$$
	mkdir "$sched" "$sys" || { bad export-ftrace "cannot create tracefs instances"; return; }
	at_exit "rmdir $sched $sys 2>/dev/null"
	for i in "$sched" "$sys"; do
		echo boot >"$i/trace_clock" && echo 16384 >"$i/buffer_size_kb" && echo 1 >"$i/options/record-tgid" ||
			{ bad export-ftrace "cannot set up $i"; return; }
	done
	for e in sched/sched_switch sched/sched_waking sched/sched_wakeup_new task/task_newtask sched/sched_process_exit; do
		echo 1 >"$sched/events/$e/enable" || { bad export-ftrace "cannot enable $e"; return; }
	done
	sh -c "echo 1 >$sys/options/event-fork && echo \$\$ >$sys/set_event_pid && echo 1 >$sys/events/raw_syscalls/enable &&
		echo 1 >$sched/tracing_on && echo 1 >$sys/tracing_on && exec $CTRACE record -q -o $TMP/ft.ctr -- $PROGS/mix -n 3000" \
		>/dev/null 2>"$TMP/err"
	rc=$?
	echo 0 >"$sched/tracing_on"; echo 0 >"$sys/tracing_on"
	cat "$sched/trace" "$sys/trace" >"$TMP/ft.tracefs"
	lost=$(cat "$sched"/per_cpu/cpu*/stats "$sys"/per_cpu/cpu*/stats | awk '/^overrun/ { n += $2 } END { print n + 0 }')
	rmdir "$sched" "$sys"
	[ $rc = 0 ] && [ "$lost" = 0 ] || { bad export-ftrace "record rc=$rc, tracefs overrun $lost: $(cat "$TMP/err")"; return; }
	"$CTRACE" dump "$TMP/ft.ctr" >"$TMP/ft.dump" && "$CTRACE" export -o "$TMP/ft.pftrace" "$TMP/ft.ctr" 2>"$TMP/err" ||
		{ bad export-ftrace "$(cat "$TMP/err")"; return; }
	why=$("$PY" tests/check_ftrace.py "$TMP/ft.dump" "$TMP/ft.pftrace" "$TMP/ft.tracefs" 0.999) || {
		cp "$TMP/ft.ctr" /tmp/ctrace-failed-export-ftrace.ctr; cp "$TMP/ft.tracefs" /tmp/ctrace-failed-export-ftrace.tracefs
		bad export-ftrace "$why (kept: /tmp/ctrace-failed-export-ftrace.ctr and .tracefs)"; return; }
	ok "export against ftrace: $why"
}

# Under -a the export's process tree gives every process its parent, as /proc says.
t_export_tree() {
	"$CTRACE" record -q -a -d 0.3 -o "$TMP/tree.ctr" >/dev/null 2>"$TMP/err" &&
		"$CTRACE" export -o "$TMP/tree.pftrace" "$TMP/tree.ctr" 2>"$TMP/err" ||
		{ bad export-tree "$(cat "$TMP/err")"; return; }
	why=$("$PY" - "$TMP/tree.pftrace" <<-'EOF'
		import sys
		sys.path.insert(0, "tests")
		import pftrace
		procs = pftrace.trees(sys.argv[1])[0][1]
		alive = wrong = 0
		for p in procs:
		    try:
		        stat = open("/proc/%d/stat" % p["pid"]).read()
		    except OSError:
		        continue
		    alive += 1
		    ppid = int(stat.rsplit(")", 1)[1].split()[1])
		    if ppid != p["ppid"]:
		        wrong += 1
		        print("pid %d: ppid %d in the export, %d in /proc" % (p["pid"], p["ppid"], ppid))
		print("%d processes in the tree at the start, %d still alive, all with /proc's parent" % (len(procs), alive))
		sys.exit(1 if wrong or alive < 10 else 0)
		EOF
	) || { bad export-tree "$why"; return; }
	ok "export tree under -a: $why"
}

t_bad_traces() {
	"$CTRACE" record -q -o "$TMP/b.ctr" -- "$WL/cpu_threads" -t 2 -w 50 >/dev/null 2>&1
	size=$(stat -c %s "$TMP/b.ctr")
	head -c $((size / 2)) "$TMP/b.ctr" >"$TMP/half.ctr"
	for cmd in "dump" "report" "report --json" "plot -o $TMP/half.png" "export -o $TMP/half.pftrace" \
		   "export --format csv -o $TMP/half-csv"; do
		# shellcheck disable=SC2086
		"$CTRACE" $cmd "$TMP/half.ctr" >/dev/null 2>"$TMP/err" &&
			{ bad bad-traces "ctrace $cmd accepted a truncated trace"; return; }
		grep -q "ctrace: $TMP/half.ctr: .* at offset [0-9]" "$TMP/err" ||
			{ bad bad-traces "ctrace $cmd: $(cat "$TMP/err")"; return; }
	done
	[ ! -e "$TMP/half.png" ] && [ ! -e "$TMP/half.pftrace" ] || { bad bad-traces "output left behind"; return; }
	# A recorder killed outright leaves an unfinished trace: readable, with a warning.
	"$CTRACE" record -q -o "$TMP/k.ctr" -- "$WL/cpu_threads" -t 2 -w 30000 >/dev/null 2>&1 &
	sleep 1.5
	kill -KILL $!
	wait $! 2>/dev/null
	pkill -f "$WL/cpu_threads -t 2 -w 30000"
	"$CTRACE" report --json "$TMP/k.ctr" >"$TMP/r.json" 2>"$TMP/err" && grep -q "not finalized" "$TMP/err" ||
		{ bad bad-traces "killed recording: $(cat "$TMP/err")"; return; }
	# Blocks end every tick: all but the last 100 ms or so is there.
	holds "$(jq_get wall_s) > 1.0" || { bad bad-traces "killed after 1.5 s, only $(jq_get wall_s) s readable"; return; }
	ok "truncated trace: dump, report, plot, export all fail naming file and offset; a killed recording reads with a warning"
}

t_no_symlinks() {
	ln -s "$TMP/victim" "$TMP/link.ctr"
	"$CTRACE" record -q -o "$TMP/link.ctr" -- true 2>"$TMP/err"
	rc=$?
	[ $rc != 0 ] && [ ! -e "$TMP/victim" ] && grep -q "symbolic link" "$TMP/err" ||
		{ bad no-symlinks "rc=$rc: $(cat "$TMP/err")"; return; }
	ok "the trace is never written through a symbolic link"
}

t_max_size() {
	"$CTRACE" record -q --max-size 200K -o "$TMP/m.ctr" -- taskset -c 0 perf bench sched pipe -l 50000 >/dev/null 2>"$TMP/err"
	rc=$?
	size=$(stat -c %s "$TMP/m.ctr")
	[ $rc = 0 ] && [ "$size" -le $((200 * 1024)) ] && "$CTRACE" dump "$TMP/m.ctr" >/dev/null 2>&1 &&
		grep -q "stopped at --max-size" "$TMP/err" || { bad max-size "rc=$rc size=$size: $(cat "$TMP/err")"; return; }
	ok "--max-size 200K: $size bytes, finalized, the command's status kept"
}

t_drops() {
	"$CTRACE" record -q -b 4K -o "$TMP/d.ctr" -- taskset -c 0 perf bench sched pipe -l 20000 >/dev/null 2>"$TMP/err"
	"$CTRACE" report --json "$TMP/d.ctr" >"$TMP/r.json" || { bad drops "report failed"; return; }
	n=$(jq_get dropped)
	[ "$n" -gt 0 ] || { bad drops "a 4K buffer dropped nothing?"; return; }
	grep -q "dropped $n events" "$TMP/err" || { bad drops "record's warning does not say $n: $(cat "$TMP/err")"; return; }
	"$CTRACE" report "$TMP/d.ctr" | grep -q "WARNING: $n events were dropped" || { bad drops "report does not say so"; return; }
	"$CTRACE" dump "$TMP/d.ctr" | awk '/: lost: / { n += $(NF - 5) } END { exit !(n == '"$n"') }' ||
		{ bad drops "lost records do not add up to $n"; return; }
	"$CTRACE" plot -o "$TMP/d.png" "$TMP/d.ctr" 2>/dev/null || { bad drops "plot failed"; return; }
	ok "4K ring buffer: $n events dropped, counted exactly in the trace, said by record and report"
}

t_disk_full() {
	mkdir -p "$TMP/full" && mount -t tmpfs -o size=200k tmpfs "$TMP/full" 2>/dev/null ||
		{ skipped disk-full "cannot mount a small tmpfs"; return; }
	"$CTRACE" record -q -o "$TMP/full/t.ctr" -- taskset -c 0 perf bench sched pipe -l 50000 >/dev/null 2>"$TMP/err"
	rc=$?
	"$CTRACE" report "$TMP/full/t.ctr" >/dev/null 2>"$TMP/err2"
	rrc=$?
	# Exports onto the same full disk, of a trace whose export fills buffers
	# mid-replay (Perfetto's flush at 1 MB): the file named, nothing left behind.
	"$CTRACE" record -q -o "$TMP/fullsrc.ctr" -- taskset -c 0 perf bench sched pipe -l 30000 >/dev/null 2>&1
	"$CTRACE" export -o "$TMP/full/t.pftrace" "$TMP/fullsrc.ctr" >/dev/null 2>"$TMP/err3"
	prc=$?
	"$CTRACE" export --format csv -o "$TMP/full/t-csv" "$TMP/fullsrc.ctr" >/dev/null 2>>"$TMP/err3"
	crc=$?
	left=$(find "$TMP/full" -name '*.pftrace*' -o -name '*.csv*' | wc -l)
	umount "$TMP/full"
	[ $rc != 0 ] && grep -q "No space left on device" "$TMP/err" && [ $rrc = 0 ] ||
		{ bad disk-full "rc=$rc report rc=$rrc: $(cat "$TMP/err" "$TMP/err2")"; return; }
	[ $prc != 0 ] && [ $crc != 0 ] && [ "$left" = 0 ] &&
		grep -q "full/t.pftrace: write failed: No space left on device" "$TMP/err3" &&
		grep -q "full/t-csv/[a-z_]*.csv: write failed: No space left on device" "$TMP/err3" ||
		{ bad disk-full "exports rc=$prc/$crc, $left files left: $(cat "$TMP/err3")"; return; }
	ok "disk full: a clear message, non-zero exit, the trace readable up to the error; exports name the file, leave nothing"
}

t_sigint_ignored() {
	interrupt "$TMP/ig.ctr" sh -c 'trap "" INT TERM; sleep 20'
	[ $rc = 137 ] && holds "$took < 3.5" && "$CTRACE" dump "$TMP/ig.ctr" >/dev/null 2>&1 ||
		{ bad sigint-ignored "rc=$rc after ${took}s"; return; }
	ok "a command ignoring SIGINT: SIGKILL after the grace period, exit 137 in ${took}s, trace valid"
}

t_many_tasks() {
	"$CTRACE" record -q -o "$TMP/many.ctr" -- sh -c 'for i in $(seq 300); do /bin/true & done; wait; '"$WL"'/cpu_threads -t 1500 -w 0 >/dev/null' \
		>/dev/null 2>"$TMP/err" || { bad many-tasks "record failed: $(cat "$TMP/err")"; return; }
	"$CTRACE" report --json "$TMP/many.ctr" >"$TMP/r.json" 2>"$TMP/err" || { bad many-tasks "report: $(cat "$TMP/err")"; return; }
	t=$(jq_get threads) p=$(jq_get processes) d=$(jq_get dropped)
	[ "$t" -ge 1800 ] && [ "$p" -ge 300 ] && [ "$d" = 0 ] || { bad many-tasks "threads=$t processes=$p dropped=$d"; return; }
	"$CTRACE" export --format csv -o "$TMP/many-csv" "$TMP/many.ctr" 2>/dev/null &&
		"$PY" - "$TMP/many-csv/threads.csv" <<'PYEOF' || { bad many-tasks "a thread's states do not add up to its lifetime"; return; }
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["workload"] == "1":
        life = int(r["last_ns"]) - int(r["first_ns"])
        states = int(r["running_ns"]) + int(r["runnable_ns"]) + int(r["blocked_ns"])
        if states != life or life < 0:
            sys.exit(1)
PYEOF
	ok "300 short-lived processes and 1500 threads: $t threads in $p processes, none dropped, every thread's states sum to its lifetime"
}

t_status_line() {
	command -v script >/dev/null || { skipped status-line "no script(1) for a terminal"; return; }
	script -qec "$CTRACE record -o $TMP/tty.ctr -- sleep 0.5" "$TMP/tty.log" >/dev/null 2>&1
	grep -q "ctrace: recording 0\.[0-9] s, [0-9]* events, .*, 0 dropped" "$TMP/tty.log" &&
		grep -q "ctrace: [0-9]* events, 0 dropped, 0\.[0-9]* s, $TMP/tty.ctr (" "$TMP/tty.log" ||
		{ bad status-line "on a terminal: $(tr '\r' '\n' <"$TMP/tty.log" | tail -3)"; return; }
	"$CTRACE" record -o "$TMP/notty.ctr" -- sleep 0.2 2>"$TMP/err"
	! grep -q "recording" "$TMP/err" && [ "$(wc -l <"$TMP/err")" = 1 ] ||
		{ bad status-line "not a terminal, yet: $(cat "$TMP/err")"; return; }
	ok "a live status line on a terminal, only the summary line otherwise"
}

t_flat_memory() {
	"$CTRACE" record -q -o "$TMP/long.ctr" -- taskset -c 0 perf bench sched pipe -l 5000000 >/dev/null 2>&1 &
	pid=$!
	sleep 1.5
	# Its own memory: the ring buffer's mapping (RssFile) is faulted in as it first fills.
	early=$(awk '/RssAnon/ { print $2 }' /proc/$pid/status)
	sleep 4
	late=$(awk '/RssAnon/ { print $2 }' /proc/$pid/status)
	kill -INT $pid
	wait $pid
	# The signal reaches the command, not the pipe's other end that perf forked: it would sleep on forever.
	pkill -f "perf bench sched pipe -l 5000000"
	[ -n "$early" ] && [ -n "$late" ] && [ $((late - early)) -lt 2048 ] ||
		{ bad flat-memory "recorder's anonymous RSS went from ${early:-?} KB to ${late:-?} KB"; return; }
	ok "recording a switch storm: the recorder's own memory ${early} KB after 1.5 s, ${late} KB after 5.5 s"
}

t_demo() {
	DEMO_OUT="$TMP/demo" DEMO_STRICT=1 sh workloads/demo.sh >"$TMP/demo.log" 2>&1 ||
		{ bad demo "$(grep -E 'expected [a-z]|more than 10%|does not exist|^ctrace: ' "$TMP/demo.log" || tail -5 "$TMP/demo.log")"; return; }
	ok "demo gallery: $(grep -c 'parallelism .*rusage' "$TMP/demo.log") workloads with the expected verdict and parallelism within 10% of rusage; $(sed -n 's/^demo: \([0-9]*\) linked files checked/\1/p' "$TMP/demo.log") linked files exist"
}

t_bad_input() {
	printf 'not a trace at all, just text\n' >"$TMP/bad.ctr"
	"$CTRACE" dump "$TMP/bad.ctr" >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc != 0 ] && grep -q "ctrace: $TMP/bad.ctr: not a ctrace trace (bad magic) at offset 0" "$TMP/err" ||
		{ bad bad-input "rc=$rc: $(cat "$TMP/err")"; return; }
	ok "dump of a non-trace: named file and offset, non-zero exit"
}

if why=$(can_bpf); then
	t_sleep; t_fork_tree; t_threads; t_exit_status; t_sigint; t_no_syscalls
	t_attach_pid; t_attach_blocked; t_attach_gil; t_attach_busy; t_system_wide; t_system_wide_possible; t_sudo_user; t_unprivileged; t_pid_namespace; t_compact; t_syscall_count
	t_report_c_threads; t_report_py_threads; t_report_py_pool; t_report_sleep
	t_report_fsync; t_report_processes; t_plot; t_plot_hostile_names; t_plot_no_gnuplot; t_export; t_export_ftrace; t_export_tree
	t_bad_traces; t_max_size; t_drops; t_disk_full; t_sigint_ignored; t_many_tasks; t_flat_memory
	t_status_line; t_no_symlinks
	t_demo
else
	for t in sleep fork-tree threads exit-status sigint no-syscalls attach system-wide sudo-user \
		 unprivileged pid-namespace attach-busy compact syscall-count report-c-threads report-py-threads report-py-pool report-sleep \
		 report-fsync report-processes plot plot-hostile plot-no-gnuplot export-perfetto export-csv export-ftrace export-tree \
		 bad-traces max-size drops disk-full sigint-ignored many-tasks flat-memory status-line no-symlinks demo; do
		skipped "$t" "eBPF unavailable: $why"
	done
fi
t_bad_input
finish integration
