/* Validate DAG files: every problem as file:line: message. */

#include <sys/stat.h>

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
	    "is any;\nprints FILE: ok for each valid file. Named files are "
	    "also checked against\neach other and against the DAGs folder's "
	    "files: no two files may declare\none dag_id. When Slurm answers, "
	    "also checks that every partition a task\nnames exists and has "
	    "GPUs where GPUs are asked for, that its GRES are on\nthe "
	    "partition's nodes, and that the partition allows its account and "
	    "QOS;\nwhere Slurm keeps accounting in slurmdbd, that the account "
	    "and QOS exist,\nthat the file owner's association allows them "
	    "and that the QOS's MaxWall\nand GPU limits fit the task. "
	    "Checking the whole folder, it also checks\nthat each task input "
	    "names a DAG of the folder and a task of that DAG\n(the "
	    "scheduler itself only waits for such an input, saying what "
	    "for).\n",
	.flags = CMD_CONFIG,
	.exec = cmd_check_exec,
};

/*
 * The cluster's accounting (slurmdbd), loaded at the first DAG that names
 * an account or QOS; without it, say once that those checks were skipped.
 */
static int
cmd_check_acct(const struct dag *dag, char **cause)
{
	static struct cluster_acct	*acct;
	static int			 loaded;
	char				*why = NULL;
	int				 rc;

	if (!loaded && validate_acct_wanted(dag)) {
		loaded = 1;
		if ((rc = cluster_acct_load(&acct, &why)) == 0)
			why = xstrdup("Slurm keeps no accounting in slurmdbd");
		if (rc != 1) {
			fprintf(stderr, "updraft: accounts, associations and "
			    "QOS not checked: %s\n", why);
			free(why);
		}
	}
	if (acct == NULL)
		return (0);
	return (validate_acct(dag, acct, cause));
}

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
	if (dag != NULL && parts != NULL && cmd_check_acct(dag, &cause) != 0)
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

/* A file named on the command line, and the file it is (to know it again). */
struct cmd_check_file {
	const char	*path;
	struct dag	*dag;		/* NULL: it did not load */
	char		*cause;		/* why not */
	dev_t		 dev;
	ino_t		 ino;
	int		 found;		/* dev and ino are known */
};

/* 1 if path is the same file as f. */
static int
cmd_check_same(const struct cmd_check_file *f, const char *path)
{
	struct stat	sb;

	if (!f->found || stat(path, &sb) != 0)
		return (0);
	return (sb.st_dev == f->dev && sb.st_ino == f->ino);
}

/*
 * Print a line for each other file that declares f's dag id: another named
 * file or one of the DAGs folder. Return the number printed.
 */
static int
cmd_check_dups(struct cmd_check_file *files, int n, int i,
    const struct dagbag_cache *folder)
{
	struct cmd_check_file	*f = &files[i];
	struct dag		*other;
	char			*msg;
	size_t			 k;
	int			 j, dups = 0;

	for (j = 0; j < n; j++) {
		other = files[j].dag;
		if (j == i || other == NULL ||
		    strcmp(other->id, f->dag->id) != 0 ||
		    strcmp(files[j].path, f->path) == 0 ||
		    cmd_check_same(f, files[j].path))
			continue;
		msg = dag_dup_error(f->dag, files[j].path);
		fprintf(stderr, "%s\n", msg);
		free(msg);
		dups++;
	}
	for (k = 0; folder != NULL && k < folder->nfiles; k++) {
		other = folder->files[k].dag;
		if (other == NULL || strcmp(other->id, f->dag->id) != 0 ||
		    cmd_check_same(f, folder->files[k].path))
			continue;
		for (j = 0; j < n; j++) {
			if (cmd_check_same(&files[j], folder->files[k].path))
				break;
		}
		if (j < n)
			continue;	/* named too: said above */
		msg = dag_dup_error(f->dag, folder->files[k].path);
		fprintf(stderr, "%s\n", msg);
		free(msg);
		dups++;
	}
	return (dups);
}

/*
 * Check the named files: each alone, then their dag ids against each other
 * and against the DAGs folder's files (when it can be read).
 */
static int
cmd_check_named(struct cmd_ctx *ctx, int argc, char **argv,
    const struct cluster_partition *parts, size_t nparts)
{
	struct cmd_check_file	*files;
	struct dagbag		 bag;
	struct stat		 sb;
	int			 i, n = argc - 1, bad = 0;

	files = xcalloc(n, sizeof *files);
	for (i = 0; i < n; i++) {
		files[i].path = argv[i + 1];
		files[i].dag = dagfile_load(files[i].path, &ctx->cfg,
		    &files[i].cause);
		if (stat(files[i].path, &sb) == 0) {
			files[i].dev = sb.st_dev;
			files[i].ino = sb.st_ino;
			files[i].found = 1;
		}
	}
	dagbag_load(&ctx->cfg, NULL, &bag);
	for (i = 0; i < n; i++) {
		if (files[i].dag != NULL &&
		    cmd_check_dups(files, n, i, bag.own) != 0) {
			bad = 1;
			if (parts == NULL || validate_dag(files[i].dag, parts,
			    nparts, &files[i].cause) == 0)
				continue;
			dag_free(files[i].dag);
			files[i].dag = NULL;
		}
		bad |= cmd_check_report(files[i].dag, files[i].path,
		    files[i].cause, parts, nparts);
	}
	dagbag_free(&bag);
	for (i = 0; i < n; i++)
		dag_free(files[i].dag);
	free(files);
	return (bad);
}

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cluster_partition	*parts = NULL;
	struct dagbag		 bag;
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
		bad = cmd_check_named(ctx, argc, argv, parts, nparts);
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
