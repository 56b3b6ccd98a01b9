/* Delivering notifications through libcurl (and local commands). */

/*
 * The scheduler's loop drives this: notify_step() never blocks. It starts
 * up to NOTIFY_MAX_XFERS messages from the outbox at once with curl's multi
 * interface (commands are forked and reaped without waiting), and
 * notify_wait() is where the loop sleeps: on curl's sockets and the
 * scheduler's own wake-up descriptor together. Each delivery has a
 * timeout; a failure puts its batch back in the outbox for a later try.
 * Only this file includes curl/curl.h.
 *
 * The binary is not linked against libcurl: its 30 or so shared objects
 * (TLS, Kerberos, LDAP...) would cost every command, `updraft --version`
 * included, about 4 ms of start-up. notify_curl_load() opens it with
 * dlopen() when the first webhook or mail is sent; commands never need it.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include "config.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "notify.h"
#include "output.h"

#define NOTIFY_MAX_XFERS	8
#define NOTIFY_LOOK_MS		250	/* between looks at the outbox */
#define NOTIFY_RESPONSE		300	/* bytes of a reply kept for errors */

/* One message on its way: an HTTP POST, a mail, or a child process. */
struct notify_xfer {
	struct notify_xfer		*next;
	const struct notify_channel	*ch;	/* only while starting */
	char				*name;	/* the channel's, kept: a */
	char				*argv0;	/* reload frees the config */
	enum notify_type		 type;
	long				 timeout;
	int64_t				 lead;	/* outbox batch; 0: a test */
	int				 slot;	/* a test's result */
	int				 count;
	char				*payload;
	size_t				 len;
	size_t				 off;	/* sent so far (mail, stdin) */
	CURL				*easy;
	struct curl_slist		*headers;
	struct curl_slist		*rcpt;
	char				 errbuf[CURL_ERROR_SIZE];
	char				 response[NOTIFY_RESPONSE + 1];
	size_t				 rlen;
	pid_t				 pid;	/* command: 0 once reaped */
	int				 fd;	/* its stdin; -1 when closed */
	int64_t				 deadline_ms;
};

struct notify {
	const struct config	*cfg;
	struct store		*st;		/* NULL for `notify test` */
	CURLM			*multi;
	struct notify_xfer	*xfers;
	int			 nxfers;
	int			 ncommands;
	int64_t			 next_look_ms;
	int64_t			 next_prune;
	char			**results;	/* `notify test`: per slot */
	int			 pending_tests;
};

#ifndef LIBCURL_SONAME
#define LIBCURL_SONAME	"libcurl.so.4"
#endif

