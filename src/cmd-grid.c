/* Show a DAG's recent runs as a grid: runs across, tasks down. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "state.h"
#include "view.h"

static int	cmd_grid_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_grid_opts[] = {
	{ "last", 'n', "N", "at most N runs", 0 },
	{ "utc", 'u', NULL, "times in UTC instead of the local zone (TZ)", 0 },
	{ "json", 'j', NULL,
	  "one row per task, {task_id, cells: [{run_id, "
	  "logical_date, state}]}, cells oldest run first, state "
	  "null where the run has no such task; every run unless "
	  "--last", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_grid_entry = {
	.name = "grid",
	.usage = "DAG [--last] [--utc] [--json]",
	.summary = "show the latest runs of a DAG as a grid of task states",
	.help = "Runs are columns, newest at the right: as many as fit the "
	    "terminal (or\n"
	    "$COLUMNS). Tasks are rows in graph order; tasks no longer "
	    "in the DAG file come\n"
	    "last. The header gives each run's logical date. Letters: "
	    "S success, F failed, R\n"
	    "running, Q queued, q scheduled, r up_for_retry, U "
	    "upstream_failed, . none\n"
	    "(waiting), blank: no task instance.\n",
	.opts = cmd_grid_opts,
	.flags = CMD_DAGS,
	.exec = cmd_grid_exec,
};

/* The grid: runs (columns) and rows of task ids, with a state per cell. */
struct cmd_grid {
	struct run	 *runs;
	size_t		  nruns;
	struct ti	 *tis;
	size_t		  ntis;
	const char	**rows;
	size_t		  nrows;
	size_t		  ndag;		/* rows[0..ndag) are the DAG's tasks */
	const char	**cells;	/* [row * nruns + run]; NULL: none */
};

static size_t
cmd_grid_row(struct cmd_grid *g, const char *task_id)
{
	size_t	i;

	for (i = 0; i < g->nrows; i++) {
		if (strcmp(g->rows[i], task_id) == 0)
			return (i);
	}
	g->rows = xreallocarray(g->rows, g->nrows + 1, sizeof *g->rows);
	g->rows[g->nrows] = task_id;
	return (g->nrows++);
}

/* Lay the task instances out: the DAG's tasks first, then any others. */
static void
cmd_grid_build(struct cmd_grid *g, const struct dag *dag)
{
	size_t	*order, i, c = 0, row;

	if (dag != NULL) {
		order = dag_task_order(dag, NULL);
		for (i = 0; i < dag->ntasks; i++)
			cmd_grid_row(g, dag->tasks[order[i]].id);
		free(order);
	}
	g->ndag = g->nrows;
	for (i = 0; i < g->ntis; i++)
		cmd_grid_row(g, g->tis[i].task_id);

	g->cells = xcalloc(g->nrows * g->nruns + 1, sizeof *g->cells);
	for (i = 0; i < g->ntis; i++) {
		/* Both lists are in logical date order. */
		while (c < g->nruns && g->runs[c].id != g->tis[i].run)
			c++;
		if (c == g->nruns)
			break;
		row = cmd_grid_row(g, g->tis[i].task_id);
		g->cells[row * g->nruns + c] = g->tis[i].state;
	}
}

/* 1 if row has a task instance in a run from first on. */
static int
cmd_grid_used(const struct cmd_grid *g, size_t row, size_t first)
{
	size_t	c;

	if (row < g->ndag)
		return (1);
	for (c = first; c < g->nruns; c++) {
		if (g->cells[row * g->nruns + c] != NULL)
			return (1);
	}
	return (0);
}

static void
cmd_grid_json(const struct cmd_grid *g)
{
	struct output_json	j;
	size_t			r, c;

	output_json_init(&j, stdout);
	output_json_open(&j, NULL, '[');
	for (r = 0; r < g->nrows; r++) {
		output_json_open(&j, NULL, '{');
		output_json_str(&j, "task_id", g->rows[r]);
		output_json_open(&j, "cells", '[');
		for (c = 0; c < g->nruns; c++) {
			output_json_open(&j, NULL, '{');
			output_json_str(&j, "run_id", g->runs[c].run_id);
			output_json_at(&j, "logical_date",
			    g->runs[c].logical_date);
			output_json_str(&j, "state", g->cells[r * g->nruns + c]);
			output_json_close(&j);
		}
		output_json_close(&j);
		output_json_close(&j);
	}
	output_json_close(&j);
}

/*
 * The date header, one line per field (month, day, then hour and minute
 * for runs that do not start at midnight), two digits per column. The
 * last line prints every column; those above only where they change.
 */
