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
	.usage = "DAG RUN [--utc] [--json]",
	.summary = "list the task instances of a run",
	.help = "RUN is a run id, or a logical date that names one run.\n"
	    "Start and end times are in the local zone (TZ), or UTC with "
	    "--utc.\n"
	    "JSON fields: task_id state try_number job_id partition "
	    "exit_code reason\nstart_date end_date; times are ISO-8601 in "
	    "UTC.\n",
	.flags = CMD_STORE,
	.exec = cmd_tasks_exec,
};

#define CMD_TASKS_COLUMNS	9

/*
 * Print rows of cells in columns two spaces apart, the STATE column
 * (column 1) coloured if colour, with no spaces at the end of a line.
 */
static void
cmd_tasks_table(char **cells, size_t nrows, int colour)
{
	size_t		 width[CMD_TASKS_COLUMNS] = { 0 }, r, c, end, len;
	const char	*cell, *sgr;

	for (r = 0; r < nrows; r++) {
		for (c = 0; c < CMD_TASKS_COLUMNS; c++) {
			len = strlen(cells[r * CMD_TASKS_COLUMNS + c]);
			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r < nrows; r++) {
		end = CMD_TASKS_COLUMNS;
		while (end > 0 && *cells[r * CMD_TASKS_COLUMNS + end - 1] == '\0')
			end--;
		for (c = 0; c < end; c++) {
			cell = cells[r * CMD_TASKS_COLUMNS + c];
			sgr = c == 1 && r > 0 && colour ?
			    state_colour(cell) : "";
			if (*sgr != '\0')
				printf("%s%s" VIEW_RESET, sgr, cell);
			else
				fputs(cell, stdout);
			if (c + 1 < end) {
				for (len = strlen(cell); len < width[c]; len++)
					putchar(' ');
				fputs("  ", stdout);
			}
		}
		putchar('\n');
	}
}

static char *
cmd_tasks_time(int64_t t, int utc)
{
	char	buf[32];

	if (t == 0)
		return (xstrdup("-"));
	view_time(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", t, utc);
	return (xstrdup(buf));
}

static void
cmd_tasks_json(const struct ti *tis, size_t n)
{
	size_t	i;

	printf("[");
	for (i = 0; i < n; i++) {
		printf("%s\n {\"task_id\": ", i ? "," : "");
		output_json_string(stdout, tis[i].task_id);
		printf(", \"state\": ");
		output_json_string(stdout, tis[i].state);
		printf(", \"try_number\": %d, \"job_id\": ", tis[i].try_number);
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
		printf(", \"start_date\": ");
		output_json_time(stdout, tis[i].start_date);
		printf(", \"end_date\": ");
		output_json_time(stdout, tis[i].end_date);
		printf("}");
	}
	printf("%s]\n", n ? "\n" : "");
}

static void
cmd_tasks_text(const struct ti *tis, size_t n, int utc)
{
	static const char	*head[CMD_TASKS_COLUMNS] = { "TASK_ID",
	    "STATE", "TRY", "JOB_ID", "PARTITION", "EXIT", "STARTED", "ENDED",
	    "REASON" };
	char			**cells, **row;
	size_t			  i, c;

	cells = xcalloc((n + 1) * CMD_TASKS_COLUMNS, sizeof *cells);
	for (c = 0; c < CMD_TASKS_COLUMNS; c++)
		cells[c] = xstrdup(head[c]);
	for (i = 0; i < n; i++) {
		row = &cells[(i + 1) * CMD_TASKS_COLUMNS];
		row[0] = xstrdup(tis[i].task_id);
		row[1] = xstrdup(tis[i].state);
		xasprintf(&row[2], "%d", tis[i].try_number);
		if (tis[i].job_id)
			xasprintf(&row[3], "%lld", (long long)tis[i].job_id);
		else
			row[3] = xstrdup("-");
		row[4] = xstrdup(tis[i].partition ? tis[i].partition : "-");
		if (tis[i].has_exit_code)
			xasprintf(&row[5], "%d", tis[i].exit_code);
		else
			row[5] = xstrdup("-");
		row[6] = cmd_tasks_time(tis[i].start_date, utc);
		row[7] = cmd_tasks_time(tis[i].end_date, utc);
		row[8] = xstrdup(tis[i].reason ? tis[i].reason : "");
	}
	cmd_tasks_table(cells, n + 1, view_colour());
	for (i = 0; i < (n + 1) * CMD_TASKS_COLUMNS; i++)
		free(cells[i]);
	free(cells);
}

static int
cmd_tasks_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run		 r;
	struct ti		*tis;
	size_t			 n;
	int			 json, utc, rc;

	if ((rc = cmd_listing_args(&cmd_tasks_entry, argc, argv, 2, 2, &json,
	    &utc)) != 0)
		return (rc);
	argv += optind;
	if ((rc = cmd_find_run(ctx, argv[0], argv[1], &r)) != 0)
		return (rc);
	if (store_ti_list(ctx->store, r.id, &tis, &n) != 0) {
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	if (json)
		cmd_tasks_json(tis, n);
	else
		cmd_tasks_text(tis, n, utc);
	store_ti_free_list(tis, n);
	store_run_clear(&r);
	return (0);
}
