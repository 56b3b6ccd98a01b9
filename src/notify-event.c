/* Events: what happened, said for people and programs, into the outbox. */

/*
 * These run inside the scheduler's pass, so they only write rows: one per
 * event and channel that wants it. Delivery is notify.c's, later. An
 * event that may come in floods (task failures of a backfill) waits out
 * the site's group_window, so that the rows of the same channel, kind and
 * DAG that follow go out with it in one message.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"
#include "output.h"
#include "safefile.h"
#include "state.h"

#define NOTIFY_TAIL_LINES	20
#define NOTIFY_TAIL_BYTES	4096

/* An event in our terms, before it becomes text. */
struct notify_ev {
	int		 bit;
	const char	*dag_id;
	const char	*run_id;
	const char	*task_id;
	int64_t		 logical;	/* 0: none */
	int		 try_number;	/* 0: none */
	int		 max_tries;
	const char	*state;
	int64_t		 job_id;	/* 0: none */
	const char	*node;
	const char	*partition;
	int		 has_exit_code;
	int		 exit_code;
	const char	*reason;
	char		*log_path;
	char		*log_tail;
	char		*look;		/* the updraft command to look further */
	char		*summary;
	char		*detail;
};

static const char *
notify_host(void)
{
	static char	host[256];

	if (*host == '\0' && gethostname(host, sizeof host - 1) != 0)
		snprintf(host, sizeof host, "unknown");
	return (host);
}

/*
 * The last lines of a log, or NULL if it cannot be read or is empty. Only
 * a regular file of our own uid is read: a symbolic link planted as the log
 * must not bring another file's text into a message.
 */
static char *
notify_tail(const char *path)
{
	FILE	*f;
	char	 buf[NOTIFY_TAIL_BYTES + 1], *p;
	long	 size;
	size_t	 len;
	int	 lines = 0;

	if ((f = safefile_fopen(path, SAFEFILE_MINE, 0, NULL)) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > NOTIFY_TAIL_BYTES)
		fseek(f, size - NOTIFY_TAIL_BYTES, SEEK_SET);
	else
		rewind(f);
	len = fread(buf, 1, NOTIFY_TAIL_BYTES, f);
	fclose(f);
	buf[len] = '\0';
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len == 0)
		return (NULL);
	for (p = buf + len; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == NOTIFY_TAIL_LINES)
			break;
	}
	return (xstrdup(p));
}

/* A word a shell reads back as itself. */
char *
notify_quote(const char *s)
{
	const char	*p;
	char		*out, *o;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
	    "NOPQRSTUVWXYZ0123456789_-+.:,/@=%") == strlen(s))
		return (xstrdup(s));
	out = o = xmalloc(strlen(s) * 4 + 3);
	*o++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return (out);
}

/* A number of an event, or null where has is 0. */
static void
notify_json_int(struct output_json *j, const char *key, int64_t value,
    int has)
{
	if (has)
		output_json_int(j, key, value);
	else
		output_json_null(j, key);
}

/* The event as the JSON object of the documented schema. */
static char *
notify_json(const struct notify_ev *ev, int64_t now)
{
	struct output_json	 j;
	FILE			*f;
	char			*buf = NULL;
	size_t			 len = 0;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	output_json_init(&j, f);
	j.newline = 0;
	output_json_open(&j, NULL, '{');
	output_json_str(&j, "kind", notify_event_name(ev->bit));
	output_json_at(&j, "time", now);
	output_json_str(&j, "host", notify_host());
	output_json_str(&j, "summary", ev->summary);
	output_json_str(&j, "dag_id", ev->dag_id);
	output_json_str(&j, "run_id", ev->run_id);
	output_json_str(&j, "task_id", ev->task_id);
	output_json_at(&j, "logical_date", ev->logical);
	notify_json_int(&j, "try_number", ev->try_number, ev->try_number > 0);
	notify_json_int(&j, "max_tries", ev->max_tries, ev->try_number > 0);
	output_json_str(&j, "state", ev->state);
	notify_json_int(&j, "job_id", ev->job_id, ev->job_id != 0);
	output_json_str(&j, "node", ev->node);
	output_json_str(&j, "partition", ev->partition);
	notify_json_int(&j, "exit_code", ev->exit_code, ev->has_exit_code);
	output_json_str(&j, "reason", ev->reason);
	output_json_str(&j, "log_path", ev->log_path);
	output_json_str(&j, "log_tail", ev->log_tail);
	output_json_str(&j, "look", ev->look);
	output_json_close(&j);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return (buf);
}

