/* Notification channels of updraft.conf and its secrets file. */

#include <sys/stat.h>

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "units.h"

/* Every event kind: its name in config files and messages, and its bit. */
static const struct {
	const char	*name;
	int		 bit;
	int		 fallback;	/* heard when a channel names none */
} notify_events[] = {
	{ "task_failed", NOTIFY_TASK_FAILED, 1 },
	{ "task_retry", NOTIFY_TASK_RETRY, 0 },
	{ "run_failed", NOTIFY_RUN_FAILED, 1 },
	{ "run_success", NOTIFY_RUN_SUCCESS, 0 },
	{ "sla_miss", NOTIFY_SLA_MISS, 1 },
	{ "dag_paused", NOTIFY_DAG_PAUSED, 1 },
	{ "dag_error", NOTIFY_DAG_ERROR, 1 },
	{ "scheduler_started", NOTIFY_STARTED, 1 },
	{ "scheduler_stopped", NOTIFY_STOPPED, 1 },
	{ "slurm_lost", NOTIFY_SLURM_LOST, 1 },
	{ "slurm_back", NOTIFY_SLURM_BACK, 1 },
	{ "test", NOTIFY_TEST, 1 },
};
#define NOTIFY_NEVENTS (sizeof notify_events / sizeof notify_events[0])

static const char *notify_channel_keys[] = {
	"type", "events", "timeout", "url", "format", "headers", "server",
	"port", "tls", "from", "to", "username", "password", "argv", NULL
};

/* The bit of an event name, or 0. */
int
notify_event_bit(const char *name)
{
	size_t	i;

	for (i = 0; i < NOTIFY_NEVENTS; i++) {
		if (strcmp(notify_events[i].name, name) == 0)
			return (notify_events[i].bit);
	}
	return (0);
}

/* The name of an event bit. */
const char *
notify_event_name(int bit)
{
	size_t	i;

	for (i = 0; i < NOTIFY_NEVENTS; i++) {
		if (notify_events[i].bit == bit)
			return (notify_events[i].name);
	}
	return ("unknown");
}

const char *
notify_type_name(enum notify_type type)
{
	switch (type) {
	case NOTIFY_WEBHOOK:
		return ("webhook");
	case NOTIFY_EMAIL:
		return ("email");
	case NOTIFY_COMMAND:
		return ("command");
	}
	return ("unknown");
}

const struct notify_channel *
notify_channel_find(const struct config *cfg, const char *name)
{
	size_t	i;

	if (cfg == NULL || cfg->notify == NULL)
		return (NULL);
	for (i = 0; i < cfg->notify->nchannels; i++) {
		if (strcmp(cfg->notify->channels[i].name, name) == 0)
			return (&cfg->notify->channels[i]);
	}
	return (NULL);
}

/* Whether the site defines a channel of that name. */
int
notify_channel_known(const struct config *cfg, const char *name)
{
	return (notify_channel_find(cfg, name) != NULL);
}

static void
notify_free_list(char **list)
{
	size_t	i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

static char **
notify_copy_list(char *const *list)
{
	char	**copy;
	size_t	  n, i;

	if (list == NULL)
		return (NULL);
	for (n = 0; list[n] != NULL; n++)
		;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(list[i]);
	return (copy);
}

void
notify_spec_free(struct notify_spec *spec)
{
	notify_free_list(spec->channels);
	memset(spec, 0, sizeof *spec);
}

void
notify_spec_copy(struct notify_spec *to, const struct notify_spec *from)
{
	to->channels = notify_copy_list(from->channels);
	to->events = from->events;
}

static void
notify_channel_free(struct notify_channel *ch)
{
	free(ch->name);
	free(ch->url);
	notify_free_list(ch->headers);
	free(ch->server);
	free(ch->from);
	notify_free_list(ch->to);
	free(ch->username);
	free(ch->password);
	notify_free_list(ch->argv);
}

void
notify_site_free(struct notify_site *site)
{
	size_t	i;

	if (site == NULL)
		return;
	for (i = 0; i < site->nchannels; i++)
		notify_channel_free(&site->channels[i]);
	free(site->channels);
	free(site->secrets_file);
	free(site);
}

/* Where a setting is, for messages: "file:line". */
struct notify_where {
	const char	*file;
	const char	*prefix;	/* "channel 'x': " or "" */
};

static int printflike(4, 5)
notify_error(char **cause, const struct notify_where *w,
    const config_setting_t *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s:%d: %s%s", w->file,
	    config_setting_source_line(s), w->prefix, msg);
	free(msg);
	return (-1);
}

