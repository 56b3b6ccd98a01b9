/* The --where and --order compiler: a user's condition as SQL over "run". */

/*
 * Pure: no database, no clock. --where and --order become SQL over the
 * table "run" whose every value is a bound parameter: the user's text only
 * ever chooses among fixed fragments. Params are compared inside the JSON
 * object record.c writes, with json_extract.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record.h"
#include "where.h"

void
where_query_init(struct where_query *q, int base)
{
	memset(q, 0, sizeof *q);
	q->base = base;
}

void
where_query_free(struct where_query *q)
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
where_bind(struct where_query *q, enum where_bind_type type,
    const char *text, int64_t i, double d)
{
	struct where_bind	*b;

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
where_bind_text(struct where_query *q, const char *text)
{
	return (where_bind(q, WHERE_BIND_TEXT, text, 0, 0));
}

/* The JSON path of a param, bound. */
static int
where_bind_param_path(struct where_query *q, const char *name)
{
	char	*path;
	int	 n;

	xasprintf(&path, "$.\"%s\"", name);
	n = where_bind_text(q, path);
	free(path);
	return (n);
}

static void
where_query_and(struct where_query *q, const char *cond)
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
where_query_label(struct where_query *q, const char *label)
{
	char	*cond;
	int	 n;

	n = where_bind_text(q, label);
	xasprintf(&cond, "EXISTS (SELECT 1 FROM run_label l WHERE l.run = "
	    "run.id AND l.label = ?%d)", n);
	where_query_and(q, cond);
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
enum where_tok {
	TOK_END,
	TOK_WORD,	/* names, keywords, fields */
	TOK_NUMBER,
	TOK_STRING,
	TOK_OP,
	TOK_LPAREN,
	TOK_RPAREN,
};

struct where_parser {
	const char		*text;
	const char		*p;		/* after the current token */
	enum where_tok		 tok;
	char			*val;		/* the token's text, unquoted */
	size_t			 col;		/* 1-based, where it starts */
	struct where_query	*q;
	char			*cause;
	int			 depth;		/* "(" and "not" open now */
};

/* Deeper nesting is refused, not recursed into (the stack is finite). */
#define WHERE_MAX_DEPTH	64

static void printflike(2, 3)
where_error(struct where_parser *rp, const char *fmt, ...)
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
where_next(struct where_parser *rp)
{
	const char	*p = rp->p, *start;
	char		*s, quote;
	size_t		 n;

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
			where_error(rp, "unexpected '!' (did you mean '!='?)");
			return (-1);
		}
	} else if (*p == '\'' || *p == '"') {
		quote = *p++;
		s = xmalloc(strlen(p) + 1);
		for (n = 0; *p != quote; p++) {
			if (*p == '\0') {
				free(s);
				where_error(rp, "unterminated string");
				return (-1);
			}
			if (*p == '\\' && (p[1] == quote || p[1] == '\\'))
				p++;
			s[n++] = *p;
		}
		s[n] = '\0';
		p++;
		rp->tok = TOK_STRING;
		rp->val = s;
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
		where_error(rp, "unexpected character '%c'", *p);
		return (-1);
	}
	rp->p = p;
	return (0);
}

static int
where_is_word(struct where_parser *rp, const char *word)
{
	return (rp->tok == TOK_WORD && strcasecmp(rp->val, word) == 0);
}

#define WHERE_FIELDS "state, owner, label, logical_date, params.NAME, " \
	"metrics.NAME or metrics.TASK.NAME"

/* A field's parts: kind, and for params and metrics its names. */
enum where_field {
	FIELD_STATE,
	FIELD_OWNER,
	FIELD_LABEL,
	FIELD_LOGICAL_DATE,
	FIELD_PARAM,
	FIELD_METRIC,
};

/* The column of the fields that are one; NULL for the others. */
static const char *
where_column(enum where_field f)
{
	switch (f) {
	case FIELD_STATE:
		return ("run.state");
	case FIELD_OWNER:
		return ("run.created_by");
	case FIELD_LOGICAL_DATE:
		return ("run.logical_date");
	default:
		return (NULL);
	}
}

/*
 * Read a field name: 0 with its kind and names (allocated, task NULL
 * unless given), or -1 with a cause.
 */
