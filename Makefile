# ctrace — one non-recursive Makefile.  `make` builds ./ctrace (probes
# embedded through a bpftool skeleton); `make test`, `make demo`, `make bench`.

# A recipe that fails leaves no half-made target behind to be taken as built.
.DELETE_ON_ERROR:

# The syscall table, the BPF target and the registers the probes read are x86_64's.
ARCH        := $(shell uname -m)
ifneq ($(ARCH),x86_64)
$(error ctrace builds on x86_64 only, and this machine is $(ARCH): its syscall table (from asm/unistd_64.h), the probes' BPF target and the registers they read (orig_ax) are x86_64's)
endif

VERSION     := 0.1.0
BUILD       := build
BIN         := ctrace
CC          ?= cc
CLANG       ?= clang
BPFTOOL     ?= bpftool
PKG_CONFIG  ?= pkg-config

# Debian packages the build needs (`make deps-build`), and the tests and demo
# on top (`make deps` installs both); `make install` needs only the first.
BUILD_PKGS := clang llvm libbpf-dev bpftool libelf-dev libdeflate-dev libhwloc-dev pkg-config \
              linux-libc-dev make gcc protobuf-c-compiler libprotobuf-c-dev
DEPS_PKGS := $(BUILD_PKGS) hwloc gnuplot-nox libcmocka-dev python3 linux-perf \
             libclang-rt-14-dev protobuf-compiler qemu-system-x86 busybox-static cpio \
             default-jdk-headless nodejs curl liburing-dev man-db bash-completion
# One file per package proves it is installed; keeps `make deps` a no-op.
BUILD_PROBES := /usr/bin/clang /usr/bin/llvm-strip /usr/include/bpf/libbpf.h \
                /usr/sbin/bpftool /usr/include/libelf.h /usr/include/libdeflate.h \
                /usr/include/hwloc.h /usr/bin/pkg-config \
                /usr/include/x86_64-linux-gnu/asm/unistd_64.h \
                /usr/bin/protoc-c /usr/include/protobuf-c/protobuf-c.h
DEPS_PROBES := $(BUILD_PROBES) /usr/bin/lstopo-no-graphics /usr/bin/gnuplot \
               /usr/include/cmocka.h /usr/bin/python3 /usr/bin/perf \
               /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a \
               /usr/bin/protoc /usr/bin/qemu-system-x86_64 /bin/busybox /bin/cpio \
               /usr/bin/javac /usr/bin/node /usr/bin/curl /usr/include/liburing.h \
               /usr/bin/man /usr/share/bash-completion/bash_completion

