/* Waking the scheduler: files it watches, and a nudge verbs give it. */

#ifndef WAKE_H
#define WAKE_H

#include "updraft.h"

void	 wake_poke(const struct config *);
int	 wake_watch(const struct config *);
int	 wake_wait(int, int);

#endif
