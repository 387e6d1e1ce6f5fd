/**
 * What the gateway knows about models: {@link dev.aigw.core.catalog.ModelInfo} (context window,
 * output limit, capabilities, {@link dev.aigw.core.pricing.Prices}) in a {@link
 * dev.aigw.core.catalog.ModelCatalog} keyed by provider and model.
 *
 * <p>{@link dev.aigw.core.catalog.ModelCatalog#defaults()} is derived from LiteLLM's public price
 * table (MIT); the resource {@code dev/aigw/core/catalog/SOURCES.md} records the source commit,
 * the derivation rules and how to regenerate it. Override or add models in code with {@link
 * dev.aigw.core.catalog.ModelCatalog#toBuilder()}.
 */
@NullMarked
package dev.aigw.core.catalog;

import org.jspecify.annotations.NullMarked;
