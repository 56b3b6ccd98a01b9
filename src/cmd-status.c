/* One screen on the whole installation: scheduler, broken DAGs, work. */

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "cmd.h"
#include "output.h"
#include "view.h"

/* How many of the latest failures to show. */
#define CMD_STATUS_FAILURES	5

static int	cmd_status_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[--utc] [--json]",
	.summary = "show whether the scheduler runs, broken DAGs, active work "
	    "and failures",
	.help = "Shows whether a scheduler runs on this state directory, "
	    "and where (the host,\npid and Slurm job of its lease), when it "
	    "made its last pass, and a warning\nwhen a pass is overdue; the "
	    "DAGs whose files did not load (as last recorded),\nthe DAGs the "
	    "scheduler paused and why, the runs and tasks queued or "
	    "running in\neach DAG, the task instances queued or running "
	    "with their Slurm jobs, and the\nlatest 5 failed task instances "
	    "with the command that shows their log. Times are\nin local "
	    "time unless --utc.\n"
	    "JSON fields: scheduler {running pid lock host lease_pid job_id "
	    "lease_live\nheartbeat last_pass next_pass overdue}, database, "
	    "load_errors [{dag_id path\nerror}], paused_by_scheduler [{dag_id "
	    "reason}], dags [{dag_id runs_running\nruns_queued "
	    "tasks_running tasks_queued}], active [{dag_id run_id task_id "
	    "state\ntry_number job_id queued_at start_date}], failures "
	    "[{dag_id run_id task_id\ntry_number job_id end_date reason "
	    "logs}], and after a 'scheduler --in-slurm'\nchain (text: a last "
	    "section), chain {name state every error last_link {job_id\n"
	    "start} stopped links [{job_id state start}]}, state one of "
	    "running, ending,\nbroken, stopped, unknown.\n",
	.opts = cmd_listing_opts,
	.flags = CMD_STORE,
	.exec = cmd_status_exec,
};

/* What the scheduler lock and lease say. */
struct cmd_status_lock {
	char	*path;
	int	 running;	/* 1 held, 0 free, -1 cannot tell */
	long	 pid;		/* 0: unknown */
	char	*error;		/* why running is -1 */
	struct store_lease lease;	/* host NULL: never taken */
	int	 live;		/* the lease is held and its holder alive */
	int	 overdue;	/* no pass since well after next_pass */
};

/*
 * Read the lease. It is live while held and not expired, unless its
 * holder is of this host and the flock is free: then it is gone. It is
 * overdue when the pass it promised is later than a lease length.
 */
static int
cmd_status_lease(struct cmd_ctx *ctx, struct cmd_status_lock *lk, int64_t now)
{
	struct store_lease	*l = &lk->lease;
	int			 rc;

	if ((rc = cmd_lease(ctx, ctx->store, l)) <= 0)
		return (rc);
	lk->live = l->heartbeat != 0 && l->expires > now &&
	    !(strcmp(l->host, ctx->cfg.host_name) == 0 && lk->running == 0);
	lk->overdue = l->next_pass != 0 &&
	    now > l->next_pass + config_lease_length(&ctx->cfg);
	return (0);
}

/* "HOST (pid P, Slurm job J)" */
static void
cmd_status_holder(char *buf, size_t len, const struct store_lease *l)
{
	if (l->job_id != NULL)
		snprintf(buf, len, "%s (pid %ld, Slurm job %s)", l->host,
		    l->pid, l->job_id);
	else
		snprintf(buf, len, "%s (pid %ld)", l->host, l->pid);
}

/*
 * Is a scheduler running? It holds an exclusive flock on its lock file for
 * as long as it lives and writes its pid there. Try a shared lock, without
 * waiting, and let go at once: if that works nobody holds it. A shared lock
 * (rather than exclusive) keeps two status commands from seeing each other
 * as a scheduler. The file is never created here.
 */
static void
cmd_status_lock(const struct config *cfg, struct cmd_status_lock *lk)
{
	char	buf[32], *end;
	ssize_t	len;
	int	fd;

	memset(lk, 0, sizeof *lk);
	xasprintf(&lk->path, "%s/scheduler.lock", cfg->state_dir);
	if ((fd = open(lk->path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT) {
			lk->running = -1;
			xasprintf(&lk->error, "cannot open lock '%s': %s",
			    lk->path, strerror(errno));
		}
		return;
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		close(fd);
		return;
	}
	if (errno != EWOULDBLOCK) {
		lk->running = -1;
		xasprintf(&lk->error, "cannot lock '%s': %s", lk->path,
		    strerror(errno));
		close(fd);
		return;
	}
	lk->running = 1;
	len = read(fd, buf, sizeof buf - 1);
	buf[len > 0 ? len : 0] = '\0';
	lk->pid = strtol(buf, &end, 10);
	if (end == buf || (*end != '\0' && *end != '\n') || lk->pid < 1)
		lk->pid = 0;
	close(fd);
}

static void
cmd_status_time(char *buf, size_t len, int64_t t, int utc)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		view_time(buf, len, "%Y-%m-%d %H:%M:%S", t, utc);
}

