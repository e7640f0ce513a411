/**
 * The native runtime: {@link io.github.unet4j.core.runtime.UNetRuntime#setUp()}, the one call a
 * program makes first (the oneDNN build of nd4j-native for this CPU, malloc's settings, row
 * bands, buffer pooling, from one {@link io.github.unet4j.core.runtime.RuntimeSettings}), ND4J
 * workspaces scoped to one unit of work, and the collections that free ND4J's small native
 * allocations between units of work.
 */
package io.github.unet4j.core.runtime;
