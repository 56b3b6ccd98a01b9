/* Spelling suggestions: the known word nearest to a misspelt one. */

#ifndef SUGGEST_H
#define SUGGEST_H

#include <stddef.h>

/* How many edits a suggestion may be away from what was typed. */
#define SUGGEST_MAX	2

struct suggest {
	const char	*name;		/* what was typed */
	const char	*best;		/* the nearest candidate so far */
	size_t		 bestd;
};

size_t		 suggest_distance(const char *, const char *);
void		 suggest_init(struct suggest *, const char *);
void		 suggest_add(struct suggest *, const char *);
const char	*suggest_list(const char *, const char *const *, size_t);

#endif
