/* The batch script a task's job runs, and the environment it runs in. */

#include <stdlib.h>
#include <string.h>

#include "jobscript.h"

extern char **environ;

/*
 * The wrapper is fixed text: what varies reaches it only through the
 * environment, so no value a user wrote is ever parsed as shell by us. It
 * runs the payload, then writes the exit status to a marker file by rename,
 * so the scheduler can learn how the job ended even after Slurm has
 * forgotten it (MinJobAge).
 */
static const char jobscript_wrapper[] =
	"#!/bin/bash\n"
	"# Updraft task wrapper: run one task instance, record how it ended.\n"
	"printf 'updraft: %s try %s, job %s on %s\\n' \"$UPDRAFT_TASK_KEY\" "
	"\"$UPDRAFT_TRY_NUMBER\" \"$SLURM_JOB_ID\" \"$(hostname)\"\n"
	"if [ -n \"$UPDRAFT_SCRIPT\" ]; then\n"
	"\tif [ -x \"$UPDRAFT_SCRIPT\" ]; then\n"
	"\t\t\"$UPDRAFT_SCRIPT\"\n"
	"\telse\n"
	"\t\tbash \"$UPDRAFT_SCRIPT\"\n"
	"\tfi\n"
	"else\n"
	"\tbash -e -c \"$UPDRAFT_COMMAND\"\n"
	"fi\n"
	"status=$?\n"
	"printf 'updraft: exit status %s\\n' \"$status\"\n"
	"if [ -n \"$UPDRAFT_MARKER\" ]; then\n"
	"\tprintf '%s\\n' \"$status\" > \"$UPDRAFT_MARKER.tmp.$$\" &&\n"
	"\t\tmv -f \"$UPDRAFT_MARKER.tmp.$$\" \"$UPDRAFT_MARKER\"\n"
	"fi\n"
	"exit $status\n";

const char *
jobscript_text(void)
{
	return (jobscript_wrapper);
}

struct jobscript_env {
	char	**v;
	size_t	  n;
};

static void
jobscript_add(struct jobscript_env *e, const char *key, const char *value)
{
	e->v = xreallocarray(e->v, e->n + 2, sizeof *e->v);
	xasprintf(&e->v[e->n++], "%s=%s", key, value);
	e->v[e->n] = NULL;
}

/* Whether an inherited variable is one we set ourselves. */
static int
jobscript_is_ours(const char *kv)
{
	return (strncmp(kv, "UPDRAFT_", 8) == 0);
}

/*
 * The job's environment: the scheduler's own (as sbatch's --export=ALL
 * would pass a user's), then the task instance's UPDRAFT_* variables.
 */
char **
jobscript_env(const struct jobscript_vars *jv)
{
	struct jobscript_env	 e = { NULL, 0 };
	char			**p, buf[64], ds[16], nodash[16], ts[40];
	struct tm		 tm;

	for (p = environ; p != NULL && *p != NULL; p++) {
		if (jobscript_is_ours(*p))
			continue;
		e.v = xreallocarray(e.v, e.n + 2, sizeof *e.v);
		e.v[e.n++] = xstrdup(*p);
		e.v[e.n] = NULL;
	}

	tz_breakdown(jv->dag->tz, jv->run->logical_date, &tm);
	strftime(ds, sizeof ds, "%Y-%m-%d", &tm);
	strftime(nodash, sizeof nodash, "%Y%m%d", &tm);
	tz_format(jv->dag->tz, jv->run->logical_date, ts, sizeof ts);

	jobscript_add(&e, "UPDRAFT_DAG_ID", jv->dag->id);
	jobscript_add(&e, "UPDRAFT_TASK_ID", jv->task->id);
	jobscript_add(&e, "UPDRAFT_RUN_ID", jv->run->run_id);
	tz_format(NULL, jv->run->logical_date, buf, sizeof buf);
	jobscript_add(&e, "UPDRAFT_LOGICAL_DATE", buf);
	jobscript_add(&e, "UPDRAFT_DS", ds);
	jobscript_add(&e, "UPDRAFT_DS_NODASH", nodash);
	jobscript_add(&e, "UPDRAFT_TS", ts);
	tz_format(jv->dag->tz, jv->run->interval_start, buf, sizeof buf);
	jobscript_add(&e, "UPDRAFT_DATA_INTERVAL_START", buf);
	tz_format(jv->dag->tz, jv->run->interval_end, buf, sizeof buf);
	jobscript_add(&e, "UPDRAFT_DATA_INTERVAL_END", buf);
	snprintf(buf, sizeof buf, "%d", jv->try_number);
	jobscript_add(&e, "UPDRAFT_TRY_NUMBER", buf);
	jobscript_add(&e, "UPDRAFT_TASK_KEY", jv->task_key);
	jobscript_add(&e, "UPDRAFT_MARKER", jv->marker);
	if (jv->task->script != NULL)
		jobscript_add(&e, "UPDRAFT_SCRIPT", jv->task->script);
	else
		jobscript_add(&e, "UPDRAFT_COMMAND", jv->task->command);
	return (e.v);
}

void
jobscript_env_free(char **env)
{
	char	**p;

	for (p = env; p != NULL && *p != NULL; p++)
		free(*p);
	free(env);
}

/*
 * Where the job starts: the DAG file's directory, so that relative paths in
 * a command mean what they mean next to the file (a daemon's own working
 * directory means nothing to the user).
 */
char *
jobscript_work_dir(const struct jobscript_vars *jv)
{
	char	*dir, *slash;

	dir = xstrdup(jv->dag->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(slash != NULL ? "/" : ".");
	}
	return (dir);
}

/* Airflow's task_instance_key_str: <dag>__<task>__<YYYYMMDD>. */
char *
jobscript_task_key(const struct dag *dag, const struct task *task,
    int64_t logical_date)
{
	struct tm	 tm;
	char		 nodash[16], *key;

	tz_breakdown(dag->tz, logical_date, &tm);
	strftime(nodash, sizeof nodash, "%Y%m%d", &tm);
	xasprintf(&key, "%s__%s__%s", dag->id, task->id, nodash);
	return (key);
}

/*
 * The Slurm job name of one try: unique for a task instance and try, so
 * that a restarted scheduler can find a job it submitted but did not record.
 */
char *
jobscript_job_name(const char *dag_id, const char *task_id,
    int64_t logical_date, int try_number)
{
	struct tm	 tm;
	char		 when[32], *name;

	tz_breakdown(NULL, logical_date, &tm);
	strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
	xasprintf(&name, "%s__%s__%s__%d", dag_id, task_id, when, try_number);
	return (name);
}
