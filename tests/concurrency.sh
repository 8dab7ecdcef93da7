#!/bin/sh
# Concurrency (work in progress), parallelism and the verdict's shape on
# real programs and runtimes, each run through `sh -c` as users run them:
# C, Python, a JVM, Node.js, curl, make, epoll and io_uring loops, on an
# idle machine and beside CPU hogs; and the probes' wakers against the
# kernel's own sched_waking in tracefs.  Servers and hogs are started and
# stopped here, on loopback.
# Prints one line per test and "concurrency: N passed, N failed, N skipped".
cd "$(dirname "$0")/.." && . tests/lib.sh
PROGS=${PROGS:-build/tests/progs}

# measure NAME COMMAND: record COMMAND through sh -c and read the report:
# concurrency $conc (threads $thr + event-loop operations $ops), parallelism
# $par, verdict $got (kind/shape); the JSON stays in $TMP/r.json
measure() {
	mname=$1
	"$CTRACE" record -q -o "$TMP/$1.ctr" -- sh -c "$2" >/dev/null 2>"$TMP/err" ||
		{ bad "$1" "record failed: $(tail -3 "$TMP/err")"; return 1; }
	"$CTRACE" report --json "$TMP/$1.ctr" >"$TMP/r.json" 2>"$TMP/err" ||
		{ bad "$1" "report failed: $(cat "$TMP/err")"; return 1; }
	set -- $("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["concurrency"]; v=d["verdict"]
print("%.2f %.2f %.2f %.2f" % (c["mean"], c["threads_mean"], c["ops_mean"], d["parallelism"]["mean"]), v["kind"] + "/" + v["shape"])
if d["anomalies"]["invariants"] != "ok": print("broken:", d["anomalies"]["invariants"])' "$TMP/r.json")
	conc=$1 thr=$2 ops=$3 par=$4 got=$5
	[ "${6:-}" != broken: ] || { shift 6; bad "$mname" "an invariant broke: $*"; return 1; }
}

# expect NAME SHAPE EXPR: the last measure has the verdict SHAPE (kind/shape)
# and satisfies EXPR, an awk expression over conc, thr, ops and par
expect() {
	[ "$got" = "$2" ] &&
	awk -v conc="$conc" -v thr="$thr" -v ops="$ops" -v par="$par" "BEGIN { exit !($3) }" ||
		{ keep=${KEEP_DIR:-/tmp}/ctrace-failed-$mname.ctr; cp "$TMP/$mname.ctr" "$keep" 2>/dev/null
		  bad "$1" "concurrency $conc ($thr threads + $ops operations), parallelism $par, $got; want $2 and $3 (trace kept: $keep)"; return 1; }
}

# case_ NAME SHAPE EXPR COMMAND: measure and expect; says ok with the figures
case_() {
	measure "$1" "$4" && expect "$1" "$2" "$3" &&
		ok "$1: concurrency $conc ($thr threads + $ops operations), parallelism $par, $got"
}

# runs N NAME SHAPE EXPR COMMAND: the same case N times, every one holding
runs() {
	n=$1 all=""; shift
	for i in $(seq "$n"); do
		measure "$1" "$4" && expect "$1 (run $i of $n)" "$2" "$3" || return 1
		all="$all $conc/$par"
	done
	ok "$1: $got in $n of $n runs; concurrency/parallelism$all"
}

# server VAR ARGS...: a delay server outside the recording (as a remote
# service would be), stopped at exit; its port in VAR
server() {
	var=$1; shift
	"$WL/delay_server" "$@" >"$TMP/port.$var" &
	at_exit "kill $! 2>/dev/null"
	for _ in $(seq 50); do
		[ -s "$TMP/port.$var" ] && break
		sleep 0.1
	done
	eval "$var=\$(head -1 \"\$TMP/port.\$var\")"
}

# ---- threads and processes ----

t_cpu_loop() {
	case_ cpu-loop cpu-bound/single 'conc >= 0.85 && conc <= 1.15' \
		"perl -e '\$x = 0; \$x += \$_ for 1 .. 30000000'"
}

t_sleep() {
	case_ sleep io-bound/sequential 'conc >= 0.85 && conc <= 1.15' "sleep 1"
}

t_c_threads() {
	case_ c-threads cpu-bound/parallel 'conc >= 1.8 && conc <= 2.2' "$WL/cpu_threads -t 2 -w 1000"
}

# Threads that compute until a deadline: with a fixed amount of work each,
# the GIL's unfairness lets one finish well before the other, and the
# program is then truly one thread in progress.
t_gil_threads() {
	runs 5 gil-threads cpu-bound/serialized 'conc >= 1.7 && conc <= 2.3 && par <= 1.1' \
		"$PY tests/progs/gil_spin.py 2 1.5"
}

# A shell's background jobs and its wait (dash: sigsuspend until SIGCHLD):
# two sleeps in progress, the shell waiting for its children, not a third.
t_shell_jobs() {
	case_ shell-jobs io-bound/threaded 'conc >= 1.9 && conc <= 2.1' "sleep 0.5 & sleep 0.5 & wait"
}

t_thread_pool() {
	case_ thread-pool io-bound/threaded 'conc >= 6' "$PY tests/progs/pool_sleeps.py -w 8 -c 32 -s 0.25"
}

# make -j2 over 8 sources, each a few hundred functions to compile
t_make() {
	mkdir -p "$TMP/mk"
	for f in 1 2 3 4 5 6 7 8; do
		"$PY" -c 'import sys; n=int(sys.argv[1])
for i in range(300):
    print("int f%d_%d(int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i] * %d ^ (s >> 3); return s; }" % (n, i, i))' $f >"$TMP/mk/f$f.c"
	done
	printf 'all: %s\n%%.o: %%.c\n\t$(CC) -O2 -c $< -o $@\n' "$(echo f1.o f2.o f3.o f4.o f5.o f6.o f7.o f8.o)" >"$TMP/mk/Makefile"
	case_ make-j2 cpu-bound/parallel 'conc >= 1.5 && conc <= 2.7' "make -s -C $TMP/mk -j2"
}

# ---- a JVM ----

# java_build: Spin.java compiled once into $TMP/java; else why not in $why
java_build() {
	[ -f "$TMP/java/Spin.class" ] && return
	command -v javac >/dev/null || { why="no javac (make deps installs default-jdk-headless)"; return 1; }
	mkdir -p "$TMP/java" && javac -d "$TMP/java" tests/progs/Spin.java 2>"$TMP/err" ||
		{ why="javac failed: $(cat "$TMP/err")"; return 1; }
}

t_jvm() {
	java_build || { skipped jvm "$why"; return; }
	case_ jvm cpu-bound/parallel 'conc >= 1.65 && conc <= 2.35' "java -cp $TMP/java Spin 2 2"
}

t_jvm_synchronized() {
	java_build || { skipped jvm-synchronized "$why"; return; }
	runs 5 jvm-synchronized cpu-bound/serialized 'par <= 1.3 && conc >= 1.7' "java -cp $TMP/java Spin 2 1.5 sync"
}

# ---- event loops ----

t_io_epoll() {
	case_ io-epoll io-bound/event-loop 'conc >= 48 && ops >= 48' "$WL/io_epoll -p $line_port -c 64"
}

t_asyncio() {
	case_ asyncio io-bound/event-loop 'conc >= 35 && par <= 0.5' "$PY workloads/py_asyncio.py -p $line_port -n 50 -r 40"
}

t_curl_sequential() {
	command -v curl >/dev/null || { skipped curl-sequential "no curl"; return; }
	case_ curl-sequential io-bound/sequential 'conc >= 0.7 && conc <= 1.3' \
		"for i in 1 2 3 4 5 6 7 8; do curl -sS -o /dev/null http://127.0.0.1:$http_port/\$i; done"
}

# curl opens all 30 at once (--parallel-immediate: without it, curl first
# waits for one whole response to learn whether it can multiplex).
t_curl_parallel() {
	command -v curl >/dev/null || { skipped curl-parallel "no curl"; return; }
	urls=$(for i in $(seq 30); do printf 'http://127.0.0.1:%s/%s ' "$http_port" "$i"; done)
	case_ curl-parallel io-bound/event-loop 'conc >= 15' \
		"curl -sS -Z --parallel-immediate --parallel-max 30 -o /dev/null $urls"
}

t_node() {
	command -v node >/dev/null || { skipped node "no node (make deps installs nodejs)"; return; }
	case_ node io-bound/event-loop 'conc >= 40' "node tests/progs/requests.js $http_port 100 3"
}

# One JavaScript thread computing; V8's GC helpers run in bursts and park in
# futex.  Single, or serialized with the summary naming the one thread that
# ran (the helpers look like threads an unfair lock starves).
t_node_cpu() {
	command -v node >/dev/null || { skipped node-cpu "no node (make deps installs nodejs)"; return; }
	measure node-cpu "node tests/progs/words.js 1.5" || return
	summary=$(jq_get verdict.summary)
	case "$got" in
	cpu-bound/single) ;;
	cpu-bound/serialized) case "$summary" in *"One thread (tid "*") ran "*"single-threaded at heart"*) ;;
		*) bad node-cpu "serialized without naming the one thread that ran: $summary"; return ;; esac ;;
	*) bad node-cpu "$got, parallelism $par; want cpu-bound, single or serialized by one thread"; return ;;
	esac
	awk -v par="$par" 'BEGIN { exit !(par <= 1.3) }' || { bad node-cpu "parallelism $par > 1.3"; return; }
	ok "node-cpu: $got, parallelism $par; $(echo "$summary" | grep -o 'One thread[^:]*' || echo one thread)"
}

