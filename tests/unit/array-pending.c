/* For t3150: the elements of a job array that cluster.c does not see pending. */

#include <stdio.h>
#include <stdlib.h>

#include "cluster.h"

/*
 * array-pending JOB_ID: each line of stdin is an index of array job JOB_ID
 * that is pending in Slurm; print those that cluster_jobs_load's records do
 * not hold, as the scheduler looks them up (an element of its own, or one
 * of the array's pending set). Nothing printed: every element is seen.
 */
int
main(int argc, char **argv)
{
	struct cluster_job	*jobs, *j;
	char			*cause;
	size_t			 n, i;
	long			 id, index;
	int			 seen;

	if (argc != 2 || (id = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: array-pending JOB_ID < INDEXES\n");
		return (2);
	}
	if (cluster_jobs_load(&jobs, &n, &cause) != 0) {
		fprintf(stderr, "array-pending: %s\n", cause);
		return (1);
	}
	while (scanf("%ld", &index) == 1) {
		seen = 0;
		for (i = 0; i < n && !seen; i++) {
			j = &jobs[i];
			seen = j->array_job_id == id &&
			    (j->array_task_id == index || (j->array_tasks !=
			    NULL && cluster_array_has(j->array_tasks,
			    (int)index)));
		}
		if (!seen)
			printf("%ld\n", index);
	}
	cluster_jobs_free(jobs, n);
	return (0);
}
