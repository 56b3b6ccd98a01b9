/*
 * A DAG against the live cluster: partitions that exist, GPUs where asked,
 * GRES (and their types) the partition's nodes have, and accounts and QOS
 * the partition allows.
 */

/*
 * A task that names a partition Slurm does not have, or asks for GPUs on a
 * partition without any, would only be refused by Slurm when it is due,
 * maybe at 3 am. Checked when the DAG loads instead, as a load error on the
 * task's line. Accounts and QOS are checked against the partition's
 * AllowAccounts, DenyAccounts, AllowQos and DenyQos: whether an account or
 * QOS exists at all is known only to slurmdbd, which a cluster may not run
 * (Debian's local one does not, and then Slurm takes any name); that is
 * left to Slurm's answer at submission.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static const struct cluster_partition *
validate_find(const struct cluster_partition *parts, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if ((name == NULL && parts[i].is_default) ||
		    (name != NULL && strcmp(parts[i].name, name) == 0))
			return (&parts[i]);
	}
	return (NULL);
}

static int
validate_wants_gpus(const struct resources *res)
{
	return (res->gpus > 0 || res->gpus_per_node > 0 ||
	    res->gpus_per_task > 0 || res->cpus_per_gpu > 0 ||
	    res->mem_per_gpu_mb > 0 ||
	    (res->gres != NULL && strncmp(res->gres, "gpu", 3) == 0));
}

/* Whether name is in a comma-separated Slurm list ("ALL" holds all). */
static int
validate_in_list(const char *list, const char *name)
{
	const char	*p, *end;
	size_t		 len = strlen(name);

	for (p = list; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (((size_t)(end - p) == len && strncmp(p, name, len) == 0) ||
		    ((size_t)(end - p) == 3 && strncmp(p, "ALL", 3) == 0))
			return (1);
	}
	return (0);
}

/* What the partition's nodes have, for a message: "gpu, gpu:a100". */
static void
validate_gres_list(FILE *f, const struct cluster_partition *p)
{
	size_t	i;

	if (p->ngres == 0) {
		fprintf(f, "it has none");
		return;
	}
	fprintf(f, "it has:");
	for (i = 0; i < p->ngres; i++)
		fprintf(f, "%s %s", i ? "," : "", p->gres[i]);
}

/*
 * Check a task's --gres against its partition: each name, and each type
 * asked for (name:type[:count]), must be on some node of it.
 */
static int
validate_gres(FILE *f, int bad, const struct dag *dag, const struct task *t,
    const struct cluster_partition *p)
{
	char	*copy, *elem, *next, *type, *want;
	size_t	 i;

	copy = xstrdup(t->res.gres);
	for (elem = copy; elem != NULL; elem = next) {
		if ((next = strchr(elem, ',')) != NULL)
			*next++ = '\0';
		want = xstrdup(elem);
		if ((type = strchr(want, ':')) != NULL) {
			type[strcspn(type + 1, ":") + 1] = '\0';
			if (strspn(type + 1, "0123456789") == strlen(type + 1))
				*type = '\0';	/* name:count */
		}
		for (i = 0; i < p->ngres; i++) {
			if (strcmp(p->gres[i], want) == 0)
				break;
		}
		if (i == p->ngres) {
			fprintf(f, "%s%s:%d: task '%s': gres '%s': partition "
			    "'%s' has no GRES '%s' (", bad ? "\n" : "",
			    dag->path, t->line, t->id, elem, p->name, want);
			validate_gres_list(f, p);
			fprintf(f, ")");
			bad = 1;
		}
		free(want);
	}
	free(copy);
	return (bad);
}

/* Check a task's account and QOS against its partition's lists. */
static int
validate_access(FILE *f, int bad, const struct dag *dag, const struct task *t,
    const struct cluster_partition *p)
{
	static const char	*what[] = { "account", "qos" };
	static const char	*key[][2] = { { "AllowAccounts", "DenyAccounts" },
				    { "AllowQos", "DenyQos" } };
	const char		*name, *allow, *deny;
	int			 k;

	for (k = 0; k < 2; k++) {
		name = k == 0 ? t->res.account : t->res.qos;
		allow = k == 0 ? p->allow_accounts : p->allow_qos;
		deny = k == 0 ? p->deny_accounts : p->deny_qos;
		if (name == NULL)
			continue;
		if (allow != NULL && !validate_in_list(allow, name)) {
			fprintf(f, "%s%s:%d: task '%s': %s '%s' may not use "
			    "partition '%s' (%s=%s)", bad ? "\n" : "",
			    dag->path, t->line, t->id, what[k], name, p->name,
			    key[k][0], allow);
			bad = 1;
		} else if (deny != NULL && validate_in_list(deny, name)) {
			fprintf(f, "%s%s:%d: task '%s': %s '%s' may not use "
			    "partition '%s' (%s=%s)", bad ? "\n" : "",
			    dag->path, t->line, t->id, what[k], name, p->name,
			    key[k][1], deny);
			bad = 1;
		}
	}
	return (bad);
}

/*
 * Check every task of dag against the partitions: 0, or -1 with every
 * problem as "FILE:LINE: message", one a line, in *cause.
 */
int
validate_dag(const struct dag *dag, const struct cluster_partition *parts,
    size_t n, char **cause)
{
	const struct cluster_partition	*p;
	const struct task		*t;
	FILE				*f;
	char				*out = NULL;
	size_t				 len = 0, i, k;
	int				 bad = 0;

	if ((f = open_memstream(&out, &len)) == NULL)
		return (0);
	for (i = 0; i < dag->ntasks; i++) {
		t = &dag->tasks[i];
		p = validate_find(parts, n, t->res.partition);
		if (p == NULL && t->res.partition != NULL) {
			fprintf(f, "%s%s:%d: task '%s': partition '%s' does "
			    "not exist in Slurm (it has:", bad ? "\n" : "",
			    dag->path, t->line, t->id, t->res.partition);
			for (k = 0; k < n; k++)
				fprintf(f, "%s %s", k ? "," : "", parts[k].name);
			fprintf(f, ")");
			bad = 1;
		} else if (p != NULL && !p->has_gpus &&
		    validate_wants_gpus(&t->res)) {
			fprintf(f, "%s%s:%d: task '%s': asks for GPUs, but "
			    "partition '%s' has none", bad ? "\n" : "",
			    dag->path, t->line, t->id, p->name);
			bad = 1;
		} else if (p != NULL && t->res.gres != NULL)
			bad = validate_gres(f, bad, dag, t, p);
		if (p != NULL)
			bad = validate_access(f, bad, dag, t, p);
	}
	fclose(f);
	if (bad)
		*cause = out;
	else
		free(out);
	return (bad ? -1 : 0);
}
