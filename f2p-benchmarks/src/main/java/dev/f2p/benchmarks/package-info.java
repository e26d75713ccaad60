/**
 * JMH benchmarks, one package per area, each measuring a target against the baseline its issue names.
 * Build with {@code ./mvnw -B -q -DskipTests -pl f2p-benchmarks -am package}, run with
 * {@code java -jar f2p-benchmarks/target/benchmarks.jar <regex>}.
 */
package dev.f2p.benchmarks;
