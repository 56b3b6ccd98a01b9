/* Experiment records: params, metrics and outputs of runs. */

/*
 * Pure: no database, no clock. A run's params are kept as one JSON object
 * (what this file writes and reads back), so that SQLite's json_extract can
 * compare them with their types (where.c's --where does). Metrics and
 * outputs are lines that jobs write to their results files.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "suggest.h"

/* A growing string. */
struct record_buf {
	char	*s;
	size_t	 len;
	size_t	 size;
};

static void
record_buf_add(struct record_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->size) {
		b->size = (b->len + len + 1) * 2;
		b->s = xreallocarray(b->s, b->size, 1);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
record_buf_str(struct record_buf *b, const char *s)
{
	record_buf_add(b, s, strlen(s));
}

/* s as a JSON string, escaped as RFC 8259 requires. */
static void
record_buf_json(struct record_buf *b, const char *s)
{
	const unsigned char	*p;
	char			 esc[8];

	record_buf_add(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			record_buf_add(b, esc, 2);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			record_buf_add(b, esc, 6);
		} else
			record_buf_add(b, (const char *)p, 1);
	}
	record_buf_add(b, "\"", 1);
}

/* 1 if s is a name: a letter or '_', then letters, digits, '_'; 64 at most. */
int
record_valid_name(const char *s)
{
	size_t	i;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return (0);
	for (i = 1; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	}
	return (i <= 64);
}

/* The shortest text that reads back as d. */
void
record_format_double(double d, char *buf, size_t len)
{
	int	prec;

	/* Whole numbers in full (10, not 1e+01), up to where %g would. */
	if (d == (double)(long long)d && d > -1e15 && d < 1e15) {
		snprintf(buf, len, "%lld", (long long)d);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* A float param's text: as record_format_double, but always a float (1.0). */
void
record_format_float(double d, char *buf, size_t len)
{
	record_format_double(d, buf, len);
	if (strpbrk(buf, ".en") == NULL && strlen(buf) + 3 <= len)
		strcat(buf, ".0");
}

const char *
record_param_type_name(enum param_type type)
{
	switch (type) {
	case PARAM_FLOAT:
		return ("float");
	case PARAM_INT:
		return ("int");
	case PARAM_STRING:
		return ("string");
	case PARAM_BOOL:
		return ("bool");
	}
	return ("?");
}

/*
 * Check text against a declared param's type: 0 with its canonical text in
 * *canon, or -1 with a cause.
 */
int
record_param_check(const struct dag_param *p, const char *text, char **canon,
    char **cause)
{
	char		*end, buf[32];
	long long	 ll;
	double		 d;

	*canon = NULL;
	switch (p->type) {
	case PARAM_INT:
		errno = 0;
		ll = strtoll(text, &end, 10);
		if (*text == '\0' || isspace((unsigned char)*text) ||
		    *end != '\0' || errno != 0) {
			xasprintf(cause, "param '%s' must be an integer: '%s'",
			    p->name, text);
			return (-1);
		}
		xasprintf(canon, "%lld", ll);
		return (0);
	case PARAM_FLOAT:
		errno = 0;
		d = strtod(text, &end);
		if (*text == '\0' || isspace((unsigned char)*text) ||
		    *end != '\0' || errno != 0 || !isfinite(d)) {
			xasprintf(cause, "param '%s' must be a number: '%s'",
			    p->name, text);
			return (-1);
		}
		record_format_float(d, buf, sizeof buf);
		*canon = xstrdup(buf);
		return (0);
	case PARAM_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
			xasprintf(cause, "param '%s' must be true or false: "
			    "'%s'", p->name, text);
			return (-1);
		}
		*canon = xstrdup(text);
		return (0);
	case PARAM_STRING:
		*canon = xstrdup(text);
		return (0);
	}
	xasprintf(cause, "param '%s' has an unknown type", p->name);
	return (-1);
}

const struct dag_param *
record_param_find(const struct dag *dag, const char *name)
{
	size_t	i;

	for (i = 0; i < dag->nparams; i++) {
		if (strcmp(dag->params[i].name, name) == 0)
			return (&dag->params[i]);
	}
	return (NULL);
}

/* The declared param nearest to name, within two edits; or NULL. */
const char *
record_param_similar(const struct dag *dag, const char *name)
{
	struct suggest	like;
	size_t		i;

	suggest_init(&like, name);
	for (i = 0; i < dag->nparams; i++)
		suggest_add(&like, dag->params[i].name);
	return (like.best);
}

/*
 * The JSON object of a run's params: every param the DAG declares, in file
 * order, with the value given for it in names/values (checked and
 * canonical) or its default. NULL when the DAG declares none.
 */
char *
record_params_json(const struct dag *dag, const char **names,
    const char **values, size_t n)
{
	struct record_buf	 b = { NULL, 0, 0 };
	const struct dag_param	*p;
	const char		*v;
	size_t			 i, j;

	if (dag->nparams == 0)
		return (NULL);
	record_buf_str(&b, "{");
	for (i = 0; i < dag->nparams; i++) {
		p = &dag->params[i];
		v = p->value;
		for (j = 0; j < n; j++) {
			if (strcmp(names[j], p->name) == 0)
				v = values[j];
		}
		if (i > 0)
			record_buf_str(&b, ", ");
		record_buf_json(&b, p->name);
		record_buf_str(&b, ": ");
		if (p->type == PARAM_STRING)
			record_buf_json(&b, v);
		else
			record_buf_str(&b, v);
	}
	record_buf_str(&b, "}");
	return (b.s);
}

static const char *
record_skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return (p);
}

