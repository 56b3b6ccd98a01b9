/* Backfill a DAG over a range of logical dates; list and cancel backfills. */

#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backfill.h"
#include "cmd.h"
#include "state.h"
#include "wake.h"
#include "output.h"
#include "view.h"

static int	cmd_backfill_exec(struct cmd_ctx *, int, char **);
static int	cmd_backfills_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_backfill_opts[] = {
	{ "from", 'f', "T1", "the first logical date", 0 },
	{ "to", 't', "T2",
	  "the last logical date; a date alone means all of that "
	  "day", 0 },
	{ "reprocess", 'r', "missing|failed|all",
	  "missing (default) skips dates that have a run; failed "
	  "also runs failed ones again; all runs every date again", 0 },
	{ "max-active", 'm', "N",
	  "at most N runs at a time (default: the DAG's "
	  "max_active_runs)", 0 },
	{ "reverse", 'R', NULL,
	  "newest date first (default: oldest first)", 0 },
	{ "dry-run", 'n', NULL, "list what would run and change nothing", 0 },
	{ "cancel", 'c', "ID",
	  "drop the dates of backfill ID not started and cancel "
	  "the Slurm jobs of those running", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_backfill_entry = {
	.name = "backfill",
	.usage = "DAG --from --to [--reprocess] [--max-active] [--reverse] "
	    "[--dry-run] | --cancel",
	.summary = "run a DAG for every interval whose logical date is in "
	    "[T1, T2]",
	.help = "A run again keeps its run id and its try numbers go on. A "
	    "date whose run is\n"
	    "queued or running is never touched. It works on a paused "
	    "DAG, with its own\n"
	    "limit. T1 and T2 are ISO-8601, or wall-clock times in the "
	    "DAG's time zone. On a\n"
	    "terminal it shows progress until done; Ctrl-C leaves it "
	    "to the scheduler.\n",
	.opts = cmd_backfill_opts,
	.flags = CMD_DAGS | CMD_WRITES,
	.exec = cmd_backfill_exec,
};

const struct cmd_entry cmd_backfills_entry = {
	.name = "backfills",
	.usage = "[DAG] [--utc] [--json | -o] [--noheader] "
	    "[--parsable]",
	.summary = "list backfills and their progress",
	.help = "FROM and TO are in the local zone (TZ), or UTC with --utc. "
	    "JSON fields: id\ndag_id from to reprocess max_active reverse "
	    "state total done skipped dropped\npending started owner "
	    "created_at end_date (times ISO-8601 in UTC).\n",
	.opts = cmd_columns_opts,
	.flags = CMD_STORE,
	.exec = cmd_backfills_exec,
};

/* Pick one of the reprocess modes, or NULL. */
static const char *
cmd_backfill_mode(const char *s)
{
	static const char	*modes[] = { "missing", "failed", "all" };
	size_t			 i;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcmp(s, modes[i]) == 0)
			return (modes[i]);
	}
	return (NULL);
}

static int
cmd_backfill_cancel(struct cmd_ctx *ctx, const char *arg)
{
	struct backfill	 bf;
	char		*end;
	long long	 id;
	int		 rc;

	id = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || id <= 0)
		return (cmd_bad_value("--cancel", arg,
		    "expected a backfill id"));
	if ((rc = store_backfill_get(ctx->store, id, &bf)) != 1)
		return (rc < 0 ? cmd_error("database: %s",
		    store_error(ctx->store)) :
		    cmd_error("cannot find backfill %lld", id));
	if (state_is_terminal(bf.state)) {
		rc = cmd_error("backfill %lld is %s already", id, bf.state);
		store_backfill_clear(&bf);
		return (rc);
	}
	/* The scheduler cancels the jobs: it sees no end date yet. */
	if (store_begin(ctx->store) != 0 ||
	    store_backfill_drop(ctx->store, id) != 0 ||
	    store_backfill_set_state(ctx->store, id, "cancelled", 0) != 0 ||
	    store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		store_backfill_clear(&bf);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	wake_poke(&ctx->cfg);
	printf("backfill %lld cancelled: %d dates dropped, %d running "
	    "stopped by the scheduler\n", id, bf.pending, bf.started);
	store_backfill_clear(&bf);
	return (0);
}

