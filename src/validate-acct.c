/* A DAG against the cluster's accounting: accounts, associations, QOS. */

/*
 * Where the cluster keeps accounting in slurmdbd, a task's account and QOS
 * must exist, the DAG owner (the file's owner) must have an association
 * with the account (on the task's partition, where the association names
 * one), the association must allow the QOS, and the task's time and GPUs
 * must fit the QOS's MaxWall and MaxTRESPerJob/MaxTRESPerUser. Else the job
 * is refused when it is due, or pends for ever. A task that names no
 * account is checked under the owner's default account.
 */

#include <sys/stat.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "units.h"
#include "validate.h"

static int
validate_acct_account_exists(const struct cluster_acct *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->nassocs; i++) {
		if (strcmp(a->assocs[i].account, name) == 0)
			return (1);
	}
	return (0);
}

static const struct cluster_acct_qos *
validate_acct_qos(const struct cluster_acct *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->nqos; i++) {
		if (strcmp(a->qos[i].name, name) == 0)
			return (&a->qos[i]);
	}
	return (NULL);
}

/*
 * The user's association with account (NULL: the default one) that fits
 * partition (NULL: the default partition): one of that partition, else
 * one for any partition.
 */
static const struct cluster_acct_assoc *
validate_acct_assoc(const struct cluster_acct *a, const char *user,
    const char *account, const char *partition)
{
	const struct cluster_acct_assoc	*as, *any = NULL;
	size_t				 i;

	for (i = 0; i < a->nassocs; i++) {
		as = &a->assocs[i];
		if (as->user == NULL || strcmp(as->user, user) != 0)
			continue;
		if (account != NULL ? strcmp(as->account, account) != 0 :
		    !as->is_default)
			continue;
		if (as->partition == NULL)
			any = any != NULL ? any : as;
		else if (partition != NULL &&
		    strcmp(as->partition, partition) == 0)
			return (as);
	}
	return (any);
}

/* The GPUs a task asks for in all, as far as its resources say. */
static long
validate_acct_gpus(const struct resources *res)
{
	const char	*g;
	long		 n = res->nodes > 0 ? res->nodes : 1;

	if (res->gpus > 0)
		return (res->gpus);
	if (res->gpus_per_node > 0)
		return (res->gpus_per_node * n);
	if (res->gpus_per_task > 0)
		return ((long)res->gpus_per_task *
		    (res->ntasks > 0 ? res->ntasks : 1));
	/* --gres=gpu:2 or gpu:a100:2, per node. */
	if ((g = res->gres) != NULL && strncmp(g, "gpu", 3) == 0 &&
	    (g[3] == ':' || g[3] == '\0' || g[3] == ',')) {
		g += strcspn(g, ",");
		while (g > res->gres && g[-1] >= '0' && g[-1] <= '9')
			g--;
		return ((*g >= '0' && *g <= '9' ? atol(g) : 1) * n);
	}
	return (0);
}

/* The QOS's limits against one task's request. */
static int
validate_acct_limits(FILE *f, int bad, const struct dag *dag,
    const struct task *t, const struct cluster_acct_qos *q)
{
	char	want[32], most[32];
	long	gpus = validate_acct_gpus(&t->res);

	if (q->max_wall > 0 && t->res.time_limit > q->max_wall) {
		units_format_time_limit(t->res.time_limit, want, sizeof want);
		units_format_time_limit(q->max_wall, most, sizeof most);
		fprintf(f, "%s%s:%d: task '%s': time %s is above qos '%s' "
		    "MaxWall %s", bad ? "\n" : "", dag->path, t->line, t->id,
		    want, q->name, most);
		bad = 1;
	}
	if (q->max_gpus_job >= 0 && gpus > q->max_gpus_job) {
		fprintf(f, "%s%s:%d: task '%s': %ld GPUs is above qos '%s' "
		    "MaxTRESPerJob gres/gpu=%ld", bad ? "\n" : "", dag->path,
		    t->line, t->id, gpus, q->name, q->max_gpus_job);
		bad = 1;
	} else if (q->max_gpus_user >= 0 && gpus > q->max_gpus_user) {
		fprintf(f, "%s%s:%d: task '%s': %ld GPUs is above qos '%s' "
		    "MaxTRESPerUser gres/gpu=%ld", bad ? "\n" : "", dag->path,
		    t->line, t->id, gpus, q->name, q->max_gpus_user);
		bad = 1;
	}
	return (bad);
}

