#!/bin/sh
# make demo: every bundled workload recorded under ctrace, reported and
# plotted, then a gallery: demo/index.html and demo/README.md.
#   DEMO_OUT=dir     where to write (default demo/)
#   DEMO_STRICT=1    exit non-zero when a verdict is not the one expected
set -eu
cd "$(dirname "$0")/.."
CTRACE=${CTRACE:-./ctrace}
WL=build/workloads
OUT=${DEMO_OUT:-demo}
PY=$(command -v /usr/bin/python3 || command -v python3)
[ "$(id -u)" = 0 ] || { echo "demo: recording needs root: sudo make demo" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/*.ctr "$OUT"/*.png "$OUT"/*.txt "$OUT"/*.json "$OUT/cases" "$OUT/.err" "$OUT/.port"

# The I/O workloads talk to a service with 20 ms of latency, outside the recording.
"$WL/delay_server" -d 20 >"$OUT/.port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$OUT/.port" ] && break; sleep 0.1; done
PORT=$(cat "$OUT/.port")
[ -n "$PORT" ] || { echo "demo: the delay server did not start" >&2; exit 1; }

# name | expected kind/shape | what it shows | command
cat >"$OUT/cases" <<CASES
c-threads|cpu-bound/parallel|CPU-bound C, 2 threads: both cores busy at once. Parallel.|$WL/cpu_threads -t 2 -w 300
c-procs|cpu-bound/parallel|CPU-bound C, 2 forked processes: parallel like threads, with separate memory.|$WL/cpu_procs -p 2 -w 300
c-lock|cpu-bound/serialized|CPU-bound C threads that compute only under one mutex: concurrent, not parallel. The GIL's twin.|$WL/cpu_lock -t 2 -w 150
c-oversub|cpu-bound/oversubscribed|6 CPU-bound threads on the cores: they queue for a CPU (runnable, yellow).|$WL/cpu_threads -t 6 -w 100
py-threads|cpu-bound/serialized|Pure-Python loops in 2 threads: the GIL lets one run at a time. Parallelism near 1.|$PY workloads/py_cpu_threads.py
py-procs|cpu-bound/parallel|The same loops in a process pool: one interpreter and GIL each. Parallel.|$PY workloads/py_cpu_procs.py
io-sequential|io-bound/sequential|One thread, 10 round trips to a 20 ms service: one wait at a time.|$WL/io_threads -p $PORT -t 1 -r 10
io-threads|io-bound/threaded|8 threads, 10 round trips each: the waits overlap. Concurrent, yet almost no CPU.|$WL/io_threads -p $PORT -t 8 -r 10
io-epoll|io-bound/event-loop|One thread, 64 connections in flight through epoll: as concurrent as threads, on one thread.|$WL/io_epoll -p $PORT -c 64 -r 10
py-io-threads|io-bound/threaded|A Python ThreadPoolExecutor of clients: blocking calls release the GIL, so threads help I/O.|$PY workloads/py_io_threads.py -p $PORT -t 8 -r 10
py-asyncio|io-bound/event-loop|Python asyncio, 50 tasks on loopback sockets: one thread multiplexing its waits.|$PY workloads/py_asyncio.py -p $PORT -n 50 -r 40
disk|io-bound/sequential|O_DIRECT writes, each fsync'd: waiting on the disk (brown).|$WL/disk_fsync -n 300
pipeline|mixed/single|A producer fetches items over the network for a CPU worker: waits and work overlap, neither side dominates.|$WL/pipeline -p $PORT
CASES
# Without the GIL, where a free-threaded interpreter is installed.
FT=$(command -v python3.14t || command -v python3.13t || true)
if [ -n "$FT" ]; then
	echo "py-nogil|cpu-bound/parallel|The GIL-bound loops again on free-threaded $(basename "$FT"): now parallel.|$FT workloads/py_cpu_threads.py" >>"$OUT/cases"
else
	echo "demo: skip py-nogil: no free-threaded Python (python3.13t or later) installed"
fi

n=$(wc -l <"$OUT/cases") i=0
while IFS='|' read -r name want what cmd; do
	i=$((i + 1))
	printf 'demo: [%2d/%d] %-14s %s\n' "$i" "$n" "$name" "$want"
	# shellcheck disable=SC2086
	$CTRACE record -q -o "$OUT/$name.ctr" -- $cmd \
		>/dev/null 2>"$OUT/.err" || { cat "$OUT/.err" >&2; exit 1; }
	$CTRACE report "$OUT/$name.ctr" >"$OUT/$name.txt"
	$CTRACE report --json "$OUT/$name.ctr" >"$OUT/$name.json"
	$CTRACE plot -o "$OUT/$name.png" "$OUT/$name.ctr" 2>"$OUT/.err" || { cat "$OUT/.err" >&2; exit 1; }
done <"$OUT/cases"
# Side by side on one time scale: the same lesson in three programs each.
$CTRACE plot -o "$OUT/compare-cpu.png" "$OUT/c-threads.ctr" "$OUT/py-threads.ctr" "$OUT/py-procs.ctr" 2>/dev/null
$CTRACE plot -o "$OUT/compare-io.png" "$OUT/io-sequential.ctr" "$OUT/io-threads.ctr" "$OUT/io-epoll.ctr" 2>/dev/null
rm -f "$OUT/.err" "$OUT/.port"
"$PY" workloads/gallery.py "$OUT"
