/** Implementation details of the pipeline. Not an API: may change in any release. */
@NullMarked
package dev.f2p.core.internal;

import org.jspecify.annotations.NullMarked;
