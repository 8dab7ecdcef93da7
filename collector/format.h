/*
 * The .ctr file layout, shared by the writer and the reader.
 *
 *   file    := header chunk*
 *   header  := magic[8] u16 major u16 minor u32 flags u64 summary_off u64 0
 *   chunk   := u32 type  u32 len  u32 crc32(payload)  payload[len]
 *
 * Chunks, in order: META, TOPO, then EVNT blocks, then SUMM.  All integers
 * in fixed fields are little-endian.  Until the recorder finalizes the file
 * its header carries CT_FLAG_INCOMPLETE and summary_off is 0.
 *
 * META payload: records of  varint key, varint len, bytes[len]  (unknown
 * keys are skipped, so keys can be added).
 * TOPO payload: varint n, then n x (cpu, package+1, core+1, smt, node+1).
 * EVNT payload: u64 first_ts, u32 count, then count records:
 *   u8 kind (bit 7: CT_KIND_ARG, below), varint ts - previous ts (first:
 *   - first_ts), varint cpu, varint tid, then per kind:
 *     SWITCH     next_tid, prev_state, zigzag(prev_syscall), prev_runtime
 *     WAKEUP(_NEW) target_cpu, waker_tid
 *     WAKING     target_cpu, waker_tid, waker_class              (1.1)
 *     EPOLL      tgid, zigzag(epfd), zigzag(fd), op, fd_class     (1.1)
 *     MIGRATE    orig_cpu, dest_cpu
 *     FORK       child_tid, child_tgid
 *     EXEC       tgid, old_tid, string filename
 *     EXIT       zigzag(code)
 *     SYSCALL    zigzag(nr), zigzag(ret), duration (entered at ts - duration)
 *     TASK       tgid, string comm
 *     LOST       count
 *     START_STATE tgid, state, zigzag(syscall)                   (1.2)
 *     PRIO       prio                                            (1.3)
 *     FREE       tgid                                            (1.3)
 *     PARENT     ppid                                            (1.3)
 *   where string := varint len, bytes[len] (no NUL).  Since 1.1 a SWITCH or
 *   SYSCALL whose kind byte has CT_KIND_ARG set ends with varint arg: what
 *   the syscall waits on (events.h, CT_ARG_*); without it, arg is 0.
 *   Since 1.3 a SYSCALL whose kind byte has CT_KIND_CPU set ends (after
 *   any arg) with varint enter_cpu: it began on another CPU than it ended.
 *   Version 1.0 traces have neither WAKING nor EPOLL nor args, and carry
 *   WAKEUP from sched_wakeup instead.
 * SUMM payload: varint first_ts, last_ts, events, reordered, nkinds,
 *   per_kind[nkinds], ndrops, drops[ndrops], has_command, and when it is 1:
 *   zigzag(command_status), command_cpu_ns, command_wall_ns.
 * Each block is self-contained, so a cut-off file is readable up to its
 * last whole block.
 */
#ifndef CTRACE_FORMAT_H
#define CTRACE_FORMAT_H

#define CT_MAGIC "\x7f" "CTRACE\n"
#define CT_MAGIC_LEN 8
#define CT_VERSION_MAJOR 1
#define CT_VERSION_MINOR 3
#define CT_HEADER_LEN 32
#define CT_HEADER_FLAGS_OFF 12
#define CT_HEADER_SUMMARY_OFF 16
#define CT_CHUNK_HDR_LEN 12

#define CT_FLAG_INCOMPLETE 1u

#define CT_KIND_ARG 0x80u	/* in an event's kind byte: an arg follows its fields */
#define CT_KIND_CPU 0x40u	/* SYSCALL (1.3): the CPU it was entered on follows (after any arg) */
#define CT_KIND_MASK 0x3fu

#define CT_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define CT_CHUNK_META CT_FOURCC('M', 'E', 'T', 'A')
#define CT_CHUNK_TOPO CT_FOURCC('T', 'O', 'P', 'O')
#define CT_CHUNK_EVNT CT_FOURCC('E', 'V', 'N', 'T')
#define CT_CHUNK_SUMM CT_FOURCC('S', 'U', 'M', 'M')

/* A block is flushed past this size; the reader refuses chunks above MAX. */
#define CT_BLOCK_TARGET (256u << 10)
#define CT_CHUNK_MAX (64u << 20)

enum ct_meta_key {
	CT_META_VERSION = 1,
	CT_META_KERNEL = 2,
	CT_META_HOSTNAME = 3,
	CT_META_MACHINE = 4,
	CT_META_NCPUS = 5,
	CT_META_ROOT_PID = 6,
	CT_META_OPTIONS = 7,
	CT_META_BOOT_NS = 8,
	CT_META_MONO_NS = 9,
	CT_META_REAL_NS = 10,
	CT_META_ARG = 11,	/* repeated, one per argv element */
	CT_META_PROBES = 12,	/* which probe variants ran on this kernel, one line */
	CT_META_ROOT_PPID = 13,	/* root_pid's parent (the recorder, or -p's target's); absent: unknown */
	CT_META_RECORDER_PID = 14,	/* the recorder itself, never part of the workload; absent: unknown */
};

/* Largest encoded record: kind + 9 varints + a string. */
#define CT_RECORD_MAX (1 + 9 * 10 + 10 + CT_PATH_LEN)

#endif
