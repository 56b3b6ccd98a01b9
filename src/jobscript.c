/* The batch script a task's job runs, and the environment it runs in. */

#include <sys/stat.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobscript.h"
#include "record.h"
#include "template.h"

extern char **environ;

static void	jobscript_problem(char **, const char *, char *);

/*
 * The wrapper is fixed text: what varies reaches it only through the
 * environment, so no value a user wrote is ever parsed as shell by us. It
 * reports a problem found at submission (UPDRAFT_ERROR), changes to the
 * task's workdir, loads its modules (Lmod or Environment Modules, sourcing
 * Lmod's start-up files when the job's shell has no `module`), runs the
 * payload, then writes the exit status to a marker file by rename, so the
 * scheduler can learn how the job ended even after Slurm has forgotten it
 * (MinJobAge). A missing module system is 127, like a missing command.
 */
static const char jobscript_wrapper[] =
	"#!/bin/bash\n"
	"# Updraft task wrapper: run one task instance, record how it ended.\n"
	"if [ -n \"$UPDRAFT_ARRAY_DIR\" ]; then\n"
	"\tm=$UPDRAFT_ARRAY_DIR/$SLURM_ARRAY_TASK_ID\n"
	"\tif [ ! -r \"$m\" ]; then\n"
	"\t\tprintf 'updraft: cannot read %s\\n' \"$m\"\n"
	"\t\texit 1\n"
	"\tfi\n"
	"\twhile IFS= read -r -d '' kv; do\n"
	"\t\texport \"$kv\"\n"
	"\tdone < \"$m\"\n"
	"\tif [ -n \"$UPDRAFT_LOG\" ]; then\n"
	"\t\texec >> \"$UPDRAFT_LOG\" 2>&1\n"
	"\tfi\n"
	"fi\n"
	"printf 'updraft: %s try %s, job %s on %s\\n' \"$UPDRAFT_TASK_KEY\" "
	"\"$UPDRAFT_TRY_NUMBER\" \"$SLURM_JOB_ID\" \"$(hostname)\"\n"
	"if [ -n \"$UPDRAFT_UPSTREAM\" ]; then\n"
	"\twhile IFS= read -r u; do\n"
	"\t\ts=\n"
	"\t\t[ -r \"$u\" ] && read -r s < \"$u\"\n"
	"\t\tif [ \"$s\" != 0 ]; then\n"
	"\t\t\tu=${u##*/}\n"
	"\t\t\tprintf 'updraft: upstream %s did not succeed; not "
	"running\\n' \"${u%.exit}\"\n"
	"\t\t\texit 1\n"
	"\t\tfi\n"
	"\tdone <<< \"$UPDRAFT_UPSTREAM\"\n"
	"fi\n"
	"status=0\n"
	"if [ -n \"$UPDRAFT_ERROR\" ]; then\n"
	"\tprintf 'updraft: %s\\n' \"$UPDRAFT_ERROR\"\n"
	"\tstatus=1\n"
	"elif [ -n \"$UPDRAFT_WORKDIR\" ] &&\n"
	"    ! cd -- \"$UPDRAFT_WORKDIR\"; then\n"
	"\tprintf 'updraft: cannot change to workdir %s\\n' "
	"\"$UPDRAFT_WORKDIR\"\n"
	"\tstatus=1\n"
	"fi\n"
	"if [ \"$status\" = 0 ] && [ -n \"$UPDRAFT_MODULES\" ]; then\n"
	"\tif ! type module >/dev/null 2>&1; then\n"
	"\t\tfor f in /etc/profile.d/lmod.sh "
	"/usr/share/lmod/lmod/init/bash; do\n"
	"\t\t\tif [ -r \"$f\" ]; then\n"
	"\t\t\t\t. \"$f\" >/dev/null 2>&1\n"
	"\t\t\tfi\n"
	"\t\t\tif type module >/dev/null 2>&1; then\n"
	"\t\t\t\tbreak\n"
	"\t\t\tfi\n"
	"\t\tdone\n"
	"\tfi\n"
	"\tif ! type module >/dev/null 2>&1; then\n"
	"\t\tprintf 'updraft: modules requested (%s) but no module system "
	"found (module: command not found)\\n' "
	"\"${UPDRAFT_MODULES//$'\\n'/ }\"\n"
	"\t\tstatus=127\n"
	"\telse\n"
	"\t\twhile IFS= read -r m; do\n"
	"\t\t\tmodule load \"$m\"\n"
	"\t\t\trc=$?\n"
	"\t\t\tif [ \"$rc\" != 0 ]; then\n"
	"\t\t\t\tprintf 'updraft: cannot load module %s (exit status "
	"%s)\\n' \"$m\" \"$rc\"\n"
	"\t\t\t\tstatus=$rc\n"
	"\t\t\t\tbreak\n"
	"\t\t\tfi\n"
	"\t\tdone <<< \"$UPDRAFT_MODULES\"\n"
	"\tfi\n"
	"fi\n"
	"timer=()\n"
	"if [ -n \"$UPDRAFT_METRICS\" ] && [ -x /usr/bin/time ]; then\n"
	"\ttimer=(/usr/bin/time -q -a -o \"$UPDRAFT_METRICS\" -f "
	"'job_elapsed_s=%e\\njob_user_s=%U\\njob_system_s=%S\\n"
	"job_max_rss_kb=%M')\n"
	"fi\n"
	"started=$SECONDS\n"
	/*
	 * The payload runs in a process group of its own (set -m) while
	 * we wait for it, so that the signals Slurm sends to the batch
	 * shell reach it: a B: signal goes to the payload alone, as sbatch
	 * sends it to the batch shell alone (under GNU time, to time's
	 * child, since time would die of it); a signal to stop goes to its
	 * whole group. Once the payload has ended, whatever is left of its
	 * group is killed, as Slurm ends a batch step's processes when its
	 * shell exits, but also those that Slurm lost track of without
	 * cgroups (orphans). The stop traps stay to the end: Slurm signals
	 * every process at once, so ours may come after the payload ended. `wait` returns early when a trap runs: wait again
	 * until the payload has really ended, then take its own status.
	 */
	"updraft_payload() {\n"
	"\tlocal p=$pid\n"
	"\tif [ ${#timer[@]} != 0 ]; then\n"
	"\t\tp=\n"
	"\t\t{ read -r p _ < /proc/$pid/task/$pid/children; } 2>/dev/null\n"
	"\t\t[ -n \"$p\" ] || p=$(pgrep -P \"$pid\")\n"
	"\tfi\n"
	"\tprintf '%s' \"$p\"\n"
	"}\n"
	"updraft_alive() {\n"
	"\tlocal s\n"
	"\tread -r s < \"/proc/$1/stat\" 2>/dev/null || return 1\n"
	"\ts=${s##*) }\n"
	"\t[ \"${s%% *}\" != Z ]\n"
	"}\n"
	"updraft_forward() {\n"
	"\tlocal p\n"
	"\tp=$(updraft_payload)\n"
	"\tprintf 'updraft: SIG%s forwarded to the task\\n' \"$1\"\n"
	"\t[ -n \"$p\" ] && kill -s \"$1\" \"$p\" 2>/dev/null\n"
	"}\n"
	"updraft_stop() {\n"
	"\t[ -z \"$stopped\" ] && payload=$(updraft_payload)\n"
	"\tstopped=$1\n"
	"\tprintf 'updraft: SIG%s: stopping the task\\n' \"$1\"\n"
	"\tkill -s \"$1\" -- \"-$pid\" 2>/dev/null\n"
	"}\n"
	"stopped= payload=\n"
	"if [ \"$status\" = 0 ]; then\n"
	"\tset -m\n"
	"\tif [ -n \"$UPDRAFT_SCRIPT\" ]; then\n"
	"\t\tif [ -x \"$UPDRAFT_SCRIPT\" ]; then\n"
	"\t\t\t\"${timer[@]}\" \"$UPDRAFT_SCRIPT\" &\n"
	"\t\telse\n"
	"\t\t\t\"${timer[@]}\" bash \"$UPDRAFT_SCRIPT\" &\n"
	"\t\tfi\n"
	"\telse\n"
	"\t\t\"${timer[@]}\" bash -e -c \"$UPDRAFT_COMMAND\" &\n"
	"\tfi\n"
	"\tpid=$!\n"
	"\tset +m\n"
	"\tfor sig in USR1 USR2 ALRM URG WINCH; do\n"
	"\t\ttrap \"updraft_forward $sig\" \"$sig\"\n"
	"\tdone\n"
	"\tfor sig in TERM INT HUP QUIT XCPU; do\n"
	"\t\ttrap \"updraft_stop $sig\" \"$sig\"\n"
	"\tdone\n"
	"\twhile :; do\n"
	"\t\twait \"$pid\"\n"
	"\t\tstatus=$?\n"
	"\t\tkill -0 \"$pid\" 2>/dev/null || break\n"
	"\tdone\n"
	"\ttrap - USR1 USR2 ALRM URG WINCH\n"
	"\twhile [ -n \"$payload\" ] && updraft_alive \"$payload\"; do\n"
	"\t\tsleep 0.1\n"
	"\tdone\n"
	"\tkill -s KILL -- \"-$pid\" 2>/dev/null\n"
	"fi\n"
	"if [ -n \"$UPDRAFT_METRICS\" ]; then\n"
	"\tif [ ${#timer[@]} = 0 ]; then\n"
	"\t\tprintf 'job_elapsed_s=%s\\n' $((SECONDS - started)) "
	">> \"$UPDRAFT_METRICS\"\n"
	"\tfi\n"
	"\tIFS=, read -ra gpus <<< \"$CUDA_VISIBLE_DEVICES\"\n"
	"\tprintf 'job_gpus=%s\\n' ${#gpus[@]} >> \"$UPDRAFT_METRICS\"\n"
	"fi\n"
	"if [ \"$status\" = 0 ] && [ -n \"$UPDRAFT_CHECKSUMS\" ]; then\n"
	"\twhile IFS= read -r name; do\n"
	"\t\tvar=UPDRAFT_OUTPUT_${name^^}\n"
	"\t\tif [ -f \"${!var}\" ] && sum=$(sha256sum < \"${!var}\"); then\n"
	"\t\t\tprintf '%s=%s\\n' \"$name\" \"${sum%% *}\" "
	">> \"$UPDRAFT_CHECKSUMS\"\n"
	"\t\tfi\n"
	"\tdone <<< \"$UPDRAFT_DECLARED_OUTPUTS\"\n"
	"fi\n"
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

