/* The scheduler's lease: one scheduler acts on a database at a time. */

#ifndef LEASE_H
#define LEASE_H

#include <signal.h>

#include "store.h"

struct lease {
	struct store_lease	 me;		/* host: a copy (a reload
						 * frees the configuration) */
	const struct config	*cfg;
	struct store		*st;
	int			 fd;		/* scheduler.lock, or -1 */
	int			 locked;	/* we hold its flock */
	char			 lockpid[32];	/* else: who does, or "" */
};

void	lease_init(struct lease *, const struct config *, struct store *);
int	lease_take(struct lease *, int, const volatile sig_atomic_t *,
	    char **);
int	lease_renew(struct lease *, int, int64_t);
void	lease_release(struct lease *);
void	lease_free(struct lease *);

#endif
