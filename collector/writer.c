/* The .ctr encoder; see format.h for the layout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>

#include "format.h"
#include "varint.h"
#include "writer.h"
#include "xalloc.h"

struct ct_writer {
	char *path;
	int fd;
	uint64_t off;		/* bytes written so far */
	uint32_t ncpus;
	uint8_t *block;		/* EVNT payload being built */
	size_t block_len;
	uint32_t block_count;
	uint64_t last_ts;
	uint64_t limit;		/* the finished file's size at most; 0 = none */
	bool full;		/* an event did not fit under limit: none are taken now */
	struct ct_summary sum;
	char err[512];
};

static int fail(struct ct_writer *w, const char *what)
{
	snprintf(w->err, sizeof(w->err), "%s: %s at offset %llu: %s", w->path,
		 what, (unsigned long long)w->off, strerror(errno ? errno : EIO));
	return -1;
}

static int write_all(struct ct_writer *w, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(w, "write failed");
		p += n;
		len -= (size_t)n;
		w->off += (uint64_t)n;
	}
	return 0;
}

static int write_chunk(struct ct_writer *w, uint32_t type, const uint8_t *payload,
		       size_t len)
{
	uint8_t hdr[CT_CHUNK_HDR_LEN];

	ct_put_le32(hdr, type);
	ct_put_le32(hdr + 4, (uint32_t)len);
	ct_put_le32(hdr + 8, libdeflate_crc32(0, payload, len));
	if (write_all(w, hdr, sizeof(hdr)))
		return -1;
	return write_all(w, payload, len);
}

/* A growable byte buffer for the header chunks. */
struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	b->cap = (b->len + more) * 2;
	b->p = ct_xrealloc(b->p, b->cap);
}

static void buf_varint(struct buf *b, uint64_t v)
{
	buf_reserve(b, CT_VARINT_MAX);
	b->len += ct_put_varint(b->p + b->len, v);
}

static void buf_bytes(struct buf *b, const void *s, size_t len)
{
	buf_varint(b, len);
	buf_reserve(b, len);
	memcpy(b->p + b->len, s, len);
	b->len += len;
}

static void meta_str(struct buf *b, unsigned key, const char *s)
{
	buf_varint(b, key);
	buf_bytes(b, s, strlen(s));
}

static void meta_num(struct buf *b, unsigned key, uint64_t v)
{
	uint8_t tmp[CT_VARINT_MAX];

	buf_varint(b, key);
	buf_bytes(b, tmp, ct_put_varint(tmp, v));
}

static void encode_meta(struct buf *b, const struct ct_meta *m)
{
	meta_str(b, CT_META_VERSION, m->version);
	meta_str(b, CT_META_KERNEL, m->kernel);
	meta_str(b, CT_META_HOSTNAME, m->hostname);
	meta_str(b, CT_META_MACHINE, m->machine);
	meta_str(b, CT_META_PROBES, m->probes);
	meta_num(b, CT_META_NCPUS, m->ncpus);
	meta_num(b, CT_META_ROOT_PID, m->root_pid);
	if (m->root_ppid)
		meta_num(b, CT_META_ROOT_PPID, m->root_ppid);
	if (m->recorder_pid)
		meta_num(b, CT_META_RECORDER_PID, m->recorder_pid);
	meta_num(b, CT_META_OPTIONS, m->options);
	meta_num(b, CT_META_BOOT_NS, m->boot_ns);
	meta_num(b, CT_META_MONO_NS, m->mono_ns);
	meta_num(b, CT_META_REAL_NS, m->real_ns);
	for (uint32_t i = 0; i < m->argc; i++)
		meta_str(b, CT_META_ARG, m->argv[i]);
}

/* Unknown package/core/node are -1; stored +1 so varints stay unsigned. */
static void encode_topo(struct buf *b, const struct ct_meta *m)
{
	buf_varint(b, m->ntopo);
	for (uint32_t i = 0; i < m->ntopo; i++) {
		const struct ct_cpu *c = &m->topo[i];

		buf_varint(b, c->cpu);
		buf_varint(b, (uint64_t)(c->package + 1));
		buf_varint(b, (uint64_t)(c->core + 1));
		buf_varint(b, (uint64_t)c->smt);
		buf_varint(b, (uint64_t)(c->node + 1));
	}
}

