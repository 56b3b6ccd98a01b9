/* Filesystem kinds: statfs magic and mount options to what SQLite can trust. */

#include "updraft.h"
#include "unit.h"

static const struct {
	uint64_t	 magic;
	const char	*options;
	const char	*name;		/* NULL: a local disk */
	int		 trusted;
	const char	*why;		/* NULL when trusted */
} rows[] = {
	/* Local disks: WAL, locks trusted. */
	{ 0xef53, "rw,relatime", NULL, 1, NULL },		/* ext4 */
	{ 0x58465342, "rw", NULL, 1, NULL },			/* XFS */
	{ 0x01021994, "rw", NULL, 1, NULL },			/* tmpfs */
	{ 0x794c7630, "rw", NULL, 1, NULL },			/* overlay */
	/* NFS: locks unless the mount keeps them on this client. */
	{ 0x6969, "rw,vers=4.2,hard,proto=tcp", "NFS", 1, NULL },
	{ 0x6969, "rw,vers=3,nolock,proto=tcp", "NFS", 0, "mounted with nolock" },
	{ 0x6969, "rw,vers=3,local_lock=posix", "NFS", 0,
	    "mounted with local_lock" },
	{ 0x6969, "rw,vers=3,local_lock=none", "NFS", 1, NULL },
	{ 0x6969, NULL, "NFS", 1, NULL },
	/* Lustre: flock is cluster-wide, localflock and noflock are not. */
	{ 0x0bd00bd0, "rw,flock,lazystatfs", "Lustre", 1, NULL },
	{ 0x0bd00bd0, "rw,localflock", "Lustre", 0, "mounted with localflock" },
	{ 0x0bd00bd0, "rw,noflock", "Lustre", 0, "mounted with noflock" },
	/* GPFS and CephFS: always cluster-wide. */
	{ 0x47504653, "rw,relatime", "GPFS", 1, NULL },
	{ 0x00c36400, "rw,name=admin", "CephFS", 1, NULL },
	/* BeeGFS: global locks are a client setting no mount shows. */
	{ 0x19830326, "rw,cfgFile=/etc/beegfs/beegfs-client.conf", "BeeGFS", 0,
	    "its locks do not reach other hosts" },
	/* FUSE (sshfs): the kernel keeps the locks on this host. */
	{ 0x65735546, "rw,nosuid,nodev,user_id=0", "FUSE", 0,
	    "its locks do not reach other hosts" },
	{ 0xff534d42, "rw", "CIFS", 0, "its locks do not reach other hosts" },
	{ 0xfe534d42, "rw", "SMB2", 0, "its locks do not reach other hosts" },
	{ 0x6b414653, "rw", "AFS", 0, "its locks do not reach other hosts" },
	{ 0x5346414f, "rw", "AFS", 0, "its locks do not reach other hosts" },
	/* An option that merely starts like one that matters. */
	{ 0x6969, "rw,nolockd_thing", "NFS", 1, NULL },
};

int
main(void)
{
	struct fs_info	fi;
	size_t		i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fs_classify(rows[i].magic, rows[i].options, &fi);
		if (rows[i].name == NULL)
			CHECK(fi.name == NULL, "row %zu: 0x%" PRIx64 " is %s",
			    i, rows[i].magic, fi.name);
		else
			CHECK_STR(fi.name, rows[i].name);
		CHECK(fi.locks_trusted == rows[i].trusted, "row %zu: 0x%"
		    PRIx64 " %s: trusted %d", i, rows[i].magic,
		    rows[i].options ? rows[i].options : "(none)",
		    fi.locks_trusted);
		if (rows[i].why == NULL)
			CHECK(fi.why == NULL, "row %zu: why '%s'", i, fi.why);
		else
			CHECK_STR(fi.why, rows[i].why);
	}

	/* This machine: wherever the tests run is some filesystem. */
	fs_probe(".", &fi);
	CHECK(fi.locks_trusted || fi.why != NULL, "probe of '.'");
	fs_probe("/nonexistent-updraft/a/b", &fi);
	CHECK(fi.name == NULL && fi.locks_trusted, "a missing path is local "
	    "(its nearest parent, /)");
	return (unit_done());
}
