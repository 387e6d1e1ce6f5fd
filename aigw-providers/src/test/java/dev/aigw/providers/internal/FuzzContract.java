package dev.aigw.providers.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.ProviderException;

/**
 * What the providers' parsing may throw, for the fuzz tests. A blocking call documents {@link
 * ProviderException} ({@code ChatProvider#chat}); a stream's iteration documents the {@link
 * AiGatewayException} that ended it ({@code ChatStream}): a {@link ProviderException} from the
 * provider's decoder, or a plain {@code AiGatewayException} from the stream's assembly (a tool call
 * that never got its name). Anything else is a finding: in particular an {@link
 * dev.aigw.api.InvalidRequestException}, which tells the caller that <em>its request</em> was
 * invalid and is not retried, when it was the provider's answer that was.
 */
public final class FuzzContract {
  private FuzzContract() {}

  /** Passes a documented failure of a blocking call (checking it is redacted); rethrows anything else. */
  public static void blocking(RuntimeException thrown, String secret) {
    if (!(thrown instanceof ProviderException)) {
      throw new AssertionError("undocumented exception from a provider's response parsing", thrown);
    }
    redacted(thrown, secret);
  }

  /** Passes a documented failure of a stream's iteration (checking it is redacted); rethrows anything else. */
  public static void stream(RuntimeException thrown, String secret) {
    if (!(thrown instanceof ProviderException) && thrown.getClass() != AiGatewayException.class) {
      throw new AssertionError("undocumented exception from a provider's stream parsing", thrown);
    }
    redacted(thrown, secret);
  }

  /** Messages never carry the credential in use, even when a server echoes it (ErrorMapping's promise). */
  private static void redacted(RuntimeException thrown, String secret) {
    String message = String.valueOf(thrown.getMessage());
    if (message.contains(secret)) {
      throw new AssertionError("the credential leaked into an exception message: " + message, thrown);
    }
  }
}
