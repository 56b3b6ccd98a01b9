/* A DAG's graph: unique ids, known upstreams, no cycles. */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dagfile-int.h"

/* A task id and where the task is, for sorting and searching. */
struct dagfile_ref {
	const char	*id;
	size_t		 idx;
};

static int
dagfile_cmp_refs(const void *a0, const void *b0)
{
	const struct dagfile_ref	*a = a0, *b = b0;
	int				 c;

	if ((c = strcmp(a->id, b->id)) != 0)
		return (c);
	return (a->idx < b->idx ? -1 : (a->idx > b->idx));
}

/* Return the index of the first task (in file order) with id, or -1. */
static ssize_t
dagfile_lookup(const struct dagfile_ref *refs, size_t n, const char *id)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(refs[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(refs[lo].id, id) == 0)
		return ((ssize_t)refs[lo].idx);
	return (-1);
}

/* Report a cycle found on the walk's stack, from its earliest task. */
static void
dagfile_cycle(struct dagfile_ctx *ctx, const size_t *cyc, size_t n)
{
	struct dag	*dag = ctx->dag;
	const char	*id;
	char		*msg;
	size_t		 i, first = 0, size = sizeof "cycle:", len;

	for (i = 0; i < n; i++) {
		if (cyc[i] < cyc[first])
			first = i;
		size += strlen(dag->tasks[cyc[i]].id) + 4;
	}
	size += strlen(dag->tasks[cyc[first]].id) + 4;
	msg = xmalloc(size);
	len = snprintf(msg, size, "cycle:");
	for (i = 0; i <= n; i++) {
		id = dag->tasks[cyc[(first + i) % n]].id;
		len += snprintf(msg + len, size - len, "%s %s",
		    i == 0 ? "" : " ->", id);
	}
	dagfile_error(ctx, dag->tasks[cyc[first]].line, "%s", msg);
	free(msg);
}

/* The graph while it is checked: ids sorted, edges downstream. */
struct dagfile_graph {
	struct dagfile_ref	*refs;
	size_t			 nrefs;
	size_t			*start;	/* task i's edges: start[i]..start[i+1] */
	size_t			*edges;	/* tasks that run after it */
};

/* Sort the tasks' ids and report each one given twice. */
static void
dagfile_graph_ids(struct dagfile_ctx *ctx, struct dagfile_graph *g)
{
	struct dag	*dag = ctx->dag;
	size_t		 i, j;

	g->refs = xcalloc(dag->ntasks + 1, sizeof *g->refs);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].id != NULL) {
			g->refs[g->nrefs].id = dag->tasks[i].id;
			g->refs[g->nrefs++].idx = i;
		}
	}
	qsort(g->refs, g->nrefs, sizeof *g->refs, dagfile_cmp_refs);
	for (i = 1, j = 0; i < g->nrefs; i++) {
		if (strcmp(g->refs[i].id, g->refs[j].id) != 0) {
			j = i;
			continue;
		}
		dagfile_error(ctx, ctx->id_lines[g->refs[i].idx],
		    "duplicate task id '%s' (first at line %d)", g->refs[i].id,
		    ctx->id_lines[g->refs[j].idx]);
	}
}

/*
 * Resolve every 'after', dropping repeated names and reporting unknown ones,
 * and count the edges out of each task into g->start. Return their number.
 */
static size_t
dagfile_graph_after(struct dagfile_ctx *ctx, struct dagfile_graph *g)
{
	struct dag	*dag = ctx->dag;
	struct task	*t;
	size_t		 n = dag->ntasks, i, j, keep, nedges = 0;
	size_t		*mark;
	ssize_t		 idx;

	g->start = xcalloc(n + 1, sizeof *g->start);
	mark = xcalloc(n + 1, sizeof *mark);	/* task index + 1 */
	for (i = 0; i < n; i++) {
		t = &dag->tasks[i];
		for (j = 0, keep = 0; j < t->nafter; j++) {
			idx = dagfile_lookup(g->refs, g->nrefs, t->after[j]);
			if (idx != -1 && mark[idx] == i + 1) {
				free(t->after[j]);
				continue;
			}
			t->after[keep++] = t->after[j];
			if (idx == -1) {
				/* A task without an id has its error. */
				if (t->id != NULL) {
					dagfile_error(ctx, ctx->after_lines[i],
					    "task '%s': 'after' names unknown "
					    "task '%s'", t->id, t->after[j]);
				}
				continue;
			}
			mark[idx] = i + 1;
			if (t->id != NULL) {
				g->start[idx]++;
				nedges++;
			}
		}
		t->nafter = keep;
	}
	free(mark);
	return (nedges);
}

/* Turn the counts in g->start into offsets and fill g->edges. */
static void
dagfile_graph_edges(struct dagfile_ctx *ctx, struct dagfile_graph *g,
    size_t nedges)
{
	struct dag	*dag = ctx->dag;
	struct task	*t;
	size_t		 n = dag->ntasks, i, j, e, count;
	size_t		*fill;
	ssize_t		 idx;

	for (i = 0, e = 0; i <= n; i++) {
		count = g->start[i];
		g->start[i] = e;
		e += count;
	}
	g->edges = xcalloc(nedges + 1, sizeof *g->edges);
	fill = xcalloc(n + 1, sizeof *fill);
	for (i = 0; i < n; i++) {
		t = &dag->tasks[i];
		for (j = 0; j < t->nafter && t->id != NULL; j++) {
			idx = dagfile_lookup(g->refs, g->nrefs, t->after[j]);
			if (idx != -1)
				g->edges[g->start[idx] + fill[idx]++] = i;
		}
	}
	free(fill);
}

/*
 * Report each cycle, found by an iterative depth-first walk along the edges
 * (so that a deep graph cannot overflow the stack).
 */
static void
dagfile_graph_cycles(struct dagfile_ctx *ctx, const struct dagfile_graph *g)
{
	size_t	 n = ctx->dag->ntasks, i, j, k, u, depth;
	size_t	*stack, *next;
	char	*color;

	color = xcalloc(n + 1, 1);	/* 0 new, 1 on the stack, 2 done */
	stack = xcalloc(n + 1, sizeof *stack);
	next = xcalloc(n + 1, sizeof *next);
	for (i = 0; i < n; i++) {
		if (color[i] != 0)
			continue;
		depth = 0;
		stack[depth++] = i;
		color[i] = 1;
		next[i] = g->start[i];
		while (depth > 0) {
			u = stack[depth - 1];
			if (next[u] == g->start[u + 1]) {
				color[u] = 2;
				depth--;
				continue;
			}
			j = g->edges[next[u]++];
			if (color[j] == 0) {
				color[j] = 1;
				next[j] = g->start[j];
				stack[depth++] = j;
			} else if (color[j] == 1) {
				for (k = depth; stack[k - 1] != j; k--)
					;
				dagfile_cycle(ctx, stack + k - 1,
				    depth - k + 1);
			}
		}
	}
	free(next);
	free(stack);
	free(color);
}

/*
 * Check the ids are unique, resolve every 'after' (dropping repeats) and look
 * for cycles along downstream edges (u -> t when t runs after u).
 */
void
dagfile_graph(struct dagfile_ctx *ctx)
{
	struct dagfile_graph	g;

	memset(&g, 0, sizeof g);
	dagfile_graph_ids(ctx, &g);
	dagfile_graph_edges(ctx, &g, dagfile_graph_after(ctx, &g));
	dagfile_graph_cycles(ctx, &g);
	free(g.edges);
	free(g.start);
	free(g.refs);
}
