/* The scheduler's and the backfill's decisions, fed recorded job states. */

/*
 * The scheduler code runs here as in the binary, on a real SQLite store in
 * a temporary directory, with tests/unit/cluster-stub.c in place of Slurm:
 * each pass sees the jobs the test recorded (pending, running, completed,
 * failed with an exit code, timed out, purged), and the test reads back
 * the task instances' states, tries and reasons, and the requests that
 * were submitted. The shell tests keep the real Slurm.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backfill.h"
#include "cluster-stub.h"
#include "runs.h"
#include "scheduler.h"
#include "unit.h"

/* 2026-01-01T00:00:00Z, and the hour after. */
#define T0	INT64_C(1767225600)
#define HOUR	3600

static char			 home[] = "/tmp/updraft-unit-XXXXXX";
static struct config		 cfg;
static struct store		*st;
static struct scheduler		 sched;

static void
test_write(const char *dag_id, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/dags/%s.dag", home, dag_id);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0)
		fatal("%s", path);
	free(path);
}

/* A fresh home, store and scheduler, and no job in the stub. */
static void
test_setup(void)
{
	char	*cause, *dags;

	strcpy(home, "/tmp/updraft-unit-XXXXXX");
	if (mkdtemp(home) == NULL)
		fatal("mkdtemp");
	xasprintf(&dags, "%s/dags", home);
	if (mkdir(dags, 0755) != 0)
		fatal("%s", dags);
	free(dags);
	setenv("UPDRAFT_HOME", home, 1);
	unsetenv("UPDRAFT_CONFIG");
	if (config_load(&cfg, NULL, &cause) != 0)
		fatalx("config: %s", cause);
	if ((st = store_open(cfg.db_path, 0, &cause)) == NULL)
		fatalx("store: %s", cause);
	memset(&sched, 0, sizeof sched);
	sched.cfg = &cfg;
	sched.st = st;
	stub_reset();
}

static void
test_teardown(void)
{
	char	*cmd;

	scheduler_free(&sched);
	store_close(st);
	config_free(&cfg);
	xasprintf(&cmd, "rm -rf '%s'", home);
	if (system(cmd) != 0)
		log_warnx("cannot remove %s", home);
	free(cmd);
	stub_reset();
}

/* The DAG's only run: its state, and its task instances by id. */
static const char *
test_run(const char *dag_id, struct run *r)
{
	struct run	*runs;
	size_t		 n;
	static char	 state[32];

	if (store_run_list(st, dag_id, NULL, &runs, &n) != 0 || n != 1) {
		snprintf(state, sizeof state, "%zu runs", n);
		return (state);
	}
	snprintf(state, sizeof state, "%s", runs[0].state);
	if (r != NULL)
		r->id = runs[0].id;
	store_run_free_list(runs, n);
	return (state);
}

/* "state try reason job" of one task instance of the DAG's only run. */
static const char *
test_ti(const char *dag_id, const char *task_id)
{
	static char	 line[256];
	struct run	 r;
	struct ti	*tis;
	size_t		 n, i;

	snprintf(line, sizeof line, "no task instance '%s'", task_id);
	memset(&r, 0, sizeof r);
	test_run(dag_id, &r);
	if (r.id == 0 || store_ti_list(st, r.id, &tis, &n) != 0)
		return (line);
	for (i = 0; i < n; i++) {
		if (strcmp(tis[i].task_id, task_id) != 0)
			continue;
		snprintf(line, sizeof line, "%s %d %s %lld", tis[i].state,
		    tis[i].try_number, tis[i].reason != NULL ?
		    tis[i].reason : "-", (long long)tis[i].job_id);
	}
	store_ti_free_list(tis, n);
	return (line);
}

/* A job's name: DAG, task, logical date, try, and this home's suffix. */
static const char *
test_name(const char *dag_id, const char *task_id, const char *date, int try)
{
	static char	buf[4][128];
	static int	k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s__%s__%s__%d__%s", dag_id, task_id,
	    date, try, cfg.job_suffix);
	return (buf[k]);
}

/* Two lines. */
static const char *
test_lines(const char *a, const char *b)
{
	static char	buf[256];

	snprintf(buf, sizeof buf, "%s\n%s", a, b);
	return (buf);
}

