/* Unit tests for dagfile*.c and config.c: fixtures, messages. */

#include <sys/stat.h>

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"
#include "template.h"
#include "units.h"
#include "unit.h"

static const char	*datadir;

static char	*write_file(const char *, const char *);

static char *
data_path(const char *rel)
{
	char	*path;

	xasprintf(&path, "%s/%s", datadir, rel);
	return (path);
}

/* FNV-1a 64 over some files in order, the way versions are made. */
static void
hash_files(char *out, const char **paths, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	FILE		*f;
	size_t		 i;
	int		 c;

	for (i = 0; i < n; i++) {
		if ((f = fopen(paths[i], "rb")) == NULL) {
			CHECK(0, "cannot open %s", paths[i]);
			continue;
		}
		while ((c = getc(f)) != EOF) {
			h ^= (unsigned char)c;
			h *= 0x100000001b3ULL;
		}
		fclose(f);
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static struct dag *
load(const char *rel, const struct config *cfg)
{
	struct dag	*dag;
	char		*path, *cause = NULL;

	path = data_path(rel);
	dag = dagfile_load(path, cfg, &cause);
	CHECK(dag != NULL, "%s: %s", path, cause != NULL ? cause : "?");
	free(cause);
	free(path);
	return (dag);
}

static void
test_nightly(void)
{
	struct config	 cfg;
	struct dag	*dag;
	struct task	*t;
	char		*paths[2], version[17], *dir;

	memset(&cfg, 0, sizeof cfg);
	cfg.gpu_partition = (char []){ "gpu" };
	if ((dag = load("dags/nightly_train.dag", &cfg)) == NULL)
		return;
	CHECK_STR(dag->id, "nightly_train");
	CHECK_STR(dag->schedule_text, "0 3 * * *");
	CHECK(dag->schedule != NULL &&
	    schedule_kind(dag->schedule) == SCHEDULE_CRON, "cron");
	CHECK_STR(tz_name(dag->tz), "Europe/Berlin");
	/* Midnight in Berlin (CET, +1) on 2026-11-01. */
	CHECK(dag->start_date == 1793487600, "start %lld",
	    (long long)dag->start_date);
	/* 23:00 CET on 2026-12-31. */
	CHECK(dag->end_date == 1798754400, "end %lld",
	    (long long)dag->end_date);
	CHECK(dag->catchup == 0, "catchup %d", dag->catchup);
	CHECK(dag->max_active_runs == 4, "max_active_runs %d",
	    dag->max_active_runs);
	CHECK(dag->ntasks == 3, "ntasks %zu", dag->ntasks);
	if (dag->ntasks != 3)
		goto out;

	t = &dag->tasks[0];
	CHECK_STR(t->id, "prep");
	CHECK(t->line == 18, "prep line %d", t->line);
	CHECK_STR(t->command, "python prep.py --day \"$UPDRAFT_DS\"");
	CHECK(t->script == NULL, "prep script");
	CHECK(t->nafter == 0, "prep nafter %zu", t->nafter);
	CHECK_STR(t->res.partition, "cpu");
	CHECK_STR(t->res.account, "ml");
	CHECK(t->res.time_limit == 30, "prep time %ld", t->res.time_limit);
	CHECK(t->res.mem_mb == 2048, "prep mem %ld", t->res.mem_mb);
	CHECK(t->retries == 1, "prep retries %d", t->retries);
	CHECK(t->retry_delay == 600, "prep retry_delay %ld", t->retry_delay);
	CHECK(t->res.gpus == 0 && t->res.cpus_per_task == 0, "prep counts");

	t = &dag->tasks[1];
	CHECK_STR(t->id, "train");
	CHECK(t->line == 19, "train line %d", t->line);
	CHECK(t->command == NULL, "train command");
	dir = realpath(datadir, NULL);
	xasprintf(&paths[0], "%s/dags/train.sbatch", dir != NULL ? dir : "?");
	CHECK_STR(t->script, paths[0]);
	free(paths[0]);
	free(dir);
	CHECK(t->nafter == 1, "train nafter %zu", t->nafter);
	if (t->nafter == 1)
		CHECK_STR(t->after[0], "prep");
	CHECK(t->res.gpus == 1, "train gpus %d", t->res.gpus);
	CHECK_STR(t->res.partition, "a100");
	CHECK(t->res.time_limit == 240, "train time %ld", t->res.time_limit);
	CHECK(t->res.mem_mb == 64000, "train mem %ld", t->res.mem_mb);
	CHECK(t->res.cpus_per_task == 8, "train cpus %d",
	    t->res.cpus_per_task);
	CHECK(t->retries == 1, "train retries %d", t->retries);
	/* From its script's #SBATCH lines; its own time beats the script's. */
	CHECK_STR(t->res.constraint, "a100");

	t = &dag->tasks[2];
	CHECK_STR(t->id, "eval");
	CHECK(t->line == 29, "eval line %d", t->line);
	CHECK(t->nafter == 1, "eval nafter %zu", t->nafter);
	if (t->nafter == 1)
		CHECK_STR(t->after[0], "train");
	CHECK(t->retries == 0, "eval retries %d", t->retries);
	CHECK(t->retry_delay == 30, "eval retry_delay %ld", t->retry_delay);
	/* mem_per_cpu replaces the defaults' mem. */
	CHECK(t->res.mem_mb == 0, "eval mem %ld", t->res.mem_mb);
	CHECK(t->res.mem_per_cpu_mb == 1, "eval mem_per_cpu %ld",
	    t->res.mem_per_cpu_mb);

	CHECK(dag_find_task(dag, "train") == &dag->tasks[1], "find train");
	CHECK(dag_find_task(dag, "nope") == NULL, "find nope");
	CHECK(dag_find_task(dag, NULL) == NULL, "find NULL");
	CHECK(dag_find_task(NULL, "train") == NULL, "find in NULL");

	/* The version covers the file, then each script in task order. */
	paths[0] = data_path("dags/nightly_train.dag");
	paths[1] = data_path("dags/train.sbatch");
	hash_files(version, (const char **)paths, 2);
	CHECK_STR(dag->version, version);
	free(paths[0]);
	free(paths[1]);
out:
	dag_free(dag);
}

static void
test_minimal(void)
{
	struct dag	*dag;
	struct task	*t;
	char		*path, version[17];

	/* No config at all: no partition defaults. */
	if ((dag = load("dags/minimal.dag", NULL)) == NULL)
		return;
	CHECK_STR(dag->id, "minimal");
	CHECK_STR(dag->schedule_text, "none");
	CHECK(dag->schedule != NULL &&
	    schedule_kind(dag->schedule) == SCHEDULE_NONE, "none");
	CHECK_STR(tz_name(dag->tz), "UTC");
	CHECK(dag->start_date == 0 && dag->end_date == 0, "dates");
	CHECK(dag->catchup == 1, "catchup %d", dag->catchup);
	CHECK(dag->max_active_runs == 16, "max_active_runs %d",
	    dag->max_active_runs);
	CHECK(dag->ntasks == 1, "ntasks %zu", dag->ntasks);
	t = &dag->tasks[0];
	CHECK_STR(t->id, "hello");
	CHECK_STR(t->command, "echo hello");
	CHECK(t->res.partition == NULL, "partition %s", t->res.partition);
	CHECK(t->res.time_limit == 0 && t->res.mem_mb == 0, "unset");
	CHECK(t->retries == 0 && t->retry_delay == 300, "retry defaults");
	path = data_path("dags/minimal.dag");
	hash_files(version, (const char **)&path, 1);
	CHECK_STR(dag->version, version);
	CHECK_STR(dag->path, path);
	free(path);
	dag_free(dag);
}

static void
test_resources(void)
{
	struct config	 cfg;
	struct dag	*dag;
	struct task	*t;

	memset(&cfg, 0, sizeof cfg);
	cfg.gpu_partition = (char []){ "gpgpu" };
	cfg.default_partition = (char []){ "batch" };
	if ((dag = load("dags/resources.dag", &cfg)) == NULL)
		return;
	CHECK_STR(dag->id, "resources");
	CHECK(dag->schedule != NULL &&
	    schedule_kind(dag->schedule) == SCHEDULE_EVERY, "every");
	CHECK(dag->start_date == 1767249000, "start %lld",
	    (long long)dag->start_date);
	CHECK(dag->ntasks == 4, "ntasks %zu", dag->ntasks);
	if (dag->ntasks != 4)
		goto out;

	t = &dag->tasks[0];
	CHECK_STR(t->id, "gpu_by_count");
	CHECK_STR(t->res.partition, "gpgpu");
	CHECK(t->res.gpus == 2, "gpus %d", t->res.gpus);
	CHECK_STR(t->res.account, "physics");
	CHECK_STR(t->res.qos, "normal");
	CHECK_STR(t->res.constraint, "intel");
	CHECK(t->res.time_limit == 90, "time %ld", t->res.time_limit);
	CHECK(t->res.mem_per_cpu_mb == 1024, "mem_per_cpu %ld",
	    t->res.mem_per_cpu_mb);
	CHECK(t->res.mem_mb == 0, "mem %ld", t->res.mem_mb);
	CHECK(t->res.ntasks == 2 && t->res.nodes == 1, "ntasks/nodes");
	CHECK(t->res.cpus_per_task == 0, "cpus %d", t->res.cpus_per_task);
	CHECK(t->res.gres == NULL, "gres");
	CHECK(t->retries == 3 && t->retry_delay == 300, "retries");

	t = &dag->tasks[1];
	CHECK_STR(t->id, "gpu_by_gres");
	CHECK_STR(t->res.gres, "gpu:a100:1");
	CHECK(t->res.gpus == 0, "gpus %d", t->res.gpus);
	CHECK_STR(t->res.partition, "gpgpu");

	t = &dag->tasks[2];
	CHECK_STR(t->id, "plain");
	CHECK_STR(t->res.partition, "batch");
	CHECK(t->nafter == 2, "nafter %zu", t->nafter);
	if (t->nafter == 2) {
		CHECK_STR(t->after[0], "gpu_by_count");
		CHECK_STR(t->after[1], "gpu_by_gres");
	}
	CHECK(t->res.time_limit == 2160, "time %ld", t->res.time_limit);
	CHECK(t->res.mem_mb == 1048576, "mem %ld", t->res.mem_mb);
	CHECK(t->res.mem_per_cpu_mb == 0, "mem_per_cpu %ld",
	    t->res.mem_per_cpu_mb);
	CHECK(t->res.cpus_per_task == 4, "cpus %d", t->res.cpus_per_task);

	t = &dag->tasks[3];
	CHECK_STR(t->id, "own.partition-1");
	CHECK_STR(t->res.partition, "big");
	CHECK(t->res.gpus == 1, "gpus %d", t->res.gpus);
	CHECK(t->res.time_limit == 2881, "time %ld", t->res.time_limit);
	CHECK(t->retry_delay == 7200, "retry_delay %ld", t->retry_delay);
	CHECK(t->nafter == 0, "nafter %zu", t->nafter);
	CHECK_STR(t->res.qos, "high");
	CHECK_STR(t->res.account, "chem");
	CHECK_STR(t->res.constraint, "amd");
	CHECK(t->res.ntasks == 1 && t->res.nodes == 4, "ntasks/nodes");
	CHECK(t->retries == 3, "retries %d", t->retries);
out:
	dag_free(dag);

	/* Without a config, no partition is made up. */
	if ((dag = load("dags/resources.dag", NULL)) == NULL)
		return;
	CHECK(dag->tasks[0].res.partition == NULL, "no gpu partition");
	CHECK(dag->tasks[2].res.partition == NULL, "no default partition");
	dag_free(dag);
}

/* A script's #SBATCH lines fill what the task and the defaults leave unset. */
static void
test_sbatch(void)
{
	struct config	 cfg;
	struct dag	*dag;
	struct task	*t;
	char		*paths[6], version[17];
	size_t		 i;

	memset(&cfg, 0, sizeof cfg);
	cfg.gpu_partition = (char []){ "gpgpu" };
	cfg.default_partition = (char []){ "batch" };
	if ((dag = load("dags/sbatch.dag", &cfg)) == NULL)
		return;
	CHECK(dag->ntasks == 5, "ntasks %zu", dag->ntasks);
	if (dag->ntasks != 5)
		goto out;

	t = &dag->tasks[0];
	CHECK_STR(t->id, "forms");
	CHECK_STR(t->res.partition, "short");
	CHECK_STR(t->res.account, "chem");	/* the defaults beat -A */
	CHECK_STR(t->res.qos, "high");
	CHECK(t->res.time_limit == 45, "time %ld", t->res.time_limit);
	CHECK(t->res.cpus_per_task == 4, "cpus %d", t->res.cpus_per_task);
	CHECK(t->res.ntasks == 2, "ntasks %d", t->res.ntasks);
	CHECK(t->res.nodes == 3, "nodes %d", t->res.nodes);
	CHECK(t->res.mem_per_cpu_mb == 2048, "mem_per_cpu %ld",
	    t->res.mem_per_cpu_mb);
	CHECK(t->res.mem_mb == 0, "mem %ld", t->res.mem_mb);
	CHECK_STR(t->res.constraint, "intel&ib");
	CHECK(t->res.gpus == 0 && t->res.gres == NULL, "no gpus");
	CHECK(t->retries == 1 && t->retry_delay == 300, "retries");

	t = &dag->tasks[1];
	CHECK_STR(t->id, "own_mem");
	CHECK(t->res.mem_mb == 1024, "mem %ld", t->res.mem_mb);
	CHECK(t->res.mem_per_cpu_mb == 0, "mem_per_cpu %ld",
	    t->res.mem_per_cpu_mb);
	CHECK(t->res.ntasks == 8, "ntasks %d", t->res.ntasks);
	/* Of two --time lines, the later wins, as in sbatch. */
	CHECK(t->res.time_limit == 180, "time %ld", t->res.time_limit);
	CHECK_STR(t->res.partition, "short");

	t = &dag->tasks[2];
	CHECK_STR(t->id, "gpu_part");
	CHECK_STR(t->res.partition, "gpu-small");
	CHECK(t->res.gpus == 0, "gpus %d", t->res.gpus);
	CHECK_STR(t->res.gres, "gpu:2");
	CHECK_STR(t->res.account, "chem");

	t = &dag->tasks[3];
	CHECK_STR(t->id, "gpu_own");
	CHECK_STR(t->res.partition, "a100");
	CHECK(t->res.gpus == 0, "gpus %d", t->res.gpus);
	CHECK_STR(t->res.gres, "gpu:4");	/* beats the script's */

	t = &dag->tasks[4];
	CHECK_STR(t->id, "gpu_count");
	CHECK_STR(t->res.partition, "gpgpu");
	CHECK(t->res.gpus == 1, "gpus %d", t->res.gpus);
	CHECK(t->res.mem_mb == 16384, "mem %ld", t->res.mem_mb);

	/* Each task's script counts in the version, in task order. */
	paths[0] = data_path("dags/sbatch.dag");
	paths[1] = data_path("dags/forms.sbatch");
	paths[2] = data_path("dags/forms.sbatch");
	paths[3] = data_path("dags/gpu.sbatch");
	paths[4] = data_path("dags/gpu.sbatch");
	paths[5] = data_path("dags/gpu_count.sbatch");
	hash_files(version, (const char **)paths, 6);
	CHECK_STR(dag->version, version);
	for (i = 0; i < 6; i++)
		free(paths[i]);
out:
	dag_free(dag);

	/* Without a config, only the script names a partition. */
	if ((dag = load("dags/sbatch.dag", NULL)) == NULL)
		return;
	CHECK_STR(dag->tasks[2].res.partition, "gpu-small");
	CHECK(dag->tasks[4].res.partition == NULL, "no gpu partition");
	dag_free(dag);
}

/* The newer keys, env, workdir, modules, and the newer #SBATCH options. */
static void
test_more(void)
{
	struct config	 cfg;
	struct dag	*dag;
	struct task	*t;
	char		*path, *text, *cause;

	memset(&cfg, 0, sizeof cfg);
	cfg.gpu_partition = (char []){ "gpgpu" };
	cfg.default_partition = (char []){ "batch" };
	if ((dag = load("dags/more.dag", &cfg)) == NULL)
		return;
	CHECK(dag->ntasks == 4, "ntasks %zu", dag->ntasks);
	if (dag->ntasks != 4)
		goto out;

	t = &dag->tasks[0];
	CHECK_STR(t->id, "keys");
	CHECK_STR(t->command, "echo {{ dag_id }} {{task_id}} {{ try_number }}");
	CHECK(t->res.mem_per_gpu_mb == 4096, "mem_per_gpu %ld",
	    t->res.mem_per_gpu_mb);
	CHECK(t->res.cpus_per_gpu == 2 && t->res.ntasks_per_node == 4 &&
	    t->res.gpus_per_node == 1 && t->res.gpus_per_task == 1, "counts");
	CHECK(t->res.exclusive == 0, "exclusive %d", t->res.exclusive);
	CHECK_STR(t->res.reservation, "maint");
	CHECK_STR(t->res.licenses, "matlab:2|comsol");
	CHECK(t->res.nice == -5, "nice %d", t->res.nice);
	CHECK(t->res.signal.num == SIGUSR1 && t->res.signal.secs == 300 &&
	    t->res.signal.batch_only == 1, "signal");
	CHECK_STR(t->res.comment, "a comment, with spaces");
	CHECK_STR(t->res.mail_user, "me@example.org");
	CHECK(t->res.mail_type == 0, "mail_type %#x", t->res.mail_type);
	CHECK(t->modules != NULL && t->modules[0] == NULL, "no modules");
	CHECK_STR(t->workdir, "work/{{ds_nodash}}");
	CHECK_STR(t->res.partition, "gpgpu");	/* gpus_per_node */
	/* The top level's env under the task's, in order. */
	CHECK(t->nenv == 3, "nenv %zu", t->nenv);
	if (t->nenv == 3) {
		CHECK_STR(t->env[0].name, "GREETING");
		CHECK_STR(t->env[0].value, "hello {{ ds }}");
		CHECK_STR(t->env[1].name, "SHARED");
		CHECK_STR(t->env[1].value, "task");
		CHECK_STR(t->env[2].name, "OWN");
		CHECK_STR(t->env[2].value, "{{ run_id }}");
	}

	t = &dag->tasks[1];
	CHECK_STR(t->id, "script");
	CHECK(t->res.mem_per_gpu_mb == 4096, "mem_per_gpu %ld",
	    t->res.mem_per_gpu_mb);
	CHECK(t->res.cpus_per_gpu == 4 && t->res.ntasks_per_node == 2 &&
	    t->res.gpus_per_node == 2 && t->res.gpus_per_task == 1,
	    "script counts");
	CHECK(t->res.exclusive == 1, "exclusive %d", t->res.exclusive);
	CHECK_STR(t->res.reservation, "maint");
	CHECK_STR(t->res.licenses, "matlab:2,comsol");
	CHECK(t->res.nice == 10, "nice %d", t->res.nice);
	CHECK(t->res.signal.num == SIGUSR1 && t->res.signal.secs == 120 &&
	    t->res.signal.batch_only == 1, "script signal");
	CHECK_STR(t->res.comment, "nightly run");
	CHECK_STR(t->res.mail_user, "me@example.org");
	CHECK(t->res.mail_type == (RES_MAIL_BEGIN | RES_MAIL_END |
	    RES_MAIL_FAIL | RES_MAIL_REQUEUE | RES_MAIL_STAGE_OUT |
	    RES_MAIL_INVALID_DEPEND), "mail_type %#x", t->res.mail_type);
	CHECK(t->modules != NULL && t->modules[0] != NULL &&
	    t->modules[1] != NULL && t->modules[2] == NULL, "modules");
	if (t->modules != NULL && t->modules[0] != NULL &&
	    t->modules[1] != NULL) {
		CHECK_STR(t->modules[0], "cuda/12.2");
		CHECK_STR(t->modules[1], "python/3.11");
	}
	CHECK(t->nenv == 2, "nenv %zu", t->nenv);
	if (t->nenv == 2)
		CHECK_STR(t->env[1].value, "top");

	t = &dag->tasks[2];
	CHECK_STR(t->id, "own");
	CHECK(t->res.mem_mb == 1024 && t->res.mem_per_gpu_mb == 0, "mem");
	CHECK_STR(t->workdir, "/abs/{{ ts }}");
	CHECK_STR(t->res.partition, "batch");

	t = &dag->tasks[3];
	CHECK_STR(t->id, "bare");
	CHECK(t->res.nice == 0, "nice %d", t->res.nice);	/* its own */
	CHECK(t->res.exclusive == 1, "exclusive %d", t->res.exclusive);
	CHECK(t->res.signal.num == SIGTERM && t->res.signal.secs == 60 &&
	    t->res.signal.batch_only == 0, "bare signal");
	CHECK_STR(t->res.licenses, "matlab");
out:
	dag_free(dag);

	/* Bare --nice is 100, as with sbatch. */
	path = realpath(datadir, NULL);
	xasprintf(&text, "tasks = ({ id = \"a\"; script = "
	    "\"%s/dags/bare.sbatch\"; });\n", path != NULL ? path : "?");
	free(path);
	path = write_file("bare.dag", text);
	free(text);
	cause = NULL;
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag != NULL, "bare: %s", cause != NULL ? cause : "");
	if (dag != NULL)
		CHECK(dag->tasks[0].res.nice == 100, "nice %d",
		    dag->tasks[0].res.nice);
	free(cause);
	dag_free(dag);
	unlink(path);
	free(path);

	/* The grammars of units.c: sbatch's UNLIMITED, a unit in either case. */
	path = write_file("units.dag", "tasks = ({ id = \"a\"; command = "
	    "\"true\"; time = \"UNLIMITED\"; retries = 1; retry_delay = "
	    "\"1H\"; });\n");
	cause = NULL;
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag != NULL, "units: %s", cause != NULL ? cause : "");
	if (dag != NULL) {
		CHECK(dag->tasks[0].res.time_limit == UNITS_UNLIMITED,
		    "time %ld", dag->tasks[0].res.time_limit);
		CHECK(dag->tasks[0].retry_delay == 3600, "retry_delay %ld",
		    (long)dag->tasks[0].retry_delay);
	}
	free(cause);
	dag_free(dag);
	unlink(path);
	free(path);
}

