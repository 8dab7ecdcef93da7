#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "handoff.h"
#include "outfile.h"

#define BUFFERS 3	/* one filling, one being written, one ready */

struct out {
	FILE *f;
	struct ct_buf b;
};

struct ct_outfile {
	struct ct_handoff *bufs;	/* slots of struct out */
	pthread_t thread;
	atomic_int err;
	FILE *failed;			/* the file err was for */
};

static void *write_bufs(void *arg)
{
	struct ct_outfile *o = arg;
	struct out *s;

	while ((s = ct_handoff_take(o->bufs))) {
		ct_buf_flush(&s->b, s->f);	/* empties it, keeping its memory for the caller */
		if (s->b.err) {
			o->failed = s->f;
			atomic_store_explicit(&o->err, s->b.err, memory_order_release);
			s->b.err = 0;
			ct_handoff_release(o->bufs);
			ct_handoff_cancel(o->bufs);	/* nothing after a hole in the file */
			break;
		}
		ct_handoff_release(o->bufs);
	}
	return NULL;
}

struct ct_outfile *ct_outfile_start(void)
{
	struct ct_outfile *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	if (!(o->bufs = ct_handoff_new(BUFFERS, sizeof(struct out)))) {	/* zeroed: empty buffers */
		free(o);
		return NULL;
	}
	if (pthread_create(&o->thread, NULL, write_bufs, o)) {
		ct_handoff_free(o->bufs);
		free(o);
		return NULL;
	}
	return o;
}

void ct_outfile_put(struct ct_outfile *o, FILE *f, struct ct_buf *b)
{
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

	ct_handoff_close(o->bufs);
	pthread_join(o->thread, NULL);
	err = ct_outfile_error(o, which);
	for (unsigned i = 0; i < BUFFERS; i++)	/* each slot holds a buffer, written or not */
		ct_buf_free(&((struct out *)ct_handoff_at(o->bufs, i))->b);
	ct_handoff_free(o->bufs);
	free(o);
	return err;
}
