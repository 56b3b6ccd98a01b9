/* Run creation: a new run of a DAG for one interval, by whatever asks. */

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "runs.h"

static const char *
runs_user(void)
{
	struct passwd	*pw;

	if ((pw = getpwuid(getuid())) != NULL)
		return (pw->pw_name);
	return ("unknown");
}

/*
 * Create a run of dag for an interval, named by its type; 0 created, 1
 * there was one already, -1 error.
 */
int
runs_create(struct store *st, const struct dag *dag,
    const char *type, const struct interval *iv, int64_t now,
    int64_t backfill)
{
	return (runs_create_with(st, dag, type, iv, now, backfill, NULL));
}

/*
 * runs_create, recording where and with what: the host, the params (the
 * DAG's defaults, overridden by ctx's), and ctx's note. ctx may be NULL.
 */
int
runs_create_with(struct store *st, const struct dag *dag,
    const char *type, const struct interval *iv, int64_t now,
    int64_t backfill, struct run_context *ctx)
{
	struct run	 r;
	char		 iso[40], *run_id, host[256];
	int		 rc;

	tz_format(NULL, iv->logical, iso, sizeof iso);
	xasprintf(&run_id, "%s__%s", type, iso);
	memset(&r, 0, sizeof r);
	r.dag_id = dag->id;
	r.run_id = run_id;
	r.run_type = (char *)type;
	/* A backfill's runs start at once, under the backfill's own limit. */
	r.state = (char *)(backfill != 0 ? "running" : "queued");
	r.start_date = backfill != 0 ? now : 0;
	r.backfill = backfill;
	r.version = (char *)dag->version;
	r.created_by = (char *)runs_user();
	r.logical_date = iv->logical;
	r.interval_start = iv->start;
	r.interval_end = iv->end;
	r.created_at = now;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	r.host = host;
	r.params = record_params_json(dag, ctx != NULL ? ctx->names : NULL,
	    ctx != NULL ? ctx->values : NULL, ctx != NULL ? ctx->nparams : 0);
	r.note = ctx != NULL ? (char *)ctx->note : NULL;
	rc = store_run_create(st, &r, dag);
	rc = rc < 0 ? -1 : !rc;	/* ours: 0 created, 1 there already */
	if (ctx != NULL)
		ctx->id = r.id;
	free(r.params);
	free(run_id);
	return (rc);
}
