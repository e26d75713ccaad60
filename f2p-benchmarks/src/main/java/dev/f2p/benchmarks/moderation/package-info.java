/** JMH benchmarks of the NSFW output classifier. */
@NullMarked
package dev.f2p.benchmarks.moderation;

import org.jspecify.annotations.NullMarked;
