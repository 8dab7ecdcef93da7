/* The .ctr decoder; see format.h for the layout. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "format.h"
#include "reader.h"
#include "varint.h"

struct ct_reader {
	char *path;
	FILE *f;
	uint64_t size;
	uint64_t off;		/* file offset of the next chunk */
	bool incomplete;
	bool done;
	struct ct_meta meta;
	struct ct_summary sum;
	bool have_sum;
	/* The current EVNT block. */
	uint8_t *block;
	size_t block_cap;
	uint64_t block_off;	/* file offset of its payload */
	const uint8_t *p, *end;
	uint32_t left;		/* records still to decode in it */
	uint64_t ts;		/* of the last record decoded */
	uint64_t events;
	char err[512];
};

static int fail(struct ct_reader *r, uint64_t off, const char *fmt, ...)
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

static int read_at(struct ct_reader *r, uint64_t off, void *buf, size_t len)
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
static int read_chunk(struct ct_reader *r, uint64_t off, uint32_t *type, uint32_t *len)
{
	uint8_t hdr[CT_CHUNK_HDR_LEN];

	if (off == r->size)
		return 0;
	if (off + CT_CHUNK_HDR_LEN > r->size || read_at(r, off, hdr, sizeof(hdr))) {
		if (r->incomplete)
			return 0;
		return fail(r, off, "truncated chunk header");
	}
	*type = ct_get_le32(hdr);
	*len = ct_get_le32(hdr + 4);
	if (*len > CT_CHUNK_MAX)
		return fail(r, off, "chunk of %" PRIu32 " bytes is larger than %u", *len, CT_CHUNK_MAX);
	if (off + CT_CHUNK_HDR_LEN + *len > r->size) {
		if (r->incomplete)
			return 0;
		return fail(r, off, "truncated chunk (%" PRIu32 " bytes, %" PRIu64 " left)",
			    *len, r->size - off - CT_CHUNK_HDR_LEN);
	}
	if (*len > r->block_cap || !r->block) {
		/* Never NULL, even for an empty chunk: parsers do arithmetic on it. */
		uint8_t *nb = realloc(r->block, *len ? *len : 1);

		if (!nb)
			return fail(r, off, "out of memory");
		r->block = nb;
		r->block_cap = *len ? *len : 1;
	}
	if (read_at(r, off + CT_CHUNK_HDR_LEN, r->block, *len))
		return fail(r, off, "read error: %s", strerror(errno ? errno : EIO));
#ifndef CT_FUZZ_NO_CRC	/* the fuzzer's build: mutated chunks must reach the parsers */
	if ((uint32_t)crc32(0, r->block, *len) != ct_get_le32(hdr + 8))
		return fail(r, off, "checksum mismatch in chunk");
#endif
	return 1;
}

static __attribute__((noinline)) int get_slow(struct ct_reader *r, const uint8_t **p,
					      const uint8_t *end, uint64_t base, uint64_t *v,
					      const char *what)
{
	if (ct_get_varint(p, end, v))
		return fail(r, base + (uint64_t)(*p - r->block), "bad or truncated %s", what);
	return 0;
}

/*
 * Fields of up to four bytes (tids, deltas, slices) decode inline; longer
 * ones, and anything near the end of the block, out of line.
 */
static inline int get(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
		      uint64_t base, uint64_t *v, const char *what)
{
	const uint8_t *q = *p;

	if (__builtin_expect(end - q >= 4, 1)) {
		uint64_t x = q[0] & 0x7f;

		if (!(q[0] & 0x80)) {
			*v = x;
			*p = q + 1;
			return 0;
		}
		x |= (uint64_t)(q[1] & 0x7f) << 7;
		if (!(q[1] & 0x80)) {
			*v = x;
			*p = q + 2;
			return 0;
		}
		x |= (uint64_t)(q[2] & 0x7f) << 14;
		if (!(q[2] & 0x80)) {
			*v = x;
			*p = q + 3;
			return 0;
		}
		x |= (uint64_t)(q[3] & 0x7f) << 21;
		if (!(q[3] & 0x80)) {
			*v = x;
			*p = q + 4;
			return 0;
		}
	}
	return get_slow(r, p, end, base, v, what);
}

