package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * A concrete place to send a call: a provider and one of its models, written
 * {@code "provider/model"}. The model part may itself contain slashes
 * ({@code "pool/meta-llama/Llama-3.1-8B-Instruct"}); the provider id is everything before the
 * first one.
 *
 * @param provider the provider id
 * @param model the model name as the provider knows it
 */
public record Target(String provider, String model) {
  /**
   * @param provider the provider id
   * @param model the model name as the provider knows it
   * @throws InvalidRequestException when either part is blank or the provider id contains a slash
   */
  public Target {
    Require.nonBlank(provider, "target.provider");
    Require.nonBlank(model, "target.model");
    if (provider.indexOf('/') >= 0) {
      throw new InvalidRequestException("target.provider", "must not contain '/', was '" + provider + "'");
    }
  }

  /**
   * Parses {@code "provider/model"}.
   *
   * @param target the text, {@code "provider/model"}
   * @return the target
   * @throws InvalidRequestException when there is no slash or either part is empty
   */
  public static Target parse(String target) {
    Require.nonNull(target, "target");
    int slash = target.indexOf('/');
    if (slash <= 0 || slash == target.length() - 1) {
      throw new InvalidRequestException("target", "must be 'provider/model', was '" + target + "'");
    }
    return new Target(target.substring(0, slash), target.substring(slash + 1));
  }

  /** {@code "provider/model"}. */
  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