static void
cmd_backfill_duration(char *buf, size_t len, double seconds)
{
	long	s = (long)(seconds + 0.5);

	if (s >= 3600)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lds", s);
}

/* Show done/total, rate and time left until the backfill ends. */
static int
cmd_backfill_progress(struct cmd_ctx *ctx, int64_t id)
{
	struct backfill	 bf;
	struct timespec	 start, now;
	double		 elapsed, rate;
	int		 finished, first = -1, rc;
	char		 left[32];

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if ((rc = store_backfill_get(ctx->store, id, &bf)) != 1)
			return (rc < 0 ? cmd_error("database: %s",
			    store_error(ctx->store)) :
			    cmd_error("cannot find backfill %lld",
			    (long long)id));
		finished = bf.done + bf.skipped + bf.dropped;
		if (first < 0)
			first = finished;
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - start.tv_sec) +
		    (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		rate = elapsed > 0 ? (finished - first) / elapsed : 0;
		if (rate > 0)
			cmd_backfill_duration(left, sizeof left,
			    (bf.total - finished) / rate);
		else
			snprintf(left, sizeof left, "?");
		printf("\rbackfill %lld: %d/%d done, %d running, %.2f/min, "
		    "%s left   ", (long long)id, finished, bf.total,
		    bf.started, rate * 60, left);
		fflush(stdout);
		if (state_is_terminal(bf.state)) {
			printf("\nbackfill %lld %s\n", (long long)id,
			    bf.state);
			store_backfill_clear(&bf);
			return (0);
		}
		store_backfill_clear(&bf);
		sleep(1);
	}
}

static int
cmd_backfill_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backfill_plan	 plan;
	struct backfill		 bf;
	struct dag		*dag;
	struct passwd		*pw;
	const char		*from = NULL, *to = NULL, *cancel = NULL;
	const char		*reprocess = "missing";
	char			*cause, *end, buf[40];
	int64_t			 t1, t2;
	long			 max_active = 0;
	int			 ch, reverse = 0, dry_run = 0, rc;
	size_t			 i, j, nrun;
	struct interval		*ivs;

	while ((ch = cmd_getopt(&cmd_backfill_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'r':
			if ((reprocess = cmd_backfill_mode(optarg)) == NULL)
				return (cmd_bad_value("--reprocess", optarg,
				    "expected missing, failed or all"));
			break;
		case 'm':
			max_active = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' ||
			    max_active < 1 || max_active > 100000)
				return (cmd_bad_value("--max-active", optarg,
				    "expected a number from 1 to 100000"));
			break;
		case 'R':
			reverse = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'c':
			cancel = optarg;
			break;
		default:
			return (cmd_usage(&cmd_backfill_entry));
		}
	}
	if (cancel != NULL) {
		if (optind != argc || from != NULL || to != NULL)
			return (cmd_usage(&cmd_backfill_entry));
		return (cmd_backfill_cancel(ctx, cancel));
	}
	if (argc - optind != 1 || from == NULL || to == NULL)
		return (cmd_usage(&cmd_backfill_entry));
	if ((dag = dagbag_find(&ctx->bag, argv[optind])) == NULL)
		return (cmd_no_dag(ctx, argv[optind]));
	if ((rc = cmd_time_value("--from", from, dag->tz, &t1)) != 0 ||
	    (rc = cmd_time_value("--to", to, dag->tz, &t2)) != 0)
		return (rc);
	/* A day given as --to means all of that day, as a person reads it. */
	if (strlen(to) == 10 && tz_parse_time(to, NULL, &t2, &cause) == 0)
		t2 = tz_from_wall(dag->tz, t2 + 86400) - 1;
	if (t2 < t1)
		return (cmd_bad_value("--to", to, "before --from '%s'", from));
	if (backfill_plan(ctx->store, dag, t1, t2, reprocess, &plan,
	    &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return (1);
	}

	if (dry_run) {
		for (i = 0; i < plan.n; i++) {
			tz_format(dag->tz, plan.ivs[i].logical, buf,
			    sizeof buf);
			printf("%s %s\n", buf,
			    backfill_action_name(plan.actions[i]));
		}
		printf("%zu of %zu dates would run\n", plan.nrun, plan.n);
		backfill_plan_free(&plan);
		return (0);
	}
	if (plan.nrun == 0) {
		printf("nothing to backfill: %zu dates, none to run\n", plan.n);
		backfill_plan_free(&plan);
		return (0);
	}

	/* Only the dates that run become items. */
	ivs = xreallocarray(NULL, plan.nrun, sizeof *ivs);
	for (i = j = 0; i < plan.n; i++) {
		if (plan.actions[i] == BACKFILL_CREATE ||
		    plan.actions[i] == BACKFILL_RERUN)
			ivs[j++] = plan.ivs[i];
	}
	nrun = j;
	memset(&bf, 0, sizeof bf);
	bf.dag_id = dag->id;
	bf.from = t1;
	bf.to = t2;
	bf.reprocess = (char *)reprocess;
	bf.max_active = max_active > 0 ? (int)max_active :
	    dag->max_active_runs;
	bf.reverse = reverse;
	pw = getpwuid(getuid());
	bf.created_by = pw != NULL ? pw->pw_name : (char *)"unknown";
	bf.created_at = time(NULL);
	rc = store_backfill_create(ctx->store, &bf, ivs, nrun);
	free(ivs);
	if (rc != 0) {
		backfill_plan_free(&plan);
		return (cmd_error("cannot create backfill: %s",
		    store_error(ctx->store)));
	}
	wake_poke(&ctx->cfg);
	printf("backfill %lld: %zu of %zu dates of '%s' to run, at most %d "
	    "at a time\n", (long long)bf.id, nrun, plan.n, dag->id,
	    bf.max_active);
	backfill_plan_free(&plan);
	if (!isatty(STDOUT_FILENO))
		return (0);
	printf("(the scheduler runs it; Ctrl-C stops watching, 'updraft "
	    "backfill --cancel %lld' stops it)\n", (long long)bf.id);
	return (cmd_backfill_progress(ctx, bf.id));
}

