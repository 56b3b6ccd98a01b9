/* updraft site: one scheduler for each member of site_group, as that user. */

/*
 * The privileged part is small on purpose, like OpenBSD's cron and ntpd:
 * root reads its own configuration and the user database, and starts
 * processes. It never opens, stats or parses anything a user controls. A
 * child becomes the user (initgroups, setgid, setuid) before it touches
 * the user's home: the log file, the DAGs and the state are the business
 * of the user's own `updraft scheduler`, exactly as when they run it.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "site.h"

/* What a child's PATH is, whoever started the supervisor. */
#define SITE_PATH	"/usr/local/bin:/usr/bin:/bin"
/* A scheduler that lived this long was fine: its backoff starts again. */
#define SITE_HEALTHY	60
#define SITE_MAX_DELAY	300
/* How long SIGTERM may take before SIGKILL (systemd waits 120 s). */
#define SITE_STOP_WAIT	100

static volatile sig_atomic_t site_stop;
static volatile sig_atomic_t site_reload;
static volatile sig_atomic_t site_chld;

static void
site_signal(int sig)
{
	if (sig == SIGHUP)
		site_reload = 1;
	else if (sig == SIGCHLD)
		site_chld = 1;
	else
		site_stop = 1;
}

/* The handler of every signal the supervisor acts on. */
static void
site_handlers(void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int64_t
site_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec);
}

static int
site_cmp_members(const void *a, const void *b)
{
	return (strcmp(((const struct site_member *)a)->name,
	    ((const struct site_member *)b)->name));
}

static void
site_member_clear(struct site_member *m)
{
	free(m->name);
	free(m->home);
	free(m->shell);
	memset(m, 0, sizeof *m);
}

/* Add pw to the list unless a member of that name is there already. */
static void
site_add_member(struct site_member **m, size_t *n, const struct passwd *pw)
{
	struct site_member	*sm;
	size_t			 i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*m)[i].name, pw->pw_name) == 0)
			return;
	}
	*m = xreallocarray(*m, *n + 1, sizeof **m);
	sm = &(*m)[(*n)++];
	memset(sm, 0, sizeof *sm);
	sm->name = xstrdup(pw->pw_name);
	sm->uid = pw->pw_uid;
	sm->gid = pw->pw_gid;
	sm->home = xstrdup(pw->pw_dir != NULL ? pw->pw_dir : "");
	sm->shell = xstrdup(pw->pw_shell != NULL && *pw->pw_shell != '\0' ?
	    pw->pw_shell : "/bin/sh");
}

/*
 * The members of group, sorted by name: those it lists, and the users
 * whose primary group it is. Root, and a listed name the user database
 * does not know, are left out with a warning. -1 with a cause when there
 * is no such group.
 */
int
site_members(const char *group, struct site_member **out, size_t *nout,
    char **cause)
{
	struct group		*gr;
	struct passwd		*pw;
	struct site_member	*m = NULL;
	char			**names = NULL;
	size_t			 n = 0, nnames = 0, i;
	gid_t			 gid;

	*out = NULL;
	*nout = 0;
	errno = 0;
	if ((gr = getgrnam(group)) == NULL) {
		xasprintf(cause, "no group '%s': create it (groupadd %s) and "
		    "add the users to schedule, or set site_group", group,
		    group);
		return (-1);
	}
	gid = gr->gr_gid;
	/* getpwnam may reuse getgrnam's buffers: copy the names first. */
	for (i = 0; gr->gr_mem != NULL && gr->gr_mem[i] != NULL; i++) {
		names = xreallocarray(names, nnames + 1, sizeof *names);
		names[nnames++] = xstrdup(gr->gr_mem[i]);
	}
	for (i = 0; i < nnames; i++) {
		if ((pw = getpwnam(names[i])) == NULL)
			log_warnx("site: group '%s' lists '%s', who is not a "
			    "known user", group, names[i]);
		else
			site_add_member(&m, &n, pw);
		free(names[i]);
	}
	free(names);
	setpwent();
	while ((pw = getpwent()) != NULL) {
		if (pw->pw_gid == gid)
			site_add_member(&m, &n, pw);
	}
	endpwent();
	for (i = 0; i < n; i++) {
		if (m[i].uid != 0)
			continue;
		log_warnx("site: not starting a scheduler for '%s': uid 0",
		    m[i].name);
		site_member_clear(&m[i]);
		m[i--] = m[--n];
	}
	if (n > 1)
		qsort(m, n, sizeof *m, site_cmp_members);
	*out = m;
	*nout = n;
	return (0);
}