static int
where_field(struct where_parser *rp, enum where_field *f, char **name,
    char **task)
{
	char	*rest, *dot;

	*name = *task = NULL;
	if (rp->tok != TOK_WORD) {
		where_error(rp, "expected a field (" WHERE_FIELDS ")%s%s%s",
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
	where_error(rp, "unknown field '%s' (" WHERE_FIELDS ")", rp->val);
	return (-1);
}

/* Bind the current token as a value for field f; its number, or -1. */
static int
where_value(struct where_parser *rp, enum where_field f, const char *op)
{
	char		*end, *cause = NULL;
	double		 d;
	long long	 ll;
	int64_t		 t;

	if (rp->tok == TOK_WORD && (strcmp(rp->val, "true") == 0 ||
	    strcmp(rp->val, "false") == 0) && f == FIELD_PARAM)
		return (where_bind(rp->q, WHERE_BIND_INT, NULL,
		    strcmp(rp->val, "true") == 0, 0));
	if (rp->tok == TOK_WORD) {
		where_error(rp, "expected a value after '%s' (quote strings: "
		    "'%s')", op, rp->val);
		return (-1);
	}
	if (rp->tok != TOK_NUMBER && rp->tok != TOK_STRING) {
		where_error(rp, "expected a value after '%s'", op);
		return (-1);
	}
	switch (f) {
	case FIELD_STATE:
	case FIELD_OWNER:
	case FIELD_LABEL:
		if (rp->tok != TOK_STRING) {
			where_error(rp, "expected a quoted string after '%s'",
			    op);
			return (-1);
		}
		return (where_bind_text(rp->q, rp->val));
	case FIELD_LOGICAL_DATE:
		if (rp->tok != TOK_STRING) {
			where_error(rp, "expected a quoted time after '%s' "
			    "('2026-11-01T06:00Z')", op);
			return (-1);
		}
		if (tz_parse_time(rp->val, NULL, &t, &cause) != 0) {
			where_error(rp, "bad time '%s'", rp->val);
			free(cause);
			return (-1);
		}
		return (where_bind(rp->q, WHERE_BIND_INT, NULL, t, 0));
	case FIELD_PARAM:
	case FIELD_METRIC:
		if (rp->tok == TOK_STRING) {
			if (f == FIELD_METRIC) {
				where_error(rp, "metrics compare with "
				    "numbers, not '%s'", rp->val);
				return (-1);
			}
			return (where_bind_text(rp->q, rp->val));
		}
		errno = 0;
		ll = strtoll(rp->val, &end, 10);
		if (*end == '\0' && errno == 0)
			return (where_bind(rp->q, WHERE_BIND_INT, NULL, ll,
			    0));
		errno = 0;
		d = strtod(rp->val, &end);
		if (*end != '\0' || errno != 0 || !isfinite(d)) {
			where_error(rp, "bad number '%s'", rp->val);
			return (-1);
		}
		return (where_bind(rp->q, WHERE_BIND_REAL, NULL, 0, d));
	}
	return (-1);
}

static char	*where_expr(struct where_parser *);

/* field op value, as SQL; NULL after an error. */
static char *
where_compare(struct where_parser *rp)
{
	enum where_field	 f;
	char			*name, *task, *op, *sql = NULL, *field;
	const char		*sqlop;
	int			 v, k, t;

	if (where_field(rp, &f, &name, &task) != 0)
		return (NULL);
	field = xstrdup(rp->val);
	if (where_next(rp) != 0)
		goto out;
	if (rp->tok != TOK_OP || strcmp(rp->val, "==") == 0) {
		where_error(rp, "expected a comparison (<, <=, >, >=, =, !=) "
		    "after '%s'", field);
		goto out;
	}
	op = xstrdup(rp->val);
	sqlop = strcmp(op, "!=") == 0 ? "<>" : op;
	if (f == FIELD_LABEL && strcmp(op, "=") != 0 &&
	    strcmp(op, "!=") != 0) {
		where_error(rp, "label compares only with = and !=");
		free(op);
		goto out;
	}
	if (where_next(rp) != 0 || (v = where_value(rp, f, op)) < 0) {
		free(op);
		goto out;
	}
	switch (f) {
	case FIELD_STATE:
	case FIELD_OWNER:
	case FIELD_LOGICAL_DATE:
		xasprintf(&sql, "%s %s ?%d", where_column(f), sqlop, v);
		break;
	case FIELD_LABEL:
		xasprintf(&sql, "%sEXISTS (SELECT 1 FROM run_label l WHERE "
		    "l.run = run.id AND l.label = ?%d)",
		    strcmp(op, "=") == 0 ? "" : "NOT ", v);
		break;
	case FIELD_PARAM:
		k = where_bind_param_path(rp->q, name);
		xasprintf(&sql, "json_extract(run.params, ?%d) %s ?%d", k,
		    sqlop, v);
		break;
	case FIELD_METRIC:
		k = where_bind_text(rp->q, name);
		if (task != NULL) {
			t = where_bind_text(rp->q, task);
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
	if (where_next(rp) != 0) {
		free(sql);
		sql = NULL;
	}
out:
	free(field);
	free(name);
	free(task);
	return (sql);
}

static char	*where_unary(struct where_parser *);

/* "not" unary, "(" expr ")" or a comparison, as SQL; NULL after an error. */
static char *
where_unary_nested(struct where_parser *rp)
{
	char	*inner, *sql;

	if (where_is_word(rp, "not")) {
		if (where_next(rp) != 0 || (inner = where_unary(rp)) == NULL)
			return (NULL);
		xasprintf(&sql, "NOT (%s)", inner);
		free(inner);
		return (sql);
	}
	if (rp->tok == TOK_LPAREN) {
		if (where_next(rp) != 0 || (inner = where_expr(rp)) == NULL)
			return (NULL);
		if (rp->tok != TOK_RPAREN) {
			where_error(rp, "expected ')'%s%s%s",
			    rp->tok == TOK_END ? "" : " at '", rp->val,
			    rp->tok == TOK_END ? "" : "'");
			free(inner);
			return (NULL);
		}
		if (where_next(rp) != 0) {
			free(inner);
			return (NULL);
		}
		xasprintf(&sql, "(%s)", inner);
		free(inner);
		return (sql);
	}
	return (where_compare(rp));
}

/* Like where_unary_nested, but no deeper than WHERE_MAX_DEPTH. */
static char *
where_unary(struct where_parser *rp)
{
	char	*sql;

	if ((where_is_word(rp, "not") || rp->tok == TOK_LPAREN) &&
	    rp->depth >= WHERE_MAX_DEPTH) {
		where_error(rp, "nested deeper than %d levels of '(' and 'not'",
		    WHERE_MAX_DEPTH);
		return (NULL);
	}
	rp->depth++;
	sql = where_unary_nested(rp);
	rp->depth--;
	return (sql);
}

/* A chain of the same operator over sub, as SQL. */
static char *
where_chain(struct where_parser *rp, const char *word, const char *sqlop,
    char *(*sub)(struct where_parser *))
{
	char	*sql, *right, *tmp;

	if ((sql = sub(rp)) == NULL)
		return (NULL);
	while (where_is_word(rp, word)) {
		if (where_next(rp) != 0 || (right = sub(rp)) == NULL) {
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
where_and(struct where_parser *rp)
{
	return (where_chain(rp, "and", "AND", where_unary));
}

static char *
where_expr(struct where_parser *rp)
{
	return (where_chain(rp, "or", "OR", where_and));
}

/*
 * Add the condition of a --where text to q: 0, or -1 with a cause that
 * names the column of the bad token.
 */
int
where_parse(struct where_query *q, const char *text, char **cause)
{
	struct where_parser	 rp;
	size_t			 nbinds = q->nbinds, i;
	char			*sql;

	memset(&rp, 0, sizeof rp);
	rp.text = rp.p = text;
	rp.q = q;
	if (where_next(&rp) == 0) {
		if (rp.tok == TOK_END)
			where_error(&rp, "expected a condition");
		else if ((sql = where_expr(&rp)) != NULL) {
			if (rp.tok != TOK_END)
				where_error(&rp, "expected 'and', 'or' or "
				    "the end at '%s'", rp.val);
			else
				where_query_and(q, sql);
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
where_order_parse(struct where_query *q, const char *text, char **cause)
{
	struct where_parser	 rp;
	enum where_field	 f;
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
	if (where_next(&rp) != 0 ||
	    where_field(&rp, &f, &name, &task) != 0)
		goto out;
	switch (f) {
	case FIELD_STATE:
	case FIELD_OWNER:
	case FIELD_LOGICAL_DATE:
		expr = xstrdup(where_column(f));
		break;
	case FIELD_LABEL:
		where_error(&rp, "cannot order by label");
		goto out;
	case FIELD_PARAM:
		k = where_bind_param_path(q, name);
		xasprintf(&expr, "json_extract(run.params, ?%d)", k);
		break;
	case FIELD_METRIC:
		k = where_bind_text(q, name);
		if (task != NULL) {
			t = where_bind_text(q, task);
			xasprintf(&expr, "(SELECT %s(m.value) FROM metric m "
			    "WHERE m.run = run.id AND m.key = ?%d AND "
			    "m.task_id = ?%d)", agg, k, t);
		} else
			xasprintf(&expr, "(SELECT %s(m.value) FROM metric m "
			    "WHERE m.run = run.id AND m.key = ?%d)", agg, k);
		break;
	}
	if (where_next(&rp) == 0 && rp.tok != TOK_END)
		where_error(&rp, "expected one field, not '%s'", rp.val);
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
