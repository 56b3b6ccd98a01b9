/* List the DAGs: paused or not, and those whose file does not load. */

#include <getopt.h>
#include <string.h>

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
	  "load_error next_dagrun (ISO-8601 in UTC)", 0 },
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

static int
cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_dag	*dags;
	struct view_table	 t;
	size_t			 n, i;
	int			 ch, json = 0, ids = 0, utc = 0;
	const char		*state;
	char			 next[32];

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
	if (json)
		printf("[");
	view_table_init(&t, 4);
	view_table_add(&t, "DAG_ID", "STATE", "NEXT_RUN", "FILE");
	for (i = 0; i < n; i++) {
		if (dags[i].load_error != NULL)
			state = strncmp(dags[i].load_error, "missing: ", 9) == 0 ?
			    "missing" : "broken";
		else
			state = dags[i].paused ? "paused" : "active";
		if (json) {
			printf("%s\n {\"dag_id\": ", i ? "," : "");
			output_json_string(stdout, dags[i].dag_id);
			printf(", \"paused\": %s, \"state\": \"%s\", "
			    "\"path\": ", dags[i].paused ? "true" : "false",
			    state);
			output_json_string(stdout, dags[i].path);
			printf(", \"version\": ");
			output_json_string(stdout, dags[i].version);
			printf(", \"load_error\": ");
			output_json_string(stdout, dags[i].load_error);
			printf(", \"next_dagrun\": ");
			output_json_time(stdout, dags[i].has_next ?
			    dags[i].next_dagrun : 0);
			printf("}");
			continue;
		}
		if (dags[i].has_next)
			view_time(next, sizeof next, "%Y-%m-%d %H:%M:%S",
			    dags[i].next_dagrun, utc);
		else
			snprintf(next, sizeof next, "-");
		view_table_add(&t, dags[i].dag_id, state, next, dags[i].path);
		if (dags[i].load_error != NULL)
			view_table_line(&t, "  %s", dags[i].load_error);
	}
	if (json)
		printf("%s]\n", n ? "\n" : "");
	else
		view_table_print(stdout, &t, "");
	view_table_free(&t);
	store_dag_free_list(dags, n);
	return (0);
}
