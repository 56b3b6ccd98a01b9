/* Every DAG file of the DAGs folder, loaded and recorded in the database. */

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <stdio.h>

#include "dagbag.h"

static int
dagbag_cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The *.dag files of dir, sorted, as full paths; -1 if unreadable. */
static int
dagbag_list_files(const char *dir, char ***files, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 len;

	*files = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 4, ".dag") != 0)
			continue;
		*files = xreallocarray(*files, *n + 1, sizeof **files);
		xasprintf(&(*files)[(*n)++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*files, *n, sizeof **files, dagbag_cmp_names);
	return (0);
}

static void
dagbag_error(struct dagbag *bag, char *msg)
{
	bag->errors = xreallocarray(bag->errors, bag->nerrors + 1,
	    sizeof *bag->errors);
	bag->errors[bag->nerrors++] = msg;
}

/* The id a broken file is shown under: the DAG last loaded from it. */
static char *
dagbag_id_for_path(struct store_dag *known, size_t nknown, const char *path)
{
	const char	*base, *dot;
	size_t		 i;

	for (i = 0; i < nknown; i++) {
		if (strcmp(known[i].path, path) == 0)
			return (xstrdup(known[i].dag_id));
	}
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	return (xstrndup(base, dot != NULL ? (size_t)(dot - base) :
	    strlen(base)));
}

/*
 * In site mode a DAG's jobs run as the owner of its file, so whoever may
 * change the file (or a script it runs) chooses what runs as that owner.
 * Refuse files that anyone but their owner can write, scripts that belong
 * to someone else, and root's files unless the site allows them.
 */
static int
dagbag_site_check(const struct config *cfg, const char *path,
    const struct stat *sb, uid_t owner, char **cause)
{
	if (sb->st_mode & (S_IWGRP | S_IWOTH)) {
		xasprintf(cause, "%s: refused in site mode: it is writable by "
		    "group or others (chmod go-w '%s')", path, path);
		return (-1);
	}
	if (sb->st_uid != owner && sb->st_uid != 0) {
		xasprintf(cause, "%s: refused in site mode: it belongs to uid "
		    "%lu, not to the DAG file's owner (uid %lu)", path,
		    (unsigned long)sb->st_uid, (unsigned long)owner);
		return (-1);
	}
	if (owner == 0 && !cfg->allow_root_dags) {
		xasprintf(cause, "%s: refused in site mode: it is owned by root "
		    "(set allow_root_dags = true to run root's DAGs)", path);
		return (-1);
	}
	return (0);
}

/*
 * Load one DAG file; in site mode also decide whom its jobs run as, and
 * make sure the file did not change hands while it was read.
 */
static struct dag *
dagbag_load_one(const struct config *cfg, const char *path, char **cause)
{
	struct dag	*dag;
	struct stat	 before, after, sb;
	struct passwd	*pw;
	size_t		 i;

	if (!cfg->site_mode) {
		if ((dag = dagfile_load(path, cfg, cause)) != NULL)
			dag->owner_uid = dag->owner_gid = -1;
		return (dag);
	}
	if (stat(path, &before) != 0) {
		xasprintf(cause, "cannot open dag file '%s': %s", path,
		    strerror(errno));
		return (NULL);
	}
	if (dagbag_site_check(cfg, path, &before, before.st_uid, cause) != 0)
		return (NULL);
	if ((dag = dagfile_load(path, cfg, cause)) == NULL)
		return (NULL);
	if (stat(path, &after) != 0 || after.st_ino != before.st_ino ||
	    after.st_uid != before.st_uid || after.st_mode != before.st_mode) {
		xasprintf(cause, "%s: changed while it was read; trying again "
		    "at the next pass", path);
		dag_free(dag);
		return (NULL);
	}
	*cause = NULL;
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].script == NULL)
			continue;
		if (stat(dag->tasks[i].script, &sb) != 0 ||
		    dagbag_site_check(cfg, dag->tasks[i].script, &sb,
		    before.st_uid, cause) != 0) {
			if (*cause == NULL)
				xasprintf(cause, "%s: script '%s': %s", path,
				    dag->tasks[i].script, strerror(errno));
			dag_free(dag);
			return (NULL);
		}
	}
	if ((pw = getpwuid(before.st_uid)) == NULL) {
		xasprintf(cause, "%s: refused in site mode: its owner (uid "
		    "%lu) is not a known user", path,
		    (unsigned long)before.st_uid);
		dag_free(dag);
		return (NULL);
	}
	dag->owner_uid = pw->pw_uid;
	dag->owner_gid = pw->pw_gid;
	return (dag);
}

/* Copy a file into f, under a header naming it when task is given. */
static void
dagbag_append_file(FILE *f, const char *path, const char *task)
{
	FILE	*in;
	char	 buf[8192];
	size_t	 n;

	if (task != NULL)
		fprintf(f, "\n### script of task '%s': %s\n", task, path);
	if ((in = fopen(path, "r")) == NULL)
		return;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, f);
	fclose(in);
}

