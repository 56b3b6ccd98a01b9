/* Experiment records: params, results files and the --where grammar. */

#ifndef RECORD_H
#define RECORD_H

#include "updraft.h"

/* A name and its value as text: a param of a run. */
struct record_kv {
	char		*name;
	char		*value;		/* strings unquoted; true/false; numbers */
	enum param_type	 type;
};

/* A value bound to a query's numbered parameter (never spliced in). */
enum record_bind_type {
	RECORD_BIND_TEXT,
	RECORD_BIND_INT,
	RECORD_BIND_REAL,
};
struct record_bind {
	enum record_bind_type	 type;
	char			*text;
	int64_t			 i;
	double			 d;
};

/*
 * SQL fragments over the table "run", and their parameters: ?base for
 * binds[0], ?base+1 for binds[1] and so on.
 */
struct record_query {
	int			 base;
	char			*where;		/* NULL: none */
	char			*order;		/* an expression; NULL: none */
	int			 desc;		/* order largest first */
	struct record_bind	*binds;
	size_t			 nbinds;
};

int	 record_valid_name(const char *);
void	 record_format_double(double, char *, size_t);
void	 record_format_float(double, char *, size_t);
const char *record_param_type_name(enum param_type);
int	 record_param_check(const struct dag_param *, const char *, char **,
	     char **);
const struct dag_param *record_param_find(const struct dag *, const char *);
const char *record_param_similar(const struct dag *, const char *);
char	*record_params_json(const struct dag *, const char **, const char **,
	     size_t);
int	 record_params_parse(const char *, struct record_kv **, size_t *);
void	 record_kv_free(struct record_kv *, size_t);

int	 record_metric_line(char *, char **, double *, char **);
int	 record_output_line(char *, char **, char **, char **);

void	 record_query_init(struct record_query *, int);
void	 record_query_free(struct record_query *);
int	 record_where_parse(struct record_query *, const char *, char **);
int	 record_order_parse(struct record_query *, const char *, char **);
void	 record_query_label(struct record_query *, const char *);

#endif
