/**
 * The aigw vocabulary: immutable request and response values, the streaming types, the SPIs
 * that providers, interceptors and listeners implement, and the exception hierarchy.
 *
 * <p>Nothing in this package depends on a third-party library, so provider clients, JSON
 * libraries and telemetry SDKs can change without breaking code written against it. Values are
 * immutable and never {@code null}: optional values are {@link java.util.Optional}s, absent
 * collections are empty. Builders validate each argument as it is set and throw an
 * {@link dev.aigw.api.InvalidRequestException} that names the offending field.
 */
@NullMarked
package dev.aigw.api;

import org.jspecify.annotations.NullMarked;
