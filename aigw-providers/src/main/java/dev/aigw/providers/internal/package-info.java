/** What the provider clients share: HTTP exchange, SSE reading, JSON, error mapping. Not API. */
@NullMarked
package dev.aigw.providers.internal;

import org.jspecify.annotations.NullMarked;
