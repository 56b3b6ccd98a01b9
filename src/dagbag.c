/* Every DAG file of the DAGs folder, loaded and recorded in the database. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
 * Refuse a DAGs folder that someone else could fill: one that others can
 * write, or that belongs to another user than us or root, or that sits in
 * a folder others can write without the sticky bit (they could put another
 * folder in its place). What is in it runs as us.
 */
static int
dagbag_check_folder(const char *dir, char **cause)
{
	struct stat	 sb;
	char		*path, *slash;
	int		 leaf = 1, rc = 0;

	path = xstrdup(dir);
	for (;;) {
		if (stat(path, &sb) != 0)
			break;	/* missing: the listing says so */
		if (sb.st_uid != geteuid() && sb.st_uid != 0) {
			xasprintf(cause, "dags folder '%s' refused: '%s' "
			    "belongs to uid %lu, not to you", dir, path,
			    (unsigned long)sb.st_uid);
			rc = -1;
			break;
		}
		if ((sb.st_mode & (S_IWGRP | S_IWOTH)) &&
		    (leaf || !(sb.st_mode & S_ISVTX))) {
			xasprintf(cause, "dags folder '%s' refused: others can "
			    "write '%s' (mode %04o): chmod go-w '%s'", dir,
			    path, (unsigned int)(sb.st_mode & 07777), path);
			rc = -1;
			break;
		}
		leaf = 0;
		if ((slash = strrchr(path, '/')) == NULL || slash == path)
			break;
		*slash = '\0';
	}
	free(path);
	return (rc);
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
	if (store_version_add(st, dag->id, dag->version, source,
	    time(NULL)) != 0)
		log_warnx("database: %s", store_error(st));
	free(source);
}

static void
dagbag_stamp(struct dagbag_stamp *st, const struct stat *sb)
{
	memset(st, 0, sizeof *st);
	st->ino = sb->st_ino;
	st->size = sb->st_size;
	st->mtime = sb->st_mtim;
	st->ctime = sb->st_ctim;
	st->mode = sb->st_mode;
	st->uid = sb->st_uid;
}

static int
dagbag_stamp_same(const struct dagbag_stamp *a, const struct dagbag_stamp *b)
{
	return (a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec &&
	    a->ctime.tv_sec == b->ctime.tv_sec &&
	    a->ctime.tv_nsec == b->ctime.tv_nsec &&
	    a->mode == b->mode && a->uid == b->uid);
}

/* Stamp each script the file's DAG runs; -1 if one cannot be stat'ed. */
static int
dagbag_stamp_scripts(struct dagbag_file *f, struct dagbag_stamp **out,
    size_t *n)
{
	struct stat	sb;
	size_t		i;

	*out = NULL;
	*n = 0;
	if (f->dag == NULL || !f->has_scripts)
		return (0);
	for (i = 0; i < f->dag->ntasks; i++) {
		if (f->dag->tasks[i].script == NULL)
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		if (stat(f->dag->tasks[i].script, &sb) != 0) {
			free(*out);
			*out = NULL;
			*n = 0;
			return (-1);
		}
		dagbag_stamp(&(*out)[(*n)++], &sb);
	}
	return (0);
}

static void
dagbag_file_clear(struct dagbag_file *f)
{
	free(f->path);
	free(f->scripts);
	dag_free(f->dag);
	memset(f, 0, sizeof *f);
}

/*
 * Bring one kept file up to date with what is on disk: 1 if it was parsed
 * again (cause set when that failed), 0 if what is kept still holds. A file
 * that did not load is parsed at every pass: its trouble may lie outside it
 * (a script not written yet, an owner not known yet).
 */
static int
dagbag_file_update(const struct config *cfg, struct dagbag_cache *cache,
    int dfd, struct dagbag_file *f, char **cause)
{
	struct stat		 sb;
	struct dagbag_stamp	 now, *scripts;
	char			 version[17];
	size_t			 nscripts, i;
	int			 same;

	*cause = NULL;
	if ((dfd != -1 ? fstatat(dfd, strrchr(f->path, '/') + 1, &sb, 0) :
	    stat(f->path, &sb)) != 0)
		memset(&sb, 0, sizeof sb);
	dagbag_stamp(&now, &sb);
	if (f->dag != NULL) {
		same = dagbag_stamp_same(&now, &f->stamp);
		if (dagbag_stamp_scripts(f, &scripts, &nscripts) != 0 ||
		    nscripts != f->nscripts) {
			free(scripts);
			goto parse;
		}
		for (i = 0; same && i < nscripts; i++)
			same = dagbag_stamp_same(&scripts[i], &f->scripts[i]);
		if (same) {
			free(scripts);
			cache->unchanged++;
			return (0);
		}
		/* Touched, moved or chmod'ed: the hash says if it changed. */
		same = now.mode == f->stamp.mode && now.uid == f->stamp.uid;
		for (i = 0; same && i < nscripts; i++) {
			same = scripts[i].mode == f->scripts[i].mode &&
			    scripts[i].uid == f->scripts[i].uid;
		}
		if (same && dagfile_version(f->dag, version) == 0 &&
		    strcmp(version, f->dag->version) == 0) {
			f->stamp = now;
			free(f->scripts);
			f->scripts = scripts;
			cache->touched++;
			return (0);
		}
		free(scripts);
	}

parse:
	cache->parsed++;
	dag_free(f->dag);
	free(f->scripts);
	f->scripts = NULL;
	f->nscripts = 0;
	f->has_scripts = 0;
	f->synced = 0;
	f->stamp = now;
	if ((f->dag = dagfile_load(f->path, cfg, cause)) == NULL)
		return (1);
	for (i = 0; i < f->dag->ntasks; i++)
		f->has_scripts |= f->dag->tasks[i].script != NULL;
	/*
	 * The scripts are stamped after they were read: if one changed in
	 * between, the hash no longer matches and the next pass reads again.
	 */
	if (dagbag_stamp_scripts(f, &f->scripts, &f->nscripts) != 0 ||
	    (f->nscripts > 0 && (dagfile_version(f->dag, version) != 0 ||
	    strcmp(version, f->dag->version) != 0)))
		memset(&f->stamp, 0, sizeof f->stamp);
	return (1);
}