/* The text a version is made of: the DAG file, then each script it runs. */
static char *
dagbag_source(const struct dag *dag)
{
	FILE	*f;
	char	*buf = NULL, *out;
	size_t	 len = 0, i;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	dagbag_append_file(f, dag->path, NULL);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].script != NULL)
			dagbag_append_file(f, dag->tasks[i].script,
			    dag->tasks[i].id);
	}
	fclose(f);
	out = xstrdup(buf != NULL ? buf : "");
	free(buf);
	return (out);
}

/* Record the DAG's version the first time it is seen, with its text. */
static void
dagbag_keep_version(struct store *st, const struct dag *dag)
{
	char	*source;

	if (store_version_known(st, dag->id, dag->version) != 0)
		return;
	if ((source = dagbag_source(dag)) == NULL)
		return;
	store_version_add(st, dag->id, dag->version, source, time(NULL));
	free(source);
}

/*
 * Load every DAG file. A file that fails, or two files that declare the same
 * DAG id, never stop the others: their messages are in bag->errors and in
 * the database (when st is not NULL), against the DAG they would define.
 * 0, or -1 when the folder itself cannot be read.
 */
int
dagbag_load(const struct config *cfg, struct store *st, struct dagbag *bag)
{
	struct store_dag	*known;
	struct dag		*dag, *other;
	char			**files, *cause, *id, *msg;
	size_t			 nfiles, nknown, i, j;
	int			*dup;
	struct store		*wst;

	memset(bag, 0, sizeof *bag);
	/* A read-only store (a snapshot: cmd.c) is read, never written. */
	wst = st != NULL && !store_readonly(st) ? st : NULL;
	if (dagbag_list_files(cfg->dags_folder, &files, &nfiles) != 0) {
		xasprintf(&msg, "cannot read dags folder '%s': %s",
		    cfg->dags_folder, strerror(errno));
		dagbag_error(bag, msg);
		return (-1);
	}
	known = NULL;
	nknown = 0;
	if (st != NULL && store_dag_list(st, &known, &nknown) != 0)
		nknown = 0;

	for (i = 0; i < nfiles; i++) {
		dag = dagbag_load_one(cfg, files[i], &cause);
		if (dag == NULL) {
			id = dagbag_id_for_path(known, nknown, files[i]);
			if (wst != NULL)
				store_dag_sync(wst, id, files[i], NULL,
				    cause);
			dagbag_error(bag, cause);
			free(id);
			continue;
		}
		bag->dags = xreallocarray(bag->dags, bag->ndags + 1,
		    sizeof *bag->dags);
		bag->dags[bag->ndags++] = dag;
	}

	/* Two files with one id: refuse both, whatever the reading order. */
	dup = xcalloc(bag->ndags, sizeof *dup);
	for (i = 0; i < bag->ndags; i++) {
		for (j = i + 1; j < bag->ndags; j++) {
			dag = bag->dags[i];
			other = bag->dags[j];
			if (strcmp(dag->id, other->id) != 0)
				continue;
			if (!dup[i]) {
				xasprintf(&msg, "%s: dag id '%s' is also "
				    "declared in '%s'", dag->path, dag->id,
				    other->path);
				if (wst != NULL)
					store_dag_sync(wst, dag->id, dag->path,
					    NULL, msg);
				dagbag_error(bag, msg);
			}
			dup[i] = dup[j] = 1;
		}
	}
	for (i = j = 0; i < bag->ndags; i++) {
		if (dup[i]) {
			dag_free(bag->dags[i]);
			continue;
		}
		bag->dags[j++] = bag->dags[i];
		if (wst != NULL) {
			store_dag_sync(wst, bag->dags[i]->id,
			    bag->dags[i]->path, bag->dags[i]->version, NULL);
			dagbag_keep_version(wst, bag->dags[i]);
		}
	}
	bag->ndags = j;
	free(dup);

	/* A DAG whose file is gone keeps its history, unscheduled. */
	for (i = 0; st != NULL && i < nknown; i++) {
		if (dagbag_find(bag, known[i].dag_id) != NULL ||
		    access(known[i].path, F_OK) == 0 ||
		    (known[i].load_error != NULL &&
		    strncmp(known[i].load_error, "missing: ", 9) == 0))
			continue;
		xasprintf(&msg, "missing: %s: no such file; the DAG keeps its "
		    "runs and is not scheduled", known[i].path);
		if (wst != NULL)
			store_dag_sync(wst, known[i].dag_id, known[i].path,
			    NULL, msg);
		dagbag_error(bag, msg);
	}

	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	store_dag_free_list(known, nknown);
	return (0);
}

void
dagbag_free(struct dagbag *bag)
{
	size_t	i;

	for (i = 0; i < bag->ndags; i++)
		dag_free(bag->dags[i]);
	free(bag->dags);
	for (i = 0; i < bag->nerrors; i++)
		free(bag->errors[i]);
	free(bag->errors);
	memset(bag, 0, sizeof *bag);
}

struct dag *
dagbag_find(const struct dagbag *bag, const char *dag_id)
{
	size_t	i;

	for (i = 0; i < bag->ndags; i++) {
		if (strcmp(bag->dags[i]->id, dag_id) == 0)
			return (bag->dags[i]);
	}
	return (NULL);
}
