/*
 * A task's 'inputs' (outputs of other DAGs' tasks it reads) and 'outputs'
 * (files it promises to write): the parts of their syntax that need no
 * libconfig, so that dagfile.c only walks the groups.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"

/*
 * Input and output names become UPDRAFT_INPUT_<NAME> and UPDRAFT_OUTPUT_<NAME>:
 * a letter, then letters, digits and '_'.
 */
int
taskio_valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return (0);
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_')
			return (0);
	}
	return (1);
}

/* One part of DAG:TASK:OUTPUT: not empty, and of the characters ids use. */
static int
taskio_valid_part(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return (0);
	}
	return (1);
}

/*
 * Parse "DAG:TASK:OUTPUT", optionally followed by "@latest" or "@DATE" (a
 * logical date, read in the zone tz). Return 0, or -1 with *cause.
 */
int
taskio_parse_input(const char *name, const char *spec, const struct tz *tz,
    struct task_input *in, char **cause)
{
	const char	*at, *c1, *c2, *end;
	char		*date, *why;

	memset(in, 0, sizeof *in);
	at = strchr(spec, '@');
	end = at != NULL ? at : spec + strlen(spec);
	c1 = memchr(spec, ':', end - spec);
	c2 = c1 != NULL ? memchr(c1 + 1, ':', end - c1 - 1) : NULL;
	if (c1 == NULL || c2 == NULL || memchr(c2 + 1, ':', end - c2 - 1) ||
	    !taskio_valid_part(spec, c1 - spec) ||
	    !taskio_valid_part(c1 + 1, c2 - c1 - 1) ||
	    !taskio_valid_part(c2 + 1, end - c2 - 1)) {
		xasprintf(cause, "input '%s': expected \"DAG:TASK:OUTPUT\", "
		    "optionally with @latest or @DATE: '%s'", name, spec);
		return (-1);
	}
	if (at == NULL)
		in->when = INPUT_SAME_DATE;
	else if (strcmp(at + 1, "latest") == 0)
		in->when = INPUT_LATEST;
	else {
		date = xstrdup(at + 1);
		if (tz_parse_time(date, tz, &in->date, &why) != 0) {
			xasprintf(cause, "input '%s': bad date after '@' "
			    "(expected latest or a date): %s", name, why);
			free(why);
			free(date);
			return (-1);
		}
		free(date);
		in->when = INPUT_FIXED;
	}
	in->name = xstrdup(name);
	in->dag_id = xstrndup(spec, c1 - spec);
	in->task_id = xstrndup(c1 + 1, c2 - c1 - 1);
	in->output = xstrndup(c2 + 1, end - c2 - 1);
	return (0);
}

/*
 * Check that each input of dag names a DAG of dags and a task of it: 0, or
 * -1 with each problem as "FILE:LINE: message", one a line, in *cause.
 */
int
taskio_check_inputs(const struct dag *dag, struct dag *const *dags, size_t n,
    char **cause)
{
	const struct task_input	*in;
	const struct dag	*up;
	FILE			*f;
	char			*out = NULL;
	size_t			 len = 0, i, j, k;
	int			 bad = 0;

	if ((f = open_memstream(&out, &len)) == NULL)
		return (0);
	for (i = 0; i < dag->ntasks; i++) {
		for (j = 0; j < dag->tasks[i].ninputs; j++) {
			in = &dag->tasks[i].inputs[j];
			for (k = 0, up = NULL; k < n && up == NULL; k++) {
				if (strcmp(dags[k]->id, in->dag_id) == 0)
					up = dags[k];
			}
			if (up != NULL && dag_find_task(up, in->task_id) != NULL)
				continue;
			fprintf(f, "%s%s:%d: task '%s': input '%s': ",
			    bad ? "\n" : "", dag->path, in->line,
			    dag->tasks[i].id, in->name);
			if (up == NULL)
				fprintf(f, "no dag '%s' in the DAGs folder",
				    in->dag_id);
			else
				fprintf(f, "dag '%s' has no task '%s'",
				    in->dag_id, in->task_id);
			bad = 1;
		}
	}
	fclose(f);
	if (bad)
		*cause = out;
	else
		free(out);
	return (bad ? -1 : 0);
}
