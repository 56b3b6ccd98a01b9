/* A DAG against the live cluster: partitions that exist, GPUs where asked. */

/*
 * A task that names a partition Slurm does not have, or asks for GPUs on a
 * partition without any, would only be refused by Slurm when it is due,
 * maybe at 3 am. Checked when the DAG loads instead, as a load error on the
 * task's line. QOS and accounts live in slurmdbd, which a cluster may not
 * run; those are left to Slurm's answer at submission.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static const struct slurm_partition *
validate_find(const struct slurm_partition *parts, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if ((name == NULL && parts[i].is_default) ||
		    (name != NULL && strcmp(parts[i].name, name) == 0))
			return (&parts[i]);
	}
	return (NULL);
}

static int
validate_wants_gpus(const struct resources *res)
{
	return (res->gpus > 0 || res->gpus_per_node > 0 ||
	    res->gpus_per_task > 0 || res->cpus_per_gpu > 0 ||
	    res->mem_per_gpu_mb > 0 ||
	    (res->gres != NULL && strncmp(res->gres, "gpu", 3) == 0));
}

/*
 * Check every task of dag against the partitions: 0, or -1 with every
 * problem as "FILE:LINE: message", one a line, in *cause.
 */
int
validate_dag(const struct dag *dag, const struct slurm_partition *parts,
    size_t n, char **cause)
{
	const struct slurm_partition	*p;
	const struct task		*t;
	FILE				*f;
	char				*out = NULL;
	size_t				 len = 0, i, k;
	int				 bad = 0;

	if ((f = open_memstream(&out, &len)) == NULL)
		return (0);
	for (i = 0; i < dag->ntasks; i++) {
		t = &dag->tasks[i];
		p = validate_find(parts, n, t->res.partition);
		if (p == NULL && t->res.partition != NULL) {
			fprintf(f, "%s%s:%d: task '%s': partition '%s' does "
			    "not exist in Slurm (it has:", bad ? "\n" : "",
			    dag->path, t->line, t->id, t->res.partition);
			for (k = 0; k < n; k++)
				fprintf(f, "%s %s", k ? "," : "", parts[k].name);
			fprintf(f, ")");
			bad = 1;
		} else if (p != NULL && !p->has_gpus &&
		    validate_wants_gpus(&t->res)) {
			fprintf(f, "%s%s:%d: task '%s': asks for GPUs, but "
			    "partition '%s' has none", bad ? "\n" : "",
			    dag->path, t->line, t->id, p->name);
			bad = 1;
		}
	}
	fclose(f);
	if (bad)
		*cause = out;
	else
		free(out);
	return (bad ? -1 : 0);
}
