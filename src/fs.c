/* Which kind of filesystem a path is on, for what SQLite can trust there. */

/*
 * SQLite's WAL mode needs shared memory between the processes using a
 * database, and its locks need a filesystem that honours them: neither
 * holds across the hosts of a network filesystem. statfs(2) tells the kind
 * by its magic number.
 */

#include <stdint.h>
#include <sys/vfs.h>

#include "updraft.h"

static const struct {
	uint64_t	 magic;
	const char	*name;
} fs_network[] = {
	{ 0x6969, "NFS" },
	{ 0x0bd00bd0, "Lustre" },
	{ 0x47504653, "GPFS" },
	{ 0x19830326, "BeeGFS" },
	{ 0xff534d42, "CIFS" },
	{ 0xfe534d42, "SMB2" },
	{ 0x65735546, "FUSE" },		/* sshfs and friends */
	{ 0x00c36400, "CephFS" },
	{ 0x013111a8, "IBRIX" },
	{ 0x6b414653, "AFS" },
};

/* The name of a network filesystem with this magic, or NULL. */
const char *
fs_network_name(uint64_t magic)
{
	size_t	i;

	for (i = 0; i < sizeof fs_network / sizeof fs_network[0]; i++) {
		if (fs_network[i].magic == magic)
			return (fs_network[i].name);
	}
	return (NULL);
}

/* The network filesystem path is on, or NULL (local, or unknown). */
const char *
fs_network_of(const char *path)
{
	struct statfs	sb;

	if (statfs(path, &sb) != 0)
		return (NULL);
	return (fs_network_name((uint64_t)(unsigned long)sb.f_type));
}
