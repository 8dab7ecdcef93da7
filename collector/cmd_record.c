/*
 * ctrace record: start the workload paused, load and attach the probes,
 * release it, and stream the ring buffer into a trace until it ends.
 */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "child.h"
#include "cli.h"
#include "intake.h"
#include "snapshot.h"
#include "probes.h"
#include "topo.h"
#include "writer.h"
#include "xalloc.h"

#define TICK_MS 100		/* drain, flush and refresh the status this often */
#define FAST_TICK_MS 10		/* ...or this often while the buffer fills fast */
#define GRACE_NS 2000000000ull	/* a signalled command gets this long before SIGKILL */

struct opts {
	const char *output;
	bool syscalls, all, keep_root, quiet, verbose;
	pid_t pid;
	double duration;
	uint64_t buffer;
	uint64_t max_size;	/* stop recording once the file is this big; 0 = no cap */
	int cmd_argc;
	char **cmd_argv;
};

enum { OPT_NO_SYSCALLS = 256, OPT_KEEP_ROOT, OPT_MAX_SIZE };

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "Write the trace to FILE (default ctrace.ctr)", 0 },
	{ "no-syscalls", OPT_NO_SYSCALLS, NULL, 0, "Record scheduler events only", 0 },
	{ "all", 'a', NULL, 0, "Record the whole system, not one process tree", 0 },
	{ "pid", 'p', "PID", 0, "Attach to the running process tree of PID", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS (without a command or -p: implies -a; "
	  "with a command: it gets SIGTERM)", 0 },
	{ "buffer", 'b', "SIZE", 0, "Ring buffer size, e.g. 64M (default 64M, rounded up to a power of two)", 0 },
	{ "max-size", OPT_MAX_SIZE, "SIZE", 0, "Stop recording when the file reaches SIZE (e.g. 500M); "
	  "the command runs on untraced", 0 },
	{ "keep-root", OPT_KEEP_ROOT, NULL, 0, "Run the command as root even under sudo", 0 },
	{ "quiet", 'q', NULL, 0, "No live status line", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;
	char *end;

	switch (key) {
	case 'o': o->output = arg; break;
	case OPT_NO_SYSCALLS: o->syscalls = false; break;
	case 'a': o->all = true; break;
	case OPT_KEEP_ROOT: o->keep_root = true; break;
	case 'q': o->quiet = true; break;
	case 'v': o->verbose = true; break;
	case 'p':
		errno = 0;
		o->pid = (pid_t)strtol(arg, &end, 10);
		if (errno || *end || o->pid <= 0)
			argp_error(state, "invalid PID '%s'", arg);
		break;
	case 'd':
		errno = 0;
		o->duration = strtod(arg, &end);
		if (errno || *end || !(o->duration > 0))
			argp_error(state, "invalid duration '%s' (seconds, > 0)", arg);
		break;
	case 'b':
		if (ct_parse_size(arg, &o->buffer) || o->buffer < 4096 || o->buffer > (1ull << 31))
			argp_error(state, "invalid buffer size '%s' (4K to 2G)", arg);
		break;
	case OPT_MAX_SIZE:
		if (ct_parse_size(arg, &o->max_size) || o->max_size < 4096)
			argp_error(state, "invalid size '%s' (at least 4K)", arg);
		break;
	case ARGP_KEY_ARG:
		/* The command starts here; the rest of argv is its own. */
		o->cmd_argv = &state->argv[state->next - 1];
		o->cmd_argc = state->argc - state->next + 1;
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "[-- CMD [ARGS...]]",
	"Record scheduler and syscall events of CMD (or of -p PID, or of the whole "
	"system with -a) into a trace file.  Needs root.  The command runs as the "
	"user who invoked sudo, and the trace file is theirs.  Exit status is the "
	"command's (128+signal if it was killed).\v"
	"Ctrl-C or SIGTERM stop the recording: the command gets the signal, then "
	"SIGKILL if it is still running 2 seconds later, and the trace is finalized.",
	NULL, NULL, NULL
};

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the trace's metadata ---- */

/* Who the root's parent is, so exports can hang it in the process tree: us, or -p's target's. */
static uint32_t root_parent(const struct opts *o)
{
	struct ct_proc_stat st;
	char path[64];

	if (o->cmd_argc)
		return (uint32_t)getpid();
	snprintf(path, sizeof(path), "/proc/%d/stat", o->pid);
	return o->pid && !ct_proc_stat(path, &st) && st.ppid > 0 ? (uint32_t)st.ppid : 0;
}

static void fill_meta(struct ct_meta *m, const struct opts *o, pid_t root)
{
	struct utsname u;
	char err[256];

	snprintf(m->version, sizeof(m->version), "%s", CTRACE_VERSION);
	if (!uname(&u)) {
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
		snprintf(m->hostname, sizeof(m->hostname), "%s", u.nodename);
		snprintf(m->machine, sizeof(m->machine), "%s", u.machine);
	}
	m->ncpus = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	m->root_pid = (uint32_t)(root > 0 ? root : 0);
	m->root_ppid = root_parent(o);
	m->recorder_pid = (uint32_t)getpid();	/* as the probes' self_tgid: see probes.c */
	m->options = CT_OPT_WAITS | (o->syscalls ? CT_OPT_SYSCALLS : 0) | (o->all ? CT_OPT_ALL : 0) |
		     (o->pid ? CT_OPT_ATTACHED : 0);
	/* One instant on three clocks, so exports can align the trace. */
	m->mono_ns = now_ns(CLOCK_MONOTONIC);
	m->boot_ns = now_ns(CLOCK_BOOTTIME);
	m->real_ns = now_ns(CLOCK_REALTIME);
	if (ct_topo_load(m, NULL, err, sizeof(err)))
		ct_warn("warning: %s; per-core lanes will not be grouped", err);
	if (o->cmd_argc)
		ct_meta_set_argv(m, o->cmd_argc, o->cmd_argv);
	else if (o->pid) {
		char path[64], buf[4096];
		char *args[] = { buf, NULL };
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", o->pid);
		snprintf(buf, sizeof(buf), "pid %d", o->pid);
		if ((f = fopen(path, "r"))) {
			if (fgets(buf, sizeof(buf), f))
				buf[strcspn(buf, "\n")] = 0;
			fclose(f);
		}
		ct_meta_set_argv(m, 1, args);
	}
}

/* ---- the recording loop ---- */

struct session {
	struct opts *o;
	struct ct_probes *probes;
	struct ct_writer *w;
	struct ct_intake *in;
	struct ct_child ch;
	int target_pidfd;	/* -p */
	int sigfd;
	uint32_t ncpus;
	uint64_t *drops;
	uint64_t start_mono;
	uint64_t stop_at;	/* -d, 0 for none */
	uint64_t kill_at;	/* SIGKILL the command then, 0 for none */
	bool stopping;
	bool write_failed;
	bool capped;		/* stopped at --max-size */
	bool status_shown;
	uint64_t malformed;
	uint64_t drained;	/* bytes taken from the ring buffer by the last drain */
	uint64_t batch;		/* records taken since the intake last wrote */
	uint64_t buffer;
};

/* Records held by the intake at most before it writes, within one drain. */
#define INTAKE_BATCH 65536

static int on_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;

	/* --max-size: the writer took what fit; the rest stays in the buffer. */
	if (ctw_full(s->w)) {
		s->capped = true;
		s->stopping = true;
		return -1;
	}
	int n = cti_add(s->in, data, size);

	if (n < 0)
		s->malformed++;
	/* Write as we go through a big drain: the intake's memory stays bounded. */
	if ((s->batch += n > 0 ? (unsigned)n : 1) >= INTAKE_BATCH) {
		s->batch = 0;
		if (cti_flush(s->in, false)) {
			s->write_failed = true;
			s->stopping = true;
			return -1;
		}
	}
	s->drained += size + 8;	/* each record has an 8-byte header in the buffer */
	return 0;
}

static void note_drops(struct session *s)
{
	uint64_t *cur = calloc(s->ncpus, sizeof(*cur));

	if (!cur || ct_probes_drops(s->probes, cur, s->ncpus)) {
		free(cur);
		return;
	}
	uint64_t now = now_ns(CLOCK_BOOTTIME);

	for (uint32_t i = 0; i < s->ncpus; i++)
		if (cur[i] > s->drops[i])
			cti_lost(s->in, (uint16_t)i, cur[i] - s->drops[i], now);
	free(s->drops);
	s->drops = cur;
}

static uint64_t total_drops(const struct session *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->ncpus; i++)
		n += s->drops[i];
	return n;
}

