/* Show when each task of a run waited and ran, as bars on one time axis. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "state.h"
#include "view.h"

static int	cmd_gantt_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_gantt_opts[] = {
	{ "utc", 'u', NULL, "times in UTC instead of the local zone (TZ)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_gantt_entry = {
	.name = "gantt",
	.usage = "DAG RUN [--utc]",
	.summary = "show when each task of a run waited and ran, as a Gantt "
	    "chart",
	.help = "RUN is a run id, or a logical date that names one run. "
	    "Each task gets a bar on\n"
	    "one time axis fitted to the terminal (or $COLUMNS): '-' "
	    "from queued to started\n"
	    "(waiting in Slurm's queue), '#' from started to ended (or "
	    "to now).\n",
	.opts = cmd_gantt_opts,
	.flags = CMD_DAGS,
	.exec = cmd_gantt_exec,
};

/* Seconds per column to choose from: the first that fits the run. */
static const int64_t cmd_gantt_scales[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
	10800, 21600, 43200, 86400
};

/* One row: a task instance's times, cut to what it has reached. */
struct cmd_gantt_row {
	const struct ti	*ti;
	int64_t		 wait_from;	/* 0: never queued */
	int64_t		 wait_to;
	int64_t		 run_from;	/* 0: never started */
	int64_t		 run_to;
};

static void
cmd_gantt_times(struct cmd_gantt_row *row, const struct ti *ti, int64_t now)
{
	int	active = state_is_active(ti->state);

	memset(row, 0, sizeof *row);
	row->ti = ti;
	if (ti->start_date != 0) {
		row->run_from = ti->start_date;
		if (ti->end_date >= ti->start_date)
			row->run_to = ti->end_date;
		else
			row->run_to = active ? now : ti->start_date;
		if (row->run_to < row->run_from)
			row->run_to = row->run_from;
	}
	if (ti->queued_at != 0) {
		row->wait_from = ti->queued_at;
		if (ti->start_date != 0)
			row->wait_to = ti->start_date;
		else if (active)
			row->wait_to = now;
		else if (ti->end_date != 0)
			row->wait_to = ti->end_date;
		else
			row->wait_to = ti->queued_at;
		if (row->wait_to < row->wait_from)
			row->wait_to = row->wait_from;
	}
}

/* Put the rows in graph order, then tasks no longer in the DAG file. */
static struct cmd_gantt_row *
cmd_gantt_rows(const struct dag *dag, const struct ti *tis, size_t n,
    int64_t now)
{
	struct cmd_gantt_row	*rows;
	size_t			*order, i, j, k = 0;
	char			*placed;

	rows = xcalloc(n + 1, sizeof *rows);
	placed = xcalloc(n + 1, 1);
	if (dag != NULL) {
		order = dag_task_order(dag, NULL);
		for (i = 0; i < dag->ntasks; i++) {
			for (j = 0; j < n; j++) {
				if (placed[j] || strcmp(tis[j].task_id,
				    dag->tasks[order[i]].id) != 0)
					continue;
				cmd_gantt_times(&rows[k++], &tis[j], now);
				placed[j] = 1;
			}
		}
		free(order);
	}
	for (j = 0; j < n; j++) {
		if (!placed[j])
			cmd_gantt_times(&rows[k++], &tis[j], now);
	}
	free(placed);
	return (rows);
}

/* Fill cols[from, to) of the bar with ch, for the instants [t1, t2). */
static void
cmd_gantt_fill(char *bar, int ncols, int64_t t0, int64_t scale, int64_t t1,
    int64_t t2, char ch)
{
	int64_t	a, b;

	a = (t1 - t0) / scale;
	b = (t2 - t0) / scale;
	if (b <= a)
		b = a + 1;
	for (; a < b && a < ncols; a++) {
		if (a >= 0)
			bar[a] = ch;
	}
}

/* Print the bar, a run of the same character at a time, coloured. */
static void
cmd_gantt_print_bar(const char *bar, int ncols, const char *state,
    int colour)
{
	int	i, end = ncols;

	while (end > 0 && bar[end - 1] == ' ')
		end--;
	for (i = 0; i < end; i++) {
		if (colour && bar[i] == '#' && (i == 0 || bar[i - 1] != '#'))
			fputs(state_colour(state), stdout);
		else if (colour && bar[i] == '-' &&
		    (i == 0 || bar[i - 1] != '-'))
			fputs("\033[90m", stdout);
		putchar(bar[i]);
		if (colour && bar[i] != ' ' &&
		    (i + 1 == end || bar[i + 1] != bar[i]))
			fputs(VIEW_RESET, stdout);
	}
}

