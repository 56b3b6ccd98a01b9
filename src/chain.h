/* The scheduler as a chain of Slurm jobs (`updraft scheduler --in-slurm`). */

#ifndef UPDRAFT_CHAIN_H
#define UPDRAFT_CHAIN_H

#include "updraft.h"

/* The chain's file, and the settings every link is submitted with. */
struct chain {
	int	 on;
	long	 every;		/* seconds */
	char	*qos;
	char	*account;
	char	*partition;
	int64_t	 started;	/* by `scheduler --in-slurm` */
	int64_t	 stopped;	/* by `updraft stop` */
	int64_t	 link_job;	/* the latest link that started */
	int64_t	 link_start;
	int64_t	 next_job;	/* the latest link submitted */
};

/* A link of the chain in Slurm, pending or running. */
struct chain_job {
	int64_t	 job_id;
	int	 pending;	/* else running */
	int64_t	 start;		/* when it started running; 0: pending */
};

/* What `updraft status` shows of the chain. */
struct chain_view {
	struct chain		 ch;
	char			*error;		/* the file or Slurm failed */
	struct chain_job	*links;		/* pending or running */
	size_t			 nlinks;
	char			*name;
	size_t			 pending;
	size_t			 running;
};

char		*chain_name(const struct config *);
void		 chain_clear(struct chain *);
int		 chain_start(const struct config *, struct chain *, int64_t *,
		     char **);
int		 chain_link(const struct config *, int64_t, int64_t *, char **);
int		 chain_link_done(int64_t, int64_t, int, int, int64_t);
int		 chain_stop(const struct config *, struct chain_job **,
		     size_t *, char **);
int		 chain_view_load(const struct config *, struct chain_view *);
void		 chain_view_free(struct chain_view *);
const char	*chain_view_state(const struct chain_view *);

#endif
