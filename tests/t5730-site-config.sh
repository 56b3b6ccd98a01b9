#!/bin/sh
# The site's settings in updraft.conf: site_group and site_env are read,
# and the old site_mode and allow_root_dags are errors that point to
# `updraft site` (file:line, like every config error). No Slurm needed.
. "$(dirname "$0")/lib.sh"

conf=$UPDRAFT_HOME/updraft.conf
printf 'poll_interval = 5;\nsite_mode = true;\n' > "$conf"
expect_eq "site_mode is gone, and the error says what replaces it" \
    "$(updraft list 2>&1)" \
    "updraft: $conf:2: 'site_mode' is gone: root no longer runs other users' DAGs; remove it and run 'updraft site' as root instead, which starts each member of site_group's own scheduler (see updraft(1))"
expect_status "a config with site_mode fails" 1 updraft list
printf 'allow_root_dags = false;\n' > "$conf"
expect_eq "so is allow_root_dags" "$(updraft list 2>&1 | cut -d"'" -f1-3)" \
    "updraft: $conf:1: 'allow_root_dags' is gone: root no longer runs other users"

printf 'site_group = "hpc";\nsite_env = ["SLURM_CONF", "bad name"];\n' > "$conf"
expect_eq "site_env holds variable names" "$(updraft list 2>&1)" \
    "updraft: $conf:2: 'site_env' must be a list of variable names, like [\"SLURM_CONF\"]"
printf 'site_group = "hpc";\nsite_env = "SLURM_CONF";\n' > "$conf"
expect_eq "site_env is a list" "$(updraft list 2>&1)" \
    "updraft: $conf:2: 'site_env' must be a list of variable names, like [\"SLURM_CONF\"]"
printf 'site_group = "";\n' > "$conf"
expect_eq "site_group is a name" "$(updraft list 2>&1)" \
    "updraft: $conf:1: 'site_group' must not be empty"

# The DAGs folder: refused when others can write it, or a folder above it
# without the sticky bit, or when it belongs to someone else.
rm -f "$conf"
d=$UPDRAFT_HOME/shared/dags
mkdir -p "$d"
printf 'dags_folder = "%s";\n' "$d" > "$conf"
chmod 777 "$UPDRAFT_HOME/shared"
expect_eq "a folder above the DAGs folder that others can write" \
    "$(updraft scheduler --once 2>&1)" \
    "updraft: dags folder '$d' refused: others can write '$UPDRAFT_HOME/shared' (mode 0777): chmod go-w '$UPDRAFT_HOME/shared'"
chmod 1777 "$UPDRAFT_HOME/shared"
expect_eq "... unless it is sticky, like /tmp" "$(updraft scheduler --once 2>&1)" ""
chmod 1777 "$d"
expect_eq "the DAGs folder itself: sticky is not enough" \
    "$(updraft scheduler --once 2>&1)" \
    "updraft: dags folder '$d' refused: others can write '$d' (mode 1777): chmod go-w '$d'"
chmod 755 "$d"
if [ "$(id -u)" = 0 ]; then
	chown nobody "$d"
	expect_eq "a DAGs folder of another user" "$(updraft scheduler --once 2>&1)" \
	    "updraft: dags folder '$d' refused: '$d' belongs to uid $(id -u nobody), not to you"
fi

if [ "$(id -u)" = 0 ]; then
	printf 'site_group = "no_such_group_t5730";\n' > "$conf"
	expect_eq "updraft site: a group that does not exist" \
	    "$(updraft -c "$conf" site --once 2>&1)" \
	    "updraft: site: no group 'no_such_group_t5730': create it (groupadd no_such_group_t5730) and add the users to schedule, or set site_group"
else
	expect_eq "updraft site needs root" "$(updraft site --once 2>&1)" \
	    "updraft: site: only root can start other users' schedulers; run 'updraft scheduler' as yourself"
fi
expect_eq "site takes no argument" "$(updraft site now 2>&1)" "usage: updraft site [--once]"

done_testing