/* The lines under the summary: where and how to look. */
static char *
notify_detail(const struct notify_ev *ev)
{
	FILE	*f;
	char	*buf = NULL, logical[40];
	size_t	 len = 0;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	if (ev->dag_id != NULL && ev->run_id != NULL) {
		fprintf(f, "dag: %s, run: %s", ev->dag_id, ev->run_id);
		if (ev->task_id != NULL)
			fprintf(f, ", task: %s", ev->task_id);
		if (ev->try_number > 0)
			fprintf(f, ", try %d of %d", ev->try_number,
			    ev->max_tries);
		fputc('\n', f);
	}
	if (ev->logical != 0) {
		tz_format(NULL, ev->logical, logical, sizeof logical);
		fprintf(f, "logical date: %s\n", logical);
	}
	if (ev->job_id != 0) {
		fprintf(f, "Slurm job %lld", (long long)ev->job_id);
		if (ev->node != NULL)
			fprintf(f, " on node %s", ev->node);
		if (ev->partition != NULL)
			fprintf(f, " (partition %s)", ev->partition);
		fputc('\n', f);
	}
	if (ev->reason != NULL)
		fprintf(f, "reason: %s\n", ev->reason);
	if (ev->log_path != NULL)
		fprintf(f, "log: %s\n", ev->log_path);
	if (ev->look != NULL)
		fprintf(f, "look: %s\n", ev->look);
	if (fclose(f) != 0)
		fatal("open_memstream");
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return (buf);
}

/* Whether an event of this kind waits for others to group with. */
static int
notify_groups(int bit)
{
	return ((bit & (NOTIFY_DAG_EVENTS | NOTIFY_DAG_ERROR)) != 0);
}

/*
 * Whether channel ch hears an event of kind bit about dag (and task): a
 * task's 'notify' over its DAG's over the channel's own events.
 */
static int
notify_hears(const struct notify_channel *ch, const struct dag *dag,
    const struct task *task, int bit)
{
	char	**list = NULL;
	int	  events = 0;
	size_t	  i;

	if (dag != NULL) {
		list = dag->notify.channels;
		events = dag->notify.events;
	}
	if (task != NULL && task->notify.channels != NULL)
		list = task->notify.channels;
	if (task != NULL && task->notify.events != 0)
		events = task->notify.events;
	if (list != NULL) {
		for (i = 0; list[i] != NULL; i++) {
			if (strcmp(list[i], ch->name) == 0)
				break;
		}
		if (list[i] == NULL)
			return (0);
	}
	return (((events != 0 ? events : ch->events) & bit) != 0);
}

static int
notify_anyone(const struct config *cfg, const struct dag *dag,
    const struct task *task, int bit)
{
	size_t	i;

	if (cfg->notify == NULL)
		return (0);
	for (i = 0; i < cfg->notify->nchannels; i++) {
		if (notify_hears(&cfg->notify->channels[i], dag, task, bit))
			return (1);
	}
	return (0);
}

/* Write the event into the outbox of every channel that hears it. */
static void
notify_emit(struct store *st, const struct config *cfg, const struct dag *dag,
    const struct task *task, struct notify_ev *ev, int64_t now)
{
	const struct notify_channel	*ch;
	struct notify_item		 it;
	int64_t				 next_at;
	size_t				 i;

	memset(&it, 0, sizeof it);
	it.summary = ev->summary;
	it.detail = notify_detail(ev);
	it.log_tail = ev->log_tail;
	it.event = notify_json(ev, now);
	next_at = now + (notify_groups(ev->bit) ? cfg->notify->group_window :
	    0);
	for (i = 0; i < cfg->notify->nchannels; i++) {
		ch = &cfg->notify->channels[i];
		if (notify_hears(ch, dag, task, ev->bit))
			if (store_notify_add(st, ch->name,
			    notify_event_name(ev->bit), ev->dag_id, now,
			    next_at, &it) != 0)
				log_warnx("database: %s", store_error(st));
	}
	free(it.detail);
	free(it.event);
	free(ev->log_path);
	free(ev->log_tail);
	free(ev->look);
	free(ev->summary);
}

/*
 * A try ended badly: ti is failed (for good) or up_for_retry. Anything else
 * is not news.
 */
