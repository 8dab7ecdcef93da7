#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "handoff.h"
#include "outfile.h"

#define BUFFERS 6	/* a waiting side is woken with three ready for it (handoff.c) */

struct out {
	FILE *f;
	struct ct_buf b;
};

struct ct_outfile {
	struct ct_handoff *bufs;	/* slots of struct out; NULL: no thread, puts write at once */
	pthread_t thread;
	atomic_int err;
	FILE *failed;			/* the file err was for */
};

/* b written to f and emptied; false, with the failure noted, when the write failed. */
static bool write_buf(struct ct_outfile *o, FILE *f, struct ct_buf *b)
{
	ct_buf_flush(b, f);	/* empties it, keeping its memory */
	if (!b->err)
		return true;
	o->failed = f;
	atomic_store_explicit(&o->err, b->err, memory_order_release);
	b->err = 0;
	return false;
}

static void *write_bufs(void *arg)
{
	struct ct_outfile *o = arg;
	struct out *s;

	while ((s = ct_handoff_take(o->bufs))) {
		bool written = write_buf(o, s->f, &s->b);

		ct_handoff_release(o->bufs);
		if (!written) {
			ct_handoff_cancel(o->bufs);	/* nothing after a hole in the file */
			break;
		}
	}
	return NULL;
}

struct ct_outfile *ct_outfile_start(void)
{
	struct ct_outfile *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->bufs = ct_handoff_new(BUFFERS, sizeof(struct out));	/* zeroed: empty buffers */
	if (o->bufs && pthread_create(&o->thread, NULL, write_bufs, o)) {
		ct_handoff_free(o->bufs);
		o->bufs = NULL;
	}
	return o;
}

void ct_outfile_put(struct ct_outfile *o, FILE *f, struct ct_buf *b)
{
	if (!o->bufs) {
		if (ct_outfile_error(o, NULL))
			b->len = 0;	/* after a failed write, as the thread would */
		else
			write_buf(o, f, b);
		return;
	}
	struct out *slot = ct_handoff_slot(o->bufs);

	if (!slot) {		/* a write failed: what follows is dropped */
		b->len = 0;
		return;
	}
	struct ct_buf full = *b;

	*b = slot->b;		/* an emptied buffer, with the memory it had */
	slot->b = full;
	slot->f = f;
	ct_handoff_publish(o->bufs);
}

int ct_outfile_error(struct ct_outfile *o, FILE **which)
{
	int err = atomic_load_explicit(&o->err, memory_order_acquire);

	if (which)
		*which = err ? o->failed : NULL;
	return err;
}

int ct_outfile_finish(struct ct_outfile *o, FILE **which)
{
	int err;

	if (o->bufs) {
		ct_handoff_close(o->bufs);
		pthread_join(o->thread, NULL);
		for (unsigned i = 0; i < BUFFERS; i++)	/* each slot holds a buffer, written or not */
			ct_buf_free(&((struct out *)ct_handoff_at(o->bufs, i))->b);
		ct_handoff_free(o->bufs);
	}
	err = ct_outfile_error(o, which);
	free(o);
	return err;
}
