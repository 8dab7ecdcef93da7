/* Kernel features, from the kernel's own BTF: nothing is guessed from its version. */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_features.h"

/* The number of arguments a BTF-enabled tracepoint passes (its btf_trace_* typedef). */
static int tracepoint_args(const struct btf *btf, const char *tp)
{
	char name[128];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, btf__resolve_type(btf, (unsigned)id));
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t) - 1;	/* the first is the context pointer */
}

/* Whether the kernel's enum or struct named type has a value or member named entry. */
static bool type_has(const struct btf *btf, int kind, const char *type, const char *entry)
{
	int id = btf__find_by_name_kind(btf, type, kind);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, (unsigned)id);

	for (int i = 0; t && i < btf_vlen(t); i++) {
		unsigned off = kind == BTF_KIND_ENUM ? btf_enum(t)[i].name_off : btf_members(t)[i].name_off;

		if (!strcmp(btf__name_by_offset(btf, off), entry))
			return true;
	}
	return false;
}

int ct_features_probe(struct ct_features *f, char *err, size_t errlen)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const char *force = getenv("CTRACE_PROBE_FALLBACKS");

	memset(f, 0, sizeof(*f));
	if (!btf) {
		snprintf(err, errlen, "cannot read the kernel's BTF: %s", strerror(errno));
		return -1;
	}
	f->switch_state_arg = tracepoint_args(btf, "sched_switch") >= 4;
	f->task_regs = type_has(btf, BTF_KIND_ENUM, "bpf_func_id", "BPF_FUNC_task_pt_regs");
	f->cpu_in_thread_info = type_has(btf, BTF_KIND_STRUCT, "thread_info", "cpu");
	if (tracepoint_args(btf, "io_uring_complete") < 0)
		f->io_uring = CT_URING_NONE;
	else if (tracepoint_args(btf, "io_uring_submit_req") >= 0)
		f->io_uring = CT_URING_SUBMIT_REQ;
	else if (tracepoint_args(btf, "io_uring_submit_sqe") >= 0)
		f->io_uring = CT_URING_SUBMIT_SQE;
	btf__free(btf);
	if (force && *force && strcmp(force, "0")) {
		f->forced = f->switch_state_arg;
		f->switch_state_arg = false;
	}
	return 0;
}

void ct_features_describe(const struct ct_features *f, char *buf, size_t len)
{
	static const char *const uring[] = {
		[CT_URING_NONE] = "not in this kernel",
		[CT_URING_SUBMIT_REQ] = "io_uring_submit_req",
		[CT_URING_SUBMIT_SQE] = "io_uring_submit_sqe",
	};

	snprintf(buf, len, "sched_switch state: %s; blocked syscall: %s; task CPU: %s; io_uring: %s",
		 f->switch_state_arg ? "tracepoint argument" :
		 f->forced ? "read from the task (forced)" : "read from the task",
		 f->task_regs ? "saved registers" : "unknown without syscall events",
		 f->cpu_in_thread_info ? "thread_info.cpu" : "task->cpu", uring[f->io_uring]);
}