static void
cmd_status_logs(FILE *f, const struct store_view_ti *v)
{
	fputs("updraft logs ", f);
	view_shell_word(f, v->dag_id);
	fputc(' ', f);
	view_shell_word(f, v->run_id);
	fputc(' ', f);
	view_shell_word(f, v->ti.task_id);
}

static void
cmd_status_json_ti(const struct store_view_ti *v, int failure)
{
	char	*cmd;
	size_t	 len;
	FILE	*f;

	printf("{\"dag_id\": ");
	output_json_string(stdout, v->dag_id);
	printf(", \"run_id\": ");
	output_json_string(stdout, v->run_id);
	printf(", \"task_id\": ");
	output_json_string(stdout, v->ti.task_id);
	if (!failure) {
		printf(", \"state\": ");
		output_json_string(stdout, v->ti.state);
	}
	printf(", \"try_number\": %d, \"job_id\": ", v->ti.try_number);
	if (v->ti.element_job_id != 0)
		printf("%lld", (long long)v->ti.element_job_id);
	else if (v->ti.job_id != 0)
		printf("%lld", (long long)v->ti.job_id);
	else
		printf("null");
	if (!failure) {
		printf(", \"queued_at\": ");
		output_json_time(stdout, v->ti.queued_at);
		printf(", \"start_date\": ");
		output_json_time(stdout, v->ti.start_date);
		printf("}");
		return;
	}
	printf(", \"end_date\": ");
	output_json_time(stdout, v->ti.end_date);
	printf(", \"reason\": ");
	output_json_string(stdout, v->ti.reason);
	printf(", \"logs\": ");
	if ((f = open_memstream(&cmd, &len)) == NULL)
		fatal("open_memstream");
	cmd_status_logs(f, v);
	fclose(f);
	output_json_string(stdout, cmd);
	free(cmd);
	printf("}");
}

/*
 * The chain's section of `updraft status`, when this home ever had one:
 * its links pending or running, or that it is broken (on, with none).
 */
static void
cmd_status_chain(struct cmd_ctx *ctx, int utc)
{
	struct chain_view	 v;
	struct view_table	 t;
	const struct chain_job	*j;
	const char		*state;
	char			 every[32], since[32], id[24];
	size_t			 i;

	if (chain_view_load(&ctx->cfg, &v) == 1)
		return;
	state = chain_view_state(&v);
	view_duration(every, sizeof every, v.ch.every);
	printf("\nscheduler chain (a link every %s):\n", every);
	if (v.ch.link_job != 0) {
		view_time(since, sizeof since, "%Y-%m-%d %H:%M:%S",
		    v.ch.link_start, utc);
		printf("  last link: job %lld, started %s\n",
		    (long long)v.ch.link_job, since);
	}
	if (strcmp(state, "unknown") == 0)
		printf("  unknown: %s\n", v.error);
	else if (strcmp(state, "stopped") == 0) {
		view_time(since, sizeof since, "%Y-%m-%d %H:%M:%S",
		    v.ch.stopped, utc);
		printf("  stopped by 'updraft stop' at %s\n", since);
	} else if (strcmp(state, "broken") == 0)
		printf("  broken: no link is pending or running; restart it "
		    "with 'updraft scheduler --in-slurm'\n");
	else {
		view_table_init(&t, 3);
		view_table_add(&t, "JOB_ID", "STATE", "SINCE");
		for (i = 0; i < v.nlinks; i++) {
			j = &v.links[i];
			snprintf(id, sizeof id, "%lld", (long long)j->job_id);
			if (j->pending)
				snprintf(since, sizeof since, "-");
			else
				view_time(since, sizeof since,
				    "%Y-%m-%d %H:%M:%S", j->start, utc);
			view_table_add(&t, id, j->pending ? "pending" :
			    "running", since);
		}
		view_table_print(stdout, &t, "  ");
		view_table_free(&t);
		if (strcmp(state, "ending") == 0)
			printf("  broken: no next link is pending; the chain "
			    "ends with this link\n");
	}
	chain_view_free(&v);
}