static inline int get_u32(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
		   uint64_t base, uint32_t *v, const char *what)
{
	uint64_t x;

	if (get(r, p, end, base, &x, what))
		return -1;
	if (x > UINT32_MAX)
		return fail(r, base + (uint64_t)(*p - r->block), "%s out of range", what);
	*v = (uint32_t)x;
	return 0;
}

static int get_string(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
		      uint64_t base, char *dst, size_t max, const char *what)
{
	uint64_t len;

	if (get(r, p, end, base, &len, what))
		return -1;
	if (len >= max || len > (uint64_t)(end - *p))
		return fail(r, base + (uint64_t)(*p - r->block), "%s of %" PRIu64 " bytes too long", what, len);
	memcpy(dst, *p, len);
	dst[len] = 0;
	*p += len;
	return 0;
}

#define GET(v, what) do { if (get(r, &p, end, base, (v), (what))) return -1; } while (0)
#define GET32(v, what) do { if (get_u32(r, &p, end, base, (v), (what))) return -1; } while (0)

static int parse_meta(struct ct_reader *r, uint32_t len, uint64_t base)
{
	const uint8_t *p = r->block, *end = r->block + len;
	struct ct_meta *m = &r->meta;

	while (p < end) {
		uint64_t key, vlen, num = 0;

		GET(&key, "metadata key");
		GET(&vlen, "metadata length");
		if (vlen > (uint64_t)(end - p))
			return fail(r, base + (uint64_t)(p - r->block), "metadata value overruns chunk");
		const uint8_t *v = p, *vend = p + vlen;
		char *dst = NULL;
		size_t cap = 0;

		p = vend;
		switch (key) {
		case CT_META_VERSION: dst = m->version; cap = sizeof(m->version); break;
		case CT_META_KERNEL: dst = m->kernel; cap = sizeof(m->kernel); break;
		case CT_META_HOSTNAME: dst = m->hostname; cap = sizeof(m->hostname); break;
		case CT_META_MACHINE: dst = m->machine; cap = sizeof(m->machine); break;
		case CT_META_PROBES: dst = m->probes; cap = sizeof(m->probes); break;
		case CT_META_ARG: {
			char **argv = realloc(m->argv, (m->argc + 2) * sizeof(*argv));

			if (!argv || !(argv[m->argc] = strndup((const char *)v, vlen)))
				return fail(r, base, "out of memory");
			argv[++m->argc] = NULL;
			m->argv = argv;
			continue;
		}
		case CT_META_NCPUS: case CT_META_ROOT_PID: case CT_META_OPTIONS:
		case CT_META_BOOT_NS: case CT_META_MONO_NS: case CT_META_REAL_NS:
			if (ct_get_varint(&v, vend, &num) || v != vend)
				return fail(r, base + (uint64_t)(v - r->block), "bad metadata number");
			break;
		default:
			continue;	/* a newer writer's key */
		}
		if (dst) {
			if (vlen >= cap)
				return fail(r, base, "metadata string too long");
			memcpy(dst, v, vlen);
			dst[vlen] = 0;
			continue;
		}
		switch (key) {
		case CT_META_NCPUS: m->ncpus = (uint32_t)num; break;
		case CT_META_ROOT_PID: m->root_pid = (uint32_t)num; break;
		case CT_META_OPTIONS: m->options = (uint32_t)num; break;
		case CT_META_BOOT_NS: m->boot_ns = num; break;
		case CT_META_MONO_NS: m->mono_ns = num; break;
		case CT_META_REAL_NS: m->real_ns = num; break;
		}
	}
	if (m->ncpus == 0 || m->ncpus > 65536)
		return fail(r, base, "implausible CPU count %" PRIu32, m->ncpus);
	return 0;
}

