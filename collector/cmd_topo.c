/* ctrace topo: the CPU topology hwloc sees here, and what a trace recorded. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "reader.h"
#include "timeline.h"
#include "topo.h"
#include "xalloc.h"

struct topo_opts {
	const char *synthetic;
	const char *path;
};

static const struct argp_option options[] = {
	{ "synthetic", 's', "DESC", 0, "An hwloc synthetic topology instead of this machine's, "
	  "e.g. \"pack:2 core:8 pu:2\"", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct topo_opts *o = state->input;

	switch (key) {
	case 's': o->synthetic = arg; break;
	case ARGP_KEY_ARG:	/* optional here: no FILE means this machine */
		return ct_one_trace_arg(key, arg, state, &o->path) ? 0 : ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "[FILE]",
	"Print the CPU topology in the order plot lanes use (package, core, SMT "
	"sibling): this machine's as hwloc sees it, or the one a trace recorded.",
	NULL, NULL, NULL
};

static void print_topo(const char *what, const struct ct_meta *m)
{
	uint32_t *order = ct_xcalloc(m->ncpus, sizeof(*order));

	printf("%s: %u CPUs\n%6s %8s %6s %4s %5s\n", what, m->ncpus, "lane", "package", "core", "smt", "cpu");
	ct_tl_order_cpus(m->topo, m->ntopo, m->ncpus, order);
	for (uint32_t l = 0; l < m->ncpus; l++) {
		const struct ct_cpu *c = ct_cpu_topo(m, order[l]);

		if (c)
			printf("%6u %8d %6d %4d %5u\n", l, c->package, c->core, c->smt, c->cpu);
		else
			printf("%6u %8s %6s %4s %5u\n", l, "?", "?", "?", order[l]);
	}
	free(order);
}

int cmd_topo(int argc, char **argv)
{
	struct topo_opts o = {0};
	struct ct_meta m = {0};
	char err[512];

	argv[0] = "ctrace topo";
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (o.path) {
		struct ct_reader *r = ctr_open(o.path, err, sizeof(err));

		if (!r) {
			ct_warn("%s", err);
			return 1;
		}
		print_topo(o.path, ctr_meta(r));
		ctr_close(r);
		return 0;
	}
	if (ct_topo_load(&m, o.synthetic, err, sizeof(err))) {
		ct_warn("%s", err);
		return 1;
	}
	print_topo(o.synthetic ? o.synthetic : "this machine", &m);
	ct_meta_free(&m);
	return 0;
}
