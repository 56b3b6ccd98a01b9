/* Figures and final states of jobs from accounting (slurmdbd). */

#ifndef ACCT_H
#define ACCT_H

#include "scheduler-int.h"

void	 acct_queue(struct pass *, const struct ti *);
void	 acct_pass(struct pass *);
char	*acct_cancelled_by(const struct cluster_acct_job *);
int	 acct_final(struct pass *, const struct ti *, struct cluster_acct_job *);

#endif