void
site_members_free(struct site_member *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		site_member_clear(&m[i]);
	free(m);
}

/* Add NAME=value to a NULL-terminated list. */
static void
site_env_add(char ***env, size_t *n, const char *name, const char *value)
{
	*env = xreallocarray(*env, *n + 2, sizeof **env);
	xasprintf(&(*env)[(*n)++], "%s=%s", name, value);
	(*env)[*n] = NULL;
}

/*
 * A member's environment: what a login gives (HOME, USER, LOGNAME, SHELL),
 * a fixed PATH, and the site_env variables the supervisor has. Nothing
 * else of root's reaches the user's scheduler, or their jobs.
 */
static char **
site_env(const struct site *s, const struct site_member *m)
{
	char		**env = NULL, **p;
	const char	 *v;
	size_t		  n = 0;

	site_env_add(&env, &n, "HOME", m->home);
	site_env_add(&env, &n, "USER", m->name);
	site_env_add(&env, &n, "LOGNAME", m->name);
	site_env_add(&env, &n, "SHELL", m->shell);
	site_env_add(&env, &n, "PATH", SITE_PATH);
	for (p = s->cfg.site_env; p != NULL && *p != NULL; p++) {
		if (strcmp(*p, "HOME") == 0 || strcmp(*p, "USER") == 0 ||
		    strcmp(*p, "LOGNAME") == 0 || strcmp(*p, "SHELL") == 0 ||
		    strcmp(*p, "PATH") == 0)
			continue;
		if ((v = getenv(*p)) != NULL)
			site_env_add(&env, &n, *p, v);
	}
	return (env);
}

static void
site_free_list(char **list)
{
	char	**p;

	for (p = list; p != NULL && *p != NULL; p++)
		free(*p);
	free(list);
}

/* In the child: say why it cannot go on, on the supervisor's stderr. */
__attribute__((noreturn)) static void
site_child_fail(const struct site_member *m, const char *what)
{
	dprintf(STDERR_FILENO, "updraft: site: %s: %s: %s\n", m->name, what,
	    strerror(errno));
	_exit(127);
}

/*
 * In the child, as root still: become the member for good, then, as the
 * member, send stdout and stderr to ~/updraft/scheduler.log and run argv.
 */
__attribute__((noreturn)) static void
site_child(const struct site_member *m, char **argv, char **env)
{
	sigset_t		 none;
	char			*dir, *log;
	long			 max;
	int			 fd;

	site_handlers(SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();	/* a terminal's ^C is the supervisor's to pass on */

	if ((fd = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1)
		site_child_fail(m, "cannot open /dev/null");
	if (initgroups(m->name, m->gid) != 0)
		site_child_fail(m, "initgroups");
	if (setgid(m->gid) != 0)
		site_child_fail(m, "setgid");
	if (setuid(m->uid) != 0)
		site_child_fail(m, "setuid");
	if (getuid() != m->uid || geteuid() != m->uid ||
	    getgid() != m->gid || getegid() != m->gid || setuid(0) == 0) {
		errno = EPERM;
		site_child_fail(m, "still privileged after setuid");
	}

	/* From here on, as the member. */
	if (chdir(m->home) != 0 && chdir("/") != 0)
		site_child_fail(m, "chdir");
	xasprintf(&dir, "%s/updraft", m->home);
	xasprintf(&log, "%s/scheduler.log", dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		dprintf(STDERR_FILENO, "updraft: site: %s: cannot create "
		    "'%s': %s\n", m->name, dir, strerror(errno));
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
	    O_NOCTTY | O_CLOEXEC, 0600)) == -1)
		dprintf(STDERR_FILENO, "updraft: site: %s: cannot open '%s': "
		    "%s; its scheduler logs here\n", m->name, log,
		    strerror(errno));
	else if (dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		site_child_fail(m, "dup2");
	/* What the supervisor inherited stays with it (closefrom is new). */
	max = sysconf(_SC_OPEN_MAX);
	for (fd = STDERR_FILENO + 1; fd < (max > 0 && max < 65536 ? max :
	    65536); fd++)
		close(fd);
	execve(argv[0], argv, env);
	site_child_fail(m, "cannot run the scheduler");
}

/* Start m's scheduler (one pass with once): 0, or -1 if fork failed. */
static int
site_spawn(struct site *s, struct site_member *m, int once)
{
	char	*argv[8], **env;
	int	 argc = 0;
	pid_t	 pid;

	argv[argc++] = s->exe;
	if (s->verbose)
		argv[argc++] = (char *)"-v";
	if (s->config_file != NULL) {
		argv[argc++] = (char *)"-c";
		argv[argc++] = (char *)s->config_file;
	}
	argv[argc++] = (char *)"scheduler";
	if (once)
		argv[argc++] = (char *)"--once";
	argv[argc] = NULL;
	env = site_env(s, m);

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		log_warn("site: cannot start the scheduler of '%s'", m->name);
		site_free_list(env);
		m->restart_at = once ? 0 : site_now() + 10;
		return (-1);
	}
	if (pid == 0)
		site_child(m, argv, env);
	site_free_list(env);
	m->pid = pid;
	m->started = site_now();
	m->restart_at = 0;
	if (!once)
		log_info("site: started the scheduler of '%s' (uid %lu, pid "
		    "%ld)", m->name, (unsigned long)m->uid, (long)pid);
	return (0);
}