/*
 * Whether an inherited variable is one we set ourselves: an UPDRAFT_ one,
 * or one the DAG file sets.
 */
static int
jobscript_is_ours(const char *kv, const struct task *task)
{
	size_t	len, i;

	if (strncmp(kv, "UPDRAFT_", 8) == 0)
		return (1);
	len = strcspn(kv, "=");
	for (i = 0; i < task->nenv; i++) {
		if (strlen(task->env[i].name) == len &&
		    strncmp(task->env[i].name, kv, len) == 0)
			return (1);
	}
	return (0);
}

/* The template fields of one try, as the UPDRAFT_* variables give them. */
struct jobscript_fields {
	char		 ds[16];
	char		 nodash[16];
	char		 ts[40];
	char		 logical[40];
	char		 start[40];
	char		 end[40];
	char		 try[16];
	const char	*v[TEMPLATE_NFIELDS];
};

static void
jobscript_fields(const struct jobscript_vars *jv, struct jobscript_fields *f)
{
	const struct dag	*dag = jv->dag;
	const struct run	*r = jv->run;
	struct tm		 tm;

	tz_breakdown(dag->tz, r->logical_date, &tm);
	strftime(f->ds, sizeof f->ds, "%Y-%m-%d", &tm);
	strftime(f->nodash, sizeof f->nodash, "%Y%m%d", &tm);
	tz_format(dag->tz, r->logical_date, f->ts, sizeof f->ts);
	tz_format(NULL, r->logical_date, f->logical, sizeof f->logical);
	tz_format(dag->tz, r->interval_start, f->start, sizeof f->start);
	tz_format(dag->tz, r->interval_end, f->end, sizeof f->end);
	snprintf(f->try, sizeof f->try, "%d", jv->try_number);

	f->v[TEMPLATE_DS] = f->ds;
	f->v[TEMPLATE_DS_NODASH] = f->nodash;
	f->v[TEMPLATE_TS] = f->ts;
	f->v[TEMPLATE_LOGICAL_DATE] = f->logical;
	f->v[TEMPLATE_DATA_INTERVAL_START] = f->start;
	f->v[TEMPLATE_DATA_INTERVAL_END] = f->end;
	f->v[TEMPLATE_RUN_ID] = r->run_id;
	f->v[TEMPLATE_DAG_ID] = dag->id;
	f->v[TEMPLATE_TASK_ID] = jv->task->id;
	f->v[TEMPLATE_TRY_NUMBER] = f->try;
}

