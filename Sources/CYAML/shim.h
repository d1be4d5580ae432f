#ifndef GITFLEET_CYAML_SHIM_H
#define GITFLEET_CYAML_SHIM_H
#include <yaml.h>
#endif
