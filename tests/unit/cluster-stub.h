/* A stand-in for src/cluster.c: recorded job states, no Slurm. */

#ifndef CLUSTER_STUB_H
#define CLUSTER_STUB_H

#include "cluster.h"

/* A request cluster_submit took, as the test reads it back. */
struct stub_request {
	char		*name;
	char		*partition;
	char		*array;		/* "0-2%1", or NULL */
	char		*dependency;
	int64_t		 job_id;	/* given; 0: refused */
};

/* What the next calls answer. */
struct stub {
	int			 load_fails;	/* cluster_jobs_load: -1 */
	int			 submit_rc;	/* CLUSTER_SUBMITTED... */
	const char		*submit_cause;	/* when refused */
	int64_t			 next_id;	/* the next job id given */
	struct stub_request	*requests;	/* every submission, in order */
	size_t			 nrequests;
	int64_t			*cancelled;
	size_t			 ncancelled;
};
extern struct stub stub;

void		 stub_reset(void);
struct cluster_job *stub_job(int64_t);
void		 stub_run(int64_t, const char *);
void		 stub_end(int64_t, const char *, int, int);
void		 stub_timeout(int64_t, long);
void		 stub_purge(int64_t);
void		 stub_requeue(int64_t, int);
void		 stub_wait(int64_t, const char *);

#endif
