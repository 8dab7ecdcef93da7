/* The CPU topology, from hwloc: which package, core and SMT slot each CPU is. */
#ifndef CTRACE_TOPO_H
#define CTRACE_TOPO_H

#include <stddef.h>
#include "trace.h"

/*
 * Fill m->topo/ntopo (and raise m->ncpus to cover every PU).  synthetic is
 * an hwloc synthetic description such as "pack:2 core:8 pu:2", or NULL for
 * this machine.  Returns 0, or -1 with the reason in err.
 */
int ct_topo_load(struct ct_meta *m, const char *synthetic, char *err, size_t errlen);

#endif