/* How a child ended, in words: "exited with status 1", "killed by 9". */
static void
site_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d",
		    WTERMSIG(status));
	else
		snprintf(buf, len, "ended (status %#x)", (unsigned int)status);
}

/*
 * One pass of each member's scheduler, one member after the other, as
 * that member. The number of passes that failed (they are logged).
 */
int
site_once(struct site *s)
{
	struct site_member	*m;
	char			 how[64];
	size_t			 i;
	int			 status, failed = 0;

	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (site_spawn(s, m, 1) != 0) {
			failed++;
			continue;
		}
		while (waitpid(m->pid, &status, 0) == -1 && errno == EINTR)
			;
		m->pid = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		site_status(status, how, sizeof how);
		log_warnx("site: the pass of '%s' %s (see ~%s/updraft/"
		    "scheduler.log)", m->name, how, m->name);
		failed++;
	}
	return (failed);
}

static struct site_member *
site_by_pid(struct site *s, pid_t pid)
{
	size_t	i;

	for (i = 0; i < s->nmembers; i++) {
		if (s->members[i].pid == pid)
			return (&s->members[i]);
	}
	return (NULL);
}

/* Drop the members that left the group and whose scheduler has ended. */
static void
site_prune(struct site *s)
{
	size_t	i, j = 0;

	for (i = 0; i < s->nmembers; i++) {
		if (s->members[i].gone && s->members[i].pid == 0) {
			site_member_clear(&s->members[i]);
			continue;
		}
		s->members[j++] = s->members[i];
	}
	s->nmembers = j;
}

/*
 * Collect the schedulers that ended. One that should still run is started
 * again after a backoff: 1 s, doubled each time it ends within a minute of
 * its start, at most five minutes.
 */
static void
site_reap(struct site *s)
{
	struct site_member	*m;
	char			 how[64];
	pid_t			 pid;
	int			 status;
	int64_t			 now = site_now();

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((m = site_by_pid(s, pid)) == NULL)
			continue;
		m->pid = 0;
		site_status(status, how, sizeof how);
		if (m->gone || site_stop) {
			log_info("site: the scheduler of '%s' (pid %ld) %s",
			    m->name, (long)pid, how);
			continue;
		}
		if (now - m->started >= SITE_HEALTHY || m->delay == 0)
			m->delay = 1;
		else if ((m->delay *= 2) > SITE_MAX_DELAY)
			m->delay = SITE_MAX_DELAY;
		m->restart_at = now + m->delay;
		log_warnx("site: the scheduler of '%s' (pid %ld) %s after "
		    "%llds; starting it again in %ds", m->name, (long)pid,
		    how, (long long)(now - m->started), m->delay);
	}
	site_prune(s);
}

/*
 * SIGHUP: read the configuration and the group again. Members who left
 * are stopped, new ones started; a scheduler that runs is left alone.
 */