void
notify_task_event(struct store *st, const struct config *cfg,
    const struct dag *dag, const struct run *r, const struct task *task,
    const struct ti *ti, int64_t now)
{
	struct notify_ev	 ev;
	char			*q[3];

	memset(&ev, 0, sizeof ev);
	if (strcmp(ti->state, "failed") == 0)
		ev.bit = NOTIFY_TASK_FAILED;
	else if (strcmp(ti->state, "up_for_retry") == 0)
		ev.bit = NOTIFY_TASK_RETRY;
	else
		return;
	if (!notify_anyone(cfg, dag, task, ev.bit))
		return;
	ev.dag_id = r->dag_id;
	ev.run_id = r->run_id;
	ev.task_id = ti->task_id;
	ev.logical = r->logical_date;
	ev.try_number = ti->try_number;
	ev.max_tries = ti->max_tries;
	ev.state = ti->state;
	ev.job_id = ti->job_id;
	ev.node = ti->node;
	ev.partition = ti->partition;
	ev.has_exit_code = ti->has_exit_code;
	ev.exit_code = ti->exit_code;
	ev.reason = ti->reason;
	if (ti->try_number > 0) {
		xasprintf(&ev.log_path, "%s/logs/%s/%s/%s.%d.log",
		    cfg->state_dir, r->dag_id, r->run_id, ti->task_id,
		    ti->try_number);
		ev.log_tail = notify_tail(ev.log_path);
		q[0] = notify_quote(r->dag_id);
		q[1] = notify_quote(r->run_id);
		q[2] = notify_quote(ti->task_id);
		xasprintf(&ev.look, "updraft logs %s %s %s --try %d", q[0],
		    q[1], q[2], ti->try_number);
		free(q[0]);
		free(q[1]);
		free(q[2]);
	}
	if (ev.bit == NOTIFY_TASK_FAILED)
		xasprintf(&ev.summary, "task '%s' of dag '%s' failed: %s",
		    ti->task_id, r->dag_id, ti->reason != NULL ? ti->reason :
		    "no reason given");
	else
		xasprintf(&ev.summary, "task '%s' of dag '%s' failed try %d "
		    "of %d (%s); it will be retried", ti->task_id, r->dag_id,
		    ti->try_number, ti->max_tries, ti->reason != NULL ?
		    ti->reason : "no reason given");
	notify_emit(st, cfg, dag, task, &ev, now);
}

/* A run ended: failed, or (for those who asked) succeeded. */
void
notify_run_event(struct store *st, const struct config *cfg,
    const struct dag *dag, const struct run *r, const struct ti *tis,
    size_t n, int64_t now)
{
	struct notify_ev	 ev;
	FILE			*f;
	char			*failed = NULL, *q[2];
	size_t			 len = 0, i, nfailed = 0;

	memset(&ev, 0, sizeof ev);
	ev.bit = strcmp(r->state, "success") == 0 ? NOTIFY_RUN_SUCCESS :
	    NOTIFY_RUN_FAILED;
	if (!notify_anyone(cfg, dag, NULL, ev.bit))
		return;
	if ((f = open_memstream(&failed, &len)) == NULL)
		fatal("open_memstream");
	for (i = 0; i < n; i++) {
		if (!state_is_failed(tis[i].state))
			continue;
		fprintf(f, "%s%s (%s)", nfailed > 0 ? ", " : "",
		    tis[i].task_id, tis[i].state);
		nfailed++;
	}
	fclose(f);
	ev.dag_id = r->dag_id;
	ev.run_id = r->run_id;
	ev.logical = r->logical_date;
	ev.state = r->state;
	if (nfailed > 0)
		ev.reason = failed;
	q[0] = notify_quote(r->dag_id);
	q[1] = notify_quote(r->run_id);
	xasprintf(&ev.look, "updraft tasks %s %s", q[0], q[1]);
	free(q[0]);
	free(q[1]);
	if (ev.bit == NOTIFY_RUN_SUCCESS)
		xasprintf(&ev.summary, "run '%s' of dag '%s' succeeded",
		    r->run_id, r->dag_id);
	else
		xasprintf(&ev.summary, "run '%s' of dag '%s' failed: %zu of "
		    "%zu tasks did not succeed", r->run_id, r->dag_id, nfailed,
		    n);
	notify_emit(st, cfg, dag, NULL, &ev, now);
	free(failed);
}

/*
 * Once per pass and DAG with an 'sla': the latest interval that ended (was
 * due) more than sla ago must have a successful run, or it is late; each
 * late interval is told once.
 */
