/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *	  What differs between the PostgreSQL major releases the extension
 *	  builds against (15, 16, 17 and 18), behind one spelling each.
 *
 * Every file of src/pg that uses one of these includes this header after
 * postgres.h; nothing else in the tree tests PG_VERSION_NUM.  When support
 * for a release is dropped, its branch here goes, and the spelling of the
 * oldest remaining release becomes the code's own.
 *
 * src/pg/pg_compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_COMPAT_H
#define PG_COMPAT_H

/* the including file has included postgres.h first, as every .c file does */
#include "utils/guc.h"
#include "utils/guc_tables.h"

#if PG_VERSION_NUM < 150000
#error "paragon_perm needs PostgreSQL 15 or later"
#endif

/*
 * pg_noreturn: 18 replaced pg_attribute_noreturn(), written after a
 * declaration, by pg_noreturn, written in front of it (C11 _Noreturn).
 * Before 18 the attribute may stand in front as well.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * PP_MY_LXID: the backend's local transaction id.  17 moved it into the
 * PGPROC's virtual transaction id (MyProc->vxid.lxid).
 */
#if PG_VERSION_NUM >= 170000
#define PP_MY_LXID	(MyProc->vxid.lxid)
#else
#define PP_MY_LXID	(MyProc->lxid)
#endif

/*
 * pp_find_guc_record returns the GUC record of a setting, placeholder or
 * real, or NULL.  16 made find_option public and the list of records a
 * hash table; before, the list is searched.  A record stays at the same
 * address for the life of the backend.
 */
static inline struct config_generic *
pp_find_guc_record(const char *name)
{
#if PG_VERSION_NUM >= 160000
	return find_option(name, false, true, DEBUG1);
#else
	struct config_generic **vars = get_guc_variables();
	int			n = GetNumConfigOptions();
	int			i;

	for (i = 0; i < n; i++)
		if (pg_strcasecmp(vars[i]->name, name) == 0)
			return vars[i];
	return NULL;
#endif
}

#endif							/* PG_COMPAT_H */