/* Templates. */
static void
test_templates(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* or the cause */
	} tpls[] = {
		{ "no templates", "no templates" },
		{ "{{ds}}/{{  ds_nodash\t}}", "2026-11-02/20261102" },
		{ "{{ dag_id }}.{{ task_id }}#{{ try_number }}", "d.t#2" },
		{ "{{ ts }} {{ logical_date }}",
		  "2026-11-02T06:00:00+01:00 2026-11-02T05:00:00+00:00" },
		{ "{ {{ run_id }} }}", "{ scheduled__x }}" },
		{ "a }} b", "a }} b" },
		{ "{{ foo }}", "unknown template field '{{ foo }}'" },
		{ "{{ds}} {{ ds", "unclosed '{{'" },
		{ "{{}}", "unknown template field '{{}}'" },
		{ "{{ DS }}", "unknown template field '{{ DS }}'" },
		{ "{{ data_interval_end }}", "template field "
		  "'data_interval_end' has a value that is not safe to "
		  "expand: 'a b'" },
	};
	const char	*vals[TEMPLATE_NFIELDS] = {
		[TEMPLATE_DS] = "2026-11-02",
		[TEMPLATE_DS_NODASH] = "20261102",
		[TEMPLATE_TS] = "2026-11-02T06:00:00+01:00",
		[TEMPLATE_LOGICAL_DATE] = "2026-11-02T05:00:00+00:00",
		[TEMPLATE_DATA_INTERVAL_START] = "x",
		[TEMPLATE_DATA_INTERVAL_END] = "a b",
		[TEMPLATE_RUN_ID] = "scheduled__x",
		[TEMPLATE_DAG_ID] = "d",
		[TEMPLATE_TASK_ID] = "t",
		[TEMPLATE_TRY_NUMBER] = "2",
	};
	char		*out, *cause;
	size_t		 i;

	for (i = 0; i < sizeof tpls / sizeof tpls[0]; i++) {
		cause = NULL;
		out = template_expand(tpls[i].in, vals, &cause);
		CHECK_STR(out != NULL ? out : cause, tpls[i].want);
		if (out != NULL)
			CHECK(template_check(tpls[i].in, &cause) == 0,
			    "check '%s'", tpls[i].in);
		free(out);
		free(cause);
	}
}

