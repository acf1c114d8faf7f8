/**
 * Authentication and authorisation of the services' HTTP APIs, shared by all four: bearer tokens
 * (JWT) verified against the configured issuer ({@code mp.jwt.verify.issuer}) and public key
 * ({@code mp.jwt.verify.publickey.location}) by Quarkus's smallrye-jwt; default deny (every path
 * but {@code /q/health/*} and {@code /q/metrics} needs a valid token, and a REST endpoint without
 * a role annotation is refused to everyone), both set once in this library's {@code
 * META-INF/microprofile-config.properties}; the roles are {@link dev.daflow.contract.Roles}; and
 * {@link dev.daflow.service.common.security.PublicInference} for {@code
 * daflow.auth.public-inference}.
 */
package dev.daflow.service.common.security;
