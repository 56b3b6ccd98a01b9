/* The one logging funnel: stderr in the foreground, syslog when asked. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "escape.h"
#include "updraft.h"

static const char	*log_prefix = "updraft";
static int		 log_syslog;
static int		 log_verbose;

/*
 * Start logging as prefix; to syslog when use_syslog, and with debug
 * messages when verbose.
 */
void
log_open(const char *prefix, int use_syslog, int verbose)
{
	log_prefix = prefix;
	log_syslog = use_syslog;
	log_verbose = verbose;
	if (log_syslog)
		openlog(prefix, LOG_PID, LOG_DAEMON);
}

/*
 * Write one message. It does not use xmalloc.c, which calls fatalx() when
 * memory runs out: a message too long for the buffer is cut short.
 */
static void
log_vwrite(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	raw[8192], msg[8192];

	/* What users and jobs wrote must not act on a terminal: escaped. */
	vsnprintf(raw, sizeof raw, fmt, ap);
	escape_terminal_buf(raw, msg, sizeof msg, ESCAPE_KEEP_NEWLINE);
	if (log_syslog) {
		if (suffix != NULL)
			syslog(pri, "%s: %s", msg, suffix);
		else
			syslog(pri, "%s", msg);
	} else if (suffix != NULL)
		fprintf(stderr, "%s: %s: %s\n", log_prefix, msg, suffix);
	else
		fprintf(stderr, "%s: %s\n", log_prefix, msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	char	err[256];

	snprintf(err, sizeof err, "%s", strerror(errno));
	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	*err;

	err = strerror(errno);
	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
