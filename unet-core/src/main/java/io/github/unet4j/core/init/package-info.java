/**
 * Parameter initialisation and seed streams: {@link io.github.unet4j.core.init.HeNormal} (the
 * paper's) and {@link io.github.unet4j.core.init.Seeds}, which splits one seed into independent
 * streams.
 */
package io.github.unet4j.core.init;
