/* An old version of a DAG, rebuilt from the database, for runs started on it. */

#ifndef DAGVERSION_H
#define DAGVERSION_H

#include "store.h"

struct dag	*dagversion_load(struct store *, const struct config *,
		     const struct dag *, const char *, char **);

#endif
