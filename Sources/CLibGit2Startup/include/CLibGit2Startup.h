#ifndef GITFLEET_CLIBGIT2_STARTUP_H
#define GITFLEET_CLIBGIT2_STARTUP_H

/*
 * git_libgit2_init without parsing the system's CA certificates up front.
 *
 * libgit2 1.5 built with mbedTLS (Debian's) parses the whole CA bundle inside
 * git_libgit2_init: about 50 million instructions, more than an idle sync tick does in all,
 * for a certificate store that only https remotes use. During that call this library
 * answers libgit2's mbedtls_x509_crt_parse_file itself, remembering the bundle's path and
 * leaving the store empty; gitfleet_load_deferred_certificates parses it for real before the
 * first HTTP(S) remote. An empty store fails every TLS handshake, so forgetting to load it
 * refuses connections rather than trusting them. A libgit2 that uses OpenSSL never calls the
 * function, and nothing is deferred.
 */

/* git_libgit2_init, with the CA bundle's parsing deferred. */
int gitfleet_init_deferring_certificates(void);

/* Parses the CA bundle that initialisation deferred (GIT_OPT_SET_SSL_CERT_LOCATIONS);
 * 0 when nothing was deferred. */
int gitfleet_load_deferred_certificates(void);

#endif
