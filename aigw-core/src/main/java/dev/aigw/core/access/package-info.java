/**
 * Access policy: which tenants may use which models, targets, providers and regions ({@link
 * dev.aigw.core.access.AccessPolicy}, {@link dev.aigw.core.access.TenantAccess}); set it with
 * {@code AiGateway.Builder.accessPolicy}.
 */
@NullMarked
package dev.aigw.core.access;

import org.jspecify.annotations.NullMarked;