/*
 * The chain in `updraft status --json`: ",\n \"chain\": {...}" when this
 * home ever had one, else nothing.
 */
static void
cmd_status_chain_json(struct cmd_ctx *ctx)
{
	struct chain_view	 v;
	const struct chain_job	*j;
	size_t			 i;

	if (chain_view_load(&ctx->cfg, &v) == 1)
		return;
	printf(",\n \"chain\": {\"name\": ");
	output_json_string(stdout, v.name);
	printf(", \"state\": \"%s\", \"every\": %ld, \"error\": ",
	    chain_view_state(&v), v.ch.every);
	if (v.error != NULL)
		output_json_string(stdout, v.error);
	else
		printf("null");
	printf(", \"last_link\": ");
	if (v.ch.link_job != 0) {
		printf("{\"job_id\": %lld, \"start_date\": ",
		    (long long)v.ch.link_job);
		output_json_time(stdout, v.ch.link_start);
		printf("}");
	} else
		printf("null");
	printf(", \"stopped\": ");
	output_json_time(stdout, v.ch.on ? 0 : v.ch.stopped);
	printf(", \"links\": [");
	for (i = 0; i < v.nlinks; i++) {
		j = &v.links[i];
		printf("%s{\"job_id\": %lld, \"state\": \"%s\", "
		    "\"start_date\": ", i > 0 ? ", " : "", (long long)j->job_id,
		    j->pending ? "pending" : "running");
		output_json_time(stdout, j->start);
		printf("}");
	}
	printf("]}");
	chain_view_free(&v);
}

/*
 * The DAGs whose file does not load (paused 0: dag_id, path, error) or that
 * the scheduler paused (1: dag_id, reason), as the rest of a JSON list.
 */
static void
cmd_status_json_dags(const struct store_dag *dags, size_t ndags, int paused)
{
	const char	*what;
	size_t		 i, k = 0;

	for (i = 0; i < ndags; i++) {
		what = paused ? dags[i].pause_reason : dags[i].load_error;
		if (what == NULL)
			continue;
		printf("%s\n  {\"dag_id\": ", k++ ? "," : "");
		output_json_string(stdout, dags[i].dag_id);
		if (!paused) {
			printf(", \"path\": ");
			output_json_string(stdout, dags[i].path);
		}
		printf(", \"%s\": ", paused ? "pause_reason" : "load_error");
		output_json_string(stdout, what);
		printf("}");
	}
	printf("%s]", k ? "\n " : "");
}

static void
cmd_status_json(struct cmd_ctx *ctx, const struct cmd_status_lock *lk,
    const struct store_dag *dags, size_t ndags,
    const struct store_view_count *counts, size_t ncounts,
    const struct store_view_ti *active, size_t nactive,
    const struct store_view_ti *failures, size_t nfailures)
{
	const struct store_view_count	*c;
	size_t				 i;
	const char			*id;

	printf("{\"scheduler\": {\"running\": %s, \"pid\": ",
	    lk->running == 1 || lk->live ? "true" : lk->running == 0 ?
	    "false" : "null");
	if (lk->live)
		printf("%ld", lk->lease.pid);
	else if (lk->pid != 0)
		printf("%ld", lk->pid);
	else
		printf("null");
	printf(", \"lock\": ");
	output_json_string(stdout, lk->path);
	printf(", \"host\": ");
	output_json_string(stdout, lk->lease.host);
	printf(", \"lease_pid\": ");
	if (lk->lease.host != NULL)
		printf("%ld", lk->lease.pid);
	else
		printf("null");
	/* A number, as job_id is everywhere (SLURM_JOB_ID always is one). */
	printf(", \"job_id\": ");
	id = lk->lease.job_id;
	if (id != NULL && *id != '\0' && id[strspn(id, "0123456789")] == '\0')
		printf("%s", id);
	else
		printf("null");
	printf(", \"lease_live\": %s, \"heartbeat\": ",
	    lk->live ? "true" : "false");
	output_json_time(stdout, lk->lease.heartbeat);
	printf(", \"last_pass\": ");
	output_json_time(stdout, lk->lease.last_pass);
	printf(", \"next_pass\": ");
	output_json_time(stdout, lk->lease.next_pass);
	printf(", \"overdue\": %s},\n \"database\": ",
	    lk->overdue ? "true" : "false");
	output_json_string(stdout, ctx->cfg.db_path);
	printf(",\n \"load_errors\": [");
	cmd_status_json_dags(dags, ndags, 0);
	printf(",\n \"paused_by_scheduler\": [");
	cmd_status_json_dags(dags, ndags, 1);
	printf(",\n \"dags\": [");
	for (i = 0; i < ncounts; i++) {
		c = &counts[i];
		printf("%s\n  {\"dag_id\": ", i ? "," : "");
		output_json_string(stdout, c->dag_id);
		printf(", \"runs_running\": %d, \"runs_queued\": %d, "
		    "\"tasks_running\": %d, \"tasks_queued\": %d}",
		    c->runs_running, c->runs_queued, c->tis_running,
		    c->tis_queued);
	}
	printf("%s],\n \"active\": [", ncounts ? "\n " : "");
	for (i = 0; i < nactive; i++) {
		printf("%s\n  ", i ? "," : "");
		cmd_status_json_ti(&active[i], 0);
	}
	printf("%s],\n \"failures\": [", nactive ? "\n " : "");
	for (i = 0; i < nfailures; i++) {
		printf("%s\n  ", i ? "," : "");
		cmd_status_json_ti(&failures[i], 1);
	}
	printf("%s]", nfailures ? "\n " : "");
	cmd_status_chain_json(ctx);
	printf("}\n");
}

