/* List runs: of one DAG or all, filtered by state, date and creator. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "cmd.h"
#include "output.h"
#include "record.h"
#include "state.h"
#include "view.h"
#include "where.h"

static int	cmd_runs_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_runs_opts[] = {
	{ "state", 'S', "S",
	  "only runs in state S: queued, running, success or failed", 0 },
	{ "since", 's', "T",
	  "only runs whose logical date is T or later; T is "
	  "ISO-8601, or a wall time (2026-11-01, 2026-11-01T06:00) "
	  "in the local zone", 0 },
	{ "last", 'n', "N",
	  "only the newest N of those runs (still oldest first); a "
	  "table shows the newest 100 unless --all (JSON lists "
	  "every run)", 0 },
	{ "all", 'a', NULL, "every run, in a table too", 0 },
	{ "mine", 'm', NULL,
	  "only runs created by you (triggers, backfills)", 0 },
	{ "owner", 'O', "U", "only runs created by user U", 0 },
	{ "label", 'l', "L",
	  "only runs labelled L (again: with every such label)", 0 },
	{ "where", 'w', "EXPR",
	  "only runs for which EXPR holds: comparisons < <= > >= = "
	  "!= of params.NAME, metrics.NAME (any task's), "
	  "metrics.TASK.NAME, state, owner, label or logical_date "
	  "with a number or a quoted string, joined by and, or, "
	  "not and parentheses:\n'params.lr < 0.1 and "
	  "metrics.val_loss < 0.3'", 0 },
	{ "order", 'R', "[-]FIELD",
	  "sort by a field of --where (not label), '-' for largest "
	  "first; runs without it come last", 0 },
	{ "utc", 'u', NULL, "times in UTC instead of the local zone (TZ)", 0 },
	{ "json", 'j', NULL,
	  "fields dag_id run_id run_type logical_date "
	  "data_interval_end state owner start_date end_date "
	  "(times ISO-8601 in UTC, null if none), params (an "
	  "object, {} if none), labels (an array, in order), note "
	  "(null if none), version, host (where it was created), "
	  "cleared_by and cleared_at (who last cleared its tasks, "
	  "and when; null if nobody)", 0 },
	CMD_COLUMNS_OPTS,
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "[DAG] [--state] [--since] [--last | --all] [--mine] "
	    "[--owner] [--label]... [--where] [--order] [--utc] "
	    "[--json | -o] [--noheader] [--parsable]",
	.summary = "list the runs of a DAG (or of all), oldest logical date "
	    "first",
	.help = "Without DAG, the runs of every DAG, with a DAG_ID column.\n",
	.opts = cmd_runs_opts,
	.flags = CMD_STORE,
	.exec = cmd_runs_exec,
};

/*
 * The widest run type, "scheduled": a fixed width, so that sizing the
 * columns reads only the index on (dag_id, run_id), not every run.
 */
#define CMD_RUNS_TYPE_WIDTH	9

/* The columns of --noheader and --parsable alone (and dag_id for all). */
#define CMD_RUNS_FORMAT	"run_id,run_type,logical_date,state"

/* How many runs a table shows without --all or --last. */
#define CMD_RUNS_SHOWN		100

struct cmd_runs {
	int			 json;
	int			 utc;
	int			 colour;
	int			 all;	/* every DAG: a DAG_ID column */
	long			 n;
	long			 shown;	/* the table's default limit, or 0 */
	struct store_run_widths	 w;
	struct output_json	 j;
	struct output_format	 fmt;	/* --format's columns, if any */
	struct view_table	 t;	/* their rows */
};

/* The table's heading for a field of a run. */
static const char *
cmd_runs_head(const char *name)
{
	return (output_field(&output_run, name)->head);
}

/* Print s, coloured as a state if colour, then spaces up to width. */
static void
cmd_runs_cell(const char *s, size_t width, const char *colour)
{
	size_t	len;
	int	sgr = colour != NULL && *colour != '\0';

	if (sgr)
		fputs(colour, stdout);
	len = escape_terminal_write(stdout, s, 0);
	if (sgr)
		fputs(VIEW_RESET, stdout);
	for (; len < width; len++)
		putchar(' ');
}

