/* What a person does to runs by hand: clear tasks, mark them, cancel a run. */

#ifndef INTERVENE_H
#define INTERVENE_H

#include "store.h"

#define INTERVENE_DOWNSTREAM	0x1
#define INTERVENE_UPSTREAM	0x2
#define INTERVENE_FAILED_ONLY	0x4

/* What one intervention changed, and the jobs it took from the scheduler. */
struct intervene {
	int	 count;		/* task instances changed */
	int64_t	*jobs;
	int	*indexes;	/* element of a job array, or -1 */
	size_t	 njobs;
};

int	 intervene_clear(struct store *, const struct dag *, struct run *,
	     char **, size_t, int, const char *, int64_t, struct intervene *,
	     char **);
int	 intervene_mark(struct store *, struct run *, const char *,
	     const char *, const char *, int64_t, struct intervene *, char **);
int	 intervene_cancel_run(struct store *, struct run *, const char *,
	     int64_t, struct intervene *, char **);
int	 intervene_cancel_jobs(struct intervene *, char **);
void	 intervene_free(struct intervene *);

#endif