/*
 * Broken fixtures and their whole message; <F> stands for the path given to
 * dagfile_load.
 */
static const struct broken_case {
	const char	*file;
	const char	*want;
} broken_cases[] = {
	{ "syntax.dag", "<F>:4: syntax error" },
	{ "syntax2.dag", "<F>:3: syntax error" },
	{ "unknown_keys.dag",
	  "<F>:2: unknown key 'sheduel' (did you mean 'schedule'?)\n"
	  "<F>:3: unknown key 'colour'\n"
	  "<F>:4: defaults: unknown key 'partiton' "
	  "(did you mean 'partition'?)\n"
	  "<F>:4: defaults: 'command' can only be set in a task\n"
	  "<F>:6: task 'a': unknown key 'comand' (did you mean 'command'?)\n"
	  "<F>:6: task 'a': missing 'command' or 'script'\n"
	  "<F>:7: task 'b': unknown key 'cpus-per-task' "
	  "(did you mean 'cpus_per_task'?)\n"
	  "<F>:7: task 'b': unknown key 'memory'" },
	{ "types.dag",
	  "<F>:2: 'dag_id' must be a string\n"
	  "<F>:3: 'schedule' must be a string\n"
	  "<F>:4: 'catchup' must be true or false\n"
	  "<F>:5: 'max_active_runs' must be an integer\n"
	  "<F>:6: 'defaults' must be a group\n"
	  "<F>:8: task 'a': 'command' must be a string\n"
	  "<F>:8: task 'a': 'gpus' must be an integer\n"
	  "<F>:8: task 'a': 'partition' must be a string\n"
	  "<F>:9: task 'b': 'after' must be a string or a list of strings\n"
	  "<F>:9: task 'b': 'time' must be a string or an integer\n"
	  "<F>:9: task 'b': 'mem' must be a string or an integer\n"
	  "<F>:10: task 'c': 'after' must be a string or a list of strings\n"
	  "<F>:10: task 'c': 'retries' must be an integer\n"
	  "<F>:11: task #4 must be a group: { id = ...; }" },
	{ "missing_start.dag", "<F>:2: missing 'start_date'" },
	{ "command_script.dag",
	  "<F>:3: task 'neither': missing 'command' or 'script'\n"
	  "<F>:5: task 'both': 'command' and 'script' are both set" },
	{ "duplicate.dag",
	  "<F>:6: duplicate task id 'a' (first at line 3)\n"
	  "<F>:9: duplicate task id 'a' (first at line 3)" },
	{ "unknown_after.dag",
	  "<F>:5: task 'eval': 'after' names unknown task 'trian'\n"
	  "<F>:5: task 'eval': 'after' names unknown task 'report'" },
	{ "cycle.dag",
	  "<F>:3: cycle: c -> a -> b -> c\n"
	  "<F>:6: cycle: d -> d" },
	{ "bad_values.dag",
	  "<F>:2: bad cron expression '61 * * * *': minute field: '61' is out "
	  "of range 0-59\n"
	  "<F>:3: unknown time zone 'Mars/Olympus'\n"
	  "<F>:4: invalid date '2026-13-01': month is out of range 1-12\n"
	  "<F>:5: defaults: bad time limit '4 hours': expected MM, MM:SS, "
	  "HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS\n"
	  "<F>:7: task 'a': bad memory size '2 gigs': expected a number with "
	  "K, M, G or T\n"
	  "<F>:8: task 'b': bad duration '5 min': expected a number with s, m, "
	  "h or d\n"
	  "<F>:9: task 'c': bad memory size '': expected a number with K, M, "
	  "G or T\n"
	  "<F>:9: task 'c': bad time limit '1-24': expected MM, MM:SS, "
	  "HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS" },
	{ "missing_script.dag",
	  "<F>:3: task 'a': script 'x.sbatch': No such file or directory\n"
	  "<F>:4: task 'b': script '.': Is a directory" },
	{ "end_before_start.dag", "<F>:4: end_date is before start_date" },
	{ "no_tasks.dag", "<F>:2: no tasks" },
	{ "no_tasks_key.dag", "<F>: no tasks" },
	{ "not_text.dag", "<F>: not a text file" },
	{ "bad+name.dag", "<F>: file name 'bad+name' is not a valid dag_id: "
	  "set dag_id, or use letters, digits, '_', '.' and '-'" },
	{ "overflow.dag",
	  "<F>:2: integer 99999999999999999999 is out of range\n"
	  "<F>:4: integer 4294967297 is out of range\n"
	  "<F>:5: integer 0x100000000 is out of range" },
	{ "include.dag", "<F>:2: @include is not supported" },
	{ "ranges.dag",
	  "<F>:2: invalid dag_id 'nightly train': use letters, digits, '_', "
	  "'.' and '-'\n"
	  "<F>:3: 'max_active_runs' must be at least 1\n"
	  "<F>:5: invalid task id 'a b': use letters, digits, '_', '.' "
	  "and '-'\n"
	  "<F>:6: task #2: missing 'id'\n"
	  "<F>:7: task 'c': 'command' must not be empty\n"
	  "<F>:7: task 'c': 'retries' must not be negative\n"
	  "<F>:7: task 'c': 'nodes' must be at least 1\n"
	  "<F>:8: task 'd': 'time' must be more than zero\n"
	  "<F>:8: task 'd': 'mem' must be more than zero\n"
	  "<F>:9: task 'e': bad time limit '99999999999': too large\n"
	  "<F>:10: task 'e': 'partition' must not contain white space\n"
	  "<F>:10: task 'e': 'mem' and 'mem_per_cpu' are both set\n"
	  "<F>:11: invalid task id '..': use letters, digits, '_', '.' "
	  "and '-'" },
	{ "sbatch.dag",
#define V "<F>:4: task 'train': script 'sbatch_values.sbatch' line "
	  V "3: unknown #SBATCH option '--foo'\n"
	  V "4: bad time limit '4 hours': expected MM, MM:SS, HH:MM:SS, D-HH, "
	  "D-HH:MM or D-HH:MM:SS\n"
	  V "5: bad node count '2-4': ranges are not supported, give one "
	  "number\n"
	  V "6: bad gpu count 'a100:2': expected a number (for a gpu type use "
	  "--gres=gpu:a100:2)\n"
	  V "7: bad memory size '2GB': expected a number with K, M, G or T\n"
	  V "8: '--mem' and '--mem-per-cpu' are both set\n"
	  V "9: unknown #SBATCH option '--part' (did you mean '--partition'?)\n"
	  V "10: unknown #SBATCH option '-x'\n"
	  V "10: '-c' must be at least 1\n"
	  V "10: bad task count 'many': expected a number\n"
	  V "11: '--time' must be more than zero\n"
	  V "11: '--account' must not be empty\n"
	  V "11: '--qos' needs a value\n"
	  V "12: bad node count '99999999999': too large\n"
	  V "12: unknown #SBATCH option '--wckey'\n"
	  V "13: unexpected 'gpu=1': expected an option\n"
	  V "13: '--gres' must not contain white space\n"
	  V "14: unmatched '\"'\n"
#undef V
#define R "<F>:5: task 'eval': script 'sbatch_refused.sbatch' line "
#define SET " is set by updraft and cannot be given in a script"
	  R "2: '--output'" SET "\n"
	  R "3: '-o'" SET "\n"
	  R "3: '-J'" SET "\n"
	  R "3: '--wrap'" SET "\n"
	  R "4: '--export'" SET "\n"
	  R "4: '-d'" SET "\n"
	  R "4: '-D'" SET "\n"
	  R "5: '--array'" SET "\n"
	  R "5: '--error'" SET "\n"
	  R "5: '--chdir'" SET "\n"
	  R "5: '--dependency'" SET },
#undef R
#undef SET
	{ "more_keys.dag",
	  "<F>:2: env: 'UPDRAFT_X' is reserved: names starting with UPDRAFT_ "
	  "or SLURM_ are set by updraft and Slurm\n"
	  "<F>:2: env: 'SLURM_Y' is reserved: names starting with UPDRAFT_ or "
	  "SLURM_ are set by updraft and Slurm\n"
	  "<F>:2: env: 'GOOD' must be a string\n"
	  "<F>:3: defaults: 'env' can only be set in a task or at the top "
	  "level\n"
	  "<F>:3: defaults: 'modules' must be a list of strings: modules = "
	  "[\"cuda/12.2\"]\n"
	  "<F>:3: defaults: 'workdir' must not be empty\n"
	  "<F>:5: task 'a': unknown template field '{{ foo }}' in 'command'\n"
	  "<F>:5: task 'a': 'nice' must be between -2147483645 and 2147483645\n"
	  "<F>:5: task 'a': bad signal 'USR3': expected [B:]SIGNAL[@SECONDS], "
	  "e.g. B:USR1@300\n"
	  "<F>:6: task 'b': unclosed '{{' in 'command'\n"
	  "<F>:6: task 'b': bad mail type 'SOMETIMES': expected a list of "
	  "NONE, BEGIN, END, FAIL, REQUEUE, ALL, INVALID_DEPEND, STAGE_OUT, "
	  "TIME_LIMIT, TIME_LIMIT_90, TIME_LIMIT_80 or TIME_LIMIT_50\n"
	  "<F>:6: task 'b': bad licenses 'a::2': expected NAME[:COUNT], "
	  "separated by ',' or '|'\n"
	  "<F>:7: task 'c': unknown template field '{{ bogus}}' in env 'X'\n"
	  "<F>:7: task 'c': env: invalid variable name 'BAD-NAME': use "
	  "letters, digits and '_'\n"
	  "<F>:8: task 'c': unknown template field '{{ nope }}' in 'workdir'\n"
	  "<F>:8: task 'c': bad module name 'a b': it must not be empty or "
	  "contain white space\n"
	  "<F>:9: task 'd': 'comment' must not contain control characters\n"
	  "<F>:9: task 'd': 'gpus' and a gpu 'gres' are both set: give one\n"
	  "<F>:10: task 'e': 'mem' and 'mem_per_gpu' are both set\n"
	  "<F>:10: task 'e': 'gpus_per_node' and a gpu 'gres' are both set: "
	  "give one\n"
	  "<F>:11: task 'f': 'env' must be a group: env = { NAME = \"value\"; "
	  "}\n"
	  "<F>:11: task 'f': 'exclusive' must be true or false\n"
	  "<F>:11: task 'f': 'nice' must be an integer\n"
	  "<F>:12: task 'g': 'mem_per_cpu' and 'mem_per_gpu' are both set\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 3: bad memory "
	  "size 'lots': expected a number with K, M, G or T\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 3: "
	  "'--cpus-per-gpu' must be at least 1\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 4: bad task "
	  "count 'x': expected a number\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 4: bad gpu count "
	  "'a100:1': expected a number (for a gpu type use --gres=gpu:a100:1)\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 4: bad gpu count "
	  "'-1': expected a number\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 5: "
	  "'--exclusive=user' is not supported: give '--exclusive' alone\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 5: bad nice "
	  "value 'high': expected a number\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 5: bad nice "
	  "value '-2147483646': must be between -2147483645 and 2147483645\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 6: bad signal "
	  "'USR3': expected [B:]SIGNAL[@SECONDS], e.g. B:USR1@300\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 6: bad signal "
	  "'B:USR1@70000': expected [B:]SIGNAL[@SECONDS], e.g. B:USR1@300\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 6: bad mail type "
	  "'SOMETIMES': expected a list of NONE, BEGIN, END, FAIL, REQUEUE, "
	  "ALL, INVALID_DEPEND, STAGE_OUT, TIME_LIMIT, TIME_LIMIT_90, "
	  "TIME_LIMIT_80 or TIME_LIMIT_50\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 7: '-L' must not "
	  "contain white space\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 7: bad licenses "
	  "'matlab:0': expected NAME[:COUNT], separated by ',' or '|'\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 7: '--comment' "
	  "must not contain control characters\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 8: '--mail-user' "
	  "must not be empty\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 8: "
	  "'--reservation' needs a value\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 9: '--mem' and "
	  "'--mem-per-gpu' are both set\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 10: unknown "
	  "#SBATCH option '--mail' (did you mean '--mail-type'?)\n"
	  "<F>:13: task 'h': script 'more_values.sbatch' line 10: unexpected "
	  "'5': expected an option" },
	{ "nope.dag", "cannot open dag file '<F>': No such file or directory" },
};

