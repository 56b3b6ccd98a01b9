/* Find UPDRAFT_HOME and read updraft.conf (libconfig syntax). */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <libconfig.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"
#include "suggest.h"
#include "units.h"

/* Where admins look for it, whatever prefix updraft was built with. */
#define CONFIG_SITE_FILE "/etc/updraft/updraft.conf"

static int	config_fill(struct config *, const char *, int, char **);

static const char *config_keys[] = {
	"dags_folder", "state_dir", "default_partition", "gpu_partition",
	"poll_interval", "max_queued_jobs", "max_submit_per_pass",
	"max_script_size", "max_catchup_runs", "site_group", "site_env",
	"db_locks", "host_name",
	"secrets_file", "notify", "channels",	/* notify-config.c */
	NULL
};

static void
config_free_list(char **list)
{
	char	**p;

	for (p = list; p != NULL && *p != NULL; p++)
		free(*p);
	free(list);
}

/* Return path made absolute against base, without trailing slashes. */
static char *
config_absolute(const char *base, const char *path)
{
	char	*out;
	size_t	 len;

	if (*path == '/')
		out = xstrdup(path);
	else
		xasprintf(&out, "%s/%s", base, path);
	len = strlen(out);
	while (len > 1 && out[len - 1] == '/')
		out[--len] = '\0';
	return (out);
}

/* Work out UPDRAFT_HOME: the environment, else $HOME/updraft. */
static int
config_home(struct config *cfg, char **cause)
{
	struct passwd	*pw;
	const char	*home;
	char		*cwd, *tmp;

	if ((home = getenv("UPDRAFT_HOME")) != NULL && *home != '\0') {
		if (*home == '/')
			cfg->home = config_absolute("/", home);
		else {
			if ((cwd = getcwd(NULL, 0)) == NULL) {
				xasprintf(cause, "cannot find the current "
				    "directory: %s", strerror(errno));
				return (-1);
			}
			cfg->home = config_absolute(cwd, home);
			free(cwd);
		}
		return (0);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) == NULL || pw->pw_dir == NULL ||
		    *pw->pw_dir == '\0') {
			xasprintf(cause, "cannot find the home directory: set "
			    "UPDRAFT_HOME");
			return (-1);
		}
		home = pw->pw_dir;
	}
	tmp = config_absolute("/", home);
	cfg->home = config_absolute(tmp, "updraft");
	free(tmp);
	return (0);
}

/* Choose the config file to read into cfg->file; NULL if none. */
static void
config_choose(struct config *cfg, const char *file)
{
	const char	*env;
	char		*path;

	if (file != NULL) {
		cfg->file = xstrdup(file);
		return;
	}
	if ((env = getenv("UPDRAFT_CONFIG")) != NULL && *env != '\0') {
		cfg->file = xstrdup(env);
		return;
	}
	xasprintf(&path, "%s/updraft.conf", cfg->home);
	if (access(path, F_OK) == 0) {
		cfg->file = path;
		return;
	}
	free(path);
	if (access(CONFIG_SITE_FILE, F_OK) == 0)
		cfg->file = xstrdup(CONFIG_SITE_FILE);
}

/* Read a string setting that must not be empty; NULL and *cause if bad. */
static const char *
config_string(struct config *cfg, const config_setting_t *s, char **cause)
{
	const char	*v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING ||
	    (v = config_setting_get_string(s)) == NULL) {
		xasprintf(cause, "%s:%d: '%s' must be a string", cfg->file,
		    config_setting_source_line(s), config_setting_name(s));
		return (NULL);
	}
	if (*v == '\0') {
		xasprintf(cause, "%s:%d: '%s' must not be empty", cfg->file,
		    config_setting_source_line(s), config_setting_name(s));
		return (NULL);
	}
	return (v);
}

/* Read poll_interval: seconds as an integer or a duration string. */
static int
config_interval(struct config *cfg, const config_setting_t *s, char **cause)
{
	const char	*str;
	long long	 v;
	long		 l;
	int		 line = config_setting_source_line(s);

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		v = config_setting_get_int(s);
		break;
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_STRING:
		str = config_setting_get_string(s);
		if (str == NULL || units_parse_duration(str, &l) != 0) {
			xasprintf(cause, "%s:%d: 'poll_interval' must be a "
			    "number of seconds or a duration like \"30s\"",
			    cfg->file, line);
			return (-1);
		}
		v = l;
		break;
	default:
		xasprintf(cause, "%s:%d: 'poll_interval' must be a number of "
		    "seconds or a duration like \"30s\"", cfg->file, line);
		return (-1);
	}
	if (v <= 0 || v > INT_MAX) {
		xasprintf(cause, "%s:%d: 'poll_interval' must be more than "
		    "zero seconds and fit in an int", cfg->file, line);
		return (-1);
	}
	cfg->poll_interval = (int)v;
	return (0);
}

