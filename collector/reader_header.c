/* The leading chunks of a .ctr (metadata, topology) and its summary; see format.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "reader_int.h"
#include "varint.h"

static int parse_meta(struct ct_reader *r, uint32_t len, uint64_t base)
{
	const uint8_t *p = r->block, *end = r->block + len;
	struct ct_meta *m = &r->meta;

	while (p < end) {
		uint64_t key, vlen, num = 0;

		GET(&key, "metadata key");
		GET(&vlen, "metadata length");
		if (vlen > (uint64_t)(end - p))
			return ct_reader_fail(r, base + (uint64_t)(p - r->block), "metadata value overruns chunk");
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
				return ct_reader_fail(r, base, "out of memory");
			argv[++m->argc] = NULL;
			m->argv = argv;
			continue;
		}
		case CT_META_NCPUS: case CT_META_ROOT_PID: case CT_META_ROOT_PPID: case CT_META_RECORDER_PID:
		case CT_META_OPTIONS:
		case CT_META_BOOT_NS: case CT_META_MONO_NS: case CT_META_REAL_NS:
			if (ct_get_varint(&v, vend, &num) || v != vend)
				return ct_reader_fail(r, base + (uint64_t)(v - r->block), "bad metadata number");
			break;
		default:
			continue;	/* a newer writer's key */
		}
		if (dst) {
			if (vlen >= cap)
				return ct_reader_fail(r, base, "metadata string too long");
			memcpy(dst, v, vlen);
			dst[vlen] = 0;
			continue;
		}
		switch (key) {
		case CT_META_NCPUS: m->ncpus = (uint32_t)num; break;
		case CT_META_ROOT_PID: m->root_pid = (uint32_t)num; break;
		case CT_META_ROOT_PPID: m->root_ppid = (uint32_t)num; break;
		case CT_META_RECORDER_PID: m->recorder_pid = (uint32_t)num; break;
		case CT_META_OPTIONS: m->options = (uint32_t)num; break;
		case CT_META_BOOT_NS: m->boot_ns = num; break;
		case CT_META_MONO_NS: m->mono_ns = num; break;
		case CT_META_REAL_NS: m->real_ns = num; break;
		}
	}
	if (m->ncpus == 0 || m->ncpus > 65536)
		return ct_reader_fail(r, base, "implausible CPU count %" PRIu32, m->ncpus);
	return 0;
}

static int parse_topo(struct ct_reader *r, uint32_t len, uint64_t base)
{
	const uint8_t *p = r->block, *end = r->block + len;
	struct ct_meta *m = &r->meta;
	uint32_t n = 0;

	GET32(&n, "topology count");
	if (n > m->ncpus)
		return ct_reader_fail(r, base, "topology lists %" PRIu32 " CPUs, trace has %" PRIu32, n, m->ncpus);
	m->topo = calloc(n ? n : 1, sizeof(*m->topo));
	if (!m->topo)
		return ct_reader_fail(r, base, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f[5];

		for (int k = 0; k < 5; k++)
			GET32(&f[k], "topology entry");
		if (f[0] >= m->ncpus)
			return ct_reader_fail(r, base, "topology names CPU %" PRIu32, f[0]);
		m->topo[i] = (struct ct_cpu){ f[0], (int32_t)f[1] - 1, (int32_t)f[2] - 1,
					      (int32_t)f[3], (int32_t)f[4] - 1 };
	}
	m->ntopo = n;
	if (p != end)
		return ct_reader_fail(r, base + (uint64_t)(p - r->block), "trailing bytes in topology");
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
		return ct_reader_fail(r, base, "summary lists %" PRIu64 " event kinds", nkinds);
	for (uint64_t k = 0; k < nkinds; k++) {
		GET(&v, "summary");
		if (k < CT_EV_KIND_MAX)
			s->per_kind[k] = v;
	}
	GET32(&s->ndrops, "summary");
	if (s->ndrops > r->meta.ncpus)
		return ct_reader_fail(r, base, "summary has drops for %" PRIu32 " CPUs", s->ndrops);
	s->drops = calloc(s->ndrops ? s->ndrops : 1, sizeof(*s->drops));
	if (!s->drops)
		return ct_reader_fail(r, base, "out of memory");
	for (uint32_t i = 0; i < s->ndrops; i++) {
		GET(&s->drops[i], "summary");
		s->dropped += s->drops[i];
	}
	v = 0;	/* summaries from before the command's rusage end here */
	if (p != end)
		GET(&v, "summary");
	if (v > 1)
		return ct_reader_fail(r, base + (uint64_t)(p - r->block), "bad command flag in summary");
	s->has_command = v;
	if (s->has_command) {
		GET(&v, "summary");
		s->command_status = (int32_t)ct_unzigzag(v);
		GET(&s->command_cpu_ns, "summary");
		GET(&s->command_wall_ns, "summary");
	}
	if (p != end)
		return ct_reader_fail(r, base + (uint64_t)(p - r->block), "trailing bytes in summary");
	r->have_sum = true;
	return 0;
}

