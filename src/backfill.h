/* Backfills: plan a range of logical dates, then run it a few at a time. */

#ifndef BACKFILL_H
#define BACKFILL_H

#include "store.h"

enum backfill_action {
	BACKFILL_CREATE,	/* no run yet: create one */
	BACKFILL_RERUN,		/* run it again (reprocess failed or all) */
	BACKFILL_SKIP_EXISTS,	/* it has a run, and the mode keeps it */
	BACKFILL_SKIP_ACTIVE,	/* its run is queued or running: never touched */
};

struct backfill_plan {
	struct interval		*ivs;
	enum backfill_action	*actions;
	size_t			 n;
	size_t			 nrun;	/* how many would create or rerun */
};

enum backfill_action backfill_decide(const struct run *, const char *);
const char	*backfill_action_name(enum backfill_action);
int		 backfill_plan(struct store *, const struct dag *, int64_t,
		     int64_t, const char *, struct backfill_plan *, char **);
void		 backfill_plan_free(struct backfill_plan *);
int		 backfill_advance(struct store *, const struct dag *,
		     const struct backfill *, int64_t);

#endif