static void show_status(struct session *s)
{
	char b[32];

	fprintf(stderr, "\rctrace: recording %.1f s, %" PRIu64 " events, %s, %" PRIu64 " dropped\033[K",
		(double)(now_ns(CLOCK_MONOTONIC) - s->start_mono) / 1e9, ctw_events(s->w),
		ct_fmt_bytes(ctw_bytes(s->w), b, sizeof(b)), total_drops(s));
	s->status_shown = true;
}

static void drain_and_flush(struct session *s, bool final)
{
	s->drained = 0;
	/* Past --max-size, or after a write error, what is still in the buffer stays there. */
	if (!s->capped && !s->write_failed) {
		int rc = ct_probes_drain(s->probes);

		/* on_record itself stops a drain at the cap or on a write error */
		if (rc < 0 && !s->capped && !s->write_failed)
			ct_warn("warning: reading the ring buffer failed: %s", strerror(errno));
	}
	note_drops(s);
	/* Each tick ends a block: a recorder killed outright loses one tick at most. */
	if (!s->write_failed && (cti_flush(s->in, final) || ctw_flush(s->w))) {
		s->write_failed = true;
		s->stopping = true;
	}
	/* A tick's flush can fill it too (on_record stops a drain that does). */
	if (ctw_full(s->w))
		s->capped = s->stopping = true;
	s->batch = 0;
}

