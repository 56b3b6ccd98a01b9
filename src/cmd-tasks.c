/* List the task instances of one run. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "state.h"
#include "view.h"

static int	cmd_tasks_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_tasks_entry = {
	.name = "tasks",
	.usage = "DAG RUN [--utc] [--json | -o] [--noheader] "
	    "[--parsable]",
	.summary = "list the task instances of a run",
	.help = "RUN is a run id, or a logical date that names one run.\n"
	    "Start and end times are in the local zone (TZ), or UTC with "
	    "--utc.\n"
	    "JSON fields: task_id state try_number job_id slurm_job partition "
	    "exit_code\nreason start_date end_date; times are ISO-8601 in "
	    "UTC. job_id is the id of the job\nthat ran (an array element's "
	    "own, once it started); slurm_job is the job as\nSlurm's tools "
	    "take it (ARRAYID_INDEX for an element, such as 7627_0).\n",
	.opts = cmd_columns_opts,
	.flags = CMD_STORE,
	.exec = cmd_tasks_exec,
};

/* The table's columns: the fields of a task instance, in this order. */
static const char *const cmd_tasks_columns[] = {
	"task_id", "state", "try_number", "slurm_job", "partition", "exit_code",
	"start_date", "end_date", "reason"
};
#define CMD_TASKS_COLUMNS \
	(sizeof cmd_tasks_columns / sizeof cmd_tasks_columns[0])

static void
cmd_tasks_json(const struct ti *tis, size_t n)
{
	struct output_json	j;
	size_t			i;

	output_json_init(&j, stdout);
	output_json_open(&j, NULL, '[');
	for (i = 0; i < n; i++) {
		output_json_open(&j, NULL, '{');
		output_json_fields(&j, &output_ti, NULL, &tis[i]);
		output_json_close(&j);
	}
	output_json_close(&j);
}

static void
cmd_tasks_text(const struct ti *tis, size_t n, int utc)
{
	struct view_table	t;
	size_t			i;

	view_table_init(&t, CMD_TASKS_COLUMNS);
	if (view_colour())
		view_table_colour(&t, 1, state_colour);
	view_table_head(&t, &output_ti, cmd_tasks_columns);
	for (i = 0; i < n; i++)
		view_table_row(&t, &output_ti, cmd_tasks_columns, &tis[i],
		    utc);
	view_table_print(stdout, &t, "");
	view_table_free(&t);
}

/* The columns of --noheader and --parsable without --format. */
#define CMD_TASKS_FORMAT \
	"task_id,state,try_number,slurm_job,partition,exit_code,start_date," \
	"end_date,reason"

static int
cmd_tasks_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run		 r;
	struct ti		*tis;
	struct cmd_columns	 c;
	struct output_format	 fmt;
	size_t			 n;
	int			 rc;

	if ((rc = cmd_columns_args(&cmd_tasks_entry, argc, argv, 2, 2,
	    &c)) != 0)
		return (rc);
	if ((rc = cmd_columns_format(&cmd_tasks_entry, &c, &output_ti,
	    CMD_TASKS_FORMAT, &fmt)) != -1)
		return (rc);
	argv += optind;
	if ((rc = cmd_find_run(ctx, argv[0], argv[1], &r)) != 0) {
		output_format_free(&fmt);
		return (rc);
	}
	if (store_ti_list(ctx->store, r.id, &tis, &n) != 0) {
		store_run_clear(&r);
		output_format_free(&fmt);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	if (fmt.ncols > 0) {
		view_format_array(stdout, &fmt, tis, sizeof *tis, n, c.utc);
		output_format_free(&fmt);
	} else if (c.json)
		cmd_tasks_json(tis, n);
	else
		cmd_tasks_text(tis, n, c.utc);
	store_ti_free_list(tis, n);
	store_run_clear(&r);
	return (0);
}
