/* A DAG's intervals: what each tick of its schedule means for a run. */

/*
 * With data intervals (the default, Airflow 2) the ticks t_0 < t_1 < ...
 * cut time into [t_i, t_i+1): the run for one has logical date t_i and is
 * due at t_i+1. For cron the first interval starts at the first tick at or
 * after start_date; for `every` at start_date itself. With the trigger
 * timetable (Airflow 3) each tick is a run of its own, due at once, with an
 * empty interval [t_i, t_i]. No interval ends after end_date, and nothing
 * here reads the clock: "now" is an argument.
 */

#include "updraft.h"

/* The interval whose logical date is the tick at; 0 if it never ends. */
static int
timetable_at(const struct dag *dag, int64_t at, struct interval *iv)
{
	int64_t	end;

	if (dag->end_date != 0 && at > dag->end_date)
		return (0);
	if (dag->timetable == TIMETABLE_TRIGGER) {
		iv->logical = iv->start = iv->end = iv->due = at;
		return (1);
	}
	if (!schedule_next(dag->schedule, dag->start_date, at, &end))
		return (0);
	if (dag->end_date != 0 && end > dag->end_date)
		return (0);
	iv->logical = iv->start = at;
	iv->end = iv->due = end;
	return (1);
}

/* The first interval whose logical date is at or after t: 1, or 0 none. */
int
timetable_first(const struct dag *dag, int64_t t, struct interval *iv)
{
	int64_t	tick;

	switch (schedule_kind(dag->schedule)) {
	case SCHEDULE_NONE:
		return (0);
	case SCHEDULE_ONCE:
		/* One run at start_date, with an empty interval. */
		if (t > dag->start_date)
			return (0);
		iv->logical = iv->start = iv->end = iv->due = dag->start_date;
		return (1);
	case SCHEDULE_CRON:
	case SCHEDULE_EVERY:
		break;
	}
	if (t < dag->start_date)
		t = dag->start_date;
	if (!schedule_next(dag->schedule, dag->start_date, t - 1, &tick))
		return (0);
	return (timetable_at(dag, tick, iv));
}

/* The interval after iv: 1, or 0 when there is none. */
int
timetable_next(const struct dag *dag, const struct interval *iv,
    struct interval *next)
{
	int64_t	tick;

	if (schedule_kind(dag->schedule) == SCHEDULE_ONCE)
		return (0);
	if (dag->timetable == TIMETABLE_INTERVAL)
		return (timetable_at(dag, iv->end, next));
	if (!schedule_next(dag->schedule, dag->start_date, iv->logical, &tick))
		return (0);
	return (timetable_at(dag, tick, next));
}

/*
 * The latest interval due at or before now whose logical date is at or
 * after from: 1, or 0 when none is due. It looks back over ever wider
 * windows, so its cost does not grow with the DAG's history.
 */
int
timetable_latest(const struct dag *dag, int64_t from, int64_t now,
    struct interval *latest)
{
	struct interval	iv, next;
	int64_t		span, t;
	int		found;

	for (span = 3600; ; span *= 4) {
		t = now - span < from ? from : now - span;
		found = 0;
		if (!timetable_first(dag, t, &iv))
			return (0);
		while (iv.due <= now) {
			*latest = iv;
			found = 1;
			if (!timetable_next(dag, &iv, &next))
				break;
			iv = next;
		}
		if (found || t == from)
			return (found);
	}
}