/* The names of the requests submitted since number from, one a line. */
static const char *
test_requests(size_t from)
{
	static char	 buf[1024];
	size_t		 i, len = 0;

	buf[0] = '\0';
	for (i = from; i < stub.nrequests && len < sizeof buf; i++)
		len += snprintf(buf + len, sizeof buf - len, "%s%s",
		    len > 0 ? "\n" : "", stub.requests[i].name);
	return (buf);
}

/* A fresh home with one DAG file, known (a pass at now) and unpaused. */
static void
test_start(const char *dag_id, const char *text, int64_t now)
{
	test_setup();
	test_write(dag_id, text);
	scheduler_pass(&sched, now);
	store_dag_set_paused(st, dag_id, 0);
}

static const char chain_dag[] =
    "schedule = \"@once\";\n"
    "start_date = \"2026-01-01T00:00:00Z\";\n"
    "tasks = (\n"
    "  { id = \"a\"; command = \"true\"; retries = 1;\n"
    "    retry_delay = \"10m\"; },\n"
    "  { id = \"b\"; after = [\"a\"]; command = \"true\"; },\n"
    "  { id = \"c\"; after = [\"b\"]; command = \"true\"; }\n"
    ");\n";

/*
 * One run through a failure and its retry, a success, a timeout and its
 * downstream task: what each recorded job state makes of the task.
 */
static void
test_chain(void)
{
	int64_t	now = T0 + HOUR;

	test_setup();
	test_write("u_chain", chain_dag);
	scheduler_pass(&sched, now);
	CHECK_STR(test_run("u_chain", NULL), "0 runs");
	CHECK(stub.nrequests == 0, "a paused DAG submits nothing");

	store_dag_set_paused(st, "u_chain", 0);
	scheduler_pass(&sched, now);
	CHECK_STR(test_run("u_chain", NULL), "running");
	CHECK_STR(test_ti("u_chain", "a"), "queued 1 - 1000");
	CHECK_STR(test_ti("u_chain", "b"), "none 0 - 0");
	CHECK_STR(test_requests(0),
	    test_name("u_chain", "a", "20260101T000000", 1));
	CHECK(stub.requests[0].partition == NULL, "the default partition");

	/* Pending, then running: nothing more is submitted. */
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_chain", "a"), "queued 1 - 1000");
	stub_run(1000, "node7");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_chain", "a"), "running 1 - 1000");
	CHECK(stub.nrequests == 1, "%zu requests", stub.nrequests);

	/* Failed with exit code 3: a retry in 10 minutes, not before. */
	stub_end(1000, "FAILED", 1, 3);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_chain", "a"), "up_for_retry 1 exit code 3 1000");
	CHECK(sched.wake == now + 600, "wake %lld, want %lld",
	    (long long)sched.wake, (long long)(now + 600));
	scheduler_pass(&sched, now + 599);
	CHECK(stub.nrequests == 1, "no retry before its delay");
	scheduler_pass(&sched, now += 600);
	CHECK_STR(test_ti("u_chain", "a"), "queued 2 - 1001");
	CHECK_STR(test_requests(1),
	    test_name("u_chain", "a", "20260101T000000", 2));

	/* Completed: the downstream task goes. */
	stub_end(1001, "COMPLETED", 1, 0);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_chain", "a"), "success 2 - 1001");
	CHECK_STR(test_ti("u_chain", "b"), "queued 1 - 1002");

	/* Timed out, no retries: failed, and c never runs. */
	stub_timeout(1002, 90);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_chain", "b"),
	    "failed 1 TIMEOUT after 01:30:00 1002");
	CHECK_STR(test_ti("u_chain", "c"),
	    "upstream_failed 0 upstream 'b' failed 0");
	CHECK_STR(test_run("u_chain", NULL), "failed");
	CHECK(stub.nrequests == 3, "%zu requests", stub.nrequests);
	test_teardown();
}

static const char single_dag[] =
    "schedule = \"@once\";\n"
    "start_date = \"2026-01-01T00:00:00Z\";\n"
    "tasks = ({ id = \"a\"; command = \"true\"; });\n";

/* A job Slurm forgot, with no marker on disk: lost. */
static void
test_purged(void)
{
	int64_t	now = T0 + HOUR;

	test_start("u_lost", single_dag, now);
	scheduler_pass(&sched, now);
	CHECK_STR(test_ti("u_lost", "a"), "queued 1 - 1000");
	stub_run(1000, "node1");
	scheduler_pass(&sched, now += 5);
	stub_purge(1000);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_lost", "a"),
	    "failed 1 lost: no record in Slurm or on disk 1000");
	CHECK_STR(test_run("u_lost", NULL), "failed");
	test_teardown();
}

