/** The inference pool's machinery. Not API. */
@NullMarked
package dev.aigw.providers.pool.internal;

import org.jspecify.annotations.NullMarked;
