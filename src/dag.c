/* The DAG object once loaded: finding its tasks, and freeing it. */

#include <stdlib.h>
#include <string.h>

#include "updraft.h"

/* Return the task with this id, or NULL. */
struct task *
dag_find_task(const struct dag *dag, const char *id)
{
	size_t	i;

	if (dag == NULL || id == NULL)
		return (NULL);
	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].id != NULL &&
		    strcmp(dag->tasks[i].id, id) == 0)
			return (&dag->tasks[i]);
	}
	return (NULL);
}

/*
 * The DAG's tasks in graph order: by level (the longest path from a task
 * with nothing upstream), and in file order within a level. Return an
 * allocated array of indexes into dag->tasks; fill level[] (one per task)
 * if it is not NULL.
 */
size_t *
dag_task_order(const struct dag *dag, int *level)
{
	struct task	*up;
	size_t		*order, i, j, k, n = dag->ntasks;
	int		*lv, changed, pass, l;

	lv = xcalloc(n ? n : 1, sizeof *lv);
	/* DAG files have no cycles; at most n passes even if one did. */
	for (pass = 0, changed = 1; changed && pass <= (int)n; pass++) {
		changed = 0;
		for (i = 0; i < n; i++) {
			for (j = 0; j < dag->tasks[i].nafter; j++) {
				up = dag_find_task(dag, dag->tasks[i].after[j]);
				if (up == NULL)
					continue;
				l = lv[up - dag->tasks] + 1;
				if (l > lv[i]) {
					lv[i] = l;
					changed = 1;
				}
			}
		}
	}

	/* Insertion sort is stable: file order stays within a level. */
	order = xcalloc(n ? n : 1, sizeof *order);
	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && lv[order[k - 1]] > lv[i]; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	if (level != NULL)
		memcpy(level, lv, n * sizeof *lv);
	free(lv);
	return (order);
}

/* Free n environment variables and their array. */
void
dag_env_free(struct task_env *env, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(env[i].name);
		free(env[i].value);
	}
	free(env);
}

/* Free a NULL-terminated array of strings (NULL is none). */
void
dag_strings_free(char **list)
{
	size_t	i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

/* Free a task's inputs and outputs and leave it none. */
static void
dag_task_io_free(struct task *t)
{
	size_t	i;

	for (i = 0; i < t->ninputs; i++) {
		free(t->inputs[i].name);
		free(t->inputs[i].dag_id);
		free(t->inputs[i].task_id);
		free(t->inputs[i].output);
	}
	free(t->inputs);
	t->inputs = NULL;
	t->ninputs = 0;
	for (i = 0; i < t->noutputs; i++) {
		free(t->outputs[i].name);
		free(t->outputs[i].path);
	}
	free(t->outputs);
	t->outputs = NULL;
	t->noutputs = 0;
}

/* Free what a task holds, not the task itself (it lives in an array). */
void
dag_task_free(struct task *t)
{
	size_t	i;

	free(t->id);
	free(t->command);
	free(t->script);
	for (i = 0; i < t->nafter; i++)
		free(t->after[i]);
	free(t->after);
	free(t->res.partition);
	free(t->res.account);
	free(t->res.qos);
	free(t->res.constraint);
	free(t->res.gres);
	free(t->res.reservation);
	free(t->res.licenses);
	free(t->res.comment);
	free(t->res.mail_user);
	dag_env_free(t->env, t->nenv);
	dag_strings_free(t->modules);
	free(t->workdir);
	notify_spec_free(&t->notify);
	dag_task_io_free(t);
}

void
dag_free(struct dag *dag)
{
	size_t	i;

	if (dag == NULL)
		return;
	for (i = 0; i < dag->ntasks; i++)
		dag_task_free(&dag->tasks[i]);
	free(dag->tasks);
	for (i = 0; i < dag->nparams; i++) {
		free(dag->params[i].name);
		free(dag->params[i].value);
	}
	free(dag->params);
	if (dag->schedule != NULL)
		schedule_free(dag->schedule);
	if (dag->tz != NULL)
		tz_free(dag->tz);
	free(dag->schedule_text);
	free(dag->path);
	free(dag->id);
	notify_spec_free(&dag->notify);
	free(dag);
}
