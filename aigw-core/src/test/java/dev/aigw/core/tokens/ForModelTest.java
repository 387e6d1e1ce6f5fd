package dev.aigw.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForModelTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      gpt-4o                                      | o200k_base
      gpt-4o-mini-2024-07-18                      | o200k_base
      chatgpt-4o-latest                           | o200k_base
      gpt-4.1                                     | o200k_base
      gpt-4.1-nano                                | o200k_base
      gpt-4.5-preview                             | o200k_base
      gpt-5                                       | o200k_base
      gpt-5-mini                                  | o200k_base
      gpt-5.1-codex                               | o200k_base
      gpt-6                                       | o200k_base
      o1                                          | o200k_base
      o1-mini                                     | o200k_base
      o3-mini                                     | o200k_base
      o4-mini-2025-04-16                          | o200k_base
      gpt-oss-120b                                | o200k_base
      gpt-realtime                                | o200k_base
      codex-mini-latest                           | o200k_base
      omni-moderation-latest                      | o200k_base
      openai/gpt-4o                               | o200k_base
      openrouter/openai/gpt-5-mini                | o200k_base
      ft:gpt-4o-mini-2024-07-18:acme::abc123      | o200k_base
      GPT-4O                                      | o200k_base
      gpt-4                                       | cl100k_base
      gpt-4-0613                                  | cl100k_base
      gpt-4-32k                                   | cl100k_base
      gpt-4-turbo                                 | cl100k_base
      gpt-4-turbo-2024-04-09                      | cl100k_base
      gpt-3.5-turbo                               | cl100k_base
      gpt-3.5-turbo-0125                          | cl100k_base
      gpt-35-turbo                                | cl100k_base
      text-embedding-3-small                      | cl100k_base
      text-embedding-3-large                      | cl100k_base
      text-embedding-ada-002                      | cl100k_base
      azure/gpt-35-turbo-16k                      | cl100k_base
      ft:gpt-3.5-turbo-0125:acme::xyz             | cl100k_base
      claude-3-5-sonnet-20240620                  | estimate(o200k_base x1.3)
      claude-3-opus-20240229                      | estimate(o200k_base x1.3)
      claude-3-7-sonnet-latest                    | estimate(o200k_base x1.3)
      claude-sonnet-4-5                           | estimate(o200k_base x1.3)
      claude-sonnet-4-5-20250929                  | estimate(o200k_base x1.3)
      claude-opus-4-20250514                      | estimate(o200k_base x1.3)
      claude-opus-4-1-20250805                    | estimate(o200k_base x1.3)
      claude-haiku-4-5                            | estimate(o200k_base x1.3)
      claude-opus-4-6                             | estimate(o200k_base x1.3)
      anthropic/claude-sonnet-4.5                 | estimate(o200k_base x1.3)
      anthropic.claude-3-5-sonnet-20240620-v1:0   | estimate(o200k_base x1.3)
      us.anthropic.claude-sonnet-4-20250514-v1:0  | estimate(o200k_base x1.3)
      claude-3-5-sonnet-v2@20241022               | estimate(o200k_base x1.3)
      claude-instant-1.2                          | estimate(o200k_base x1.3)
      claude-opus-4-7                             | estimate(o200k_base x1.76)
      claude-opus-4-10                            | estimate(o200k_base x1.76)
      claude-sonnet-5                             | estimate(o200k_base x1.76)
      claude-latest                               | estimate(o200k_base x1.76)
      gemini-2.5-pro                              | estimate(o200k_base x1.2)
      gemini-2.0-flash                            | estimate(o200k_base x1.2)
      models/gemini-1.5-pro-002                   | estimate(o200k_base x1.2)
      google/gemini-2.5-flash                     | estimate(o200k_base x1.2)
      gemma-3-27b-it                              | estimate(o200k_base x1.2)
      llama-3.1-70b-instruct                      | estimate(o200k_base x1.5)
      mistral-large-latest                        | estimate(o200k_base x1.5)
      deepseek-chat                               | estimate(o200k_base x1.5)
      my-azure-deployment                         | estimate(o200k_base x1.5)
      omni                                        | estimate(o200k_base x1.5)
      gpt-3                                       | estimate(o200k_base x1.5)
      openai/                                     | estimate(o200k_base x1.5)
      """)
  void mapping(String model, String counter) {
    assertThat(TokenCounter.forModel(model).name()).isEqualTo(counter);
  }

  @Test
  void emptyNameIsTheDefaultEstimate() {
    assertThat(TokenCounter.forModel("").name()).isEqualTo("estimate(o200k_base x1.5)");
    assertThatThrownBy(() -> TokenCounter.forModel(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void repeatedLookupsReturnSharedInstances() {
    assertThat(TokenCounter.forModel("gpt-4o")).isSameAs(TokenCounter.o200k()).isSameAs(TokenCounter.forModel("o3"));
    assertThat(TokenCounter.forModel("gpt-4")).isSameAs(TokenCounter.cl100k());
    assertThat(TokenCounter.forModel("claude-sonnet-4-5")).isSameAs(TokenCounter.forModel("claude-3-haiku"));
    assertThat(TokenCounter.forModel("gemini-2.5-pro")).isSameAs(TokenCounter.forModel("gemini-2.0-flash"));
    assertThat(TokenCounter.forModel("x")).isSameAs(TokenCounter.forModel("y"));
  }
}