/* A job that ended but whose wrapper wrote its status: the marker rules. */
static void
test_marker(void)
{
	int64_t	 now = T0 + HOUR;
	char	*path;
	FILE	*f;

	test_start("u_mark", single_dag, now);
	scheduler_pass(&sched, now);
	xasprintf(&path, "%s/markers/%s.exit", cfg.state_dir,
	    stub.requests[0].name);
	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fputs("0\n", f);
	fclose(f);
	free(path);
	stub_purge(1000);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_mark", "a"), "success 1 - 1000");
	CHECK_STR(test_run("u_mark", NULL), "success");
	test_teardown();
}

/* Write a marker as the wrapper does: status, then the job id. */
static void
test_write_marker(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/markers/%s.exit", cfg.state_dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fputs(text, f);
	fclose(f);
	free(path);
}

static const char faults_dag[] =
    "schedule = \"@once\";\n"
    "start_date = \"2026-01-01T00:00:00Z\";\n"
    "tasks = ({ id = \"a\"; command = \"true\"; retries = 1; },\n"
    "    { id = \"b\"; command = \"true\"; node_fail_uses_try = true; },\n"
    "    { id = \"c\"; command = \"true\"; retries = 2; },\n"
    "    { id = \"d\"; command = \"true\"; retries = 2; });\n";

/*
 * Faults that are not the task's: a node failure submits the same try
 * again (unless node_fail_uses_try), a requeue keeps its try and job,
 * a hold shows Slurm's reason, a cancel from outside fails at once, and
 * OUT_OF_MEMORY says so.
 */
static void
test_faults(void)
{
	int64_t	 now = T0 + HOUR;
	char	*name;

	test_start("u_fault", faults_dag, now);
	scheduler_pass(&sched, now);
	CHECK_STR(test_ti("u_fault", "a"), "queued 1 - 1000");
	CHECK_STR(test_ti("u_fault", "b"), "queued 1 - 1001");
	CHECK_STR(test_ti("u_fault", "c"), "queued 1 - 1002");
	CHECK_STR(test_ti("u_fault", "d"), "queued 1 - 1003");

	/*
	 * a's node fails; its wrapper wrote a marker as it was killed: the
	 * same try goes again at once, the marker is gone, the reason says
	 * why. b's counts as its one try.
	 */
	stub_run(1000, "n2");
	stub_run(1001, "n2");
	name = xstrdup(stub.requests[0].name);
	test_write_marker(name, "143\n1000\n");
	stub_end(1000, "NODE_FAIL", 1, 1);
	stub_end(1001, "NODE_FAIL", 1, 1);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "a"), "queued 1 NODE_FAIL on node n2 "
	    "(job 1000): submitted again as the same try 1004");
	CHECK_STR(test_requests(4), name);
	CHECK_STR(test_ti("u_fault", "b"),
	    "failed 1 Slurm: NODE_FAIL on node n2 1001");
	/* A marker of the job that died does not count for the new one. */
	test_write_marker(name, "143\n1000\n");
	stub_run(1004, "n1");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "a"), "running 1 NODE_FAIL on node n2 "
	    "(job 1000): submitted again as the same try 1004");
	test_write_marker(name, "0\n1004\n");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "a"), "success 1 NODE_FAIL on node n2 "
	    "(job 1000): submitted again as the same try 1004");
	free(name);

	/* c is requeued while running (its marker is stale): same try. */
	stub_run(1002, "n1");
	scheduler_pass(&sched, now += 5);
	test_write_marker(stub.requests[2].name, "143\n1002\n");
	stub_requeue(1002, 0);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "queued 1 requeued by Slurm (job 1002, restart 1) 1002");
	stub_run(1002, "n3");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "running 1 requeued by Slurm (job 1002, restart 1) 1002");
	stub_requeue(1002, 1);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "queued 1 preempted, requeued by Slurm (job 1002, restart 2) 1002");
	/* Its partition goes down: Slurm's reason shows, then goes. */
	stub_wait(1002, "PartitionDown");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "queued 1 waiting in Slurm: PartitionDown 1002");
	stub_wait(1002, NULL);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "queued 1 preempted, requeued by Slurm (job 1002, restart 2) 1002");
	/* Running again, Slurm no longer says it was preempted: we do. */
	stub_run(1002, "n3");
	stub_job(1002)->preempted = 0;
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"),
	    "running 1 preempted, requeued by Slurm (job 1002, restart 2) 1002");
	stub_end(1002, "OUT_OF_MEMORY", 1, 0);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "c"), "up_for_retry 1 OUT_OF_MEMORY on "
	    "node n3: the job used more memory than it asked for 1002");

	/* d is cancelled by someone else: failed, its retries unused. */
	stub_end(1003, "CANCELLED", 0, 0);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_fault", "d"),
	    "failed 1 cancelled outside Updraft 1003");
	CHECK(stub.nrequests == 5, "%zu requests", stub.nrequests);
	test_teardown();
}