/* Replace each <F> in want by path. */
static char *
expand(const char *want, const char *path)
{
	char		*out;
	size_t		 len = 0, n = 0;
	const char	*p;

	for (p = want; (p = strstr(p, "<F>")) != NULL; p += 3)
		n++;
	out = xmalloc(strlen(want) + n * strlen(path) + 1);
	for (p = want; *p != '\0'; p++) {
		if (strncmp(p, "<F>", 3) == 0) {
			memcpy(out + len, path, strlen(path));
			len += strlen(path);
			p += 2;
		} else
			out[len++] = *p;
	}
	out[len] = '\0';
	return (out);
}

static void
test_broken(void)
{
	struct config	 cfg;
	struct dag	*dag;
	char		*path, *want, *cause;
	size_t		 i;

	memset(&cfg, 0, sizeof cfg);
	cfg.gpu_partition = (char []){ "gpu" };
	for (i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
		xasprintf(&path, "%s/broken/%s", datadir, broken_cases[i].file);
		cause = NULL;
		dag = dagfile_load(path, &cfg, &cause);
		CHECK(dag == NULL, "%s loaded", path);
		dag_free(dag);
		want = expand(broken_cases[i].want, path);
		CHECK_STR(cause, want);
		free(want);
		free(cause);
		free(path);
	}

	/* A directory is not a DAG. */
	path = data_path("dags");
	cause = NULL;
	CHECK(dagfile_load(path, &cfg, &cause) == NULL, "directory loaded");
	want = expand("cannot open dag file '<F>': Is a directory", path);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	free(path);
}

