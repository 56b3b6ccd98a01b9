/* A DAG against the live cluster: partitions that exist, GPUs where asked. */

#ifndef VALIDATE_H
#define VALIDATE_H

#include "slurm.h"

int	 validate_dag(const struct dag *, const struct slurm_partition *,
	     size_t, char **);

#endif