/* Print a section: its title, then its table or "none"; free the table. */
static void
cmd_status_section(const char *title, struct view_table *t, size_t n)
{
	printf("\n%s:\n", title);
	if (n == 0)
		printf("  none\n");
	else
		view_table_print(stdout, t, "  ");
	view_table_free(t);
}

static void
cmd_status_text(struct cmd_ctx *ctx, const struct cmd_status_lock *lk,
    const struct store_dag *dags, size_t ndags,
    const struct store_view_count *counts, size_t ncounts,
    const struct store_view_ti *active, size_t nactive,
    const struct store_view_ti *failures, size_t nfailures, int utc)
{
	struct view_table	 t;
	const struct ti		*ti;
	char			 a[320], b[32], c[32], d[32], job[24], try[16];
	char			*cmd;
	size_t			 i, k = 0, len;
	FILE			*f;

	if (lk->live) {
		cmd_status_holder(a, sizeof a, &lk->lease);
		printf("scheduler: running on %s\n", a);
	} else if (lk->running == 1 && lk->pid != 0)
		printf("scheduler: running (pid %ld)\n", lk->pid);
	else if (lk->running == 1)
		printf("scheduler: running (pid unknown)\n");
	else if (lk->running == 0)
		printf("scheduler: not running\n");
	else
		printf("scheduler: unknown: %s\n", lk->error);
	if (lk->lease.last_pass != 0) {
		cmd_status_holder(a, sizeof a, &lk->lease);
		cmd_status_time(b, sizeof b, lk->lease.last_pass, utc);
		printf("last pass: %s on %s\n", b, a);
	}
	if (lk->overdue) {
		cmd_status_time(b, sizeof b, lk->lease.last_pass, utc);
		cmd_status_time(c, sizeof c, lk->lease.next_pass, utc);
		printf("warning: no pass since %s; one was due by %s\n",
		    lk->lease.last_pass != 0 ? b : "the scheduler started", c);
	}
	if (ctx->fs.name != NULL && ctx->fs.locks_trusted)
		printf("database: %s (on %s: rollback journal)\n",
		    ctx->cfg.db_path, ctx->fs.name);
	else if (!ctx->fs.locks_trusted)
		printf("database: %s (on %s, whose locks cannot be trusted: "
		    "%s; verbs that write go through the spool)\n",
		    ctx->cfg.db_path, ctx->fs.name != NULL ? ctx->fs.name :
		    "a local disk", ctx->fs.why);
	else
		printf("database: %s\n", ctx->cfg.db_path);
	printf("times: %s\n", view_zone_name(utc));

	view_table_init(&t, 2);
	view_table_add(&t, "DAG_ID", "ERROR");
	for (i = 0; i < ndags; i++) {
		if (dags[i].load_error == NULL)
			continue;
		view_table_add(&t, dags[i].dag_id, dags[i].load_error);
		k++;
	}
	cmd_status_section("DAGs that do not load", &t, k);

	/* Shown only when there are some: it is rare. */
	view_table_init(&t, 2);
	view_table_add(&t, "DAG_ID", "REASON");
	for (i = k = 0; i < ndags; i++) {
		if (dags[i].pause_reason == NULL)
			continue;
		view_table_add(&t, dags[i].dag_id, dags[i].pause_reason);
		k++;
	}
	if (k > 0)
		cmd_status_section("DAGs the scheduler paused", &t, k);
	else
		view_table_free(&t);

	view_table_init(&t, 5);
	view_table_add(&t, "DAG_ID", "RUNS_RUNNING", "RUNS_QUEUED",
	    "TASKS_RUNNING", "TASKS_QUEUED");
	for (i = 0; i < ncounts; i++) {
		snprintf(a, sizeof a, "%d", counts[i].runs_running);
		snprintf(b, sizeof b, "%d", counts[i].runs_queued);
		snprintf(c, sizeof c, "%d", counts[i].tis_running);
		snprintf(d, sizeof d, "%d", counts[i].tis_queued);
		view_table_add(&t, counts[i].dag_id, a, b, c, d);
	}
	cmd_status_section("queued or running, by DAG", &t, ncounts);

	view_table_init(&t, 7);
	view_table_add(&t, "DAG_ID", "RUN_ID", "TASK_ID", "STATE", "TRY",
	    "JOB_ID", "SINCE");
	for (i = 0; i < nactive; i++) {
		ti = &active[i].ti;
		snprintf(try, sizeof try, "%d", ti->try_number);
		snprintf(job, sizeof job, "%lld", (long long)ti->job_id);
		cmd_status_time(a, sizeof a, strcmp(ti->state, "running") ==
		    0 && ti->start_date ? ti->start_date : ti->queued_at, utc);
		view_table_add(&t, active[i].dag_id, active[i].run_id,
		    ti->task_id, ti->state, try, ti->job_id ? job : NULL, a);
	}
	cmd_status_section("tasks queued or running", &t, nactive);

	view_table_init(&t, 6);
	view_table_add(&t, "DAG_ID", "RUN_ID", "TASK_ID", "TRY", "ENDED",
	    "REASON");
	for (i = 0; i < nfailures; i++) {
		ti = &failures[i].ti;
		snprintf(try, sizeof try, "%d", ti->try_number);
		cmd_status_time(a, sizeof a, ti->end_date, utc);
		view_table_add(&t, failures[i].dag_id, failures[i].run_id,
		    ti->task_id, try, a, ti->reason);
		if (ti->try_number == 0) {
			view_table_line(&t, "  (never ran: no log)");
			continue;
		}
		if ((f = open_memstream(&cmd, &len)) == NULL)
			fatal("open_memstream");
		cmd_status_logs(f, &failures[i]);
		fclose(f);
		view_table_line(&t, "  %s", cmd);
		free(cmd);
	}
	cmd_status_section("latest failures", &t, nfailures);
	cmd_status_chain(ctx, utc);
}

