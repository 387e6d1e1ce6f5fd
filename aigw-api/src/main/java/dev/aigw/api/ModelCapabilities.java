package dev.aigw.api;

/**
 * What a model can do, as its provider client knows it. Routing uses it to skip targets that
 * cannot serve a request (a request with tools, images or a JSON schema).
 *
 * @param tools whether the model can call tools
 * @param vision whether the model accepts images
 * @param jsonSchema whether the model can be held to a JSON schema (structured output)
 * @param streaming whether the model can stream its answer
 */
public record ModelCapabilities(boolean tools, boolean vision, boolean jsonSchema, boolean streaming) {
  /** Everything: tools, vision, JSON schema and streaming. */
  public static final ModelCapabilities ALL = new ModelCapabilities(true, true, true, true);

  /** Text in, text out, streamed; no tools, images or schema. */
  public static final ModelCapabilities TEXT_ONLY = new ModelCapabilities(false, false, false, true);

  /**
   * {@return whether a model with these capabilities can serve {@code request}}
   *
   * @param request the request
   */
  public boolean canServe(ChatRequest request) {
    if (!tools && !request.tools().isEmpty()) {
      return false;
    }
    if (!jsonSchema && request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
      return false;
    }
    if (!vision) {
      for (Message m : request.messages()) {
        for (ContentPart part : m.content()) {
          if (part instanceof ContentPart.Image) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
