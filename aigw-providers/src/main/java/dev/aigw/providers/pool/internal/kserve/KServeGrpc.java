package dev.aigw.providers.pool.internal.kserve;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Opens the gRPC binding of a replica, when grpc-java is on the classpath. aigw-providers depends
 * on grpc-java optionally, so an application that configures a gRPC pool adds {@value #ARTIFACTS}
 * itself. This class names no gRPC type: an application without those jars loads it, asks {@link
 * #isAvailable()}, and gets a clear {@link IllegalStateException} from {@link #connect} instead of
 * a {@link NoClassDefFoundError} somewhere later.
 */
public final class KServeGrpc {
  /** What an application must add to use gRPC pools. */
  public static final String ARTIFACTS =
      "io.grpc:grpc-protobuf, io.grpc:grpc-stub and one transport, io.grpc:grpc-netty-shaded (recommended) or io.grpc:grpc-okhttp";

  /** A class of each required jar, and the jar. */
  private static final List<String[]> REQUIRED = List.of(
      new String[] {"io.grpc.ManagedChannel", "io.grpc:grpc-api"},
      new String[] {"io.grpc.stub.ClientCalls", "io.grpc:grpc-stub"},
      new String[] {"io.grpc.protobuf.ProtoUtils", "io.grpc:grpc-protobuf"},
      new String[] {"com.google.protobuf.GeneratedMessageV3", "com.google.protobuf:protobuf-java"});

  private KServeGrpc() {}

  /**
   * How to reach a replica over gRPC.
   *
   * @param tls whether to use TLS; plaintext (h2c) otherwise, as Triton's gRPC port serves by default
   * @param trustManagers with TLS, the trust managers to verify the server with; empty for the
   *     JVM's default trust store
   * @param authority the authority (host name) to send and verify with TLS instead of the host, or null
   * @param maxInboundMessageBytes the largest response message accepted (gRPC's default is 4 MiB)
   */
  public record Options(boolean tls, List<TrustManager> trustManagers, @Nullable String authority, int maxInboundMessageBytes) {
    /** Plaintext, 64 MiB messages (tensors can be large). */
    public static final Options PLAINTEXT = new Options(false, List.of(), null, 64 * 1024 * 1024);

    /** @throws IllegalArgumentException when {@code maxInboundMessageBytes} is not positive */
    public Options {
      trustManagers = List.copyOf(trustManagers);
      if (maxInboundMessageBytes <= 0) {
        throw new IllegalArgumentException("maxInboundMessageBytes must be positive, was " + maxInboundMessageBytes);
      }
    }

    /** TLS with the JVM's default trust store, 64 MiB messages. */
    public static Options withTls() {
      return new Options(true, List.of(), null, PLAINTEXT.maxInboundMessageBytes());
    }
  }

  /** Whether grpc-java (api, stub, protobuf) is on the classpath. Says nothing about a transport. */
  public static boolean isAvailable() {
    return missing() == null;
  }

  /**
   * Opens a client with its own channel to {@code host:port}. The channel connects lazily and
   * reconnects by itself; close the client to release it.
   *
   * @param provider the id errors name (the pool's)
   * @throws IllegalStateException when grpc-java or a transport is not on the classpath, naming
   *     the artifacts to add
   */
  public static KServeStreamingClient connect(String provider, String host, int port, Options options) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(options, "options");
    if (port <= 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
    }
    String[] missing = missing();
    if (missing != null) {
      throw new IllegalStateException("'" + provider + "' is configured to speak gRPC but " + missing[1]
          + " is not on the classpath (class " + missing[0] + " not found). Add " + ARTIFACTS + ".");
    }
    return Holder.open(provider, host, port, options);
  }

  private static String @Nullable [] missing() {
    ClassLoader loader = KServeGrpc.class.getClassLoader();
    for (String[] required : REQUIRED) {
      try {
        Class.forName(required[0], false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return required;
      }
    }
    return null;
  }

  /** The one place that names the gRPC client, loaded only once grpc-java was found. */
  private static final class Holder {
    static KServeStreamingClient open(String provider, String host, int port, Options options) {
      return new dev.aigw.providers.pool.internal.kserve.grpc.KServeGrpcClient(provider, host, port, options);
    }
  }
}
