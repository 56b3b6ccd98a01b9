/* Requests of verbs that may not write the database, for the scheduler. */

#ifndef SPOOL_H
#define SPOOL_H

#include "updraft.h"

int	 spool_request(const struct config *, const char *, int, char **,
	     char **, char **);
int	 spool_wait(const struct config *, const char *, int, int *);
int	 spool_apply(const struct config *, const char *,
	     int (*)(const char *), void (*)(void *), void *);
const char *spool_user(void);

#endif