# `make install`: PREFIX and DESTDIR as usual.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      := $(PREFIX)/bin
MAN1DIR     := $(PREFIX)/share/man/man1
COMPDIR     := $(PREFIX)/share/bash-completion/completions
MAN_PAGES   := $(wildcard man/*.1)
DEB_ARCH    := amd64
DEB         := ctrace_$(VERSION)_$(DEB_ARCH).deb

CFLAGS_COMMON := -O2 -g -std=gnu11 -Wall -Wextra -Werror -MMD -MP \
                 -D_GNU_SOURCE -DCTRACE_VERSION='"$(VERSION)"' -I$(BUILD) -Icollector
CFLAGS      ?=
LIBS        := -lbpf -lelf -ldeflate -lhwloc -lprotobuf-c -lm -pthread
BPF_CFLAGS  := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -Ibpf

BPF_SRCS    := bpf/sched.bpf.c bpf/tasks.bpf.c bpf/syscalls.bpf.c bpf/irq.bpf.c bpf/io_uring.bpf.c
BPF_OBJS    := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
LIB_SRCS    := collector/trace.c collector/writer.c collector/reader.c collector/intake.c \
               collector/tidmap.c collector/topo.c collector/classify.c \
               collector/model.c collector/verdict.c collector/text.c collector/timeline.c \
               collector/export_csv.c collector/csv_rows.c collector/export_perfetto.c collector/export_pftree.c collector/outbuf.c collector/libbpf_log.c \
               collector/reader_header.c collector/feed.c collector/handoff.c collector/outfile.c collector/replay.c collector/xalloc.c collector/report.c collector/report_procs.c collector/levels.c \
               collector/loops.c collector/model_setup.c collector/model_cpus.c collector/model_states.c collector/model_steal.c collector/model_locks.c collector/model_children.c collector/model_loops.c collector/model_query.c
APP_SRCS    := collector/main.c collector/cli.c collector/cmd_record.c collector/child.c collector/attach.c \
               collector/probes.c collector/snapshot.c collector/kernel_features.c collector/cmd_dump.c collector/cmd_report.c \
               collector/cmd_plot.c collector/figure.c collector/cmd_topo.c collector/cmd_export.c
LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/syscall_names.o $(BUILD)/perfetto.pb-c.o
APP_OBJS    := $(APP_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/plots_timeline.o
WL_SRCS     := $(wildcard workloads/*.c)
WL_BINS     := $(WL_SRCS:workloads/%.c=$(BUILD)/workloads/%)
UNIT_SRCS   := $(wildcard tests/unit/*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps deps-build test check unit integration concurrency kernels bench clean vmlinux \
        workloads demo fuzz asan install uninstall deb install-test
all: $(BIN) workloads
workloads: $(WL_BINS)

# Install what is missing, once; a no-op when every probe file exists.
# install_missing WHAT,PROBES,PACKAGES,TARGET
install_missing = @missing=0; for f in $(2); do [ -e $$f ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  echo "ctrace: installing $(1): $(3)"; \
	  [ "$$(id -u)" = 0 ] || { echo "ctrace: run 'sudo make $(4)' (or 'make $(4)' as root) to install them" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(3) >/dev/null; \
	fi
deps-build:
	$(call install_missing,build dependencies,$(BUILD_PROBES),$(BUILD_PKGS),deps-build)
deps:
	$(call install_missing,build and test dependencies,$(DEPS_PROBES),$(DEPS_PKGS),deps)

$(BUILD)/.deps: | deps-build
	@mkdir -p $(BUILD) && touch $@
$(BUILD)/.testdeps: | deps
	@mkdir -p $(BUILD) && touch $@

# Regenerate the checked-in CO-RE header from the running kernel.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > bpf/vmlinux.h

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c bpf/common.bpf.h bpf/core_fixes.bpf.h bpf/waits.bpf.h bpf/events.h bpf/vmlinux.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/ctrace.bpf.o: $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(BUILD)/ctrace.skel.h: $(BUILD)/ctrace.bpf.o
	$(BPFTOOL) gen skeleton $< name ctrace_bpf > $@

$(BUILD)/syscall_names.c: collector/gen_syscalls.sh | $(BUILD)/.deps
	sh $< > $@

# The gnuplot template, embedded so ./ctrace needs no install step.
$(BUILD)/plots_timeline.c: plots/timeline.gp collector/embed.sh | $(BUILD)/.deps
	sh collector/embed.sh $< ct_timeline_gp > $@

$(BUILD)/plots_timeline.o: $(BUILD)/plots_timeline.c
	$(CC) -O2 -c $< -o $@

# Perfetto's schema subset, compiled by protoc-c.
$(BUILD)/perfetto.pb-c.c $(BUILD)/perfetto.pb-c.h: collector/perfetto.proto | $(BUILD)/.deps
	protoc-c --proto_path=collector --c_out=$(BUILD) collector/perfetto.proto

$(BUILD)/perfetto.pb-c.o: $(BUILD)/perfetto.pb-c.c
	$(CC) -O2 -I$(BUILD) -c $< -o $@

$(BUILD)/collector/export_perfetto.o: $(BUILD)/perfetto.pb-c.h

$(BUILD)/syscall_names.o: $(BUILD)/syscall_names.c
	$(CC) -O2 -c $< -o $@

$(BUILD)/collector/%.o: collector/%.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -c $< -o $@

# The skeleton must exist before anything that includes it is compiled.
$(BUILD)/collector/probes.o: $(BUILD)/ctrace.skel.h

$(BUILD)/libctrace.a: $(LIB_OBJS)
	@rm -f $@	# ar keeps members whose sources are gone
	ar rcs $@ $^

$(BIN): $(APP_OBJS) $(BUILD)/libctrace.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libctrace.a | $(BUILD)/.testdeps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $< $(BUILD)/libctrace.a $(LIBS) -lcmocka

$(BUILD)/workloads/%: workloads/%.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread -o $@ $<

# Static workloads for the kernel matrix: the host and every guest run the same code.
STATIC_BINS := $(BUILD)/static/cpu_threads $(BUILD)/static/pingpong $(BUILD)/static/sysloop \
               $(BUILD)/static/kspin $(BUILD)/static/portout
STATIC_CFLAGS := -O2 -static -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread

$(BUILD)/static/cpu_threads: workloads/cpu_threads.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(STATIC_CFLAGS) -o $@ $<

$(BUILD)/static/%: tests/kernels/%.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(STATIC_CFLAGS) -o $@ $<

# Debian's packaged kernels booted under qemu, each recording the same cases.
kernels: $(BIN) $(STATIC_BINS) | $(BUILD)/.testdeps
	@BUILD=$(BUILD) CTRACE=./$(BIN) sh tests/kernels/matrix.sh

# The CLI's helpers are tested against the CLI's own object.
$(BUILD)/tests/test_cli: tests/unit/test_cli.c $(BUILD)/collector/cli.o $(BUILD)/libctrace.a | $(BUILD)/.testdeps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $< $(BUILD)/collector/cli.o $(BUILD)/libctrace.a $(LIBS) -lcmocka

unit: $(UNIT_BINS)
	@sh tests/run_unit.sh $(UNIT_BINS)

$(BUILD)/tests/rusage: tests/bench/rusage.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

integration: $(BIN) workloads $(BUILD)/tests/progs/mix | $(BUILD)/.testdeps
	@CTRACE=./$(BIN) PROGS=$(BUILD)/tests/progs sh tests/integration.sh

# Programs the concurrency and integration tests record (the rest are scripts or Java).
PROG_BINS := $(BUILD)/tests/progs/uring_recv $(BUILD)/tests/progs/mix
$(BUILD)/tests/progs/mix: tests/progs/mix.c | $(BUILD)/.testdeps
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $< -lpthread
$(BUILD)/tests/progs/uring_recv: tests/progs/uring_recv.c workloads/net.h | $(BUILD)/.testdeps
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $< -luring

concurrency: $(BIN) workloads $(PROG_BINS) | $(BUILD)/.testdeps
	@CTRACE=./$(BIN) PROGS=$(BUILD)/tests/progs sh tests/concurrency.sh

check: unit integration concurrency

# The README's test command: unit and root integration tests, the kernel
# matrix, the same tests under ASan+UBSan, the fuzzer for FUZZ_SECONDS,
# then installing: make install, man pages, completion, the .deb.
test: check kernels asan fuzz install-test

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/ctrace
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)/
	install -m 644 completion/ctrace $(DESTDIR)$(COMPDIR)/ctrace

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ctrace $(DESTDIR)$(COMPDIR)/ctrace \
		$(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(MAN_PAGES)))

# A Debian package of what `make install` lays out under /usr, built with
# dpkg-deb: man pages compressed and the binary stripped as Debian's are.
deb: $(DEB)
$(DEB): $(BIN) $(MAN_PAGES) completion/ctrace debian/control.in
	rm -rf $(BUILD)/deb
	$(MAKE) --no-print-directory install DESTDIR=$(BUILD)/deb PREFIX=/usr
	strip --strip-unneeded $(BUILD)/deb/usr/bin/ctrace
	gzip -9n $(BUILD)/deb/usr/share/man/man1/*.1
	mkdir -p $(BUILD)/deb/DEBIAN
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/@ARCH@/$(DEB_ARCH)/' \
	    -e "s/@SIZE@/$$(du -sk $(BUILD)/deb/usr | cut -f1)/" debian/control.in > $(BUILD)/deb/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(BUILD)/deb $@

install-test: $(BIN) | $(BUILD)/.testdeps
	@CTRACE=./$(BIN) sh tests/install.sh

# The README's main job: every bundled workload recorded and judged.
demo: $(BIN) workloads | $(BUILD)/.testdeps
	@sh workloads/demo.sh

# Empty programs on ctrace's tracepoints: the floor any eBPF tracer pays.
$(BUILD)/tests/floor.bpf.o: tests/bench/floor.bpf.c bpf/vmlinux.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/floor: tests/bench/floor.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $< -lbpf

bench: $(BIN) $(BUILD)/tests/rusage $(BUILD)/tests/floor $(BUILD)/tests/floor.bpf.o | $(BUILD)/.testdeps
	@sh tests/bench/bench.sh

# libFuzzer, two targets, FUZZ_SECONDS each: fuzz_trace reads any bytes as a
# trace (seeded with real ones, tests/fuzz/seeds), fuzz_events builds
# probe records from its input and runs them through intake, writer,
# reader, model, verdict, report and timeline.  Both are built without the
# blocks' checksums, so mutations reach the parsers and the model.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := trace events
FUZZ_LIB := $(LIB_SRCS) $(BUILD)/syscall_names.c $(BUILD)/perfetto.pb-c.c
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              -DCT_FUZZ_NO_CRC -D_GNU_SOURCE -Icollector -I$(BUILD) -Itests/fuzz
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/check.h $(FUZZ_LIB) $(wildcard collector/*.h) | $(BUILD)/.testdeps
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB) -lbpf -lelf -ldeflate -lhwloc -lprotobuf-c -lm

fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	@rm -f $(BUILD)/fuzz/*-crash-* $(BUILD)/fuzz/*-leak-* $(BUILD)/fuzz/*-timeout-* $(BUILD)/fuzz/*-oom-*; \
	for t in $(FUZZ_TARGETS); do \
		dir=$(BUILD)/fuzz/corpus-$$t; mkdir -p $$dir; \
		cp tests/fuzz/seeds/$$t/* tests/fuzz/regressions/$$t/* $$dir/ 2>/dev/null; \
		echo "fuzz: fuzz_$$t for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$t- \
			$$dir 2>&1 | grep -E 'DONE|^stat::(number_of_executed_units|average_exec_per_sec)|ERROR|SUMMARY'; \
	done; \
	found=$$(find $(BUILD)/fuzz -maxdepth 1 -name '*-crash-*' -o -name '*-leak-*' -o -name '*-timeout-*' -o -name '*-oom-*'); \
	if [ -n "$$found" ]; then \
		echo "$$found"; echo "fuzz: findings above: add each to tests/fuzz/regressions/TARGET/ and fix"; exit 1; fi

# The whole suite, unit and root integration, against an ASan+UBSan build.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) BUILD=build/asan BIN=build/asan/ctrace CFLAGS="$(ASAN_FLAGS)" check

clean:
	rm -rf $(BUILD) ctrace $(DEB)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