/* First signal: pass it on (unless the terminal already sent it to the whole group). */
static void on_signal(struct session *s, const struct signalfd_siginfo *si)
{
	if (si->ssi_signo == SIGCHLD)
		return;
	if (s->ch.pid <= 0) {
		s->stopping = true;
		return;
	}
	if (s->kill_at) {
		kill(s->ch.pid, SIGKILL);	/* asked twice */
		return;
	}
	if (si->ssi_code != SI_KERNEL)
		kill(s->ch.pid, (int)si->ssi_signo);
	s->kill_at = now_ns(CLOCK_MONOTONIC) + GRACE_NS;
}

static void on_tick(struct session *s)
{
	uint64_t now = now_ns(CLOCK_MONOTONIC);

	if (s->stop_at && now >= s->stop_at) {
		s->stop_at = 0;
		if (s->ch.pid > 0) {
			kill(s->ch.pid, SIGTERM);
			s->kill_at = now + GRACE_NS;
		} else {
			s->stopping = true;
		}
	}
	if (s->kill_at && now >= s->kill_at && !s->ch.exited)
		kill(s->ch.pid, SIGKILL);
	if (s->target_pidfd >= 0) {
		struct pollfd pfd = { s->target_pidfd, POLLIN, 0 };

		if (poll(&pfd, 1, 0) == 1)
			s->stopping = true;	/* the attached process is gone */
	}
}

static int run_loop(struct session *s, int sigfd)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	bool tty = isatty(STDERR_FILENO) && !s->o->quiet;
	uint64_t next_flush = 0;

	if (ep < 0)
		return -1;
	ev.data.fd = sigfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, sigfd, &ev);
	if (s->ch.pid > 0) {
		ev.data.fd = s->ch.pidfd;
		epoll_ctl(ep, EPOLL_CTL_ADD, s->ch.pidfd, &ev);
	}
	while (!s->stopping) {
		struct epoll_event evs[4];
		/* The probes never wake us: a timer drains, faster when the buffer fills fast. */
		int tick = s->drained > s->buffer / 8 ? FAST_TICK_MS : TICK_MS;
		int n = epoll_wait(ep, evs, 4, tick);

		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == sigfd) {
				struct signalfd_siginfo si;

				while (read(sigfd, &si, sizeof(si)) == sizeof(si))
					on_signal(s, &si);
			}
		}
		ct_child_reap(&s->ch);
		if (s->ch.exited)
			s->stopping = true;
		on_tick(s);
		uint64_t now = now_ns(CLOCK_MONOTONIC);

		if (now >= next_flush || s->stopping) {
			drain_and_flush(s, false);
			next_flush = now + (uint64_t)tick * 1000000ull;
			if (tty)
				show_status(s);
		}
	}
	close(ep);
	return 0;
}

