# slurm.m4: find the cluster's libslurm, name its release, probe its sbatch.
#
# UPDRAFT_SLURM finds libslurm, in this order:
#   --with-slurm=PREFIX   a site's install (/opt/slurm/24.11, a module's
#                         $SLURM_ROOT): PREFIX/include, PREFIX/lib64 or lib;
#   pkg-config slurm      slurm.pc, shipped since 24.05 (PKG_CONFIG_PATH);
#   the system            slurm/slurm.h and -lslurm (Debian's libslurm-dev).
# It sets SLURM_CPPFLAGS, SLURM_LDFLAGS (with an rpath outside the system's
# library folders, so the binary runs without LD_LIBRARY_PATH) and
# SLURM_LIBS, and prints the release it found.
#
# The API differences between releases are not configure's: src/cluster.c
# settles them itself, so that it compiles against any release's headers
# whatever config.h says (tests/t0300-slurm-headers.sh). configure probes
# only what no header shows: how that release's sbatch writes a request.

m4_define([UPDRAFT_SLURM_INCLUDES], [[#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>]])

AC_DEFUN([UPDRAFT_SLURM], [
AC_REQUIRE([PKG_PROG_PKG_CONFIG])
AC_ARG_WITH([slurm],
	[AS_HELP_STRING([--with-slurm=PREFIX],
	    [the Slurm to build against: PREFIX/include and PREFIX/lib64 or
	     PREFIX/lib (default: pkg-config's slurm.pc, else the system's)])],
	[], [with_slurm=check])
SLURM_CPPFLAGS=
SLURM_LDFLAGS=
SLURM_LIBS=-lslurm
updraft_slurm_libdir=
AS_CASE([$with_slurm],
[no], [AC_MSG_ERROR([Updraft cannot be built without libslurm])],
[yes|check], [
	AC_MSG_CHECKING([for slurm.pc])
	AS_IF([test -n "$PKG_CONFIG" && $PKG_CONFIG --exists slurm 2>/dev/null],
	    [SLURM_CPPFLAGS=`$PKG_CONFIG --cflags slurm`
	     SLURM_LIBS=`$PKG_CONFIG --libs slurm`
	     updraft_slurm_libdir=`$PKG_CONFIG --variable=libdir slurm`
	     updraft_slurm_from="pkg-config: $updraft_slurm_libdir"
	     AC_MSG_RESULT([yes])],
	    [updraft_slurm_from="the system's"
	     AC_MSG_RESULT([no, looking in the system's folders])])],
[
	AS_IF([test -f "$with_slurm/include/slurm/slurm.h"], [],
	    [AC_MSG_ERROR([--with-slurm=$with_slurm: no $with_slurm/include/slurm/slurm.h])])
	SLURM_CPPFLAGS="-I$with_slurm/include"
	updraft_slurm_libdir=$with_slurm/lib
	AS_IF([test -e "$with_slurm/lib64/libslurm.so"],
	    [updraft_slurm_libdir=$with_slurm/lib64])
	updraft_slurm_from=$with_slurm
])
# An rpath where the library is not in a folder the loader searches anyway.
AS_CASE([$updraft_slurm_libdir],
[""|/usr/lib|/usr/lib64|/lib|/lib64|/usr/lib/*-linux-gnu|/lib/*-linux-gnu], [],
[SLURM_LDFLAGS="-L$updraft_slurm_libdir -Wl,-rpath,$updraft_slurm_libdir"])

updraft_save_CPPFLAGS=$CPPFLAGS
updraft_save_LDFLAGS=$LDFLAGS
updraft_save_LIBS=$LIBS
CPPFLAGS="$CPPFLAGS $SLURM_CPPFLAGS"
LDFLAGS="$LDFLAGS $SLURM_LDFLAGS"
AC_CHECK_HEADER([slurm/slurm.h], [],
	[AC_MSG_ERROR([slurm/slurm.h not found: install the Debian package libslurm-dev, or give --with-slurm=PREFIX (where include/slurm/slurm.h is), or set PKG_CONFIG_PATH to the folder of slurm.pc])])
AC_CACHE_CHECK([for the Slurm release of slurm/slurm.h], [updraft_cv_slurm_version],
	[AC_COMPUTE_INT([updraft_slurm_n], [SLURM_VERSION_NUMBER],
	    [[#include <slurm/slurm_version.h>]],
	    [AC_MSG_ERROR([SLURM_VERSION_NUMBER not found in slurm/slurm_version.h])])
	 updraft_cv_slurm_version=`printf '%d.%02d.%d' \
	     $((updraft_slurm_n >> 16)) $(((updraft_slurm_n >> 8) & 255)) \
	     $((updraft_slurm_n & 255))`])
LIBS="$SLURM_LIBS $LIBS"
AC_MSG_CHECKING([whether libslurm links])
AC_LINK_IFELSE([AC_LANG_PROGRAM([UPDRAFT_SLURM_INCLUDES],
	    [[slurm_init(NULL); return (slurm_submit_batch_job(NULL, NULL));]])],
	[AC_MSG_RESULT([yes])],
	[AC_MSG_RESULT([no])
	 AC_MSG_ERROR([libslurm ($SLURM_LIBS $SLURM_LDFLAGS) does not link: install the Debian package libslurm-dev, or give --with-slurm=PREFIX])])
# A client convention, not an API: the sbatch of a libslurm that exports
# slurm_option_update_tres_per_task (no public header declares it) writes
# --cpus-per-task and --gpus-per-task into tres_per_task as
# "cpu=N,gres/gpu=N"; earlier ones send --gpus-per-task as "gres:gpu:N".
AC_CHECK_FUNCS([slurm_option_update_tres_per_task])
CPPFLAGS=$updraft_save_CPPFLAGS
LDFLAGS=$updraft_save_LDFLAGS
LIBS=$updraft_save_LIBS
AC_MSG_NOTICE([building against Slurm $updraft_cv_slurm_version ($updraft_slurm_from)])
AC_SUBST([SLURM_CPPFLAGS])
AC_SUBST([SLURM_LDFLAGS])
AC_SUBST([SLURM_LIBS])
])