struct ct_writer *ctw_open(const char *path, const struct ct_meta *meta,
			   char *err, size_t errlen)
{
	struct ct_writer *w = calloc(1, sizeof(*w));
	uint8_t hdr[CT_HEADER_LEN] = {0};
	struct buf b = {0};

	if (w)
		w->fd = -1;
	if (!w || !(w->path = strdup(path)) ||
	    !(w->block = malloc(CT_BLOCK_TARGET + CT_RECORD_MAX))) {
		snprintf(err, errlen, "%s: out of memory", path);
		ctw_free(w);
		return NULL;
	}
	w->ncpus = meta->ncpus;
	/* Root writes this in the user's directory: never through a symlink. */
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path,
			 errno == ELOOP ? "it is a symbolic link, which ctrace will not write through"
					: strerror(errno));
		ctw_free(w);
		return NULL;
	}
	memcpy(hdr, CT_MAGIC, CT_MAGIC_LEN);
	hdr[8] = CT_VERSION_MAJOR;
	hdr[10] = CT_VERSION_MINOR;
	ct_put_le32(hdr + CT_HEADER_FLAGS_OFF, CT_FLAG_INCOMPLETE);
	encode_meta(&b, meta);
	int rc = write_all(w, hdr, sizeof(hdr)) ||
		 write_chunk(w, CT_CHUNK_META, b.p, b.len);
	b.len = 0;
	encode_topo(&b, meta);
	rc = rc || write_chunk(w, CT_CHUNK_TOPO, b.p, b.len);
	free(b.p);
	if (rc) {
		snprintf(err, errlen, "%s", w->err);
		ctw_abort(w);
		return NULL;
	}
	w->block_len = 12;	/* room for first_ts and count */
	return w;
}

static int flush_block(struct ct_writer *w)
{
	if (!w->block_count)
		return 0;
	ct_put_le32(w->block + 8, w->block_count);
	if (write_chunk(w, CT_CHUNK_EVNT, w->block, w->block_len))
		return -1;
	w->block_len = 12;
	w->block_count = 0;
	return 0;
}

int ctw_flush(struct ct_writer *w)
{
	return flush_block(w);
}

static uint8_t *put_string(uint8_t *p, const char *s, size_t max)
{
	size_t len = strnlen(s, max - 1);

	p += ct_put_varint(p, len);
	memcpy(p, s, len);
	return p + len;
}

/* A switch's or a syscall's arg, the one optional field: 0 costs nothing. */
static uint32_t ev_arg(const struct ct_event *ev)
{
	if (ev->kind == CT_EV_SWITCH)
		return ev->sw.arg;
	return ev->kind == CT_EV_SYSCALL ? ev->sys.arg : 0;
}

static uint8_t *encode_fields(uint8_t *p, const struct ct_event *ev)
{
	switch (ev->kind) {
	case CT_EV_SWITCH:
		p += ct_put_varint(p, ev->sw.next_tid);
		p += ct_put_varint(p, ev->sw.prev_state);
		p += ct_put_varint(p, ct_zigzag(ev->sw.prev_syscall));
		p += ct_put_varint(p, ev->sw.prev_runtime);
		break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
	case CT_EV_WAKING:
		p += ct_put_varint(p, ev->wake.target_cpu);
		p += ct_put_varint(p, ev->wake.waker_tid);
		if (ev->kind == CT_EV_WAKING)
			p += ct_put_varint(p, ev->wake.waker_class);
		break;
	case CT_EV_EPOLL:
		p += ct_put_varint(p, ev->epoll.tgid);
		p += ct_put_varint(p, ct_zigzag(ev->epoll.epfd));
		p += ct_put_varint(p, ct_zigzag(ev->epoll.fd));
		p += ct_put_varint(p, ev->epoll.op);
		p += ct_put_varint(p, ev->epoll.fd_class);
		break;
	case CT_EV_MIGRATE:
		p += ct_put_varint(p, ev->migrate.orig_cpu);
		p += ct_put_varint(p, ev->migrate.dest_cpu);
		break;
	case CT_EV_FORK:
		p += ct_put_varint(p, ev->fork.child_tid);
		p += ct_put_varint(p, ev->fork.child_tgid);
		break;
	case CT_EV_EXEC:
		p += ct_put_varint(p, ev->exec.tgid);
		p += ct_put_varint(p, ev->exec.old_tid);
		p = put_string(p, ev->exec.filename, CT_PATH_LEN);
		break;
	case CT_EV_EXIT:
		p += ct_put_varint(p, ct_zigzag(ev->exit.code));
		break;
	case CT_EV_SYSCALL:
		p += ct_put_varint(p, ct_zigzag(ev->sys.nr));
		p += ct_put_varint(p, ct_zigzag(ev->sys.ret));
		p += ct_put_varint(p, ev->sys.dur);
		break;
	case CT_EV_TASK:
		p += ct_put_varint(p, ev->task.tgid);
		p = put_string(p, ev->task.comm, CT_COMM_LEN);
		break;
	case CT_EV_LOST:
		p += ct_put_varint(p, ev->lost.count);
		break;
	case CT_EV_PRIO:
		p += ct_put_varint(p, (uint32_t)ev->prio.prio);
		break;
	case CT_EV_FREE:
		p += ct_put_varint(p, ev->free.tgid);
		break;
	case CT_EV_PARENT:
		p += ct_put_varint(p, ev->parent.ppid);
		break;
	case CT_EV_START_STATE:
		p += ct_put_varint(p, ev->start.tgid);
		p += ct_put_varint(p, ev->start.state);
		p += ct_put_varint(p, ct_zigzag(ev->start.syscall));
		break;
	}
	return p;
}

/*
 * The summary's size at most: its varints (10 bytes each at most) for the
 * counts, a drop count per CPU and the command's end, with its chunk header.
 */
static uint64_t summary_bound(const struct ct_writer *w)
{
	return CT_CHUNK_HDR_LEN + 10ull * (10 + CT_EV_KIND_MAX + w->ncpus);
}

