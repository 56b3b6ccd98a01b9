/* {{ field }} templates: checked as a DAG loads, expanded at submission. */

#include <stdlib.h>
#include <string.h>

#include "updraft.h"
#include "template.h"

static const char *template_names[TEMPLATE_NFIELDS] = {
	[TEMPLATE_DS] = "ds",
	[TEMPLATE_DS_NODASH] = "ds_nodash",
	[TEMPLATE_TS] = "ts",
	[TEMPLATE_LOGICAL_DATE] = "logical_date",
	[TEMPLATE_DATA_INTERVAL_START] = "data_interval_start",
	[TEMPLATE_DATA_INTERVAL_END] = "data_interval_end",
	[TEMPLATE_RUN_ID] = "run_id",
	[TEMPLATE_DAG_ID] = "dag_id",
	[TEMPLATE_TASK_ID] = "task_id",
	[TEMPLATE_TRY_NUMBER] = "try_number",
};

const char *
template_field_name(enum template_field f)
{
	return (template_names[f]);
}

/*
 * Find the next "{{" in s. Return 0 if there is none; 1 with the field and
 * the reference's extent in *start and *end (past the "}}"); -1 for an
 * unknown field (with its extent); -2 if no "}}" closes it.
 */
static int
template_next(const char *s, const char **start, const char **end,
    enum template_field *field)
{
	const char	*open, *close, *p, *q;
	size_t		 len, i;

	if ((open = strstr(s, "{{")) == NULL)
		return (0);
	*start = open;
	if ((close = strstr(open + 2, "}}")) == NULL)
		return (-2);
	*end = close + 2;
	for (p = open + 2; p < close && (*p == ' ' || *p == '\t'); p++)
		;
	for (q = close; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
		;
	len = q - p;
	for (i = 0; i < TEMPLATE_NFIELDS; i++) {
		if (strlen(template_names[i]) == len &&
		    strncmp(template_names[i], p, len) == 0) {
			*field = i;
			return (1);
		}
	}
	return (-1);
}

/*
 * Check that every "{{" in s opens a known field that "}}" closes. Return 0,
 * or -1 with the first problem in *cause.
 */
int
template_check(const char *s, char **cause)
{
	const char		*start, *end;
	enum template_field	 f;
	int			 rc;

	while ((rc = template_next(s, &start, &end, &f)) == 1)
		s = end;
	if (rc == -1) {
		xasprintf(cause, "unknown template field '%.*s'",
		    (int)(end - start), start);
		return (-1);
	}
	if (rc == -2) {
		xasprintf(cause, "unclosed '{{'");
		return (-1);
	}
	return (0);
}

/*
 * Whether a value may stand in shell text as it is. The fields are fixed
 * formats (dates, ids, a number), so this always holds; it is checked all
 * the same, as a command is shell text and a value that broke the rule
 * would become code.
 */
static int
template_safe(const char *v)
{
	const char	*p;

	for (p = v; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == ':' || *p == '+' || *p == '-')
			continue;
		return (0);
	}
	return (1);
}

/*
 * Replace each {{ field }} in s by vals[field]. Return the new string, or
 * NULL with *cause if s is malformed or a value is not safe for a shell.
 */
char *
template_expand(const char *s, const char *const *vals, char **cause)
{
	const char		*start, *end, *v;
	enum template_field	 f;
	char			*out;
	size_t			 size, len = 0, n;
	int			 rc;

	if (template_check(s, cause) != 0)
		return (NULL);
	size = strlen(s) + 1;
	out = xmalloc(size);
	while ((rc = template_next(s, &start, &end, &f)) == 1) {
		v = vals[f];
		if (v == NULL || !template_safe(v)) {
			xasprintf(cause, "template field '%s' has a value that "
			    "is not safe to expand: '%s'",
			    template_names[f], v != NULL ? v : "(none)");
			free(out);
			return (NULL);
		}
		n = strlen(v);
		size += n;
		out = xreallocarray(out, 1, size);
		memcpy(out + len, s, start - s);
		len += start - s;
		memcpy(out + len, v, n);
		len += n;
		s = end;
	}
	n = strlen(s);
	memcpy(out + len, s, n + 1);
	return (out);
}
