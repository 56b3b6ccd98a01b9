/* The report's drawings, as SVG: a DAG's graph by levels, a run's Gantt. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "state.h"

/* Sizes in pixels; text is monospace, about CHAR wide a character. */
#define REPORT_SVG_CHAR		7.5
#define REPORT_SVG_LABEL	40	/* characters shown of an id */
#define REPORT_SVG_BOX_H	28
#define REPORT_SVG_GAP_X	56
#define REPORT_SVG_GAP_Y	14
#define REPORT_SVG_PAD		8
#define REPORT_SVG_ROW_H	22
#define REPORT_SVG_CHART_W	720

/* Write an id as an SVG text's content, cut to REPORT_SVG_LABEL. */
static void
report_svg_label(FILE *f, const char *s)
{
	size_t	len = 0;
	int	n = 0;

	if (report_text_width(s) <= REPORT_SVG_LABEL) {
		report_text(f, s);
		return;
	}
	while (s[len] != '\0') {
		if (((unsigned char)s[len] & 0xc0) != 0x80 &&
		    ++n == REPORT_SVG_LABEL)
			break;
		len++;
	}
	report_text_len(f, s, len);
	fputs("\xe2\x80\xa6", f);	/* an ellipsis */
}

static int
report_svg_width(const char *s)
{
	int	n = report_text_width(s);

	if (n > REPORT_SVG_LABEL)
		n = REPORT_SVG_LABEL + 1;
	return ((int)(n * REPORT_SVG_CHAR) + 2 * REPORT_SVG_PAD);
}

/* Where a node of the graph is. */
struct report_svg_node {
	const struct task	*task;
	int			 level;
	double			 key;	/* its place among its level's */
	int			 x, y, w;
};

/* Order nodes by level, then by key, then as they came (index). */
static int
report_svg_cmp(const void *a, const void *b)
{
	const struct report_svg_node	*na = a, *nb = b;

	if (na->level != nb->level)
		return (na->level < nb->level ? -1 : 1);
	if (na->key != nb->key)
		return (na->key < nb->key ? -1 : 1);
	return (na->task < nb->task ? -1 : na->task > nb->task);
}

static struct report_svg_node *
report_svg_find(struct report_svg_node *nodes, size_t n, const char *id)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(nodes[i].task->id, id) == 0)
			return (&nodes[i]);
	}
	return (NULL);
}

/*
 * Lay the graph out by levels, left to right: a column per level, each
 * as wide as its widest task. Within a level, a task goes by the mean
 * place of the tasks it comes after (the barycentre), which keeps most
 * edges from crossing; level 0 stays in file order.
 */
static void
report_svg_layout(const struct report_dag *rd, struct report_svg_node *nodes,
    int *width, int *height)
{
	struct report_svg_node	*up;
	const struct task	*t;
	size_t			 i, j, n = rd->ndag, k, start;
	int			 level, x = 0, y, colw, sum;

	for (i = 0; i < n; i++) {
		nodes[i].task = dag_find_task(rd->dag, rd->rows[i]);
		nodes[i].level = rd->level[i];
		nodes[i].key = (double)i;
		nodes[i].w = report_svg_width(rd->rows[i]);
	}
	*width = *height = 0;
	for (start = 0; start < n; start = k) {
		level = nodes[start].level;
		for (k = start; k < n && nodes[k].level == level; k++) {
			t = nodes[k].task;
			if (level == 0 || t->nafter == 0)
				continue;
			sum = 0;
			for (j = 0; j < t->nafter; j++) {
				up = report_svg_find(nodes, start,
				    t->after[j]);
				sum += up != NULL ? up->y : 0;
			}
			nodes[k].key = (double)sum / (double)t->nafter;
		}
		qsort(nodes + start, k - start, sizeof *nodes,
		    report_svg_cmp);
		colw = 0;
		y = REPORT_SVG_PAD;
		for (i = start; i < k; i++) {
			nodes[i].x = x + REPORT_SVG_PAD;
			nodes[i].y = y;
			y += REPORT_SVG_BOX_H + REPORT_SVG_GAP_Y;
			if (nodes[i].w > colw)
				colw = nodes[i].w;
		}
		if (y > *height)
			*height = y;
		x += colw + REPORT_SVG_GAP_X;
	}
	*width = x - REPORT_SVG_GAP_X + 2 * REPORT_SVG_PAD;
	*height += REPORT_SVG_PAD - REPORT_SVG_GAP_Y;
}

/*
 * The graph of a DAG's tasks (its file as loaded), each box in the state
 * of the task in the newest run; number tells this SVG's ids apart.
 */