/* Would the file, with the block at block_len written and the summary after it, fit? */
static bool fits_under_limit(const struct ct_writer *w, size_t block_len)
{
	return w->off + CT_CHUNK_HDR_LEN + block_len + summary_bound(w) <= w->limit;
}

void ctw_set_limit(struct ct_writer *w, uint64_t bytes)
{
	w->limit = bytes;
}

bool ctw_full(const struct ct_writer *w) { return w->full; }

int ctw_event(struct ct_writer *w, const struct ct_event *ev)
{
	if (ev->kind == 0 || ev->kind >= CT_EV_KIND_MAX || ev->cpu >= w->ncpus ||
	    (ev->kind == CT_EV_SYSCALL && ev->sys.enter_cpu >= w->ncpus) ||
	    (w->sum.events && ev->ts < w->last_ts)) {
		errno = EINVAL;
		return fail(w, "refused an out-of-order or malformed event");
	}
	if (w->full)
		return 0;
	if (!w->block_count) {
		ct_put_le64(w->block, ev->ts);
		w->last_ts = ev->ts;
	}
	uint8_t *p = w->block + w->block_len;
	uint32_t arg = ev_arg(ev);
	bool moved = ev->kind == CT_EV_SYSCALL && ev->sys.enter_cpu != ev->cpu;

	*p++ = (uint8_t)(ev->kind | (arg ? CT_KIND_ARG : 0) | (moved ? CT_KIND_CPU : 0));
	p += ct_put_varint(p, ev->ts - w->last_ts);
	p += ct_put_varint(p, ev->cpu);
	p += ct_put_varint(p, ev->tid);
	p = encode_fields(p, ev);
	if (arg)
		p += ct_put_varint(p, arg);
	if (moved)
		p += ct_put_varint(p, ev->sys.enter_cpu);
	if (w->limit && !fits_under_limit(w, (size_t)(p - w->block))) {
		w->full = true;	/* the event stays unwritten: the block ends before it */
		return 0;
	}
	w->block_len = (size_t)(p - w->block);
	w->block_count++;
	w->last_ts = ev->ts;
	if (!w->sum.events)
		w->sum.first_ts = ev->ts;
	w->sum.last_ts = ev->ts;
	w->sum.events++;
	w->sum.per_kind[ev->kind]++;
	if (w->block_len >= CT_BLOCK_TARGET)
		return flush_block(w);
	return 0;
}

static void encode_summary(struct buf *b, const struct ct_summary *s,
			   const uint64_t *drops, uint32_t ndrops)
{
	buf_varint(b, s->first_ts);
	buf_varint(b, s->last_ts);
	buf_varint(b, s->events);
	buf_varint(b, s->reordered);
	buf_varint(b, CT_EV_KIND_MAX);
	for (unsigned k = 0; k < CT_EV_KIND_MAX; k++)
		buf_varint(b, s->per_kind[k]);
	buf_varint(b, ndrops);
	for (uint32_t i = 0; i < ndrops; i++)
		buf_varint(b, drops[i]);
	buf_varint(b, s->has_command);
	if (s->has_command) {
		buf_varint(b, ct_zigzag(s->command_status));
		buf_varint(b, s->command_cpu_ns);
		buf_varint(b, s->command_wall_ns);
	}
}

void ctw_set_command(struct ct_writer *w, int32_t status, uint64_t cpu_ns, uint64_t wall_ns)
{
	w->sum.has_command = true;
	w->sum.command_status = status;
	w->sum.command_cpu_ns = cpu_ns;
	w->sum.command_wall_ns = wall_ns;
}

int ctw_finish(struct ct_writer *w, const uint64_t *drops, uint32_t ndrops,
	       uint64_t reordered)
{
	struct buf b = {0};
	uint8_t fixed[12];
	uint64_t summary_off;
	int rc;

	if (flush_block(w))
		return -1;
	summary_off = w->off;
	w->sum.reordered = reordered;
	encode_summary(&b, &w->sum, drops, ndrops);
	rc = write_chunk(w, CT_CHUNK_SUMM, b.p, b.len);
	free(b.p);
	if (rc)
		return -1;
	/* Only now does the file claim to be whole. */
	ct_put_le32(fixed, 0);
	ct_put_le64(fixed + 4, summary_off);
	if (pwrite(w->fd, fixed, sizeof(fixed), CT_HEADER_FLAGS_OFF) != sizeof(fixed))
		return fail(w, "cannot finalize header");
	if (close(w->fd)) {
		w->fd = -1;
		return fail(w, "close failed");
	}
	w->fd = -1;
	return 0;
}

void ctw_abort(struct ct_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
		unlink(w->path);
	}
	ctw_free(w);
}

void ctw_free(struct ct_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->block);
	free(w->path);
	free(w);
}

uint64_t ctw_bytes(const struct ct_writer *w) { return w->off + w->block_len; }
uint64_t ctw_events(const struct ct_writer *w) { return w->sum.events; }
const char *ctw_error(const struct ct_writer *w) { return w->err; }