static char	tmpdir[] = "/tmp/test-dagfile.XXXXXX";

static char *
write_file(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", tmpdir, name);
	if ((f = fopen(path, "w")) == NULL) {
		CHECK(0, "cannot write %s", path);
		return (path);
	}
	fputs(text, f);
	fclose(f);
	return (path);
}

/* Big generated graphs: deep chains must not exhaust the stack. */
static void
test_generated(void)
{
	struct dag	*dag;
	char		*path, *cause = NULL, *want;
	FILE		*f;
	int		 i, n = 50000;

	xasprintf(&path, "%s/chain.dag", tmpdir);
	if ((f = fopen(path, "w")) == NULL) {
		CHECK(0, "cannot write %s", path);
		free(path);
		return;
	}
	fprintf(f, "tasks = (\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{ id = \"t%d\"; command = \"true\"; "
		    "after = \"t%d\"; }\n", i == 0 ? "" : ",", i,
		    i == 0 ? n - 1 : i - 1);
	}
	fprintf(f, ");\n");
	fclose(f);
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag == NULL, "a %d-task cycle loaded", n);
	CHECK(cause != NULL && strstr(cause, ": cycle: t0 -> t1 -> t2 -> ") !=
	    NULL && strstr(cause, " -> t49999 -> t0") != NULL &&
	    strchr(cause, '\n') == NULL, "cycle message");
	free(cause);
	dag_free(dag);

	/* The same chain without the edge that closes it. */
	if ((f = fopen(path, "w")) == NULL) {
		free(path);
		return;
	}
	fprintf(f, "tasks = (\n");
	for (i = 0; i < n; i++) {
		if (i == 0)
			fprintf(f, "{ id = \"t0\"; command = \"true\"; }\n");
		else {
			fprintf(f, ", { id = \"t%d\"; command = \"true\"; "
			    "after = \"t%d\"; }\n", i, i - 1);
		}
	}
	fprintf(f, ");\n");
	fclose(f);
	cause = NULL;
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag != NULL, "chain: %s", cause != NULL ? cause : "");
	if (dag != NULL) {
		CHECK(dag->ntasks == (size_t)n, "ntasks %zu", dag->ntasks);
		CHECK(dag_find_task(dag, "t49999") == &dag->tasks[n - 1],
		    "find last");
	}
	free(cause);
	dag_free(dag);
	unlink(path);
	free(path);

	/* Repeated names in 'after' count once; an absolute script path. */
	xasprintf(&want, "%s/run.sh", tmpdir);
	free(write_file("run.sh", "#!/bin/sh\n"));
	xasprintf(&cause, "tasks = ( { id = \"a\"; command = \"true\"; },\n"
	    "{ id = \"b\"; script = \"%s\"; after = [\"a\", \"a\", \"a\"]; } "
	    ");\n", want);
	path = write_file("repeat.dag", cause);
	free(cause);
	cause = NULL;
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag != NULL, "repeat: %s", cause != NULL ? cause : "");
	if (dag != NULL) {
		CHECK(dag->tasks[1].nafter == 1, "nafter %zu",
		    dag->tasks[1].nafter);
		CHECK_STR(dag->tasks[1].script, want);
	}
	free(cause);
	dag_free(dag);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/run.sh", tmpdir);
	unlink(path);
	free(path);
	free(want);

	/*
	 * Only the first 64 KiB of a script are read for #SBATCH lines: a
	 * header that runs past them is refused, a long body is not.
	 */
	path = write_file("long.sbatch", "#!/bin/sh\n");
	if ((f = fopen(path, "a")) != NULL) {
		for (i = 0; i < 4096; i++)
			fprintf(f, "# comment line %d of the header\n", i);
		fprintf(f, "#SBATCH --time=10\ntrue\n");
		fclose(f);
	}
	free(path);
	path = write_file("body.sbatch",
	    "#SBATCH --time=10 -p \"b\"\\i\\g -C \"a|b\"\n\ntrue\n");
	if ((f = fopen(path, "a")) != NULL) {
		for (i = 0; i < 4096; i++)
			fprintf(f, "echo line %d of the body\n", i);
		fprintf(f, "#SBATCH --output=late.log\n");
		fclose(f);
	}
	free(path);
	path = write_file("scripts.dag", "tasks = (\n"
	    "{ id = \"a\"; script = \"long.sbatch\"; }\n);\n");
	cause = NULL;
	CHECK(dagfile_load(path, NULL, &cause) == NULL, "long header loaded");
	want = expand("<F>:2: task 'a': script 'long.sbatch': its #SBATCH "
	    "header is longer than 64 KiB", path);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	unlink(path);
	free(path);
	path = write_file("scripts.dag", "tasks = (\n"
	    "{ id = \"b\"; script = \"body.sbatch\"; }\n);\n");
	cause = NULL;
	dag = dagfile_load(path, NULL, &cause);
	CHECK(dag != NULL, "long body: %s", cause != NULL ? cause : "");
	if (dag != NULL) {
		/* No "#!" line is needed; quotes and backslashes as sbatch. */
		CHECK(dag->tasks[0].res.time_limit == 10, "time %ld",
		    dag->tasks[0].res.time_limit);
		CHECK_STR(dag->tasks[0].res.partition, "big");
		CHECK_STR(dag->tasks[0].res.constraint, "a|b");
	}
	free(cause);
	dag_free(dag);
	unlink(path);
	free(path);
	for (i = 0; i < 2; i++) {
		xasprintf(&path, "%s/%s", tmpdir, i == 0 ? "long.sbatch" :
		    "body.sbatch");
		unlink(path);
		free(path);
	}

	/* Odd inputs that must fail cleanly. */
	path = write_file("empty.dag", "");
	cause = NULL;
	CHECK(dagfile_load(path, NULL, &cause) == NULL, "empty loaded");
	want = expand("<F>: no tasks", path);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	unlink(path);
	free(path);

	path = write_file("odd.dag", "tasks = ( { id = \"x\"; command = "
	    "\"true\"; after = [ ]; time = \"\"; gres = \"\"; }, {} );\n"
	    "x = /* unterminated");
	cause = NULL;
	CHECK(dagfile_load(path, NULL, &cause) == NULL, "odd loaded");
	CHECK(cause != NULL && strstr(cause, "syntax error") != NULL,
	    "odd: %s", cause != NULL ? cause : "(null)");
	free(cause);
	unlink(path);
	free(path);
}

