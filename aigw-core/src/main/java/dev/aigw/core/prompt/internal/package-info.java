/**
 * Implementation details of the prompt templates: reading a template's variables, binding and
 * checking values, the message-list text form, weighted choice and classpath resources. Not API.
 */
@NullMarked
package dev.aigw.core.prompt.internal;

import org.jspecify.annotations.NullMarked;
