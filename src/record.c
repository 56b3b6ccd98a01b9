/* Experiment records: params, results files and the --where grammar. */

/*
 * Pure: no database, no clock. A run's params are kept as one JSON object
 * (what this file writes and reads back), so that SQLite's json_extract can
 * compare them with their types. --where and --order become SQL over the
 * table "run" whose every value is a bound parameter: the user's text only
 * ever chooses among fixed fragments.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

void
record_query_init(struct record_query *q, int base)
{
	memset(q, 0, sizeof *q);
	q->base = base;
}

void
record_query_free(struct record_query *q)
{
	size_t	i;

	for (i = 0; i < q->nbinds; i++)
		free(q->binds[i].text);
	free(q->binds);
	free(q->where);
	free(q->order);
	memset(q, 0, sizeof *q);
}

/* Add a bound value; return its parameter number. */
static int
record_bind(struct record_query *q, enum record_bind_type type,
    const char *text, int64_t i, double d)
{
	struct record_bind	*b;

	q->binds = xreallocarray(q->binds, q->nbinds + 1, sizeof *q->binds);
	b = &q->binds[q->nbinds];
	memset(b, 0, sizeof *b);
	b->type = type;
	b->text = text != NULL ? xstrdup(text) : NULL;
	b->i = i;
	b->d = d;
	return (q->base + (int)q->nbinds++);
}

static int
record_bind_text(struct record_query *q, const char *text)
{
	return (record_bind(q, RECORD_BIND_TEXT, text, 0, 0));
}

/* The JSON path of a param, bound. */
static int
record_bind_param_path(struct record_query *q, const char *name)
{
	char	*path;
	int	 n;

	xasprintf(&path, "$.\"%s\"", name);
	n = record_bind_text(q, path);
	free(path);
	return (n);
}

static void
record_query_and(struct record_query *q, const char *cond)
{
	char	*tmp;

	if (q->where == NULL)
		q->where = xstrdup(cond);
	else {
		xasprintf(&tmp, "%s AND %s", q->where, cond);
		free(q->where);
		q->where = tmp;
	}
}

/* Only runs with a label. */
void
record_query_label(struct record_query *q, const char *label)
{
	char	*cond;
	int	 n;

	n = record_bind_text(q, label);
	xasprintf(&cond, "EXISTS (SELECT 1 FROM run_label l WHERE l.run = "
	    "run.id AND l.label = ?%d)", n);
	record_query_and(q, cond);
	free(cond);
}

/*
 * The --where grammar:
 *
 *	expr	= and { "or" and }
 *	and	= unary { "and" unary }
 *	unary	= "not" unary | "(" expr ")" | field op value
 *	field	= "state" | "owner" | "label" | "logical_date"
 *		| "params." NAME | "metrics." NAME | "metrics." TASK "." NAME
 *	op	= "<" | "<=" | ">" | ">=" | "=" | "!="
 *	value	= number | 'string' | "string" | true | false
 */
enum record_tok {
	TOK_END,
	TOK_WORD,	/* names, keywords, fields */
	TOK_NUMBER,
	TOK_STRING,
	TOK_OP,
	TOK_LPAREN,
	TOK_RPAREN,
};

struct record_parser {
	const char		*text;
	const char		*p;		/* after the current token */
	enum record_tok		 tok;
	char			*val;		/* the token's text, unquoted */
	size_t			 col;		/* 1-based, where it starts */
	struct record_query	*q;
	char			*cause;
};

static void printflike(2, 3)
record_error(struct record_parser *rp, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (rp->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(&rp->cause, "column %zu: %s", rp->col, msg);
	free(msg);
}

/* Read the next token; 0, or -1 after an error. */
static int
record_next(struct record_parser *rp)
{
	const char		*p = rp->p, *start;
	struct record_buf	 b = { NULL, 0, 0 };
	char			 quote;

	free(rp->val);
	rp->val = NULL;
	while (isspace((unsigned char)*p))
		p++;
	rp->col = (size_t)(p - rp->text) + 1;
	start = p;
	if (*p == '\0') {
		rp->tok = TOK_END;
		rp->val = xstrdup("");
	} else if (*p == '(' || *p == ')') {
		rp->tok = *p == '(' ? TOK_LPAREN : TOK_RPAREN;
		rp->val = xstrndup(p++, 1);
	} else if (*p == '<' || *p == '>' || *p == '=' || *p == '!') {
		p++;
		if (*p == '=')
			p++;
		rp->tok = TOK_OP;
		rp->val = xstrndup(start, (size_t)(p - start));
		if (strcmp(rp->val, "!") == 0) {
			record_error(rp, "unexpected '!' (did you mean '!='?)");
			return (-1);
		}
	} else if (*p == '\'' || *p == '"') {
		quote = *p++;
		record_buf_add(&b, "", 0);
		for (; *p != quote; p++) {
			if (*p == '\0') {
				free(b.s);
				record_error(rp, "unterminated string");
				return (-1);
			}
			if (*p == '\\' && (p[1] == quote || p[1] == '\\'))
				p++;
			record_buf_add(&b, p, 1);
		}
		p++;
		rp->tok = TOK_STRING;
		rp->val = b.s;
	} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '.') &&
	    (isdigit((unsigned char)p[1]) || p[1] == '.'))) {
		if (*p == '-')
			p++;
		while (isalnum((unsigned char)*p) || *p == '.' ||
		    ((*p == '-' || *p == '+') && (p[-1] == 'e' ||
		    p[-1] == 'E')))
			p++;
		rp->tok = TOK_NUMBER;
		rp->val = xstrndup(start, (size_t)(p - start));
	} else if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
			p++;
		rp->tok = TOK_WORD;
		rp->val = xstrndup(start, (size_t)(p - start));
	} else {
		record_error(rp, "unexpected character '%c'", *p);
		return (-1);
	}
	rp->p = p;
	return (0);
}