/*
 * Slurm away: the states stay as they are and nothing is submitted;
 * refused: the task fails with Slurm's reason; "later": it stays
 * scheduled and the next pass submits it.
 */
static void
test_slurm_trouble(void)
{
	int64_t	now = T0 + HOUR;

	test_start("u_down", chain_dag, now);
	stub.submit_rc = CLUSTER_LATER;
	stub.submit_cause = "Socket timed out";
	scheduler_pass(&sched, now);
	CHECK_STR(test_ti("u_down", "a"), "scheduled 1 - 0");
	CHECK(sched.slurm_down_since == now, "Slurm is down since the pass");

	stub.submit_rc = CLUSTER_SUBMITTED;
	stub.load_fails = 1;
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_down", "a"), "scheduled 1 - 0");
	CHECK(stub.nrequests == 1, "nothing submitted while Slurm is away");
	CHECK(sched.slurm_failures == 2, "%d failures", sched.slurm_failures);

	stub.load_fails = 0;
	scheduler_pass(&sched, now += 5);
	CHECK(sched.slurm_down_since == 0, "Slurm answers again");
	/* Never submitted: the same try goes, under the same name. */
	CHECK_STR(test_ti("u_down", "a"), "queued 1 - 1000");
	CHECK_STR(test_requests(0), test_lines(
	    test_name("u_down", "a", "20260101T000000", 1),
	    test_name("u_down", "a", "20260101T000000", 1)));
	stub_end(1000, "COMPLETED", 1, 0);

	stub.submit_rc = CLUSTER_REJECTED;
	stub.submit_cause = "Invalid account or account/partition combination";
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_ti("u_down", "a"), "success 1 - 1000");
	CHECK_STR(test_ti("u_down", "b"), "failed 1 Invalid account or "
	    "account/partition combination 0");
	CHECK_STR(test_ti("u_down", "c"),
	    "upstream_failed 0 upstream 'b' failed 0");
	CHECK_STR(test_run("u_down", NULL), "failed");
	test_teardown();
}

/* What a backfill does with a date's run, by reprocess mode. */
static void
test_backfill_decide(void)
{
	static const struct {
		const char		*state;	/* NULL: no run */
		const char		*reprocess;
		enum backfill_action	 want;
	} rows[] = {
		{ NULL,		"missing",	BACKFILL_CREATE },
		{ NULL,		"all",		BACKFILL_CREATE },
		{ "queued",	"all",		BACKFILL_SKIP_ACTIVE },
		{ "running",	"failed",	BACKFILL_SKIP_ACTIVE },
		{ "failed",	"failed",	BACKFILL_RERUN },
		{ "failed",	"missing",	BACKFILL_SKIP_EXISTS },
		{ "success",	"failed",	BACKFILL_SKIP_EXISTS },
		{ "success",	"all",		BACKFILL_RERUN },
	};
	struct run	r;
	size_t		i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&r, 0, sizeof r);
		r.state = (char *)rows[i].state;
		CHECK(backfill_decide(rows[i].state != NULL ? &r : NULL,
		    rows[i].reprocess) == rows[i].want, "%s %s: %s",
		    rows[i].state != NULL ? rows[i].state : "none",
		    rows[i].reprocess,
		    backfill_action_name(backfill_decide(rows[i].state !=
		    NULL ? &r : NULL, rows[i].reprocess)));
	}
}

static const char daily_dag[] =
    "schedule = \"@daily\";\n"
    "start_date = \"2026-01-01T00:00:00Z\";\n"
    "catchup = false;\n"
    "tasks = ({ id = \"a\"; command = \"true\"; });\n";

