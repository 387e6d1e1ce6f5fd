/** Implementation details of the testkit. Not API: may change in any release. */
@NullMarked
package dev.aigw.testkit.internal;

import org.jspecify.annotations.NullMarked;
