/* What the terminal views share: colour, widths, times, the task order. */

#ifndef VIEW_H
#define VIEW_H

#include <stdio.h>

#include "updraft.h"
#include "output.h"

/* Ends a coloured stretch of output. */
#define VIEW_RESET	"\033[0m"

int		 view_columns(void);
int		 view_colour(void);
void		 view_legend(FILE *, int, int);

void		 view_time(char *, size_t, const char *, int64_t, int);
void		 view_when(char *, size_t, int64_t, int);
int		 view_parse_since(const char *, int64_t *, char **);
void		 view_duration(char *, size_t, int64_t);
const char	*view_zone_name(int);

void		 view_pad(FILE *, const char *, size_t);
void		 view_shell_word(FILE *, const char *);

/* A table: rows of cells printed in aligned columns. */
struct view_table {
	size_t	  ncols;
	size_t	  nrows;
	char	**cells;	/* [row * ncols + col]; NULL: a line of its own */
	char	**lines;	/* [row]: printed as it is, not in a column */
	size_t	  colour_col;	/* the column colour() colours, if any */
	const char *(*colour)(const char *);	/* cell to escape, or NULL */
};

void	 view_table_init(struct view_table *, size_t);
void	 view_table_add(struct view_table *, ...);
void	 view_table_add_cells(struct view_table *, char **);
void	 view_table_head(struct view_table *, const struct output_object *,
	     const char *const *);
void	 view_table_row(struct view_table *, const struct output_object *,
	     const char *const *, const void *, int);
void	 view_table_colour(struct view_table *, size_t,
	     const char *(*)(const char *));
void	 view_table_line(struct view_table *, const char *, ...)
	     printflike(2, 3);
void	 view_table_print(FILE *, const struct view_table *, const char *);
void	 view_table_free(struct view_table *);

void	 view_format_init(struct view_table *, const struct output_format *);
void	 view_format_row(struct view_table *, const struct output_format *,
	     const void *, int);
void	 view_format_print(FILE *, const struct view_table *,
	     const struct output_format *);
void	 view_format_array(FILE *, const struct output_format *,
	     const void *, size_t, size_t, int);

#endif