/* Whether name is among the association's QOS. */
static int
validate_acct_allows(const struct cluster_acct_assoc *as, const char *name)
{
	size_t	i;

	for (i = 0; i < as->nqos; i++) {
		if (strcmp(as->qos[i], name) == 0)
			return (1);
	}
	return (0);
}

static void
validate_acct_qos_list(FILE *f, const struct cluster_acct_assoc *as)
{
	size_t	i;

	for (i = 0; i < as->nqos; i++)
		fprintf(f, "%s%s", i > 0 ? "," : "", as->qos[i]);
}

/* One task: 1 if it has a problem (written to f), else bad as it was. */
static int
validate_acct_task(FILE *f, int bad, const struct dag *dag,
    const struct task *t, const struct cluster_acct *a, const char *user)
{
	const struct cluster_acct_assoc	*as;
	const struct cluster_acct_qos	*q = NULL;
	const char			*acct = t->res.account;

	if (acct != NULL && !validate_acct_account_exists(a, acct)) {
		fprintf(f, "%s%s:%d: task '%s': account '%s' does not exist "
		    "in Slurm's accounting", bad ? "\n" : "", dag->path,
		    t->line, t->id, acct);
		bad = 1;
	}
	if (t->res.qos != NULL &&
	    (q = validate_acct_qos(a, t->res.qos)) == NULL) {
		fprintf(f, "%s%s:%d: task '%s': qos '%s' does not exist in "
		    "Slurm's accounting", bad ? "\n" : "", dag->path, t->line,
		    t->id, t->res.qos);
		bad = 1;
	}
	if (acct == NULL || validate_acct_account_exists(a, acct)) {
		as = validate_acct_assoc(a, user, acct, t->res.partition);
		if (as == NULL) {
			fprintf(f, "%s%s:%d: task '%s': user '%s' has no "
			    "association with %s%s%s%s%s", bad ? "\n" : "",
			    dag->path, t->line, t->id, user,
			    acct != NULL ? "account '" : "a default account",
			    acct != NULL ? acct : "",
			    acct != NULL ? "'" : "",
			    t->res.partition != NULL ? " on partition " : "",
			    t->res.partition != NULL ? t->res.partition : "");
			bad = 1;
		} else if (q != NULL && !validate_acct_allows(as, q->name)) {
			fprintf(f, "%s%s:%d: task '%s': user '%s' may not use "
			    "qos '%s' in account '%s' (allowed: ", bad ? "\n" :
			    "", dag->path, t->line, t->id, user, q->name,
			    as->account);
			validate_acct_qos_list(f, as);
			fprintf(f, ")");
			bad = 1;
		}
	}
	if (q != NULL)
		bad = validate_acct_limits(f, bad, dag, t, q);
	return (bad);
}

/*
 * Check every task of dag against the cluster's accounting, as its file's
 * owner: 0, or -1 with every problem as "FILE:LINE: message", one a line,
 * in *cause.
 */
int
validate_acct(const struct dag *dag, const struct cluster_acct *a,
    char **cause)
{
	struct passwd	*pw;
	struct stat	 sb;
	FILE		*f;
	char		*out = NULL, uid[32];
	const char	*user;
	size_t		 len = 0, i;
	int		 bad = 0;

	if (stat(dag->path, &sb) != 0)
		sb.st_uid = geteuid();
	if ((pw = getpwuid(sb.st_uid)) != NULL)
		user = pw->pw_name;
	else {
		snprintf(uid, sizeof uid, "%lu", (unsigned long)sb.st_uid);
		user = uid;
	}
	if ((f = open_memstream(&out, &len)) == NULL)
		return (0);
	for (i = 0; i < dag->ntasks; i++)
		bad = validate_acct_task(f, bad, dag, &dag->tasks[i], a, user);
	fclose(f);
	if (bad)
		*cause = out;
	else
		free(out);
	return (bad ? -1 : 0);
}

/* Whether some task names an account or a QOS: what accounting checks. */
int
validate_acct_wanted(const struct dag *dag)
{
	size_t	i;

	for (i = 0; i < dag->ntasks; i++) {
		if (dag->tasks[i].res.account != NULL ||
		    dag->tasks[i].res.qos != NULL)
			return (1);
	}
	return (0);
}
