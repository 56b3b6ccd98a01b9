/*
 * An old version of a DAG, rebuilt from the text the database keeps of it,
 * so that a run started on that version finishes on it: its tasks, commands
 * and resources, and its scripts as they were (each written once to a copy
 * under state_dir/versions, which the job then runs, as sbatch runs its
 * own copy of a script).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dagversion.h"

/* How dagbag.c puts a script's text after the DAG file's, in a version. */
#define DAGVERSION_SCRIPT_HEAD	"\n### script of task '"

/* Write a script's old text to path, once (by rename), executable. */
static int
dagversion_write(const char *path, const char *text, size_t len)
{
	FILE	*f;
	char	*tmp;
	int	 ok;

	if (access(path, R_OK) == 0)
		return (0);
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		free(tmp);
		return (-1);
	}
	ok = fwrite(text, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || chmod(tmp, 0755) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}

/*
 * Split a version's text into the DAG file's and each script's; write the
 * scripts to copies under dir. The copies point into paths and files, which
 * the caller frees.
 */
static int
dagversion_split(char *source, const char *dir,
    struct dagfile_script_copy **copies, size_t *ncopies, char ***files)
{
	char	*p, *head, *task, *quote, *path, *nl, *next, *file;
	size_t	 n = 0;

	*copies = NULL;
	*files = NULL;
	*ncopies = 0;
	p = strstr(source, DAGVERSION_SCRIPT_HEAD);
	if (p == NULL)
		return (0);
	*p = '\0';		/* the DAG file's text ends there */
	head = p + 1;
	while (head != NULL) {
		/* "### script of task 'ID': PATH\n" then the text. */
		task = head + strlen(DAGVERSION_SCRIPT_HEAD) - 1;
		if ((quote = strchr(task, '\'')) == NULL ||
		    strncmp(quote, "': ", 3) != 0 ||
		    (nl = strchr(quote + 3, '\n')) == NULL)
			return (-1);
		*quote = '\0';
		path = quote + 3;
		*nl = '\0';
		next = strstr(nl + 1, DAGVERSION_SCRIPT_HEAD);
		if (next != NULL)
			*next = '\0';
		xasprintf(&file, "%s/%s.script", dir, task);
		if (dagversion_write(file, nl + 1, strlen(nl + 1)) != 0) {
			free(file);
			return (-1);
		}
		*copies = xreallocarray(*copies, n + 1, sizeof **copies);
		*files = xreallocarray(*files, n + 1, sizeof **files);
		(*copies)[n].path = path;
		(*copies)[n].copy = file;
		(*files)[n++] = file;
		*ncopies = n;
		head = next != NULL ? next + 1 : NULL;
	}
	return (0);
}

/*
 * Rebuild version of cur's DAG. NULL with a cause if the database lacks its
 * text, or if the text does not give back the same version (a DAG file that
 * holds our own separator line cannot be split again).
 */
struct dag *
dagversion_load(struct store *st, const struct config *cfg,
    const struct dag *cur, const char *version, char **cause)
{
	struct dagfile_script_copy	*copies;
	struct dag			*dag;
	char				*source, *dir, **files, *why;
	size_t				 n, i;
	int				 rc;

	rc = store_version_source(st, cur->id, version, &source);
	if (rc != 1) {
		xasprintf(cause, rc == 0 ? "its text is not recorded" :
		    "database: %s", store_error(st));
		return (NULL);
	}
	xasprintf(&dir, "%s/versions/%s/%s", cfg->state_dir, cur->id, version);
	if (fs_mkdirs(dir) != 0) {
		xasprintf(cause, "cannot create %s: %s", dir, strerror(errno));
		free(dir);
		free(source);
		return (NULL);
	}
	dag = NULL;
	if (dagversion_split(source, dir, &copies, &n, &files) != 0)
		xasprintf(cause, "cannot write its scripts under %s", dir);
	else if ((dag = dagfile_load_version(cur->path, source, copies, n, cfg,
	    &why)) == NULL) {
		xasprintf(cause, "it no longer loads: %s", why);
		free(why);
	} else if (strcmp(dag->version, version) != 0) {
		xasprintf(cause, "its text gives version %s", dag->version);
		dag_free(dag);
		dag = NULL;
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(copies);
	free(dir);
	free(source);
	return (dag);
}
