/* The scheduler's loop: passes until SIGTERM, or one pass. */

#ifndef DAEMON_H
#define DAEMON_H

#include "updraft.h"

struct store;

struct daemon {
	struct config		*cfg;		/* read again on SIGHUP */
	const char		*config_file;	/* -c FILE, or NULL */
	struct store		*st;
	const struct fs_info	*fs;		/* state_dir's filesystem */
	int			 once;		/* one pass, then exit */
	int64_t			 until;		/* a chain link's end; 0: none */
	int			(*spool_verb)(const char *); /* writes? */
};

int	daemon_run(const struct daemon *, char **);

#endif
