#ifndef LEXICON_CYAML_SHIM_H
#define LEXICON_CYAML_SHIM_H
#include <yaml.h>
#endif
