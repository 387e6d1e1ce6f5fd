/** Implementation details of the api module. Not API: may change in any release. */
@NullMarked
package dev.aigw.api.internal;

import org.jspecify.annotations.NullMarked;
