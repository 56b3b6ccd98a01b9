/* updraft site: one scheduler for each member of site_group, as that user. */

#ifndef SITE_H
#define SITE_H

#include <sys/types.h>

#include "updraft.h"

/* A member of site_group, as the user database has them. */
struct site_member {
	char		*name;
	uid_t		 uid;
	gid_t		 gid;
	char		*home;
	char		*shell;

	/* The supervisor's view of its scheduler. */
	pid_t		 pid;		/* running; 0: not */
	int64_t		 started;	/* monotonic seconds */
	int64_t		 restart_at;	/* when to start it again; 0: never */
	int		 delay;		/* the last backoff, seconds */
	int		 gone;		/* left the group: not started again */
};

struct site {
	struct config		 cfg;		/* site_group, site_env */
	const char		*config_file;	/* -c FILE, or NULL */
	char			*exe;		/* this binary */
	int			 verbose;
	struct site_member	*members;
	size_t			 nmembers;
};

int	site_members(const char *, struct site_member **, size_t *, char **);
void	site_members_free(struct site_member *, size_t);
int	site_once(struct site *);
int	site_run(struct site *, char **);
void	site_free(struct site *);

#endif