/* The table's columns: fields of a backfill. */
static const char *const cmd_backfills_columns[] = {
	"id", "dag_id", "from", "to", "reprocess", "state", "DONE/TOTAL"
};

/* The columns of --noheader and --parsable without --format. */
#define CMD_BACKFILLS_FORMAT	"id,dag_id,from,to,reprocess,state,done,total"

static int
cmd_backfills_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backfill		*list;
	struct view_table	 tb;
	struct output_json	 j;
	struct cmd_columns	 c;
	struct output_format	 fmt;
	size_t			 n, i;
	int			 rc;
	const char		*dag_id = NULL;

	if ((rc = cmd_columns_args(&cmd_backfills_entry, argc, argv, 0, 1,
	    &c)) != 0)
		return (rc);
	if ((rc = cmd_columns_format(&cmd_backfills_entry, &c,
	    &output_backfill, CMD_BACKFILLS_FORMAT, &fmt)) != -1)
		return (rc);
	if (argc - optind == 1) {
		dag_id = argv[optind];
		if ((rc = cmd_find_dag(ctx, dag_id)) != 0) {
			output_format_free(&fmt);
			return (rc);
		}
	}
	if (store_backfill_list(ctx->store, dag_id, NULL, &list, &n) != 0) {
		output_format_free(&fmt);
		return (cmd_error("database: %s", store_error(ctx->store)));
	}
	if (fmt.ncols > 0) {
		view_format_array(stdout, &fmt, list, sizeof *list, n, c.utc);
		output_format_free(&fmt);
		store_backfill_free_list(list, n);
		return (0);
	}
	output_json_init(&j, stdout);
	if (c.json)
		output_json_open(&j, NULL, '[');
	view_table_init(&tb, 7);
	view_table_head(&tb, &output_backfill, cmd_backfills_columns);
	for (i = 0; i < n; i++) {
		if (c.json) {
			output_json_open(&j, NULL, '{');
			output_json_fields(&j, &output_backfill, NULL, &list[i]);
			output_json_close(&j);
		} else
			view_table_row(&tb, &output_backfill,
			    cmd_backfills_columns, &list[i], c.utc);
	}
	if (c.json)
		output_json_close(&j);
	else
		view_table_print(stdout, &tb, "");
	view_table_free(&tb);
	output_format_free(&fmt);
	store_backfill_free_list(list, n);
	return (0);
}