static int
record_is_word(struct record_parser *rp, const char *word)
{
	return (rp->tok == TOK_WORD && strcasecmp(rp->val, word) == 0);
}

#define RECORD_FIELDS "state, owner, label, logical_date, params.NAME, " \
	"metrics.NAME or metrics.TASK.NAME"

/* A field's parts: kind, and for params and metrics its names. */
enum record_field {
	FIELD_STATE,
	FIELD_OWNER,
	FIELD_LABEL,
	FIELD_LOGICAL_DATE,
	FIELD_PARAM,
	FIELD_METRIC,
};

/*
 * Read a field name: 0 with its kind and names (allocated, task NULL
 * unless given), or -1 with a cause.
 */
static int
record_field(struct record_parser *rp, enum record_field *f, char **name,
    char **task)
{
	char	*rest, *dot;

	*name = *task = NULL;
	if (rp->tok != TOK_WORD) {
		record_error(rp, "expected a field (" RECORD_FIELDS ")%s%s%s",
		    rp->tok == TOK_END ? "" : " at '", rp->val,
		    rp->tok == TOK_END ? "" : "'");
		return (-1);
	}
	if (strcmp(rp->val, "state") == 0)
		*f = FIELD_STATE;
	else if (strcmp(rp->val, "owner") == 0)
		*f = FIELD_OWNER;
	else if (strcmp(rp->val, "label") == 0)
		*f = FIELD_LABEL;
	else if (strcmp(rp->val, "logical_date") == 0)
		*f = FIELD_LOGICAL_DATE;
	else if (strncmp(rp->val, "params.", 7) == 0 &&
	    record_valid_name(rp->val + 7)) {
		*f = FIELD_PARAM;
		*name = xstrdup(rp->val + 7);
	} else if (strncmp(rp->val, "metrics.", 8) == 0) {
		rest = rp->val + 8;
		if ((dot = strchr(rest, '.')) != NULL) {
			*task = xstrndup(rest, (size_t)(dot - rest));
			rest = dot + 1;
		}
		if (!record_valid_name(rest) || (*task != NULL &&
		    **task == '\0')) {
			free(*task);
			*task = NULL;
			goto unknown;
		}
		*f = FIELD_METRIC;
		*name = xstrdup(rest);
	} else
		goto unknown;
	return (0);

unknown:
	record_error(rp, "unknown field '%s' (" RECORD_FIELDS ")", rp->val);
	return (-1);
}

