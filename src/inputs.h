/* A task's inputs, resolved against other DAGs' recorded outputs. */

#ifndef INPUTS_H
#define INPUTS_H

#include "store.h"

int	 inputs_resolve(struct store *, const struct run *,
	     const struct task *, char ***, char **);

#endif
