/* What the terminal views share: colour, widths, times, the task order. */

#ifndef VIEW_H
#define VIEW_H

#include <stdio.h>

#include "updraft.h"

/* Escape sequences for a state, and to reset; "" when colour is off. */
#define VIEW_RESET	"\033[0m"

int		 view_columns(void);
int		 view_colour(void);
char		 view_symbol(const char *);
const char	*view_state_colour(const char *);
void		 view_legend(FILE *, int, int);

void		 view_time(char *, size_t, const char *, int64_t, int);
void		 view_duration(char *, size_t, int64_t);
const char	*view_zone_name(int);

void		 view_pad(FILE *, const char *, size_t);
void		 view_shell_word(FILE *, const char *);

size_t		*view_task_order(const struct dag *, int *);

#endif
