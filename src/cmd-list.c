/* List the DAGs: paused or not, and those whose file does not load. */

#include <string.h>

#include "cmd.h"
#include "output.h"

static int	cmd_list_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "[--json]",
	.summary = "list DAGs, paused or active, and load errors",
	.flags = CMD_DAGS,
	.exec = cmd_list_exec,
};

static int
cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_dag	*dags;
	size_t			 n, i;
	int			 json = 0;
	const char		*state;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc != 1)
		return (cmd_usage(&cmd_list_entry));
	if (store_dag_list(ctx->store, &dags, &n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));

	if (json)
		printf("[");
	else
		printf("%-24s %-8s %s\n", "DAG_ID", "STATE", "FILE");
	for (i = 0; i < n; i++) {
		if (dags[i].load_error != NULL)
			state = "broken";
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
			printf("}");
			continue;
		}
		printf("%-24s %-8s %s\n", dags[i].dag_id, state,
		    dags[i].path);
		if (dags[i].load_error != NULL)
			printf("  %s\n", dags[i].load_error);
	}
	if (json)
		printf("%s]\n", n ? "\n" : "");
	store_dag_free_list(dags, n);
	return (0);
}
