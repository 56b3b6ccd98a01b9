/* The report's page: one HTML file with its style, script and drawings. */

/*
 * The page needs nothing but itself: the style and the script are inline
 * (src/report.css and src/report.js, made C strings by make), the
 * drawings inline SVG, and its Content-Security-Policy lets it fetch
 * nothing at all, so that it opens the same from a laptop after scp,
 * from Open OnDemand's file browser, or offline. Everything read from
 * the database or a log goes through report_text (escaped, valid UTF-8);
 * the script only moves, hides and reads the elements written here.
 */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "report.h"
#include "state.h"

/* A column of a runs table beyond the fixed ones: a param or a metric. */
struct report_col {
	char	*field;		/* what the table's head and sort call it */
	char	*alias;		/* the other name it answers to, or NULL */
	char	*task;		/* a metric's task, or NULL for a param */
	char	*key;
};

struct report_cols {
	struct report_col	*v;
	size_t			 n;
};

static void
report_html_col_add(struct report_cols *cols, const char *task,
    const char *key)
{
	size_t	i;

	for (i = 0; i < cols->n; i++) {
		if (((task == NULL) == (cols->v[i].task == NULL)) &&
		    (task == NULL || strcmp(cols->v[i].task, task) == 0) &&
		    strcmp(cols->v[i].key, key) == 0)
			return;
	}
	cols->v = xreallocarray(cols->v, cols->n + 1, sizeof *cols->v);
	memset(&cols->v[cols->n], 0, sizeof *cols->v);
	cols->v[cols->n].task = task != NULL ? xstrdup(task) : NULL;
	cols->v[cols->n++].key = xstrdup(key);
}

/*
 * The params and metrics columns of a DAG's runs, in order of first
 * appearance. A metric reported by one task only is "metrics.KEY" (and
 * answers to "metrics.TASK.KEY" too); one that several tasks report gets
 * a column per task, "metrics.TASK.KEY". The wrapper's own job_* figures
 * stay in each run's task table.
 */
static void
report_html_cols(const struct report_dag *rd, struct report_cols *cols)
{
	struct record_kv	*kv;
	struct store_metric	*m;
	struct report_col	*c;
	size_t			 nkv, i, j, nparams, same;

	memset(cols, 0, sizeof *cols);
	for (i = 0; i < rd->nruns; i++) {
		if (rd->runs[i].rec.r.params == NULL ||
		    record_params_parse(rd->runs[i].rec.r.params, &kv,
		    &nkv) != 0)
			continue;
		for (j = 0; j < nkv; j++)
			report_html_col_add(cols, NULL, kv[j].name);
		record_kv_free(kv, nkv);
	}
	nparams = cols->n;
	for (i = 0; i < rd->nruns; i++) {
		for (j = 0; j < rd->runs[i].rec.nmetrics; j++) {
			m = &rd->runs[i].rec.metrics[j];
			if (strncmp(m->key, "job_", 4) != 0)
				report_html_col_add(cols, m->task_id, m->key);
		}
	}
	for (i = 0; i < cols->n; i++) {
		c = &cols->v[i];
		if (i < nparams) {
			xasprintf(&c->field, "params.%s", c->key);
			continue;
		}
		for (same = 0, j = nparams; j < cols->n; j++)
			same += strcmp(cols->v[j].key, c->key) == 0;
		if (same == 1) {
			xasprintf(&c->field, "metrics.%s", c->key);
			xasprintf(&c->alias, "metrics.%s.%s", c->task, c->key);
		} else {
			xasprintf(&c->field, "metrics.%s.%s", c->task, c->key);
			xasprintf(&c->alias, "metrics.%s", c->key);
		}
	}
}

static void
report_html_cols_free(struct report_cols *cols)
{
	size_t	i;

	for (i = 0; i < cols->n; i++) {
		free(cols->v[i].field);
		free(cols->v[i].alias);
		free(cols->v[i].task);
		free(cols->v[i].key);
	}
	free(cols->v);
}

/* A link that chooses a run: href="#run=DAG/RUN" with data-dag, data-run. */
static void
report_html_run_link(FILE *f, const struct run *r)
{
	fputs("<a class=\"runlink\" href=\"#run=", f);
	report_url(f, r->dag_id);
	fputc('/', f);
	report_url(f, r->run_id);
	fputs("\" data-dag=\"", f);
	report_text(f, r->dag_id);
	fputs("\" data-run=\"", f);
	report_text(f, r->run_id);
	fputs("\">", f);
}

