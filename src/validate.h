/* A DAG against the live cluster: partitions that exist, GPUs where asked. */

#ifndef VALIDATE_H
#define VALIDATE_H

#include "cluster.h"

int	 validate_dag(const struct dag *, const struct cluster_partition *,
	     size_t, char **);

/* validate-acct.c */
int	 validate_acct(const struct dag *, const struct cluster_acct *,
	     char **);
int	 validate_acct_wanted(const struct dag *);

#endif