/* The libcurl functions we call, found by notify_curl_load(). */
static struct {
	int		  loaded;
	CURLcode	(*global_init)(long);
	curl_version_info_data *(*version_info)(CURLversion);
	CURL		*(*easy_init)(void);
	CURLcode	(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	(*easy_getinfo)(CURL *, CURLINFO, ...);
	void		(*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		(*slist_free_all)(struct curl_slist *);
	CURLM		*(*multi_init)(void);
	CURLMcode	(*multi_add_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_perform)(CURLM *, int *);
	CURLMsg		*(*multi_info_read)(CURLM *, int *);
	CURLMcode	(*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int,
			    int, int *);
	CURLMcode	(*multi_cleanup)(CURLM *);
} lc;

/* The library to open: UPDRAFT_LIBCURL, or the soname configure found. */
static const char *
notify_curl_soname(void)
{
	const char	*s = getenv("UPDRAFT_LIBCURL");

	return (s != NULL && *s != '\0' ? s : LIBCURL_SONAME);
}

/*
 * Open libcurl and initialise it, once: 0, or -1 with *cause (and then
 * nothing is kept, so that a later delivery tries again).
 */
static int
notify_curl_load(char **cause)
{
#define LC_SYM(f)	{ "curl_" #f, (void **)&lc.f }
	static const struct {
		const char	 *name;
		void		**slot;
	} syms[] = {
		LC_SYM(global_init), LC_SYM(version_info), LC_SYM(easy_init),
		LC_SYM(easy_setopt), LC_SYM(easy_getinfo),
		LC_SYM(easy_cleanup), LC_SYM(easy_strerror),
		LC_SYM(slist_append), LC_SYM(slist_free_all),
		LC_SYM(multi_init), LC_SYM(multi_add_handle),
		LC_SYM(multi_remove_handle), LC_SYM(multi_perform),
		LC_SYM(multi_info_read), LC_SYM(multi_poll),
		LC_SYM(multi_cleanup),
	};
#undef LC_SYM
	const char	*soname = notify_curl_soname();
	void		*h;
	size_t		 i;

	if (lc.loaded)
		return (0);
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		xasprintf(cause, "cannot load libcurl, which webhooks and mail "
		    "need: %s (install the Debian package libcurl4, or set "
		    "UPDRAFT_LIBCURL)", dlerror());
		return (-1);
	}
	for (i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		if ((*syms[i].slot = dlsym(h, syms[i].name)) == NULL) {
			xasprintf(cause, "cannot load libcurl: '%s' has no "
			    "%s (libcurl 7.68 or later is needed)", soname,
			    syms[i].name);
			dlclose(h);
			return (-1);
		}
	}
	if (lc.global_init(CURL_GLOBAL_DEFAULT) != 0) {
		xasprintf(cause, "cannot initialise libcurl ('%s')", soname);
		dlclose(h);
		return (-1);
	}
	lc.loaded = 1;	/* never closed: curl keeps global state */
	return (0);
}

/* libcurl's version if loaded, else the one built against and its name. */
const char *
notify_library_version(void)
{
	static char	*v;

	if (lc.loaded)
		return (lc.version_info(CURLVERSION_NOW)->version);
	if (v == NULL)
		xasprintf(&v, "%s (%s, loaded when a notification is sent)",
		    LIBCURL_VERSION, notify_curl_soname());
	return (v);
}

static int64_t
notify_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* What a message of count events of one kind is called. */
static char *
notify_title(const struct notify_batch *b)
{
	const char	*k = b->kind, *d = b->dag_id != NULL ? b->dag_id : "?";
	char		*t;

	if (b->count <= 1 && b->nitems > 0)
		return (xstrdup(b->items[0].summary));
	if (strcmp(k, "task_failed") == 0)
		xasprintf(&t, "%d tasks failed in dag '%s'", b->count, d);
	else if (strcmp(k, "task_retry") == 0)
		xasprintf(&t, "%d task tries failed in dag '%s' (to be "
		    "retried)", b->count, d);
	else if (strcmp(k, "run_failed") == 0)
		xasprintf(&t, "%d runs of dag '%s' failed", b->count, d);
	else if (strcmp(k, "run_success") == 0)
		xasprintf(&t, "%d runs of dag '%s' succeeded", b->count, d);
	else if (strcmp(k, "sla_miss") == 0)
		xasprintf(&t, "dag '%s' is late for %d intervals", d, b->count);
	else if (strcmp(k, "dag_error") == 0)
		xasprintf(&t, "%d dag files failed to load", b->count);
	else
		xasprintf(&t, "%d %s events", b->count, k);
	return (t);
}

/*
 * The message for people: the title, then each listed event's summary,
 * where to look, and its log's last lines (fenced for Markdown readers,
 * indented for mail).
 */
static char *
notify_text(const struct notify_batch *b, const char *title, int markdown)
{
	const struct notify_item	*it;
	FILE				*f;
	char				*buf = NULL;
	const char			*p, *nl;
	size_t				 len = 0, i;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "%s\n", title);
	for (i = 0; i < b->nitems; i++) {
		it = &b->items[i];
		fputc('\n', f);
		if (b->count > 1)
			fprintf(f, "- %s\n", it->summary);
		if (it->detail != NULL && *it->detail != '\0')
			fprintf(f, "%s\n", it->detail);
		if (it->log_tail == NULL)
			continue;
		fprintf(f, "last lines of the log:\n%s", markdown ? "```\n" :
		    "");
		for (p = it->log_tail; *p != '\0'; p = nl + (*nl != '\0')) {
			nl = p + strcspn(p, "\n");
			fprintf(f, "%s%.*s\n", markdown ? "" : "    ",
			    (int)(nl - p), p);
		}
		if (markdown)
			fputs("```\n", f);
	}
	if ((size_t)b->count > b->nitems)
		fprintf(f, "\n... and %zu more (updraft notify outbox --all)\n",
		    (size_t)b->count - b->nitems);
	fclose(f);
	return (buf);
}

