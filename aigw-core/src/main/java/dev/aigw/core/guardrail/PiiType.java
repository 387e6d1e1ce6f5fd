package dev.aigw.core.guardrail;

/**
 * What {@link PiiGuardrail} finds: personal data and secrets. The name of each constant is the
 * {@linkplain Guardrail.Match#type() type} of its matches and so the name of its placeholders
 * ({@code <EMAIL_1>} on input, {@code <EMAIL>} on output).
 *
 * <p>Every detector is a rule validated by the format's own standard or its issuer's published
 * format (a checksum, a length table, number ranges, a decodable header), so each match has a
 * score of 1. Only ASCII digits count as digits; positions are Java {@code char} offsets. {@link
 * #maxLength()} is the longest match a type can produce on output, where streams are scanned in
 * windows.
 */
public enum PiiType {
  /**
   * An e-mail address: a practical subset of RFC 5322 addr-spec. The local part is letters,
   * digits and {@code . _ % + -} (no leading, trailing or doubled dot, at most 64 chars); the
   * domain is at least two ASCII labels of letters, digits and inner hyphens (at most 63 chars
   * each), ending in a top-level domain of two or more letters (or {@code xn--} punycode); at most
   * 254 chars in all. Not inside a longer word, not the user name of a URL ({@code
   * https://user@host}) and not an image's density suffix ({@code logo@2x.png}). Quoted local
   * parts, IP-literal domains and non-ASCII addresses (RFC 6531) are not found.
   */
  EMAIL(254, false),

  /**
   * A telephone number: an international one written with {@code +} or {@code 00} and 8–15
   * digits (E.164), grouped or not, with single spaces, hyphens, dots or slashes between groups, a
   * parenthesised group and the trunk prefix {@code (0)} ({@code +44 (0)20 7946 0958}); or a North
   * American (NANP) one, {@code (415) 555-2671}, {@code 415-555-2671}, {@code 415.555.2671} or
   * {@code 415 555 2671}, optionally with a leading {@code 1}, whose area code and exchange start
   * with 2–9 and are not N11 codes. A number must stand on its own: after white space, a bracket,
   * a quote or {@code : ; , = >}, not glued to a word or an identifier ({@code ID-415-555-2671}),
   * and {@code 00} right after another group of digits is taken for the middle of a longer number.
   * National numbers in other countries' formats (without {@code +} or {@code 00}), bare ten-digit
   * numbers and seven-digit local numbers are not found. At most 32 chars.
   */
  PHONE(32, false),

  /**
   * A payment card number (ISO/IEC 7812): 13–19 digits, unbroken or in groups (the first of four
   * digits) separated by single spaces or single hyphens, all the same; with a valid Luhn check
   * digit and the prefix and a length of a known network: Visa, Mastercard (51–55, 2221–2720),
   * American Express, Discover, JCB, Diners Club, UnionPay, Maestro, Mir. Numbers of one repeated
   * digit are ignored. At most 37 chars.
   */
  PAYMENT_CARD(37, false),

  /**
   * An International Bank Account Number (ISO 13616): a country code of the SWIFT IBAN registry,
   * two check digits and the BBAN, in upper case, unbroken or in the print format of groups of
   * four separated by single spaces; with the registry's length for the country and a valid
   * mod-97 check (ISO 7064). At most 42 chars.
   */
  IBAN(42, false),

  /**
   * A US Social Security number: {@code AAA-GG-SSSS} or {@code AAA GG SSSS}, or nine digits in a
   * row when "SSN" or "social security" stands at most 30 chars before them. The area is not 000,
   * 666 or 900–999, the group not 00 and the serial not 0000. 11 chars at most.
   */
  US_SSN(11, false),

  /**
   * An IP address: IPv4 in dotted decimal (four numbers 0–255 without leading zeros, not part of a
   * longer dotted number, and not right after "v", "version", "ver", "release" or "build", which
   * mark a four-part version number); or IPv6 in any RFC 4291 text form: full, compressed with
   * {@code ::}, or with an embedded IPv4 address, containing at least one decimal digit (so that
   * {@code ::} in code and words like {@code Cafe::Face} are not taken), without zone or prefix
   * length. Loopback, private and unspecified addresses are found like any other. At most 45
   * chars.
   */
  IP_ADDRESS(45, false),

  /**
   * An API key or access token of a cloud or AI provider, by its published prefix and format: AWS
   * access key ids ({@code AKIA}, {@code ASIA}, {@code AGPA}, {@code AIDA}, {@code AROA}, {@code
   * ANPA}, {@code ANVA}, {@code AIPA}, {@code ABIA}, {@code ACCA} and 16 upper-case letters or
   * digits), Google API keys ({@code AIza} and 35), OpenAI and Anthropic keys ({@code sk-}, {@code
   * sk-proj-}, {@code sk-svcacct-}, {@code sk-ant-}, ... with at least 32 more chars), GitHub tokens
   * ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}, {@code github_pat_}),
   * GitLab personal tokens ({@code glpat-}), Slack tokens ({@code xoxb-}, {@code xoxp-}, {@code
   * xoxa-}, {@code xoxr-}, {@code xoxe-}, {@code xoxs-}), Stripe live secret and restricted keys
   * ({@code sk_live_}, {@code rk_live_}), Hugging Face tokens ({@code hf_}) and npm tokens ({@code
   * npm_}). The body must mix at least two of upper-case letters, lower-case letters and digits,
   * which rules out words such as {@code sk-learn}. At most 256 chars; a longer token is not a key
   * of these formats and is not found.
   */
  API_KEY(256, true),

  /**
   * A private key in PEM or OpenPGP armour: from {@code -----BEGIN ... PRIVATE KEY-----} (any
   * label ending in {@code PRIVATE KEY} or {@code PRIVATE KEY BLOCK}) to the matching {@code
   * -----END ...-----} line, with a body of base64, armour headers and line breaks, literal or
   * escaped as {@code \n} in JSON. On input a block of up to 65,536 chars is found; on output of
   * up to 4,096, which holds an RSA key of up to 4,096 bits in PKCS#1, PKCS#8 or OpenSSH form and
   * any EC or Ed25519 key, but not an 8,192-bit RSA key or an OpenPGP key with RSA-4096 subkeys.
   */
  PRIVATE_KEY(4096, true),

  /**
   * A JSON Web Token in compact form (RFC 7519): three base64url segments (or five, a JWE), the
   * first decoding to a JSON object with an {@code "alg"} member. Unsecured tokens with an empty
   * signature are not found. Up to 65,536 chars on input, 4,096 on output.
   */
  JWT(4096, true),

  /**
   * The password in the user information of a URL, {@code scheme://user:password@host}: only the
   * password is the span, so the rest of the URL stays readable. At most 256 chars.
   */
  URL_PASSWORD(256, true);

  private final int maxLength;
  private final boolean secret;

  PiiType(int maxLength, boolean secret) {
    this.maxLength = maxLength;
    this.secret = secret;
  }

  /**
   * {@return the longest match of this type on output, in chars} {@link
   * PiiGuardrail#maxMatchLength()} is the largest of these among the types it detects.
   */
  public int maxLength() {
    return maxLength;
  }

  /** {@return whether this is a secret (a credential) rather than personal data} */
  public boolean isSecret() {
    return secret;
  }
}
