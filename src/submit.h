/* Submitting tries to Slurm: one job, and what job arrays share with it. */

#ifndef SUBMIT_H
#define SUBMIT_H

#include "scheduler-int.h"

void		 submit_try(struct pass *, const struct dag *,
		     const struct run *, const struct task *, struct ti *);
void		 submit_flush(struct pass *);
int		 submit_allowed(struct pass *);
void		 submit_slurm_trouble(struct pass *, const char *);
void		 submit_slurm_busy(struct pass *, const char *);
void		 submit_request(struct cluster_request *, const struct task *,
		     const char *, char **, const char *, const char *);
void		 submit_mkdir_parent(const char *);
void		 submit_set(char **, const char *);
char		*submit_path(const struct config *, const char *,
		     const struct run *, const struct ti *, const char *);
char		*submit_marker_path(const struct config *,
		     const struct run *, const struct ti *);
struct ti	*submit_find_ti(struct ti *, size_t, const char *);
size_t		*submit_topo_tasks(const struct dag *);

#endif