/* Return the DAG file's directory. */
static char *
jobscript_dag_dir(const struct dag *dag)
{
	char	*dir, *slash;

	dir = xstrdup(dag->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(slash != NULL ? "/" : ".");
	}
	return (dir);
}

/*
 * Expand the task's workdir and make it absolute under the DAG file's
 * directory. Return NULL with a cause if it cannot be expanded, or NULL
 * without one if the task has none.
 */
static char *
jobscript_task_dir(const struct jobscript_vars *jv,
    const struct jobscript_fields *f, char **cause)
{
	char	*dir, *path, *top;

	*cause = NULL;
	if (jv->task->workdir == NULL)
		return (NULL);
	if ((dir = template_expand(jv->task->workdir, f->v, cause)) == NULL)
		return (NULL);
	if (*dir == '/')
		return (dir);
	top = jobscript_dag_dir(jv->dag);
	xasprintf(&path, "%s/%s", top, dir);
	free(top);
	free(dir);
	return (path);
}

/*
 * Expand a declared output's path; a relative one is under the job's
 * working directory. NULL with a cause if it cannot be expanded.
 */
char *
jobscript_output_path(const struct jobscript_vars *jv,
    const struct task_output *o, char **cause)
{
	struct jobscript_fields	 f;
	char			*v, *dir, *path;

	jobscript_fields(jv, &f);
	if ((v = template_expand(o->path, f.v, cause)) == NULL)
		return (NULL);
	if (*v == '/')
		return (v);
	dir = jobscript_work_dir(jv);
	xasprintf(&path, "%s/%s", dir, v);
	free(dir);
	free(v);
	return (path);
}

