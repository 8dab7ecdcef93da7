/* The .ctr decoder; see format.h for the layout. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libdeflate.h>

#include "format.h"
#include "reader_int.h"
#include "varint.h"

int ct_reader_fail(struct ct_reader *r, uint64_t off, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s: %s at offset %" PRIu64, r->path, what, off);
	r->done = true;
	return -1;
}

int ct_reader_read_at(struct ct_reader *r, uint64_t off, void *buf, size_t len)
{
	if (fseeko(r->f, (off_t)off, SEEK_SET) || fread(buf, 1, len, r->f) != len)
		return -1;
	return 0;
}

/*
 * Read the chunk at off into r->block.  Returns 1 with its type, 0 at a clean
 * end of file, -1 on error.  A cut-off chunk in an incomplete recording is
 * its end, not an error.
 */
int ct_reader_chunk(struct ct_reader *r, uint64_t off, uint32_t *type, uint32_t *len)
{
	uint8_t hdr[CT_CHUNK_HDR_LEN];

	if (off == r->size)
		return 0;
	if (off + CT_CHUNK_HDR_LEN > r->size || ct_reader_read_at(r, off, hdr, sizeof(hdr))) {
		if (r->incomplete)
			return 0;
		return ct_reader_fail(r, off, "truncated chunk header");
	}
	*type = ct_get_le32(hdr);
	*len = ct_get_le32(hdr + 4);
	if (*len > CT_CHUNK_MAX)
		return ct_reader_fail(r, off, "chunk of %" PRIu32 " bytes is larger than %u", *len, CT_CHUNK_MAX);
	if (off + CT_CHUNK_HDR_LEN + *len > r->size) {
		if (r->incomplete)
			return 0;
		return ct_reader_fail(r, off, "truncated chunk (%" PRIu32 " bytes, %" PRIu64 " left)",
			    *len, r->size - off - CT_CHUNK_HDR_LEN);
	}
	if (*len > r->block_cap || !r->block) {
		/* Never NULL, even for an empty chunk: parsers do arithmetic on it. */
		uint8_t *nb = realloc(r->block, *len ? *len : 1);

		if (!nb)
			return ct_reader_fail(r, off, "out of memory");
		r->block = nb;
		r->block_cap = *len ? *len : 1;
	}
	if (ct_reader_read_at(r, off + CT_CHUNK_HDR_LEN, r->block, *len))
		return ct_reader_fail(r, off, "read error: %s", strerror(errno ? errno : EIO));
#ifndef CT_FUZZ_NO_CRC	/* the fuzzer's build: mutated chunks must reach the parsers */
	if (libdeflate_crc32(0, r->block, *len) != ct_get_le32(hdr + 8))
		return ct_reader_fail(r, off, "checksum mismatch in chunk");
#endif
	return 1;
}

__attribute__((noinline)) struct ct_got ct_reader_varint_slow(struct ct_reader *r, const uint8_t *p,
								const uint8_t *end, uint64_t base, const char *what)
{
	struct ct_got g = { p, 0 };

	if (ct_get_varint(&g.p, end, &g.v)) {
		ct_reader_fail(r, base + (uint64_t)(g.p - r->block), "bad or truncated %s", what);
		g.p = NULL;
	}
	return g;
}

struct ct_reader *ctr_open(const char *path, char *err, size_t errlen)
{
	struct ct_reader *r = calloc(1, sizeof(*r));
	struct stat st;