/* Updraft's own JSON body: see updraft.conf(5) for the schema. */
static char *
notify_json_body(const struct notify_batch *b, const char *title,
    const char *text)
{
	struct output_json	 j;
	FILE			*f;
	char			*buf = NULL;
	size_t			 len = 0, i;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	output_json_init(&j, f);
	output_json_open(&j, NULL, '{');
	output_json_int(&j, "version", 1);
	output_json_str(&j, "channel", b->channel);
	output_json_str(&j, "kind", b->kind);
	output_json_str(&j, "dag_id", b->dag_id);
	output_json_int(&j, "count", b->count);
	output_json_str(&j, "title", title);
	output_json_str(&j, "text", text);
	output_json_open(&j, "events", '[');
	for (i = 0; i < b->nitems; i++)
		output_json_raw(&j, NULL, b->items[i].event);
	output_json_close(&j);
	output_json_int(&j, "omitted", (size_t)b->count > b->nitems ?
	    (int64_t)((size_t)b->count - b->nitems) : 0);
	output_json_close(&j);
	fclose(f);
	return (buf);
}

/* Text with LF line ends made CRLF, as SMTP wants. */
static void
notify_crlf(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			fputc('\r', f);
		fputc(*s, f);
	}
}

static char *
notify_mail(const struct notify_channel *ch, const struct notify_batch *b,
    const char *title, const char *text)
{
	FILE		*f;
	char		*buf = NULL, date[64];
	size_t		 len = 0, i;
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "From: %s\r\nTo: ", ch->from);
	for (i = 0; ch->to[i] != NULL; i++)
		fprintf(f, "%s%s", i > 0 ? ", " : "", ch->to[i]);
	/* A title is one line; keep the subject short and on it. */
	fprintf(f, "\r\nSubject: [updraft] %.*s\r\n", (int)strcspn(title,
	    "\r\n") > 180 ? 180 : (int)strcspn(title, "\r\n"), title);
	fprintf(f, "Date: %s\r\nMessage-ID: <updraft.%lld.%lld@%s>\r\n", date,
	    (long long)b->lead, (long long)now, ch->server);
	fprintf(f, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	    "X-Updraft-Kind: %s\r\n", b->kind);
	if (b->dag_id != NULL)
		fprintf(f, "X-Updraft-Dag: %s\r\n", b->dag_id);
	fprintf(f, "X-Updraft-Count: %d\r\n\r\n", b->count);
	notify_crlf(f, text);
	fclose(f);
	return (buf);
}

/* The bytes a channel sends for a batch, in its format. */
static char *
notify_payload(const struct notify_channel *ch, const struct notify_batch *b)
{
	struct output_json	 j;
	FILE			*f;
	char			*title, *text, *out = NULL;
	size_t			 len = 0;
	int			 md;

	md = ch->type == NOTIFY_WEBHOOK && ch->format != NOTIFY_FORMAT_JSON;
	title = notify_title(b);
	text = notify_text(b, title, md);
	if (ch->type == NOTIFY_EMAIL)
		out = notify_mail(ch, b, title, text);
	else if (ch->type == NOTIFY_COMMAND || ch->format == NOTIFY_FORMAT_JSON)
		out = notify_json_body(b, title, text);
	else {
		if ((f = open_memstream(&out, &len)) == NULL)
			fatal("open_memstream");
		output_json_init(&j, f);
		output_json_open(&j, NULL, '{');
		if (ch->format == NOTIFY_FORMAT_TEAMS) {
			output_json_str(&j, "@type", "MessageCard");
			output_json_str(&j, "@context",
			    "https://schema.org/extensions");
			output_json_str(&j, "themeColor", "D70000");
			output_json_str(&j, "summary", title);
			output_json_str(&j, "title", title);
		}
		output_json_str(&j, "text", text);
		output_json_close(&j);
		fclose(f);
	}
	free(title);
	free(text);
	return (out);
}

static size_t
notify_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct notify_xfer	*x = arg;
	size_t			 n = size * nmemb, room;

	room = NOTIFY_RESPONSE - x->rlen;
	if (room > n)
		room = n;
	memcpy(x->response + x->rlen, data, room);
	x->rlen += room;
	x->response[x->rlen] = '\0';
	return (n);
}

static size_t
notify_read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct notify_xfer	*x = arg;
	size_t			 n = size * nmemb;

	if (n > x->len - x->off)
		n = x->len - x->off;
	memcpy(buf, x->payload + x->off, n);
	x->off += n;
	return (n);
}