/* Bind the current token as a value for field f; its number, or -1. */
static int
record_value(struct record_parser *rp, enum record_field f, const char *op)
{
	char		*end, *cause = NULL;
	double		 d;
	long long	 ll;
	int64_t		 t;

	if (rp->tok == TOK_WORD && (strcmp(rp->val, "true") == 0 ||
	    strcmp(rp->val, "false") == 0) && f == FIELD_PARAM)
		return (record_bind(rp->q, RECORD_BIND_INT, NULL,
		    strcmp(rp->val, "true") == 0, 0));
	if (rp->tok == TOK_WORD) {
		record_error(rp, "expected a value after '%s' (quote strings: "
		    "'%s')", op, rp->val);
		return (-1);
	}
	if (rp->tok != TOK_NUMBER && rp->tok != TOK_STRING) {
		record_error(rp, "expected a value after '%s'", op);
		return (-1);
	}
	switch (f) {
	case FIELD_STATE:
	case FIELD_OWNER:
	case FIELD_LABEL:
		if (rp->tok != TOK_STRING) {
			record_error(rp, "expected a quoted string after '%s'",
			    op);
			return (-1);
		}
		return (record_bind_text(rp->q, rp->val));
	case FIELD_LOGICAL_DATE:
		if (rp->tok != TOK_STRING) {
			record_error(rp, "expected a quoted time after '%s' "
			    "('2026-11-01T06:00Z')", op);
			return (-1);
		}
		if (tz_parse_time(rp->val, NULL, &t, &cause) != 0) {
			record_error(rp, "bad time '%s'", rp->val);
			free(cause);
			return (-1);
		}
		return (record_bind(rp->q, RECORD_BIND_INT, NULL, t, 0));
	case FIELD_PARAM:
	case FIELD_METRIC:
		if (rp->tok == TOK_STRING) {
			if (f == FIELD_METRIC) {
				record_error(rp, "metrics compare with "
				    "numbers, not '%s'", rp->val);
				return (-1);
			}
			return (record_bind_text(rp->q, rp->val));
		}
		errno = 0;
		ll = strtoll(rp->val, &end, 10);
		if (*end == '\0' && errno == 0)
			return (record_bind(rp->q, RECORD_BIND_INT, NULL, ll,
			    0));
		errno = 0;
		d = strtod(rp->val, &end);
		if (*end != '\0' || errno != 0 || !isfinite(d)) {
			record_error(rp, "bad number '%s'", rp->val);
			return (-1);
		}
		return (record_bind(rp->q, RECORD_BIND_REAL, NULL, 0, d));
	}
	return (-1);
}

static char	*record_expr(struct record_parser *);

/* field op value, as SQL; NULL after an error. */
static char *
record_compare(struct record_parser *rp)
{
	enum record_field	 f;
	char			*name, *task, *op, *sql = NULL, *field;
	const char		*sqlop;
	int			 v, k, t;

	if (record_field(rp, &f, &name, &task) != 0)
		return (NULL);
	field = xstrdup(rp->val);
	if (record_next(rp) != 0)
		goto out;
	if (rp->tok != TOK_OP || strcmp(rp->val, "==") == 0) {
		record_error(rp, "expected a comparison (<, <=, >, >=, =, !=) "
		    "after '%s'", field);
		goto out;
	}
	op = xstrdup(rp->val);
	sqlop = strcmp(op, "!=") == 0 ? "<>" : op;
	if (f == FIELD_LABEL && strcmp(op, "=") != 0 &&
	    strcmp(op, "!=") != 0) {
		record_error(rp, "label compares only with = and !=");
		free(op);
		goto out;
	}
	if (record_next(rp) != 0 || (v = record_value(rp, f, op)) < 0) {
		free(op);
		goto out;
	}
	switch (f) {
	case FIELD_STATE:
		xasprintf(&sql, "run.state %s ?%d", sqlop, v);
		break;
	case FIELD_OWNER:
		xasprintf(&sql, "run.created_by %s ?%d", sqlop, v);
		break;
	case FIELD_LOGICAL_DATE:
		xasprintf(&sql, "run.logical_date %s ?%d", sqlop, v);
		break;
	case FIELD_LABEL:
		xasprintf(&sql, "%sEXISTS (SELECT 1 FROM run_label l WHERE "
		    "l.run = run.id AND l.label = ?%d)",
		    strcmp(op, "=") == 0 ? "" : "NOT ", v);
		break;
	case FIELD_PARAM:
		k = record_bind_param_path(rp->q, name);
		xasprintf(&sql, "json_extract(run.params, ?%d) %s ?%d", k,
		    sqlop, v);
		break;
	case FIELD_METRIC:
		k = record_bind_text(rp->q, name);
		if (task != NULL) {
			t = record_bind_text(rp->q, task);
			xasprintf(&sql, "EXISTS (SELECT 1 FROM metric m WHERE "
			    "m.run = run.id AND m.key = ?%d AND m.task_id = "
			    "?%d AND m.value %s ?%d)", k, t, sqlop, v);
		} else
			xasprintf(&sql, "EXISTS (SELECT 1 FROM metric m WHERE "
			    "m.run = run.id AND m.key = ?%d AND m.value %s "
			    "?%d)", k, sqlop, v);
		break;
	}
	free(op);
	if (record_next(rp) != 0) {
		free(sql);
		sql = NULL;
	}
out:
	free(field);
	free(name);
	free(task);
	return (sql);
}

