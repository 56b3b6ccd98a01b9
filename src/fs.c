/* Which kind of filesystem a path is on, for what SQLite can trust there. */

/*
 * SQLite's WAL mode needs shared memory between the processes using a
 * database: that never holds across the hosts of a network filesystem, so
 * there the database keeps a rollback journal. A rollback journal in turn
 * needs POSIX (fcntl) locks that every host sees. Whether it gets them
 * depends on the filesystem and on how it was mounted:
 *
 *   NFS       locks go through lockd (v3) or the protocol (v4), unless
 *             mounted "nolock" or "local_lock=posix|all": then they are
 *             local to each client.
 *   Lustre    cluster-wide with "flock" (the default since 2.12); local
 *             with "localflock"; refused with "noflock".
 *   GPFS      (IBM Spectrum Scale) cluster-wide, always.
 *   CephFS    cluster-wide, always.
 *   BeeGFS    local to each client unless the client sets
 *             tuneUseGlobalFileLocks, which no mount option shows: we
 *             cannot know, so we do not trust them.
 *   FUSE      (sshfs and friends) the kernel keeps locks on this host
 *             unless the daemon implements them; sshfs does not.
 *   CIFS, AFS and the rest: not to be trusted.
 *
 * statfs(2) tells the kind by its magic number (linux/magic.h, and the
 * vendors' sources for Lustre, GPFS and BeeGFS), /proc/self/mounts the
 * options. Where locks cannot be trusted, only the scheduler writes the
 * database (spool.c).
 */

#include <sys/stat.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "updraft.h"

/* How far each kind's locks go, before its mount options have their say. */
enum fs_rule {
	FS_RULE_TRUSTED,
	FS_RULE_UNTRUSTED,
	FS_RULE_NFS,		/* trusted unless nolock, local_lock */
	FS_RULE_LUSTRE,		/* trusted unless localflock, noflock */
};

static const struct {
	uint64_t	 magic;
	const char	*name;
	enum fs_rule	 rule;
} fs_kinds[] = {
	{ 0x6969, "NFS", FS_RULE_NFS },
	{ 0x0bd00bd0, "Lustre", FS_RULE_LUSTRE },
	{ 0x47504653, "GPFS", FS_RULE_TRUSTED },	/* "GPFS" */
	{ 0x00c36400, "CephFS", FS_RULE_TRUSTED },
	{ 0x19830326, "BeeGFS", FS_RULE_UNTRUSTED },
	{ 0x65735546, "FUSE", FS_RULE_UNTRUSTED },	/* sshfs and friends */
	{ 0xff534d42, "CIFS", FS_RULE_UNTRUSTED },
	{ 0xfe534d42, "SMB2", FS_RULE_UNTRUSTED },
	{ 0x013111a8, "IBRIX", FS_RULE_UNTRUSTED },
	{ 0x6b414653, "AFS", FS_RULE_UNTRUSTED },	/* kAFS */
	{ 0x5346414f, "AFS", FS_RULE_UNTRUSTED },	/* OpenAFS */
};

/* Whether the comma-separated mount options hold opt (or opt=...). */
static int
fs_has_option(const char *options, const char *opt)
{
	const char	*p = options;
	size_t		 len = strlen(opt);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, opt, len) == 0 &&
		    (p[len] == ',' || p[len] == '\0' || p[len] == '='))
			return (1);
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return (0);
}

/*
 * Classify a filesystem by its statfs magic and its mount options (NULL if
 * unknown): fill fi with its name (NULL for a local disk) and whether its
 * locks can be trusted, with the reason when not. Pure: no system calls.
 */
