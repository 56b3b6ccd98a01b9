/* Run each member of site_group's scheduler, as that member (root only). */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "site.h"

static int	cmd_site_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_site_opts[] = {
	{ "once", 'o', NULL, "one pass of each member's scheduler, then exit "
	    "(for cron)", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_site_entry = {
	.name = "site",
	.usage = "[--once]",
	.summary = "as root, run each member of site_group's scheduler as "
	    "that user",
	.help = "For a login node shared by many users. For each member of "
	    "the unix group\n"
	    "site_group (default 'updraft': the users it lists and those "
	    "whose primary\n"
	    "group it is) it starts 'updraft scheduler' as that user, in a "
	    "clean\n"
	    "environment (HOME, USER, LOGNAME, SHELL, PATH and the "
	    "variables named by\n"
	    "site_env), logging to ~/updraft/scheduler.log; it starts one "
	    "again, with a\n"
	    "backoff, when it ends. SIGHUP reads the configuration and the "
	    "group again;\n"
	    "SIGTERM stops every scheduler. --once makes one pass of each "
	    "member's\n"
	    "scheduler, one after the other, and exits 1 if one failed. The "
	    "settings come\n"
	    "from -c FILE (also given to each scheduler) or "
	    "/etc/updraft/updraft.conf.\n"
	    "Root reads nothing of a user's: each scheduler is the user's "
	    "own.\n",
	.opts = cmd_site_opts,
	.flags = 0,
	.exec = cmd_site_exec,
};

static int
cmd_site_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct site	 s;
	char		*cause, exe[PATH_MAX];
	ssize_t		 len;
	int		 ch, once = 0, rc;

	while ((ch = cmd_getopt(&cmd_site_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'o':
			once = 1;
			break;
		default:
			return (cmd_usage(&cmd_site_entry));
		}
	}
	if (optind != argc)
		return (cmd_usage(&cmd_site_entry));
	if (geteuid() != 0)
		return (cmd_error("site: only root can start other users' "
		    "schedulers; run 'updraft scheduler' as yourself"));
	if ((len = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return (cmd_error("site: cannot find this program: "
		    "/proc/self/exe"));
	exe[len] = '\0';

	memset(&s, 0, sizeof s);
	if (config_load_site(&s.cfg, ctx->config_file, &cause) != 0) {
		rc = cmd_error("%s", cause);
		free(cause);
		return (rc);
	}
	s.config_file = ctx->config_file;
	s.exe = xstrdup(exe);
	s.verbose = ctx->verbose;
	if (site_members(s.cfg.site_group, &s.members, &s.nmembers,
	    &cause) != 0) {
		rc = cmd_error("site: %s", cause);
		free(cause);
		site_free(&s);
		return (rc);
	}
	if (once)
		rc = site_once(&s) == 0 ? 0 : 1;
	else if ((rc = site_run(&s, &cause)) != 0) {
		rc = cmd_error("site: %s", cause);
		free(cause);
	}
	site_free(&s);
	return (rc);
}