static char *
record_unary(struct record_parser *rp)
{
	char	*inner, *sql;

	if (record_is_word(rp, "not")) {
		if (record_next(rp) != 0 || (inner = record_unary(rp)) == NULL)
			return (NULL);
		xasprintf(&sql, "NOT (%s)", inner);
		free(inner);
		return (sql);
	}
	if (rp->tok == TOK_LPAREN) {
		if (record_next(rp) != 0 || (inner = record_expr(rp)) == NULL)
			return (NULL);
		if (rp->tok != TOK_RPAREN) {
			record_error(rp, "expected ')'%s%s%s",
			    rp->tok == TOK_END ? "" : " at '", rp->val,
			    rp->tok == TOK_END ? "" : "'");
			free(inner);
			return (NULL);
		}
		if (record_next(rp) != 0) {
			free(inner);
			return (NULL);
		}
		xasprintf(&sql, "(%s)", inner);
		free(inner);
		return (sql);
	}
	return (record_compare(rp));
}

/* A chain of the same operator over sub, as SQL. */
static char *
record_chain(struct record_parser *rp, const char *word, const char *sqlop,
    char *(*sub)(struct record_parser *))
{
	char	*sql, *right, *tmp;

	if ((sql = sub(rp)) == NULL)
		return (NULL);
	while (record_is_word(rp, word)) {
		if (record_next(rp) != 0 || (right = sub(rp)) == NULL) {
			free(sql);
			return (NULL);
		}
		xasprintf(&tmp, "(%s %s %s)", sql, sqlop, right);
		free(sql);
		free(right);
		sql = tmp;
	}
	return (sql);
}

static char *
record_and(struct record_parser *rp)
{
	return (record_chain(rp, "and", "AND", record_unary));
}

static char *
record_expr(struct record_parser *rp)
{
	return (record_chain(rp, "or", "OR", record_and));
}

/*
 * Add the condition of a --where text to q: 0, or -1 with a cause that
 * names the column of the bad token.
 */
int
record_where_parse(struct record_query *q, const char *text, char **cause)
{
	struct record_parser	 rp;
	size_t			 nbinds = q->nbinds, i;
	char			*sql;

	memset(&rp, 0, sizeof rp);
	rp.text = rp.p = text;
	rp.q = q;
	if (record_next(&rp) == 0) {
		if (rp.tok == TOK_END)
			record_error(&rp, "expected a condition");
		else if ((sql = record_expr(&rp)) != NULL) {
			if (rp.tok != TOK_END)
				record_error(&rp, "expected 'and', 'or' or "
				    "the end at '%s'", rp.val);
			else
				record_query_and(q, sql);
			free(sql);
		}
	}
	free(rp.val);
	if (rp.cause == NULL)
		return (0);
	for (i = nbinds; i < q->nbinds; i++)
		free(q->binds[i].text);
	q->nbinds = nbinds;
	*cause = rp.cause;
	return (-1);
}

/*
 * Set q's order from an --order text: a field, with '-' before it for the
 * largest first. Runs without the value come last. 0, or -1 with a cause.
 */
int
record_order_parse(struct record_query *q, const char *text, char **cause)
{
	struct record_parser	 rp;
	enum record_field	 f;
	const char		*agg = "min";
	char			*name = NULL, *task = NULL, *expr = NULL;
	int			 k, t, desc = 0;

	memset(&rp, 0, sizeof rp);
	rp.text = rp.p = text;
	if (*text == '-') {
		desc = 1;
		agg = "max";
		rp.p++;
	}
	rp.q = q;
	if (record_next(&rp) != 0 ||
	    record_field(&rp, &f, &name, &task) != 0)
		goto out;
	switch (f) {
	case FIELD_STATE:
		expr = xstrdup("run.state");
		break;
	case FIELD_OWNER:
		expr = xstrdup("run.created_by");
		break;
	case FIELD_LOGICAL_DATE:
		expr = xstrdup("run.logical_date");
		break;
	case FIELD_LABEL:
		record_error(&rp, "cannot order by label");
		goto out;
	case FIELD_PARAM:
		k = record_bind_param_path(q, name);
		xasprintf(&expr, "json_extract(run.params, ?%d)", k);
		break;
	case FIELD_METRIC:
		k = record_bind_text(q, name);
		if (task != NULL) {
			t = record_bind_text(q, task);
			xasprintf(&expr, "(SELECT %s(m.value) FROM metric m "
			    "WHERE m.run = run.id AND m.key = ?%d AND "
			    "m.task_id = ?%d)", agg, k, t);
		} else
			xasprintf(&expr, "(SELECT %s(m.value) FROM metric m "
			    "WHERE m.run = run.id AND m.key = ?%d)", agg, k);
		break;
	}
	if (record_next(&rp) == 0 && rp.tok != TOK_END)
		record_error(&rp, "expected one field, not '%s'", rp.val);
	if (rp.cause == NULL) {
		free(q->order);
		q->order = expr;
		q->desc = desc;
		expr = NULL;
	}
out:
	free(expr);
	free(name);
	free(task);
	free(rp.val);
	if (rp.cause == NULL)
		return (0);
	*cause = rp.cause;
	return (-1);
}