void
fs_classify(uint64_t magic, const char *options, struct fs_info *fi)
{
	size_t	i;

	memset(fi, 0, sizeof *fi);
	fi->locks_trusted = 1;
	for (i = 0; i < sizeof fs_kinds / sizeof fs_kinds[0]; i++) {
		if (fs_kinds[i].magic == magic)
			break;
	}
	if (i == sizeof fs_kinds / sizeof fs_kinds[0])
		return;
	fi->name = fs_kinds[i].name;
	if (options == NULL)
		options = "";
	switch (fs_kinds[i].rule) {
	case FS_RULE_TRUSTED:
		break;
	case FS_RULE_UNTRUSTED:
		fi->locks_trusted = 0;
		fi->why = "its locks do not reach other hosts";
		break;
	case FS_RULE_NFS:
		if (fs_has_option(options, "nolock")) {
			fi->locks_trusted = 0;
			fi->why = "mounted with nolock";
		} else if (fs_has_option(options, "local_lock") &&
		    !strstr(options, "local_lock=none")) {
			fi->locks_trusted = 0;
			fi->why = "mounted with local_lock";
		}
		break;
	case FS_RULE_LUSTRE:
		if (fs_has_option(options, "localflock")) {
			fi->locks_trusted = 0;
			fi->why = "mounted with localflock";
		} else if (fs_has_option(options, "noflock")) {
			fi->locks_trusted = 0;
			fi->why = "mounted with noflock";
		}
		break;
	}
}

/* The options of the mount that holds dir (a real path), allocated. */
static char *
fs_mount_options(const char *dir)
{
	FILE		*f;
	struct mntent	*m;
	char		*best = NULL;
	size_t		 bestlen = 0, len;

	if ((f = setmntent("/proc/self/mounts", "r")) == NULL)
		return (NULL);
	while ((m = getmntent(f)) != NULL) {
		len = strlen(m->mnt_dir);
		if (strncmp(dir, m->mnt_dir, len) != 0 ||
		    (len > 1 && dir[len] != '/' && dir[len] != '\0'))
			continue;
		if (best == NULL || len >= bestlen) {
			free(best);
			best = xstrdup(m->mnt_opts);
			bestlen = len;
		}
	}
	endmntent(f);
	return (best);
}

/*
 * Try a POSIX lock on a scratch file in dir: where the filesystem refuses
 * locks outright (ENOLCK from an NFS client without lockd, ENOSYS from
 * Lustre's noflock), SQLite could not lock either. 0 if it worked.
 */
static int
fs_try_lock(const char *dir)
{
	struct flock	 fl;
	char		*path;
	int		 fd, rc = 0, saved;

	xasprintf(&path, "%s/.lock-probe.%ld", dir, (long)getpid());
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		free(path);
		return (0);	/* SQLite will say what is wrong */
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == -1) {
		saved = errno;
		rc = saved == ENOLCK || saved == ENOSYS ||
		    saved == EOPNOTSUPP || saved == EINVAL ? -1 : 0;
	}
	close(fd);
	unlink(path);
	free(path);
	return (rc);
}

/*
 * Look at the filesystem holding dir: fi as fs_classify fills it, the
 * mount options from /proc/self/mounts, and a lock tried there. A dir
 * that cannot be examined counts as a local disk.
 */
void
fs_probe(const char *dir, struct fs_info *fi)
{
	struct statfs	 sb;
	char		 real[PATH_MAX], *options;

	char		*at, *slash;

	memset(fi, 0, sizeof *fi);
	fi->locks_trusted = 1;
	/* Not created yet: its nearest existing parent says where it will be. */
	at = xstrdup(dir);
	while (statfs(at, &sb) != 0) {
		if (errno != ENOENT || (slash = strrchr(at, '/')) == NULL ||
		    slash == at) {
			free(at);
			return;
		}
		*slash = '\0';
	}
	options = realpath(at, real) != NULL ? fs_mount_options(real) :
	    NULL;
	fs_classify((uint64_t)(unsigned long)sb.f_type, options, fi);
	free(options);
	if (fi->name != NULL && fi->locks_trusted && fs_try_lock(at) != 0) {
		fi->locks_trusted = 0;
		fi->why = "it refuses POSIX locks";
	}
	free(at);
}

/*
 * Make dir and its parents, 0700: what Updraft keeps is its user's alone
 * (safefile.c). 0 or -1 with errno.
 */
int
fs_mkdirs(const char *dir)
{
	char	*copy, *p;
	int	 rc = 0;

	/* Mostly it is there already: one call, not one per component. */
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return (0);
	copy = xstrdup(dir);
	for (p = copy + 1; *p != '\0' && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(copy, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(copy);
	return (rc);
}
