/* List the runs of a DAG. */

#include <string.h>

#include "cmd.h"
#include "output.h"

static int	cmd_runs_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "DAG [--json]",
	.summary = "list the runs of a DAG, oldest logical date first",
	.help = "JSON fields: dag_id run_id run_type logical_date "
	    "data_interval_end state;\ntimes are ISO-8601 in UTC.\n",
	.flags = CMD_STORE,
	.exec = cmd_runs_exec,
};

static int
cmd_runs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_dag	 sd;
	struct run		*runs;
	size_t			 n, i;
	int			 json = 0;
	const char		*dag_id = NULL;
	char			 ld[40];

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-' || dag_id != NULL)
			return (cmd_usage(&cmd_runs_entry));
		else
			dag_id = argv[i];
	}
	if (dag_id == NULL)
		return (cmd_usage(&cmd_runs_entry));
	if (store_dag_get(ctx->store, dag_id, &sd) != 1)
		return (cmd_error("cannot find dag '%s'", dag_id));
	store_dag_clear(&sd);
	if (store_run_list(ctx->store, dag_id, NULL, &runs, &n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));

	if (json)
		printf("[");
	else
		printf("%-45s %-10s %-25s %s\n", "RUN_ID", "TYPE",
		    "LOGICAL_DATE", "STATE");
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s\n {\"dag_id\": ", i ? "," : "");
			output_json_string(stdout, runs[i].dag_id);
			printf(", \"run_id\": ");
			output_json_string(stdout, runs[i].run_id);
			printf(", \"run_type\": ");
			output_json_string(stdout, runs[i].run_type);
			printf(", \"logical_date\": ");
			output_json_time(stdout, runs[i].logical_date);
			printf(", \"data_interval_end\": ");
			output_json_time(stdout, runs[i].interval_end);
			printf(", \"state\": ");
			output_json_string(stdout, runs[i].state);
			printf("}");
			continue;
		}
		output_time(ld, sizeof ld, runs[i].logical_date);
		printf("%-45s %-10s %-25s %s\n", runs[i].run_id,
		    runs[i].run_type, ld, runs[i].state);
	}
	if (json)
		printf("%s]\n", n ? "\n" : "");
	store_run_free_list(runs, n);
	return (0);
}