static void
notify_xfer_free(struct notify *n, struct notify_xfer *x)
{
	if (x->easy != NULL) {
		lc.multi_remove_handle(n->multi, x->easy);
		lc.easy_cleanup(x->easy);
	}
	if (x->headers != NULL)
		lc.slist_free_all(x->headers);
	if (x->rcpt != NULL)
		lc.slist_free_all(x->rcpt);
	if (x->fd != -1)
		close(x->fd);
	if (x->pid > 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
		n->ncommands--;
	}
	free(x->payload);
	free(x->name);
	free(x->argv0);
	free(x);
}

/* Set up the curl handle of a webhook or a mail; -1 with *cause. */
static int
notify_start_curl(struct notify_xfer *x, char **cause)
{
	const struct notify_channel	*ch = x->ch;
	CURL				*c;
	char				*url, **h;
	size_t				 i;

	if ((c = x->easy = lc.easy_init()) == NULL) {
		*cause = xstrdup("cannot start a curl transfer");
		return (-1);
	}
	lc.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	lc.easy_setopt(c, CURLOPT_TIMEOUT_MS, ch->timeout * 1000L);
	lc.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (ch->timeout < 10 ? ch->timeout : 10) * 1000L);
	lc.easy_setopt(c, CURLOPT_PRIVATE, x);
	lc.easy_setopt(c, CURLOPT_USERAGENT, "updraft/" PACKAGE_VERSION);
	if (ch->type == NOTIFY_WEBHOOK) {
#if LIBCURL_VERSION_NUM >= 0x075500
		lc.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
		lc.easy_setopt(c, CURLOPT_PROTOCOLS,
		    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
		lc.easy_setopt(c, CURLOPT_URL, ch->url);
		x->headers = lc.slist_append(NULL,
		    "Content-Type: application/json");
		for (h = ch->headers; h != NULL && *h != NULL; h++)
			x->headers = lc.slist_append(x->headers, *h);
		lc.easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
		lc.easy_setopt(c, CURLOPT_POSTFIELDS, x->payload);
		lc.easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)x->len);
		lc.easy_setopt(c, CURLOPT_WRITEFUNCTION, notify_write_cb);
		lc.easy_setopt(c, CURLOPT_WRITEDATA, x);
		return (0);
	}
	xasprintf(&url, "%s://%s:%d", ch->tls == NOTIFY_TLS_SMTPS ? "smtps" :
	    "smtp", ch->server, ch->port);
	lc.easy_setopt(c, CURLOPT_URL, url);
	free(url);
	lc.easy_setopt(c, CURLOPT_USE_SSL, ch->tls == NOTIFY_TLS_NONE ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	if (ch->username != NULL)
		lc.easy_setopt(c, CURLOPT_USERNAME, ch->username);
	if (ch->password != NULL)
		lc.easy_setopt(c, CURLOPT_PASSWORD, ch->password);
	lc.easy_setopt(c, CURLOPT_MAIL_FROM, ch->from);
	for (i = 0; ch->to[i] != NULL; i++)
		x->rcpt = lc.slist_append(x->rcpt, ch->to[i]);
	lc.easy_setopt(c, CURLOPT_MAIL_RCPT, x->rcpt);
	lc.easy_setopt(c, CURLOPT_UPLOAD, 1L);
	lc.easy_setopt(c, CURLOPT_READFUNCTION, notify_read_cb);
	lc.easy_setopt(c, CURLOPT_READDATA, x);
	lc.easy_setopt(c, CURLOPT_INFILESIZE, (long)x->len);
	return (0);
}

/*
 * Start a command: its argv run directly (no shell), the JSON body written
 * to its stdin as it reads, its stdout dropped, its stderr the scheduler's.
 */
