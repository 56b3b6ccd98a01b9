/* A DAG's versions: list them, show one, and compare two. */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "view.h"

static int	cmd_versions_exec(struct cmd_ctx *, int, char **);
static int	cmd_show_exec(struct cmd_ctx *, int, char **);
static int	cmd_diff_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_versions_entry = {
	.name = "versions",
	.usage = "DAG [--utc] [--json | -o] [--noheader] [--parsable]",
	.summary = "list the versions a DAG has had, with their runs",
	.help = "A version is a hash of the DAG file and of the scripts it "
	    "runs; each run keeps\nthe version it was created with. Versions "
	    "are numbered 1, 2, ... as first seen.\nFIRST_SEEN is in the "
	    "local zone (TZ), or UTC with --utc. JSON fields: number\n"
	    "version (the hash) first_seen (ISO-8601 in UTC) runs.\n",
	.opts = cmd_columns_opts,
	.flags = CMD_DAGS,
	.exec = cmd_versions_exec,
};

static const struct cmd_opt cmd_show_opts[] = {
	{ "version", 'V', "N", "version N (default: the newest)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "DAG [--version]",
	.summary = "print a DAG's file (and scripts) as of a version",
	.opts = cmd_show_opts,
	.flags = CMD_DAGS,
	.exec = cmd_show_exec,
};

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "DAG V1 V2",
	.summary = "show what changed between two versions of a DAG",
	.help = "Prints a unified diff (diff -u) of the two versions' files "
	    "and scripts.\n",
	.flags = CMD_DAGS,
	.exec = cmd_diff_exec,
};

/* The versions of a DAG, or an exit status after saying why not. */
static int
cmd_versions_load(struct cmd_ctx *ctx, const char *dag_id,
    struct dag_version **list, size_t *n)
{
	if (store_version_list(ctx->store, dag_id, list, n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	if (*n == 0) {
		store_version_free_list(*list, *n);
		return (cmd_no_dag(ctx, dag_id));
	}
	return (0);
}

static struct dag_version *
cmd_versions_number(struct dag_version *list, size_t n, const char *arg)
{
	char	*end;
	long	 v;
	size_t	 i;

	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0')
		return (NULL);
	for (i = 0; i < n; i++) {
		if (list[i].number == v)
			return (&list[i]);
	}
	return (NULL);
}

/* The table's columns, and those of --noheader or --parsable alone. */
static const char *const cmd_versions_columns[] = {
	"number", "version", "first_seen", "runs"
};
#define CMD_VERSIONS_FORMAT	"number,version,first_seen,runs"

static int
cmd_versions_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dag_version	*list;
	struct view_table	 t;
	struct output_json	 j;
	struct cmd_columns	 c;
	struct output_format	 fmt;
	size_t			 n, i;
	int			 rc;

	if ((rc = cmd_columns_args(&cmd_versions_entry, argc, argv, 1, 1,
	    &c)) != 0)
		return (rc);
	if ((rc = cmd_columns_format(&cmd_versions_entry, &c, &output_version,
	    CMD_VERSIONS_FORMAT, &fmt)) != -1)
		return (rc);
	if ((rc = cmd_versions_load(ctx, argv[optind], &list, &n)) != 0) {
		output_format_free(&fmt);
		return (rc);
	}
	if (c.json) {
		output_json_init(&j, stdout);
		output_json_open(&j, NULL, '[');
		for (i = 0; i < n; i++) {
			output_json_open(&j, NULL, '{');
			output_json_fields(&j, &output_version, NULL,
			    &list[i]);
			output_json_close(&j);
		}
		output_json_close(&j);
	} else if (fmt.ncols > 0)
		view_format_array(stdout, &fmt, list, sizeof *list, n, c.utc);
	else {
		view_table_init(&t, 4);
		view_table_head(&t, &output_version, cmd_versions_columns);
		for (i = 0; i < n; i++)
			view_table_row(&t, &output_version,
			    cmd_versions_columns, &list[i], c.utc);
		view_table_print(stdout, &t, "");
		view_table_free(&t);
	}
	output_format_free(&fmt);
	store_version_free_list(list, n);
	return (0);
}

static int
cmd_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dag_version	*list, *v;
	const char		*which = NULL;
	size_t			 n;
	int			 ch, rc;

	while ((ch = cmd_getopt(&cmd_show_entry, argc, argv)) != -1) {
		if (ch != 'V')
			return (cmd_usage(&cmd_show_entry));
		which = optarg;
	}
	if (argc - optind != 1)
		return (cmd_usage(&cmd_show_entry));
	if ((rc = cmd_versions_load(ctx, argv[optind], &list, &n)) != 0)
		return (rc);
	v = which == NULL ? &list[n - 1] : cmd_versions_number(list, n, which);
	if (v == NULL) {
		rc = cmd_error("dag '%s' has no version '%s'", argv[optind],
		    which);
		store_version_free_list(list, n);
		return (rc);
	}
	fputs(v->source, stdout);
	store_version_free_list(list, n);
	return (0);
}

/* Write text to a new temporary file; its path, or NULL. */
static char *
cmd_diff_temp(const char *text)
{
	char	*path;
	FILE	*f;
	int	 fd;

	xasprintf(&path, "%s/updraft-diff.XXXXXX", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		free(path);
		return (NULL);
	}
	fputs(text, f);
	fclose(f);
	return (path);
}

static int
cmd_diff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct dag_version	*list, *v1, *v2;
	char			*p1 = NULL, *p2 = NULL, *l1, *l2;
	size_t			 n;
	pid_t			 pid;
	int			 rc, status = 1;

	if ((rc = cmd_args(&cmd_diff_entry, argc, argv, 3, 3)) != 0)
		return (rc);
	argv += optind - 1;
	if ((rc = cmd_versions_load(ctx, argv[1], &list, &n)) != 0)
		return (rc);
	v1 = cmd_versions_number(list, n, argv[2]);
	v2 = cmd_versions_number(list, n, argv[3]);
	if (v1 == NULL || v2 == NULL) {
		rc = cmd_error("dag '%s' has no version '%s'", argv[1],
		    v1 == NULL ? argv[2] : argv[3]);
		store_version_free_list(list, n);
		return (rc);
	}
	xasprintf(&l1, "%s version %d (%s)", argv[1], v1->number, v1->version);
	xasprintf(&l2, "%s version %d (%s)", argv[1], v2->number, v2->version);
	if ((p1 = cmd_diff_temp(v1->source)) == NULL ||
	    (p2 = cmd_diff_temp(v2->source)) == NULL) {
		cmd_error("cannot write a temporary file: %s", strerror(errno));
		goto out;
	}
	/* diff(1) with an argument vector: no shell sees these names. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		execlp("diff", "diff", "-u", "--label", l1, "--label", l2, p1,
		    p2, (char *)NULL);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &rc, 0) == -1 || !WIFEXITED(rc) ||
	    WEXITSTATUS(rc) > 1)
		cmd_error("cannot run diff(1)");
	else
		status = 0;
out:
	if (p1 != NULL)
		unlink(p1);
	if (p2 != NULL)
		unlink(p2);
	free(p1);
	free(p2);
	free(l1);
	free(l2);
	store_version_free_list(list, n);
	return (status);
}
