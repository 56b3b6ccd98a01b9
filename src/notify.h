/* Notifications: site channels, events into the outbox, their delivery. */

#ifndef NOTIFY_H
#define NOTIFY_H

#include "store.h"

enum notify_type {
	NOTIFY_WEBHOOK,		/* HTTP POST */
	NOTIFY_EMAIL,		/* SMTP */
	NOTIFY_COMMAND,		/* a local program, the event on stdin */
};

/* The body a webhook posts. */
enum notify_format {
	NOTIFY_FORMAT_JSON,	/* ours: see updraft.conf(5) */
	NOTIFY_FORMAT_SLACK,	/* {"text": ...} */
	NOTIFY_FORMAT_MATTERMOST,
	NOTIFY_FORMAT_TEAMS,	/* a MessageCard */
};

enum notify_tls {
	NOTIFY_TLS_NONE,
	NOTIFY_TLS_STARTTLS,
	NOTIFY_TLS_SMTPS,
};

/* One channel of updraft.conf's 'channels', its secrets merged in. */
struct notify_channel {
	char			 *name;
	enum notify_type	  type;
	int			  events;	/* NOTIFY_* bits it hears */
	long			  timeout;	/* seconds, per delivery */
	char			 *url;		/* webhook */
	enum notify_format	  format;
	char			**headers;	/* "Name: value", NULL-ended */
	char			 *server;	/* email */
	int			  port;
	enum notify_tls		  tls;
	char			 *from;
	char			**to;
	char			 *username;
	char			 *password;
	char			**argv;		/* command */
};

/* What updraft.conf says about notifications. */
struct notify_site {
	struct notify_channel	*channels;
	size_t			 nchannels;
	long			 group_window;	/* seconds */
	long			 retry_delay;	/* first retry; doubles */
	long			 max_retry_delay;
	int			 max_tries;
	char			*secrets_file;
};

const struct notify_channel *notify_channel_find(const struct config *,
	     const char *);
const char	*notify_event_name(int);
const char	*notify_type_name(enum notify_type);

/* One event as the outbox keeps it. */
struct notify_item {
	int64_t	 id;
	int64_t	 created_at;
	char	*event;		/* a JSON object */
	char	*summary;	/* one line */
	char	*detail;	/* lines: where to look; or NULL */
	char	*log_tail;	/* the last lines of the job's log; or NULL */
};

/* One message: the events of a channel, kind and DAG, grouped. */
struct notify_batch {
	int64_t			 lead;		/* outbox id; 0: not stored */
	char			*channel;
	char			*kind;
	char			*dag_id;	/* or NULL */
	int			 count;		/* events in the message */
	int			 tries;		/* before this one */
	struct notify_item	*items;		/* the first few, oldest first */
	size_t			 nitems;
};
#define NOTIFY_LISTED	10	/* events listed in a grouped message */

/* A row of `updraft notify outbox`. */
struct notify_row {
	int64_t	 id;
	char	*channel;
	char	*kind;
	char	*dag_id;
	char	*state;
	char	*summary;
	int	 tries;
	int64_t	 created_at;
	int64_t	 next_at;
	char	*last_error;
};

/* store-notify.c: the outbox and what was already said. */
int	 store_notify_add(struct store *, const char *, const char *,
	     const char *, int64_t, int64_t, const struct notify_item *);
int	 store_notify_seen(struct store *, const char *, int64_t);
int	 store_notify_forget(struct store *, const char *, int64_t);
int	 store_notify_recover(struct store *);
int	 store_notify_due(struct store *, int64_t, int, int64_t **, size_t *);
int	 store_notify_claim(struct store *, int64_t, int64_t,
	     struct notify_batch *);
int	 store_notify_result(struct store *, int64_t, const char *, int64_t,
	     const struct notify_site *);
int	 store_notify_next(struct store *, int64_t *);
int	 store_notify_prune(struct store *, int64_t);
int	 store_notify_list(struct store *, int, struct notify_row **, size_t *);
void	 store_notify_free_rows(struct notify_row *, size_t);
void	 notify_batch_clear(struct notify_batch *);

/* notify-event.c: events, written into the outbox in the scheduler's pass. */
void	 notify_task_event(struct store *, const struct config *,
	     const struct dag *, const struct run *, const struct task *,
	     const struct ti *, int64_t);
void	 notify_run_event(struct store *, const struct config *,
	     const struct dag *, const struct run *, const struct ti *, size_t,
	     int64_t);
void	 notify_sla_check(struct store *, const struct config *,
	     const struct dag *, int64_t);
void	 notify_dag_errors(struct store *, const struct config *,
	     char *const *, size_t, int64_t);
void	 notify_dag_paused(struct store *, const struct config *,
	     const struct dag *, const char *, int64_t);
void	 notify_scheduler_event(struct store *, const struct config *, int,
	     const char *, int64_t);
char	*notify_quote(const char *);
void	 notify_test_item(const struct config *, int64_t,
	     struct notify_item *);

/* notify.c: delivery, driven from the scheduler's loop. */
struct notify;
struct notify	*notify_init(const struct config *, struct store *);
void		 notify_free(struct notify *);
void		 notify_step(struct notify *, int64_t);
int		 notify_wait(struct notify *, int, int, int64_t);
void		 notify_flush(struct notify *, int);
int		 notify_test(const struct config *, const char *, int64_t,
		     char ***);

#endif