void
report_svg_graph(FILE *f, const struct report_dag *rd, size_t number)
{
	struct report_svg_node	*nodes, *up, *nd;
	const struct report_run	*newest = NULL;
	const char		*state;
	size_t			 i, j, nedges = 0;
	int			 width, height, x1, y1, x2, y2, mid;

	if (rd->dag == NULL || rd->ndag == 0) {
		fputs("<p class=\"none\">No graph: the DAG file did not load."
		    "</p>\n", f);
		return;
	}
	if (rd->nruns > 0)
		newest = &rd->runs[rd->nruns - 1];
	nodes = xcalloc(rd->ndag, sizeof *nodes);
	report_svg_layout(rd, nodes, &width, &height);

	fprintf(f, "<svg class=\"graph\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", width, height, width,
	    height);
	fprintf(f, "<defs><marker id=\"arrow-%zu\" viewBox=\"0 0 10 10\" "
	    "refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
	    "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
	    "</defs>\n", number);
	for (i = 0; i < rd->ndag; i++) {
		nd = &nodes[i];
		for (j = 0; j < nd->task->nafter; j++) {
			up = report_svg_find(nodes, rd->ndag,
			    nd->task->after[j]);
			if (up == NULL)
				continue;
			x1 = up->x + up->w;
			y1 = up->y + REPORT_SVG_BOX_H / 2;
			x2 = nd->x;
			y2 = nd->y + REPORT_SVG_BOX_H / 2;
			mid = (x1 + x2) / 2;
			fputs("<path class=\"edge\" data-from=\"", f);
			report_text(f, up->task->id);
			fputs("\" data-to=\"", f);
			report_text(f, nd->task->id);
			fprintf(f, "\" d=\"M%d,%d C%d,%d %d,%d %d,%d\" "
			    "marker-end=\"url(#arrow-%zu)\"/>\n", x1, y1, mid,
			    y1, mid, y2, x2 - 1, y2, number);
			nedges++;
		}
	}
	for (i = 0; i < rd->ndag; i++) {
		nd = &nodes[i];
		state = newest != NULL ? report_ti_state(newest, nd->task->id) :
		    NULL;
		fprintf(f, "<g class=\"node st-%s\" data-task=\"",
		    report_state(state));
		report_text(f, nd->task->id);
		fprintf(f, "\" data-level=\"%d\"><title>", nd->level);
		report_text(f, nd->task->id);
		if (state != NULL) {
			fputs(": ", f);
			report_text(f, state);
			fputs(" in the newest run", f);
		}
		fprintf(f, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" rx=\"4\"/><text x=\"%d\" y=\"%d\">",
		    nd->x, nd->y, nd->w, REPORT_SVG_BOX_H,
		    nd->x + REPORT_SVG_PAD, nd->y + REPORT_SVG_BOX_H / 2 + 4);
		report_svg_label(f, nd->task->id);
		fputs("</text></g>\n", f);
	}
	fputs("</svg>\n", f);
	free(nodes);
}

/* A task instance's bars: waiting in the queue, then running. */
struct report_svg_bar {
	const struct ti	*ti;
	int64_t		 wait_from, wait_to;	/* 0: it never waited */
	int64_t		 run_from, run_to;	/* 0: it never started */
};

static void
report_svg_bar(struct report_svg_bar *b, const struct ti *ti, int64_t now)
{
	int64_t	end;

	memset(b, 0, sizeof *b);
	b->ti = ti;
	/* Where something still runs or waits, it does so until now. */
	end = ti->end_date != 0 ? ti->end_date :
	    state_is_active(ti->state) ? now : 0;
	if (ti->start_date != 0) {
		b->run_from = ti->start_date;
		b->run_to = end > b->run_from ? end : b->run_from;
	}
	if (ti->queued_at != 0) {
		b->wait_from = ti->queued_at;
		b->wait_to = ti->start_date != 0 ? ti->start_date : end;
		if (b->wait_to < b->wait_from)
			b->wait_to = b->wait_from;
	}
}

/* Seconds between the axis's ticks to choose from: the first gives <= 8. */
static const int64_t report_svg_steps[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
	21600, 43200, 86400, 172800, 604800
};

static void
report_svg_tick(FILE *f, int64_t t, int64_t step, int64_t span)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		buf[32];

	if (gmtime_r(&tt, &tm) == NULL)
		return;
	if (span >= 86400)
		strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
	else if (step < 60)
		strftime(buf, sizeof buf, "%H:%M:%S", &tm);
	else
		strftime(buf, sizeof buf, "%H:%M", &tm);
	fputs(buf, f);
}

/* Where the Gantt chart's axis is: its start, pixels a second, label width. */
struct report_svg_axis {
	int64_t	 tmin, tmax;
	double	 px;
	int	 labelw;
	int	 height;
};

/* The axis's ticks, at most 8, with their times (UTC) above the rows. */
static void
report_svg_ticks(FILE *f, const struct report_svg_axis *ax)
{
	int64_t	span, step, t;
	size_t	k;
	int	x;

	span = ax->tmax - ax->tmin > 0 ? ax->tmax - ax->tmin : 1;
	for (k = 0; k < sizeof report_svg_steps / sizeof *report_svg_steps - 1;
	    k++) {
		if (span / report_svg_steps[k] <= 8)
			break;
	}
	step = report_svg_steps[k];
	for (t = (ax->tmin + step - 1) / step * step; t <= ax->tmax;
	    t += step) {
		x = ax->labelw + (int)((double)(t - ax->tmin) * ax->px);
		fprintf(f, "<line class=\"tick\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"%d\" "
		    "y=\"14\">", x, REPORT_SVG_ROW_H - 4, x, ax->height, x);
		report_svg_tick(f, t, step, span);
		fputs("</text>\n", f);
	}
}

