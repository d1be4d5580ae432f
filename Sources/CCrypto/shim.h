#ifndef GITFLEET_CCRYPTO_SHIM_H
#define GITFLEET_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
