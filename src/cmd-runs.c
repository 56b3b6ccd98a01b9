/* List runs: of one DAG or all, filtered by state, date and creator. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "record.h"
#include "view.h"

static int	cmd_runs_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "[DAG] [--state S] [--since T] [--last N | --all] [--mine] "
	    "[--owner U] [--label L]... [--where EXPR] [--order [-]FIELD] "
	    "[--utc] [--json]",
	.summary = "list the runs of a DAG (or of all), oldest logical date "
	    "first",
	.help = "Without DAG, the runs of every DAG, with a DAG_ID column.\n"
	    "  --state S  only runs in state S: queued, running, success or "
	    "failed\n"
	    "  --since T  only runs whose logical date is T or later; T is "
	    "ISO-8601, or a\n"
	    "             wall time (2026-11-01, 2026-11-01T06:00) in the "
	    "local zone\n"
	    "  --last N   only the newest N of those runs (still oldest "
	    "first); a table\n"
	    "             shows the newest 100 unless --all (JSON lists every "
	    "run)\n"
	    "  --mine     only runs created by you (triggers, backfills)\n"
	    "  --owner U  only runs created by user U\n"
	    "  --label L  only runs labelled L (again: with every such label)\n"
	    "  --where EXPR\n"
	    "             only runs for which EXPR holds: comparisons < <= > "
	    ">= = != of\n"
	    "             params.NAME, metrics.NAME (any task's), "
	    "metrics.TASK.NAME, state,\n"
	    "             owner, label or logical_date with a number or a "
	    "quoted string,\n"
	    "             joined by and, or, not and parentheses:\n"
	    "             'params.lr < 0.1 and metrics.val_loss < 0.3'\n"
	    "  --order [-]FIELD\n"
	    "             sort by a field of --where (not label), '-' for "
	    "largest first;\n"
	    "             runs without it come last\n"
	    "  --utc      times in UTC instead of the local zone (TZ)\n"
	    "JSON fields: dag_id run_id run_type logical_date "
	    "data_interval_end state\ncreated_by start_date end_date (times "
	    "ISO-8601 in UTC, null if none), params\n(an object, {} if none), "
	    "labels (an array, in order), note (null if none), version,\n"
	    "host (where it was created), cleared_by and cleared_at (who "
	    "last cleared\nits tasks, and when; null if nobody).\n",
	.flags = CMD_STORE,
	.exec = cmd_runs_exec,
};

/*
 * The widest run type, "scheduled": a fixed width, so that sizing the
 * columns reads only the index on (dag_id, run_id), not every run.
 */
#define CMD_RUNS_TYPE_WIDTH	9

/* How many runs a table shows without --all or --last. */
#define CMD_RUNS_SHOWN		100

static const char *cmd_runs_states[] = {
	"queued", "running", "success", "failed", NULL
};

struct cmd_runs {
	int			 json;
	int			 utc;
	int			 colour;
	int			 all;	/* every DAG: a DAG_ID column */
	long			 n;
	long			 shown;	/* the table's default limit, or 0 */
	struct store_run_widths	 w;
};

/* Print s, coloured as a state if colour, then spaces up to width. */
static void
cmd_runs_cell(const char *s, size_t width, const char *colour)
{
	size_t	len = strlen(s);

	if (colour != NULL && *colour != '\0')
		printf("%s%s" VIEW_RESET, colour, s);
	else
		fputs(s, stdout);
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
	const char	*l;
	char		 ld[40];

	if (c->json) {
		printf("%s\n {\"dag_id\": ", c->n++ ? "," : "");
		output_json_string(stdout, r->dag_id);
		printf(", \"run_id\": ");
		output_json_string(stdout, r->run_id);
		printf(", \"run_type\": ");
		output_json_string(stdout, r->run_type);
		printf(", \"logical_date\": ");
		output_json_time(stdout, r->logical_date);
		printf(", \"data_interval_end\": ");
		output_json_time(stdout, r->interval_end);
		printf(", \"state\": ");
		output_json_string(stdout, r->state);
		printf(", \"created_by\": ");
		output_json_string(stdout, r->created_by);
		printf(", \"start_date\": ");
		output_json_time(stdout, r->start_date);
		printf(", \"end_date\": ");
		output_json_time(stdout, r->end_date);
		/* The params column holds the JSON object record.c wrote. */
		printf(", \"params\": %s, \"labels\": [",
		    r->params != NULL ? r->params : "{}");
		for (l = r->labels; l != NULL && *l != '\0';
		    l += strlen(l) + 1) {
			if (l != r->labels)
				fputs(", ", stdout);
			output_json_string(stdout, l);
		}
		printf("], \"note\": ");
		output_json_string(stdout, r->note);
		printf(", \"version\": ");
		output_json_string(stdout, r->version);
		printf(", \"host\": ");
		output_json_string(stdout, r->host);
		printf(", \"cleared_by\": ");
		output_json_string(stdout, r->cleared_by);
		printf(", \"cleared_at\": ");
		output_json_time(stdout, r->cleared_at);
		printf("}");
		return (0);
	}
	c->n++;
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
	cmd_runs_cell(r->state, 0, c->colour ? view_state_colour(r->state) :
	    NULL);
	putchar('\n');
	return (0);
}