static int
notify_start_command(struct notify_xfer *x, char **cause)
{
	int	 fds[2], null;
	pid_t	 pid;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		if ((null = open("/dev/null", O_WRONLY)) != -1)
			dup2(null, STDOUT_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execvp(x->ch->argv[0], x->ch->argv);
		fprintf(stderr, "updraft: notify: cannot run '%s': %s\n",
		    x->ch->argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	x->fd = fds[1];
	fcntl(x->fd, F_SETFL, fcntl(x->fd, F_GETFL) | O_NONBLOCK);
	x->pid = pid;
	x->deadline_ms = notify_mono_ms() + x->ch->timeout * 1000;
	return (0);
}

/* Load libcurl and start n's multi handle, if not yet: 0, or -1 with *cause. */
static int
notify_curl_multi(struct notify *n, char **cause)
{
	if (n->multi != NULL)
		return (0);
	if (notify_curl_load(cause) != 0)
		return (-1);
	if ((n->multi = lc.multi_init()) == NULL) {
		*cause = xstrdup("cannot initialise libcurl");
		return (-1);
	}
	return (0);
}

/* Send batch b through ch; a test's slot, or -1. 0, or -1 with *cause. */
static int
notify_start(struct notify *n, const struct notify_channel *ch,
    const struct notify_batch *b, int slot, char **cause)
{
	struct notify_xfer	*x;

	x = xcalloc(1, sizeof *x);
	x->ch = ch;
	x->name = xstrdup(ch->name);
	x->argv0 = xstrdup(ch->argv != NULL ? ch->argv[0] : "");
	x->type = ch->type;
	x->timeout = ch->timeout;
	x->lead = b->lead;
	x->slot = slot;
	x->count = b->count;
	x->fd = -1;
	x->payload = notify_payload(ch, b);
	x->len = strlen(x->payload);
	if (ch->type == NOTIFY_COMMAND) {
		if (notify_start_command(x, cause) != 0) {
			notify_xfer_free(n, x);
			return (-1);
		}
		n->ncommands++;
	} else if (notify_curl_multi(n, cause) != 0 ||
	    notify_start_curl(x, cause) != 0 ||
	    lc.multi_add_handle(n->multi, x->easy) != CURLM_OK) {
		if (*cause == NULL)
			*cause = xstrdup("cannot add a curl transfer");
		notify_xfer_free(n, x);
		return (-1);
	}
	x->next = n->xfers;
	n->xfers = x;
	n->nxfers++;
	return (0);
}

/* How a message went: error NULL is delivered. */
static void
notify_done(struct notify *n, struct notify_xfer *x, const char *error,
    int64_t now)
{
	struct notify_xfer	**pp;

	if (x->lead != 0 && n->st != NULL) {
		if (store_notify_result(n->st, x->lead, error, now,
		    n->cfg->notify) != 0)
			log_warnx("database: %s", store_error(n->st));
		if (error != NULL)
			log_warnx("notify: channel '%s': %s; the message "
			    "stays in the outbox", x->name, error);
		else
			log_info("notify: channel '%s': sent %d event%s",
			    x->name, x->count, x->count == 1 ? "" : "s");
	}
	if (n->results != NULL && x->slot >= 0) {
		n->results[x->slot] = xstrdup(error != NULL ? error : "ok");
		n->pending_tests--;
	}
	for (pp = &n->xfers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	}
	n->nxfers--;
	n->next_look_ms = 0;
	notify_xfer_free(n, x);
}

/* Finish what curl finished. */
static void
notify_reap_curl(struct notify *n, int64_t now)
{
	struct notify_xfer	*x;
	CURLMsg			*m;
	char			*error = NULL;
	long			 code = 0;
	int			 left;

	while ((m = lc.multi_info_read(n->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		lc.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		    (char **)&x);
		lc.easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE,
		    &code);
		if (m->data.result != CURLE_OK)
			xasprintf(&error, "%s", *x->errbuf != '\0' ? x->errbuf :
			    lc.easy_strerror(m->data.result));
		else if (x->type == NOTIFY_WEBHOOK &&
		    (code < 200 || code > 299))
			xasprintf(&error, "HTTP %ld: %.*s", code,
			    (int)strcspn(x->response, "\r\n"), x->response);
		notify_done(n, x, error, now);
		free(error);
		error = NULL;
	}
}

/* Feed and reap the commands, killing those past their timeout. */
static void
notify_reap_commands(struct notify *n, int64_t now)
{
	struct notify_xfer	*x, *next;
	char			*error = NULL;
	ssize_t			 w;
	pid_t			 pid;
	int			 status;

	for (x = n->xfers; x != NULL; x = next) {
		next = x->next;
		if (x->type != NOTIFY_COMMAND)
			continue;
		while (x->fd != -1 && x->off < x->len) {
			w = write(x->fd, x->payload + x->off, x->len - x->off);
			if (w > 0)
				x->off += w;
			else {
				if (w == -1 && errno == EAGAIN)
					break;
				x->off = x->len;	/* it will not read */
			}
		}
		if (x->fd != -1 && x->off == x->len) {
			close(x->fd);
			x->fd = -1;
		}
		pid = waitpid(x->pid, &status, WNOHANG);
		if (pid == 0 && notify_mono_ms() < x->deadline_ms)
			continue;
		if (pid == 0) {
			xasprintf(&error, "'%s' did not finish in %lds: killed",
			    x->argv0, x->timeout);
		} else {
			x->pid = 0;
			n->ncommands--;
			if (pid == -1)
				xasprintf(&error, "waitpid: %s",
				    strerror(errno));
			else if (WIFSIGNALED(status))
				xasprintf(&error, "'%s' was killed by signal "
				    "%d", x->argv0, WTERMSIG(status));
			else if (WEXITSTATUS(status) != 0)
				xasprintf(&error, "'%s' exited with status %d",
				    x->argv0, WEXITSTATUS(status));
		}
		notify_done(n, x, error, now);
		free(error);
		error = NULL;
	}
}

/* Claim due batches from the outbox and start them. */
static void
notify_start_due(struct notify *n, int64_t now)
{
	const struct notify_channel	*ch;
	struct notify_batch		 b;
	int64_t				*ids;
	size_t				 nids, i;
	char				*cause = NULL;
	int				 rc;

	if (store_notify_due(n->st, now, NOTIFY_MAX_XFERS - n->nxfers, &ids,
	    &nids) != 0) {
		log_warnx("database: %s", store_error(n->st));
		return;
	}
	for (i = 0; i < nids && n->nxfers < NOTIFY_MAX_XFERS; i++) {
		if ((rc = store_notify_claim(n->st, ids[i], now, &b)) != 1) {
			if (rc < 0)
				log_warnx("database: %s", store_error(n->st));
			continue;
		}
		if ((ch = notify_channel_find(n->cfg, b.channel)) == NULL) {
			xasprintf(&cause, "no channel '%s' in updraft.conf",
			    b.channel);
			log_warnx("notify: %s: dropping its messages", cause);
			if (store_notify_result(n->st, b.lead, cause, now,
			    NULL) != 0)
				log_warnx("database: %s", store_error(n->st));
		} else if (notify_start(n, ch, &b, -1, &cause) != 0) {
			log_warnx("notify: channel '%s': %s", ch->name, cause);
			if (store_notify_result(n->st, b.lead, cause, now,
			    n->cfg->notify) != 0)
				log_warnx("database: %s", store_error(n->st));
		}
		free(cause);
		cause = NULL;
		notify_batch_clear(&b);
	}
	free(ids);
}

/*
 * Move deliveries on without blocking: finish what is done, start what is
 * due (at most NOTIFY_MAX_XFERS at once). now is the scheduler's clock.
 */
void
notify_step(struct notify *n, int64_t now)
{
	int	running;
	int64_t	mono;

	if (n == NULL)
		return;
	if (n->multi != NULL) {
		lc.multi_perform(n->multi, &running);
		notify_reap_curl(n, now);
	}
	if (n->ncommands > 0)
		notify_reap_commands(n, now);
	if (n->st == NULL)
		return;
	mono = notify_mono_ms();
	if (n->nxfers < NOTIFY_MAX_XFERS && mono >= n->next_look_ms) {
		n->next_look_ms = mono + NOTIFY_LOOK_MS;
		notify_start_due(n, now);
		if (n->multi != NULL)
			lc.multi_perform(n->multi, &running);
	}
	if (now >= n->next_prune) {
		if (store_notify_prune(n->st, now) != 0)
			log_warnx("database: %s", store_error(n->st));
		n->next_prune = now + 3600;
	}
}

/*
 * Sleep up to ms for curl's sockets, fd (the scheduler's wake-up
 * descriptor, or -1) or the next message due. 1 if fd is readable.
 */
int
notify_wait(struct notify *n, int fd, int ms, int64_t now)
{
	struct curl_waitfd	extra;
	struct pollfd		pfd;
	int64_t			next, left;

	if (n->nxfers == 0 && n->st != NULL &&
	    store_notify_next(n->st, &next) == 1) {
		left = (next - now) * 1000;
		if (left < NOTIFY_LOOK_MS)
			left = NOTIFY_LOOK_MS;
		if (left < ms)
			ms = (int)left;
	}
	if (n->ncommands > 0 && ms > 50)
		ms = 50;
	if (n->multi == NULL) {
		/* No webhook or mail sent yet: libcurl is not loaded. */
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, fd != -1 ? 1 : 0, ms) == -1)
			return (0);
		return (fd != -1 && (pfd.revents & POLLIN) != 0);
	}
	memset(&extra, 0, sizeof extra);
	extra.fd = fd;
	extra.events = CURL_WAIT_POLLIN;
	if (lc.multi_poll(n->multi, fd != -1 ? &extra : NULL,
	    fd != -1 ? 1 : 0, ms, NULL) != CURLM_OK)
		poll(NULL, 0, ms);
	return (fd != -1 && (extra.revents & CURL_WAIT_POLLIN) != 0);
}

