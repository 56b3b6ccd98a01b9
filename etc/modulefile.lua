-- Lmod modulefile for Updraft, a cron-style DAG scheduler for Slurm.
-- A site installs it as <modulepath>/updraft/<version>.lua (make install puts
-- a copy, directories filled in, in $(datadir)/updraft/modulefile.lua), then users
-- run `module load updraft`. It sets nothing user-specific: each user's
-- state stays in $UPDRAFT_HOME, ~/updraft by default.

-- make install fills in the directories configure was given.
local bindir = "@bindir@"
local mandir = "@mandir@"
local datadir = "@datadir@"
local version = "@PACKAGE_VERSION@"

whatis("Name: updraft")
whatis("Version: " .. version)
whatis("Description: cron-style DAG scheduler for Slurm (like Airflow, as a CLI)")

help([[
Updraft runs workflows (DAGs of Slurm jobs) on a schedule, from a login node.

  updraft check                  check the DAG files in ~/updraft/dags
  updraft unpause DAG            let a new DAG run
  updraft scheduler              run the scheduler (or --once from cron)
  updraft runs DAG               what ran; updraft status for the overview
  man updraft                    the manual

Bash completion: source ]] .. pathJoin(datadir,
    "bash-completion/completions/updraft") .. [[

Set UPDRAFT_HOME to keep DAGs, database and logs elsewhere than ~/updraft.
]])

prepend_path("PATH", bindir)
-- An empty entry keeps man's own search path: without it, setting MANPATH
-- where it was unset would hide the system's pages.
prepend_path("MANPATH", mandir)
append_path("MANPATH", "")
