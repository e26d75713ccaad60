/**
 * The F2P Guard HTTP service as a Spring Boot application on the starter: {@code POST /generate} from the
 * starter's web front (admission on the headers before any body byte), {@code GET /health},
 * {@code GET /metrics} (ADMIN keys) and the admin endpoints over incident control; configured by
 * {@code application.yml}. Start it with {@link dev.f2p.examples.service.GuardService}; nginx in front of
 * it as {@code deploy/nginx/f2p-guard.conf} shows.
 */
@NullMarked
package dev.f2p.examples.service;

import org.jspecify.annotations.NullMarked;
