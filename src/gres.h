/* GRES request strings (--gres), checked with sbatch's grammar. */

#ifndef GRES_H
#define GRES_H

#define GRES_HINT	"NAME[:TYPE][:COUNT], e.g. gpu:2 or gpu:a100:2"

int	 gres_check(const char *, char **);

#endif