/* The runs of a DAG, oldest first: "logical-day:state" each. */
static const char *
test_runs(const char *dag_id)
{
	static char	 buf[512];
	struct run	*runs;
	size_t		 n, i, len = 0;
	char		 iso[40];

	buf[0] = '\0';
	if (store_run_list(st, dag_id, NULL, &runs, &n) != 0)
		return ("error");
	for (i = 0; i < n && len < sizeof buf; i++) {
		tz_format(NULL, runs[i].logical_date, iso, sizeof iso);
		len += snprintf(buf + len, sizeof buf - len, "%s%.10s:%s",
		    len > 0 ? " " : "", iso, runs[i].state);
	}
	store_run_free_list(runs, n);
	return (buf);
}

/* A run of dag at day d of January 2026, in state (created queued). */
static void
test_make_run(const struct dag *dag, int d, const char *state, int64_t now)
{
	struct interval	iv;
	struct run	r;

	memset(&iv, 0, sizeof iv);
	iv.logical = iv.start = T0 + (d - 1) * 86400;
	iv.end = iv.due = iv.start + 86400;
	CHECK(runs_create(st, dag, "scheduled", &iv, now, 0) == 0,
	    "run of day %d created", d);
	CHECK(runs_create(st, dag, "scheduled", &iv, now, 0) == 1,
	    "no second run of day %d", d);
	if (store_run_at(st, dag->id, iv.logical, &r) != 1)
		fatalx("no run at day %d", d);
	if (strcmp(state, "queued") != 0)
		store_run_set_state(st, &r, state, now);
	store_run_clear(&r);
}

/*
 * A backfill of five days with --reprocess failed, at most two at a time,
 * over one failed run and one queued: the plan, then the scheduler
 * starting its dates as earlier ones end.
 */
static void
test_backfill(void)
{
	static const char	*want[] = {
		"create", "rerun", "skip: run is active", "create", "create"
	};
	struct backfill_plan	 plan;
	struct backfill		 bf;
	struct interval		 ivs[5];
	struct dag		*dag;
	int64_t			 now = T0 + 10 * 86400 + HOUR;
	char			*cause, *path;
	size_t			 i, k;

	test_setup();
	setenv("UPDRAFT_NO_ARRAYS", "1", 1);
	test_write("u_bf", daily_dag);
	scheduler_pass(&sched, now);	/* known, and paused */
	xasprintf(&path, "%s/dags/u_bf.dag", home);
	if ((dag = dagfile_load(path, &cfg, &cause)) == NULL)
		fatalx("%s", cause);
	free(path);
	test_make_run(dag, 2, "failed", now);
	test_make_run(dag, 3, "queued", now);

	if (backfill_plan(st, dag, T0, T0 + 4 * 86400, "failed", &plan,
	    &cause) != 0)
		fatalx("%s", cause);
	CHECK(plan.n == 5 && plan.nrun == 4, "%zu dates, %zu to run", plan.n,
	    plan.nrun);
	for (i = k = 0; i < plan.n && i < 5; i++) {
		CHECK_STR(backfill_action_name(plan.actions[i]), want[i]);
		if (plan.actions[i] == BACKFILL_CREATE ||
		    plan.actions[i] == BACKFILL_RERUN)
			ivs[k++] = plan.ivs[i];
	}
	memset(&bf, 0, sizeof bf);
	bf.dag_id = dag->id;
	bf.from = T0;
	bf.to = T0 + 4 * 86400;
	bf.reprocess = (char *)"failed";
	bf.max_active = 2;
	bf.created_by = (char *)"unit";
	bf.created_at = now;
	CHECK(store_backfill_create(st, &bf, ivs, k) == 0, "backfill made");
	backfill_plan_free(&plan);

	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_runs("u_bf"), "2026-01-01:running 2026-01-02:running "
	    "2026-01-03:queued");
	CHECK_STR(test_requests(0), test_lines(
	    test_name("u_bf", "a", "20260101T000000", 1),
	    test_name("u_bf", "a", "20260102T000000", 1)));
	stub_end(1000, "COMPLETED", 1, 0);
	stub_end(1001, "FAILED", 1, 1);
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_runs("u_bf"), "2026-01-01:success 2026-01-02:failed "
	    "2026-01-03:queued");
	CHECK(stub.nrequests == 2, "no third date while two are active");
	scheduler_pass(&sched, now += 5);
	CHECK_STR(test_runs("u_bf"), "2026-01-01:success 2026-01-02:failed "
	    "2026-01-03:queued 2026-01-04:running 2026-01-05:running");
	CHECK_STR(test_requests(2), test_lines(
	    test_name("u_bf", "a", "20260104T000000", 1),
	    test_name("u_bf", "a", "20260105T000000", 1)));
	stub_end(1002, "COMPLETED", 1, 0);
	stub_end(1003, "COMPLETED", 1, 0);
	scheduler_pass(&sched, now += 5);
	scheduler_pass(&sched, now += 5);
	if (store_backfill_get(st, bf.id, &bf) != 1)
		fatalx("no backfill %lld", (long long)bf.id);
	CHECK_STR(bf.state, "done");
	CHECK(bf.done == 4 && bf.pending == 0, "%d done, %d pending",
	    bf.done, bf.pending);
	store_backfill_clear(&bf);
	CHECK_STR(test_runs("u_bf"), "2026-01-01:success 2026-01-02:failed "
	    "2026-01-03:queued 2026-01-04:success 2026-01-05:success");
	CHECK(stub.nrequests == 4, "%zu requests", stub.nrequests);
	unsetenv("UPDRAFT_NO_ARRAYS");
	dag_free(dag);
	test_teardown();
}

