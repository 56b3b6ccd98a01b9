/* The scheduler: one pass, and the loop that repeats it. */

#ifndef SCHEDULER_H
#define SCHEDULER_H

#include "store.h"

int64_t	 scheduler_pass(const struct config *, struct store *, int64_t,
	     char ***, size_t *);
int	 scheduler_busy(struct store *);
int	 scheduler_create_run(struct store *, const struct dag *,
	     const char *, const struct interval *, int64_t, int64_t);
int	 scheduler_mkdirs(const char *);

#endif
