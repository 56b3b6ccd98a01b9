/* What a finished try reported: its metrics, outputs and declared files. */

#ifndef INGEST_H
#define INGEST_H

#include "submit.h"

char	*ingest_try(struct pass *, const struct task *, const struct ti *, int);

#endif
