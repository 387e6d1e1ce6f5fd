package dev.aigw.core.cache.semantic;

import static dev.aigw.core.cache.semantic.LexicalGuard.sameQuestion;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LexicalGuardTest {

  @Test
  void theSameTextUpToCasePunctuationArticlesAndPluralsPasses() {
    assertThat(sameQuestion("What is the capital of France?", "what is the capital of france")).isTrue();
    assertThat(sameQuestion("When does the store open on Saturdays?", "When does a store open on Saturday")).isTrue();
    assertThat(sameQuestion("What's the capital of France?", "What is the capital of France?")).isTrue();
  }

  @Test
  void otherNumbersAreAnotherQuestion() {
    assertThat(sameQuestion("What is 15% of 200?", "What is 25% of 200?")).isFalse();
    assertThat(sameQuestion("Best laptop under $1,000?", "Best laptop under $1000?")).isTrue();
    assertThat(sameQuestion("Convert 5 miles to km", "Convert 6 miles to km")).isFalse();
    assertThat(sameQuestion("What is 15% of 200?", "How much is fifteen percent of 200?")).isFalse(); // a recall cost
  }

  @Test
  void theSameWordsInTheSameFrameInAnotherOrderAreAnotherQuestion() {
    assertThat(sameQuestion("How do I convert a string to an integer in Java?",
        "How do I convert an integer to a string in Java?")).isFalse();
    assertThat(sameQuestion("Convert 5 miles to kilometers", "Convert 5 kilometers to miles")).isFalse();
    assertThat(sameQuestion("How much is 100 US dollars in euros?", "How much is 100 euros in US dollars?")).isFalse();
  }

  @Test
  void theSameWordsInAnotherFramePass() {
    assertThat(sameQuestion("How do I reverse a list in Python?", "What's the way to reverse a Python list?")).isTrue();
    assertThat(sameQuestion("How many days are there in a leap year?", "A leap year has how many days?")).isTrue();
  }

  @Test
  void oneReplacedWordIsAnotherQuestion() {
    assertThat(sameQuestion("What time does the store open on Saturdays?",
        "What time does the store close on Saturdays?")).isFalse();
    assertThat(sameQuestion("Which foods are high in iron?", "Which foods are low in iron?")).isFalse();
    assertThat(sameQuestion("What is the capital of France?", "What is the capital of Germany?")).isFalse();
    assertThat(sameQuestion("What time does the store open?", "What time does the shop open?")).isFalse(); // a recall cost
  }

  @Test
  void oneAddedWordPassesUnlessItIsANegation() {
    assertThat(sameQuestion("What is the capital of France?", "Which city is the capital of France?")).isTrue();
    assertThat(sameQuestion("What should I eat during pregnancy?", "What should I not eat during pregnancy?")).isFalse();
    assertThat(sameQuestion("Do you ship to Australia?", "Don't you ship to Australia?")).isFalse();
    assertThat(sameQuestion("Can I pay by card?", "Can I never pay by card?")).isFalse();
  }

  @Test
  void paraphrasesInOtherWordsPass() {
    assertThat(sameQuestion("How do I reset my password?", "I forgot my password, how can I change it?")).isTrue();
    assertThat(sameQuestion("When was the Eiffel Tower built?", "In what year was the Eiffel Tower constructed?")).isTrue();
  }

  @Test
  void curlyApostrophesCountAsStraightOnes() {
    assertThat(sameQuestion("Do you ship to Australia?", "Don\u2019t you ship to Australia?")).isFalse();
  }
}
