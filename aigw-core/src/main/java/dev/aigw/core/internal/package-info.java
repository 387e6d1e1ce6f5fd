/** The gateway's machinery: chain, router, call scope, listener dispatch. Not API. */
@NullMarked
package dev.aigw.core.internal;

import org.jspecify.annotations.NullMarked;
