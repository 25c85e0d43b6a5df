/*-------------------------------------------------------------------------
 *
 * pp_int.h
 *	  Private interface of the paragon_perm core: includes the internal
 *	  header of each concept, for the files that implement the core.
 *
 * pp_port.h	compiler attributes
 * pp_alloc.h	allocation helpers over a pp_allocator
 * pp_hash.h	the byte hash and the hash of a triple of ids
 * pp_bloom.h	the Bloom filter in front of every table
 * pp_tab3.h	the map from a triple of ids to a value (rules, groups)
 * pp_dict.h	the dictionary of a level's exact selectors (ids)
 * pp_policy.h	the layout of a compiled policy
 * pp_scope.h	a parsed scope key
 * pp_target.h	filling a target, inline
 *
 * pp.h stays the public interface; nothing outside src/core includes
 * these.
 *
 * src/core/pp_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_INT_H
#define PP_INT_H

#include "pp.h"
#include "pp_alloc.h"
#include "pp_bloom.h"
#include "pp_dict.h"
#include "pp_hash.h"
#include "pp_policy.h"
#include "pp_port.h"
#include "pp_scope.h"
#include "pp_tab3.h"
#include "pp_target.h"

#endif							/* PP_INT_H */