/* Drive deliveries for up to ms, or until none is in flight or due. */
void
notify_flush(struct notify *n, int ms)
{
	int64_t	end = notify_mono_ms() + ms, left;

	if (n == NULL)
		return;
	for (;;) {
		n->next_look_ms = 0;
		notify_step(n, time(NULL));
		if (n->nxfers == 0 || (left = end - notify_mono_ms()) <= 0)
			break;
		notify_wait(n, -1, left > 100 ? 100 : (int)left, time(NULL));
	}
}

/* Set up delivery; st NULL for sends outside the outbox (tests). */
struct notify *
notify_init(const struct config *cfg, struct store *st)
{
	struct notify	*n;

	/* A command that exits before reading its stdin is not our death. */
	signal(SIGPIPE, SIG_IGN);
	n = xcalloc(1, sizeof *n);
	n->cfg = cfg;
	n->st = st;
	if (st != NULL)
		if (store_notify_recover(st) != 0)
			log_warnx("database: %s", store_error(st));
	return (n);
}

/* Stop: what is in flight is dropped and goes out again next time. */
void
notify_free(struct notify *n)
{
	struct notify_xfer	*x;

	if (n == NULL)
		return;
	while ((x = n->xfers) != NULL) {
		n->xfers = x->next;
		notify_xfer_free(n, x);
	}
	if (n->st != NULL)
		if (store_notify_recover(n->st) != 0)
			log_warnx("database: %s", store_error(n->st));
	if (n->multi != NULL)
		lc.multi_cleanup(n->multi);
	free(n);
}

