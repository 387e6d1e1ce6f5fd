/** Implementation details of the response cache: the canonical key encoding. Not API. */
@NullMarked
package dev.aigw.core.cache.internal;

import org.jspecify.annotations.NullMarked;