void
notify_sla_check(struct store *st, const struct config *cfg,
    const struct dag *dag, int64_t now)
{
	struct notify_ev	 ev;
	struct interval		 iv;
	struct run		 r;
	char			*key, logical[40], due[40], *q;
	int			 found, seen;

	if (dag->sla <= 0 || !notify_anyone(cfg, dag, NULL, NOTIFY_SLA_MISS))
		return;
	if (!timetable_latest(dag, dag->start_date, now - dag->sla, &iv))
		return;
	memset(&r, 0, sizeof r);
	found = store_run_at(st, dag->id, iv.logical, &r);
	if (found == 1 && strcmp(r.state, "success") == 0) {
		store_run_clear(&r);
		return;
	}
	tz_format(NULL, iv.logical, logical, sizeof logical);
	xasprintf(&key, "sla|%s|%s", dag->id, logical);
	if (found < 0 || (seen = store_notify_seen(st, key, now)) < 0)
		log_warnx("database: %s", store_error(st));
	free(key);
	if (found < 0 || seen != 0) {
		if (found == 1)
			store_run_clear(&r);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.bit = NOTIFY_SLA_MISS;
	ev.dag_id = dag->id;
	ev.logical = iv.logical;
	if (found == 1) {
		ev.run_id = r.run_id;
		ev.state = r.state;
	}
	tz_format(NULL, iv.due, due, sizeof due);
	xasprintf(&ev.summary, "dag '%s' is late: no success for %s, due at "
	    "%s, after its sla of %lds (%s)", dag->id, logical, due, dag->sla,
	    found == 1 ? r.state : "no run yet");
	q = notify_quote(dag->id);
	xasprintf(&ev.look, "updraft runs %s", q);
	free(q);
	notify_emit(st, cfg, dag, NULL, &ev, now);
	if (found == 1)
		store_run_clear(&r);
}

/*
 * The DAG files that failed to load in this pass: each distinct error is
 * told once, until it goes away (and is told again if it comes back).
 */
void
notify_dag_errors(struct store *st, const struct config *cfg,
    char *const *errors, size_t n, int64_t now)
{
	struct notify_ev	 ev;
	char			*key;
	size_t			 i, len;

	if (cfg->notify == NULL)
		return;
	for (i = 0; i < n; i++) {
		xasprintf(&key, "dag_error|%s", errors[i]);
		if (store_notify_seen(st, key, now) == 0 &&
		    notify_anyone(cfg, NULL, NULL, NOTIFY_DAG_ERROR)) {
			memset(&ev, 0, sizeof ev);
			ev.bit = NOTIFY_DAG_ERROR;
			ev.reason = errors[i];
			len = strcspn(errors[i], "\n");
			xasprintf(&ev.summary, "a dag file failed to load: %.*s%s",
			    (int)len, errors[i], errors[i][len] != '\0' ?
			    " (and more)" : "");
			ev.look = xstrdup("updraft check");
			notify_emit(st, cfg, NULL, NULL, &ev, now);
		}
		free(key);
	}
	/* Errors not seen in this pass are gone: forget them. */
	if (store_notify_forget(st, "dag_error|", now) != 0)
		log_warnx("database: %s", store_error(st));
}

/* The scheduler paused a DAG, for reason (max_catchup_runs). */
void
notify_dag_paused(struct store *st, const struct config *cfg,
    const struct dag *dag, const char *reason, int64_t now)
{
	struct notify_ev	 ev;

	if (!notify_anyone(cfg, dag, NULL, NOTIFY_DAG_PAUSED))
		return;
	memset(&ev, 0, sizeof ev);
	ev.bit = NOTIFY_DAG_PAUSED;
	ev.dag_id = dag->id;
	ev.reason = reason;
	xasprintf(&ev.summary, "dag '%s' was paused by the scheduler",
	    dag->id);
	/* The reason holds the backfill command to run. */
	ev.look = xstrdup("updraft list");
	notify_emit(st, cfg, dag, NULL, &ev, now);
}

/* The scheduler started or stopped, or lost Slurm (reason: why) or found it. */
void
notify_scheduler_event(struct store *st, const struct config *cfg, int bit,
    const char *reason, int64_t now)
{
	struct notify_ev	 ev;
	const char		*what;

	if (!notify_anyone(cfg, NULL, NULL, bit))
		return;
	memset(&ev, 0, sizeof ev);
	ev.bit = bit;
	ev.reason = reason;
	switch (bit) {
	case NOTIFY_STARTED:
		what = "the scheduler started";
		break;
	case NOTIFY_STOPPED:
		what = "the scheduler stopped";
		break;
	case NOTIFY_SLURM_LOST:
		what = "Slurm does not answer (runs wait, states are kept)";
		break;
	default:
		what = "Slurm answers again";
		break;
	}
	xasprintf(&ev.summary, "%s on %s%s%s", what, notify_host(),
	    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	notify_emit(st, cfg, NULL, NULL, &ev, now);
}

/* The event `updraft notify test` sends, filled into it. */
void
notify_test_item(const struct config *cfg, int64_t now,
    struct notify_item *it)
{
	struct notify_ev	ev;

	(void)cfg;
	memset(&ev, 0, sizeof ev);
	memset(it, 0, sizeof *it);
	ev.bit = NOTIFY_TEST;
	xasprintf(&ev.summary, "a test from updraft on %s: this channel "
	    "works", notify_host());
	ev.look = xstrdup("updraft notify outbox");
	it->created_at = now;
	it->summary = ev.summary;
	it->detail = notify_detail(&ev);
	it->event = notify_json(&ev, now);
	free(ev.look);
}