	if (!r || !(r->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(r);
		return NULL;
	}
	r->f = fopen(path, "rb");
	if (!r->f || fstat(fileno(r->f), &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ctr_close(r);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		ctr_close(r);
		return NULL;
	}
	r->size = (uint64_t)st.st_size;
	if (ct_reader_header(r)) {
		snprintf(err, errlen, "%s", r->err);
		ctr_close(r);
		return NULL;
	}
	r->done = false;
	return r;
}

/* Load the next EVNT block; 0 at the end of the events. */
static int next_block(struct ct_reader *r)
{
	for (;;) {
		uint32_t type, len;
		int rc = ct_reader_chunk(r, r->off, &type, &len);

		if (rc <= 0)
			return rc;
		uint64_t at = r->off;

		r->off += CT_CHUNK_HDR_LEN + len;
		if (type == CT_CHUNK_SUMM) {
			if (r->off != r->size)
				return ct_reader_fail(r, r->off, "trailing data after summary");
			return 0;
		}
		if (type != CT_CHUNK_EVNT)
			return ct_reader_fail(r, at, "unexpected chunk type 0x%08" PRIx32, type);
		if (len < 12)
			return ct_reader_fail(r, at, "event block too short");
		uint64_t first = ct_get_le64(r->block);

		if (r->events && first < r->ts)
			return ct_reader_fail(r, at, "timestamps go backwards");
		r->ts = first;
		r->left = ct_get_le32(r->block + 8);
		r->block_off = at + CT_CHUNK_HDR_LEN;
		r->p = r->block + 12;
		r->end = r->block + len;
		if (r->left == 0 || r->left > len)
			return ct_reader_fail(r, at, "event block claims %" PRIu32 " events", r->left);
		return 1;
	}
}

static inline int decode_fields(struct ct_reader *r, const uint8_t **pp, struct ct_event *ev)
{
	const uint8_t *p = *pp, *end = r->end;
	uint64_t base = r->block_off, v;
	uint32_t ncpus = r->meta.ncpus;

	switch (ev->kind) {
	case CT_EV_SWITCH:
		GET32(&ev->sw.next_tid, "switch");
		GET32(&ev->sw.prev_state, "switch");
		GET(&v, "switch");
		ev->sw.prev_syscall = (int32_t)ct_unzigzag(v);
		GET(&ev->sw.prev_runtime, "switch");
		break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
	case CT_EV_WAKING:
		GET32(&ev->wake.target_cpu, "wakeup");
		GET32(&ev->wake.waker_tid, "wakeup");
		ev->wake.waker_class = CT_WAKER_TASK;
		if (ev->kind == CT_EV_WAKING) {
			GET32(&ev->wake.waker_class, "waking");
			if (ev->wake.waker_class >= CT_WAKER_CLASS_MAX)
				return ct_reader_fail(r, base + (uint64_t)(p - r->block), "unknown waker class %" PRIu32,
					    ev->wake.waker_class);
		}
		if (ev->wake.target_cpu >= ncpus)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "wakeup target cpu %" PRIu32 " out of range", ev->wake.target_cpu);
		break;
	case CT_EV_MIGRATE:
		GET32(&ev->migrate.orig_cpu, "migrate");
		GET32(&ev->migrate.dest_cpu, "migrate");
		if (ev->migrate.orig_cpu >= ncpus || ev->migrate.dest_cpu >= ncpus)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "migration cpu out of range");
		break;
	case CT_EV_FORK:
		GET32(&ev->fork.child_tid, "fork");
		GET32(&ev->fork.child_tgid, "fork");
		break;
	case CT_EV_EXEC:
		GET32(&ev->exec.tgid, "exec");
		GET32(&ev->exec.old_tid, "exec");
		if (!(p = get_string(r, p, end, base, ev->exec.filename, CT_PATH_LEN, "exec filename")))
			return -1;
		break;
	case CT_EV_EXIT:
		GET(&v, "exit");
		ev->exit.code = (int32_t)ct_unzigzag(v);
		break;
	case CT_EV_SYSCALL:
		GET(&v, "syscall");
		ev->sys.nr = (int32_t)ct_unzigzag(v);
		GET(&v, "syscall");
		ev->sys.ret = ct_unzigzag(v);
		GET(&ev->sys.dur, "syscall");
		if (ev->sys.dur > ev->ts)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "syscall starts before time zero");
		break;
	case CT_EV_TASK:
		GET32(&ev->task.tgid, "task");
		if (!(p = get_string(r, p, end, base, ev->task.comm, CT_COMM_LEN, "task name")))
			return -1;
		break;
	case CT_EV_LOST:
		GET(&ev->lost.count, "lost count");
		break;
	case CT_EV_PRIO: {
		uint32_t prio = 0;

		GET32(&prio, "prio");
		if (prio > CT_PRIO_MAX)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "bad priority %" PRIu32, prio);
		ev->prio.prio = (int32_t)prio;
		break;
	}
	case CT_EV_FREE:
		GET32(&ev->free.tgid, "free");
		break;
	case CT_EV_PARENT:
		GET32(&ev->parent.ppid, "parent");
		break;
	case CT_EV_START_STATE:
		GET32(&ev->start.tgid, "start state");
		GET32(&ev->start.state, "start state");
		GET(&v, "start state");
		ev->start.syscall = (int32_t)ct_unzigzag(v);
		if (ev->start.syscall < -1)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "bad start state syscall %" PRId32,
					      ev->start.syscall);
		break;
	case CT_EV_EPOLL: {
		uint32_t op = 0, class = 0;

		GET32(&ev->epoll.tgid, "epoll_ctl");
		GET(&v, "epoll_ctl");
		ev->epoll.epfd = (int32_t)ct_unzigzag(v);
		GET(&v, "epoll_ctl");
		ev->epoll.fd = (int32_t)ct_unzigzag(v);
		GET32(&op, "epoll_ctl");
		GET32(&class, "epoll_ctl");
		if (op < 1 || op > 3 || class >= CT_FD_CLASS_MAX)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "bad epoll_ctl (op %" PRIu32
				    ", fd class %" PRIu32 ")", op, class);
		ev->epoll.op = (uint16_t)op;
		ev->epoll.fd_class = (uint16_t)class;
		break;
	}
	}
	*pp = p;
	return 0;
}

