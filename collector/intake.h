/*
 * Between the ring buffer and the writer: puts the probes' records back in
 * time order, and turns the names and tgids they carry into TASK events
 * only when they change, so the file names each thread once.
 */
#ifndef CTRACE_INTAKE_H
#define CTRACE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "writer.h"

struct ct_intake;

/* Never NULL (out of memory is xalloc.h's policy). */
struct ct_intake *cti_new(struct ct_writer *w);
/*
 * Take one ring-buffer sample (copied): a record, or a batch of syscall
 * records.  The number of records taken, or -1 if it is malformed.
 */
int cti_add(struct ct_intake *in, const void *rec, size_t size);
/* Note kernel drops on cpu, as of now. */
void cti_lost(struct ct_intake *in, uint16_t cpu, uint64_t count, uint64_t now);
/*
 * Write out the records that can no longer be overtaken (all of them when
 * final).  -1 on a write error (see ctw_error).
 */
int cti_flush(struct ct_intake *in, bool final);
uint64_t cti_reordered(const struct ct_intake *in);
/* Name slots allocated: follows the tasks alive at once, not all ever seen. */
size_t cti_task_slots(const struct ct_intake *in);
void cti_free(struct ct_intake *in);

#endif