/*
 * The declared outputs, as UPDRAFT_OUTPUT_<NAME>, their names one a line in
 * UPDRAFT_DECLARED_OUTPUTS, and with 'checksum' the file where the wrapper
 * writes each one's SHA-256 (UPDRAFT_CHECKSUMS).
 */
static void
jobscript_outputs(struct jobscript_env *e, const struct jobscript_vars *jv,
    char **error)
{
	const struct task	*task = jv->task;
	char			*names = NULL, *name, *path, *c, *cause, *what;
	size_t			 i;

	for (i = 0; i < task->noutputs; i++) {
		path = jobscript_output_path(jv, &task->outputs[i], &cause);
		if (path == NULL) {
			xasprintf(&what, "output '%s'", task->outputs[i].name);
			jobscript_problem(error, what, cause);
			free(what);
			continue;
		}
		xasprintf(&name, "UPDRAFT_OUTPUT_%s", task->outputs[i].name);
		for (c = name; *c != '\0'; c++)
			*c = (char)toupper((unsigned char)*c);
		jobscript_add(e, name, path);
		free(name);
		free(path);
		c = names;
		xasprintf(&names, "%s%s%s", c != NULL ? c : "",
		    c != NULL ? "\n" : "", task->outputs[i].name);
		free(c);
	}
	if (names == NULL)
		return;
	jobscript_add(e, "UPDRAFT_DECLARED_OUTPUTS", names);
	free(names);
	if (task->checksum &&
	    (path = jobscript_results_path(jv->marker, "sha256")) != NULL) {
		unlink(path);
		jobscript_add(e, "UPDRAFT_CHECKSUMS", path);
		free(path);
	}
}

