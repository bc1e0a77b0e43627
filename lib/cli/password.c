/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI password: a crypt(3) hash in the configuration (libxcrypt,
 * Debian's libcrypt), so the file never holds the password itself and
 * operators can make the hash with the tools they know (`openssl passwd
 * -6`, `mkpasswd`) or `ferry --hash-password`. Checking costs a few
 * milliseconds of the management lcore by design (SHA-512-crypt's 5000
 * rounds); workers never see it.
 */
#include <crypt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

#include "cli.h"
#include "cli_priv.h"

/* crypt_rn's state is 32 kB: one, static (the management lcore only). */
static struct crypt_data crypt_state;

bool
cli_password_hash_valid(const char *hash)
{
	const char *r;

	if (hash == NULL || hash[0] != '$')
		return false;
	/* A hash the library cannot use gives NULL or a "*" failure token. */
	r = crypt_rn("probe", hash, &crypt_state, sizeof(crypt_state));
	return r != NULL && r[0] == '$';
}

int
cli_password_hash(const char *password, char *out, size_t len)
{
	char rnd[16], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *r;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	if (crypt_gensalt_rn("$6$", 0, rnd, sizeof(rnd), salt,
			     sizeof(salt)) == NULL)
		return -1;
	r = crypt_rn(password, salt, &crypt_state, sizeof(crypt_state));
	if (r == NULL || r[0] != '$' || strlen(r) >= len)
		return -1;
	strcpy(out, r);
	explicit_bzero(&crypt_state, sizeof(crypt_state));
	return 0;
}

bool
cli_password_check(const char *password, const char *hash)
{
	const char *r = crypt_rn(password, hash, &crypt_state,
				 sizeof(crypt_state));
	size_t n = strlen(hash), i;
	unsigned char diff = 0;

	if (r == NULL || strlen(r) != n) {
		explicit_bzero(&crypt_state, sizeof(crypt_state));
		return false;
	}
	/* compare every byte, so timing tells nothing about where */
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(r[i] ^ hash[i]);
	explicit_bzero(&crypt_state, sizeof(crypt_state));
	return diff == 0;
}