/*
 * max_catchup_runs: a catch-up of exactly the bound creates its runs; one
 * more creates none, pauses the DAG with the reason and moves its next
 * run to the latest interval, so that unpausing goes on from there.
 * catchup = false makes one run, whatever the bound.
 */
static void
test_catchup_bound(void)
{
	static const char	 dag[] =
	    "schedule = \"@daily\";\n"
	    "start_date = \"2026-01-01T00:00:00Z\";\n"
	    "max_catchup_runs = 3;\n"
	    "tasks = ( { id = \"a\"; command = \"true\"; } );\n";
	struct store_dag	 sd;
	int64_t			 now = T0 + 3 * 24 * HOUR + 1;

	test_start("u_fits", dag, now);
	test_write("u_over", dag);
	test_write("u_nocatch", "schedule = \"@daily\";\n"
	    "start_date = \"2026-01-01T00:00:00Z\";\n"
	    "catchup = false;\nmax_catchup_runs = 1;\n"
	    "tasks = ( { id = \"a\"; command = \"true\"; } );\n");
	scheduler_pass(&sched, now);
	CHECK_STR(test_runs("u_fits"), "2026-01-01:running 2026-01-02:running "
	    "2026-01-03:running");

	/* A day later, four are due: one more than the bound. */
	now += 24 * HOUR;
	store_dag_set_paused(st, "u_over", 0);
	store_dag_set_paused(st, "u_nocatch", 0);
	scheduler_pass(&sched, now);
	CHECK_STR(test_runs("u_over"), "");
	CHECK(store_dag_get(st, "u_over", &sd) == 1, "no dag u_over");
	CHECK(sd.paused == 1, "u_over not paused");
	CHECK_STR(sd.pause_reason, "catch-up of more than 3 runs "
	    "(max_catchup_runs), from 2026-01-01T00:00:00+00:00 to "
	    "2026-01-04T00:00:00+00:00: none created; run them with "
	    "'updraft backfill u_over --from 2026-01-01T00:00:00+00:00 --to "
	    "2026-01-04T00:00:00+00:00', then 'updraft unpause u_over'");
	CHECK(sd.next_dagrun == T0 + 3 * 24 * HOUR, "next run %lld",
	    (long long)sd.next_dagrun);
	store_dag_clear(&sd);
	CHECK_STR(test_runs("u_nocatch"), "2026-01-04:running");

	/* Unpaused: the reason goes, and the runs go on from the latest. */
	store_dag_set_paused(st, "u_over", 0);
	CHECK(store_dag_get(st, "u_over", &sd) == 1 &&
	    sd.pause_reason == NULL, "the reason stays");
	store_dag_clear(&sd);
	scheduler_pass(&sched, now);
	CHECK_STR(test_runs("u_over"), "2026-01-04:running");
	test_teardown();
}

int
main(void)
{
	test_chain();
	test_purged();
	test_marker();
	test_faults();
	test_slurm_trouble();
	test_backfill_decide();
	test_backfill();
	test_catchup_bound();
	return (unit_done());
}