/* Keep the first problem, saying where it was. */
static void
jobscript_problem(char **error, const char *what, char *cause)
{
	if (*error == NULL)
		xasprintf(error, "cannot expand %s: %s", what, cause);
	free(cause);
}

/*
 * Where a try's results file goes, next to the markers folder: for the
 * marker STATE/markers/NAME.exit, STATE/results/NAME.ext. NULL if the marker
 * is not in such a folder.
 */
char *
jobscript_results_path(const char *marker, const char *ext)
{
	const char	*slash, *dot, *p;
	char		*path;

	if (marker == NULL || (slash = strrchr(marker, '/')) == NULL ||
	    (dot = strrchr(slash, '.')) == NULL)
		return (NULL);
	for (p = slash; p > marker && p[-1] != '/'; p--)
		;
	if ((size_t)(slash - p) != strlen("markers") ||
	    strncmp(p, "markers", strlen("markers")) != 0)
		return (NULL);
	xasprintf(&path, "%.*sresults%.*s.%s", (int)(p - marker), marker,
	    (int)(dot - slash), slash, ext);
	return (path);
}

/*
 * The try's results files (UPDRAFT_METRICS, UPDRAFT_OUTPUTS), none there
 * yet, in a folder that exists, and its run's params
 * as UPDRAFT_PARAM_<NAME>: the run's values, then the DAG's defaults for
 * params the run predates.
 */
static void
jobscript_results(struct jobscript_env *e, const struct jobscript_vars *jv)
{
	const struct dag	*dag = jv->dag;
	struct record_kv	*kv = NULL;
	size_t			 nkv = 0, i, j;
	char			*path, *slash, *name, *c;
	static const char	*ext[] = { "metrics", "outputs" };
	static const char	*var[] = { "UPDRAFT_METRICS", "UPDRAFT_OUTPUTS" };

	for (i = 0; i < 2; i++) {
		if ((path = jobscript_results_path(jv->marker, ext[i])) == NULL)
			continue;
		slash = strrchr(path, '/');
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
		unlink(path);
		jobscript_add(e, var[i], path);
		free(path);
	}

	if (jv->run->params != NULL &&
	    record_params_parse(jv->run->params, &kv, &nkv) != 0)
		log_warnx("run '%s': bad params '%s'", jv->run->run_id,
		    jv->run->params);
	for (i = 0; i < nkv + dag->nparams; i++) {
		if (i >= nkv) {
			for (j = 0; j < nkv; j++) {
				if (strcmp(kv[j].name,
				    dag->params[i - nkv].name) == 0)
					break;
			}
			if (j < nkv)
				continue;
		}
		xasprintf(&name, "UPDRAFT_PARAM_%s", i < nkv ? kv[i].name :
		    dag->params[i - nkv].name);
		for (c = name; *c != '\0'; c++)
			*c = (char)toupper((unsigned char)*c);
		jobscript_add(e, name, i < nkv ? kv[i].value :
		    dag->params[i - nkv].value);
		free(name);
	}
	record_kv_free(kv, nkv);
}