static int
notify_string(const struct notify_where *w, const config_setting_t *s,
    char **out, char **cause)
{
	const char	*v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING ||
	    (v = config_setting_get_string(s)) == NULL)
		return (notify_error(cause, w, s, "'%s' must be a string",
		    config_setting_name(s)));
	if (*v == '\0')
		return (notify_error(cause, w, s, "'%s' must not be empty",
		    config_setting_name(s)));
	free(*out);
	*out = xstrdup(v);
	return (0);
}

/* A string or a list of strings, into a NULL-terminated list. */
static int
notify_strings(const struct notify_where *w, const config_setting_t *s,
    char ***out, char **cause)
{
	const config_setting_t	*e;
	const char		*v;
	char			**list;
	int			  i, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		list = xcalloc(2, sizeof *list);
		list[0] = xstrdup(config_setting_get_string(s));
	} else if (config_setting_is_aggregate(s) &&
	    config_setting_type(s) != CONFIG_TYPE_GROUP) {
		n = config_setting_length(s);
		list = xcalloc(n + 1, sizeof *list);
		for (i = 0; i < n; i++) {
			e = config_setting_get_elem(s, i);
			if ((v = config_setting_get_string(e)) == NULL) {
				notify_free_list(list);
				return (notify_error(cause, w, s, "'%s' must "
				    "be a list of strings",
				    config_setting_name(s)));
			}
			list[i] = xstrdup(v);
		}
	} else
		return (notify_error(cause, w, s, "'%s' must be a string or "
		    "a list of strings", config_setting_name(s)));
	notify_free_list(*out);
	*out = list;
	return (0);
}

/* Seconds, as an integer or a duration like "30s"; at least min. */
static int
notify_seconds(const struct notify_where *w, const config_setting_t *s,
    long min, long *out, char **cause)
{
	const char	*v;
	long		 l;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		l = config_setting_get_int(s);
		break;
	case CONFIG_TYPE_INT64:
		l = (long)config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_STRING:
		v = config_setting_get_string(s);
		if (units_parse_duration(v, &l) == 0)
			break;
		/* FALLTHROUGH */
	default:
		return (notify_error(cause, w, s, "'%s' must be a number of "
		    "seconds or a duration like \"30s\"",
		    config_setting_name(s)));
	}
	if (l < min)
		return (notify_error(cause, w, s, "'%s' must be at least %lds",
		    config_setting_name(s), min));
	*out = l;
	return (0);
}

/* A list of event names into bits (a DAG's too: see dagfile.c). */
static int
notify_events_parse(const struct notify_where *w, const config_setting_t *s,
    int *out, char **cause)
{
	char	**names = NULL;
	size_t	  i;
	int	  bits = 0, bit;

	if (notify_strings(w, s, &names, cause) != 0)
		return (-1);
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], "all") == 0)
			bit = ~0;
		else if ((bit = notify_event_bit(names[i])) == 0) {
			notify_error(cause, w, s, "unknown event '%s' (known: "
			    "task_failed, task_retry, run_failed, "
			    "run_success, sla_miss, dag_error, "
			    "scheduler_started, scheduler_stopped, "
			    "slurm_lost, slurm_back, all)", names[i]);
			notify_free_list(names);
			return (-1);
		}
		bits |= bit;
	}
	notify_free_list(names);
	*out = bits | NOTIFY_TEST;
	return (0);
}

