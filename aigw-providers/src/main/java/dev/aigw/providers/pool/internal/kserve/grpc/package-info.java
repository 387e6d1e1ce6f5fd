/**
 * The gRPC binding of the KServe v2 protocol and Triton's {@code ModelStreamInfer}, over
 * grpc-java. Every class here needs grpc-java and protobuf-java, which are optional dependencies
 * of aigw-providers: nothing outside this package (and the generated {@code proto} package) refers
 * to them, and {@link dev.aigw.providers.pool.internal.kserve.KServeGrpc} is the only way in, after
 * it has checked that the jars are there. Not API.
 */
@NullMarked
package dev.aigw.providers.pool.internal.kserve.grpc;

import org.jspecify.annotations.NullMarked;