static uint64_t round_pow2(uint64_t v)
{
	uint64_t p = 4096;

	while (p < v)
		p <<= 1;
	return p;
}

static int validate(struct opts *o)
{
	if (o->cmd_argc && o->pid) {
		ct_warn("give either a command or -p PID, not both");
		return -1;
	}
	if (!o->cmd_argc && !o->pid && !o->all) {
		if (!o->duration) {
			ct_warn("nothing to record: give a command (ctrace record -- CMD), -p PID, or -a");
			return -1;
		}
		o->all = true;
	}
	if (o->pid && kill(o->pid, 0) && errno == ESRCH) {
		ct_warn("no process with PID %d", o->pid);
		return -1;
	}
	o->buffer = round_pow2(o->buffer);
	return 0;
}

static int finish(struct session *s, const char *path)
{
	char b[32];
	uint64_t events, bytes;
	double secs = (double)(now_ns(CLOCK_MONOTONIC) - s->start_mono) / 1e9;

	ct_probes_detach(s->probes);
	drain_and_flush(s, true);
	if (s->status_shown)
		fputs("\r\033[K", stderr);
	events = ctw_events(s->w);
	bytes = ctw_bytes(s->w);
	if (s->write_failed) {
		ct_warn("%s", ctw_error(s->w));
		ct_warn("recording stopped early; %s holds the events written before the error "
			"and is marked incomplete", path);
		ctw_free(s->w);
		return -1;
	}
	if (s->ch.exited)
		ctw_set_command(s->w, ct_exit_code(s->ch.status), ct_child_cpu_ns(&s->ch),
				s->ch.reaped_ns - s->ch.released_ns);
	if (ctw_finish(s->w, s->drops, s->ncpus, cti_reordered(s->in))) {
		ct_warn("%s", ctw_error(s->w));
		ctw_free(s->w);
		return -1;
	}
	ctw_free(s->w);
	if (s->malformed)
		ct_warn("warning: %" PRIu64 " malformed records from the probes were skipped", s->malformed);
	fprintf(stderr, "ctrace: %" PRIu64 " events, %" PRIu64 " dropped, %.2f s, %s (%s)\n",
		events, total_drops(s), secs, path, ct_fmt_bytes(bytes, b, sizeof(b)));
	if (total_drops(s))
		ct_warn("warning: the kernel dropped %" PRIu64 " events: the ring buffer was full; "
			"try a larger --buffer", total_drops(s));
	if (s->capped)
		ct_warn("recording stopped at --max-size %s%s", ct_fmt_bytes(s->o->max_size, b, sizeof(b)),
			s->ch.pid > 0 && !s->ch.exited ? "; the command runs on untraced" : "");
	return 0;
}

/* ---- setup, run, teardown ---- */

/* Signals arrive through a file descriptor, so the loop can drain first. */
static int block_signals(sigset_t *oldmask)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, oldmask);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/*
 * Everything up to the first recorded instant: probes loaded, the command
 * started paused, the trace file open, the probes attached, the task set
 * seeded, and the command let go.  0, or the exit status to end with.
 */