/*
 * Parse --since: ISO-8601 with an offset or Z is that instant; a wall time
 * without one is in the local zone (TZ), as the table prints by default.
 * 0, or -1 with a cause.
 */
int
cmd_runs_since(const char *text, int64_t *t, char **cause)
{
	struct tm	 tm;
	time_t		 local;

	if (tz_parse_time(text, NULL, t, cause) != 0)
		return (-1);
	if (strlen(text) > 10 && strpbrk(text + 10, "Z+-") != NULL)
		return (0);
	tz_breakdown(NULL, *t, &tm);
	tm.tm_isdst = -1;
	if ((local = mktime(&tm)) == (time_t)-1) {
		xasprintf(cause, "bad time '%s'", text);
		return (-1);
	}
	*t = (int64_t)local;
	return (0);
}

static int	cmd_runs_list(struct cmd_ctx *, int, char **,
		    struct record_query *);

static int
cmd_runs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct record_query	q;
	int			status;

	record_query_init(&q, 6);
	status = cmd_runs_list(ctx, argc, argv, &q);
	record_query_free(&q);
	return (status);
}

static int
cmd_runs_list(struct cmd_ctx *ctx, int argc, char **argv,
    struct record_query *q)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "last", required_argument, NULL, 'n' },
		{ "mine", no_argument, NULL, 'm' },
		{ "label", required_argument, NULL, 'l' },
		{ "order", required_argument, NULL, 'o' },
		{ "owner", required_argument, NULL, 'O' },
		{ "where", required_argument, NULL, 'w' },
		{ "since", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "utc", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_run_filter	 f;
	struct cmd_runs		 c;
	size_t			 i;
	char			*end, *cause;
	int			 ch, rc, every = 0;

	memset(&f, 0, sizeof f);
	memset(&c, 0, sizeof c);
	f.query = q;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			record_query_label(q, optarg);
			break;
		case 'o':
			if (record_order_parse(q, optarg, &cause) != 0) {
				cmd_error("--order: %s", cause);
				free(cause);
				return (2);
			}
			break;
		case 'O':
			f.created_by = optarg;
			break;
		case 'w':
			if (record_where_parse(q, optarg, &cause) != 0) {
				cmd_error("--where: %s", cause);
				free(cause);
				return (2);
			}
			break;
		case 'a':
			every = 1;
			break;
		case 'j':
			c.json = 1;
			break;
		case 'n':
			f.last = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || f.last < 1) {
				cmd_error("bad number of runs '%s'", optarg);
				return (2);
			}
			break;
		case 'm':
			f.created_by = cmd_user();
			break;
		case 's':
			if (cmd_runs_since(optarg, &f.since, &cause) != 0) {
				cmd_error("bad --since: %s", cause);
				free(cause);
				return (2);
			}
			f.has_since = 1;
			break;
		case 'S':
			for (i = 0; cmd_runs_states[i] != NULL; i++) {
				if (strcmp(cmd_runs_states[i], optarg) == 0)
					break;
			}
			if (cmd_runs_states[i] == NULL) {
				cmd_error("bad run state '%s' (queued, running, "
				    "success or failed)", optarg);
				return (2);
			}
			f.state = optarg;
			break;
		case 'u':
			c.utc = 1;
			break;
		default:
			return (cmd_usage(&cmd_runs_entry));
		}
	}
	if (argc - optind > 1)
		return (cmd_usage(&cmd_runs_entry));
	if (argc - optind == 1) {
		f.dag_id = argv[optind];
		if ((rc = cmd_find_dag(ctx, f.dag_id)) != 0)
			return (rc);
	} else
		c.all = 1;

	/*
	 * A table shows the newest CMD_RUNS_SHOWN runs unless asked for more
	 * (--all, --last): a person reads a screen, not 100,000 lines.
	 * JSON, for programs, is always complete.
	 */
	if (!c.json && !every && f.last == 0 && q->order == NULL)
		f.last = c.shown = CMD_RUNS_SHOWN;

	/* Write in big blocks: a listing can be 100,000 lines. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 65536);
	f.brief = !c.json;
	if (c.json)
		printf("[");
	else {
		if (store_query_run_widths(ctx->store, &f, &c.w) != 0)
			return (cmd_error("database: %s",
			    store_error(ctx->store)));
		if (c.w.dag_id < strlen("DAG_ID"))
			c.w.dag_id = strlen("DAG_ID");
		if (c.w.run_id < strlen("RUN_ID"))
			c.w.run_id = strlen("RUN_ID");
		c.colour = view_colour();
		if (c.all) {
			cmd_runs_cell("DAG_ID", c.w.dag_id, NULL);
			fputs("  ", stdout);
		}
		cmd_runs_cell("RUN_ID", c.w.run_id, NULL);
		fputs("  ", stdout);
		cmd_runs_cell("TYPE", CMD_RUNS_TYPE_WIDTH, NULL);
		/* The width of "%Y-%m-%d %H:%M:%S". */
		printf("  %-19s  STATE\n", "LOGICAL_DATE");
	}
	rc = store_query_runs(ctx->store, &f, cmd_runs_print, &c);
	if (c.json)
		printf("%s]\n", c.n ? "\n" : "");
	if (c.shown > 0 && c.n == c.shown)
		fprintf(stderr, "(the newest %ld runs; --all lists every one)\n",
		    c.shown);
	if (rc != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	return (0);
}
