/* Every DAG file of the DAGs folder, loaded and recorded in the database. */

#ifndef DAGBAG_H
#define DAGBAG_H

#include <sys/stat.h>

#include "store.h"

/* What a file looked like when it was read. */
struct dagbag_stamp {
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	struct timespec	 ctime;
	mode_t		 mode;
	uid_t		 uid;
};

/* A DAG file as last parsed, kept for as long as it does not change. */
struct dagbag_file {
	char			*path;
	struct dagbag_stamp	 stamp;
	struct dagbag_stamp	*scripts;	/* each task's script, in order */
	size_t			 nscripts;
	int			 has_scripts;	/* some task runs one */
	struct dag		*dag;		/* NULL: it did not load */
	int			 synced;	/* the database has it */
	int			 dup;		/* its id is declared twice */
};

/*
 * The DAGs kept from one scheduler pass to the next. A file is parsed again
 * only when its stat (or a script's) changed and so did its content.
 */
struct dagbag_cache {
	struct dagbag_file	*files;		/* sorted by path */
	size_t			 nfiles;
	struct dagbag_stamp	 dir;		/* the folder, when listed */
	int			 loaded;	/* listed at least once */

	/* What the last refresh did with each file. */
	size_t			 parsed;	/* new, changed or broken */
	size_t			 touched;	/* stat changed, content not */
	size_t			 unchanged;
};

struct dagbag {
	struct dag	**dags;		/* those that loaded; the cache's */
	size_t		  ndags;
	char		**errors;	/* one message for each file that did not */
	size_t		  nerrors;
	struct dagbag_cache *own;	/* freed with the bag; or NULL */
};

int		 dagbag_load(const struct config *, struct store *,
		     struct dagbag *);
int		 dagbag_refresh(const struct config *, struct store *,
		     struct dagbag_cache *, struct dagbag *);
void		 dagbag_free(struct dagbag *);
void		 dagbag_cache_free(struct dagbag_cache *);
struct dag	*dagbag_find(const struct dagbag *, const char *);

#endif
