/* What the report shows, gathered: DAGs, runs, records, lineage, log tails. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dagbag.h"
#include "report.h"
#include "safefile.h"

/*
 * Read the end of the log at path, at most max bytes, into log. A job
 * writes its log, and a job could put a link or a FIFO in its place: the
 * file is opened without following a link and without blocking, and read
 * only if the descriptor is a regular file of ours (safefile_open). A tail
 * that does not start the log starts at a line.
 */
static void
report_data_tail(const char *path, size_t max, struct report_log *log)
{
	struct stat	 sb;
	char		*buf, *nl, *cause;
	off_t		 from;
	ssize_t		 got;
	size_t		 len = 0;
	int		 fd;

	log->path = xstrdup(path);
	if ((fd = safefile_open(path, SAFEFILE_MINE, 0, &sb, &cause)) == -1) {
		switch (errno) {
		case ELOOP:
			log->error = xstrdup("a symbolic link: not read");
			break;
		case EPERM:
			log->error = xstrdup("owned by another user: not read");
			break;
		case EINVAL:
			log->error = xstrdup("not a regular file: not read");
			break;
		default:
			log->error = xstrdup(strerror(errno));
			break;
		}
		free(cause);
		return;
	}
	from = sb.st_size > (off_t)max ? sb.st_size - (off_t)max : 0;
	buf = xmalloc(max + 1);
	while (len < max) {
		got = pread(fd, buf + len, max - len, from + (off_t)len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	buf[len] = '\0';
	log->cut = from > 0;
	if (log->cut && (nl = memchr(buf, '\n', len)) != NULL) {
		len -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, len + 1);
	}
	log->tail = buf;
}

/* The row of task_id, added at the end if it is not there yet. */
static void
report_data_row(struct report_dag *rd, const char *task_id)
{
	size_t	i;

	for (i = 0; i < rd->nrows; i++) {
		if (strcmp(rd->rows[i], task_id) == 0)
			return;
	}
	rd->rows = xreallocarray(rd->rows, rd->nrows + 1, sizeof *rd->rows);
	rd->rows[rd->nrows++] = task_id;
}

/* Read one run's records, logs and lineage: 0, or -1 (store_error). */
static int
report_data_run(struct store *st, const struct report_opts *o,
    struct report_run *rr)
{
	struct run	*r = &rr->rec.r;
	struct ti	*ti;
	char		*path;
	size_t		 i;

	if (store_record_load(st, &rr->rec) != 0)
		return (-1);
	if (store_lineage_edges(st, r->id, 1, &rr->up, &rr->nup) != 0 ||
	    store_lineage_edges(st, r->id, 0, &rr->down, &rr->ndown) != 0)
		return (-1);
	rr->logs = xcalloc(rr->rec.ntis + 1, sizeof *rr->logs);
	for (i = 0; i < rr->rec.ntis; i++) {
		ti = &rr->rec.tis[i];
		if (ti->try_number < 1)
			continue;
		xasprintf(&path, "%s/logs/%s/%s/%s.%d.log", o->state_dir,
		    r->dag_id, r->run_id, ti->task_id, ti->try_number);
		report_data_tail(path, o->tail_bytes, &rr->logs[i]);
		free(path);
	}
	return (0);
}

/*
 * Gather one DAG: its newest runs (since the date asked for), and the
 * rows of its grid. 0, or -1 with *cause.
 */
static int
report_data_dag(struct store *st, const struct dagbag *bag,
    const struct report_opts *o, struct report_dag *rd, char **cause)
{
	struct run	*runs;
	struct ti	*tis;
	size_t		 nruns, ntis, i, j, *order;
	int		*level;
	const struct dag *dag;

	if (store_view_grid(st, rd->sd.dag_id, o->last > 0 ? (int)o->last :
	    -1, &rd->total, &runs, &nruns, &tis, &ntis) != 0) {
		store_run_free_list(runs, nruns);
		store_ti_free_list(tis, ntis);
		xasprintf(cause, "database: %s", store_error(st));
		return (-1);
	}
	store_ti_free_list(tis, ntis);
	rd->runs = xcalloc(nruns + 1, sizeof *rd->runs);
	for (i = 0; i < nruns; i++) {
		if (o->has_since && runs[i].logical_date < o->since) {
			store_run_clear(&runs[i]);
			continue;
		}
		rd->runs[rd->nruns++].rec.r = runs[i];
	}
	free(runs);
	for (i = 0; i < rd->nruns; i++) {
		if (report_data_run(st, o, &rd->runs[i]) != 0) {
			xasprintf(cause, "database: %s", store_error(st));
			return (-1);
		}
	}

	if ((dag = rd->dag = dagbag_find(bag, rd->sd.dag_id)) != NULL) {
		level = xcalloc(dag->ntasks + 1, sizeof *level);
		order = dag_task_order(dag, level);
		rd->level = xcalloc(dag->ntasks + 1, sizeof *rd->level);
		for (i = 0; i < dag->ntasks; i++) {
			report_data_row(rd, dag->tasks[order[i]].id);
			rd->level[i] = level[order[i]];
		}
		free(order);
		free(level);
	}
	rd->ndag = rd->nrows;
	for (i = 0; i < rd->nruns; i++) {
		for (j = 0; j < rd->runs[i].rec.ntis; j++)
			report_data_row(rd, rd->runs[i].rec.tis[j].task_id);
	}
	return (0);
}

/*
 * Gather the report of the DAGs named (every DAG the database knows when
 * n is 0): 0, or -1 with *cause. The report is the caller's to free
 * either way; it points into bag, which must outlive it.
 */
int
report_load(struct report *rep, struct store *st, const struct dagbag *bag,
    char **ids, size_t n, const struct report_opts *o, char **cause)
{
	struct store_dag	*all = NULL;
	size_t			 nall = 0, i;
	int			 rc;

	memset(rep, 0, sizeof *rep);
	rep->opts = *o;
	if (n == 0) {
		if (store_dag_list(st, &all, &nall) != 0) {
			xasprintf(cause, "database: %s", store_error(st));
			return (-1);
		}
		rep->dags = xcalloc(nall + 1, sizeof *rep->dags);
		for (i = 0; i < nall; i++)
			rep->dags[rep->ndags++].sd = all[i];
		free(all);
	} else {
		rep->dags = xcalloc(n, sizeof *rep->dags);
		for (i = 0; i < n; i++) {
			rc = store_dag_get(st, ids[i],
			    &rep->dags[rep->ndags].sd);
			if (rc != 1) {
				if (rc == 0)
					xasprintf(cause, "cannot find dag "
					    "'%s'", ids[i]);
				else
					xasprintf(cause, "database: %s",
					    store_error(st));
				return (-1);
			}
			rep->ndags++;
		}
	}
	for (i = 0; i < rep->ndags; i++) {
		if (report_data_dag(st, bag, o, &rep->dags[i], cause) != 0)
			return (-1);
	}
	return (0);
}

void
report_free(struct report *rep)
{
	struct report_dag	*rd;
	struct report_run	*rr;
	size_t			 i, j, k;

	for (i = 0; i < rep->ndags; i++) {
		rd = &rep->dags[i];
		for (j = 0; j < rd->nruns; j++) {
			rr = &rd->runs[j];
			for (k = 0; rr->logs != NULL && k < rr->rec.ntis;
			    k++) {
				free(rr->logs[k].path);
				free(rr->logs[k].tail);
				free(rr->logs[k].error);
			}
			free(rr->logs);
			store_lineage_free(rr->up, rr->nup);
			store_lineage_free(rr->down, rr->ndown);
			store_record_clear(&rr->rec);
		}
		free(rd->runs);
		free(rd->rows);
		free(rd->level);
		store_dag_clear(&rd->sd);
	}
	free(rep->dags);
	memset(rep, 0, sizeof *rep);
}

/* The task instance of task_id in a run, and its index; NULL: none. */
const struct ti *
report_ti(const struct report_run *rr, const char *task_id, size_t *idx)
{
	size_t	i;

	for (i = 0; i < rr->rec.ntis; i++) {
		if (strcmp(rr->rec.tis[i].task_id, task_id) == 0) {
			if (idx != NULL)
				*idx = i;
			return (&rr->rec.tis[i]);
		}
	}
	return (NULL);
}

/* The state of task_id in a run; NULL: the run has no such task. */
const char *
report_ti_state(const struct report_run *rr, const char *task_id)
{
	const struct ti	*ti;

	ti = report_ti(rr, task_id, NULL);
	return (ti != NULL ? ti->state : NULL);
}
