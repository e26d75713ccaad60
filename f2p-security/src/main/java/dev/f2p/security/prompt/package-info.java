/**
 * Prompt filtering: {@link dev.f2p.security.prompt.StandardPromptFilter} cleans and normalises a prompt,
 * matches it against category-tagged block lists with an Aho-Corasick automaton and then asks an optional
 * {@link dev.f2p.security.prompt.ModerationClassifier}.
 */
@NullMarked
package dev.f2p.security.prompt;

import org.jspecify.annotations.NullMarked;
