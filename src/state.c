/* The states of task instances, runs and backfills: one table. */

#include <string.h>

#include "state.h"

/*
 * Every state a task instance, a run or a backfill can be in. Terminal:
 * nothing happens to it unless a person clears or marks it. The symbol is
 * the views' letter, readable without colour: upper case for where a task
 * is or ended, lower case for waiting to become the upper case letter
 * (scheduled is about to be queued, up_for_retry to run again); the views'
 * legend lists the states that have one, in this order. Colours: green,
 * red, yellow, blue, cyan, magenta and grey.
 */
static const struct state state_table[] = {
	/* name		   of		      term act fail sym colour */
	{ "success",	   STATE_TI | STATE_RUN, 1, 0, 0, 'S', "\033[32m" },
	{ "failed",	   STATE_TI | STATE_RUN, 1, 0, 1, 'F', "\033[31m" },
	{ "running",	   STATE_TI | STATE_RUN | STATE_BACKFILL,
					      0, 1, 0, 'R', "\033[33m" },
	{ "queued",	   STATE_TI | STATE_RUN, 0, 1, 0, 'Q', "\033[34m" },
	{ "scheduled",	   STATE_TI,	      0, 1, 0, 'q', "\033[34m" },
	{ "up_for_retry",  STATE_TI,	      0, 0, 0, 'r', "\033[36m" },
	{ "upstream_failed", STATE_TI,	      1, 0, 1, 'U', "\033[35m" },
	{ "none",	   STATE_TI,	      0, 0, 0, '.', "\033[90m" },
	{ "skipped",	   STATE_TI,	      1, 0, 0, 0,   "" },
	{ "removed",	   STATE_TI,	      1, 0, 0, 0,   "" },
	{ "done",	   STATE_BACKFILL,     1, 0, 0, 0,   "" },
	{ "cancelled",	   STATE_BACKFILL,     1, 0, 0, 0,   "" },
};

/* The state named name, or NULL for none we know. */
const struct state *
state_find(const char *name)
{
	size_t	i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < sizeof state_table / sizeof state_table[0]; i++) {
		if (strcmp(state_table[i].name, name) == 0)
			return (&state_table[i]);
	}
	return (NULL);
}

/* The i-th state of the table, or NULL past its end. */
const struct state *
state_at(size_t i)
{
	if (i >= sizeof state_table / sizeof state_table[0])
		return (NULL);
	return (&state_table[i]);
}

/* 1 if name is a state of what of says (STATE_TI, STATE_RUN...). */
int
state_is(const char *name, int of)
{
	const struct state	*s;

	return ((s = state_find(name)) != NULL && (s->of & of) != 0);
}

/* 1 if nothing more happens to something in this state by itself. */
int
state_is_terminal(const char *name)
{
	const struct state	*s;

	return ((s = state_find(name)) != NULL && s->terminal);
}

/* 1 if a task instance in this state has or is about to have a job. */
int
state_is_active(const char *name)
{
	const struct state	*s;

	return ((s = state_find(name)) != NULL && s->active);
}

/* 1 if a task instance in this state failed, or what it waited on did. */
int
state_is_failed(const char *name)
{
	const struct state	*s;

	return ((s = state_find(name)) != NULL && s->failed);
}

/* The views' letter for a state: ' ' for none, '?' for one without. */
char
state_symbol(const char *name)
{
	const struct state	*s;

	if (name == NULL)
		return (' ');
	if ((s = state_find(name)) == NULL || s->symbol == 0)
		return ('?');
	return (s->symbol);
}

/* The escape sequence that colours a state; "" for none. */
const char *
state_colour(const char *name)
{
	const struct state	*s;

	if ((s = state_find(name)) == NULL)
		return ("");
	return (s->colour);
}