/* Read a whole number of at least 1 into *v. */
static int
config_count(struct config *cfg, const config_setting_t *s, const char *name,
    int *v, char **cause)
{
	long long	ll;

	if (config_setting_type(s) == CONFIG_TYPE_INT)
		ll = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		ll = config_setting_get_int64(s);
	else {
		xasprintf(cause, "%s:%d: '%s' must be an integer", cfg->file,
		    config_setting_source_line(s), name);
		return (-1);
	}
	if (ll < 1 || ll > INT_MAX) {
		xasprintf(cause, "%s:%d: '%s' must be at least 1", cfg->file,
		    config_setting_source_line(s), name);
		return (-1);
	}
	*v = (int)ll;
	return (0);
}

/*
 * Read max_script_size: a size with a unit, as --mem is written ("1M",
 * "512K"). A plain number is refused: --mem would read it as megabytes.
 */
static int
config_script_size(struct config *cfg, const config_setting_t *s,
    char **cause)
{
	const char	*v = NULL;
	long		 l;
	int		 line = config_setting_source_line(s);

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		v = config_setting_get_string(s);
	if (v == NULL || *v == '\0' || (v[strlen(v) - 1] >= '0' &&
	    v[strlen(v) - 1] <= '9') || units_parse_bytes(v, &l) != 0 ||
	    l < 1) {
		xasprintf(cause, "%s:%d: 'max_script_size' must be a size "
		    "with K, M or G, like \"1M\" (at most 2047M)", cfg->file,
		    line);
		return (-1);
	}
	cfg->max_script_size = l;
	return (0);
}

/* Read db_locks: "auto", "trusted" or "untrusted". */
static int
config_locks(struct config *cfg, const config_setting_t *s, const char *v,
    char **cause)
{
	if (strcmp(v, "auto") == 0)
		cfg->db_locks = CONFIG_LOCKS_AUTO;
	else if (strcmp(v, "trusted") == 0)
		cfg->db_locks = CONFIG_LOCKS_TRUSTED;
	else if (strcmp(v, "untrusted") == 0)
		cfg->db_locks = CONFIG_LOCKS_UNTRUSTED;
	else {
		xasprintf(cause, "%s:%d: 'db_locks' must be \"auto\", "
		    "\"trusted\" or \"untrusted\"", cfg->file,
		    config_setting_source_line(s));
		return (-1);
	}
	return (0);
}

/*
 * Read site_env: a list of environment variable names that `updraft site`
 * passes on to each user's scheduler.
 */
static int
config_site_env(struct config *cfg, const config_setting_t *s, char **cause)
{
	const config_setting_t	*e;
	const char		*v, *c;
	int			 i, n;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		xasprintf(cause, "%s:%d: 'site_env' must be a list of variable "
		    "names, like [\"SLURM_CONF\"]", cfg->file,
		    config_setting_source_line(s));
		return (-1);
	}
	n = config_setting_length(s);
	config_free_list(cfg->site_env);
	cfg->site_env = xcalloc((size_t)n + 1, sizeof *cfg->site_env);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		v = config_setting_type(e) == CONFIG_TYPE_STRING ?
		    config_setting_get_string(e) : NULL;
		for (c = v; c != NULL && *c != '\0'; c++) {
			if (!(*c == '_' || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= 'a' && *c <= 'z') ||
			    (c != v && *c >= '0' && *c <= '9')))
				break;
		}
		if (v == NULL || *v == '\0' || *c != '\0') {
			xasprintf(cause, "%s:%d: 'site_env' must be a list of "
			    "variable names, like [\"SLURM_CONF\"]", cfg->file,
			    config_setting_source_line(e));
			return (-1);
		}
		cfg->site_env[i] = xstrdup(v);
	}
	return (0);
}

