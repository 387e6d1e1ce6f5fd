/**
 * Versioned prompt templates. A {@link dev.aigw.core.prompt.PromptTemplate} is a named, versioned
 * Mustache template of a system prompt, a user message or a whole message list; it renders named
 * variables into a {@link dev.aigw.core.prompt.RenderedPrompt}, which becomes a {@link
 * dev.aigw.api.ChatRequest} carrying the template's {@link dev.aigw.api.PromptRef}, so responses
 * ({@code metadata().prompt()}), listeners and telemetry know which template and version a call
 * used. A {@link dev.aigw.core.prompt.PromptRegistry} holds templates by name and version, from
 * code or classpath resources, with a default version per name and weights for A/B tests, random
 * or sticky per conversation, user or tenant.
 *
 * <pre>{@code
 * PromptTemplate reply = PromptTemplate.builder("support-reply", "v2")
 *     .system("""
 *         You answer customers of {{product}}.
 *         {{#examples}}
 *         Q: {{question}}
 *         A: {{answer}}
 *         {{/examples}}""")
 *     .user("{{question}}")
 *     .build();
 * ChatRequest request = reply.render(Map.of(
 *         "product", "Acme",
 *         "examples", List.of(Map.of("question", "Refund?", "answer", "Within 30 days.")),
 *         "question", question))
 *     .toRequest("chat");
 * }</pre>
 *
 * <p>In resource files the same template is written in the {@linkplain
 * dev.aigw.core.prompt.PromptTemplate#parse text form}, where lines {@code @system}, {@code @user}
 * and {@code @assistant} start the messages.
 *
 * <p>Templates are strict: a missing variable, a value of the wrong type, or (unless the template
 * is lenient) a variable the template does not use fails with a {@link
 * dev.aigw.core.prompt.PromptException} naming the template and the variable, never a value.
 * Values are inserted as data, never parsed as templates, and without HTML escaping.
 */
@NullMarked
package dev.aigw.core.prompt;

import org.jspecify.annotations.NullMarked;