static inline int decode_arg(struct ct_reader *r, const uint8_t **pp, struct ct_event *ev, bool has_arg,
			     bool has_cpu)
{
	const uint8_t *p = *pp, *end = r->end;
	uint64_t base = r->block_off;
	uint32_t arg = 0, cpu = ev->cpu;

	if (has_arg)
		GET32(&arg, "argument");
	if (has_cpu) {
		GET32(&cpu, "syscall entry cpu");
		if (cpu >= r->meta.ncpus)
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "syscall entry cpu %" PRIu32
					      " out of range (%" PRIu32 " CPUs)", cpu, r->meta.ncpus);
	}
	if (ev->kind == CT_EV_SWITCH)
		ev->sw.arg = arg;
	else if (ev->kind == CT_EV_SYSCALL) {
		ev->sys.arg = arg;
		ev->sys.enter_cpu = (uint16_t)cpu;
	}
	*pp = p;
	return 0;
}

/* The event at *pp, which follows one at ts, into *ev; *pp moves past it. */
static inline __attribute__((always_inline)) int decode_event(struct ct_reader *r, const uint8_t **pp, uint64_t ts,
							      struct ct_event *ev)
{
	const uint8_t *p = *pp, *end = r->end;
	uint64_t base = r->block_off, at = base + (uint64_t)(p - r->block), dts, cpu;

	if (p >= end)
		return ct_reader_fail(r, at, "truncated event");
	bool has_arg = *p & CT_KIND_ARG, has_cpu = *p & CT_KIND_CPU;

	ev->kind = *p++ & CT_KIND_MASK;	/* each kind fills its own fields: no memset per event */
	if (ev->kind == 0 || ev->kind >= CT_EV_KIND_MAX)
		return ct_reader_fail(r, at, "unknown event kind %u", ev->kind);
	if (has_arg && ev->kind != CT_EV_SWITCH && ev->kind != CT_EV_SYSCALL)
		return ct_reader_fail(r, at, "an argument on a %s event", ct_kind_name(ev->kind));
	if (has_cpu && ev->kind != CT_EV_SYSCALL)
		return ct_reader_fail(r, at, "an entry cpu on a %s event", ct_kind_name(ev->kind));
	GET(&dts, "timestamp");
	GET(&cpu, "cpu");
	GET32(&ev->tid, "tid");
	if (cpu >= r->meta.ncpus)
		return ct_reader_fail(r, at, "cpu %" PRIu64 " out of range (%" PRIu32 " CPUs)", cpu, r->meta.ncpus);
	if (dts > UINT64_MAX - ts)
		return ct_reader_fail(r, at, "timestamp overflows");
	ev->ts = ts + dts;
	ev->cpu = (uint16_t)cpu;
	if (decode_fields(r, &p, ev) || decode_arg(r, &p, ev, has_arg, has_cpu))
		return -1;
	*pp = p;
	return 0;
}

/* 1: the current block has events left (the next one, when it was used up); 0: the end; -1: an error. */
static int events_left(struct ct_reader *r)
{
	if (r->done)
		return r->err[0] ? -1 : 0;
	if (r->left)
		return 1;
	if (r->p && r->p != r->end)
		return ct_reader_fail(r, r->block_off + (uint64_t)(r->p - r->block), "trailing bytes in event block");
	int rc = next_block(r);

	if (rc <= 0)
		r->done = true;
	return rc;
}

/*
 * A block's events decode in one loop, its cursor and clock in registers,
 * stored back once: the reading thread's cost is per event, not per call.
 */
int ctr_next_batch(struct ct_reader *r, struct ct_event *ev, size_t max, size_t *n)
{
	size_t k = 0;
	int rc = 1;

	while (k < max && (rc = events_left(r)) == 1) {
		const uint8_t *p = r->p;
		uint64_t ts = r->ts;
		size_t take = r->left < max - k ? r->left : max - k;

		for (size_t i = 0; i < take; i++, k++) {
			if (decode_event(r, &p, ts, &ev[k])) {
				*n = k;
				return -1;
			}
			ts = ev[k].ts;
		}
		r->p = p;
		r->ts = ts;
		r->left -= (uint32_t)take;
		r->events += take;
	}
	*n = k;
	return rc;
}

int ctr_next(struct ct_reader *r, struct ct_event *ev)
{
	size_t n;
	int rc = ctr_next_batch(r, ev, 1, &n);

	return n ? 1 : rc;
}

const struct ct_meta *ctr_meta(const struct ct_reader *r) { return &r->meta; }
const struct ct_summary *ctr_summary(const struct ct_reader *r) { return r->have_sum ? &r->sum : NULL; }
bool ctr_incomplete(const struct ct_reader *r) { return r->incomplete; }
const char *ctr_error(const struct ct_reader *r) { return r->err; }
const char *ctr_path(const struct ct_reader *r) { return r->path; }

void ctr_close(struct ct_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	ct_meta_free(&r->meta);
	ct_summary_free(&r->sum);
	free(r->block);
	free(r->path);
	free(r);
}
