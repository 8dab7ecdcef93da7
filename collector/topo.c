#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "topo.h"

static int ancestor_index(hwloc_topology_t t, hwloc_obj_t pu, hwloc_obj_type_t type)
{
	hwloc_obj_t o = hwloc_get_ancestor_obj_by_type(t, type, pu);

	return o ? (int)o->logical_index : -1;
}

static int numa_node(hwloc_topology_t t, hwloc_obj_t pu)
{
	hwloc_obj_t o = hwloc_get_next_obj_covering_cpuset_by_type(t, pu->cpuset,
								      HWLOC_OBJ_NUMANODE, NULL);

	return o ? (int)o->logical_index : -1;
}

int ct_topo_load(struct ct_meta *m, const char *synthetic, char *err, size_t errlen)
{
	hwloc_topology_t t;
	int n;

	if (hwloc_topology_init(&t)) {
		snprintf(err, errlen, "hwloc cannot start");
		return -1;
	}
	if ((synthetic && hwloc_topology_set_synthetic(t, synthetic)) || hwloc_topology_load(t)) {
		snprintf(err, errlen, "hwloc cannot read the %s topology%s%s",
			 synthetic ? "synthetic" : "machine's", synthetic ? " " : "",
			 synthetic ? synthetic : "");
		hwloc_topology_destroy(t);
		return -1;
	}
	n = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
	m->topo = calloc(n > 0 ? (size_t)n : 1, sizeof(*m->topo));
	if (!m->topo) {
		hwloc_topology_destroy(t);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		hwloc_obj_t pu = hwloc_get_obj_by_type(t, HWLOC_OBJ_PU, (unsigned)i);
		hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu);

		m->topo[i] = (struct ct_cpu){
			.cpu = pu->os_index,
			.package = ancestor_index(t, pu, HWLOC_OBJ_PACKAGE),
			.core = core ? (int)core->logical_index : -1,
			.smt = core ? (int)pu->sibling_rank : 0,
			.node = numa_node(t, pu),
		};
		if (pu->os_index >= m->ncpus)
			m->ncpus = pu->os_index + 1;
	}
	m->ntopo = (uint32_t)n;
	hwloc_topology_destroy(t);
	return 0;
}