static int setup(struct session *s, struct ct_meta *meta)
{
	struct opts *o = s->o;
	struct ct_probe_config cfg = { o->all, o->syscalls, o->buffer, o->verbose };
	sigset_t oldmask;
	char err[2048];	/* room for the verifier's last words */

	s->probes = ct_probes_load(&cfg, on_record, s, err, sizeof(err));
	if (!s->probes) {
		ct_warn("%s", err);
		return 1;
	}
	s->sigfd = block_signals(&oldmask);
	if (o->cmd_argc && ct_child_spawn(&s->ch, o->cmd_argv, o->keep_root, &oldmask)) {
		ct_warn("cannot start %s: %s", o->cmd_argv[0], strerror(errno));
		return 1;
	}
	fill_meta(meta, o, o->cmd_argc ? s->ch.pid : o->pid);
	ct_probes_describe(s->probes, meta->probes, sizeof(meta->probes));
	if (o->verbose)
		fprintf(stderr, "ctrace: probes on kernel %s: %s\n", meta->kernel, meta->probes);
	s->ncpus = meta->ncpus;
	s->buffer = o->buffer;
	s->drops = ct_xcalloc(s->ncpus, sizeof(*s->drops));
	if (s->ch.pid > 0 && ct_probes_track(s->probes, (uint32_t)s->ch.pid)) {
		ct_warn("cannot add the command to the task set: %s", strerror(errno));
		return 1;
	}
	if (!(s->w = ctw_open(o->output, meta, err, sizeof(err)))) {
		ct_warn("%s", err);
		return 1;
	}
	ct_give_to_sudo_user(o->output);
	ctw_set_limit(s->w, o->max_size);
	s->in = cti_new(s->w);
	if (ct_probes_attach(s->probes, err, sizeof(err))) {
		ct_warn("%s", err);
		return 1;
	}
	s->start_mono = now_ns(CLOCK_MONOTONIC);
	if (o->duration)
		s->stop_at = s->start_mono + (uint64_t)(o->duration * 1e9);
	if (o->pid) {
		/* Attached first, so a thread born during the walk is caught by fork. */
		s->target_pidfd = (int)syscall(SYS_pidfd_open, o->pid, 0);
		if (ct_attach_tree(s->probes, o->pid) <= 0 || ct_attach_tree(s->probes, o->pid) <= 0) {
			ct_warn("PID %d exited before it could be traced", o->pid);
			return 1;
		}
	}
	/* What the tasks already there were doing: their state from the first instant. */
	if ((o->pid || o->all) && ct_snapshot_tasks(s->in, o->pid, s->ncpus, now_ns(CLOCK_BOOTTIME)) < 0)
		ct_warn("no /proc: tasks that were already there are unknown until their first event");
	if (s->ch.pid > 0) {
		int e = ct_child_release(&s->ch);

		if (e) {
			ct_warn("cannot run '%s': %s", o->cmd_argv[0], strerror(e));
			return e == ENOENT ? 127 : 126;
		}
	}
	return 0;
}

/* Record until the command ends (or -d, a signal, --max-size); its exit status. */
static int run(struct session *s)
{
	run_loop(s, s->sigfd);
	if (finish(s, s->o->output)) {
		s->w = NULL;
		/* The recording failed, not the command: let it finish untraced. */
		if (s->ch.pid > 0 && !s->ch.exited) {
			ct_warn("the command runs on untraced; waiting for it");
			ct_child_wait(&s->ch);
		}
		return 1;
	}
	s->w = NULL;
	if (s->ch.pid <= 0)
		return 0;
	ct_child_wait(&s->ch);
	return ct_exit_code(s->ch.status);
}

/* A trace that never started recording is removed; a command that never ran is killed. */
static void teardown(struct session *s)
{
	if (s->w)
		ctw_abort(s->w);
	ct_child_discard(&s->ch);
	cti_free(s->in);
	ct_probes_free(s->probes);
	if (s->sigfd >= 0)
		close(s->sigfd);
	free(s->drops);
}

int cmd_record(int argc, char **argv)
{
	struct opts o = { .output = "ctrace.ctr", .syscalls = true, .buffer = 64ull << 20 };
	struct session s = { .o = &o, .target_pidfd = -1, .sigfd = -1, .ch = { .pid = -1, .pidfd = -1 } };
	struct ct_meta meta = {0};
	int rc;

	argv[0] = "ctrace record";
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &o);
	if (validate(&o))
		return 2;
	rc = setup(&s, &meta);
	if (!rc)
		rc = run(&s);
	teardown(&s);
	ct_meta_free(&meta);
	return rc;
}
