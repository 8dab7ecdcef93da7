/* Loading, feeding and reading the BPF side: the only file that knows the skeleton. */
#ifndef CTRACE_PROBES_H
#define CTRACE_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ct_probes;

struct ct_probe_config {
	bool all;		/* the whole system is the workload */
	bool syscalls;
	uint64_t buffer_bytes;	/* ring buffer size, a power of two */
	bool verbose;		/* show libbpf's own messages */
};

typedef int (*ct_record_fn)(void *ctx, void *data, size_t size);

/* Check privileges and BTF, then open and load.  NULL with the cause and fix in err. */
struct ct_probes *ct_probes_load(const struct ct_probe_config *cfg, ct_record_fn fn,
				 void *ctx, char *err, size_t errlen);
int ct_probes_track(struct ct_probes *p, uint32_t tid);
int ct_probes_attach(struct ct_probes *p, char *err, size_t errlen);
/* Detach every program, so no new record arrives; the buffer can still be drained. */
void ct_probes_detach(struct ct_probes *p);
/* Hand every available record to the callback; count, or -1. */
int ct_probes_drain(struct ct_probes *p);
/* Per-CPU drop counters, for ncpus CPUs. */
int ct_probes_drops(struct ct_probes *p, uint64_t *drops, uint32_t ncpus);
/* Which program variants were loaded, and why: one line. */
void ct_probes_describe(const struct ct_probes *p, char *buf, size_t len);
void ct_probes_free(struct ct_probes *p);

#endif
