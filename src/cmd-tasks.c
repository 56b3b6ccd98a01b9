/* List the task instances of one run. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"

static int	cmd_tasks_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_tasks_entry = {
	.name = "tasks",
	.usage = "DAG RUN [--json]",
	.summary = "list the task instances of a run",
	.help = "RUN is a run id, or a logical date that names one run.\n"
	    "JSON fields: task_id state try_number job_id partition "
	    "exit_code reason.\n",
	.flags = CMD_STORE,
	.exec = cmd_tasks_exec,
};

static int
cmd_tasks_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run	 r;
	struct ti	*tis;
	size_t		 n, i;
	int		 json = 0, nargs = 0;
	const char	*args[2];
	char		*cause, job[24], code[16];

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-' || nargs == 2)
			return (cmd_usage(&cmd_tasks_entry));
		else
			args[nargs++] = argv[i];
	}
	if (nargs != 2)
		return (cmd_usage(&cmd_tasks_entry));
	if (store_run_find(ctx->store, args[0], args[1], &r, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return (1);
	}
	if (store_ti_list(ctx->store, r.id, &tis, &n) != 0) {
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}

	if (json)
		printf("[");
	else
		printf("%-20s %-16s %-3s %-8s %-10s %-4s %s\n", "TASK_ID",
		    "STATE", "TRY", "JOB_ID", "PARTITION", "EXIT", "REASON");
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s\n {\"task_id\": ", i ? "," : "");
			output_json_string(stdout, tis[i].task_id);
			printf(", \"state\": ");
			output_json_string(stdout, tis[i].state);
			printf(", \"try_number\": %d, \"job_id\": ",
			    tis[i].try_number);
			if (tis[i].job_id)
				printf("%lld", (long long)tis[i].job_id);
			else
				printf("null");
			printf(", \"partition\": ");
			output_json_string(stdout, tis[i].partition);
			printf(", \"exit_code\": ");
			if (tis[i].has_exit_code)
				printf("%d", tis[i].exit_code);
			else
				printf("null");
			printf(", \"reason\": ");
			output_json_string(stdout, tis[i].reason);
			printf("}");
			continue;
		}
		snprintf(job, sizeof job, "%lld", (long long)tis[i].job_id);
		snprintf(code, sizeof code, "%d", tis[i].exit_code);
		printf("%-20s %-16s %-3d %-8s %-10s %-4s %s\n",
		    tis[i].task_id, tis[i].state, tis[i].try_number,
		    tis[i].job_id ? job : "-",
		    tis[i].partition ? tis[i].partition : "-",
		    tis[i].has_exit_code ? code : "-",
		    tis[i].reason ? tis[i].reason : "");
	}
	if (json)
		printf("%s]\n", n ? "\n" : "");
	store_ti_free_list(tis, n);
	store_run_clear(&r);
	return (0);
}
