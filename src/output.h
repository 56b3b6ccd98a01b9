/* What verbs print: JSON and text, from one table of fields per object. */

#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "updraft.h"

/* How deep a JSON document may nest. */
#define OUTPUT_JSON_DEPTH	8

/*
 * The one JSON writer, in one style: ": " after a key and ", " between
 * values, on one line; except that a list (an array at the top, or one
 * opened with output_json_list) puts each element on a line of its own,
 * one space in ("[\n {...},\n {...}\n]"); an empty one is "[]".
 */
struct output_json {
	FILE	*f;
	int	 depth;
	int	 n[OUTPUT_JSON_DEPTH];		/* values so far at each depth */
	char	 close[OUTPUT_JSON_DEPTH];	/* '}' or ']' */
	int	 lines[OUTPUT_JSON_DEPTH];	/* one value a line */
	int	 newline;	/* a newline after the top: 1 unless unset */
};

void	 output_json_init(struct output_json *, FILE *);
void	 output_json_open(struct output_json *, const char *, int);
void	 output_json_list(struct output_json *, const char *);
void	 output_json_close(struct output_json *);
void	 output_json_str(struct output_json *, const char *, const char *);
void	 output_json_int(struct output_json *, const char *, int64_t);
void	 output_json_null(struct output_json *, const char *);
void	 output_json_bool(struct output_json *, const char *, int);
void	 output_json_at(struct output_json *, const char *, int64_t);
void	 output_json_raw(struct output_json *, const char *, const char *);

void	 output_json_string(FILE *, const char *);
void	 output_json_time(FILE *, int64_t);
void	 output_time(char *, size_t, int64_t);

/* What a field holds. */
enum output_kind {
	OUTPUT_STRING,	/* char *; NULL is none */
	OUTPUT_TIME,	/* int64_t seconds; 0 is none */
	OUTPUT_INT,	/* int */
	OUTPUT_ID,	/* int64_t; 0 is none */
	OUTPUT_BOOL,	/* int */
	OUTPUT_OBJECT,	/* char * holding a JSON object; NULL is {} */
	OUTPUT_LABELS,	/* char *: strings each NUL-ended, then an empty one */
};

/* One field's value, read from an object. */
struct output_value {
	enum output_kind	 kind;
	const char		*s;
	int64_t			 n;
	int			 none;
	char			 buf[32];	/* for a value made up */
};

/*
 * A field of an object: its name (JSON key, CSV column, what a verb's
 * help lists), its heading in a table, and where its value is: at offset
 * in the object, or made up by get. A field with no name is for tables
 * only.
 */
struct output_field {
	const char		*name;
	const char		*head;
	enum output_kind	 kind;
	size_t			 offset;
	void			(*get)(const void *, struct output_value *);
	const char		*blank;	/* a table's cell for none; NULL: "-" */
};

/* The fields of one kind of object, in the order JSON lists them. */
struct output_object {
	const char			*name;
	const struct output_field	*fields;
	size_t				 nfields;
};

extern const struct output_object output_run;		/* struct run */
extern const struct output_object output_ti;		/* struct ti */
extern const struct output_object output_dag;		/* struct store_dag */
extern const struct output_object output_backfill;	/* struct backfill */
extern const struct output_object output_version;	/* struct dag_version */

const struct output_field *output_field(const struct output_object *,
	     const char *);
void	 output_value(const struct output_field *, const void *,
	     struct output_value *);
char	*output_labels(const char *, const char *);
void	 output_json_fields(struct output_json *,
	     const struct output_object *, const char *const *, const void *);
char	*output_text(const struct output_field *, const void *);

/* The widest a column of --format may be made. */
#define OUTPUT_WIDTH_MAX	1000

/*
 * The columns --format asks for: fields by their JSON names, each with a
 * width (0: as wide as its widest value), and how to print them.
 */
struct output_format {
	const struct output_field	**fields;
	int				 *widths;
	size_t				  ncols;
	int				  noheader;
	int				  parsable;
};

int	 output_format_parse(const struct output_object *, const char *,
	     struct output_format *, char **);
void	 output_format_help(const struct output_object *, FILE *);
void	 output_format_free(struct output_format *);

#endif