/*
 * Send a test event through every channel (or the one named only), now,
 * outside the outbox. *results gets one allocated line per channel of
 * cfg->notify, in order: "ok" or the error (NULL for channels not tried).
 * 0 when every channel tried worked, 1 if one did not, -1 with no channel.
 */
int
notify_test(const struct config *cfg, const char *only, int64_t now,
    char ***results)
{
	struct notify		*n;
	struct notify_batch	 b;
	struct notify_item	 it;
	const struct notify_channel *ch;
	size_t			 i, nch;
	char			*cause;
	int			 rc = 0, tried = 0;

	*results = NULL;
	if (cfg->notify == NULL)
		return (-1);
	nch = cfg->notify->nchannels;
	n = notify_init(cfg, NULL);
	n->results = xcalloc(nch, sizeof *n->results);
	notify_test_item(cfg, now, &it);
	memset(&b, 0, sizeof b);
	b.kind = (char *)"test";
	b.count = 1;
	b.items = &it;
	b.nitems = 1;
	for (i = 0; i < nch; i++) {
		ch = &cfg->notify->channels[i];
		if (only != NULL && strcmp(only, ch->name) != 0)
			continue;
		tried++;
		b.channel = ch->name;
		cause = NULL;
		if (notify_start(n, ch, &b, (int)i, &cause) != 0)
			n->results[i] = cause;
		else
			n->pending_tests++;
	}
	while (n->pending_tests > 0) {
		notify_wait(n, -1, 100, now);
		notify_step(n, now);
	}
	for (i = 0; i < nch; i++) {
		if (n->results[i] != NULL && strcmp(n->results[i], "ok") != 0)
			rc = 1;
	}
	*results = n->results;
	n->results = NULL;
	free(it.summary);
	free(it.detail);
	free(it.event);
	notify_free(n);
	return (tried == 0 ? -1 : rc);
}