/* Read a JSON string at p into *out; the character after it, or NULL. */
static const char *
record_json_string(const char *p, char **out)
{
	struct record_buf	 b = { NULL, 0, 0 };
	char			 c, utf[4];
	unsigned		 u;

	if (*p++ != '"')
		return (NULL);
	record_buf_add(&b, "", 0);
	for (; *p != '"'; p++) {
		if (*p == '\0')
			goto bad;
		if (*p != '\\') {
			record_buf_add(&b, p, 1);
			continue;
		}
		switch (*++p) {
		case 'n':
			c = '\n';
			break;
		case 't':
			c = '\t';
			break;
		case 'r':
			c = '\r';
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case '"':
		case '\\':
		case '/':
			c = *p;
			break;
		case 'u':
			if (sscanf(p + 1, "%4x", &u) != 1 ||
			    strspn(p + 1, "0123456789abcdefABCDEF") < 4)
				goto bad;
			p += 4;
			if (u < 0x80) {
				c = (char)u;
				break;
			}
			if (u < 0x800) {
				utf[0] = (char)(0xc0 | u >> 6);
				utf[1] = (char)(0x80 | (u & 0x3f));
				record_buf_add(&b, utf, 2);
			} else {
				utf[0] = (char)(0xe0 | u >> 12);
				utf[1] = (char)(0x80 | (u >> 6 & 0x3f));
				utf[2] = (char)(0x80 | (u & 0x3f));
				record_buf_add(&b, utf, 3);
			}
			continue;
		default:
			goto bad;
		}
		record_buf_add(&b, &c, 1);
	}
	*out = b.s;
	return (p + 1);

bad:
	free(b.s);
	return (NULL);
}

/*
 * Read back a params object as record_params_json writes it: 0 with the
 * list (types from the JSON: a number with '.', 'e' or "inf" is a float),
 * or -1 if it is not such an object.
 */
int
record_params_parse(const char *json, struct record_kv **list, size_t *n)
{
	const char	*p = json, *start;
	struct record_kv kv;

	*list = NULL;
	*n = 0;
	p = record_skip_space(p);
	if (*p++ != '{')
		return (-1);
	p = record_skip_space(p);
	if (*p == '}')
		return (0);
	for (;;) {
		memset(&kv, 0, sizeof kv);
		p = record_skip_space(p);
		if ((p = record_json_string(p, &kv.name)) == NULL)
			goto bad;
		p = record_skip_space(p);
		if (*p++ != ':')
			goto bad_kv;
		p = record_skip_space(p);
		if (*p == '"') {
			if ((p = record_json_string(p, &kv.value)) == NULL)
				goto bad_kv;
			kv.type = PARAM_STRING;
		} else {
			start = p;
			while (*p != '\0' && *p != ',' && *p != '}' &&
			    *p != ' ')
				p++;
			if (p == start)
				goto bad_kv;
			kv.value = xstrndup(start, (size_t)(p - start));
			if (strcmp(kv.value, "true") == 0 ||
			    strcmp(kv.value, "false") == 0)
				kv.type = PARAM_BOOL;
			else if (strpbrk(kv.value, ".eEn") != NULL)
				kv.type = PARAM_FLOAT;
			else
				kv.type = PARAM_INT;
		}
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = kv;
		p = record_skip_space(p);
		if (*p == '}')
			return (0);
		if (*p++ != ',')
			goto bad;
	}

bad_kv:
	free(kv.name);
	free(kv.value);
bad:
	record_kv_free(*list, *n);
	*list = NULL;
	*n = 0;
	return (-1);
}

void
record_kv_free(struct record_kv *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].value);
	}
	free(list);
}

/*
 * Split a results line "name=value" in place, trimming blanks: 1 with both,
 * 0 for a blank line or a # comment, -1 with a cause.
 */
static int
record_split_line(char *line, char **name, char **value, char **cause)
{
	char	*eq, *end;

	line[strcspn(line, "\r\n")] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '\0' || *line == '#')
		return (0);
	if ((eq = strchr(line, '=')) == NULL) {
		xasprintf(cause, "no '=' in '%s'", line);
		return (-1);
	}
	for (end = eq; end > line && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	for (eq++; isspace((unsigned char)*eq); eq++)
		;
	for (end = eq + strlen(eq); end > eq && isspace((unsigned char)end[-1]);
	    end--)
		;
	*end = '\0';
	if (!record_valid_name(line)) {
		xasprintf(cause, "bad name '%s': use letters, digits and '_'",
		    line);
		return (-1);
	}
	*name = line;
	*value = eq;
	return (1);
}

/*
 * One line of a $UPDRAFT_METRICS file, "key=number", split in place: 1
 * with the key (pointing into line) and value, 0 for a blank or comment
 * line, -1 with a cause.
 */
int
record_metric_line(char *line, char **key, double *value, char **cause)
{
	char	*v, *end;
	int	 rc;

	if ((rc = record_split_line(line, key, &v, cause)) != 1)
		return (rc);
	errno = 0;
	*value = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(*value)) {
		xasprintf(cause, "metric '%s': not a number: '%s'", *key, v);
		return (-1);
	}
	return (1);
}

/*
 * One line of a $UPDRAFT_OUTPUTS file, "name=path", split in place: 1, 0
 * for a blank or comment line, -1 with a cause.
 */
int
record_output_line(char *line, char **name, char **path, char **cause)
{
	int	rc;

	if ((rc = record_split_line(line, name, path, cause)) != 1)
		return (rc);
	if (**path == '\0') {
		xasprintf(cause, "output '%s': no path", *name);
		return (-1);
	}
	return (1);
}