static void	jobscript_own(struct jobscript_env *,
		    const struct jobscript_vars *);

/*
 * The job's environment: the scheduler's own (as sbatch's --export=ALL
 * would pass a user's) less what we set, then the task instance's UPDRAFT_*
 * variables, then the DAG file's env with its templates expanded. A template
 * that cannot be expanded leaves UPDRAFT_ERROR, and the job fails with it.
 */
static void
jobscript_base(struct jobscript_env *e, const struct task *task)
{
	char	**p;

	for (p = environ; p != NULL && *p != NULL; p++) {
		if (jobscript_is_ours(*p, task))
			continue;
		e->v = xreallocarray(e->v, e->n + 2, sizeof *e->v);
		e->v[e->n++] = xstrdup(*p);
		e->v[e->n] = NULL;
	}
}

/*
 * What every element of a job array shares: the environment less the task
 * instance's own variables, which the wrapper reads from the manifest.
 */
char **
jobscript_env_base(const struct dag *dag, const struct task *task,
    const char *manifest_dir)
{
	struct jobscript_env	 e = { NULL, 0 };

	(void)dag;
	jobscript_base(&e, task);
	jobscript_add(&e, "UPDRAFT_ARRAY_DIR", manifest_dir);
	return (e.v);
}

char **
jobscript_env(const struct jobscript_vars *jv)
{
	struct jobscript_env	 e = { NULL, 0 };

	jobscript_base(&e, jv->task);
	jobscript_own(&e, jv);
	return (e.v);
}

/* The task instance's own variables only: one element of a job array. */
char **
jobscript_env_own(const struct jobscript_vars *jv)
{
	struct jobscript_env	 e = { NULL, 0 };

	jobscript_own(&e, jv);
	if (jv->log != NULL)
		jobscript_add(&e, "UPDRAFT_LOG", jv->log);
	if (jv->upstream != NULL)
		jobscript_add(&e, "UPDRAFT_UPSTREAM", jv->upstream);
	if (e.v == NULL)
		e.v = xcalloc(1, sizeof *e.v);
	return (e.v);
}

/*
 * Write one element's variables as NUL-terminated KEY=VALUE records, read
 * by the wrapper with `read -d ''` and `export`, never evaluated as shell.
 * 0, or -1 with errno.
 */
int
jobscript_manifest_write(const char *path, char **env)
{
	FILE	*f;
	size_t	 i;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	for (i = 0; env[i] != NULL; i++)
		fwrite(env[i], 1, strlen(env[i]) + 1, f);
	rc = ferror(f);
	if (fclose(f) != 0 || rc != 0)
		return (-1);
	return (0);
}

/*
 * The task instance's UPDRAFT_* variables, then the DAG file's env with its
 * templates expanded.
 */