/* Apply the settings of one group (the config's or the secrets') to ch. */
static int
notify_channel_apply(const struct notify_where *w, const config_setting_t *g,
    struct notify_channel *ch, char **cause)
{
	const config_setting_t	*s;
	const char		*name, *v;
	long			 l;
	int			 i, n, k;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return (notify_error(cause, w, g, "a channel must be a group "
		    "{ type = ...; }"));
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		for (k = 0; notify_channel_keys[k] != NULL; k++) {
			if (strcmp(name, notify_channel_keys[k]) == 0)
				break;
		}
		if (notify_channel_keys[k] == NULL)
			return (notify_error(cause, w, s, "unknown key '%s'",
			    name));
		if (strcmp(name, "type") == 0) {
			v = config_setting_get_string(s);
			if (v != NULL && strcmp(v, "webhook") == 0)
				ch->type = NOTIFY_WEBHOOK;
			else if (v != NULL && strcmp(v, "email") == 0)
				ch->type = NOTIFY_EMAIL;
			else if (v != NULL && strcmp(v, "command") == 0)
				ch->type = NOTIFY_COMMAND;
			else
				return (notify_error(cause, w, s, "'type' must "
				    "be \"webhook\", \"email\" or "
				    "\"command\""));
		} else if (strcmp(name, "format") == 0) {
			v = config_setting_get_string(s);
			if (v != NULL && strcmp(v, "json") == 0)
				ch->format = NOTIFY_FORMAT_JSON;
			else if (v != NULL && strcmp(v, "slack") == 0)
				ch->format = NOTIFY_FORMAT_SLACK;
			else if (v != NULL && strcmp(v, "mattermost") == 0)
				ch->format = NOTIFY_FORMAT_MATTERMOST;
			else if (v != NULL && strcmp(v, "teams") == 0)
				ch->format = NOTIFY_FORMAT_TEAMS;
			else
				return (notify_error(cause, w, s, "'format' "
				    "must be \"json\", \"slack\", "
				    "\"mattermost\" or \"teams\""));
		} else if (strcmp(name, "tls") == 0) {
			v = config_setting_get_string(s);
			if (v != NULL && strcmp(v, "none") == 0)
				ch->tls = NOTIFY_TLS_NONE;
			else if (v != NULL && strcmp(v, "starttls") == 0)
				ch->tls = NOTIFY_TLS_STARTTLS;
			else if (v != NULL && strcmp(v, "smtps") == 0)
				ch->tls = NOTIFY_TLS_SMTPS;
			else
				return (notify_error(cause, w, s, "'tls' must "
				    "be \"none\", \"starttls\" or \"smtps\""));
		} else if (strcmp(name, "events") == 0) {
			if (notify_events_parse(w, s, &ch->events, cause) != 0)
				return (-1);
		} else if (strcmp(name, "timeout") == 0) {
			if (notify_seconds(w, s, 1, &ch->timeout, cause) != 0)
				return (-1);
		} else if (strcmp(name, "port") == 0) {
			if (config_setting_type(s) != CONFIG_TYPE_INT ||
			    (l = config_setting_get_int(s)) < 1 || l > 65535)
				return (notify_error(cause, w, s, "'port' must "
				    "be a number from 1 to 65535"));
			ch->port = (int)l;
		} else if (strcmp(name, "headers") == 0) {
			if (notify_strings(w, s, &ch->headers, cause) != 0)
				return (-1);
		} else if (strcmp(name, "to") == 0) {
			if (notify_strings(w, s, &ch->to, cause) != 0)
				return (-1);
		} else if (strcmp(name, "argv") == 0) {
			if (notify_strings(w, s, &ch->argv, cause) != 0)
				return (-1);
		} else if (notify_string(w, s, strcmp(name, "url") == 0 ?
		    &ch->url : strcmp(name, "server") == 0 ? &ch->server :
		    strcmp(name, "from") == 0 ? &ch->from :
		    strcmp(name, "username") == 0 ? &ch->username :
		    &ch->password, cause) != 0)
			return (-1);
	}
	return (0);
}

