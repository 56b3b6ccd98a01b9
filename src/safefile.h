/* safefile.c: reading files that a user or a job could have replaced. */

#ifndef SAFEFILE_H
#define SAFEFILE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stdio.h>

/*
 * Who may own a file safefile_open accepts: by default this process's
 * effective uid or root; with SAFEFILE_MINE this uid only (what the
 * scheduler's own jobs write: markers, results, logs). SAFEFILE_PRIVATE
 * also refuses a file that group or others may write (DAG files and
 * scripts: whoever may write them chooses what runs as us).
 */
#define SAFEFILE_MINE		0x1
#define SAFEFILE_PRIVATE	0x2

int	 safefile_open(const char *, int, off_t, struct stat *, char **);
FILE	*safefile_fopen(const char *, int, off_t, char **);
int	 safefile_read(const char *, int, size_t, char **, size_t *,
	     char **);
int	 safefile_stat(const char *, struct stat *);
int	 safefile_folders(const char *, char **);
int	 safefile_state_dir(const char *, char **);
int	 safefile_private(const char *, int);

#endif