static void
jobscript_own(struct jobscript_env *out, const struct jobscript_vars *jv)
{
	const struct task	*task = jv->task;
	struct jobscript_env	 e = *out;
	struct jobscript_fields	 f;
	char			*error = NULL, *cause, *v, *what;
	char			*modules;
	size_t			 i, len;

	jobscript_fields(jv, &f);
	jobscript_add(&e, "UPDRAFT_DAG_ID", jv->dag->id);
	jobscript_add(&e, "UPDRAFT_TASK_ID", task->id);
	jobscript_add(&e, "UPDRAFT_RUN_ID", jv->run->run_id);
	jobscript_add(&e, "UPDRAFT_LOGICAL_DATE", f.logical);
	jobscript_add(&e, "UPDRAFT_DS", f.ds);
	jobscript_add(&e, "UPDRAFT_DS_NODASH", f.nodash);
	jobscript_add(&e, "UPDRAFT_TS", f.ts);
	jobscript_add(&e, "UPDRAFT_DATA_INTERVAL_START", f.start);
	jobscript_add(&e, "UPDRAFT_DATA_INTERVAL_END", f.end);
	jobscript_add(&e, "UPDRAFT_TRY_NUMBER", f.try);
	jobscript_add(&e, "UPDRAFT_TASK_KEY", jv->task_key);
	jobscript_add(&e, "UPDRAFT_MARKER", jv->marker);
	jobscript_results(&e, jv);

	if (task->script != NULL)
		jobscript_add(&e, "UPDRAFT_SCRIPT", task->script);
	else if ((v = template_expand(task->command, f.v, &cause)) != NULL) {
		jobscript_add(&e, "UPDRAFT_COMMAND", v);
		free(v);
	} else
		jobscript_problem(&error, "'command'", cause);

	if ((v = jobscript_task_dir(jv, &f, &cause)) != NULL) {
		jobscript_add(&e, "UPDRAFT_WORKDIR", v);
		free(v);
	} else if (cause != NULL)
		jobscript_problem(&error, "'workdir'", cause);

	if (task->modules != NULL && task->modules[0] != NULL) {
		for (i = 0, len = 1; task->modules[i] != NULL; i++)
			len += strlen(task->modules[i]) + 1;
		modules = xmalloc(len);
		for (i = 0, len = 0; task->modules[i] != NULL; i++) {
			if (i > 0)
				modules[len++] = '\n';
			memcpy(modules + len, task->modules[i],
			    strlen(task->modules[i]));
			len += strlen(task->modules[i]);
		}
		modules[len] = '\0';
		jobscript_add(&e, "UPDRAFT_MODULES", modules);
		free(modules);
	}

	for (i = 0; i < task->nenv; i++) {
		v = template_expand(task->env[i].value, f.v, &cause);
		if (v == NULL) {
			xasprintf(&what, "env '%s'", task->env[i].name);
			jobscript_problem(&error, what, cause);
			free(what);
			continue;
		}
		jobscript_add(&e, task->env[i].name, v);
		free(v);
	}

	jobscript_outputs(&e, jv, &error);
	for (i = 0; jv->inputs != NULL && jv->inputs[i] != NULL; i++) {
		e.v = xreallocarray(e.v, e.n + 2, sizeof *e.v);
		e.v[e.n++] = xstrdup(jv->inputs[i]);
		e.v[e.n] = NULL;
	}

	if (error != NULL) {
		jobscript_add(&e, "UPDRAFT_ERROR", error);
		free(error);
	}
	*out = e;
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
 * Where the job starts: the task's workdir, else the DAG file's directory,
 * so that relative paths in a command mean what they mean next to the file
 * (a daemon's own working directory means nothing to the user). A workdir
 * that cannot be expanded gives the DAG file's directory; the job fails
 * with the cause jobscript_env left it.
 */
char *
jobscript_work_dir(const struct jobscript_vars *jv)
{
	struct jobscript_fields	 f;
	char			*dir, *cause;

	jobscript_fields(jv, &f);
	if ((dir = jobscript_task_dir(jv, &f, &cause)) != NULL)
		return (dir);
	free(cause);
	return (jobscript_dag_dir(jv->dag));
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
 * The Slurm job name of one try: unique for a task instance, try and home
 * (cfg->job_suffix), so that a restarted scheduler can find a job it
 * submitted but did not record. It starts with the DAG id, as people
 * reading squeue expect.
 */
char *
jobscript_job_name(const struct config *cfg, const char *dag_id,
    const char *task_id, int64_t logical_date, int try_number)
{
	struct tm	 tm;
	char		 when[32], *name;

	tz_breakdown(NULL, logical_date, &tm);
	strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
	xasprintf(&name, "%s__%s__%s__%d__%s", dag_id, task_id, when,
	    try_number, cfg->job_suffix);
	return (name);
}
