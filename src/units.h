/* units.c: durations, memory sizes, Slurm time limits, signals, mail types. */

#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>

/* A time limit of UNLIMITED or INFINITE: Slurm's INFINITE. */
#define UNITS_UNLIMITED		(-1L)

/* What each grammar expects, for messages. */
#define UNITS_DURATION_HINT	"a number with s, m, h or d"
#define UNITS_TIME_HINT \
	"MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS"
#define UNITS_MEM_HINT		"a number with K, M, G or T"
#define UNITS_SIGNAL_HINT	"[B:]SIGNAL[@SECONDS], e.g. B:USR1@300"
#define UNITS_MAIL_HINT \
	"a list of NONE, BEGIN, END, FAIL, REQUEUE, ALL, INVALID_DEPEND, " \
	"STAGE_OUT, TIME_LIMIT, TIME_LIMIT_90, TIME_LIMIT_80 or TIME_LIMIT_50"

int	 units_parse_bytes(const char *, long *);
int	 units_parse_digits(const char **, long *);
int	 units_parse_duration(const char *, long *);
int	 units_parse_memory(const char *, long *);
int	 units_parse_time_limit(const char *, long *);
int	 units_parse_signal(const char *, int *, int *, int *);
int	 units_parse_mail_type(const char *, int *, const char **, size_t *);
void	 units_format_time_limit(long, char *, size_t);

#endif
