/* List the DAGs: paused or not, and those whose file does not load. */

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "view.h"

static int	cmd_list_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_list_opts[] = {
	/* For shell completion: the DAG ids, one a line. */
	{ "ids", 'i', NULL, NULL, 0 },
	{ "utc", 'u', NULL, "NEXT_RUN in UTC instead of the local zone (TZ)",
	  0 },
	{ "json", 'j', NULL, "fields dag_id paused state path version "
	  "load_error pause_reason next_dagrun (ISO-8601 in UTC)", 0 },
	CMD_COLUMNS_OPTS,
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "[--utc] [--json | -o] [--noheader] [--parsable]",
	.summary = "list DAGs, paused or active, and load errors",
	.help = "NEXT_RUN is the logical date of the next scheduled run.\n",
	.opts = cmd_list_opts,
	.flags = CMD_DAGS,
	.exec = cmd_list_exec,
};

/* The table's columns: fields of a DAG. */
static const char *const cmd_list_columns[] = {
	"dag_id", "state", "next_dagrun", "path"
};
#define CMD_LIST_FORMAT	"dag_id,state,next_dagrun,path"

/* A load error under its DAG's row: every line of it indented. */
static void
cmd_list_error(struct view_table *t, const char *error)
{
	const char	*nl;

	while ((nl = strchr(error, '\n')) != NULL) {
		view_table_line(t, "  %.*s", (int)(nl - error), error);
		error = nl + 1;
	}
	if (*error != '\0')
		view_table_line(t, "  %s", error);
}

static int
cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_dag	*dags;
	struct view_table	 t;
	struct output_json	 j;
	struct cmd_columns	 c;
	struct output_format	 fmt;
	size_t			 n, i;
	int			 ch, rc, json, utc, ids = 0;

	memset(&c, 0, sizeof c);
	while ((ch = cmd_getopt(&cmd_list_entry, argc, argv)) != -1) {
		if (ch == 'i')
			ids = 1;
		else if (!cmd_columns_opt(ch, &c))
			return (cmd_usage(&cmd_list_entry));
	}
	if (optind != argc)
		return (cmd_usage(&cmd_list_entry));
	if ((rc = cmd_columns_format(&cmd_list_entry, &c, &output_dag,
	    CMD_LIST_FORMAT, &fmt)) != -1)
		return (rc);
	json = c.json;
	utc = c.utc;
	if (store_dag_list(ctx->store, &dags, &n) != 0) {
		output_format_free(&fmt);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	if (fmt.ncols > 0 && !ids) {
		view_format_array(stdout, &fmt, dags, sizeof *dags, n, utc);
		output_format_free(&fmt);
		store_dag_free_list(dags, n);
		return (0);
	}
	output_format_free(&fmt);

	if (ids) {
		for (i = 0; i < n; i++)
			printf("%s\n", dags[i].dag_id);
		store_dag_free_list(dags, n);
		return (0);
	}
	output_json_init(&j, stdout);
	if (json)
		output_json_open(&j, NULL, '[');
	view_table_init(&t, 4);
	view_table_head(&t, &output_dag, cmd_list_columns);
	for (i = 0; i < n; i++) {
		if (json) {
			output_json_open(&j, NULL, '{');
			output_json_fields(&j, &output_dag, NULL, &dags[i]);
			output_json_close(&j);
			continue;
		}
		view_table_row(&t, &output_dag, cmd_list_columns, &dags[i],
		    utc);
		if (dags[i].load_error != NULL)
			cmd_list_error(&t, dags[i].load_error);
		if (dags[i].pause_reason != NULL)
			view_table_line(&t, "  paused by the scheduler: %s",
			    dags[i].pause_reason);
	}
	if (json)
		output_json_close(&j);
	else
		view_table_print(stdout, &t, "");
	if (!json && n == 0 && access(ctx->cfg.dags_folder, F_OK) != 0 &&
	    errno == ENOENT)
		fprintf(stderr, "updraft: no DAGs folder '%s' yet: 'updraft "
		    "init' makes one with an example\n", ctx->cfg.dags_folder);
	view_table_free(&t);
	store_dag_free_list(dags, n);
	return (0);
}