/*
 * Match the kept files to the folder's (both sorted): drop those gone, add
 * those new. 1 if the set changed.
 */
static int
dagbag_cache_match(struct dagbag_cache *cache, char **files, size_t nfiles)
{
	struct dagbag_file	*out;
	size_t			 i = 0, j = 0, n = 0;
	int			 cmp, changed = 0;

	out = xcalloc(nfiles + 1, sizeof *out);
	while (i < cache->nfiles || j < nfiles) {
		if (i == cache->nfiles)
			cmp = 1;
		else if (j == nfiles)
			cmp = -1;
		else
			cmp = strcmp(cache->files[i].path, files[j]);
		if (cmp < 0) {
			dagbag_file_clear(&cache->files[i++]);
			changed = 1;
		} else if (cmp > 0) {
			out[n++].path = xstrdup(files[j++]);
			changed = 1;
		} else {
			out[n++] = cache->files[i++];
			j++;
		}
	}
	free(cache->files);
	cache->files = out;
	cache->nfiles = n;
	return (changed);
}

static int
dagbag_cmp_ids(const void *a, const void *b)
{
	const struct dagbag_file	*fa = *(struct dagbag_file *const *)a;
	const struct dagbag_file	*fb = *(struct dagbag_file *const *)b;
	int				 cmp;

	if ((cmp = strcmp(fa->dag->id, fb->dag->id)) != 0)
		return (cmp);
	return (strcmp(fa->path, fb->path));
}

/*
 * Two files with one id: refuse both, whatever the reading order. The first
 * file (by path) of each id says which other file declares it too.
 */
static void
dagbag_find_dups(struct dagbag_cache *cache, struct store *st,
    struct dagbag *bag)
{
	struct dagbag_file	**by_id, *f;
	const char		**other;
	char			 *msg;
	size_t			  n = 0, i;

	by_id = xcalloc(cache->nfiles + 1, sizeof *by_id);
	other = xcalloc(cache->nfiles + 1, sizeof *other);
	for (i = 0; i < cache->nfiles; i++) {
		if (cache->files[i].dag != NULL)
			by_id[n++] = &cache->files[i];
		cache->files[i].dup = 0;
	}
	if (n > 1)
		qsort(by_id, n, sizeof *by_id, dagbag_cmp_ids);
	for (i = 0; i + 1 < n; i++) {
		if (strcmp(by_id[i]->dag->id, by_id[i + 1]->dag->id) != 0)
			continue;
		if (!by_id[i]->dup)
			other[by_id[i] - cache->files] = by_id[i + 1]->path;
		by_id[i]->dup = by_id[i + 1]->dup = 1;
	}
	for (i = 0; i < cache->nfiles; i++) {
		f = &cache->files[i];
		if (!f->dup)
			continue;
		f->synced = 0;	/* when it is alone again, say so */
		if (other[i] == NULL)
			continue;
		xasprintf(&msg, "%s: dag id '%s' is also declared in '%s'",
		    f->path, f->dag->id, other[i]);
		if (st != NULL)
			if (store_dag_sync(st, f->dag->id, f->path, NULL,
			    msg) != 0)
				log_warnx("database: %s", store_error(st));
		dagbag_error(bag, msg);
	}
	free(other);
	free(by_id);
}

/*
 * Bring the cache up to date with the DAGs folder and fill bag with what
 * it holds: the DAGs (which stay the cache's) and a message for each file
 * that failed or shares its id with another. A file that fails, or two
 * files that declare the same DAG id, never stop the others: their messages
 * are also in the database (when st is not NULL), against the DAG they
 * would define. 0, or -1 when the folder itself cannot be read.
 */
int
dagbag_refresh(const struct config *cfg, struct store *st,
    struct dagbag_cache *cache, struct dagbag *bag)
{
	struct store_dag	*known = NULL;
	struct dagbag_file	*f;
	struct dagbag_stamp	 dir;
	struct stat		 sb;
	char			**files, *cause, *id, *msg;
	size_t			 nfiles, nknown = 0, i;
	int			 changed, have_known = 0, dfd;
	int64_t			 before;
	struct store		*wst;