static int parse_topo(struct ct_reader *r, uint32_t len, uint64_t base)
{
	const uint8_t *p = r->block, *end = r->block + len;
	struct ct_meta *m = &r->meta;
	uint32_t n = 0;

	GET32(&n, "topology count");
	if (n > m->ncpus)
		return fail(r, base, "topology lists %" PRIu32 " CPUs, trace has %" PRIu32, n, m->ncpus);
	m->topo = calloc(n ? n : 1, sizeof(*m->topo));
	if (!m->topo)
		return fail(r, base, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f[5];

		for (int k = 0; k < 5; k++)
			GET32(&f[k], "topology entry");
		if (f[0] >= m->ncpus)
			return fail(r, base, "topology names CPU %" PRIu32, f[0]);
		m->topo[i] = (struct ct_cpu){ f[0], (int32_t)f[1] - 1, (int32_t)f[2] - 1,
					      (int32_t)f[3], (int32_t)f[4] - 1 };
	}
	m->ntopo = n;
	if (p != end)
		return fail(r, base + (uint64_t)(p - r->block), "trailing bytes in topology");
	return 0;
}

static int parse_summary(struct ct_reader *r, uint32_t len, uint64_t base)
{
	const uint8_t *p = r->block, *end = r->block + len;
	struct ct_summary *s = &r->sum;
	uint64_t nkinds, v;

	GET(&s->first_ts, "summary");
	GET(&s->last_ts, "summary");
	GET(&s->events, "summary");
	GET(&s->reordered, "summary");
	GET(&nkinds, "summary");
	if (nkinds > 4096)
		return fail(r, base, "summary lists %" PRIu64 " event kinds", nkinds);
	for (uint64_t k = 0; k < nkinds; k++) {
		GET(&v, "summary");
		if (k < CT_EV_KIND_MAX)
			s->per_kind[k] = v;
	}
	GET32(&s->ndrops, "summary");
	if (s->ndrops > r->meta.ncpus)
		return fail(r, base, "summary has drops for %" PRIu32 " CPUs", s->ndrops);
	s->drops = calloc(s->ndrops ? s->ndrops : 1, sizeof(*s->drops));
	if (!s->drops)
		return fail(r, base, "out of memory");
	for (uint32_t i = 0; i < s->ndrops; i++) {
		GET(&s->drops[i], "summary");
		s->dropped += s->drops[i];
	}
	v = 0;	/* summaries from before the command's rusage end here */
	if (p != end)
		GET(&v, "summary");
	if (v > 1)
		return fail(r, base + (uint64_t)(p - r->block), "bad command flag in summary");
	s->has_command = v;
	if (s->has_command) {
		GET(&v, "summary");
		s->command_status = (int32_t)ct_unzigzag(v);
		GET(&s->command_cpu_ns, "summary");
		GET(&s->command_wall_ns, "summary");
	}
	if (p != end)
		return fail(r, base + (uint64_t)(p - r->block), "trailing bytes in summary");
	r->have_sum = true;
	return 0;
}

/* Read one of the leading chunks, which must be of the expected type. */
static int expect_chunk(struct ct_reader *r, uint32_t want, const char *name,
			int (*parse)(struct ct_reader *, uint32_t, uint64_t))
{
	uint32_t type, len;
	int rc = read_chunk(r, r->off, &type, &len);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(r, r->off, "missing %s", name);
	if (type != want)
		return fail(r, r->off, "expected %s chunk", name);
	if (parse(r, len, r->off + CT_CHUNK_HDR_LEN))
		return -1;
	r->off += CT_CHUNK_HDR_LEN + len;
	return 0;
}

