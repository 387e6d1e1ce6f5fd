package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One part of a message's content: {@link Text} or {@link Image}. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

  /**
   * {@return a text part}
   *
   * @param text the text
   */
  static Text text(String text) {
    return new Text(text);
  }

  /**
   * {@return an image the provider fetches from {@code url} (an {@code https:}, {@code http:} or
   * {@code data:} URL)}
   *
   * @param url where the image is
   */
  static Image imageUrl(String url) {
    String lower = Require.nonBlank(url, "image.url").toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("https:") && !lower.startsWith("http:") && !lower.startsWith("data:image/")) {
      throw new InvalidRequestException("image.url", "must be an https:, http: or data:image/ URL");
    }
    return new Image(url, null, null);
  }

  /**
   * {@return an image sent inline} {@code mediaType} is for example {@code "image/png"}. The bytes
   * are copied.
   *
   * @param bytes the image's bytes
   * @param mediaType its media type
   */
  static Image imageBytes(byte[] bytes, String mediaType) {
    Require.nonNull(bytes, "image.bytes");
    if (bytes.length == 0) {
      throw new InvalidRequestException("image.bytes", "must not be empty");
    }
    if (!Require.nonBlank(mediaType, "image.mediaType").startsWith("image/")) {
      throw new InvalidRequestException("image.mediaType", "must be an image/* media type, was " + mediaType);
    }
    return new Image(null, bytes.clone(), mediaType);
  }

  /** A text part. */
  record Text(String text) implements ContentPart {
    /**
     * @param text the part's text
     * @throws InvalidRequestException when {@code text} is null
     */
    public Text {
      Require.nonNull(text, "text");
    }

    /** Shows the length only: content may be sensitive. */
    @Override
    public String toString() {
      return "Text[" + text.length() + " chars]";
    }
  }

  /** An image, given either as a URL or as bytes with a media type. */
  final class Image implements ContentPart {
    private final @Nullable String url;
    private final byte @Nullable [] bytes;
    private final @Nullable String mediaType;

    private Image(@Nullable String url, byte @Nullable [] bytes, @Nullable String mediaType) {
      this.url = url;
      this.bytes = bytes;
      this.mediaType = mediaType;
    }

    /** {@return the URL, for images given by URL} */
    public Optional<String> url() {
      return Optional.ofNullable(url);
    }

    /** {@return a copy of the bytes, for inline images} */
    public Optional<byte[]> bytes() {
      return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    /** {@return the media type, for inline images} */
    public Optional<String> mediaType() {
      return Optional.ofNullable(mediaType);
    }

    /** {@return a {@code data:} URL for inline images, or the URL for images given by URL} */
    public String toUrl() {
      if (url != null) {
        return url;
      }
      return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image other
          && java.util.Objects.equals(url, other.url)
          && Arrays.equals(bytes, other.bytes)
          && java.util.Objects.equals(mediaType, other.mediaType);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(url, mediaType) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return bytes != null ? "Image[" + mediaType + ", " + bytes.length + " bytes]" : "Image[url]";
    }
  }
}