t_io_uring() {
	[ -x "$PROGS/uring_recv" ] || { skipped io-uring "no $PROGS/uring_recv (liburing-dev)"; return; }
	case_ io-uring io-bound/event-loop 'conc >= 24 && ops >= 24' "$PROGS/uring_recv -p $line_port -n 32 -r 20"
}

# ---- a busy machine ----

# busy_case NAME SHAPE EXPR COMMAND: the case's own verdict, with the other
# processes' share of the CPUs and the summary saying the machine was busy
busy_case() {
	measure "$1" "$4" && expect "$1" "$2" "$3" || return 1
	share=$(jq_get contention.others_cpu_share | awk '{ printf "%.2f", $1 }')
	holds "$share >= 0.25" && jq_get verdict.summary | grep -q "machine was busy" ||
		{ bad "$1" "others_cpu_share $share; summary: $(jq_get verdict.summary)"; return 1; }
	ok "$1: $got beside two CPU hogs, others held $share of the CPUs; concurrency $conc, parallelism $par"
}

t_busy_machine() {
	hogs=""
	for _ in 1 2; do
		sh -c 'while :; do :; done' &
		hogs="$hogs $!"
	done
	at_exit "kill $hogs 2>/dev/null"
	sleep 0.2
	busy_case busy-c-threads cpu-bound/parallel 'conc >= 1.8' "$WL/cpu_threads -t 2 -w 500"
	busy_case busy-cpu-loop cpu-bound/single 'conc >= 0.85 && conc <= 1.15' \
		"perl -e '\$x = 0; \$x += \$_ for 1 .. 10000000'"
	busy_case busy-gil-threads cpu-bound/serialized 'conc >= 1.7' "$PY tests/progs/gil_spin.py 2 1"
	# Threads waiting for CPUs the hogs hold want more than one, yet the lock is the program's shape.
	if java_build; then
		busy_case busy-jvm-synchronized cpu-bound/serialized 'conc >= 1.7' "java -cp $TMP/java Spin 2 1.5 sync"
	else
		skipped busy-jvm-synchronized "$why"
	fi
	busy_case busy-fsync io-bound/sequential 'conc <= 1.3' "$WL/disk_fsync"
	kill $hogs 2>/dev/null
}

