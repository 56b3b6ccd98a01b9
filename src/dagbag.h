/* Every DAG file of the DAGs folder, loaded and recorded in the database. */

#ifndef DAGBAG_H
#define DAGBAG_H

#include "store.h"

struct dagbag {
	struct dag	**dags;		/* those that loaded */
	size_t		  ndags;
	char		**errors;	/* one message for each file that did not */
	size_t		  nerrors;
};

int		 dagbag_load(const struct config *, struct store *,
		     struct dagbag *);
void		 dagbag_free(struct dagbag *);
struct dag	*dagbag_find(const struct dagbag *, const char *);

#endif
