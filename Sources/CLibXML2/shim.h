#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; Foundation on Linux ships its own ICU headers, and both in one
   Swift module fail with "'UErrorCode' has different definitions". We never touch ICU types. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/parserInternals.h>  /* xmlSwitchToEncoding, for a parser context set up by hand */

/* xmlFree is a mutable C global: Swift 6 rejects touching it directly. */
static inline void clibxml2_free(void *p) { xmlFree(p); }
#endif