static int
cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_status_lock	 lk;
	struct store_dag	*dags = NULL;
	struct store_view_count	*counts = NULL;
	struct store_view_ti	*active = NULL, *failures = NULL;
	size_t			 ndags = 0, ncounts = 0, nactive = 0;
	size_t			 nfailures = 0;
	int			 json, utc, rc;

	if ((rc = cmd_listing_args(&cmd_status_entry, argc, argv, 0, 0, &json,
	    &utc)) != 0)
		return (rc);

	cmd_status_lock(&ctx->cfg, &lk);
	if (cmd_status_lease(ctx, &lk, time(NULL)) != 0 ||
	    store_dag_list(ctx->store, &dags, &ndags) != 0 ||
	    store_view_counts(ctx->store, &counts, &ncounts) != 0 ||
	    store_view_tis(ctx->store, 0, 0, &active, &nactive) != 0 ||
	    store_view_tis(ctx->store, 1, CMD_STATUS_FAILURES, &failures,
	    &nfailures) != 0) {
		rc = cmd_error("database: %s", store_error(ctx->store));
		goto out;
	}
	if (json) {
		cmd_status_json(ctx, &lk, dags, ndags, counts, ncounts, active,
		    nactive, failures, nfailures);
	} else {
		cmd_status_text(ctx, &lk, dags, ndags, counts, ncounts, active,
		    nactive, failures, nfailures, utc);
	}

out:
	store_dag_free_list(dags, ndags);
	store_view_free_counts(counts, ncounts);
	store_view_free_tis(active, nactive);
	store_view_free_tis(failures, nfailures);
	free(lk.path);
	free(lk.error);
	store_lease_clear(&lk.lease);
	return (rc);
}
