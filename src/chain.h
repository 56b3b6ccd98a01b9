/* The scheduler as a chain of Slurm jobs (`updraft scheduler --in-slurm`). */

#ifndef UPDRAFT_CHAIN_H
#define UPDRAFT_CHAIN_H

#include "cmd.h"

/* What chain_scheduler() returns when it has not ended the verb. */
#define CHAIN_NOT_OURS	-1	/* no --in-slurm: a plain scheduler */
#define CHAIN_LINK	-2	/* a link: run passes until *until */

char	*chain_name(const struct config *);
int	 chain_scheduler(struct cmd_ctx *, int, char **, int64_t *);
int	 chain_link_done(int64_t, int64_t, int, int, int64_t);
int	 chain_stop(struct cmd_ctx *);
void	 chain_status(struct cmd_ctx *, int);
void	 chain_status_json(struct cmd_ctx *);

#endif
