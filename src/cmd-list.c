/* List the DAGs: paused or not, and those whose file does not load. */

#include <getopt.h>

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
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "[--utc] [--json]",
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

static int
cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_dag	*dags;
	struct view_table	 t;
	struct output_json	 j;
	size_t			 n, i;
	int			 ch, json = 0, ids = 0, utc = 0;

	while ((ch = cmd_getopt(&cmd_list_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'i':
			ids = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'u':
			utc = 1;
			break;
		default:
			return (cmd_usage(&cmd_list_entry));
		}
	}
	if (optind != argc)
		return (cmd_usage(&cmd_list_entry));
	if (store_dag_list(ctx->store, &dags, &n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));

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
			view_table_line(&t, "  %s", dags[i].load_error);
		if (dags[i].pause_reason != NULL)
			view_table_line(&t, "  paused by the scheduler: %s",
			    dags[i].pause_reason);
	}
	if (json)
		output_json_close(&j);
	else
		view_table_print(stdout, &t, "");
	view_table_free(&t);
	store_dag_free_list(dags, n);
	return (0);
}
