/*
 * A task's inputs: outputs of other DAGs' tasks, found in the records of
 * their runs. A task waits until each exists; then it gets each path as
 * UPDRAFT_INPUT_<NAME>, and the run-to-run edge is recorded (lineage).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"

/* Say what an input waits for: "train_daily:train:model of 2026-11-01...". */
static char *
inputs_waiting(const struct task_input *in, int64_t logical_date)
{
	char	 iso[40], *reason;

	if (in->when == INPUT_LATEST) {
		xasprintf(&reason, "waiting for input '%s': %s:%s:%s (latest)",
		    in->name, in->dag_id, in->task_id, in->output);
		return (reason);
	}
	tz_format(NULL, in->when == INPUT_FIXED ? in->date : logical_date, iso,
	    sizeof iso);
	xasprintf(&reason, "waiting for input '%s': %s:%s:%s of %s", in->name,
	    in->dag_id, in->task_id, in->output, iso);
	return (reason);
}

/*
 * Resolve every input of task for run r. 1: all found, *env holds
 * UPDRAFT_INPUT_<NAME>=path for each (NULL-terminated) and the edges are
 * recorded; 0: one is missing, *waiting says which; -1: a database error.
 */
int
inputs_resolve(struct store *st, const struct run *r, const struct task *task,
    char ***env, char **waiting)
{
	struct store_input_src	 src;
	char			**list, *c;
	size_t			 i, j;
	int			 rc;

	*env = NULL;
	*waiting = NULL;
	if (task->ninputs == 0)
		return (1);
	list = xcalloc(task->ninputs + 1, sizeof *list);
	for (i = 0; i < task->ninputs; i++) {
		rc = store_input_find(st, &task->inputs[i], r->logical_date,
		    &src);
		if (rc != 1) {
			if (rc == 0)
				*waiting = inputs_waiting(&task->inputs[i],
				    r->logical_date);
			for (j = 0; j < i; j++)
				free(list[j]);
			free(list);
			return (rc);
		}
		if (store_input_record(st, r->id, task->id, &task->inputs[i],
		    &src) != 0) {
			store_input_src_clear(&src);
			for (j = 0; j <= i; j++)
				free(list[j]);
			free(list);
			return (-1);
		}
		xasprintf(&list[i], "UPDRAFT_INPUT_%s=%s", task->inputs[i].name,
		    src.path);
		for (c = list[i] + strlen("UPDRAFT_INPUT_"); *c != '='; c++)
			*c = (char)toupper((unsigned char)*c);
		store_input_src_clear(&src);
	}
	*env = list;
	return (1);
}