static void
cmd_gantt_print(const struct run *r, struct cmd_gantt_row *rows, size_t n,
    int utc)
{
	struct cmd_gantt_row	*row;
	int64_t			 tmin = 0, tmax = 0, scale, t0;
	size_t			 i, k;
	int			 width, labelw, ncols, avail, colour, len;
	char			*bar, wait[16], run[16], a[32], b[32], step[16];
	const char		*fmt;

	for (i = 0; i < n; i++) {
		row = &rows[i];
		if (row->wait_from != 0 && (tmin == 0 || row->wait_from < tmin))
			tmin = row->wait_from;
		if (row->run_from != 0 && (tmin == 0 || row->run_from < tmin))
			tmin = row->run_from;
		if (row->wait_to > tmax)
			tmax = row->wait_to;
		if (row->run_to > tmax)
			tmax = row->run_to;
	}

	printf("%s %s: %s\n", r->dag_id, r->run_id, r->state);
	if (tmin == 0) {
		printf("no task of this run has been queued yet\n");
		return;
	}

	width = view_columns();
	colour = view_colour();
	labelw = (int)strlen("TASK");
	for (i = 0; i < n; i++) {
		len = (int)strlen(rows[i].ti->task_id);
		if (len > labelw)
			labelw = len;
	}
	if (labelw > 40)
		labelw = 40;
	/* TASK STATE(15) WAIT(7) RUN(7), a space after each. */
	avail = width - (labelw + 1 + 16 + 8 + 8);
	if (avail < 10)
		avail = 10;

	for (k = 0; k < sizeof cmd_gantt_scales / sizeof cmd_gantt_scales[0];
	    k++) {
		scale = cmd_gantt_scales[k];
		t0 = tmin - ((tmin % scale) + scale) % scale;
		if ((tmax - t0) / scale < avail)
			break;
	}
	if (k == sizeof cmd_gantt_scales / sizeof cmd_gantt_scales[0]) {
		/* Whole days, the axis starting at a UTC midnight. */
		t0 = tmin - ((tmin % 86400) + 86400) % 86400;
		scale = ((tmax - t0) / (avail - 1) / 86400 + 1) * 86400;
	}
	ncols = (int)((tmax - t0) / scale) + 1;
	if (ncols > avail)
		ncols = avail;

	fmt = "%Y-%m-%d %H:%M:%S";
	view_time(a, sizeof a, fmt, t0, utc);
	view_time(b, sizeof b, fmt, t0 + (int64_t)ncols * scale, utc);
	view_duration(step, sizeof step, scale);
	printf("axis %s to %s (%s), one column = %s\n", a, b,
	    view_zone_name(utc), step);

	/* The axis: its start at the left, its end at the right. */
	view_time(a, sizeof a, "%Y%m%d", t0, utc);
	view_time(b, sizeof b, "%Y%m%d", t0 + (int64_t)ncols * scale, utc);
	if (strcmp(a, b) == 0)
		fmt = scale < 60 ? "%H:%M:%S" : "%H:%M";
	else
		fmt = scale < 60 ? "%m-%d %H:%M:%S" : "%m-%d %H:%M";
	view_time(a, sizeof a, fmt, t0, utc);
	view_time(b, sizeof b, fmt, t0 + (int64_t)ncols * scale, utc);
	printf("%-*s %-15s %-7s %-7s ", labelw, "TASK", "STATE", "WAIT",
	    "RUN");
	len = (int)strlen(a);
	if (len + 1 + (int)strlen(b) <= ncols)
		printf("%s%*s\n", a, ncols - len, b);
	else
		printf("%s\n", a);

	bar = xmalloc(ncols + 1);
	for (i = 0; i < n; i++) {
		row = &rows[i];
		strcpy(wait, "-");
		strcpy(run, "-");
		if (row->wait_from != 0)
			view_duration(wait, sizeof wait,
			    row->wait_to - row->wait_from);
		if (row->run_from != 0)
			view_duration(run, sizeof run,
			    row->run_to - row->run_from);
		printf("%-*.*s %-15s %-7s %-7s ", labelw, labelw,
		    row->ti->task_id, row->ti->state, wait, run);
		if (row->wait_from == 0 && row->run_from == 0) {
			printf("(not started)\n");
			continue;
		}
		memset(bar, ' ', ncols);
		if (row->wait_from != 0 && row->wait_to > row->wait_from)
			cmd_gantt_fill(bar, ncols, t0, scale, row->wait_from,
			    row->wait_to, '-');
		if (row->run_from != 0)
			cmd_gantt_fill(bar, ncols, t0, scale, row->run_from,
			    row->run_to, '#');
		cmd_gantt_print_bar(bar, ncols, row->ti->state, colour);
		if (row->run_from == 0)
			printf(" (not started)");
		printf("\n");
	}
	free(bar);
	printf("\n- waiting in the queue  # running\n");
}

static int
cmd_gantt_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run		 r;
	struct ti		*tis;
	struct cmd_gantt_row	*rows;
	size_t			 n;
	int			 ch, utc = 0, rc;

	while ((ch = cmd_getopt(&cmd_gantt_entry, argc, argv)) != -1) {
		if (ch != 'u')
			return (cmd_usage(&cmd_gantt_entry));
		utc = 1;
	}
	if (argc - optind != 2)
		return (cmd_usage(&cmd_gantt_entry));
	argv += optind;
	if ((rc = cmd_find_run(ctx, argv[0], argv[1], &r)) != 0)
		return (rc);
	if (store_ti_list(ctx->store, r.id, &tis, &n) != 0) {
		store_run_clear(&r);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	rows = cmd_gantt_rows(dagbag_find(&ctx->bag, argv[0]), tis, n,
	    time(NULL));
	cmd_gantt_print(&r, rows, n, utc);
	free(rows);
	store_ti_free_list(tis, n);
	store_run_clear(&r);
	return (0);
}