static void
test_config(void)
{
	struct config	 cfg;
	char		*path, *cause, *want, *home;

	xasprintf(&home, "%s/home", tmpdir);
	mkdir(home, 0700);
	setenv("UPDRAFT_HOME", home, 1);
	unsetenv("UPDRAFT_CONFIG");

	/* No config file: everything under the home. */
	cause = NULL;
	CHECK(config_load(&cfg, NULL, &cause) == 0, "defaults: %s",
	    cause != NULL ? cause : "");
	CHECK_STR(cfg.home, home);
	xasprintf(&want, "%s/dags", home);
	CHECK_STR(cfg.dags_folder, want);
	free(want);
	CHECK_STR(cfg.state_dir, home);
	xasprintf(&want, "%s/updraft.db", home);
	CHECK_STR(cfg.db_path, want);
	free(want);
	xasprintf(&want, "%s/logs", home);
	CHECK_STR(cfg.logs_dir, want);
	free(want);
	CHECK(cfg.default_partition == NULL, "default_partition");
	CHECK_STR(cfg.gpu_partition, "gpu");
	CHECK(cfg.poll_interval == 30, "poll_interval %d", cfg.poll_interval);
	config_free(&cfg);
	free(cause);

	/* The home's updraft.conf is found; relative paths are under home. */
	free(write_file("home/updraft.conf", "# test\n"
	    "dags_folder = \"pipelines/\";\nstate_dir = \"/var/lib/updraft\";\n"
	    "default_partition = \"batch\";\ngpu_partition = \"a100\";\n"
	    "poll_interval = \"2m\";\n"));
	cause = NULL;
	CHECK(config_load(&cfg, NULL, &cause) == 0, "home conf: %s",
	    cause != NULL ? cause : "");
	xasprintf(&want, "%s/updraft.conf", home);
	CHECK_STR(cfg.file, want);
	free(want);
	xasprintf(&want, "%s/pipelines", home);
	CHECK_STR(cfg.dags_folder, want);
	free(want);
	CHECK_STR(cfg.state_dir, "/var/lib/updraft");
	CHECK_STR(cfg.db_path, "/var/lib/updraft/updraft.db");
	CHECK_STR(cfg.logs_dir, "/var/lib/updraft/logs");
	CHECK_STR(cfg.default_partition, "batch");
	CHECK_STR(cfg.gpu_partition, "a100");
	CHECK(cfg.poll_interval == 120, "poll_interval %d", cfg.poll_interval);
	config_free(&cfg);
	free(cause);

	/* UPDRAFT_CONFIG comes before the home's file. */
	path = write_file("other.conf", "poll_interval = 5;\n");
	setenv("UPDRAFT_CONFIG", path, 1);
	cause = NULL;
	CHECK(config_load(&cfg, NULL, &cause) == 0, "env conf");
	CHECK_STR(cfg.file, path);
	CHECK(cfg.poll_interval == 5, "poll_interval %d", cfg.poll_interval);
	config_free(&cfg);
	free(cause);
	unsetenv("UPDRAFT_CONFIG");
	unlink(path);
	free(path);

	/* Problems, one per config. */
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "state_dir = \"x\";\nstatedir = \"y\";\n",
		  "<F>:2: unknown key 'statedir' (did you mean 'state_dir'?)" },
		{ "poll_interval = 0;\n",
		  "<F>:1: 'poll_interval' must be more than zero seconds "
		  "and fit in an int" },
		{ "\npoll_interval = \"soon\";\n",
		  "<F>:2: 'poll_interval' must be a number of seconds or a "
		  "duration like \"30s\"" },
		{ "poll_interval = 1.5;\n",
		  "<F>:1: 'poll_interval' must be a number of seconds or a "
		  "duration like \"30s\"" },
		{ "dags_folder = 3;\n",
		  "<F>:1: 'dags_folder' must be a string" },
		{ "gpu_partition = \"\";\n",
		  "<F>:1: 'gpu_partition' must not be empty" },
		{ "dags_folder = \"x\"\n\n= 3;\n", "<F>:3: syntax error" },
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		path = write_file("bad.conf", bad[i].text);
		cause = NULL;
		CHECK(config_load(&cfg, path, &cause) == -1, "bad %zu loaded",
		    i);
		CHECK(cfg.home == NULL && cfg.file == NULL, "not emptied");
		want = expand(bad[i].want, path);
		CHECK_STR(cause, want);
		free(want);
		free(cause);
		unlink(path);
		free(path);
	}

	/* A file named but missing. */
	xasprintf(&path, "%s/missing.conf", tmpdir);
	cause = NULL;
	CHECK(config_load(&cfg, path, &cause) == -1, "missing loaded");
	want = expand("cannot open config file '<F>': No such file or "
	    "directory", path);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	setenv("UPDRAFT_CONFIG", path, 1);
	cause = NULL;
	CHECK(config_load(&cfg, NULL, &cause) == -1, "missing env loaded");
	free(cause);
	unsetenv("UPDRAFT_CONFIG");
	free(path);

	/* Without UPDRAFT_HOME: $HOME/updraft. */
	unsetenv("UPDRAFT_HOME");
	setenv("HOME", "/nonexistent/user/", 1);
	cause = NULL;
	CHECK(config_load(&cfg, NULL, &cause) == 0, "HOME");
	CHECK_STR(cfg.home, "/nonexistent/user/updraft");
	CHECK_STR(cfg.dags_folder, "/nonexistent/user/updraft/dags");
	config_free(&cfg);
	free(cause);

	xasprintf(&path, "%s/updraft.conf", home);
	unlink(path);
	free(path);
	rmdir(home);
	free(home);
}

int
main(void)
{
	if ((datadir = getenv("TEST_DATADIR")) == NULL || *datadir == '\0')
		datadir = "tests/data";
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return (1);
	}

	test_nightly();
	test_minimal();
	test_resources();
	test_sbatch();
	test_more();
	test_templates();
	test_broken();
	test_generated();
	test_config();

	rmdir(tmpdir);
	return (unit_done());
}
