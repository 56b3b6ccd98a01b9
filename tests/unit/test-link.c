/* Links every object of libupdraft.a: a call up into a verb fails here. */

/*
 * Makefile.am links this program with the whole library
 * (--whole-archive) and without main.c, cmd*.c, chain.c or view.c, so a
 * library file that calls a function of the binary's layer leaves an
 * undefined reference and the link, and so `make check`, fails.
 * tests/t0050-layers.sh says which file and which symbol.
 */

#include "unit.h"

int
main(void)
{
	CHECK(1, "linked");
	return unit_done();
}
