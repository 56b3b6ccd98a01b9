/* Validate DAG files: every problem as file:line: message. */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "validate.h"

static int	cmd_check_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[FILE...]",
	.summary = "validate DAG files (default: every file in the DAGs folder)",
	.help = "Prints each problem as FILE:LINE: MESSAGE and exits 1 if there "
	    "is any;\nprints FILE: ok for each valid file. When Slurm answers, "
	    "also checks that\nevery partition a task names exists and has GPUs "
	    "where GPUs are asked for,\nthat its GRES are on the partition's "
	    "nodes, and that the partition allows\nits account and QOS. "
	    "Checking the whole folder, it also checks that each\ntask input "
	    "names a DAG of the folder and a task of that DAG (the scheduler\n"
	    "itself only waits for such an input, saying what for).\n",
	.flags = CMD_CONFIG,
	.exec = cmd_check_exec,
};

/*
 * Print "FILE: ok", or every problem, for one loaded DAG (NULL: it did
 * not load, cause says why); against the cluster too when Slurm answered.
 */
static int
cmd_check_report(struct dag *dag, const char *path, char *cause,
    const struct cluster_partition *parts, size_t nparts)
{
	if (dag != NULL && parts != NULL &&
	    validate_dag(dag, parts, nparts, &cause) != 0)
		dag = NULL;
	if (dag == NULL) {
		cmd_print_line(stderr, cause);
		free(cause);
		return (1);
	}
	printf("%s: ok\n", path);
	return (0);
}

/*
 * Warn when the controller runs another release series than the libslurm
 * we were built against: the checks may not hold, and from 24.05 on an old
 * client cannot talk to the controller at all.
 */
static void
cmd_check_release(void)
{
	char	*version, *cause;

	if (cluster_controller_version(&version, &cause) != 0) {
		free(cause);
		return;
	}
	if (!cluster_same_series(version, cluster_library_version()))
		fprintf(stderr, "updraft: warning: Slurm's controller runs %s, "
		    "but updraft was built against libslurm %s: rebuild it "
		    "against the cluster's own Slurm (see README)\n", version,
		    cluster_library_version());
	free(version);
}

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cluster_partition	*parts = NULL;
	struct dagbag		 bag;
	struct dag		*dag;
	char			*cause;
	size_t			 j, nparts = 0;
	int			 i, bad = 0;

	if ((i = cmd_args(&cmd_check_entry, argc, argv, 0, INT_MAX)) != 0)
		return (i);
	argc -= optind - 1;
	argv += optind - 1;
	/* The cluster's partitions, when Slurm answers; else files only. */
	if (cluster_partitions_load(&parts, &nparts, &cause) != 0) {
		free(cause);
		parts = NULL;
	} else
		cmd_check_release();
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			dag = dagfile_load(argv[i], &ctx->cfg, &cause);
			bad |= cmd_check_report(dag, argv[i], cause, parts,
			    nparts);
			dag_free(dag);
		}
		cluster_partitions_free(parts, nparts);
		return (bad);
	}

	/* The whole folder, with the checks that need every file at once. */
	if (dagbag_load(&ctx->cfg, NULL, &bag) != 0)
		bad = 1;
	for (j = 0; j < bag.ndags; j++) {
		if (taskio_check_inputs(bag.dags[j], bag.dags, bag.ndags,
		    &cause) != 0) {
			cmd_print_line(stderr, cause);
			free(cause);
			bad = 1;
			continue;
		}
		bad |= cmd_check_report(bag.dags[j], bag.dags[j]->path, NULL,
		    parts, nparts);
	}
	for (j = 0; j < bag.nerrors; j++)
		cmd_print_line(stderr, bag.errors[j]);
	if (bag.nerrors > 0)
		bad = 1;
	dagbag_free(&bag);
	cluster_partitions_free(parts, nparts);
	return (bad);
}