static void
site_reconfigure(struct site *s)
{
	struct config		 cfg;
	struct site_member	*now, *m;
	size_t			 nnow, i, j;
	char			*cause;

	if (config_load_site(&cfg, s->config_file, &cause) != 0) {
		log_warnx("site: reload: %s; keeping the configuration", cause);
		free(cause);
	} else {
		config_free(&s->cfg);
		s->cfg = cfg;
	}
	if (site_members(s->cfg.site_group, &now, &nnow, &cause) != 0) {
		log_warnx("site: reload: %s; keeping the members", cause);
		free(cause);
		return;
	}
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < nnow; j++) {
			if (strcmp(now[j].name, m->name) == 0 &&
			    now[j].uid == m->uid && now[j].gid == m->gid &&
			    strcmp(now[j].home, m->home) == 0)
				break;
		}
		if (j < nnow || m->gone)
			continue;
		m->gone = 1;
		log_info("site: '%s' left group '%s': stopping their "
		    "scheduler", m->name, s->cfg.site_group);
		if (m->pid != 0)
			kill(m->pid, SIGTERM);
	}
	for (j = 0; j < nnow; j++) {
		for (i = 0; i < s->nmembers; i++) {
			if (!s->members[i].gone &&
			    strcmp(now[j].name, s->members[i].name) == 0)
				break;
		}
		if (i < s->nmembers)
			continue;
		s->members = xreallocarray(s->members, s->nmembers + 1,
		    sizeof *s->members);
		m = &s->members[s->nmembers++];
		*m = now[j];
		memset(&now[j], 0, sizeof now[j]);
		log_info("site: '%s' joined group '%s'", m->name,
		    s->cfg.site_group);
		site_spawn(s, m, 0);
	}
	site_members_free(now, nnow);
	site_prune(s);
}

/* SIGTERM to every scheduler; wait for them, SIGKILL after a while. */
static void
site_shutdown(struct site *s, const sigset_t *unblocked)
{
	struct timespec	ts = { 1, 0 };
	int64_t		deadline = site_now() + SITE_STOP_WAIT;
	size_t		i, left;

	for (i = 0; i < s->nmembers; i++) {
		if (s->members[i].pid != 0)
			kill(s->members[i].pid, SIGTERM);
	}
	for (;;) {
		site_reap(s);
		for (i = left = 0; i < s->nmembers; i++)
			left += s->members[i].pid != 0;
		if (left == 0)
			break;
		if (site_now() >= deadline) {
			for (i = 0; i < s->nmembers; i++) {
				if (s->members[i].pid == 0)
					continue;
				log_warnx("site: the scheduler of '%s' did "
				    "not stop: killing it", s->members[i].name);
				kill(s->members[i].pid, SIGKILL);
			}
			deadline = site_now() + SITE_STOP_WAIT;
		}
		ppoll(NULL, 0, &ts, unblocked);
	}
}

/*
 * The supervisor: a scheduler for each member, each started again with a
 * backoff when it ends, members read again on SIGHUP, all stopped on
 * SIGTERM. 0 when stopped, -1 with a cause if it could not start.
 */
int
site_run(struct site *s, char **cause)
{
	struct timespec		 ts;
	sigset_t		 block, unblocked;
	int64_t			 now, next;
	size_t			 i;

	*cause = NULL;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGCHLD);
	sigdelset(&unblocked, SIGHUP);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	site_handlers(site_signal);

	log_info("site: started (pid %ld, group '%s', %zu member%s)",
	    (long)getpid(), s->cfg.site_group, s->nmembers,
	    s->nmembers == 1 ? "" : "s");
	for (i = 0; i < s->nmembers; i++)
		site_spawn(s, &s->members[i], 0);
	while (!site_stop) {
		if (site_chld) {
			site_chld = 0;
			site_reap(s);
		}
		if (site_reload) {
			site_reload = 0;
			site_reconfigure(s);
		}
		now = site_now();
		next = 0;
		for (i = 0; i < s->nmembers; i++) {
			if (s->members[i].pid != 0 || s->members[i].gone ||
			    s->members[i].restart_at == 0)
				continue;
			if (s->members[i].restart_at <= now)
				site_spawn(s, &s->members[i], 0);
			else if (next == 0 || s->members[i].restart_at < next)
				next = s->members[i].restart_at;
		}
		if (site_stop || site_chld || site_reload)
			continue;
		ts.tv_sec = next != 0 ? next - now : 3600;
		ts.tv_nsec = 0;
		ppoll(NULL, 0, &ts, &unblocked);
	}
	log_info("site: stopping %zu scheduler%s", s->nmembers,
	    s->nmembers == 1 ? "" : "s");
	site_shutdown(s, &unblocked);
	log_info("site: stopped");
	return (0);
}

void
site_free(struct site *s)
{
	site_members_free(s->members, s->nmembers);
	free(s->exe);
	config_free(&s->cfg);
	memset(s, 0, sizeof *s);
}
