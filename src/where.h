/* The --where and --order compiler: conditions on runs as bound SQL. */

#ifndef WHERE_H
#define WHERE_H

#include <stddef.h>
#include <stdint.h>

/* A value bound to a query's numbered parameter (never spliced in). */
enum where_bind_type {
	WHERE_BIND_TEXT,
	WHERE_BIND_INT,
	WHERE_BIND_REAL,
};
struct where_bind {
	enum where_bind_type	 type;
	char			*text;
	int64_t			 i;
	double			 d;
};

/*
 * SQL fragments over the table "run", and their parameters: ?base for
 * binds[0], ?base+1 for binds[1] and so on.
 */
struct where_query {
	int			 base;
	char			*where;		/* NULL: none */
	char			*order;		/* an expression; NULL: none */
	int			 desc;		/* order largest first */
	struct where_bind	*binds;
	size_t			 nbinds;
};

void	 where_query_init(struct where_query *, int);
void	 where_query_free(struct where_query *);
int	 where_parse(struct where_query *, const char *, char **);
int	 where_order_parse(struct where_query *, const char *, char **);
void	 where_query_label(struct where_query *, const char *);

#endif
