package dev.f2p.examples.service;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings, {@code f2p-service.*}: where incident control keeps its journal and which
 * containment rules it runs (the library's rule syntax, such as
 * {@code PROMPT_REJECTED by principal 5/10m -> suspend 1h}). Immutable.
 *
 * @param incidentJournal the journal that keeps revocations, suspensions and lockdowns across restarts; in
 *     memory when unset
 * @param containmentRules the rules, each {@code name=rule}; the library's defaults when empty
 * @param defaultRules whether the library's default rules run when no rule is given (default true)
 */
@ConfigurationProperties("f2p-service")
public record ServiceProperties(@Nullable Path incidentJournal, @Nullable List<String> containmentRules,
    @DefaultValue("true") boolean defaultRules) {}
