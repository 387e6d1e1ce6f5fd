package dev.aigw.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Something a model can do beyond plain text in, text out. The model catalog lists each model's
 * capabilities; routing skips targets that lack what a request needs ({@link #requiredBy}) or
 * what the caller asks for in its {@link RouteHints}.
 */
public enum Capability {
  /** Calls tools (function calling). */
  TOOLS,
  /** Accepts images in user messages. */
  VISION,
  /** Can be held to a JSON schema (structured output). */
  JSON_SCHEMA,
  /** Reasons before answering (hidden reasoning tokens). */
  REASONING;

  /**
   * {@return the capabilities a model needs to serve {@code request}: {@link #TOOLS} when it offers
   * tools, {@link #VISION} when a message holds an image, {@link #JSON_SCHEMA} when it asks for
   * a JSON-schema response format}
   *
   * @param request the request
   */
  public static Set<Capability> requiredBy(ChatRequest request) {
    EnumSet<Capability> required = EnumSet.noneOf(Capability.class);
    if (!request.tools().isEmpty()) {
      required.add(TOOLS);
    }
    if (request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
      required.add(JSON_SCHEMA);
    }
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Image) {
          required.add(VISION);
          return required;
        }
      }
    }
    return required;
  }
}
