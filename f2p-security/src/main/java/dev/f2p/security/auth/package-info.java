/**
 * API keys with roles, rotation and revocation; authentication with brute-force lockout; authorization
 * by role. Keys are shown once and stored only as hashes ({@link dev.f2p.security.auth.ApiKeyStore});
 * {@link dev.f2p.security.auth.ApiKeys} issues, lists, rotates and revokes them.
 */
@NullMarked
package dev.f2p.security.auth;

import org.jspecify.annotations.NullMarked;