/*
 * Write t as "YYYY-MM-DD HH:MM:SS" (20 bytes with the NUL) in UTC or the
 * local zone: view_time's format, without strftime's cost on 100,000 rows.
 */
static void
cmd_runs_time(char *buf, int64_t t, int utc)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	int		v[5], i, y;

	if (utc || localtime_r(&tt, &tm) == NULL)
		tz_breakdown(NULL, t, &tm);
	y = tm.tm_year + 1900;
	if (y < 0 || y > 9999) {
		view_time(buf, 20, "%Y-%m-%d %H:%M:%S", t, utc);
		return;
	}
	v[0] = tm.tm_mon + 1;
	v[1] = tm.tm_mday;
	v[2] = tm.tm_hour;
	v[3] = tm.tm_min;
	v[4] = tm.tm_sec;
	buf[0] = '0' + y / 1000;
	buf[1] = '0' + y / 100 % 10;
	buf[2] = '0' + y / 10 % 10;
	buf[3] = '0' + y % 10;
	for (i = 0; i < 5; i++) {
		buf[4 + 3 * i] = "-- ::"[i];
		buf[5 + 3 * i] = '0' + v[i] / 10;
		buf[6 + 3 * i] = '0' + v[i] % 10;
	}
	buf[19] = '\0';
}

static int
cmd_runs_print(const struct run *r, void *arg)
{
	struct cmd_runs	*c = arg;
	char		 ld[40];

	c->n++;
	if (c->fmt.ncols > 0) {
		view_format_row(&c->t, &c->fmt, r, c->utc);
		return (0);
	}
	if (c->json) {
		output_json_open(&c->j, NULL, '{');
		output_json_fields(&c->j, &output_run, NULL, r);
		output_json_close(&c->j);
		return (0);
	}
	cmd_runs_time(ld, r->logical_date, c->utc);
	if (c->all) {
		cmd_runs_cell(r->dag_id, c->w.dag_id, NULL);
		fputs("  ", stdout);
	}
	cmd_runs_cell(r->run_id, c->w.run_id, NULL);
	fputs("  ", stdout);
	cmd_runs_cell(r->run_type, CMD_RUNS_TYPE_WIDTH, NULL);
	fputs("  ", stdout);
	cmd_runs_cell(ld, 0, NULL);
	fputs("  ", stdout);
	cmd_runs_cell(r->state, 0, c->colour ? state_colour(r->state) :
	    NULL);
	putchar('\n');
	return (0);
}

static int	cmd_runs_list(struct cmd_ctx *, int, char **,
		    struct where_query *, struct cmd_runs *);

static int
cmd_runs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct where_query	q;
	struct cmd_runs		c;
	int			status;

	memset(&c, 0, sizeof c);
	where_query_init(&q, 6);
	status = cmd_runs_list(ctx, argc, argv, &q, &c);
	where_query_free(&q);
	output_format_free(&c.fmt);
	view_table_free(&c.t);
	return (status);
}

static int
cmd_runs_list(struct cmd_ctx *ctx, int argc, char **argv,
    struct where_query *q, struct cmd_runs *c)
{
	struct store_run_filter	 f;
	struct cmd_columns	 cc;
	char			*end, *cause;
	int			 ch, rc, every = 0;