/* One row of the chart, at y: the task, its bars, how long it ran. */
static void
report_svg_row(FILE *f, const struct report_svg_axis *ax,
    const struct report_svg_bar *b, int y)
{
	char	wait[16], run[16];
	int	x1, x2 = ax->labelw;

	strcpy(wait, "-");
	strcpy(run, "-");
	if (b->wait_from != 0)
		report_span(wait, sizeof wait, b->wait_to - b->wait_from);
	if (b->run_from != 0)
		report_span(run, sizeof run, b->run_to - b->run_from);
	fprintf(f, "<g class=\"bar st-%s\" data-task=\"",
	    report_state(b->ti->state));
	report_text(f, b->ti->task_id);
	fputs("\"><title>", f);
	report_text(f, b->ti->task_id);
	fputs(": ", f);
	report_text(f, b->ti->state);
	fprintf(f, ", waited %s, ran %s</title><text class=\"label\" "
	    "x=\"0\" y=\"%d\">", wait, run, y + 14);
	report_svg_label(f, b->ti->task_id);
	fputs("</text>", f);
	if (b->wait_from != 0) {
		x1 = ax->labelw + (int)((double)(b->wait_from - ax->tmin) *
		    ax->px);
		x2 = ax->labelw + (int)((double)(b->wait_to - ax->tmin) *
		    ax->px);
		fprintf(f, "<rect class=\"wait\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"12\"/>", x1, y + 5,
		    x2 > x1 ? x2 - x1 : 1);
	}
	if (b->run_from != 0) {
		x1 = ax->labelw + (int)((double)(b->run_from - ax->tmin) *
		    ax->px);
		x2 = ax->labelw + (int)((double)(b->run_to - ax->tmin) *
		    ax->px);
		if (x2 <= x1)
			x2 = x1 + 2;
		fprintf(f, "<rect class=\"run\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"12\"/>", x1, y + 4, x2 - x1);
	}
	fprintf(f, "<text class=\"times\" x=\"%d\" y=\"%d\">%s</text>"
	    "</g>\n", x2 + 6, y + 14, b->run_from != 0 ? run :
	    "not started");
}

/*
 * The Gantt chart of a run: a row per task instance, in the order of the
 * DAG's rows, a grey bar while it waited in Slurm's queue and a bar in
 * its state's colour while it ran, on one time axis (UTC).
 */
void
report_svg_gantt(FILE *f, const struct report_dag *rd,
    const struct report_run *rr, int64_t now)
{
	struct report_svg_axis	 ax;
	struct report_svg_bar	*bars, *b;
	const struct ti		*ti;
	size_t			 i, n = 0;
	int			 w, width;

	memset(&ax, 0, sizeof ax);
	bars = xcalloc(rr->rec.ntis + 1, sizeof *bars);
	for (i = 0; i < rd->nrows; i++) {
		if ((ti = report_ti(rr, rd->rows[i], NULL)) == NULL)
			continue;
		b = &bars[n++];
		report_svg_bar(b, ti, now);
		if (b->wait_from != 0 && (ax.tmin == 0 ||
		    b->wait_from < ax.tmin))
			ax.tmin = b->wait_from;
		if (b->run_from != 0 && (ax.tmin == 0 ||
		    b->run_from < ax.tmin))
			ax.tmin = b->run_from;
		if (b->wait_to > ax.tmax)
			ax.tmax = b->wait_to;
		if (b->run_to > ax.tmax)
			ax.tmax = b->run_to;
		if ((w = report_svg_width(ti->task_id)) > ax.labelw)
			ax.labelw = w;
	}
	if (ax.tmin == 0) {
		fputs("<p class=\"none\">No task of this run has been queued "
		    "yet.</p>\n", f);
		free(bars);
		return;
	}
	ax.px = (double)REPORT_SVG_CHART_W / (double)(ax.tmax - ax.tmin > 0 ?
	    ax.tmax - ax.tmin : 1);
	width = ax.labelw + REPORT_SVG_CHART_W + 160;
	ax.height = REPORT_SVG_ROW_H * ((int)n + 1) + REPORT_SVG_PAD;
	fprintf(f, "<svg class=\"gantt\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", width, ax.height, width,
	    ax.height);
	report_svg_ticks(f, &ax);
	for (i = 0; i < n; i++)
		report_svg_row(f, &ax, &bars[i],
		    REPORT_SVG_ROW_H * ((int)i + 1));
	fputs("</svg>\n", f);
	free(bars);
}