	memset(bag, 0, sizeof *bag);
	/* A read-only store (a snapshot: cmd.c) is read, never written. */
	wst = st != NULL && !store_readonly(st) ? st : NULL;
	cache->parsed = cache->touched = cache->unchanged = 0;
	/* The folder's own stat says whether a name came or went. */
	if (stat(cfg->dags_folder, &sb) != 0)
		memset(&sb, 0, sizeof sb);
	dagbag_stamp(&dir, &sb);
	changed = !cache->loaded || !dagbag_stamp_same(&dir, &cache->dir);
	if (dagbag_check_folder(cfg->dags_folder, &msg) != 0) {
		dagbag_error(bag, msg);
		dagbag_cache_free(cache);
		return (-1);
	}
	if (changed) {
		if (dagbag_list_files(cfg->dags_folder, &files,
		    &nfiles) != 0) {
			xasprintf(&msg, "cannot read dags folder '%s': %s",
			    cfg->dags_folder, strerror(errno));
			dagbag_error(bag, msg);
			cache->loaded = 0;
			return (-1);
		}
		dagbag_cache_match(cache, files, nfiles);
		for (i = 0; i < nfiles; i++)
			free(files[i]);
		free(files);
		cache->dir = dir;
		cache->loaded = 1;
	}

	dfd = open(cfg->dags_folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (i = 0; i < cache->nfiles; i++) {
		f = &cache->files[i];
		if (dagbag_file_update(cfg, cache, dfd, f, &cause) == 0 ||
		    f->dag != NULL) {
			changed |= !f->synced;
			continue;
		}
		changed = 1;
		if (st != NULL && !have_known) {
			if (store_dag_list(st, &known, &nknown) != 0)
				nknown = 0;
			have_known = 1;
		}
		id = dagbag_id_for_path(known, nknown, f->path);
		if (wst != NULL)
			if (store_dag_sync(wst, id, f->path, NULL, cause) != 0)
				log_warnx("database: %s", store_error(wst));
		dagbag_error(bag, cause);
		free(id);
	}

	if (dfd != -1)
		close(dfd);
	dagbag_find_dups(cache, wst, bag);
	for (i = 0; i < cache->nfiles; i++) {
		f = &cache->files[i];
		if (f->dag == NULL || f->dup)
			continue;
		bag->dags = xreallocarray(bag->dags, bag->ndags + 1,
		    sizeof *bag->dags);
		bag->dags[bag->ndags++] = f->dag;
		if (wst != NULL && !f->synced) {
			before = store_changes(wst);
			if (store_dag_sync(wst, f->dag->id, f->path,
			    f->dag->version, NULL) != 0)
				log_warnx("database: %s", store_error(wst));
			f->dag->fresh |= store_changes(wst) != before;
			dagbag_keep_version(wst, f->dag);
		}
		f->synced = 1;
	}

	/*
	 * A DAG whose file is gone keeps its history, unscheduled. Only a
	 * pass where some file came, went or changed can have made one.
	 */
	if (st != NULL && changed && !have_known &&
	    store_dag_list(st, &known, &nknown) != 0)
		nknown = 0;
	for (i = 0; st != NULL && changed && i < nknown; i++) {
		if (dagbag_find(bag, known[i].dag_id) != NULL ||
		    access(known[i].path, F_OK) == 0 ||
		    (known[i].load_error != NULL &&
		    strncmp(known[i].load_error, "missing: ", 9) == 0))
			continue;
		xasprintf(&msg, "missing: %s: no such file; the DAG keeps its "
		    "runs and is not scheduled", known[i].path);
		if (wst != NULL)
			if (store_dag_sync(wst, known[i].dag_id, known[i].path,
			    NULL, msg) != 0)
				log_warnx("database: %s", store_error(wst));
		dagbag_error(bag, msg);
	}
	store_dag_free_list(known, nknown);
	return (0);
}

/* Load every DAG file once, for a verb; see dagbag_refresh. */
int
dagbag_load(const struct config *cfg, struct store *st, struct dagbag *bag)
{
	struct dagbag_cache	*cache;
	int			 rc;

	cache = xcalloc(1, sizeof *cache);
	rc = dagbag_refresh(cfg, st, cache, bag);
	bag->own = cache;
	return (rc);
}

void
dagbag_cache_free(struct dagbag_cache *cache)
{
	size_t	i;

	for (i = 0; i < cache->nfiles; i++)
		dagbag_file_clear(&cache->files[i]);
	free(cache->files);
	memset(cache, 0, sizeof *cache);
}

/* Free the bag, and its DAGs when no cache outside it keeps them. */
void
dagbag_free(struct dagbag *bag)
{
	size_t	i;

	free(bag->dags);
	for (i = 0; i < bag->nerrors; i++)
		free(bag->errors[i]);
	free(bag->errors);
	if (bag->own != NULL) {
		dagbag_cache_free(bag->own);
		free(bag->own);
	}
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
