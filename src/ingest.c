/* What a finished try reported: its metrics, outputs and declared files. */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "jobscript.h"
#include "record.h"

/*
 * Read one results file of a try ($UPDRAFT_METRICS or $UPDRAFT_OUTPUTS)
 * into the lists; a bad line is skipped with a warning.
 */
static void
ingest_read_results(const struct run *r, const struct ti *ti,
    const char *path, int metrics, struct store_metric **m, size_t *nm,
    struct store_output **o, size_t *no)
{
	FILE		*f;
	struct stat	 sb;
	char		*line = NULL, *name, *value, *cause;
	size_t		 size = 0;
	double		 d;
	int		 n = 0, rc;

	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fstat(fileno(f), &sb) != 0 || sb.st_uid != geteuid()) {
		log_warnx("%s %s: ignoring '%s': not the dag owner's",
		    r->run_id, ti->task_id, path);
		fclose(f);
		return;
	}
	while (getline(&line, &size, f) != -1) {
		n++;
		cause = NULL;
		if (metrics)
			rc = record_metric_line(line, &name, &d, &cause);
		else
			rc = record_output_line(line, &name, &value, &cause);
		if (rc < 0) {
			log_warnx("%s %s: %s:%d: %s; line skipped", r->run_id,
			    ti->task_id, path, n, cause);
			free(cause);
			continue;
		}
		if (rc == 0)
			continue;
		if (metrics) {
			*m = xreallocarray(*m, *nm + 1, sizeof **m);
			(*m)[*nm].task_id = NULL;
			(*m)[*nm].key = xstrdup(name);
			(*m)[(*nm)++].value = d;
			continue;
		}
		*o = xreallocarray(*o, *no + 1, sizeof **o);
		memset(&(*o)[*no], 0, sizeof **o);
		(*o)[*no].name = xstrdup(name);
		(*o)[*no].path = xstrdup(value);
		(*o)[*no].size = -1;
		if (*value != '/')
			log_warnx("%s %s: output '%s': '%s' is not an absolute "
			    "path", r->run_id, ti->task_id, name, value);
		else if (stat(value, &sb) == 0) {
			(*o)[*no].size = (int64_t)sb.st_size;
			(*o)[*no].mtime = (int64_t)sb.st_mtime;
		}
		(*no)++;
	}
	free(line);
	fclose(f);
}

/* The SHA-256 the wrapper wrote for a declared output, or NULL. */
static char *
ingest_checksum(const char *marker, const char *name)
{
	FILE	*f;
	char	*path, *line = NULL, *sum = NULL;
	size_t	 size = 0, len = strlen(name);

	if ((path = jobscript_results_path(marker, "sha256")) == NULL)
		return (NULL);
	if ((f = fopen(path, "r")) != NULL) {
		while (sum == NULL && getline(&line, &size, f) != -1) {
			if (strncmp(line, name, len) == 0 && line[len] == '=' &&
			    strlen(line + len + 1) >= 64)
				sum = xstrndup(line + len + 1, 64);
		}
		free(line);
		fclose(f);
	}
	free(path);
	return (sum);
}

/*
 * Check a successful try's declared outputs: each must exist. Each is
 * recorded (replacing one the job reported under the same name) with its
 * size, mtime and checksum. Return why the try fails, or NULL.
 */
static char *
ingest_declared(struct pass *p, const struct task *task, const struct ti *ti,
    const struct run *r, const char *marker, struct store_output **o,
    size_t *no)
{
	struct jobscript_vars	 jv;
	struct stat		 sb;
	struct store_output	*out;
	char			*path, *cause, *reason = NULL;
	size_t			 i, j;

	memset(&jv, 0, sizeof jv);
	jv.dag = p->dag;
	jv.task = task;
	jv.run = r;
	jv.try_number = ti->try_number;
	for (i = 0; i < task->noutputs && reason == NULL; i++) {
		path = jobscript_output_path(&jv, &task->outputs[i], &cause);
		if (path == NULL) {
			xasprintf(&reason, "output '%s': %s",
			    task->outputs[i].name, cause);
			free(cause);
			break;
		}
		if (stat(path, &sb) != 0) {
			xasprintf(&reason, "output '%s' missing: %s",
			    task->outputs[i].name, path);
			free(path);
			break;
		}
		for (j = 0; j < *no; j++) {
			if (strcmp((*o)[j].name, task->outputs[i].name) == 0)
				break;
		}
		if (j == *no) {
			*o = xreallocarray(*o, *no + 1, sizeof **o);
			memset(&(*o)[(*no)++], 0, sizeof **o);
			(*o)[j].name = xstrdup(task->outputs[i].name);
		}
		out = &(*o)[j];
		free(out->path);
		free(out->sha256);
		out->path = path;
		out->size = (int64_t)sb.st_size;
		out->mtime = (int64_t)sb.st_mtime;
		out->sha256 = task->checksum ? ingest_checksum(marker,
		    out->name) : NULL;
	}
	return (reason);
}

/*
 * Record what a finished try reported in its results files; for a success,
 * check its declared outputs and return why it fails after all, or NULL.
 */
char *
ingest_try(struct pass *p, const struct task *task, const struct ti *ti,
    int success)
{
	struct run		 r;
	struct store_metric	*m = NULL;
	struct store_output	*o = NULL;
	size_t			 nm = 0, no = 0;
	char			*marker, *path, *failed = NULL;
	int			 rc;

	if ((rc = store_record_run_get(p->st, ti->run, &r)) != 1) {
		if (rc < 0)
			log_warnx("database: %s", store_error(p->st));
		return (NULL);
	}
	marker = submit_marker_path(p->cfg, &r, ti);
	if ((path = jobscript_results_path(marker, "metrics")) != NULL)
		ingest_read_results(&r, ti, path, 1, &m, &nm, &o, &no);
	free(path);
	if ((path = jobscript_results_path(marker, "outputs")) != NULL)
		ingest_read_results(&r, ti, path, 0, &m, &nm, &o, &no);
	free(path);
	if (success && task != NULL && p->dag != NULL)
		failed = ingest_declared(p, task, ti, &r, marker, &o, &no);
	if (store_record_ingest(p->st, ti->run, ti->task_id, ti->try_number,
	    m, nm, o, no) != 0)
		log_warnx("%s %s: cannot record results: %s", r.run_id,
		    ti->task_id, store_error(p->st));
	store_record_free_metrics(m, nm);
	store_record_free_outputs(o, no);
	free(marker);
	store_run_clear(&r);
	return (failed);
}
