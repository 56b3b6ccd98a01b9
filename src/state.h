/* The states of task instances, runs and backfills: one table. */

#ifndef STATE_H
#define STATE_H

#include <stddef.h>

/* What a state is the state of (a name may be the state of several). */
#define STATE_TI	0x1
#define STATE_RUN	0x2
#define STATE_BACKFILL	0x4

struct state {
	const char	*name;
	int		 of;		/* STATE_TI | STATE_RUN | STATE_BACKFILL */
	int		 terminal;	/* nothing more happens to it by itself */
	int		 active;	/* a task instance that has or is about
					   to have a Slurm job */
	int		 failed;	/* it, or what it waited on, failed */
	char		 symbol;	/* one letter for the views, or 0 */
	const char	*colour;	/* the terminal's escape sequence, or "" */
};

const struct state	*state_find(const char *);
const struct state	*state_at(size_t);
int			 state_is(const char *, int);
int			 state_is_terminal(const char *);
int			 state_is_active(const char *);
int			 state_is_failed(const char *);
char			 state_symbol(const char *);
const char		*state_colour(const char *);

#endif