/* What a channel of its type cannot go without. */
static int
notify_channel_check(const struct notify_where *w, const config_setting_t *g,
    struct notify_channel *ch, char **cause)
{
	switch (ch->type) {
	case NOTIFY_WEBHOOK:
		if (ch->url == NULL)
			return (notify_error(cause, w, g, "a webhook needs "
			    "'url' (here or in the secrets file)"));
		break;
	case NOTIFY_EMAIL:
		if (ch->server == NULL || ch->from == NULL || ch->to == NULL ||
		    ch->to[0] == NULL)
			return (notify_error(cause, w, g, "an email channel "
			    "needs 'server', 'from' and 'to'"));
		if (ch->port == 0)
			ch->port = ch->tls == NOTIFY_TLS_SMTPS ? 465 :
			    ch->tls == NOTIFY_TLS_STARTTLS ? 587 : 25;
		break;
	case NOTIFY_COMMAND:
		if (ch->argv == NULL || ch->argv[0] == NULL)
			return (notify_error(cause, w, g, "a command channel "
			    "needs 'argv', the program and its arguments"));
		break;
	}
	return (0);
}

/* Read the secrets file into lc, refusing one that others can read. */
static int
notify_read_secrets(const char *path, config_t *lc, char **cause)
{
	struct stat	 sb;
	FILE		*f;
	const char	*file;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "cannot open secrets file '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		xasprintf(cause, "secrets file '%s' is not a regular file",
		    path);
		fclose(f);
		return (-1);
	}
	if (sb.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) {
		xasprintf(cause, "secrets file '%s' is readable by others: "
		    "run 'chmod 600 %s'", path, path);
		fclose(f);
		return (-1);
	}
	if (config_read(lc, f) != CONFIG_TRUE) {
		file = config_error_file(lc);
		xasprintf(cause, "%s:%d: %s", file != NULL ? file : path,
		    config_error_line(lc), config_error_text(lc));
		fclose(f);
		return (-1);
	}
	fclose(f);
	return (0);
}

/* The secrets file's path: relative ones are beside the config file. */
static char *
notify_secrets_path(const struct config *cfg, const char *v)
{
	const char	*slash;
	char		*path;

	if (*v == '/' || cfg->file == NULL ||
	    (slash = strrchr(cfg->file, '/')) == NULL)
		return (xstrdup(v));
	xasprintf(&path, "%.*s/%s", (int)(slash - cfg->file), cfg->file, v);
	return (path);
}

/* The 'notify' group: how deliveries are grouped and retried. */
static int
notify_settings(struct notify_site *site, const struct notify_where *w,
    const config_setting_t *g, char **cause)
{
	const config_setting_t	*s;
	const char		*name;
	long			 l;
	int			 i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return (notify_error(cause, w, g, "'notify' must be a group"));
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		if (strcmp(name, "group_window") == 0) {
			if (notify_seconds(w, s, 0, &site->group_window,
			    cause) != 0)
				return (-1);
		} else if (strcmp(name, "retry_delay") == 0) {
			if (notify_seconds(w, s, 1, &site->retry_delay,
			    cause) != 0)
				return (-1);
		} else if (strcmp(name, "max_retry_delay") == 0) {
			if (notify_seconds(w, s, 1, &site->max_retry_delay,
			    cause) != 0)
				return (-1);
		} else if (strcmp(name, "max_tries") == 0) {
			if (config_setting_type(s) != CONFIG_TYPE_INT ||
			    (l = config_setting_get_int(s)) < 1)
				return (notify_error(cause, w, s, "'max_tries' "
				    "must be an integer of at least 1"));
			site->max_tries = (int)l;
		} else
			return (notify_error(cause, w, s, "unknown key '%s' "
			    "(known: group_window, retry_delay, "
			    "max_retry_delay, max_tries)", name));
	}
	return (0);
}

