/* Hand a trace to other tools: Perfetto's protobuf, or tidy CSV tables. */
#ifndef CTRACE_EXPORT_H
#define CTRACE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct ct_export_stats {
	uint64_t events, packets, switches, rows;
};

/*
 * Write dir/{sched_slices,thread_states,syscalls,threads,cpus}.csv (dir is
 * created if needed).  Each file appears whole or not at all.
 * -1 with the reason in err.
 */
int ct_export_csv(const char *trace, const char *dir, struct ct_export_stats *st,
		  char *err, size_t errlen);
/* Write a Perfetto protobuf trace to out.  -1 with the reason in err. */
int ct_export_perfetto(const char *trace, const char *out, struct ct_export_stats *st,
		       char *err, size_t errlen);

#endif
