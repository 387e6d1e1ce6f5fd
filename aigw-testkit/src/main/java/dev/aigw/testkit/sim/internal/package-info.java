/** Implementation details of the simulated inference server. Not API: may change in any release. */
@NullMarked
package dev.aigw.testkit.sim.internal;

import org.jspecify.annotations.NullMarked;
