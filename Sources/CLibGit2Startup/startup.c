#define _GNU_SOURCE
#include "CLibGit2Startup.h"

#include <dlfcn.h>
#include <git2.h>
#include <stdio.h>
#include <string.h>

/* mbedTLS's MBEDTLS_ERR_X509_FILE_IO_ERROR, for when the real function cannot be found. */
#define FILE_IO_ERROR (-0x2900)

/* Written only inside gitfleet_init_deferring_certificates, which the Swift side calls once,
 * from a thread-safe static initialiser, before any other libgit2 call. */
static int deferring;
static char deferred_file[4096];

/* Interposes on libmbedx509's function of the same name: libgit2 reaches it through the
 * dynamic linker, which finds this executable's definition first. */
int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    if (deferring && path != NULL && strlen(path) < sizeof deferred_file) {
        snprintf(deferred_file, sizeof deferred_file, "%s", path);
        return 0;
    }
    int (*parse)(void *, const char *) =
        (int (*)(void *, const char *))dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
    return parse != NULL ? parse(chain, path) : FILE_IO_ERROR;
}

int gitfleet_init_deferring_certificates(void) {
    deferring = 1;
    int result = git_libgit2_init();
    deferring = 0;
    return result;
}

int gitfleet_load_deferred_certificates(void) {
    if (deferred_file[0] == '\0') return 0;
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, deferred_file, NULL);
}
