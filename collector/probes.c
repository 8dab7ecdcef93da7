#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../bpf/events.h"
#include "ctrace.skel.h"
#include "kernel_features.h"
#include "libbpf_log.h"
#include "probes.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"

#define PID_MAX_LIMIT (4u << 20)	/* the kernel's ceiling for pid_max on 64-bit */

struct ct_probes {
	struct ctrace_bpf *skel;
	struct ring_buffer *rb;
	volatile uint8_t *members;	/* the traced array, mapped: a byte per tid */
	size_t members_len;
	ct_record_fn fn;
	void *ctx;
	bool detached, batches_taken;
	struct ct_features features;
};

/* Tids run below pid_max: the task set needs a byte for each. */
static uint32_t pid_max(void)
{
	unsigned long v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v && v <= PID_MAX_LIMIT ? (uint32_t)v : PID_MAX_LIMIT;
}

static int map_members(struct ct_probes *p, char *err, size_t errlen)
{
	struct bpf_map *m = p->skel->maps.traced;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size_t)bpf_map__max_entries(m) * bpf_map__value_size(m);
	void *mem = mmap(NULL, (len + page - 1) / page * page, PROT_READ | PROT_WRITE,
			 MAP_SHARED, bpf_map__fd(m), 0);

	if (mem == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the task set: %s", strerror(errno));
		return -1;
	}
	p->members = mem;
	p->members_len = len;
	return 0;
}

static const char *kernel_release(void)
{
	static struct utsname u;

	return uname(&u) ? "(unknown)" : u.release;
}

#define PROC_PID_INIT_INO 0xEFFFFFFCu	/* the kernel's fixed inode for the initial pid namespace */

/*
 * The probes see the kernel's tids; the recorder's are its pid namespace's.
 * They agree only in the initial namespace (unknown: assume they do).
 */
static bool in_initial_pid_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) || st.st_ino == PROC_PID_INIT_INO;
}

/* One program of each set of variants, as this kernel allows (kernel_features.h). */
static void choose_variants(struct ctrace_bpf *skel, const struct ct_features *f, bool syscalls)
{
	bool uring = syscalls && f->io_uring != CT_URING_NONE;

	bpf_program__set_autoload(skel->progs.on_switch, f->switch_state_arg);
	bpf_program__set_autoload(skel->progs.on_switch_task_state, !f->switch_state_arg);
	bpf_program__set_autoload(skel->progs.on_uring_submit, uring && f->io_uring == CT_URING_SUBMIT_REQ);
	bpf_program__set_autoload(skel->progs.on_uring_submit_sqe, uring && f->io_uring == CT_URING_SUBMIT_SQE);
	bpf_program__set_autoload(skel->progs.on_uring_complete, uring);
}

struct ct_probes *ct_probes_load(const struct ct_probe_config *cfg, ct_record_fn fn,
				 void *ctx, char *err, size_t errlen)
{
	struct ct_probes *p;
	int rc;

	if (geteuid() != 0) {
		snprintf(err, errlen, "recording needs root to load eBPF probes: run 'sudo ctrace record ...'");
		return NULL;
	}
	if (!cfg->all && !in_initial_pid_ns()) {
		snprintf(err, errlen, "running in a PID namespace of its own (a container?), "
			 "where its thread ids are not the kernel's: run it on the host, or record "
			 "the whole system with -a");
		return NULL;
	}
	if (access(BTF_PATH, R_OK)) {
		snprintf(err, errlen, "this kernel exposes no BTF (%s: %s): ctrace needs a kernel "
			 "built with CONFIG_DEBUG_INFO_BTF=y", BTF_PATH, strerror(errno));
		return NULL;
	}
	ct_libbpf_log_init(cfg->verbose);
	p = calloc(1, sizeof(*p));
	if (!p || !(p->skel = ctrace_bpf__open())) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		free(p);
		return NULL;
	}
	if (ct_features_probe(&p->features, err, errlen)) {
		ct_probes_free(p);
		return NULL;
	}
	choose_variants(p->skel, &p->features, cfg->syscalls);
	p->skel->rodata->self_tgid = (uint32_t)getpid();
	p->skel->rodata->trace_all = cfg->all;
	bpf_map__set_max_entries(p->skel->maps.events, (uint32_t)cfg->buffer_bytes);
	bpf_map__set_max_entries(p->skel->maps.traced, (pid_max() + 7) / 8);
	if (!cfg->syscalls) {
		bpf_program__set_autoload(p->skel->progs.on_sys_enter, false);
		bpf_program__set_autoload(p->skel->progs.on_sys_exit, false);
	}
	rc = ctrace_bpf__load(p->skel);
	if (rc) {
		ct_libbpf_explain(rc, kernel_release(), err, errlen);
		ct_probes_free(p);
		return NULL;
	}
	if (map_members(p, err, errlen)) {
		ct_probes_free(p);
		return NULL;
	}
	p->fn = fn;
	p->ctx = ctx;
	p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.events), fn, ctx, NULL);
	if (!p->rb) {
		snprintf(err, errlen, "cannot map the ring buffer: %s", strerror(errno));
		ct_probes_free(p);
		return NULL;
	}
	return p;
}