/*
 * Read 'channels', 'notify' and 'secrets_file' from the root of updraft.conf
 * into cfg->notify (left NULL when there are no channels). The secrets file
 * holds the same 'channels' group, with the keys best kept out of a file
 * everyone reads (url, password, ...), merged over the config's.
 */
int
notify_config_parse(struct config *cfg, const config_setting_t *root,
    char **cause)
{
	struct notify_site	*site;
	struct notify_channel	*ch;
	struct notify_where	 w, sw;
	const config_setting_t	*chans, *s, *sec = NULL, *sg;
	config_t		 lc;
	char			*prefix = NULL;
	int			 i, n, rc = -1, have_lc = 0;

	site = xcalloc(1, sizeof *site);
	site->group_window = 30;
	site->retry_delay = 5;
	site->max_retry_delay = 600;
	site->max_tries = 30;
	w.file = cfg->file;
	w.prefix = "";

	if ((s = config_setting_get_member(root, "notify")) != NULL &&
	    notify_settings(site, &w, s, cause) != 0)
		goto out;
	if ((s = config_setting_get_member(root, "secrets_file")) != NULL) {
		if (config_setting_get_string(s) == NULL) {
			notify_error(cause, &w, s, "'secrets_file' must be a "
			    "string");
			goto out;
		}
		site->secrets_file = notify_secrets_path(cfg,
		    config_setting_get_string(s));
		config_init(&lc);
		have_lc = 1;
		if (notify_read_secrets(site->secrets_file, &lc, cause) != 0)
			goto out;
		sec = config_lookup(&lc, "channels");
	}
	sw.file = site->secrets_file;
	chans = config_setting_get_member(root, "channels");
	if (chans != NULL && config_setting_type(chans) != CONFIG_TYPE_GROUP) {
		notify_error(cause, &w, chans, "'channels' must be a group: "
		    "channels = { NAME = { type = ...; }; }");
		goto out;
	}
	n = chans != NULL ? config_setting_length(chans) : 0;
	site->channels = xcalloc(n > 0 ? n : 1, sizeof *site->channels);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(chans, i);
		ch = &site->channels[site->nchannels++];
		ch->name = xstrdup(config_setting_name(s));
		ch->timeout = 20;
		free(prefix);
		xasprintf(&prefix, "channel '%s': ", ch->name);
		w.prefix = sw.prefix = prefix;
		if (notify_channel_apply(&w, s, ch, cause) != 0)
			goto out;
		if (sec != NULL &&
		    (sg = config_setting_get_member(sec, ch->name)) != NULL &&
		    notify_channel_apply(&sw, sg, ch, cause) != 0)
			goto out;
		if (ch->events == 0) {
			for (size_t k = 0; k < NOTIFY_NEVENTS; k++)
				if (notify_events[k].fallback)
					ch->events |= notify_events[k].bit;
		}
		if (notify_channel_check(&w, s, ch, cause) != 0)
			goto out;
	}
	/* A secret for a channel that does not exist is a typo. */
	for (i = 0; sec != NULL && i < config_setting_length(sec); i++) {
		s = config_setting_get_elem(sec, i);
		if (!notify_channel_known(&(struct config){ .notify = site },
		    config_setting_name(s))) {
			sw.prefix = "";
			notify_error(cause, &sw, s, "secrets for channel '%s', "
			    "which updraft.conf does not define",
			    config_setting_name(s));
			goto out;
		}
	}
	rc = 0;

out:
	free(prefix);
	if (have_lc)
		config_destroy(&lc);
	if (rc == 0 && site->nchannels > 0)
		cfg->notify = site;
	else
		notify_site_free(site);
	return (rc);
}