/* Read one of the leading chunks, which must be of the expected type. */
static int expect_chunk(struct ct_reader *r, uint32_t want, const char *name,
			int (*parse)(struct ct_reader *, uint32_t, uint64_t))
{
	uint32_t type, len;
	int rc = ct_reader_chunk(r, r->off, &type, &len);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return ct_reader_fail(r, r->off, "missing %s", name);
	if (type != want)
		return ct_reader_fail(r, r->off, "expected %s chunk", name);
	if (parse(r, len, r->off + CT_CHUNK_HDR_LEN))
		return -1;
	r->off += CT_CHUNK_HDR_LEN + len;
	return 0;
}

int ct_reader_header(struct ct_reader *r)
{
	uint8_t hdr[CT_HEADER_LEN];
	uint64_t summary_off;

	size_t have = r->size < CT_HEADER_LEN ? (size_t)r->size : CT_HEADER_LEN;

	if (ct_reader_read_at(r, 0, hdr, have))
		return ct_reader_fail(r, 0, "read error: %s", strerror(errno ? errno : EIO));
	if (have < CT_MAGIC_LEN || memcmp(hdr, CT_MAGIC, CT_MAGIC_LEN))
		return ct_reader_fail(r, 0, "not a ctrace trace (bad magic)");
	if (have < CT_HEADER_LEN)
		return ct_reader_fail(r, 0, "truncated header (%" PRIu64 " bytes)", r->size);
	if (hdr[8] != CT_VERSION_MAJOR || hdr[9])
		return ct_reader_fail(r, 8, "unsupported format version %u.%u (this ctrace reads %u.x)",
			    hdr[8] | hdr[9] << 8, hdr[10] | hdr[11] << 8, CT_VERSION_MAJOR);
	uint32_t flags = ct_get_le32(hdr + CT_HEADER_FLAGS_OFF);

	if (flags & ~CT_FLAG_INCOMPLETE)
		return ct_reader_fail(r, CT_HEADER_FLAGS_OFF, "unknown flags 0x%" PRIx32, flags);
	r->incomplete = flags & CT_FLAG_INCOMPLETE;
	summary_off = ct_get_le64(hdr + CT_HEADER_SUMMARY_OFF);
	/* The recorder sets both in one write: one without the other is damage. */
	if (r->incomplete && summary_off)
		return ct_reader_fail(r, CT_HEADER_FLAGS_OFF, "header is marked incomplete yet has a summary");
	r->off = CT_HEADER_LEN;
	if (expect_chunk(r, CT_CHUNK_META, "metadata", parse_meta) ||
	    expect_chunk(r, CT_CHUNK_TOPO, "topology", parse_topo))
		return -1;
	if (r->incomplete)
		return 0;
	/* Read the summary now, so drops are known before the events. */
	uint32_t type, len;

	if (summary_off < r->off || summary_off >= r->size)
		return ct_reader_fail(r, CT_HEADER_SUMMARY_OFF,
			    "summary offset %" PRIu64 " outside the file (%" PRIu64 " bytes): truncated?",
			    summary_off, r->size);
	if (ct_reader_chunk(r, summary_off, &type, &len) != 1)
		return -1;
	if (type != CT_CHUNK_SUMM)
		return ct_reader_fail(r, summary_off, "expected summary chunk");
	if (summary_off + CT_CHUNK_HDR_LEN + len != r->size)
		return ct_reader_fail(r, summary_off + CT_CHUNK_HDR_LEN + len, "trailing data after summary");
	return parse_summary(r, len, summary_off + CT_CHUNK_HDR_LEN);
}