static int read_header(struct ct_reader *r)
{
	uint8_t hdr[CT_HEADER_LEN];
	uint64_t summary_off;

	size_t have = r->size < CT_HEADER_LEN ? (size_t)r->size : CT_HEADER_LEN;

	if (read_at(r, 0, hdr, have))
		return fail(r, 0, "read error: %s", strerror(errno ? errno : EIO));
	if (have < CT_MAGIC_LEN || memcmp(hdr, CT_MAGIC, CT_MAGIC_LEN))
		return fail(r, 0, "not a ctrace trace (bad magic)");
	if (have < CT_HEADER_LEN)
		return fail(r, 0, "truncated header (%" PRIu64 " bytes)", r->size);
	if (hdr[8] != CT_VERSION_MAJOR || hdr[9])
		return fail(r, 8, "unsupported format version %u.%u (this ctrace reads %u.x)",
			    hdr[8] | hdr[9] << 8, hdr[10] | hdr[11] << 8, CT_VERSION_MAJOR);
	uint32_t flags = ct_get_le32(hdr + CT_HEADER_FLAGS_OFF);

	if (flags & ~CT_FLAG_INCOMPLETE)
		return fail(r, CT_HEADER_FLAGS_OFF, "unknown flags 0x%" PRIx32, flags);
	r->incomplete = flags & CT_FLAG_INCOMPLETE;
	summary_off = ct_get_le64(hdr + CT_HEADER_SUMMARY_OFF);
	/* The recorder sets both in one write: one without the other is damage. */
	if (r->incomplete && summary_off)
		return fail(r, CT_HEADER_FLAGS_OFF, "header is marked incomplete yet has a summary");
	r->off = CT_HEADER_LEN;
	if (expect_chunk(r, CT_CHUNK_META, "metadata", parse_meta) ||
	    expect_chunk(r, CT_CHUNK_TOPO, "topology", parse_topo))
		return -1;
	if (r->incomplete)
		return 0;
	/* Read the summary now, so drops are known before the events. */
	uint32_t type, len;

	if (summary_off < r->off || summary_off >= r->size)
		return fail(r, CT_HEADER_SUMMARY_OFF,
			    "summary offset %" PRIu64 " outside the file (%" PRIu64 " bytes): truncated?",
			    summary_off, r->size);
	if (read_chunk(r, summary_off, &type, &len) != 1)
		return -1;
	if (type != CT_CHUNK_SUMM)
		return fail(r, summary_off, "expected summary chunk");
	if (summary_off + CT_CHUNK_HDR_LEN + len != r->size)
		return fail(r, summary_off + CT_CHUNK_HDR_LEN + len, "trailing data after summary");
	return parse_summary(r, len, summary_off + CT_CHUNK_HDR_LEN);
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
	if (read_header(r)) {
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
		int rc = read_chunk(r, r->off, &type, &len);

		if (rc <= 0)
			return rc;
		uint64_t at = r->off;

		r->off += CT_CHUNK_HDR_LEN + len;
		if (type == CT_CHUNK_SUMM) {
			if (r->off != r->size)
				return fail(r, r->off, "trailing data after summary");
			return 0;
		}
		if (type != CT_CHUNK_EVNT)
			return fail(r, at, "unexpected chunk type 0x%08" PRIx32, type);
		if (len < 12)
			return fail(r, at, "event block too short");
		uint64_t first = ct_get_le64(r->block);

		if (r->events && first < r->ts)
			return fail(r, at, "timestamps go backwards");
		r->ts = first;
		r->left = ct_get_le32(r->block + 8);
		r->block_off = at + CT_CHUNK_HDR_LEN;
		r->p = r->block + 12;
		r->end = r->block + len;
		if (r->left == 0 || r->left > len)
			return fail(r, at, "event block claims %" PRIu32 " events", r->left);
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
				return fail(r, base + (uint64_t)(p - r->block), "unknown waker class %" PRIu32,
					    ev->wake.waker_class);
		}
		if (ev->wake.target_cpu >= ncpus)
			return fail(r, base + (uint64_t)(p - r->block), "wakeup target cpu %" PRIu32 " out of range", ev->wake.target_cpu);
		break;
	case CT_EV_MIGRATE:
		GET32(&ev->migrate.orig_cpu, "migrate");
		GET32(&ev->migrate.dest_cpu, "migrate");
		if (ev->migrate.orig_cpu >= ncpus || ev->migrate.dest_cpu >= ncpus)
			return fail(r, base + (uint64_t)(p - r->block), "migration cpu out of range");
		break;
	case CT_EV_FORK:
		GET32(&ev->fork.child_tid, "fork");
		GET32(&ev->fork.child_tgid, "fork");
		break;
	case CT_EV_EXEC:
		GET32(&ev->exec.tgid, "exec");
		GET32(&ev->exec.old_tid, "exec");
		if (get_string(r, &p, end, base, ev->exec.filename, CT_PATH_LEN, "exec filename"))
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
			return fail(r, base + (uint64_t)(p - r->block), "syscall starts before time zero");
		break;
	case CT_EV_TASK:
		GET32(&ev->task.tgid, "task");
		if (get_string(r, &p, end, base, ev->task.comm, CT_COMM_LEN, "task name"))
			return -1;
		break;
	case CT_EV_LOST:
		GET(&ev->lost.count, "lost count");
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
			return fail(r, base + (uint64_t)(p - r->block), "bad epoll_ctl (op %" PRIu32
				    ", fd class %" PRIu32 ")", op, class);
		ev->epoll.op = (uint16_t)op;
		ev->epoll.fd_class = (uint16_t)class;
		break;
	}
	}
	*pp = p;
	return 0;
}

