/* Experiment records: params, metrics and outputs of runs. */

#ifndef RECORD_H
#define RECORD_H

#include "updraft.h"

/* A name and its value as text: a param of a run. */
struct record_kv {
	char		*name;
	char		*value;		/* strings unquoted; true/false; numbers */
	enum param_type	 type;
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

#endif