/* <span class="state st-STATE">STATE</span> */
static void
report_html_state(FILE *f, const char *state)
{
	fprintf(f, "<span class=\"state st-%s\">", report_state(state));
	report_text(f, state);
	fputs("</span>", f);
}

static void
report_html_time(FILE *f, const char *tag, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		iso[32];

	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		fprintf(f, "<%s>-</%s>", tag, tag);
		return;
	}
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "<%s data-v=\"%s\">", tag, iso);
	report_time(f, t);
	fprintf(f, "</%s>", tag);
}

/*
 * The grid of a DAG's runs: a column per run, oldest at the left, a row
 * for the runs' states and one per task, each cell a task instance's
 * state (the letters of `updraft grid`) that chooses its run.
 */
static void
report_html_grid(FILE *f, const struct report_dag *rd)
{
	const struct report_run	*rr;
	const char		*state;
	struct tm		 tm;
	time_t			 tt;
	char			 day[16], hour[16];
	size_t			 i, j;

	fputs("<div class=\"scroll\"><table class=\"grid\">\n<thead><tr>"
	    "<th></th>", f);
	for (j = 0; j < rd->nruns; j++) {
		rr = &rd->runs[j];
		tt = (time_t)rr->rec.r.logical_date;
		gmtime_r(&tt, &tm);
		strftime(day, sizeof day, "%m-%d", &tm);
		strftime(hour, sizeof hour, "%H:%M", &tm);
		fputs("<th class=\"date\" title=\"", f);
		report_text(f, rr->rec.r.run_id);
		fprintf(f, "\">%s<br>%s</th>", day, hour);
	}
	fputs("</tr></thead>\n<tbody>\n<tr class=\"runstate\"><th>run state"
	    "</th>", f);
	for (j = 0; j < rd->nruns; j++) {
		rr = &rd->runs[j];
		fprintf(f, "<td class=\"cell st-%s\" data-state=\"",
		    report_state(rr->rec.r.state));
		report_text(f, rr->rec.r.state);
		fputs("\" title=\"", f);
		report_text(f, rr->rec.r.run_id);
		fputs(": ", f);
		report_text(f, rr->rec.r.state);
		fputs("\">", f);
		report_html_run_link(f, &rr->rec.r);
		fprintf(f, "%c</a></td>", state_symbol(rr->rec.r.state));
	}
	fputs("</tr>\n", f);
	for (i = 0; i < rd->nrows; i++) {
		fputs("<tr data-task=\"", f);
		report_text(f, rd->rows[i]);
		fprintf(f, "\"%s><th>", i < rd->ndag ? "" :
		    " class=\"gone\" title=\"no longer in the DAG file\"");
		report_text(f, rd->rows[i]);
		fputs("</th>", f);
		for (j = 0; j < rd->nruns; j++) {
			rr = &rd->runs[j];
			state = report_ti_state(rr, rd->rows[i]);
			if (state == NULL) {
				fputs("<td class=\"cell st-blank\"></td>", f);
				continue;
			}
			fprintf(f, "<td class=\"cell st-%s\" data-state=\"",
			    report_state(state));
			report_text(f, state);
			fputs("\" title=\"", f);
			report_text(f, rd->rows[i]);
			fputs(" in ", f);
			report_text(f, rr->rec.r.run_id);
			fputs(": ", f);
			report_text(f, state);
			fputs("\">", f);
			report_html_run_link(f, &rr->rec.r);
			fprintf(f, "%c</a></td>", state_symbol(state));
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

/* A param's value in a run, allocated; NULL: none. */
static char *
report_html_param(const struct run *r, const char *name)
{
	struct record_kv	*kv;
	size_t			 nkv, i;
	char			*v = NULL;

	if (r->params == NULL || record_params_parse(r->params, &kv,
	    &nkv) != 0)
		return (NULL);
	for (i = 0; i < nkv && v == NULL; i++) {
		if (strcmp(kv[i].name, name) == 0)
			v = xstrdup(kv[i].value);
	}
	record_kv_free(kv, nkv);
	return (v);
}

/* A plain cell of a runs table: its text, also its value. */
static void
report_html_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	report_text(f, s);
	fputs("</td>", f);
}

static void
report_html_run_row(FILE *f, const struct report_run *rr,
    const struct report_cols *cols)
{
	const struct run	*r = &rr->rec.r;
	const struct report_col	*c;
	char			 buf[64], *v;
	size_t			 i, j;

	fputs("<tr data-dag=\"", f);
	report_text(f, r->dag_id);
	fputs("\" data-run=\"", f);
	report_text(f, r->run_id);
	fputs("\"><td>", f);
	report_html_run_link(f, r);
	report_text(f, r->run_id);
	fputs("</a></td>", f);
	report_html_time(f, "td", r->logical_date);
	fputs("<td data-v=\"", f);
	report_text(f, r->state);
	fputs("\">", f);
	report_html_state(f, r->state);
	fputs("</td>", f);
	report_html_cell(f, r->run_type);
	report_html_cell(f, r->created_by);
	if (r->start_date != 0 && r->end_date >= r->start_date) {
		report_span(buf, sizeof buf, r->end_date - r->start_date);
		fprintf(f, "<td data-v=\"%lld\">%s</td>",
		    (long long)(r->end_date - r->start_date), buf);
	} else
		fputs("<td></td>", f);
	fputs("<td>", f);
	for (i = 0; i < rr->rec.nlabels; i++) {
		fputs("<span class=\"label\">", f);
		report_text(f, rr->rec.labels[i]);
		fputs("</span>", f);
	}
	fputs("</td><td class=\"note\">", f);
	report_text(f, r->note);
	fputs("</td>", f);
	for (i = 0; i < cols->n; i++) {
		c = &cols->v[i];
		if (c->task == NULL) {
			v = report_html_param(r, c->key);
			fputs("<td class=\"num\">", f);
			report_text(f, v);
			fputs("</td>", f);
			free(v);
			continue;
		}
		*buf = '\0';
		for (j = 0; j < rr->rec.nmetrics; j++) {
			if (strcmp(rr->rec.metrics[j].task_id, c->task) == 0 &&
			    strcmp(rr->rec.metrics[j].key, c->key) == 0)
				record_format_double(rr->rec.metrics[j].value,
				    buf, sizeof buf);
		}
		fprintf(f, "<td class=\"num\">%s</td>", buf);
	}
	fputs("</tr>\n", f);
}

/* The fixed columns of a runs table: field, heading. */
static const char *const report_html_fields[][2] = {
	{ "run_id", "run" },
	{ "logical_date", "logical date" },
	{ "state", "state" },
	{ "run_type", "type" },
	{ "owner", "owner" },
	{ "duration", "duration" },
	{ "label", "labels" },
	{ "note", "note" },
};

/*
 * The runs of a DAG, newest first, with their params, labels, note and
 * metrics. The script sorts and filters it (#sort=FIELD,
 * #filter=FIELD:VALUE); each head names its field in data-field.
 */
static void
report_html_runs(FILE *f, const struct report_dag *rd)
{
	struct report_cols	 cols;
	size_t			 i;

	report_html_cols(rd, &cols);
	fputs("<div class=\"tools\"><input type=\"search\" class=\"filter\" "
	    "placeholder=\"filter: state:failed label:sweep "
	    "metrics.val_loss&lt;0.3\" aria-label=\"filter the runs\">"
	    " <span class=\"count\"></span></div>\n", f);
	fputs("<div class=\"scroll\"><table class=\"runs\">\n<thead><tr>", f);
	for (i = 0; i < sizeof report_html_fields / sizeof
	    report_html_fields[0]; i++)
		fprintf(f, "<th data-field=\"%s\">%s</th>",
		    report_html_fields[i][0], report_html_fields[i][1]);
	for (i = 0; i < cols.n; i++) {
		fputs("<th class=\"num\" data-field=\"", f);
		report_text(f, cols.v[i].field);
		if (cols.v[i].alias != NULL) {
			fputs("\" data-alias=\"", f);
			report_text(f, cols.v[i].alias);
		}
		fputs("\">", f);
		report_text(f, cols.v[i].field);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (i = rd->nruns; i > 0; i--)
		report_html_run_row(f, &rd->runs[i - 1], &cols);
	fputs("</tbody></table></div>\n", f);
	report_html_cols_free(&cols);
}

/* One lineage edge: the run at the other end links to it in the page. */
static void
report_html_edge(FILE *f, const struct run *r, const struct lineage_edge *e,
    int up)
{
	struct run	other;

	fprintf(f, "<tr class=\"edge %s\"><td>", up ? "up" : "down");
	report_html_run_link(f, r);
	report_text(f, r->run_id);
	fprintf(f, "</a></td><td>%s</td><td>", up ? "read" : "was read by");
	memset(&other, 0, sizeof other);
	other.dag_id = e->dag_id;
	other.run_id = e->run_id;
	report_html_run_link(f, &other);
	report_text(f, e->dag_id);
	fputc(' ', f);
	report_text(f, e->run_id);
	fputs("</a></td><td><code>", f);
	report_text(f, e->src_task_id);
	fputc('.', f);
	report_text(f, e->src_output);
	fputs("</code> \xe2\x86\x92 <code>", f);	/* an arrow */
	report_text(f, e->task_id);
	fputc('.', f);
	report_text(f, e->name);
	fputs("</code></td><td><code>", f);
	report_text(f, e->path);
	fputs("</code></td></tr>\n", f);
}

/* Which outputs of other runs the DAG's runs read, and who read theirs. */
static void
report_html_lineage(FILE *f, const struct report_dag *rd)
{
	const struct report_run	*rr;
	size_t			 i, j, n = 0;

	for (i = 0; i < rd->nruns; i++)
		n += rd->runs[i].nup + rd->runs[i].ndown;
	if (n == 0) {
		fputs("<p class=\"none\">No run of these read another's "
		    "outputs, nor had its own read.</p>\n", f);
		return;
	}
	fputs("<table class=\"lineage\">\n<thead><tr><th>run</th><th></th>"
	    "<th>other run</th><th>output \xe2\x86\x92 input</th>"
	    "<th>path</th></tr></thead>\n<tbody>\n", f);
	for (i = rd->nruns; i > 0; i--) {
		rr = &rd->runs[i - 1];
		for (j = 0; j < rr->nup; j++)
			report_html_edge(f, &rr->rec.r, &rr->up[j], 1);
		for (j = 0; j < rr->ndown; j++)
			report_html_edge(f, &rr->rec.r, &rr->down[j], 0);
	}
	fputs("</tbody></table>\n", f);
}

/*
 * A task instance's log: its path, and its tail folded away; where the page
 * is in the state directory, a link to the whole log beside it
 * (logs/DAG/RUN/TASK.TRY.log), which a file browser serves as well.
 */
static void
report_html_log(FILE *f, const struct report_run *rr, size_t k, int link)
{
	const struct ti		*ti = &rr->rec.tis[k];
	const struct report_log	*log = &rr->logs[k];

	if (log->path == NULL) {
		fputs("<td class=\"log\"></td>", f);
		return;
	}
	/* A failure's log is open: what went wrong shows at once. */
	fputs("<td class=\"log\"><details data-task=\"", f);
	report_text(f, ti->task_id);
	fprintf(f, "\"%s><summary><code>", state_is_failed(ti->state) ||
	    strcmp(ti->state, "up_for_retry") == 0 ? " open" : "");
	report_text(f, log->path);
	fputs("</code></summary>", f);
	if (log->tail == NULL) {
		fputs("<p class=\"none\">", f);
		report_text(f, log->error);
		fputs("</p></details></td>", f);
		return;
	}
	if (log->cut)
		fputs("<p class=\"cut\">(its end only)</p>", f);
	fputs("<pre>", f);
	report_text(f, log->tail);
	fputs("</pre>", f);
	if (link) {
		fputs("<p class=\"whole\"><a href=\"logs/", f);
		report_url(f, rr->rec.r.dag_id);
		fputc('/', f);
		report_url(f, rr->rec.r.run_id);
		fputc('/', f);
		report_url(f, ti->task_id);
		fprintf(f, ".%d.log\">the whole log</a></p>", ti->try_number);
	}
	fputs("</details></td>", f);
}

/* The job's own figures a task reported (job_elapsed_s...), as text. */
static void
report_html_job(FILE *f, const struct report_run *rr, const char *task_id)
{
	const struct store_metric	*m;
	char				 buf[64];
	size_t				 i;
	int				 n = 0;

	fputs("<td class=\"job\">", f);
	for (i = 0; i < rr->rec.nmetrics; i++) {
		m = &rr->rec.metrics[i];
		if (strcmp(m->task_id, task_id) != 0 ||
		    strncmp(m->key, "job_", 4) != 0)
			continue;
		record_format_double(m->value, buf, sizeof buf);
		fputs(n++ > 0 ? " " : "", f);
		report_text(f, m->key + 4);
		fprintf(f, "=%s", buf);
	}
	fputs("</td>", f);
}

/* A task instance's row in its run's table, with its log. */
static void
report_html_task(FILE *f, const struct report_run *rr, size_t k, int link)
{
	const struct ti	*ti = &rr->rec.tis[k];
	char		 buf[32];

	fputs("<tr data-task=\"", f);
	report_text(f, ti->task_id);
	fputs("\"><td>", f);
	report_text(f, ti->task_id);
	fputs("</td><td>", f);
	report_html_state(f, ti->state);
	fprintf(f, "</td><td>%d/%d</td><td>", ti->try_number, ti->max_tries);
	if (ti->job_id != 0)
		fprintf(f, "%lld", (long long)ti->job_id);
	fputs("</td>", f);
	report_html_cell(f, ti->node);
	if (ti->has_exit_code)
		fprintf(f, "<td>%d</td>", ti->exit_code);
	else
		fputs("<td></td>", f);
	*buf = '\0';
	if (ti->queued_at != 0 && ti->start_date >= ti->queued_at)
		report_span(buf, sizeof buf, ti->start_date - ti->queued_at);
	fprintf(f, "<td>%s</td>", buf);
	*buf = '\0';
	if (ti->start_date != 0 && ti->end_date >= ti->start_date)
		report_span(buf, sizeof buf, ti->end_date - ti->start_date);
	fprintf(f, "<td>%s</td>", buf);
	report_html_cell(f, ti->reason);
	report_html_job(f, rr, ti->task_id);
	report_html_log(f, rr, k, link);
	fputs("</tr>\n", f);
}

/* A run: what it is, its Gantt chart, and its task instances with logs. */
static void
report_html_detail(FILE *f, const struct report_dag *rd,
    const struct report_run *rr, const struct report_opts *o)
{
	const struct run	*r = &rr->rec.r;
	size_t			 i, k;

	fputs("<section class=\"detail\" data-dag=\"", f);
	report_text(f, r->dag_id);
	fputs("\" data-run=\"", f);
	report_text(f, r->run_id);
	fputs("\">\n<h3>Run <code>", f);
	report_text(f, r->run_id);
	fputs("</code> ", f);
	report_html_state(f, r->state);
	fputs("</h3>\n<p class=\"meta\">logical date ", f);
	report_time(f, r->logical_date);
	fputs(" \xc2\xb7 ", f);
	report_text(f, r->run_type);
	if (r->created_by != NULL) {
		fputs(" by ", f);
		report_text(f, r->created_by);
	}
	if (r->host != NULL) {
		fputs(" on ", f);
		report_text(f, r->host);
	}
	fputs(" \xc2\xb7 started ", f);
	report_time(f, r->start_date);
	fputs(", ended ", f);
	report_time(f, r->end_date);
	if (r->params != NULL) {
		fputs(" \xc2\xb7 params <code>", f);
		report_text(f, r->params);
		fputs("</code>", f);
	}
	if (r->note != NULL) {
		fputs("<br>note: ", f);
		report_text(f, r->note);
	}
	fputs("</p>\n", f);
	report_svg_gantt(f, rd, rr, o->now);
	fputs("<table class=\"tasks\">\n<thead><tr><th>task</th>"
	    "<th>state</th><th>try</th><th>job</th><th>node</th>"
	    "<th>exit</th><th>waited</th><th>ran</th><th>reason</th>"
	    "<th>job figures</th><th>log</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < rd->nrows; i++) {
		if (report_ti(rr, rd->rows[i], &k) != NULL)
			report_html_task(f, rr, k, o->link_logs);
	}
	fputs("</tbody></table>\n</section>\n", f);
}

static void
report_html_dag(FILE *f, const struct report *rep, size_t number)
{
	const struct report_dag	*rd = &rep->dags[number];
	size_t			 i;

	fputs("<section class=\"dag\" data-dag=\"", f);
	report_text(f, rd->sd.dag_id);
	fputs("\">\n<h2>", f);
	report_text(f, rd->sd.dag_id);
	fputs("</h2>\n<p class=\"meta\">", f);
	fputs(rd->sd.paused ? "paused" : "active", f);
	fputs(" \xc2\xb7 <code>", f);
	report_text(f, rd->sd.path);
	fputs("</code> \xc2\xb7 ", f);
	if ((size_t)rd->total == rd->nruns)
		fprintf(f, "%d run%s", rd->total, rd->total == 1 ? "" : "s");
	else
		fprintf(f, "the newest %zu of %d runs", rd->nruns, rd->total);
	if (rep->opts.has_since) {
		fputs(" since ", f);
		report_time(f, rep->opts.since);
	}
	fputs("</p>\n", f);
	if (rd->sd.load_error != NULL) {
		fputs("<p class=\"error\">", f);
		report_text(f, rd->sd.load_error);
		fputs("</p>\n", f);
	}
	if (rd->nruns == 0) {
		fputs("<p class=\"none\">No runs yet.</p>\n", f);
		fputs("<h3>Graph</h3>\n", f);
		report_svg_graph(f, rd, number);
		fputs("</section>\n", f);
		return;
	}
	fputs("<h3>Grid</h3>\n", f);
	report_html_grid(f, rd);
	fputs("<h3>Graph</h3>\n", f);
	report_svg_graph(f, rd, number);
	fputs("<h3>Runs</h3>\n", f);
	report_html_runs(f, rd);
	fputs("<h3>Lineage</h3>\n", f);
	report_html_lineage(f, rd);
	for (i = rd->nruns; i > 0; i--)
		report_html_detail(f, rd, &rd->runs[i - 1], &rep->opts);
	fputs("</section>\n", f);
}

static void
report_html_lines(FILE *f, const char *const *lines)
{
	for (; *lines != NULL; lines++)
		fputs(*lines, f);
}

/* The legend: each state's letter and colour. */
static void
report_html_legend(FILE *f)
{
	const struct state	*s;
	size_t			 i;

	fputs("<p class=\"legend\">", f);
	for (i = 0; (s = state_at(i)) != NULL; i++) {
		if (!(s->of & STATE_TI) || s->symbol == 0)
			continue;
		fprintf(f, "<span class=\"cell st-%s\">%c</span> %s ",
		    s->name, s->symbol, s->name);
	}
	fputs("</p>\n", f);
}

/* Write the whole page: 0, or -1 if f failed (errno). */
int
report_write(FILE *f, const struct report *rep)
{
	size_t	i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"updraft " PACKAGE_VERSION
	    "\">\n"
	    "<title>Updraft report</title>\n<style>\n", f);
	report_html_lines(f, report_css);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>Updraft report</h1>\n"
	    "<p class=\"meta\">written ", f);
	report_time(f, rep->opts.now);
	fputs(" from <code>", f);
	report_text(f, rep->opts.state_dir);
	fputs("</code>; times are UTC</p>\n<nav>", f);
	for (i = 0; i < rep->ndags; i++) {
		fputs("<a class=\"daglink\" data-dag=\"", f);
		report_text(f, rep->dags[i].sd.dag_id);
		fputs("\" href=\"#dag=", f);
		report_url(f, rep->dags[i].sd.dag_id);
		fputs("\">", f);
		report_text(f, rep->dags[i].sd.dag_id);
		fputs("</a> ", f);
	}
	fputs("</nav>\n", f);
	report_html_legend(f);
	fputs("</header>\n<main>\n", f);
	if (rep->ndags == 0)
		fputs("<p class=\"none\">No DAGs yet.</p>\n", f);
	for (i = 0; i < rep->ndags; i++)
		report_html_dag(f, rep, i);
	fputs("</main>\n<script>\n", f);
	report_html_lines(f, report_js);
	fputs("</script>\n</body>\n</html>\n", f);
	if (fflush(f) != 0 || ferror(f))
		return (-1);
	return (0);
}

/*
 * Write the page to path, mode 0600: into a new file beside it, renamed
 * over it once whole, so that a browser never reads half a report and a
 * link at path is replaced, never followed. 0, or -1 with *cause.
 */
int
report_save(const struct report *rep, const char *path, char **cause)
{
	FILE	*f;
	char	*tmp, *slash;
	int	 fd, saved;

	slash = strrchr(path, '/');
	if (slash == NULL)
		xasprintf(&tmp, ".report.XXXXXX");
	else
		xasprintf(&tmp, "%.*s/.report.XXXXXX", (int)(slash - path),
		    path);
	/* mkstemp makes it 0600 and O_EXCL. */
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		free(tmp);
		return (-1);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (report_write(f, rep) != 0 || fsync(fileno(f)) != 0) {
		saved = errno;
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		goto fail;
	}
	free(tmp);
	return (0);

fail:
	unlink(tmp);
	xasprintf(cause, "cannot write '%s': %s", path, strerror(saved));
	free(tmp);
	return (-1);
}
