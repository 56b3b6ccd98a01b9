/* Inside the store: what its files share, and the only place for sqlite3.h. */

#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3	*db;
	char	*path;
};

sqlite3_stmt	*store_prepare(struct store *, const char *, const char *, ...);
int		 store_done(struct store *, sqlite3_stmt *);
char		*store_column_text(sqlite3_stmt *, int);

#endif