/* Read the settings of the config file into cfg; stop at the first problem. */
static int
config_parse_file(struct config *cfg, char **cause)
{
	config_t		 lc;
	const config_setting_t	*root, *s;
	const char		*name, *v, *file, *like;
	char			**field;
	struct stat		 sb;
	FILE			*f;
	int			 i, n, k, rc = -1;

	if ((f = fopen(cfg->file, "r")) == NULL) {
		xasprintf(cause, "cannot open config file '%s': %s", cfg->file,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "cannot open config file '%s': %s", cfg->file,
		    strerror(EISDIR));
		fclose(f);
		return (-1);
	}
	config_init(&lc);
	if (config_read(&lc, f) != CONFIG_TRUE) {
		file = config_error_file(&lc);
		xasprintf(cause, "%s:%d: %s", file != NULL ? file : cfg->file,
		    config_error_line(&lc), config_error_text(&lc));
		goto out;
	}
	root = config_root_setting(&lc);
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(root, i);
		if ((name = config_setting_name(s)) == NULL)
			continue;
		for (k = 0; config_keys[k] != NULL; k++) {
			if (strcmp(name, config_keys[k]) == 0)
				break;
		}
		if (strcmp(name, "site_mode") == 0 ||
		    strcmp(name, "allow_root_dags") == 0) {
			xasprintf(cause, "%s:%d: '%s' is gone: root no longer "
			    "runs other users' DAGs; remove it and run 'updraft "
			    "site' as root instead, which starts each member "
			    "of site_group's own scheduler (see updraft(1))",
			    cfg->file, config_setting_source_line(s), name);
			goto out;
		}
		if (config_keys[k] == NULL) {
			if ((like = suggest_list(name, config_keys, k)) != NULL)
				xasprintf(cause, "%s:%d: unknown key '%s' (did "
				    "you mean '%s'?)", cfg->file,
				    config_setting_source_line(s), name, like);
			else
				xasprintf(cause, "%s:%d: unknown key '%s'",
				    cfg->file, config_setting_source_line(s),
				    name);
			goto out;
		}
		if (strcmp(name, "secrets_file") == 0 ||
		    strcmp(name, "notify") == 0 || strcmp(name, "channels") == 0)
			continue;	/* read below, together */
		if (strcmp(name, "poll_interval") == 0) {
			if (config_interval(cfg, s, cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "site_env") == 0) {
			if (config_site_env(cfg, s, cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "max_script_size") == 0) {
			if (config_script_size(cfg, s, cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "max_catchup_runs") == 0) {
			if (config_count(cfg, s, name, &cfg->max_catchup_runs,
			    cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "max_queued_jobs") == 0 ||
		    strcmp(name, "max_submit_per_pass") == 0) {
			if (config_count(cfg, s, name, name[4] == 'q' ?
			    &cfg->max_queued_jobs : &cfg->max_submit_per_pass,
			    cause) != 0)
				goto out;
			continue;
		}
		if ((v = config_string(cfg, s, cause)) == NULL)
			goto out;
		if (strcmp(name, "db_locks") == 0) {
			if (config_locks(cfg, s, v, cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "dags_folder") == 0)
			field = &cfg->dags_folder;
		else if (strcmp(name, "state_dir") == 0)
			field = &cfg->state_dir;
		else if (strcmp(name, "default_partition") == 0)
			field = &cfg->default_partition;
		else if (strcmp(name, "host_name") == 0)
			field = &cfg->host_name;
		else if (strcmp(name, "site_group") == 0)
			field = &cfg->site_group;
		else
			field = &cfg->gpu_partition;
		free(*field);
		if (field == &cfg->dags_folder || field == &cfg->state_dir)
			*field = config_absolute(cfg->home, v);
		else
			*field = xstrdup(v);
	}
	if (notify_config_parse(cfg, root, cause) != 0)
		goto out;
	rc = 0;

out:
	config_destroy(&lc);
	fclose(f);
	return (rc);
}

/*
 * A short token for this state directory, ending every job name, so that
 * two homes of one user (a test home, a second project) never take each
 * other's jobs for their own when they look a job up by name.
 */
static void
config_job_suffix(struct config *cfg)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	const char	*p;

	for (p = cfg->state_dir; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ULL;
	}
	snprintf(cfg->job_suffix, sizeof cfg->job_suffix, "%08x",
	    (unsigned int)(h ^ (h >> 32)));
}

/*
 * The name this host goes by in the scheduler's lease: UPDRAFT_HOST, else
 * host_name, else gethostname(2). Tests set UPDRAFT_HOST to play two hosts
 * on one machine.
 */
static void
config_host_name(struct config *cfg)
{
	const char	*env;
	char		 buf[256];

	if ((env = getenv("UPDRAFT_HOST")) != NULL && *env != '\0') {
		free(cfg->host_name);
		cfg->host_name = xstrdup(env);
	}
	if (cfg->host_name != NULL)
		return;
	if (gethostname(buf, sizeof buf) != 0)
		snprintf(buf, sizeof buf, "unknown");
	buf[sizeof buf - 1] = '\0';
	cfg->host_name = xstrdup(buf);
}

/*
 * Fill cfg from UPDRAFT_HOME and the config file: file if not NULL, else
 * UPDRAFT_CONFIG, else the first of $UPDRAFT_HOME/updraft.conf and
 * /etc/updraft/updraft.conf that exists, else none. Return -1 with
 * *cause on failure, leaving cfg empty.
 */
int
config_load(struct config *cfg, const char *file, char **cause)
{
	return (config_fill(cfg, file, 0, cause));
}

/*
 * The site's configuration, for `updraft site`: file if not NULL, else
 * /etc/updraft/updraft.conf if it exists, else the defaults; never a
 * file found through the environment.
 */
int
config_load_site(struct config *cfg, const char *file, char **cause)
{
	return (config_fill(cfg, file, 1, cause));
}

/* config_load, or config_load_site when site. */
static int
config_fill(struct config *cfg, const char *file, int site, char **cause)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->poll_interval = 30;
	cfg->max_queued_jobs = 500;
	cfg->max_submit_per_pass = 100;
	cfg->max_script_size = CONFIG_MAX_SCRIPT_SIZE;
	cfg->max_catchup_runs = 1000;
	if (config_home(cfg, cause) != 0)
		goto fail;
	if (!site)
		config_choose(cfg, file);
	else if (file != NULL || access(CONFIG_SITE_FILE, F_OK) == 0)
		cfg->file = xstrdup(file != NULL ? file : CONFIG_SITE_FILE);
	if (cfg->file != NULL && config_parse_file(cfg, cause) != 0)
		goto fail;

	if (cfg->dags_folder == NULL)
		cfg->dags_folder = config_absolute(cfg->home, "dags");
	if (cfg->state_dir == NULL)
		cfg->state_dir = xstrdup(cfg->home);
	if (cfg->gpu_partition == NULL)
		cfg->gpu_partition = xstrdup("gpu");
	if (cfg->site_group == NULL)
		cfg->site_group = xstrdup("updraft");
	if (cfg->site_env == NULL) {
		cfg->site_env = xcalloc(2, sizeof *cfg->site_env);
		cfg->site_env[0] = xstrdup("SLURM_CONF");
	}
	config_host_name(cfg);
	config_job_suffix(cfg);
	xasprintf(&cfg->db_path, "%s/updraft.db", cfg->state_dir);
	xasprintf(&cfg->logs_dir, "%s/logs", cfg->state_dir);
	return (0);

fail:
	config_free(cfg);
	return (-1);
}

/*
 * How long the scheduler's lease lasts past each heartbeat: three poll
 * intervals (it renews every poll_interval), and at least 10 s.
 */
int64_t
config_lease_length(const struct config *cfg)
{
	return (cfg->poll_interval > 3 ? 3 * (int64_t)cfg->poll_interval :
	    10);
}

void
config_free(struct config *cfg)
{
	free(cfg->home);
	free(cfg->file);
	free(cfg->dags_folder);
	free(cfg->state_dir);
	free(cfg->db_path);
	free(cfg->logs_dir);
	free(cfg->default_partition);
	free(cfg->gpu_partition);
	free(cfg->host_name);
	free(cfg->site_group);
	config_free_list(cfg->site_env);
	notify_site_free(cfg->notify);
	memset(cfg, 0, sizeof *cfg);
}

/* The libconfig this binary was built with (it has no run-time query). */
const char *
config_library_version(void)
{
	static char	buf[32];

	snprintf(buf, sizeof buf, "%d.%d.%d", LIBCONFIG_VER_MAJOR,
	    LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
	return (buf);
}