	memset(&f, 0, sizeof f);
	memset(&cc, 0, sizeof cc);
	f.query = q;
	while ((ch = cmd_getopt(&cmd_runs_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'l':
			where_query_label(q, optarg);
			break;
		case 'R':
			if (where_order_parse(q, optarg, &cause) != 0) {
				rc = cmd_bad_value("--order", NULL, "%s",
				    cause);
				free(cause);
				return (rc);
			}
			break;
		case 'O':
			f.created_by = optarg;
			break;
		case 'w':
			if (where_parse(q, optarg, &cause) != 0) {
				rc = cmd_bad_value("--where", NULL, "%s",
				    cause);
				free(cause);
				return (rc);
			}
			break;
		case 'a':
			every = 1;
			break;
		case 'n':
			f.last = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || f.last < 1)
				return (cmd_bad_value("--last", optarg,
				    "expected a number from 1"));
			break;
		case 'm':
			f.created_by = cmd_user();
			break;
		case 's':
			if (view_parse_since(optarg, &f.since, &cause) != 0) {
				rc = cmd_bad_value("--since", NULL, "%s",
				    cause);
				free(cause);
				return (rc);
			}
			f.has_since = 1;
			break;
		case 'S':
			if (!state_is(optarg, STATE_RUN))
				return (cmd_bad_value("--state", optarg,
				    "expected queued, running, success or "
				    "failed"));
			f.state = optarg;
			break;
		default:
			if (!cmd_columns_opt(ch, &cc))
				return (cmd_usage(&cmd_runs_entry));
		}
	}
	c->json = cc.json;
	c->utc = cc.utc;
	if (argc - optind > 1)
		return (cmd_usage(&cmd_runs_entry));
	c->all = argc - optind == 0;
	if ((rc = cmd_columns_format(&cmd_runs_entry, &cc, &output_run,
	    c->all ? "dag_id," CMD_RUNS_FORMAT : CMD_RUNS_FORMAT,
	    &c->fmt)) != -1)
		return (rc);
	if (argc - optind == 1) {
		f.dag_id = argv[optind];
		if ((rc = cmd_find_dag(ctx, f.dag_id)) != 0)
			return (rc);
	}

	/*
	 * A table shows the newest CMD_RUNS_SHOWN runs unless asked for more
	 * (--all, --last): a person reads a screen, not 100,000 lines.
	 * JSON, for programs, is always complete.
	 */
	if (!c->json && !every && f.last == 0 && q->order == NULL)
		f.last = c->shown = CMD_RUNS_SHOWN;

	/* Write in big blocks: a listing can be 100,000 lines. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 65536);
	f.brief = !c->json && c->fmt.ncols == 0;
	output_json_init(&c->j, stdout);
	if (c->json)
		output_json_open(&c->j, NULL, '[');
	else if (c->fmt.ncols > 0)
		view_format_init(&c->t, &c->fmt);
	else {
		if (store_query_run_widths(ctx->store, &f, &c->w) != 0)
			return (cmd_error("database: %s",
			    store_error(ctx->store)));
		if (c->w.dag_id < strlen(cmd_runs_head("dag_id")))
			c->w.dag_id = strlen(cmd_runs_head("dag_id"));
		if (c->w.run_id < strlen(cmd_runs_head("run_id")))
			c->w.run_id = strlen(cmd_runs_head("run_id"));
		c->colour = view_colour();
		if (c->all) {
			cmd_runs_cell(cmd_runs_head("dag_id"), c->w.dag_id,
			    NULL);
			fputs("  ", stdout);
		}
		cmd_runs_cell(cmd_runs_head("run_id"), c->w.run_id, NULL);
		fputs("  ", stdout);
		cmd_runs_cell(cmd_runs_head("run_type"), CMD_RUNS_TYPE_WIDTH,
		    NULL);
		/* The width of "%Y-%m-%d %H:%M:%S". */
		printf("  %-19s  %s\n", cmd_runs_head("logical_date"),
		    cmd_runs_head("state"));
	}
	rc = store_query_runs(ctx->store, &f, cmd_runs_print, c);
	if (c->json)
		output_json_close(&c->j);
	else if (c->fmt.ncols > 0 && rc == 0)
		view_format_print(stdout, &c->t, &c->fmt);
	if (c->shown > 0 && c->n == c->shown)
		fprintf(stderr, "(the newest %ld runs; --all lists every one)\n",
		    c->shown);
	if (rc != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	return (0);
}