static void
cmd_grid_header(const struct cmd_grid *g, size_t first, int labelw,
    int utc)
{
	static const char	*labels[] = { "month", "day", "hour", "minute" };
	char			 buf[16], prev[16];
	size_t			 c;
	int			 f, last = 1, spaces;

	for (c = first; c < g->nruns; c++) {
		view_time(buf, sizeof buf, "%H%M", g->runs[c].logical_date,
		    utc);
		if (strcmp(buf, "0000") != 0 && last < 2)
			last = 2;
		if (strcmp(buf + 2, "00") != 0)
			last = 3;
	}
	for (f = 0; f <= last; f++) {
		printf("%-*.*s", labelw, labelw, labels[f]);
		*prev = '\0';
		spaces = 0;
		for (c = first; c < g->nruns; c++) {
			view_time(buf, sizeof buf, "%m%d%H%M",
			    g->runs[c].logical_date, utc);
			/* The fields down to this one, to see a change. */
			buf[2 * (f + 1)] = '\0';
			if (f == last || strcmp(buf, prev) != 0) {
				printf("%*s %s", spaces, "", buf + 2 * f);
				spaces = 0;
			} else
				spaces += 3;
			memcpy(prev, buf, sizeof prev);
		}
		printf("\n");
	}
}

/* Print a row of cells, the letters coloured, with no blanks at the end. */
static void
cmd_grid_cells(const char *const *states, size_t n, int colour)
{
	const char	*state;
	size_t		 c, end = n;

	while (end > 0 && states[end - 1] == NULL)
		end--;
	for (c = 0; c < end; c++) {
		state = states[c];
		if (colour && state != NULL && *state_colour(state) != '\0')
			printf("  %s%c" VIEW_RESET, state_colour(state),
			    state_symbol(state));
		else
			printf("  %c", state_symbol(state));
	}
	printf("\n");
}

static void
cmd_grid_text(const struct cmd_grid *g, const char *dag_id, int total,
    int utc)
{
	size_t		 r, c, first, fit;
	int		 width, labelw, colour, len;
	char		 from[32], to[32];
	const char	*fmt, **states;

	width = view_columns();
	colour = view_colour();
	labelw = (int)strlen("run state");
	for (r = 0; r < g->nrows; r++) {
		len = (int)strlen(g->rows[r]);
		if (len > labelw)
			labelw = len;
	}
	if (labelw > width / 2)
		labelw = width / 2;
	fit = width - labelw >= 3 ? (size_t)(width - labelw) / 3 : 1;
	first = g->nruns > fit ? g->nruns - fit : 0;

	fmt = "%Y-%m-%d %H:%M";
	view_time(from, sizeof from, fmt, g->runs[first].logical_date, utc);
	view_time(to, sizeof to, fmt, g->runs[g->nruns - 1].logical_date,
	    utc);
	if (g->nruns - first == (size_t)total)
		printf("%s: %d run%s", dag_id, total, total == 1 ? "" : "s");
	else
		printf("%s: the newest %zu of %d runs", dag_id,
		    g->nruns - first, total);
	printf(", logical dates %s to %s (%s)\n", from, to,
	    view_zone_name(utc));

	cmd_grid_header(g, first, labelw, utc);
	states = xcalloc(g->nruns - first, sizeof *states);
	for (c = first; c < g->nruns; c++)
		states[c - first] = g->runs[c].state;
	printf("%-*.*s", labelw, labelw, "run state");
	cmd_grid_cells(states, g->nruns - first, colour);
	free(states);
	for (r = 0; r < g->nrows; r++) {
		if (!cmd_grid_used(g, r, first))
			continue;
		printf("%-*.*s", labelw, labelw, g->rows[r]);
		cmd_grid_cells(&g->cells[r * g->nruns + first],
		    g->nruns - first, colour);
	}
	printf("\n");
	view_legend(stdout, width, colour);
}

static int
cmd_grid_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_grid		 g;
	struct store_dag	 sd;
	const char		*dag_id;
	char			*end;
	long			 last = 0, limit;
	int			 ch, json = 0, utc = 0, total, rc;

	while ((ch = cmd_getopt(&cmd_grid_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'n':
			last = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || last < 1 ||
			    last > 100000)
				return (cmd_bad_value("--last", optarg,
				    "expected a number from 1 to 100000"));
			break;
		case 'u':
			utc = 1;
			break;
		default:
			return (cmd_usage(&cmd_grid_entry));
		}
	}
	if (argc - optind != 1)
		return (cmd_usage(&cmd_grid_entry));
	dag_id = argv[optind];
	if ((rc = store_dag_get(ctx->store, dag_id, &sd)) != 1) {
		if (rc == -1)
			return (cmd_error("database: %s",
			    store_error(ctx->store)));
		return (cmd_no_dag(ctx, dag_id));
	}
	store_dag_clear(&sd);

	/* No more runs than could fit, however short the task ids. */
	limit = json ? -1 : view_columns() / 3;
	if (last != 0 && (limit < 0 || last < limit))
		limit = last;
	memset(&g, 0, sizeof g);
	if (store_view_grid(ctx->store, dag_id, (int)limit, &total, &g.runs,
	    &g.nruns, &g.tis, &g.ntis) != 0) {
		rc = cmd_error("database: %s", store_error(ctx->store));
		goto out;
	}
	cmd_grid_build(&g, dagbag_find(&ctx->bag, dag_id));
	if (json)
		cmd_grid_json(&g);
	else if (g.nruns == 0)
		printf("%s: no runs yet\n", dag_id);
	else
		cmd_grid_text(&g, dag_id, total, utc);
	rc = 0;

out:
	free(g.cells);
	free(g.rows);
	store_ti_free_list(g.tis, g.ntis);
	store_run_free_list(g.runs, g.nruns);
	return (rc);
}