static inline int decode_arg(struct ct_reader *r, const uint8_t **pp, struct ct_event *ev, bool has_arg)
{
	const uint8_t *p = *pp, *end = r->end;
	uint64_t base = r->block_off;
	uint32_t arg = 0;

	if (has_arg)
		GET32(&arg, "argument");
	if (ev->kind == CT_EV_SWITCH)
		ev->sw.arg = arg;
	else if (ev->kind == CT_EV_SYSCALL)
		ev->sys.arg = arg;
	*pp = p;
	return 0;
}

int ctr_next(struct ct_reader *r, struct ct_event *ev)
{
	if (r->done)
		return r->err[0] ? -1 : 0;
	if (!r->left) {
		if (r->p && r->p != r->end)
			return fail(r, r->block_off + (uint64_t)(r->p - r->block), "trailing bytes in event block");
		int rc = next_block(r);

		if (rc <= 0) {
			r->done = true;
			return rc;
		}
	}
	const uint8_t *p = r->p, *end = r->end;
	uint64_t base = r->block_off, at = base + (uint64_t)(p - r->block), dts, cpu;

	if (p >= end)
		return fail(r, at, "truncated event");
	bool has_arg = *p & CT_KIND_ARG;

	ev->kind = *p++ & CT_KIND_MASK;	/* each kind fills its own fields: no memset per event */
	if (ev->kind == 0 || ev->kind >= CT_EV_KIND_MAX)
		return fail(r, at, "unknown event kind %u", ev->kind);
	if (has_arg && ev->kind != CT_EV_SWITCH && ev->kind != CT_EV_SYSCALL)
		return fail(r, at, "an argument on a %s event", ct_kind_name(ev->kind));
	GET(&dts, "timestamp");
	GET(&cpu, "cpu");
	GET32(&ev->tid, "tid");
	if (cpu >= r->meta.ncpus)
		return fail(r, at, "cpu %" PRIu64 " out of range (%" PRIu32 " CPUs)", cpu, r->meta.ncpus);
	if (dts > UINT64_MAX - r->ts)
		return fail(r, at, "timestamp overflows");
	ev->ts = r->ts + dts;
	ev->cpu = (uint16_t)cpu;
	if (decode_fields(r, &p, ev) || decode_arg(r, &p, ev, has_arg))
		return -1;
	r->ts = ev->ts;
	r->p = p;
	r->left--;
	r->events++;
	return 1;
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