# ---- wakers against the kernel's ----

# tracefs captures every sched_waking in an instance of its own (its clock
# the trace's), beside a recording of wakeups from tasks, timers, the
# network, disk and locks; the trace must name the same waker.
t_wakers() {
	tr=/sys/kernel/tracing
	[ -w $tr/instances ] || tr=/sys/kernel/debug/tracing
	[ -w $tr/instances ] || { skipped wakers "no tracefs instances"; return; }
	inst=$tr/instances/ctrace-wakers-$$
	mkdir "$inst" || { bad wakers "cannot create $inst"; return; }
	at_exit "rmdir $inst 2>/dev/null"
	echo boot >"$inst/trace_clock" && echo 16384 >"$inst/buffer_size_kb" &&
		echo 1 >"$inst/events/sched/sched_waking/enable" && echo 1 >"$inst/tracing_on" ||
		{ bad wakers "cannot set up $inst"; return; }
	"$CTRACE" record -q -o "$TMP/w.ctr" -- sh -c "$WL/pipeline -p $line_port; $WL/io_epoll -p $line_port -c 8; \
		$WL/disk_fsync; sleep 0.2; $PY workloads/py_cpu_threads.py -w 1" >/dev/null 2>"$TMP/err"
	rc=$?
	echo 0 >"$inst/tracing_on"
	cat "$inst/trace" >"$TMP/w.tracefs"
	lost=$(cat "$inst"/per_cpu/cpu*/stats | awk '/^overrun/ { n += $2 } END { print n + 0 }')
	rmdir "$inst"
	[ $rc = 0 ] && [ "$lost" = 0 ] || { bad wakers "record rc=$rc, tracefs overrun $lost: $(cat "$TMP/err")"; return; }
	"$CTRACE" dump "$TMP/w.ctr" >"$TMP/w.txt"
	why=$("$PY" tests/check_wakers.py "$TMP/w.txt" "$TMP/w.tracefs" 0.99) || {
		cp "$TMP/w.ctr" /tmp/ctrace-failed-wakers.ctr; cp "$TMP/w.tracefs" /tmp/ctrace-failed-wakers.tracefs
		bad wakers "$why (kept: /tmp/ctrace-failed-wakers.ctr and .tracefs)"; return; }
	ok "wakers: $why"
}

if why=$(can_bpf); then
	t_cpu_loop; t_sleep; t_shell_jobs; t_c_threads; t_gil_threads; t_thread_pool; t_make
	t_jvm; t_jvm_synchronized
	server line_port -d 20
	server http_port -d 200 -H
	if [ -n "$line_port" ] && [ -n "$http_port" ]; then
		t_io_epoll; t_asyncio; t_curl_sequential; t_curl_parallel; t_node; t_node_cpu; t_io_uring; t_wakers
	else
		bad delay-server "did not start"
	fi
	t_busy_machine
else
	for t in cpu-loop sleep shell-jobs c-threads gil-threads thread-pool make-j2 jvm jvm-synchronized io-epoll \
		 asyncio curl-sequential curl-parallel node node-cpu io-uring wakers busy-machine; do
		skipped "$t" "eBPF unavailable: $why"
	done
fi
finish concurrency