/*
 * Each CPU notes whether its current task is traced, trusted until the next
 * context switch; voided whenever the task set or the attached programs
 * change behind the probes' back.
 */
static void forget_cpu_notes(struct ct_probes *p)
{
	__atomic_fetch_add(&p->skel->bss->membership_gen, 1, __ATOMIC_SEQ_CST);
}

/* A single byte store: the probes may be setting a neighbour's at the same time. */
int ct_probes_track(struct ct_probes *p, uint32_t tid)
{
	if (tid == 0 || tid >= p->members_len) {
		errno = ERANGE;
		return -1;
	}
	p->members[tid] = 1;
	forget_cpu_notes(p);
	return 0;
}

int ct_probes_attach(struct ct_probes *p, char *err, size_t errlen)
{
	int rc = ctrace_bpf__attach(p->skel);

	if (rc) {
		ct_libbpf_explain(rc, kernel_release(), err, errlen);
		return -1;
	}
	forget_cpu_notes(p);	/* switches before on_switch was attached went unseen */
	return 0;
}

void ct_probes_detach(struct ct_probes *p)
{
	ctrace_bpf__detach(p->skel);
	p->detached = true;
}

/*
 * Every CPU's value of a single-value per-CPU map, *stride bytes apart
 * (the kernel pads each to 8); NULL on failure.  Caller frees.
 */
static void *read_per_cpu(struct bpf_map *m, int *ncpus, size_t *stride)
{
	int n = libbpf_num_possible_cpus();
	size_t vsz = (bpf_map__value_size(m) + 7) / 8 * 8;
	uint32_t zero = 0;

	if (n <= 0)
		return NULL;
	void *vals = calloc((size_t)n, vsz);

	if (vals && bpf_map__lookup_elem(m, &zero, sizeof(zero), vals, (size_t)n * vsz, 0)) {
		free(vals);
		return NULL;
	}
	*ncpus = n;
	*stride = vsz;
	return vals;
}

/*
 * Syscall records still sitting in the CPUs' batches: safe to read once no
 * probe can run, and read once.  Handed over like any ring-buffer record.
 */
static int take_batches(struct ct_probes *p)
{
	int n, count = 0;
	size_t vsz;
	uint8_t *vals;

	p->batches_taken = true;
	vals = read_per_cpu(p->skel->maps.sys_batch, &n, &vsz);
	if (!vals)
		return -1;
	for (int cpu = 0; cpu < n; cpu++) {
		struct ct_sys_batch *b = (struct ct_sys_batch *)(vals + (size_t)cpu * vsz);
		uint32_t k = b->n < CT_SYS_BATCH ? b->n : CT_SYS_BATCH;

		if (k && p->fn(p->ctx, b->recs, k * sizeof(b->recs[0])) == 0)
			count += (int)k;
	}
	free(vals);
	return count;
}

int ct_probes_drain(struct ct_probes *p)
{
	int rc = ring_buffer__consume(p->rb);

	if (rc >= 0 && p->detached && !p->batches_taken) {
		int k = take_batches(p);

		rc = k < 0 ? k : rc + k;
	}
	return rc;
}

int ct_probes_drops(struct ct_probes *p, uint64_t *drops, uint32_t ncpus)
{
	int n = 0;
	size_t vsz = 0;
	uint8_t *vals = read_per_cpu(p->skel->maps.drops, &n, &vsz);
	int rc = vals ? 0 : -1;

	for (uint32_t i = 0; i < ncpus; i++)
		drops[i] = vals && i < (uint32_t)n ? *(uint64_t *)(vals + (size_t)i * vsz) : 0;
	free(vals);
	return rc;
}

void ct_probes_describe(const struct ct_probes *p, char *buf, size_t len)
{
	ct_features_describe(&p->features, buf, len);
}

void ct_probes_free(struct ct_probes *p)
{
	if (!p)
		return;
	ring_buffer__free(p->rb);
	if (p->members)
		munmap((void *)p->members, p->members_len);
	ctrace_bpf__destroy(p->skel);
	free(p);
}
